"""`slospec eval --format html`: one self-contained page (inline CSS and SVG, nothing fetched).

Per SLO: the text report's numbers in a table; the SLI against its target over the data; the
error budget of the latest window burning down, with the projection at the current burn rate;
the alert backtest's episodes on a timeline. Per SLA: each period's attainment against the
target and the credit thresholds. Every chart has axes with dates (UTC) and units. The numbers
are formatted by the text report's own helpers, so the page says what `--format text` says.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from slospec.evaluate.compute import Series, SlaPeriod, SloResult
from slospec.evaluate.report import _pct, _rough, _when, counted_text, coverage_text, episode_text
from slospec.specmodel.model import HUNDRED, SLA
from slospec.specmodel.quantities import format_percent

WIDTH, HEIGHT = 760, 240
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 28, 42
POINTS = 400  # samples per line: enough for the eye, small pages for years of data
COLORS = {"sli": "#1f6feb", "window": "#8250df", "target": "#cf222e", "budget": "#1a7f37", "projection": "#9a6700"}
SEVERITY = {"page": "#cf222e", "ticket": "#bf8700"}

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:820px;color:#1f2328}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}
h3{font-size:1rem;margin:1.2rem 0 .3rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem}
th,td{border:1px solid #d0d7de;padding:.25rem .6rem;text-align:left}th{background:#f6f8fa}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.met{color:#1a7f37;font-weight:600}.missed{color:#cf222e;font-weight:600}
.note{color:#57606a;font-size:.85rem}
svg{display:block;margin:.4rem 0 1rem;background:#fff}
svg text{font-family:inherit;font-size:11px;fill:#57606a}
svg .title{font-size:12px;fill:#1f2328;font-weight:600}
"""


def _e(value: object) -> str:
    return html.escape(str(value))


# --- a small chart -----------------------------------------------------------------------------


@dataclass
class Line:
    label: str
    color: str
    points: list[tuple[float, float]]
    dashed: bool = False


