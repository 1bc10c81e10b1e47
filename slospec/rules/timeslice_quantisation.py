"""Time slices too coarse for the target: no bad slice allowed, or a different real target.

## What it does
For SLOs budgeted in time slices, counts the slices in the window, `n = W / s`, and the bad
slices the target allows, `floor(n x B)`. None allowed is an error (any bad slice breaks
the objective); an effective target `1 - floor(nB)/n` that differs from the declared one by
more than 10 % of the budget (option `max-drift`) is a warning.

## Why is this bad?
99.99 % over 30 days in 5-minute slices allows `floor(0.864) = 0` bad slices: the objective
is really 100 %. With 1-minute slices 99.9 % over 30 days allows 43 bad minutes, an
effective 99.9005 %: close enough. The slice length silently changes the promise.

## Example
```yaml
apiVersion: slospec/v1
service:
  name: website
slis:
  - name: probe-up
    uptime:
      probe: probe_success{job="blackbox"}
      interval: 5m
slos:
  - name: availability
    sli: probe-up
    target: 99.99%
    window: 30d
    budgeting:
      method: timeslices
      slice: 5m
      sliceTarget: 100%
```

## Use instead
```yaml
apiVersion: slospec/v1
service:
  name: website
slis:
  - name: probe-up
    uptime:
      probe: probe_success{job="blackbox"}
      interval: 1m
slos:
  - name: availability
    sli: probe-up
    target: 99.9%
    window: 30d
    budgeting:
      method: timeslices
      slice: 1m
      sliceTarget: 100%
```

## Options
- `max-drift` (number, default `0.1`): warn when the effective target moves by more than
  this share of the error budget.

## References
- OpenSLO v1 specification, budgeting methods (Timeslices, RatioTimeslices)
- OpenSLO specification: https://github.com/OpenSLO/OpenSLO#slo
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_FLOOR, Decimal

from slospec.diagnostics import Finding
from slospec.model import HUNDRED, Spec
from slospec.quantities import format_decimal, format_percent
from slospec.rules.base import Context, rule


@rule("SLO107", "timeslice-quantisation", severity="error", options={"max-drift": Decimal("0.1")})
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    drift_limit = Decimal(str(ctx.options["max-drift"]))
    for slo in spec.slos:
        budgeting = slo.budgeting
        if not budgeting.timeslices or budgeting.slice is None or slo.target >= HUNDRED:
            continue
        slices = (slo.window.length.seconds / budgeting.slice.seconds).to_integral_value(rounding=ROUND_FLOOR)
        if slices <= 0:
            continue
        # From the budget as time, so "allowedDowntime: 1m" in 5s slices is exactly 12.
        budget_slices = slo.budget_time.seconds / budgeting.slice.seconds
        allowed = budget_slices.to_integral_value(rounding=ROUND_FLOOR)
        where = slo.pointer + ("budgeting", "slice")
        head = (f"SLO {slo.name!r}: {format_decimal(slices)} slices of {budgeting.slice} in "
                f"{slo.window.phrase} at {format_percent(slo.target)}")
        if allowed < 1:
            yield Finding(where, f"{head} allow no bad slice at all: the objective is really 100%; "
                          "use shorter slices or a lower target", "error")
            continue
        effective = HUNDRED * (1 - allowed / slices)
        drift = (budget_slices - allowed) / budget_slices
        if abs(drift) > drift_limit:
            yield Finding(where, f"{head} allow {format_decimal(allowed)} bad slices: the effective "
                          f"target is {format_percent(effective.quantize(Decimal('0.0001')))}, not "
                          f"{format_percent(slo.target)}", "warning")
