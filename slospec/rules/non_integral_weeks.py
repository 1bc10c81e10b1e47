"""A rolling window of a week or more that is not a whole number of weeks.

## What it does
Reports rolling windows of 7 days or longer that are not a multiple of 7 days (30d, 90d).

## Why is this bad?
"We recommend defining this period as an integral number of weeks so it always contains the
same number of weekends. For example, if you use a 30-day window, some periods might
include four weekends while others include five." Weekly traffic patterns then make the
same service look better or worse depending on the day the window starts.

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
    target: 99.9%
    window: 30d
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
- Google SRE Workbook, ch.2 "Implementing SLOs", "Choosing an Appropriate Time Window"
- Chapter online: https://sre.google/workbook/implementing-slos/
"""

from __future__ import annotations

from collections.abc import Iterator

from slospec.diagnostics import Finding
from slospec.rules.base import Context, rule
from slospec.specmodel.model import Spec
from slospec.specmodel.quantities import Duration, format_decimal


@rule("SLO404", "non-integral-weeks", severity="info")
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    week = Duration.parse("7d")
    for slo in spec.slos:
        window = slo.window
        if window.rolling and window.length >= week and window.length.seconds % week.seconds:
            weeks = (window.length.seconds / week.seconds).to_integral_value()
            yield Finding(
                slo.pointer + ("window",),
                f"SLO {slo.name!r}: a rolling {window.length} window holds a varying number of "
                f"weekends; use {Duration(weeks * week.seconds)} ({format_decimal(weeks)} weeks)",
            )
