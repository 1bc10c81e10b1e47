"""An SLI or SLO without a description.

## What it does
Reports SLIs and SLOs that have no `description`.

## Why is this bad?
The description is what a reader of the generated contract, dashboard or alert sees: what
is measured and why the target is what it is. Without it the number has no meaning to
anyone but its author.

## Example
```yaml
apiVersion: slospec/v1
service:
  name: checkout
  owner: team-checkout
slis:
  - name: requests
    ratio:
      bad: http_requests_total{job="checkout",code=~"5.."}
      total: http_requests_total{job="checkout"}
slos:
  - name: availability
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
None.

## References
- Google SRE Workbook, ch.2 "Implementing SLOs" (document the SLO)
"""

from __future__ import annotations

from collections.abc import Iterator

from slospec.diagnostics import Finding
from slospec.rules.base import Context, rule
from slospec.specmodel.model import Spec


@rule("SLO402", "missing-description", severity="info")
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    for kind, objects in (("SLI", spec.slis), ("SLO", spec.slos)):
        for obj in objects:
            if not (obj.description or "").strip():
                yield Finding(
                    obj.pointer + ("name",), f"{kind} {obj.name!r} has no description; say what it measures and why"
                )
