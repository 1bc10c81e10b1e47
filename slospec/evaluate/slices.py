"""eval's view of an SLO budgeted in time slices, by OpenSLO's definitions and the rules' ones.

- `timeslices` (OpenSLO Timeslices): a slice is good when its SLI meets the slice target
  (`sliceTarget`, 100 % when none is set); the SLO counts good slices over slices.
- `ratio-timeslices` (OpenSLO RatioTimeslices): the mean of the slices' good ratios.

Slices are aligned to the epoch (a 5m slice is 10:00-10:05), so each holds whole data buckets
when the slice is a multiple of the bucket size. Slices without events are not counted, as the
rules count only the slices whose recorded ratio exists (no traffic, no series). The result is
a Series with one bucket per slice holding (its good share, 1): attainment, budget and history
then count slices with the same code that counts events.
"""

from __future__ import annotations

from fractions import Fraction

from slospec.evaluate.compute import EvalError, Series
from slospec.specmodel.model import HUNDRED, SLI, Budgeting


def judged_by_events(budgeting: Budgeting | None, sli: SLI | None) -> bool:
    """True when slices change nothing: occurrences, or an uptime probe whose slices hold at
    most one check each (a good slice is then a good check; the OpenSLO export says the same)."""
    if budgeting is None or not budgeting.timeslices or budgeting.slice is None:
        return True
    return bool(
        sli is not None and sli.kind == "uptime" and sli.interval is not None and budgeting.slice <= sli.interval
    )


def slice_series(owner: str, budgeting: Budgeting, series: Series) -> Series:
    """One bucket per slice that holds events: (good slice 1/0, 1) or (its good ratio, 1)."""
    seconds = budgeting.slice.seconds if budgeting.slice is not None else 0
    interval = series.interval
    if seconds != int(seconds) or int(seconds) % interval:
        raise EvalError(
            f"{owner} is budgeted in {budgeting.slice} slices, which the data's {interval} s buckets do not "
            f"divide; pass an --interval that divides {seconds} seconds"
        )
    size = int(seconds)
    target = Fraction(budgeting.slice_target or HUNDRED) / 100
    ratio = budgeting.method == "ratio-timeslices"
    slices: dict[int, list[float]] = {}
    cum_good, cum_total = series.cum_good, series.cum_total
    for i, end in enumerate(series.ends):
        start = end - interval
        sums = slices.setdefault(int(start // size), [0.0, 0.0])
        sums[0] += cum_good[i + 1] - cum_good[i]
        sums[1] += cum_total[i + 1] - cum_total[i]
    rows: list[tuple[int, Fraction | int, int]] = []
    for k, (good, total) in sorted(slices.items()):
        if total <= 0:
            continue
        if ratio:
            rows.append((k * size, Fraction(good) / Fraction(total), 1))
        else:
            rows.append((k * size, int(Fraction(good) >= Fraction(total) * target), 1))
    if not rows:
        raise EvalError(f"{owner}: no slice of {budgeting.slice} holds an event")
    return Series(rows, size)
