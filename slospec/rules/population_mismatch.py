"""The good or bad selector counts series that the total does not.

## What it does
`slospec check SPEC --prometheus URL` fetches the series of a ratio SLI's `bad` (or `good`)
selector and of its `total`, and reports bad or good series whose labels (those both sides
carry, apart from the outcome labels only the bad or good selector matches on, such as
`code`) appear in no series of the total. Judged against a live server, not by
`slospec lint`.

## Why is this bad?
An error ratio is only a share when the errors are counted among the requests: bad events
from a job, instance or handler the total leaves out inflate the ratio (it can exceed 100 %)
and page for traffic the SLO does not cover.

## Example
```yaml
apiVersion: slospec/v1
service:
  name: checkout
slis:
  - name: requests
    ratio:
      bad: http_requests_total{code=~"5.."}
      total: http_requests_total{job="checkout"}
```
where other jobs also serve 5xx (`slospec check spec.slo.yaml --prometheus URL`).

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
- Google SRE Workbook, ch.2 "Implementing SLOs" (the SLI is good events over valid events):
  https://sre.google/workbook/implementing-slos/
"""

from collections.abc import Iterator
from typing import Any

from slospec.diagnostics import Finding
from slospec.rules.base import Context, rule


@rule("SLO213", "population-mismatch", severity="error", needs_data=True)
def check(spec: Any, ctx: Context) -> Iterator[Finding]:
    """Judged by `slospec check --prometheus` against a live server."""
    return iter(())
