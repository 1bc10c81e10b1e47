"""Time slices too coarse for the target: no bad slice allowed, or a different real target.

## What it does
For SLOs budgeted in time slices, counts the slices in the window, `n = W / s`, and the bad
slices the target allows, `floor(n x B)`. None allowed is an error (any bad slice breaks
the objective); an effective target `1 - floor(nB)/n` that differs from the declared one by
more than 10 % of the budget (option `max-drift`) is a warning. `ratio-timeslices` (OpenSLO's
RatioTimeslices: the mean of the slices' good ratios) is not judged: a slice there spends
only its own share of bad events, so the target is not quantised.

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
from decimal import Decimal
from fractions import Fraction
from math import floor

from slospec.diagnostics import Finding
from slospec.rules.base import Context, looks_like_ratio, rule
from slospec.specmodel.model import HUNDRED, Spec
from slospec.specmodel.quantities import readable_percent


@rule("SLO107", "timeslice-quantisation", severity="error", options={"max-drift": Decimal("0.1")})
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    drift_limit = Fraction(str(ctx.options["max-drift"]))
    for slo in spec.slos:
        budgeting = slo.budgeting
        if (
            budgeting.method != "timeslices"
            or budgeting.slice is None
            or slo.target >= HUNDRED
            or looks_like_ratio(slo)
        ):
            continue
        # Exact rationals: "allowedDowntime: 1m" in 5s slices is exactly 12 bad slices, and
        # 99.9% of 30 days in 1m slices exactly 43.2.
        slices = floor(Fraction(slo.window.length.seconds) / Fraction(budgeting.slice.seconds))
        if slices <= 0:
            continue
        budget_slices = slo.budget_ratio * Fraction(slo.window.length.seconds) / Fraction(budgeting.slice.seconds)
        allowed = floor(budget_slices)
        where = slo.pointer + ("budgeting", "slice")
        head = (
            f"SLO {slo.name!r}: {slices} slices of {budgeting.slice} in "
            f"{slo.window.phrase} at {readable_percent(slo.target)}"
        )
        if allowed < 1:
            yield Finding(
                where,
                f"{head} allow no bad slice at all: the objective is really 100%; use shorter slices or a lower target",
                "error",
            )
            continue
        effective = 100 * (1 - Fraction(allowed, slices))
        drift = (budget_slices - allowed) / budget_slices
        if abs(drift) > drift_limit:
            yield Finding(
                where,
                f"{head} allow {allowed} bad slices: the effective "
                f"target is {readable_percent(effective, slo.target_ratio * 100)}, not "
                f"{readable_percent(slo.target)}",
                "warning",
            )
