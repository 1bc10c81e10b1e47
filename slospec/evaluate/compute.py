"""Attainment, error budget, burn rate, SLA credits and an alert backtest from interval counts.

Windows are half-open `(end - w, end]` over interval buckets, like Prometheus ranges over
aligned samples; the backtest uses exactly the tiers the generated rules use
(slospec.alerting.tiers_for).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from slospec.alerting import tiers_for
from slospec.model import HUNDRED, SLA, SLO, Window

DAY = 86400


class Series:
    """Cumulative sums over sorted buckets, for O(log n) window totals."""

    def __init__(self, buckets: list[tuple[int, float, float]], interval: int):
        self.interval = interval
        self.ends = [t + interval for t, _, _ in buckets]
        self.cum_good = [0.0]
        self.cum_total = [0.0]
        for _, good, total in buckets:
            self.cum_good.append(self.cum_good[-1] + float(good))
            self.cum_total.append(self.cum_total[-1] + float(total))

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

    @property
    def attainment(self) -> float | None:
        return None if self.total == 0 else self.good / self.total


@dataclass
class AlertEvent:
    severity: str
    fired: float
    resolved: float | None


@dataclass
class SloResult:
    slo: SLO
    latest: Period
    history: list[Period]
    budget_ratio: float
    burn_rate: float | None
    exhaustion_seconds: float | None
    alerts: list[AlertEvent] = field(default_factory=list)

    @property
    def target(self) -> float:
        return float(self.slo.target / HUNDRED)

    @property
    def met(self) -> bool:
        a = self.latest.attainment
        return a is None or a >= self.target

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
    """Calendar periods touched by the data; for rolling windows, windows ending each day."""
    out = []
    if not window.rolling:
        tz = ZoneInfo(window.time_zone or "UTC")
        start = _period_start(datetime.fromtimestamp(series.first, tz), window.calendar)
        while start.timestamp() < series.last:
            end = _next(start, window.calendar)
            good, total = series.window(start.timestamp(), end.timestamp())
            out.append(Period(_label(start.timestamp(), tz, window.calendar), start.timestamp(), end.timestamp(),
                              good, total))
            start = end
        return out
    length = float(window.length.seconds)
    end = (series.first // DAY + 1) * DAY
    while end < series.last:
        good, total = series.window(end - length, end)
        out.append(Period(datetime.fromtimestamp(end, ZoneInfo("UTC")).strftime("%Y-%m-%d"), end - length, end,
                          good, total))
        end += DAY
    good, total = series.window(series.last - length, series.last)
    out.append(Period("latest", series.last - length, series.last, good, total))
    return out


def backtest(series: Series, slo: SLO) -> list[AlertEvent]:
    budget = float(slo.budget)
    tiers = tiers_for(slo)
    events: list[AlertEvent] = []
    open_: dict[str, AlertEvent] = {}
    for end in series.ends:
        firing = set()
        for tier in tiers:
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
                open_[severity] = AlertEvent(severity, end, None)
                events.append(open_[severity])
            elif severity not in firing and severity in open_:
                open_.pop(severity).resolved = end
    return events


def evaluate(slo: SLO, series: Series) -> SloResult:
    window = slo.window
    history = periods(series, window)
    latest = history[-1]
    budget = float(slo.budget)
    tiers = tiers_for(slo)
    short = min((t.short_window.seconds for t in tiers), default=Decimal(3600))
    good, total = series.window(series.last - float(short), series.last)
    burn = None if total == 0 or budget == 0 else ((total - good) / total) / budget
    result = SloResult(slo, latest, history if not window.rolling else history[:-1], budget, burn, None)
    if burn and result.remaining is not None and result.remaining > 0:
        result.exhaustion_seconds = result.remaining * float(window.length.seconds) / burn
    result.alerts = backtest(series, slo)
    return result


def credit_for(sla: SLA, attainment: float) -> Decimal | None:
    owed = None
    for tier in sla.credits:
        if attainment < float(tier.below / HUNDRED) and (owed is None or tier.credit > owed):
            owed = tier.credit
    return owed


def evaluate_sla(sla: SLA, series: Series) -> list[SlaPeriod]:
    out = []
    for period in periods(series, sla.window):
        if period.label == "latest" and not sla.window.rolling:
            continue
        attainment = period.attainment
        if attainment is None:
            continue
        met = attainment >= float(sla.target / HUNDRED)
        out.append(SlaPeriod(period, met, None if met else credit_for(sla, attainment)))
    return out
