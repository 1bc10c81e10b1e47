"""The internal SLO is not stricter than the SLA it backs.

## What it does
For every SLA that names its backing SLO (`slo:`), compares the targets as error-budget
ratios (which makes windows of different lengths comparable: a 99.9 % month and a 99.9 %
28-day window allow the same share of failures). An SLO target at or below the SLA target is
an error.

## Why is this bad?
The SLO is the early warning for the contract. If the internal objective is as loose as the
promise, the team learns about trouble from the customer's credit claim. "Using a tighter
internal SLO than the SLO advertised to users gives you room to respond to chronic problems
before they become visible externally."

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
    target: 99.9%
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
None.

## References
- Google SRE book, ch.4 "Service Level Objectives", "SLOs Set Expectations" (keep a safety margin)
- Treynor et al., "The Calculus of Service Availability" (stricter internal targets)
- Online: https://sre.google/sre-book/service-level-objectives/
  and https://queue.acm.org/detail.cfm?id=3096459
"""

from __future__ import annotations

from collections.abc import Iterator

from slospec.diagnostics import Finding, pointer_text
from slospec.rules.base import Context, looks_like_ratio, rule
from slospec.specmodel.model import Spec
from slospec.specmodel.quantities import readable_percent


@rule("SLO201", "slo-looser-than-sla", severity="error")
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    for sla in spec.slas:
        slo = sla.slo
        if slo is None or slo.target > sla.target or looks_like_ratio(slo) or looks_like_ratio(sla):
            continue
        yield Finding(
            sla.pointer + ("target",),
            f"SLA {sla.name!r} promises {readable_percent(sla.target)} over {sla.window.phrase} but is "
            f"backed by SLO {slo.name!r} at {readable_percent(slo.target)} over {slo.window.phrase} "
            f"({pointer_text(slo.target_pointer)}): the internal objective must be stricter than the promise",
        )