@dataclass
class Chart:
    """A time (x, UTC) by value (y) chart: lines, horizontal rules, bars and spans."""

    title: str
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    y_format: str = "percent"  # percent | ratio
    lines: list[Line] = field(default_factory=list)
    rules: list[tuple[float, str, str]] = field(default_factory=list)  # (y, label, color)
    spans: list[tuple[float, float, float, float, str, str]] = field(default_factory=list)  # x0, x1, y0, y1, color, tip
    lanes: list[str] = field(default_factory=list)  # category names on the y axis (timelines)
    height: int = HEIGHT
    x_label: str = "time (UTC)"  # "": the caller draws a category axis

    def x(self, t: float) -> float:
        lo, hi = self.x_range
        return LEFT + (t - lo) / (hi - lo or 1) * (WIDTH - LEFT - RIGHT)

    def y(self, v: float) -> float:
        lo, hi = self.y_range
        return self.height - BOTTOM - (v - lo) / (hi - lo or 1) * (self.height - TOP - BOTTOM)

    def y_label(self, v: float) -> str:
        if self.y_format == "percent":
            span = self.y_range[1] - self.y_range[0]
            digits = max(0, min(4, 1 - math.floor(math.log10(span * 100)) if span > 0 else 2))
            return f"{v * 100:.{digits}f}%"
        return f"{v:g}"

    def svg(self) -> str:
        out = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{self.height}" '
            f'viewBox="0 0 {WIDTH} {self.height}" role="img" aria-label="{_e(self.title)}">',
            f'<text class="title" x="{LEFT}" y="16">{_e(self.title)}</text>',
        ]
        bottom, right = self.height - BOTTOM, WIDTH - RIGHT
        # y axis: ticks and grid lines, or the lanes of a timeline
        if self.lanes:
            for i, lane in enumerate(self.lanes):
                mid = self.y(i + 0.5)
                out.append(f'<text x="{LEFT - 6}" y="{mid + 4:.1f}" text-anchor="end">{_e(lane)}</text>')
        else:
            for v in _ticks(*self.y_range):
                yy = self.y(v)
                out.append(f'<line x1="{LEFT}" y1="{yy:.1f}" x2="{right}" y2="{yy:.1f}" stroke="#eaeef2"/>')
                out.append(f'<text x="{LEFT - 6}" y="{yy + 4:.1f}" text-anchor="end">{self.y_label(v)}</text>')
        # x axis: dates
        for t, label in _time_ticks(*self.x_range) if self.x_label.startswith("time") else []:
            xx = self.x(t)
            out.append(f'<line x1="{xx:.1f}" y1="{TOP}" x2="{xx:.1f}" y2="{bottom}" stroke="#eaeef2"/>')
            out.append(f'<text x="{xx:.1f}" y="{bottom + 16}" text-anchor="middle">{_e(label)}</text>')
        out.append(f'<text x="{right}" y="{self.height - 6}" text-anchor="end">{_e(self.x_label)}</text>')
        out.append(
            f'<line x1="{LEFT}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#57606a"/>'
            f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}" stroke="#57606a"/>'
        )
        for x0, x1, y0, y1, color, tip in self.spans:
            left, width = self.x(x0), max(2.0, self.x(x1) - self.x(x0))
            top, height = self.y(y1), self.y(y0) - self.y(y1)
            out.append(
                f'<rect x="{left:.1f}" y="{top:.1f}" width="{width:.1f}" height="{height:.1f}" fill="{color}" '
                f'opacity="0.85"><title>{_e(tip)}</title></rect>'
            )
        for value, label, color in self.rules:
            yy = self.y(value)
            out.append(
                f'<line x1="{LEFT}" y1="{yy:.1f}" x2="{right}" y2="{yy:.1f}" stroke="{color}" '
                'stroke-width="1.5" stroke-dasharray="6 4"/>'
                f'<text x="{right - 4}" y="{yy - 4:.1f}" text-anchor="end" style="fill:{color}">{_e(label)}</text>'
            )
        legend_x: float = LEFT + 8
        for line in self.lines:
            if not line.points:
                continue
            coords = " ".join(f"{self.x(t):.1f},{self.y(v):.1f}" for t, v in line.points)
            dash = ' stroke-dasharray="6 4"' if line.dashed else ""
            out.append(
                f'<polyline fill="none" stroke="{line.color}" stroke-width="2"{dash} points="{coords}">'
                f"<title>{_e(line.label)}</title></polyline>"
            )
            out.append(
                f'<rect x="{legend_x:.1f}" y="{TOP + 4}" width="12" height="3" fill="{line.color}"/>'
                f'<text x="{legend_x + 16:.1f}" y="{TOP + 9}">{_e(line.label)}</text>'
            )
            legend_x += 24 + 6.2 * len(line.label)
        out.append("</svg>")
        return "".join(out)


def _ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    if hi <= lo:
        return [lo]
    raw = (hi - lo) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(lo / step) * step
    return [first + i * step for i in range(int((hi - first) / step + 1e-9) + 1)]


_TIME_STEPS = [60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 2 * 86400, 7 * 86400, 14 * 86400]


