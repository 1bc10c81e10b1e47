"""A latency threshold at or above the request timeout.

## What it does
Reports a latency SLI whose `threshold` is at least `operations.requestTimeout`.

## Why is this bad?
Requests slower than the timeout are cut off and counted as errors, so they never reach the
latency histogram's slow buckets: the latency SLI cannot fail on slowness, and its
objective is met by construction while users wait for timeouts.

## Example
```yaml
apiVersion: slospec/v1
service:
  name: search
operations:
  requestTimeout: 5s
slis:
  - name: fast
    latency:
      histogram: http_request_duration_seconds{job="search"}
      threshold: 5s
```

## Use instead
```yaml
apiVersion: slospec/v1
service:
  name: search
operations:
  requestTimeout: 5s
slis:
  - name: fast
    latency:
      histogram: http_request_duration_seconds{job="search"}
      threshold: 1s
```

## Options
None.

## References
- Prometheus documentation, "Histograms and summaries": https://prometheus.io/docs/practices/histograms/
- Google SRE Workbook, ch.2 "Implementing SLOs" (latency SLIs): https://sre.google/workbook/implementing-slos/
"""

from __future__ import annotations

from collections.abc import Iterator

from slospec.diagnostics import Finding
from slospec.rules.base import Context, rule
from slospec.specmodel.model import Spec


@rule("SLO209", "latency-above-timeout", severity="warning")
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    timeout = ctx.facts.request_timeout
    if timeout is None:
        return
    for sli in spec.slis:
        if sli.kind == "latency" and sli.threshold is not None and sli.threshold >= timeout:
            yield Finding(
                sli.body_pointer + ("threshold",),
                f"SLI {sli.name!r}: threshold {sli.threshold} is not below the request timeout "
                f"of {timeout}; slower requests time out and never count as slow",
            )
