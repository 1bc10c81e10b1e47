"""A latency threshold that is not one of the histogram's bucket bounds.

## What it does
For latency SLIs that declare their histogram's `buckets`, reports a `threshold` that is
not one of them. It is an error: the generated rules would select an `le` bucket the spec
says does not exist, count no request as good and page on healthy traffic, so
`slospec compile` refuses such an SLI (naming the nearest declared bucket at or below the
threshold). `slospec check --prometheus` reports the same against the buckets the server
has.

## Why is this bad?
A histogram counts requests per bucket; the share under 250 ms cannot be read from buckets
at 100 ms and 300 ms, only estimated by interpolation (`histogram_quantile` style), which
is wrong exactly where it matters. "If you have an SLO to serve 95 % of requests within
300 ms ... configure a histogram to have a bucket with an upper limit of 0.3 seconds."

## Example
```yaml
apiVersion: slospec/v1
service:
  name: search
slis:
  - name: fast
    latency:
      histogram: http_request_duration_seconds{job="search"}
      threshold: 250ms
      buckets: [100ms, 300ms, 1s]
```

## Use instead
```yaml
apiVersion: slospec/v1
service:
  name: search
slis:
  - name: fast
    latency:
      histogram: http_request_duration_seconds{job="search"}
      threshold: 300ms
      buckets: [100ms, 300ms, 1s]
```

## Options
None.

## References
- Prometheus documentation, "Histograms and summaries" (Apdex score, bucket bounds)
- Online: https://prometheus.io/docs/practices/histograms/
"""

from __future__ import annotations

from collections.abc import Iterator

from slospec.diagnostics import Finding
from slospec.rules.base import Context, rule
from slospec.slo.queries import off_bucket
from slospec.specmodel.model import Spec


@rule("SLO207", "latency-threshold-not-bucket", severity="error")
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    for sli in spec.slis:
        if sli.kind != "latency" or not sli.buckets or sli.threshold in sli.buckets:
            continue
        yield Finding(sli.body_pointer + ("threshold",), f"SLI {sli.name!r}: {off_bucket(sli)}")
