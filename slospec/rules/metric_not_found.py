"""An SLI selector that matches no series on the Prometheus server.

## What it does
`slospec check SPEC --prometheus URL` asks the server's series API for every selector of
every Prometheus SLI (for a latency SLI, the histogram's `_bucket` series) and reports each
one that matched no series in the last hour (`--lookback`). Judged against a live server,
not by `slospec lint`. A `bad` selector without series while the SLI's total has series is
no error: nothing has failed yet, the normal state, and the rules count it as 0 errors. That
is reported as information, or as a warning when the metric itself does not exist (a
counter created on the first failure, or a typo in its name).

## Why is this bad?
A selector with a typo in the metric name or a label value makes the recording rules return
nothing: the SLI is empty, the burn-rate alerts never fire, and dashboards show no data
rather than a problem. Nothing in the spec's text can tell; only the server can.

## Example
```yaml
apiVersion: slospec/v1
service:
  name: checkout
slis:
  - name: requests
    ratio:
      bad: http_request_total{job="checkout",code=~"5.."}
      total: http_requests_total{job="checkout"}
```
against a server whose counter is `http_requests_total` (`slospec check spec.slo.yaml --prometheus URL`).

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
- Prometheus HTTP API, finding series by label matchers:
  https://prometheus.io/docs/prometheus/latest/querying/api/#finding-series-by-label-matchers
"""

from collections.abc import Iterator
from typing import Any

from slospec.diagnostics import Finding, Pointer
from slospec.rules.base import Context, LiveServer, rule


@rule("SLO211", "metric-not-found", severity="error", needs_data=True)
def check(spec: Any, ctx: Context) -> Iterator[Finding]:
    """Judged by `slospec check --prometheus` against a live server."""
    return iter(())


def check_live(spec: Any, server: LiveServer) -> Iterator[Finding]:
    """Each selector of each Prometheus SLI that matches no series on the server."""
    from slospec.slo import queries, series

    for sli in spec.slis:
        if not queries.is_prometheus(sli):
            continue
        for pointer, role, query in queries.fields(sli):
            for selector in series.selectors(query):
                wanted = series.wanted(selector, role)
                if server.series(wanted):
                    continue
                if role == "bad" and sli.total and any(server.series(s) for s in series.selectors(sli.total)):
                    yield _no_failures(sli, pointer, wanted, server)
                else:
                    yield Finding(
                        pointer,
                        f"SLI {sli.name!r}: {wanted} matches no series on {server.url} in the last "
                        f"{server.lookback}; check the metric name and the label values",
                    )


def _no_failures(sli: Any, pointer: Pointer, wanted: str, server: LiveServer) -> Finding:
    """A bad-events selector without series while the total has some: nothing has failed, the
    normal state (the rules count it as 0 errors). Said as information, or as a warning when
    not even the metric exists (a counter created on the first failure, or a typo)."""
    from slospec.slo.series import metric_name

    name = metric_name(wanted)
    if name is None or server.series(name):
        return Finding(
            pointer,
            f"SLI {sli.name!r}: {wanted} matches no series on {server.url} in the last {server.lookback}, while "
            "the total has series: no event failed (the rules count 0 errors until one does)",
            "info",
        )
    return Finding(
        pointer,
        f"SLI {sli.name!r}: no metric {name} exists on {server.url} in the last {server.lookback}, while the "
        "total has series: fine if it is created on the first failure (the rules count 0 errors until then); "
        "otherwise check the metric name",
        "warning",
    )
