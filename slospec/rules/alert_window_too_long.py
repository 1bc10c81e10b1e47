"""An alert window as long as the SLO window, or a short window not shorter than the long one.

## What it does
Checks every declared alert tier: the long window must be shorter than the SLO window
`W`, and the short window shorter than the long one. Judges the tiers the spec declares, at their lines. Tiers slospec derives when none are
declared pass this rule by construction (see the spec page, "Default alert tiers").

## Why is this bad?
With `w_L >= W` the "long window" is the whole compliance period: at a burn rate `b* >= 1`
the alert needs 100 % of the budget gone before it fires, which is the outage report, not
an alert. A short window that is not shorter than the long one makes the pair a single
window and loses the fast reset the short window exists for.

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
    window: 7d
    alerting:
      tiers:
        - severity: ticket
          longWindow: 7d
          shortWindow: 6h
          burnRate: 1
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
    window: 7d
    alerting:
      tiers:
        - severity: ticket
          longWindow: 1d
          shortWindow: 2h
          burnRate: 1
```

## Options
None. Operational facts come from `operations` in the spec or `[operations]` in the configuration.

## References
- Google SRE Workbook, ch.5 "Alerting on SLOs", section 6 (multiwindow, multi-burn-rate)
- Chapter online: https://sre.google/workbook/alerting-on-slos/
"""

from __future__ import annotations

from collections.abc import Iterator

from slospec.diagnostics import Finding
from slospec.rules.base import Context, rule
from slospec.slo.alerting import declared_tiers, tier_label, tier_pointer
from slospec.specmodel.model import SLO, Spec


@rule("SLO301", "alert-window-too-long", severity="error")
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    for slo in spec.slos:
        yield from _check_slo(spec, slo, ctx)


def _check_slo(spec: Spec, slo: SLO, ctx: Context) -> Iterator[Finding]:
    window = slo.window.length
    for tier in declared_tiers(slo, ctx.facts):
        if tier.long_window >= window:
            yield Finding(
                tier_pointer(slo, tier, "longWindow"),
                f"{tier_label(slo, tier)}: the long window {tier.long_window} is not shorter "
                f"than the SLO window {window}; use a fraction of it (the workbook uses 1h-3d of 30d)",
            )
        if tier.short_window >= tier.long_window:
            yield Finding(
                tier_pointer(slo, tier, "shortWindow"),
                f"{tier_label(slo, tier)}: the short window {tier.short_window} is not shorter "
                f"than the long window {tier.long_window}; use about 1/12 of it",
            )
