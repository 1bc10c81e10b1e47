"""A target stricter than 99.99 % (option `max-target`).

## What it does
Reports an SLO or SLA whose target exceeds `max-target` (default 99.99 %) but is below
100 % (that case is SLO101).

## Why is this bad?
Each extra nine divides the error budget by ten. At 99.999 % a 30-day budget is 26
seconds, "smaller than the metric collection interval of many monitoring services, let
alone the end-to-end time to generate an alert". Such targets are rarely met, and never
by a service with ordinary dependencies.

## Example
```yaml
apiVersion: slospec/v1
service:
  name: checkout
slis:
  - name: requests
    ratio:
      bad: http_requests_total{job="checkout",code=~"5.."}
      total: http_requests_total{job="checkout"}
slos:
  - name: availability
    sli: requests
    target: 99.999%
    window: 30d
```

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
slos:
  - name: availability
    sli: requests
    target: 99.95%
    window: 30d
```

## Options
- `max-target` (percent, default `99.99`): the strictest target accepted without a warning.

## References
- Google SRE Workbook, ch.5 "Alerting on SLOs", section "Extreme Availability Goals"
- Google SRE book, Appendix A "Availability Table"
- Online: https://sre.google/workbook/alerting-on-slos/
  and https://sre.google/sre-book/availability-table/
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from slospec.diagnostics import Finding
from slospec.rules.base import Context, rule
from slospec.specmodel.model import HUNDRED, Spec
from slospec.specmodel.quantities import format_percent, readable_percent


@rule("SLO102", "extreme-target", severity="warning", options={"max-target": Decimal("99.99")})
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    limit = Decimal(str(ctx.options["max-target"]))
    for slo in spec.slos:
        if limit < slo.target < HUNDRED:
            yield Finding(
                slo.target_pointer,
                f"SLO {slo.name!r} targets {readable_percent(slo.target)} over {slo.window.phrase}, "
                f"which leaves {slo.budget_time} of error budget; targets above "
                f"{format_percent(limit)} are rarely achievable or measurable",
            )
    for sla in spec.slas:
        if limit < sla.target < HUNDRED:
            budget = sla.window.length * sla.budget
            yield Finding(
                sla.pointer + ("target",),
                f"SLA {sla.name!r} promises {format_percent(sla.target)} over {sla.window.phrase}, "
                f"which leaves {budget} of error budget; promises above "
                f"{format_percent(limit)} are rarely kept",
            )
