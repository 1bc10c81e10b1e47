"""An alert `for:` duration longer than its short window.

## What it does
Reports a declared tier whose `for` is longer than its short window (derived tiers have no
`for`).

## Why is this bad?
The workbook advises against `for:` on SLO alerts: a 100 % outage with `for: 1h` "would
consume 140 % of the 30-day budget in that hour" before the page. A `for` longer than the
short window delays every page past the point the short window was chosen for.

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
          shortWindow: 5m
          burnRate: 14.4
          for: 15m
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
          for: 2m
```

## Options
None. Operational facts come from `operations` in the spec or `[operations]` in the configuration.

## References
- Google SRE Workbook, ch.5, section 3 (durations are not recommended)
- Pyrra uses `for` = half the short window
- Chapter online: https://sre.google/workbook/alerting-on-slos/
- Pyrra: https://github.com/pyrra-dev/pyrra
"""

from __future__ import annotations

from collections.abc import Iterator

from slospec.diagnostics import Finding
from slospec.rules.base import Context, rule
from slospec.slo.alerting import declared_tiers, tier_label, tier_pointer
from slospec.specmodel.model import SLO, Spec


@rule("SLO309", "for-duration", severity="warning")
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    for slo in spec.slos:
        yield from _check_slo(spec, slo, ctx)


def _check_slo(spec: Spec, slo: SLO, ctx: Context) -> Iterator[Finding]:
    for tier in declared_tiers(slo, ctx.facts):
        if tier.for_ is not None and tier.for_ > tier.short_window:
            yield Finding(
                tier_pointer(slo, tier, "for"),
                f"{tier_label(slo, tier)}: for {tier.for_} is longer than the {tier.short_window} short "
                "window; drop it or keep it under the short window",
            )
