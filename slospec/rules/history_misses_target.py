"""Recorded data shows the target is missed in most past windows.

## What it does
`slospec eval` computes the SLO's attainment for every past window in the data (each day's
rolling window, or each calendar period) and reports the target when it was missed in more
than `max-missed-share` (default half) of them. Judged against data, not by `slospec lint`.

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


@rule(
    "SLO108", "history-misses-target", severity="warning", options={"max-missed-share": Decimal("0.5")}, needs_data=True
)
def check(spec: Any, ctx: Context) -> Iterator[Finding]:
    """A spec alone says nothing about its history: judged on data (see check_data)."""
    return iter(())


def check_data(result: Any, ctx: Context) -> Iterator[Finding]:
    """`slospec eval`'s result for one SLO (evaluate.compute.SloResult): its past windows."""
    history = [p for p in (result.history or [result.latest]) if p.attainment is not None]
    if not history:
        return
    missed = [p for p in history if p.attainment < result.target]
    if Decimal(len(missed)) / len(history) > Decimal(str(ctx.options["max-missed-share"])):
        best = max(p.attainment for p in history)
        yield Finding(
            result.slo.target_pointer,
            f"SLO {result.slo.name!r}: the data misses {result.slo.target}% in {len(missed)} "
            f"of {len(history)} windows (best {best * 100:.4f}%)",
        )
