"""The internal SLO leaves too little margin below the SLA it backs.

## What it does
For an SLA backed by a stricter SLO, computes the headroom `(1 - SLA) / (1 - SLO)`: how many
times the SLO's error budget fits in the contract's. Below `min-margin` (default 2) it
warns: 99.5 % promised needs at least 99.75 % internally.

## Why is this bad?
With a thin margin the SLO alerts fire when the contract is already nearly breached; there
is no time to react between "we are burning budget" and "we owe credits". "It is wise to be
conservative in what you advertise to users."

## Example
```yaml
apiVersion: slospec/v1
service:
  name: checkout
slis:
  - name: requests
    ratio:
      bad: http_requests_total{job="checkout",code=~"5.."}
      total: http_requests_total{job="checkout"}
slos:
  - name: availability
    sli: requests
    target: 99.92%
    window: 28d
slas:
  - name: enterprise
    slo: availability
    target: 99.9%
    window:
      calendar: month
```

## Use instead
```yaml
apiVersion: slospec/v1
service:
  name: checkout
slis:
  - name: requests
    ratio:
      bad: http_requests_total{job="checkout",code=~"5.."}
      total: http_requests_total{job="checkout"}
slos:
  - name: availability
    sli: requests
    target: 99.95%
    window: 28d
slas:
  - name: enterprise
    slo: availability
    target: 99.9%
    window:
      calendar: month
```

## Options
- `min-margin` (number, default `2`): the smallest accepted ratio of SLA budget to SLO budget.

## References
- Google SRE book, ch.4 "Service Level Objectives", "Agreements in Practice"
- Chapter online: https://sre.google/sre-book/service-level-objectives/
- Treynor et al., "The Calculus of Service Availability": https://queue.acm.org/detail.cfm?id=3096459
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from slospec.diagnostics import Finding
from slospec.rules.base import Context, looks_like_ratio, rule
from slospec.specmodel.model import HUNDRED, Spec
from slospec.specmodel.quantities import format_decimal, readable_percent


@rule("SLO202", "thin-sla-margin", severity="warning", options={"min-margin": Decimal(2)})
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    minimum = Decimal(str(ctx.options["min-margin"]))
    for sla in spec.slas:
        slo = sla.slo
        if (
            slo is None
            or slo.target <= sla.target
            or slo.target >= HUNDRED
            or looks_like_ratio(slo)
            or looks_like_ratio(sla)
        ):
            continue  # SLO201 or SLO101 say more
        margin = sla.budget / slo.budget
        if margin < minimum:
            needed = HUNDRED - (HUNDRED - sla.target) / minimum
            yield Finding(
                sla.pointer + ("target",),
                f"SLA {sla.name!r} at {readable_percent(sla.target)} is backed by SLO {slo.name!r} at "
                f"{readable_percent(slo.target)}: its budget is only {format_decimal(margin.quantize(Decimal('0.01')))}x "
                f"the SLO's (want {format_decimal(minimum)}x, an SLO of at least {readable_percent(needed)})",
            )
