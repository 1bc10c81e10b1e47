"""A burn-rate threshold below 1: the alert fires while the SLO is on track.

## What it does
Reports a declared tier whose burn-rate threshold `b*` is below 1. Judges the tiers the spec declares, at their lines. Tiers slospec derives when none are
declared pass this rule by construction (see the spec page, "Default alert tiers").

## Why is this bad?
A burn rate of 1 spends exactly the budget over the window. Below 1 the service is on
pace to meet its objective, yet the alert fires: noise that trains people to ignore it.
Sloth's 28-day catalogue produces 0.933x for its slowest ticket tier this way.

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
        - severity: ticket
          longWindow: 3d
          shortWindow: 6h
          budgetConsumed: 10%
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
        - severity: ticket
          longWindow: 3d
          shortWindow: 6h
          burnRate: 1
```

## Options
None. Operational facts come from `operations` in the spec or `[operations]` in the configuration.

## References
- Sloth `internal/alert/windows/google-28d.yaml` (0.933x ticket tier)
- Sloth documentation, alert windows: https://sloth.dev/usage/slo-period-windows/
- Google SRE Workbook, ch.5 "Alerting on SLOs": https://sre.google/workbook/alerting-on-slos/
"""

from __future__ import annotations

from collections.abc import Iterator

from slospec.diagnostics import Finding
from slospec.rules.base import Context, rule
from slospec.slo.alerting import declared_tiers, tier_label, tier_pointer
from slospec.specmodel.model import SLO, Spec


@rule("SLO303", "burn-rate-below-one", severity="warning")
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    for slo in spec.slos:
        yield from _check_slo(spec, slo, ctx)


def _check_slo(spec: Spec, slo: SLO, ctx: Context) -> Iterator[Finding]:
    for tier in declared_tiers(slo, ctx.facts):
        if tier.burn_rate < 1:
            yield Finding(
                tier_pointer(slo, tier, "burnRate"),
                f"{tier_label(slo, tier)}: a burn rate below 1 fires while the objective is on track "
                f"(1x spends exactly the budget over {slo.window.phrase})",
            )
