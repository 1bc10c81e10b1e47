"""A target of 100 %: no error budget at all.

## What it does
Reports an SLO or SLA whose target is 100 %, including requirements written as "for any
request" or "never", such as a latency threshold that must hold for every request.

## Why is this bad?
"100% is the wrong reliability target for basically everything." With a target of 100 %
the error budget `1 - target` is zero: a single bad event breaks the objective, burn rates
are undefined (`e / 0`), and no alert can be tuned. Users cannot tell 100 % from 99.99 %,
but the cost of chasing the difference is unbounded. OpenSLO cannot even express it
(`target` must be below 1).

## Example
```yaml
apiVersion: slospec/v1
service:
  name: search
slis:
  - name: fast-responses
    latency:
      histogram: http_request_duration_seconds{job="search"}
      threshold: 100ms
slos:
  - name: response-time
    sli: fast-responses
    target: 100%
    window: 28d
```

## Use instead
```yaml
apiVersion: slospec/v1
service:
  name: search
slis:
  - name: fast-responses
    latency:
      histogram: http_request_duration_seconds{job="search"}
      threshold: 100ms
slos:
  - name: response-time
    sli: fast-responses
    target: 99.9%
    window: 28d
```

## Options
None.

## References
- Google SRE book, ch.1 "Introduction" and ch.4 "Service Level Objectives" (Avoid absolutes)
- Treynor et al., "The Calculus of Service Availability", ACM Queue 15(2), 2017
- Online: https://sre.google/sre-book/introduction/
  https://sre.google/sre-book/service-level-objectives/
  https://queue.acm.org/detail.cfm?id=3096459
"""

from __future__ import annotations

from collections.abc import Iterator

from slospec.diagnostics import Finding
from slospec.rules.base import Context, rule
from slospec.specmodel.model import HUNDRED, Spec


@rule("SLO101", "perfect-target", severity="error")
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    for slo in spec.slos:
        if slo.target >= HUNDRED:
            hint = "write the share you can defend, such as 99.9%"
            if slo.sli is not None and slo.sli.kind == "latency":
                hint = f"write it as a percentile, such as 99.9% of requests faster than {slo.sli.threshold}"
            yield Finding(
                slo.target_pointer,
                f"SLO {slo.name!r} targets 100%, which leaves no error budget: one bad event "
                f"breaks it and burn-rate alerts are undefined; {hint}",
            )
    for sla in spec.slas:
        if sla.target >= HUNDRED:
            yield Finding(
                sla.pointer + ("target",),
                f"SLA {sla.name!r} promises 100%, which leaves no error budget: any incident "
                "breaches the contract; promise the share you can defend, such as 99.9%",
            )
