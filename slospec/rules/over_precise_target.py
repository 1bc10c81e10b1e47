"""A target with more significant digits than anyone can measure or mean.

## What it does
Reports a target with more than `max-digits` (default 5) significant digits, such as
99.99375 %.

## Why is this bad?
A target of 99.99375 % claims a precision no measurement over a window has, and usually
comes from back-computing a budget. Round it to what the service can defend and the
contract can state; use `allowedDowntime` when the intent is a time budget.

## Example
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
    target: 99.99375%
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
    target: 99.99%
    window: 28d
```

## Options
- `max-digits` (number, default `5`).

## References
- Google SRE book, ch.4 "Service Level Objectives", "Choosing Targets":
  https://sre.google/sre-book/service-level-objectives/
- Python documentation, floating point arithmetic: https://docs.python.org/3/tutorial/floatingpoint.html
"""

from __future__ import annotations

from collections.abc import Iterator

from slospec.diagnostics import Finding
from slospec.rules.base import Context, rule
from slospec.specmodel.model import Spec
from slospec.specmodel.quantities import format_percent


@rule("SLO407", "over-precise-target", severity="info", options={"max-digits": 5})
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    limit = int(ctx.options["max-digits"])
    for slo in spec.slos:
        if slo.allowed_downtime is not None:
            continue
        digits = len(slo.target.normalize().as_tuple().digits)
        if digits > limit:
            yield Finding(
                slo.target_pointer,
                f"SLO {slo.name!r} target {format_percent(slo.target)} has {digits} significant "
                f"digits; more than {limit} is precision nobody measures",
            )
