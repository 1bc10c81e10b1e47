"""An SLI counts events with a metric the server says is not a counter.

## What it does
`slospec check SPEC --prometheus URL` reads the server's metadata API for the metric of each
`good`, `bad` and `total` selector (and each latency histogram) and reports one whose type
is `gauge` (or another type that can go down). Metrics without metadata (federated, remote
written or backfilled data) are not judged. Judged against a live server, not by
`slospec lint`.

## Why is this bad?
slospec's recording rules take `rate()` of these selectors over each window. On a gauge
(queue length, in-flight requests) `rate()` treats every decrease as a counter reset and
adds the whole value back, so the SLI counts events that never happened.

## Example
```yaml
apiVersion: slospec/v1
service:
  name: checkout
slis:
  - name: requests
    ratio:
      bad: http_requests_in_flight{job="checkout",code=~"5.."}
      total: http_requests_total{job="checkout"}
```
where `http_requests_in_flight` is a gauge (`slospec check spec.slo.yaml --prometheus URL`).

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
```

## Options
None.

## References
- Prometheus metric types: https://prometheus.io/docs/concepts/metric_types/
- `rate()` and counter resets: https://prometheus.io/docs/prometheus/latest/querying/functions/#rate
"""

from collections.abc import Iterator
from typing import Any

from slospec.diagnostics import Finding
from slospec.rules.base import Context, LiveServer, rule


@rule("SLO212", "not-a-counter", severity="error", needs_data=True)
def check(spec: Any, ctx: Context) -> Iterator[Finding]:
    """Judged by `slospec check --prometheus` against a live server."""
    return iter(())


# Types whose samples only go up, which rate()/increase() need.
COUNTER_TYPES = {"counter", "histogram", "summary", "gaugehistogram"}


def check_live(spec: Any, server: LiveServer) -> Iterator[Finding]:
    """Each counted selector whose metric the server's metadata says is no counter."""
    from slospec.slo import queries, series

    for sli in spec.slis:
        if not queries.is_prometheus(sli):
            continue
        for pointer, role, query in queries.fields(sli):
            if role not in ("good", "bad", "total", "histogram"):
                continue
            for selector in series.selectors(query):
                if not server.series(series.wanted(selector, role)):
                    continue  # SLO211's to say
                name = series.metric_name(selector)
                if name is None:
                    continue
                kind = server.metric_type(name)
                if kind is None:
                    for suffix in ("_bucket", "_count", "_sum", "_total"):
                        if name.endswith(suffix):
                            kind = server.metric_type(name[: -len(suffix)])
                            break
                if kind is None or kind in COUNTER_TYPES or kind == "unknown":
                    continue  # no metadata (federation, remote write, backfill): nothing to judge
                yield Finding(
                    pointer,
                    f"SLI {sli.name!r}: {name} is a {kind} on the server, but slospec "
                    f"takes rate() of the {role} selector; count events with a counter (or a histogram)",
                )
