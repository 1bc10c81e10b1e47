"""A service or SLO with nobody accountable for it.

## What it does
Reports a spec whose service has no `owner` while at least one of its SLOs has none either
(an SLO may name its own `owner`), and a service without owner and without SLOs.

## Why is this bad?
An objective nobody owns is an objective nobody defends: alerts page whoever is on call,
error-budget decisions have no decider, and the contract has no accountable team. Every
SLO tool asks for an owner (OpenSLO labels, Sloth and Pyrra labels) for this reason.

## Example
```yaml
apiVersion: slospec/v1
service:
  name: checkout
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
- Google SRE Workbook, ch.2 "Implementing SLOs" (the SLO document names its owners):
  https://sre.google/workbook/implementing-slos/
- OpenSLO: ownership in `metadata.labels` (`team`, `owner`)
"""

from __future__ import annotations

from collections.abc import Iterator

from slospec.diagnostics import Finding
from slospec.rules.base import Context, rule
from slospec.specmodel.model import Spec


@rule("SLO401", "missing-owner", severity="warning")
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    if spec.service.owner:
        return
    orphans = [s for s in spec.slos if not s.owner]
    if orphans or not spec.slos:
        names = ", ".join(repr(s.name) for s in orphans) or "(none yet)"
        yield Finding(
            ("service", "name"),
            f"service {spec.service.name!r} has no owner, and neither have its SLOs {names}; "
            "add service.owner (a team or a person)",
        )
