"""Recorded data shows the service does far better than its target.

## What it does
`slospec eval` reports (as information) a target whose error budget is more than
`min-factor` (default 10) times the worst error ratio the data shows in any past window:
the service could promise another nine. Only windows the data covers whole count: four
hours of data say nothing about 28 days.

## Why is this bad?
A target far below what the service achieves hides regressions: the service can get ten
times worse before anyone is told, and users who got used to the better service are
unhappy long before the objective notices.

## Example
```yaml
apiVersion: slospec/v1
service:
  name: api
slis:
  - name: requests
    ratio:
      bad: http_requests_total{code="500"}
      total: http_requests_total
slos:
  - name: availability
    sli: requests
    target: 99%
    window: 1d
```
with a week of data at 99.99 % or better every day.

## Use instead
```yaml
apiVersion: slospec/v1
service:
  name: api
slis:
  - name: requests
    ratio:
      bad: http_requests_total{code="500"}
      total: http_requests_total
slos:
  - name: availability
    sli: requests
    target: 99.9%
    window: 1d
```

## Options
- `min-factor` (number, default `10`): how many times the worst observed error ratio the
  budget may be before the hint appears.

## References
- Google SRE book, ch.4 "Service Level Objectives" (users' expectations follow performance)
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from slospec.diagnostics import Finding
from slospec.rules.base import Context, rule
from slospec.specmodel.quantities import format_ratio


@rule("SLO109", "target-below-history", severity="info", options={"min-factor": Decimal(10)}, needs_data=True)
def check(spec: Any, ctx: Context) -> Iterator[Finding]:
    """A spec alone says nothing about its history: judged on data (see check_data)."""
    return iter(())


def check_data(result: Any, ctx: Context) -> Iterator[Finding]:
    """`slospec eval`'s result for one SLO (evaluate.compute.SloResult): its past windows."""
    # Complete windows only: four hours of data say nothing about 28 days.
    history = result.judged_windows()
    if not history:
        return
    factor = float(ctx.options["min-factor"])
    worst = max(1 - p.attainment for p in history)
    if result.budget_ratio > 0 and worst * factor < result.budget_ratio:
        share = "a tenth" if factor == 10 else f"1/{factor:g}"
        yield Finding(
            result.slo.target_pointer,
            f"SLO {result.slo.name!r}: the worst of {len(history)} complete window{'' if len(history) == 1 else 's'} "
            f"in the data failed {format_ratio(worst)} of {getattr(result, 'unit', 'events')}, less than {share} "
            f"of the {format_ratio(result.budget_ratio)} budget; the service could promise more",
        )
