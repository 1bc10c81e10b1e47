"""Recorded data shows the target is missed in most past windows.

## What it does
`slospec eval` computes the SLO's attainment for every past window in the data (each day's
rolling window, or each calendar period) and reports the target when it was missed in more
than `max-missed-share` (default half) of them. Judged against data, not by `slospec lint`.
Only windows the data covers whole count (a month still running can recover), and of a
rolling window only windows that do not overlap (from the latest back): ten days of data
say nothing about a 28-day window. The message says how many windows were judged.

## Why is this bad?
"Don't pick a target based on current performance", but don't pick one the service has never
met either: an objective that is always red teaches people to ignore it, and its alerts page
for the normal state of the service.

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
    target: 99.99%
    window: 1d
```
with a week of data at 99.9 % every day (`slospec eval spec.slo.yaml --data counts.csv`).

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
    target: 99.5%
    window: 1d
```

## Options
- `max-missed-share` (number, default `0.5`): the share of past windows that may miss.

## References
- Google SRE book, ch.4 "Service Level Objectives", "Choosing Targets"
- Google SRE Workbook, ch.2 "Implementing SLOs" (use history to choose the first targets)
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from slospec.diagnostics import Finding
from slospec.rules.base import Context, rule
from slospec.specmodel.quantities import format_percent, format_ratio


@rule(
    "SLO108", "history-misses-target", severity="warning", options={"max-missed-share": Decimal("0.5")}, needs_data=True
)
def check(spec: Any, ctx: Context) -> Iterator[Finding]:
    """A spec alone says nothing about its history: judged on data (see check_data)."""
    return iter(())


def check_data(result: Any, ctx: Context) -> Iterator[Finding]:
    """`slospec eval`'s result for one SLO (evaluate.compute.SloResult): its past windows."""
    # Complete windows only (a window the data covers in part can still recover), and for a
    # rolling window only non-overlapping ones: one bad week is not ten missed windows.
    history = result.judged_windows()
    if not history:
        return
    missed = [p for p in history if p.attainment < result.target]
    if Decimal(len(missed)) / len(history) > Decimal(str(ctx.options["max-missed-share"])):
        best = max(p.attainment for p in history)
        kind = "non-overlapping " if result.slo.window.rolling else ""
        count = f"{len(history)} complete {kind}window{'' if len(history) == 1 else 's'}"
        yield Finding(
            result.slo.target_pointer,
            f"SLO {result.slo.name!r}: the data misses {format_percent(result.slo.target)} in {len(missed)} "
            f"of {count} of {result.slo.window.phrase} (best {format_ratio(best, result.target)})",
        )
