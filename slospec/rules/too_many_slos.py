"""More SLOs on one service than anyone will watch (option `max-slos`).

## What it does
Reports a service with more than `max-slos` (default 5) SLOs.

## Why is this bad?
Every SLO is a promise, an alert policy and a budget to track. Beyond a handful they stop
being read, and their alerts compete with each other. The workbook recommends bucketing
request classes into a few SLOs instead of one per endpoint.

## Example
```yaml
apiVersion: slospec/v1
service:
  name: checkout
  owner: team-checkout
slis:
  - name: requests
    description: Requests answered without a server error.
    ratio:
      bad: http_requests_total{job="checkout",code=~"5.."}
      total: http_requests_total{job="checkout"}
slos:
  - name: availability
    description: 99.9 % of requests succeed over 28 days.
    sli: requests
    target: 99.9%
    window: 28d
  - name: availability-0
    description: Copy 0.
    sli: requests
    target: 99.9%
    window: 28d
  - name: availability-1
    description: Copy 1.
    sli: requests
    target: 99.9%
    window: 28d
  - name: availability-2
    description: Copy 2.
    sli: requests
    target: 99.9%
    window: 28d
  - name: availability-3
    description: Copy 3.
    sli: requests
    target: 99.9%
    window: 28d
  - name: availability-4
    description: Copy 4.
    sli: requests
    target: 99.9%
    window: 28d
```

## Use instead
```yaml
apiVersion: slospec/v1
service:
  name: checkout
  owner: team-checkout
slis:
  - name: requests
    description: Requests answered without a server error.
    ratio:
      bad: http_requests_total{job="checkout",code=~"5.."}
      total: http_requests_total{job="checkout"}
slos:
  - name: availability
    description: 99.9 % of requests succeed over 28 days.
    sli: requests
    target: 99.9%
    window: 28d
```

## Options
- `max-slos` (number, default `5`).

## References
- Google SRE Workbook, ch.5 "Alerting on SLOs", "Alerting at Scale"
"""

from __future__ import annotations

from collections.abc import Iterator

from slospec.diagnostics import Finding
from slospec.rules.base import Context, rule
from slospec.specmodel.model import Spec


@rule("SLO406", "too-many-slos", severity="info", options={"max-slos": 5})
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    limit = int(ctx.options["max-slos"])
    if len(spec.slos) > limit:
        yield Finding(
            spec.slos[limit].pointer + ("name",),
            f"service {spec.service.name!r} has {len(spec.slos)} SLOs, more than {limit}; "
            "group similar request classes into fewer objectives",
        )
