"""Too few events per window for the target to mean anything.

## What it does
With declared traffic (`expectedEvents` on the SLI or in `operations`), computes the bad
events the budget allows per window, `B x N(W)`. Below 1 it is an error: a single failure
breaks the objective. Below 10 (option `min-bad-events`) it is a warning: the measured ratio
is mostly noise (relative error about `1/sqrt(B x N)`, over 30 % at 10 events).

## Why is this bad?
"If a system receives 10 requests per hour ... a single failed request results in an hourly
error rate of 10 %." A 99.99 % objective needs at least 10,000 events per window before one
failure is even allowed. Low-traffic services need a lower target, a longer window,
synthetic traffic, or a time-slice SLI.

## Example
```yaml
apiVersion: slospec/v1
service:
  name: admin-console
slis:
  - name: requests
    expectedEvents:
      count: 5000
      per: 28d
    ratio:
      bad: http_requests_total{job="admin",code=~"5.."}
      total: http_requests_total{job="admin"}
slos:
  - name: availability
    sli: requests
    target: 99.99%
    window: 28d
```

## Use instead
```yaml
apiVersion: slospec/v1
service:
  name: admin-console
slis:
  - name: requests
    expectedEvents:
      count: 5000
      per: 28d
    ratio:
      bad: http_requests_total{job="admin",code=~"5.."}
      total: http_requests_total{job="admin"}
slos:
  - name: availability
    sli: requests
    target: 99.5%
    window: 28d
```

## Options
- `min-bad-events` (number, default `10`): warn when the budget allows fewer bad events.

## References
- Google SRE Workbook, ch.5, "Low-Traffic Services and Error Budget Alerting"
- Chapter online: https://sre.google/workbook/alerting-on-slos/
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from slospec.diagnostics import Finding
from slospec.rules.base import Context, looks_like_ratio, rule
from slospec.specmodel.model import HUNDRED, Spec
from slospec.specmodel.quantities import format_decimal, readable_percent

THOUSANDTH = Decimal("0.001")


@rule("SLO106", "too-few-events", severity="error", options={"min-bad-events": 10})
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    floor = Decimal(str(ctx.options["min-bad-events"]))
    for slo in spec.slos:
        if slo.target >= HUNDRED or slo.budgeting.timeslices or looks_like_ratio(slo):
            continue
        traffic = spec.traffic_for(slo.sli)
        if traffic is None:
            continue
        events = traffic.over(slo.window.length)
        allowed = events * slo.budget
        head = (
            f"SLO {slo.name!r}: {format_decimal(events.quantize(Decimal(1)))} expected events over "
            f"{slo.window.phrase} at {readable_percent(slo.target)} allow {format_decimal(allowed.quantize(THOUSANDTH))} bad events"
        )
        if allowed < 1:
            yield Finding(slo.target_pointer, f"{head}: a single failure breaks the objective", "error")
        elif allowed < floor:
            yield Finding(
                slo.target_pointer,
                f"{head}, fewer than {format_decimal(floor)}: the measured ratio is mostly noise",
                "warning",
            )
