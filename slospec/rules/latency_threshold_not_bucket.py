"""A latency threshold that is not one of the histogram's bucket bounds.

## What it does
For latency SLIs that declare their histogram's `buckets`, reports a `threshold` that is
not one of them. It is an error: the generated rules would select an `le` bucket the spec
says does not exist, count no request as good and page on healthy traffic, so
`slospec compile` refuses such an SLI (naming the nearest declared bucket at or below the
threshold). `slospec check --prometheus` reports the same against the buckets the server
has. A native histogram (`native: true`) has no `le` buckets and is not judged:
`histogram_fraction` reads any threshold.

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
from slospec.rules.base import Context, LiveServer, rule
from slospec.slo.queries import off_bucket
from slospec.specmodel.model import Spec


@rule("SLO207", "latency-threshold-not-bucket", severity="error")
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    for sli in spec.slis:
        problem = off_bucket(sli)  # None for a native histogram: it has no `le` buckets
        if problem:
            yield Finding(sli.body_pointer + ("threshold",), f"SLI {sli.name!r}: {problem}")


def check_live(spec: Spec, server: LiveServer) -> Iterator[Finding]:
    """`slospec check --prometheus`: the threshold against the `le` bounds the server's
    histogram really has (whether or not the spec declares its buckets)."""
    from decimal import Decimal, InvalidOperation

    from slospec.slo import queries
    from slospec.slo.series import with_suffix
    from slospec.specmodel.quantities import Duration

    for sli in spec.slis:
        if not queries.is_prometheus(sli) or sli.kind != "latency" or not sli.histogram or sli.threshold is None:
            continue
        if sli.native:
            continue  # a native histogram has no `le` series; histogram_fraction reads any threshold
        bounds = set()
        for labels in server.series(with_suffix(sli.histogram, "_bucket")):
            try:
                bound = Decimal(labels.get("le", ""))
            except InvalidOperation:
                continue  # +Inf and odd values are no thresholds
            if bound.is_finite() and -30 <= bound.adjusted() <= 30:  # a server's 1e999999 is no bucket
                bounds.add(bound)
        threshold = sli.threshold.seconds
        if bounds and threshold not in bounds:
            listed = ", ".join(str(Duration.of(b)) for b in sorted(bounds))
            yield Finding(
                sli.body_pointer + ("threshold",),
                f"SLI {sli.name!r}: the threshold {sli.threshold} is not a bucket of {sli.histogram} on "
                f"the server (le: {listed}); choose one of them or add a bucket at {Duration.of(threshold)}",
            )
