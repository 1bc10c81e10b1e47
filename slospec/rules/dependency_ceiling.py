"""The target is higher than the critical dependencies can allow.

## What it does
Multiplies the declared availability of the service's critical dependencies (`critical`
defaults to true) and reports every SLO or SLA on a request, latency or uptime SLI whose
target is above that product: even a perfect service could not meet it.

## Why is this bad?
"A service cannot be more available than the intersection of all its critical
dependencies." A 99.99 % promise on top of a 99.9 % database is broken the moment the
database uses its own budget. Either the dependency needs another nine, the dependency
must become non-critical (caching, fallbacks, redundancy), or the target must come down.

## Example
```yaml
apiVersion: slospec/v1
service:
  name: orders
  dependencies:
    - name: orders-db
      availability: 99.9%
      critical: true
slis:
  - name: requests
    ratio:
      bad: http_requests_total{job="orders",code=~"5.."}
      total: http_requests_total{job="orders"}
slos:
  - name: availability
    sli: requests
    target: 99.99%
    window: 28d
```

## Use instead
```yaml
apiVersion: slospec/v1
service:
  name: orders
  dependencies:
    - name: orders-db
      availability: 99.9%
      critical: false
slis:
  - name: requests
    ratio:
      bad: http_requests_total{job="orders",code=~"5.."}
      total: http_requests_total{job="orders"}
slos:
  - name: availability
    sli: requests
    target: 99.99%
    window: 28d
```

## Options
None.

## References
- Treynor et al., "The Calculus of Service Availability", ACM Queue 15(2), 2017
- AWS Well-Architected, Reliability pillar (availability of hard dependencies)
- The paper online: https://queue.acm.org/detail.cfm?id=3096459
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from slospec.diagnostics import Finding
from slospec.rules.base import Context, looks_like_ratio, rule
from slospec.specmodel.model import HUNDRED, Spec
from slospec.specmodel.quantities import format_decimal, format_percent, readable_percent

DEPENDENT_KINDS = ("ratio", "latency", "uptime")


def critical_ceiling(spec: Spec) -> tuple[Decimal, list[str]]:
    """Product of the critical dependencies' availability (as a ratio) and their names."""
    ceiling = Decimal(1)
    names = []
    for dep in spec.service.dependencies:
        if dep.critical:
            ceiling *= dep.availability / HUNDRED
            names.append(f"{dep.name} {format_percent(dep.availability)}")
    return ceiling, names


@rule("SLO204", "dependency-ceiling", severity="error")
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    ceiling, names = critical_ceiling(spec)
    if not names:
        return
    limit = (ceiling * HUNDRED).normalize()
    shown = (
        format_decimal(limit.quantize(Decimal("0.0001"))) if len(format_decimal(limit)) > 9 else format_decimal(limit)
    )
    objects = [("SLO", s.name, s.target, s.target_pointer, s.sli) for s in spec.slos if not looks_like_ratio(s)]
    objects += [("SLA", s.name, s.target, s.pointer + ("target",), s.sli) for s in spec.slas if not looks_like_ratio(s)]
    for kind, name, target, pointer, sli in objects:
        if (sli is not None and sli.kind not in DEPENDENT_KINDS) or target >= HUNDRED:
            continue  # a 100% target is SLO101's finding
        if target > limit:
            yield Finding(
                pointer,
                f"{kind} {name!r} targets {readable_percent(target)}, but its critical "
                f"dependencies ({', '.join(names)}) allow at most {shown}% together",
            )
