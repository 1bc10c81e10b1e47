"""The one-sweep backtest and the sparse history equal the straightforward definitions
(a bisection per window end; every day or calendar period, empty ones dropped)."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from slospec.api import load_specs
from slospec.config import Config
from slospec.evaluate import compute
from tests.conftest import EXAMPLES

JAN = 1767225600
SPECS = {name: load_specs([str(EXAMPLES / name)], Config())[0][0] for name in ("api.slo.yaml", "checkout-sla.slo.yaml")}


def reference_backtest(series: compute.Series, slo) -> list[tuple]:
    budget = float(slo.budget)
    events, open_ = [], {}
    for end in series.ends:
        firing = set()
        for tier in compute.tiers_for(slo):
            threshold = float(tier.burn_rate) * budget
            ok = True
            for w in (tier.long_window, tier.short_window):
                good, total = series.window(end - float(w.seconds), end)
                if total <= 0 or (total - good) / total <= threshold:
                    ok = False
                    break
            if ok:
                firing.add(tier.severity)
        for severity in ("page", "ticket"):
            if severity in firing and severity not in open_:
                open_[severity] = [severity, end, None]
                events.append(open_[severity])
            elif severity not in firing and severity in open_:
                open_.pop(severity)[2] = end
    return [tuple(e) for e in events]


def reference_periods(series: compute.Series, window) -> list[tuple]:
    out = []
    if not window.rolling:
        tz = compute.zone(window.time_zone)
        start = compute._period_start(datetime.fromtimestamp(series.first, tz), window.calendar)
        while start.timestamp() < series.last:
            end = compute._next(start, window.calendar)
            good, total = series.window(start.timestamp(), end.timestamp())
            out.append((start.timestamp(), end.timestamp(), good, total))
            start = end
    else:
        length = float(window.length.seconds)
        end = (series.first // compute.DAY + 1) * compute.DAY
        while end < series.last:
            out.append((end - length, end, *series.window(end - length, end)))
            end += compute.DAY
        out.append((series.last - length, series.last, *series.window(series.last - length, series.last)))
    return [p for p in out if p[3] or p[2] or p is out[-1] and window.rolling]


buckets = st.lists(
    st.tuples(st.integers(0, 120 * 24 * 60), st.integers(0, 100), st.integers(0, 100)),
    min_size=1,
    max_size=200,
    unique_by=lambda b: b[0],
)


def series_of(rows, interval=60) -> compute.Series:
    return compute.Series(sorted((JAN + m * interval, min(g, n), max(g, n)) for m, g, n in rows), interval)


@settings(deadline=None)
@given(rows=buckets, outage=st.integers(0, 400))
def test_backtest_equals_a_bisection_per_end(rows, outage: int) -> None:
    rows = rows + [(10_000 + m, 0, 100) for m in range(outage)]  # an outage long enough to page
    rows = list({m: (m, g, n) for m, g, n in rows}.values())
    series = series_of(rows)
    slo = SPECS["api.slo.yaml"].slos[0]
    got = [(a.severity, a.fired, a.resolved) for a in compute.backtest(series, slo)]
    assert got == reference_backtest(series, slo)


@settings(deadline=None)
@given(
    counts=st.lists(st.tuples(st.integers(0, 100), st.integers(0, 100)), min_size=1, max_size=600),
    outage=st.integers(0, 400),
    interval=st.sampled_from([60, 7, 300]),
)
def test_backtest_without_gaps_equals_a_bisection_per_end(counts, outage: int, interval: int) -> None:
    # Every interval holds data (the usual export), some with no events: the gapless path.
    counts = counts + [(0, 100)] * outage
    series = compute.Series([(JAN + m * interval, min(g, n), max(g, n)) for m, (g, n) in enumerate(counts)], interval)
    slo = SPECS["api.slo.yaml"].slos[0]
    got = [(a.severity, a.fired, a.resolved) for a in compute.backtest(series, slo)]
    assert got == reference_backtest(series, slo)
    for seconds in (1.0, 300.0, 3600.0, 2.5 * interval):
        assert compute.error_ratios(series, seconds) == [
            (t - g) / t if t > 0 else -1.0 for g, t in (series.window(end - seconds, end) for end in series.ends)
        ]


@settings(deadline=None)
@given(rows=buckets, spread=st.sampled_from([60, 3600, 86400 * 3]))
def test_sparse_history_equals_every_period_with_data(rows, spread: int) -> None:
    series = series_of(rows, spread)
    for spec in SPECS.values():
        for item in [*spec.slos, *spec.slas]:
            got = [(p.start, p.end, p.good, p.total) for p in compute.periods(series, item.window)]
            assert got == reference_periods(series, item.window)
