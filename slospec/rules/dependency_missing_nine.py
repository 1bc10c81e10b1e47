"""A critical dependency is not an order of magnitude more reliable than the target.

## What it does
For every SLO on a request, latency or uptime SLI, with `B = 1 - target`: warns when a
critical dependency's unavailability `1 - A` exceeds `B / 10` (the "extra nine" rule), or
when the critical dependencies together take more than half of the budget,
`sum(1 - A_i) > 0.5 x B` (option `max-dependency-share`).

## Why is this bad?
"Critical dependencies must offer one additional 9 relative to your service." Dependency
failures spend the service's own budget: a dependency that is only as reliable as the
service itself leaves nothing for the service's own deployments and bugs.

## Example
```yaml
apiVersion: slospec/v1
service:
  name: orders
  dependencies:
    - name: orders-db
      availability: 99.95%
slis:
  - name: requests
    ratio:
      bad: http_requests_total{job="orders",code=~"5.."}
      total: http_requests_total{job="orders"}
slos:
  - name: availability
    sli: requests
    target: 99.9%
    window: 28d
```

## Use instead
```yaml
apiVersion: slospec/v1
service:
  name: orders
  dependencies:
    - name: orders-db
      availability: 99.99%
slis:
  - name: requests
    ratio:
      bad: http_requests_total{job="orders",code=~"5.."}
      total: http_requests_total{job="orders"}
slos:
  - name: availability
    sli: requests
    target: 99.9%
    window: 28d
```

## Options
- `max-dependency-share` (number, default `0.5`): the share of the budget the critical
  dependencies may use together.

## References
- Treynor et al., "The Calculus of Service Availability", ACM Queue 15(2), 2017 (rule of
  the extra 9; 26 of 53 minutes for dependencies)
- The paper online: https://queue.acm.org/detail.cfm?id=3096459
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from slospec.diagnostics import Finding
from slospec.rules.base import Context, looks_like_ratio, rule
from slospec.specmodel.model import HUNDRED, Spec
from slospec.specmodel.quantities import format_percent, readable_percent

DEPENDENT_KINDS = ("ratio", "latency", "uptime")


@rule("SLO205", "dependency-missing-nine", severity="warning", options={"max-dependency-share": Decimal("0.5")})
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    share = Decimal(str(ctx.options["max-dependency-share"]))
    critical = [d for d in spec.service.dependencies if d.critical]
    if not critical:
        return
    for slo in spec.slos:
        if (
            slo.target >= HUNDRED
            or looks_like_ratio(slo)
            or (slo.sli is not None and slo.sli.kind not in DEPENDENT_KINDS)
        ):
            continue
        budget = slo.budget
        needed = HUNDRED - (HUNDRED - slo.target) / 10
        for dep in critical:
            if (HUNDRED - dep.availability) / HUNDRED > budget / 10:
                yield Finding(
                    dep.pointer + ("availability",),
                    f"critical dependency {dep.name!r} at {format_percent(dep.availability)} lacks "
                    f"the extra nine for SLO {slo.name!r} at {readable_percent(slo.target)}: "
                    f"it needs at least {readable_percent(needed)}",
                )
        total = sum(((HUNDRED - d.availability) / HUNDRED for d in critical), Decimal(0))
        if len(critical) > 1 and total > share * budget:
            yield Finding(
                slo.target_pointer,
                f"SLO {slo.name!r}: its {len(critical)} critical dependencies may fail "
                f"{readable_percent(total * HUNDRED)} of the time together, more than "
                f"{readable_percent(share * HUNDRED)} of its {readable_percent(budget * HUNDRED)} budget",
            )
