"""Attainment, error budget, burn rate, SLA credits and an alert backtest from interval counts.

Windows are half-open `(end - w, end]` over interval buckets, like Prometheus ranges over
aligned samples; the backtest uses exactly the tiers the generated rules use
(slospec.slo.alerting.tiers_for).
"""

from __future__ import annotations

import bisect
import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import SupportsFloat
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slospec.errors import SlospecError
from slospec.slo.alerting import tiers_for
from slospec.specmodel.model import HUNDRED, SLA, SLI, SLO, Budgeting, Window

DAY = 86400


class EvalError(SlospecError):
    """A spec value eval cannot work with (an unknown time zone)."""


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise EvalError(f"unknown time zone {name!r}; write an IANA name such as Europe/Berlin or UTC") from None


class Series:
    """Cumulative sums over sorted buckets, for O(log n) window totals."""

    def __init__(self, buckets: Sequence[tuple[int, SupportsFloat, SupportsFloat]], interval: int):
        # Bucket sums arrive exact (int or Decimal); each becomes one correctly rounded float.
        self.interval = interval
        self.ends = [t + interval for t, _, _ in buckets]
        self.cum_good = [0.0]
        self.cum_total = [0.0]
        good_sum = total_sum = 0.0
        for _, good, total in buckets:
            good_sum += float(good)
            total_sum += float(total)
            self.cum_good.append(good_sum)
            self.cum_total.append(total_sum)

    @property
    def first(self) -> float:
        return self.ends[0] - self.interval

    @property
    def last(self) -> float:
        return self.ends[-1]

    def window(self, start: float, end: float) -> tuple[float, float]:
        """(good, total) of the buckets ending in (start, end]."""
        lo = bisect.bisect_right(self.ends, start)
        hi = bisect.bisect_right(self.ends, end)
        return self.cum_good[hi] - self.cum_good[lo], self.cum_total[hi] - self.cum_total[lo]


@dataclass
class Period:
    label: str
    start: float
    end: float
    good: float
    total: float
    coverage: float = 1.0  # the share of (start, end] the data spans

    @property
    def attainment(self) -> float | None:
        return None if self.total == 0 else self.good / self.total

    @property
    def complete(self) -> bool:
        """The data spans the whole period: only then is a verdict final."""
        return self.coverage >= 1


@dataclass
class AlertEvent:
    severity: str
    fired: float
    resolved: float | None


@dataclass
class Episode:
    """Firings of one severity that belong together: each fired again before `gap` seconds
    had passed since the previous one resolved (a flapping page is one episode)."""

    severity: str
    first_fired: float
    last_resolved: float | None
    count: int


def episodes(alerts: list[AlertEvent], gaps: dict[str, float]) -> list[Episode]:
    """The backtest's firings collapsed into episodes, in order of their first firing."""
    out: list[Episode] = []
    open_by: dict[str, Episode] = {}
    for alert in sorted(alerts, key=lambda a: a.fired):
        current = open_by.get(alert.severity)
        gap = gaps.get(alert.severity, 0.0)
        if current is not None and current.last_resolved is not None and alert.fired - current.last_resolved <= gap:
            current.last_resolved = alert.resolved
            current.count += 1
            continue
        current = Episode(alert.severity, alert.fired, alert.resolved, 1)
        open_by[alert.severity] = current
        out.append(current)
    return out


@dataclass
class SloResult:
    slo: SLO
    latest: Period
    history: list[Period]
    budget_ratio: float
    burn_rate: float | None
    exhaustion_seconds: float | None
    alerts: list[AlertEvent] = field(default_factory=list)
    unit: str = "events"
    episodes: list[Episode] = field(
        default_factory=list
    )  # what good and total count: events, or slices (the budgeting method)

    @property
    def target(self) -> float:
        return float(self.slo.target / HUNDRED)

    @property
    def met(self) -> bool:
        a = self.latest.attainment
        return a is None or a >= self.target

    @property
    def complete(self) -> bool:
        return self.latest.complete

    @property
    def missed(self) -> bool:
        """Missed for good: the last window the data covers whole is below target (for a
        calendar window, the last complete period). A window still running, or only partly
        covered, can recover: it is "so far", never missed."""
        final = [p.attainment for p in [*self.history, self.latest] if p.complete]
        return bool(final) and final[-1] is not None and final[-1] < self.target

    @property
    def verdict(self) -> str:
        return "so far" if not self.complete else "met" if self.met else "missed"

    def judged_windows(self) -> list[Period]:
        """The windows a verdict on history may count: complete ones, and for a rolling
        window only non-overlapping ones (from the latest back), so no event counts twice."""
        windows = [p for p in [*self.history, self.latest] if p.complete and p.attainment is not None]
        if not self.slo.window.rolling:
            return list({p.label: p for p in windows}.values())
        chosen: list[Period] = []
        for p in sorted(windows, key=lambda p: p.end, reverse=True):
            if not chosen or p.end <= chosen[-1].start:
                chosen.append(p)
        return chosen[::-1]

    @property
    def bad(self) -> float:
        return self.latest.total - self.latest.good

    @property
    def budget_events(self) -> float:
        return self.budget_ratio * self.latest.total

    @property
    def remaining(self) -> float | None:
        if self.budget_events == 0:
            return None
        return 1 - self.bad / self.budget_events