def _time_ticks(lo: float, hi: float, count: int = 6) -> list[tuple[float, str]]:
    span = hi - lo
    if span <= 0:
        return [(lo, datetime.fromtimestamp(lo, UTC).strftime("%Y-%m-%d %H:%M"))]
    step = next((s for s in _TIME_STEPS if span / s <= count), None)
    if step is None:  # months and years: first days of months
        months = max(1, math.ceil(span / (30 * 86400) / count))
        out = []
        moment = datetime.fromtimestamp(lo, UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        while moment.timestamp() <= hi:
            if moment.timestamp() >= lo:
                out.append((moment.timestamp(), moment.strftime("%Y-%m-%d")))
            month = moment.month - 1 + months
            moment = moment.replace(year=moment.year + month // 12, month=month % 12 + 1)
        return out
    fmt = "%Y-%m-%d" if step >= 86400 else "%m-%d %H:%M"
    first = math.ceil(lo / step) * step
    return [(t, datetime.fromtimestamp(t, UTC).strftime(fmt)) for t in _frange(first, hi, step)]


def _frange(start: float, stop: float, step: float) -> list[float]:
    return [start + i * step for i in range(int((stop - start) / step) + 1)]


def _value_range(values: Sequence[float], *must: float) -> tuple[float, float]:
    lo, hi = min([*values, *must]), max([*values, *must])
    pad = (hi - lo) * 0.08 or max(abs(hi) * 0.01, 0.001)
    return lo - pad, hi + pad


# --- the charts --------------------------------------------------------------------------------


def _sample_times(lo: float, hi: float) -> list[float]:
    if hi <= lo:
        return [hi]
    return [lo + (hi - lo) * i / (POINTS - 1) for i in range(POINTS)]


def sli_chart(result: SloResult, series: Series) -> str:
    slo = result.slo
    target = result.target
    length = float(slo.window.length.seconds)
    times = _sample_times(series.first + series.interval, series.last)
    step = (times[1] - times[0]) if len(times) > 1 else float(series.interval)
    step = max(step, float(series.interval))
    periods = [(p.start, p.end) for p in result.history] + [(result.latest.start, result.latest.end)]
    window_line, step_line = [], []
    for t in times:
        if slo.window.rolling:
            start = t - length
        else:  # calendar windows: the period so far
            start = next((s for s, e in periods if s < t <= e), t - length)
        good, total = series.window(start, t)
        if total > 0:
            window_line.append((t, good / total))
        good, total = series.window(t - step, t)
        if total > 0:
            step_line.append((t, good / total))
    if not window_line:
        return '<p class="note">No events in the data: nothing to draw.</p>'
    # The window's SLI and the target set the scale; a short outage's dip in the per-step
    # SLI would flatten them into one line, so that line is clipped at the bottom.
    floor = min([v for _, v in window_line] + [target - 2 * (1 - target)])
    clipped = any(v < floor for _, v in step_line)
    step_line = [(t, max(v, floor)) for t, v in step_line]
    values = [v for _, v in window_line + step_line]
    what = (
        f"SLI over {slo.window.length} (rolling)"
        if slo.window.rolling
        else f"SLI over the calendar {slo.window.calendar} so far"
    )
    chart = Chart(
        f"SLI against the target {format_percent(slo.target)} (good share of events)",
        (times[0] - step, times[-1]),
        _value_range(values, target, 1.0),
        lines=[
            Line(f"SLI per {_rough(step)}" + (" (clipped)" if clipped else ""), COLORS["sli"], step_line),
            Line(what, COLORS["window"], window_line),
        ],
        rules=[(target, f"target {format_percent(slo.target)}", COLORS["target"])],
    )
    return chart.svg()


def burndown_chart(result: SloResult, series: Series) -> str:
    """Budget remaining over the latest window: 1 - bad so far / the window's budget; it ends
    at the report's figure. The projection continues at the current burn rate."""
    latest = result.latest
    budget = result.budget_events
    if budget == 0:
        return '<p class="note">No error budget in the latest window (no events): no burn-down.</p>'
    start = max(latest.start, series.first)
    end = min(latest.end, series.last)  # a calendar period ends after the data: stop at the data
    times = _sample_times(start, end)
    line = []
    for t in times:
        good, total = series.window(latest.start, t)
        line.append((t, 1 - (total - good) / budget))
    lines = [Line("budget remaining", COLORS["budget"], line)]
    remaining = result.remaining if result.remaining is not None else line[-1][1]
    x_hi = end
    if result.exhaustion_seconds is not None and result.burn_rate:
        horizon = min(result.exhaustion_seconds, float(result.slo.window.length.seconds))
        drop = remaining * horizon / result.exhaustion_seconds
        lines.append(
            Line(
                f"at {result.burn_rate:.2f}x: gone in about {_rough(result.exhaustion_seconds)}",
                COLORS["projection"],
                [(end, remaining), (end + horizon, remaining - drop)],
                dashed=True,
            )
        )
        x_hi = end + horizon
    values = [v for ln in lines for _, v in ln.points]
    chart = Chart(
        f"Error budget remaining: {_pct(result.remaining, 1)} of {budget:.1f} bad events",
        (start, x_hi),
        _value_range(values, 0.0, 1.0),
        lines=lines,
        rules=[(0.0, "budget exhausted", COLORS["target"])],
    )
    return chart.svg()


def alerts_chart(result: SloResult, series: Series) -> str:
    lanes = ["page", "ticket"]
    spans = []
    for alert in result.alerts:
        lane = lanes.index(alert.severity) if alert.severity in lanes else 0
        end = alert.resolved if alert.resolved is not None else series.last
        tip = f"{alert.severity}: fired {_when(alert.fired)}, resolved {_when(alert.resolved)}"
        spans.append((alert.fired, end, lane + 0.15, lane + 0.85, SEVERITY.get(alert.severity, "#57606a"), tip))
    count = len(result.alerts)
    title = f"Alert backtest: {count} episode{'' if count == 1 else 's'} of the generated burn-rate alerts"
    chart = Chart(
        title,
        (series.first, series.last),
        (0.0, float(len(lanes))),
        spans=spans,
        lanes=lanes,
        height=130,
    )
    return chart.svg()


def sla_chart(sla: SLA, periods: list[SlaPeriod]) -> str:
    """Attainment per period as bars against the target and the credit thresholds."""
    target = float(sla.target / HUNDRED)
    values = [p.period.attainment for p in periods if p.period.attainment is not None]
    if not values:
        return ""
    floors = [float(c.below / HUNDRED) for c in sla.credits]
    lo, hi = _value_range(values, target, 1.0)
    lo = min(lo, *(f for f in floors if f > lo - (hi - lo)), target) if floors else lo
    n = len(periods)
    plot = WIDTH - LEFT - RIGHT
    width = plot / max(n, 1)
    chart = Chart(
        f"SLA {sla.display_name or sla.name}: attainment per {sla.window.calendar or sla.window.length}",
        (0, 1),
        (lo, hi),
        x_label="period",
    )
    out = chart.svg().removesuffix("</svg>")
    # bars and their labels (a category axis: the periods)
    bottom = chart.y(lo)
    parts = []
    for i, p in enumerate(periods):
        a = p.period.attainment
        if a is None:
            continue
        x0 = LEFT + i * width + width * 0.15
        top = chart.y(a)
        color = "#1a7f37" if p.met else "#cf222e"
        tip = f"{p.period.label}: {_pct(a)}" + ("" if p.credit is None else f", credit {format_percent(p.credit)}")
        parts.append(
            f'<rect x="{x0:.1f}" y="{top:.1f}" width="{width * 0.7:.1f}" height="{max(1.0, bottom - top):.1f}" '
            f'fill="{color}" opacity="0.8"><title>{_e(tip)}</title></rect>'
            f'<text x="{x0 + width * 0.35:.1f}" y="{chart.height - BOTTOM + 28}" text-anchor="middle">'
            f"{_e(p.period.label)}</text>"
        )
        if p.credit is not None:
            parts.append(
                f'<text x="{x0 + width * 0.35:.1f}" y="{top - 4:.1f}" text-anchor="middle" style="fill:#cf222e">'
                f"{_e(format_percent(p.credit))} credit</text>"
            )
    rules = {target: (f"target {format_percent(sla.target)}", COLORS["target"])}
    for c in sla.credits:
        below = float(c.below / HUNDRED)
        label = f"below {format_percent(c.below)}: {format_percent(c.credit)} credit"
        rules[below] = (f"{rules[below][0]}; {label}", rules[below][1]) if below in rules else (label, "#9a6700")
    for value, (label, color) in rules.items():
        if not lo <= value <= hi:
            continue
        yy = chart.y(value)
        parts.append(
            f'<line x1="{LEFT}" y1="{yy:.1f}" x2="{WIDTH - RIGHT}" y2="{yy:.1f}" stroke="{color}" stroke-dasharray="6 4"/>'
            f'<text x="{WIDTH - RIGHT - 4}" y="{yy - 4:.1f}" text-anchor="end" style="fill:{color}">{_e(label)}</text>'
        )
    return out + "".join(parts) + "</svg>"


# --- the page ----------------------------------------------------------------------------------


def _state(r: SloResult) -> str:
    """met, MISSED or so far: the text report's verdict, coloured."""
    css = {"met": "met", "missed": "missed"}.get(r.verdict, "")
    return f'<span class="{css}">{ {"missed": "MISSED"}.get(r.verdict, r.verdict) }</span>'


def _summary(r: SloResult) -> str:
    """The text report's lines for one SLO, as a table (the same helpers, the same figures)."""
    counted, _, detail = counted_text(r).strip().partition(": ")
    rows = [
        ("Attainment", f"{_pct(r.latest.attainment, r.target)} over {r.slo.window.phrase}"),
        ("Target", format_percent(r.slo.target)),
        ("Result", _state(r)),
        ("Data", coverage_text(r.latest)),
        (counted[:1].upper() + counted[1:], detail),
    ]
    if r.burn_rate is not None:
        burn = f"{r.burn_rate:.2f}x"
        if r.exhaustion_seconds is not None:
            burn += f"; budget gone in about {_rough(r.exhaustion_seconds)} at this rate"
        rows.append(("Current burn rate", burn))
    if r.history:
        whole = [p for p in r.history if p.complete]
        missed = sum(1 for p in whole if p.attainment is not None and p.attainment < r.target)
        open_ = len(r.history) - len(whole)
        partly = f"; {open_} more covered in part, not judged" if open_ else ""
        rows.append(
            ("History", f"{len(whole)} period{'' if len(whole) == 1 else 's'}, target missed in {missed}{partly}")
        )
    body = "".join(f"<tr><th>{_e(k)}</th><td>{v if k == 'Result' else _e(v)}</td></tr>" for k, v in rows)
    return f"<table>{body}</table>"


def _alerts_table(r: SloResult) -> str:
    if not r.episodes:
        return '<p class="note">No alert episodes in the backtest.</p>'
    rows = "".join(f"<tr><td>{_e(e.severity)}</td><td>{_e(episode_text(e))}</td></tr>" for e in r.episodes)
    return (
        f"<details><summary>{len(r.episodes)} alert episodes</summary>"
        f"<table><tr><th>Alert</th><th>Episode</th></tr>{rows}</table></details>"
    )


def _sla_section(sla: SLA, periods: list[SlaPeriod]) -> str:
    rows = "".join(
        f'<tr><td>{_e(p.period.label)}</td><td class="num">{_e(_pct(p.period.attainment, float(sla.target / 100)))}</td>'
        f'<td class="{p.verdict if p.complete else ""}">'
        f"{_e(p.verdict if p.complete else 'so far, data ' + coverage_text(p.period))}</td>"
        f"<td>{'-' if p.credit is None else _e(format_percent(p.credit))}</td></tr>"
        for p in periods
    )
    return (
        f"<h2>SLA {_e(sla.display_name or sla.name)}</h2>"
        f"<p>Target {_e(format_percent(sla.target))} per {_e(sla.window.phrase)}.</p>"
        + sla_chart(sla, periods)
        + f"<table><tr><th>Period</th><th>Attainment</th><th>Result</th><th>Credit owed</th></tr>{rows}</table>"
    )


def render(
    results: list[SloResult], slas: list[tuple[SLA, list[SlaPeriod]]], series: Sequence[Series | None] = ()
) -> str:
    """The page; `series[i]` is the data results[i] was computed from (no time charts without it)."""
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Service-level evaluation</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>Service-level evaluation</h1>",
        f'<p class="note">Generated by slospec eval on {generated}; times in UTC.</p>',
        "<table><tr><th>SLO</th><th>Target</th><th>Window</th><th>Attainment</th>"
        "<th>Budget remaining</th><th>Burn rate</th><th>Result</th></tr>",
    ]
    for r in results:
        burn = "n/a" if r.burn_rate is None else f"{r.burn_rate:.2f}x"
        parts.append(
            f"<tr><td>{_e(r.slo.name)}</td><td>{_e(format_percent(r.slo.target))}</td><td>{_e(r.slo.window.phrase)}</td>"
            f'<td class="num">{_e(_pct(r.latest.attainment, r.target))}</td><td class="num">{_e(_pct(r.remaining, 1))}</td>'
            f'<td class="num">{_e(burn)}</td><td>{_state(r)}</td></tr>'
        )
    parts.append("</table>")
    for i, r in enumerate(results):
        data = series[i] if i < len(series) else None
        parts.append(f"<h2>SLO {_e(r.slo.name)}</h2>")
        if r.slo.description:
            parts.append(f"<p>{_e(r.slo.description)}</p>")
        parts.append(_summary(r))
        if data is not None:
            parts += [sli_chart(r, data), burndown_chart(r, data), alerts_chart(r, data)]
        parts.append(_alerts_table(r))
    for sla, periods in slas:
        parts.append(_sla_section(sla, periods))
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
