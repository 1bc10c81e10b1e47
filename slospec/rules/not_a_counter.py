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
from slospec.rules.base import Context, rule


@rule("SLO212", "not-a-counter", severity="error", needs_data=True)
def check(spec: Any, ctx: Context) -> Iterator[Finding]:
    """Judged by `slospec check --prometheus` against a live server."""
    return iter(())