@dataclass
class SlaPeriod:
    period: Period
    met: bool
    credit: Decimal | None

    @property
    def complete(self) -> bool:
        return self.period.complete

    @property
    def missed(self) -> bool:
        return self.complete and not self.met

    @property
    def verdict(self) -> str:
        return "so far" if not self.complete else "met" if self.met else "missed"


def _label(ts: float, tz: ZoneInfo, calendar: str) -> str:
    moment = datetime.fromtimestamp(ts, tz)
    if calendar == "quarter":
        return f"{moment.year}-Q{(moment.month - 1) // 3 + 1}"
    return moment.strftime({"day": "%Y-%m-%d", "week": "week of %Y-%m-%d", "month": "%Y-%m", "year": "%Y"}[calendar])


def _period_start(moment: datetime, calendar: str) -> datetime:
    moment = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if calendar == "week":
        return moment - timedelta(days=moment.weekday())
    if calendar == "month":
        return moment.replace(day=1)
    if calendar == "quarter":
        return moment.replace(month=(moment.month - 1) // 3 * 3 + 1, day=1)
    if calendar == "year":
        return moment.replace(month=1, day=1)
    return moment


def _next(start: datetime, calendar: str) -> datetime:
    if calendar == "day":
        return start + timedelta(days=1)
    if calendar == "week":
        return start + timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[calendar]
    month = start.month - 1 + months
    return start.replace(year=start.year + month // 12, month=month % 12 + 1)


def periods(series: Series, window: Window) -> list[Period]:
    """Calendar periods holding data; for rolling windows, windows ending each day that hold data.

    Periods without data are skipped by jumping to the next bucket, so the work follows the
    data, not the span (two rows in 1970 and 9998 are two periods, not three million).
    """
    out = []
    ends = series.ends
    calendar = window.calendar  # None for a rolling window
    if calendar is not None:
        tz = zone(window.time_zone)
        start = _period_start(datetime.fromtimestamp(series.first, tz), calendar)
        while start.timestamp() < series.last:
            end = _next(start, calendar)
            good, total = series.window(start.timestamp(), end.timestamp())
            if total or good:
                out.append(
                    Period(_label(start.timestamp(), tz, calendar), start.timestamp(), end.timestamp(), good, total)
                )
                start = end
                continue
            following = bisect.bisect_right(ends, end.timestamp())
            if following == len(ends):
                break
            # the period whose (start, end] holds the next bucket's end
            jump = _period_start(datetime.fromtimestamp(ends[following] - 0.001, tz), calendar)
            start = jump if jump > end else end
        return out
    length = float(window.length.seconds)
    day_end = (series.first // DAY + 1) * DAY
    while day_end < series.last:
        good, total = series.window(day_end - length, day_end)
        if total or good:
            out.append(
                Period(
                    datetime.fromtimestamp(day_end, ZoneInfo("UTC")).strftime("%Y-%m-%d"),
                    day_end - length,
                    day_end,
                    good,
                    total,
                )
            )
            day_end += DAY
            continue
        following = bisect.bisect_right(ends, day_end)
        if following == len(ends):
            break
        day_end = max(day_end + DAY, math.ceil(ends[following] / DAY) * DAY)
    good, total = series.window(series.last - length, series.last)
    out.append(Period("latest", series.last - length, series.last, good, total))
    return out


def error_ratios(series: Series, seconds: float) -> list[float]:
    """Bad share of the window (end - seconds, end] at every bucket end (-1 where it holds no events).

    One sweep with two pointers (the window start only moves forward), the same windows as
    Series.window without a bisection per end.
    """
    ends, cum_good, cum_total = series.ends, series.cum_good, series.cum_total
    n = len(ends)
    if n and float(seconds).is_integer() and ends[-1] - ends[0] == (n - 1) * series.interval:
        # No gaps (the usual export): a window of whole seconds holds the last `k` buckets,
        # so the sums at its start are the cumulative sums shifted by k: the same
        # subtractions as the sweep below, a list at a time.
        k = min(n, -(-int(seconds) // series.interval))
        totals = list(map(operator.sub, cum_total[1:], [cum_total[0]] * k + cum_total[1 : n - k + 1]))
        goods = list(map(operator.sub, cum_good[1:], [cum_good[0]] * k + cum_good[1 : n - k + 1]))
        return [(total - good) / total if total > 0 else -1.0 for total, good in zip(totals, goods, strict=True)]
    out = []
    lo = 0
    for hi, end in enumerate(ends, start=1):
        start = end - seconds
        while ends[lo] <= start:
            lo += 1
        total = cum_total[hi] - cum_total[lo]
        out.append((total - (cum_good[hi] - cum_good[lo])) / total if total > 0 else -1.0)
    return out


def backtest(series: Series, slo: SLO) -> list[AlertEvent]:
    budget = float(slo.budget)
    tiers = tiers_for(slo)
    ratios: dict[float, list[float]] = {}
    for tier in tiers:
        for w in (tier.long_window, tier.short_window):
            if float(w.seconds) not in ratios:
                ratios[float(w.seconds)] = error_ratios(series, float(w.seconds))
    firing_at: dict[str, list[bool]] = {}
    for tier in tiers:
        threshold = float(tier.burn_rate) * budget
        long_, short = ratios[float(tier.long_window.seconds)], ratios[float(tier.short_window.seconds)]
        fires = [a > threshold and b > threshold for a, b in zip(long_, short, strict=True)]
        if tier.severity in firing_at:
            fires = [a or b for a, b in zip(firing_at[tier.severity], fires, strict=True)]
        firing_at[tier.severity] = fires
    events: list[AlertEvent] = []
    for severity in ("page", "ticket"):
        fired = firing_at.get(severity)
        if fired is None:
            continue
        open_event = None
        for end, firing in zip(series.ends, fired, strict=True):
            if firing and open_event is None:
                open_event = AlertEvent(severity, end, None)
                events.append(open_event)
            elif not firing and open_event is not None:
                open_event.resolved = end
                open_event = None
    events.sort(key=lambda e: (e.fired, ("page", "ticket").index(e.severity)))
    return events


def covered(found: list[Period], series: Series, rolling: bool) -> list[Period]:
    """Each period's share of its span the data covers (the data's first bucket to its last).

    A rolling window ends with the data (its end may be rounded up to a whole slice), so only
    its start can lack data; a calendar period can lack both ends (the month still running)."""
    for p in found:
        span = p.end - p.start
        end = min(p.end, series.last)
        start = end - span if rolling else p.start
        inside = end - max(start, series.first)
        p.coverage = 1.0 if span <= 0 else max(0.0, min(1.0, inside / span))
    return found


def budget_series(name: str, budgeting: Budgeting | None, sli: SLI | None, series: Series) -> tuple[Series, str]:
    """The series the budget counts: the events themselves, or one bucket per time slice."""
    from slospec.evaluate import slices

    if budgeting is None or slices.judged_by_events(budgeting, sli):
        return series, "events"
    return slices.slice_series(name, budgeting, series), "slices"


def evaluate(slo: SLO, series: Series) -> SloResult:
    window = slo.window
    counted, unit = budget_series(f"SLO {slo.name!r}", slo.budgeting, slo.sli, series)
    history = covered(periods(counted, window), series, window.rolling)
    latest = history[-1]
    budget = float(slo.budget)
    tiers = tiers_for(slo)
    short = min((t.short_window.seconds for t in tiers), default=Decimal(3600))
    good, total = series.window(series.last - float(short), series.last)
    burn = None if total == 0 or budget == 0 else ((total - good) / total) / budget
    result = SloResult(slo, latest, history if not window.rolling else history[:-1], budget, burn, None, unit=unit)
    if burn and result.remaining is not None and result.remaining > 0:
        result.exhaustion_seconds = result.remaining * float(window.length.seconds) / burn
    result.alerts = backtest(series, slo)
    # A firing within the severity's longest alert window of the last one is the same burn.
    gaps: dict[str, float] = {}
    for tier in tiers:
        gaps[tier.severity] = max(gaps.get(tier.severity, 0.0), float(tier.long_window.seconds))
    result.episodes = episodes(result.alerts, gaps)
    return result


def credit_for(sla: SLA, attainment: float) -> Decimal | None:
    owed = None
    for tier in sla.credits:
        if attainment < float(tier.below / HUNDRED) and (owed is None or tier.credit > owed):
            owed = tier.credit
    return owed


def evaluate_sla(sla: SLA, series: Series) -> list[SlaPeriod]:
    out = []
    budgeting = sla.budgeting or (sla.slo.budgeting if sla.slo is not None else None)
    counted, _unit = budget_series(f"SLA {sla.name!r}", budgeting, sla.sli, series)
    for period in covered(periods(counted, sla.window), series, sla.window.rolling):
        if period.label == "latest" and not sla.window.rolling:
            continue
        attainment = period.attainment
        if attainment is None:
            continue
        met = attainment >= float(sla.target / HUNDRED)
        final = met or not period.complete  # a period still running owes nothing yet
        out.append(SlaPeriod(period, met, None if final else credit_for(sla, attainment)))
    return out
