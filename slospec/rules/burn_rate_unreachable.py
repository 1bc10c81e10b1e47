"""A burn-rate threshold above `1 / (1 - target)`: the alert can never fire.

## What it does
Computes the highest possible burn rate, `1 / B` (every event failing), and reports any
declared tier whose threshold `b*` is above it, at its `burnRate`. A 14.4x page needs a
target above 93.06 %.

Tiers slospec derives when none are declared are always reachable: their burn rates are
lowered (and their windows lengthened to keep the workbook's budget shares) until the
threshold is at most half of all events failing. For a target below 50 % not even a burn
rate of 1 meets that, so slospec derives no tiers and this rule says so once, as info, on
the target line, with the tier to declare instead.

An SLI nobody should be paged for (support tickets answered by people, a nightly batch)
is better without burn-rate alerts: write `alerting: {policy: none}`.

## Why is this bad?
The error ratio cannot exceed 1, so the burn rate cannot exceed `1/B`. At a 90 % target
a total outage burns at 10x, and "a 100 % outage consumes only 1.4 % of the budget in that
hour": the 14.4x page "could never fire". The alert looks like protection and is none.

## Example
```yaml
apiVersion: slospec/v1
service:
  name: checkout
  owner: team-checkout
slis:
  - name: requests
    ratio:
      bad: http_requests_total{job="checkout",code=~"5.."}
      total: http_requests_total{job="checkout"}
slos:
  - name: availability
    sli: requests
    target: 90%
    window: 28d
    alerting:
      tiers:
        - severity: page
          longWindow: 1h
          shortWindow: 5m
          burnRate: 14.4
```

## Use instead
```yaml
apiVersion: slospec/v1
service:
  name: checkout
  owner: team-checkout
slis:
  - name: requests
    ratio:
      bad: http_requests_total{job="checkout",code=~"5.."}
      total: http_requests_total{job="checkout"}
slos:
  - name: availability
    sli: requests
    target: 90%
    window: 28d
    alerting:
      tiers:
        - severity: page
          longWindow: 6h
          shortWindow: 30m
          burnRate: 6
```

## Options
None. Operational facts come from `operations` in the spec or `[operations]` in the configuration.

## References
- Google SRE Workbook, ch.5 "Alerting on SLOs", "Extreme Availability Goals"
- Chapter online: https://sre.google/workbook/alerting-on-slos/
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from slospec.diagnostics import Finding
from slospec.rules.base import Context, looks_like_ratio, rule
from slospec.slo.alerting import declared_tiers, no_defaults, tier_label, tier_pointer
from slospec.specmodel.model import HUNDRED, SLO, Spec
from slospec.specmodel.quantities import format_decimal, readable_percent


@rule("SLO302", "burn-rate-unreachable", severity="error")
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    for slo in spec.slos:
        yield from _check_slo(spec, slo, ctx)


def _check_slo(spec: Spec, slo: SLO, ctx: Context) -> Iterator[Finding]:
    if slo.target >= HUNDRED or slo.target <= 0 or looks_like_ratio(slo):
        return  # SLO101's or SLO103's finding
    missing = no_defaults(slo, "SLO302", ctx.facts)
    if missing is not None:
        yield Finding(missing.pointer, missing.message, "info")
    ceiling = 1 / slo.budget
    shown = format_decimal(ceiling.quantize(Decimal("0.01")))
    for tier in declared_tiers(slo, ctx.facts):
        if tier.burn_rate > ceiling:
            yield Finding(
                tier_pointer(slo, tier, "burnRate"),
                f"{tier_label(slo, tier)} can never fire: at {readable_percent(slo.target)} the highest "
                f"possible burn rate is {shown}x (every event failing); lower the threshold or raise "
                "the target, or write alerting: {policy: none} if nobody should be alerted on this SLI",
            )
