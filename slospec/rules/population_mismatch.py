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
from slospec.rules.base import Context, LiveServer, rule


@rule("SLO213", "population-mismatch", severity="error", needs_data=True)
def check(spec: Any, ctx: Context) -> Iterator[Finding]:
    """Judged by `slospec check --prometheus` against a live server."""
    return iter(())


def check_live(spec: Any, server: LiveServer) -> Iterator[Finding]:
    """Each ratio SLI whose good or bad series fall outside the total's population."""
    from slospec.slo import queries
    from slospec.slo.series import matched_labels

    for sli in spec.slis:
        if not queries.is_prometheus(sli) or sli.kind != "ratio" or not sli.total:
            continue
        if queries.is_template(sli.total):
            continue
        role = "bad" if sli.bad else "good"
        part = getattr(sli, role)
        if not part or queries.is_template(part):
            continue
        part_series, total_series = server.series(part), server.series(sli.total)
        if not part_series or not total_series:
            continue
        # The labels that tell the outcome (code="5..") are the part's own; every other label
        # both sides carry must say the part's series are among the total's.
        own = matched_labels(part) - matched_labels(sli.total)
        shared = set.intersection(*(set(s) for s in part_series + total_series)) - own - {"__name__", "le"}
        if not shared:
            continue
        keys = sorted(shared)
        totals = {tuple(s.get(k) for k in keys) for s in total_series}
        outside = sorted({tuple(s.get(k) for k in keys) for s in part_series} - totals)
        if outside:
            example = ", ".join(f'{k}="{v}"' for k, v in zip(keys, outside[0], strict=True))
            yield Finding(
                sli.body_pointer + (role,),
                f"SLI {sli.name!r}: {len(outside)} series of the {role} selector have no counterpart in "
                f"the total ({example}); {role} events must be counted among the total's, so select "
                "the same population on both sides",
            )
