"""A burn-rate threshold above `1 / (1 - target)`: the alert can never fire.

## What it does
Computes the highest possible burn rate, `1 / B` (every event failing), and reports any
tier whose threshold `b*` is above it. A 14.4x page needs a target above 93.06 %.

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

from slospec.alerting import tier_label, tier_pointer, tiers_for
from slospec.diagnostics import Finding
from slospec.model import HUNDRED, SLO, Spec
from slospec.quantities import format_decimal, format_percent
from slospec.rules.base import Context, rule

@rule("SLO302", "burn-rate-unreachable", severity="error")
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    for slo in spec.slos:
        yield from _check_slo(spec, slo, ctx)


def _check_slo(spec: Spec, slo: SLO, ctx: Context) -> Iterator[Finding]:
    if slo.target >= HUNDRED or slo.target <= 0:
        return
    ceiling = 1 / slo.budget
    shown = format_decimal(ceiling.quantize(Decimal("0.01")))
    unreachable = [t for t in tiers_for(slo) if t.burn_rate > ceiling]
    for tier in (t for t in unreachable if t.declared):
        yield Finding(tier_pointer(slo, tier, "burnRate"),
                      f"{tier_label(slo, tier)} can never fire: at {format_percent(slo.target)} the highest "
                      f"possible burn rate is {shown}x (every event failing); lower the threshold or raise the target")
    defaults = [t for t in unreachable if not t.declared]
    if defaults:
        rates = ", ".join(f"{t.burn_rate}x" for t in defaults)
        yield Finding(tier_pointer(slo, defaults[0]),
                      f"SLO {slo.name!r}: the default workbook tiers at {rates} can never fire: at "
                      f"{format_percent(slo.target)} the highest possible burn rate is {shown}x; declare "
                      "alerting tiers the target can reach, or raise the target")
