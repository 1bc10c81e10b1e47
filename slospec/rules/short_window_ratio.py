"""A short window far from 1/12 of the long window.

## What it does
Reports a declared tier whose short window is outside `[1/24, 1/6]` of its long window
(the workbook's guideline is 1/12). Judges the tiers the spec declares, at their lines. Tiers slospec derives when none are
declared pass this rule by construction (see the spec page, "Default alert tiers").

## Why is this bad?
The short window makes the alert reset quickly once the burn stops. Too long (more than
1/6) and the alert keeps firing long after recovery; too short (under 1/24) and it flaps
on noise within the long window.

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
    target: 99.9%
    window: 28d
    alerting:
      tiers:
        - severity: page
          longWindow: 1h
          shortWindow: 30m
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
    target: 99.9%
    window: 28d
    alerting:
      tiers:
        - severity: page
          longWindow: 1h
          shortWindow: 5m
          burnRate: 14.4
```

## Options
None. Operational facts come from `operations` in the spec or `[operations]` in the configuration.

## References
- Google SRE Workbook, ch.5, section 6: "make the short window 1/12 the duration of the long window"
- Chapter online: https://sre.google/workbook/alerting-on-slos/
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from slospec.diagnostics import Finding
from slospec.rules.base import Context, rule
from slospec.slo.alerting import declared_tiers, default_short, tier_label, tier_pointer
from slospec.specmodel.model import SLO, Spec
from slospec.specmodel.quantities import format_decimal

# The workbook's guideline is 1/12; accept a factor of two either way.
LOW, HIGH = Decimal(1) / 24, Decimal(1) / 6


@rule("SLO305", "short-window-ratio", severity="warning")
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    for slo in spec.slos:
        yield from _check_slo(spec, slo, ctx)


def _check_slo(spec: Spec, slo: SLO, ctx: Context) -> Iterator[Finding]:
    for tier in declared_tiers(slo, ctx.facts):
        ratio = tier.short_window / tier.long_window
        if ratio < LOW or ratio > HIGH:
            yield Finding(
                tier_pointer(slo, tier, "shortWindow"),
                f"{tier_label(slo, tier)}: the short window is {format_decimal((ratio * 100).quantize(Decimal('0.1')))}% "
                f"of the long one; keep it between 1/24 and 1/6 (about {default_short(tier.long_window)})",
            )
