"""Eval results as text, JSON or Markdown (with a dependency-free SVG burn-down chart)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from slospec.evaluate.compute import Episode, Period, SlaPeriod, SloResult
from slospec.specmodel.model import SLA
from slospec.specmodel.quantities import format_compact, format_decimal, format_percent, format_ratio, readable_percent


def _pct(value: float | None, *neighbours: float) -> str:
    """A measured share as people read it (slospec.specmodel.quantities.format_ratio, the one formatter):
    the digits that matter, and enough to tell it from the target it is compared with."""
    return "n/a" if value is None else format_ratio(value, *neighbours)


def _target(target: Decimal) -> str:
    """A target as written (99.95%), or readable when it repeats (1 minute a day: 99.931%)."""
    return readable_percent(target)


def _when(ts: float | None) -> str:
    return "-" if ts is None else datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M UTC")  # zone said


def as_data(results: list[SloResult], slas: list[tuple[SLA, list[SlaPeriod]]]) -> dict[str, Any]:
    out: dict[str, list[dict[str, Any]]] = {"slos": [], "slas": []}
    for r in results:
        out["slos"].append(
            {
                "slo": r.slo.name,
                "target": format_decimal(r.slo.target),
                "window": str(r.slo.window),
                "attainment": r.latest.attainment,
                "met": r.met,
                "verdict": r.verdict,
                "budgeting": r.slo.budgeting.method,
                "unit": r.unit,
                "coverage": r.latest.coverage,
                "complete": r.complete,
                "good": r.latest.good,
                "total": r.latest.total,
                "bad": r.bad,
                "budget_events": r.budget_events,
                "budget_remaining": r.remaining,
                "burn_rate": r.burn_rate,
                "exhaustion_seconds": r.exhaustion_seconds,
                "history": [
                    {
                        "period": p.label,
                        "attainment": p.attainment,
                        "good": p.good,
                        "total": p.total,
                        "coverage": p.coverage,
                        "complete": p.complete,
                    }
                    for p in r.history
                ],
                "alerts": [{"severity": a.severity, "fired": a.fired, "resolved": a.resolved} for a in r.alerts],
                "alert_episodes": [
                    {
                        "severity": e.severity,
                        "first_fired": e.first_fired,
                        "last_resolved": e.last_resolved,
                        "count": e.count,
                    }
                    for e in r.episodes
                ],
            }
        )
    for sla, periods in slas:
        out["slas"].append(
            {
                "sla": sla.name,
                "target": format_decimal(sla.target),
                "periods": [
                    {
                        "period": p.period.label,
                        "attainment": p.period.attainment,
                        "met": p.met,
                        "verdict": p.verdict,
                        "coverage": p.period.coverage,
                        "complete": p.complete,
                        "credit": None if p.credit is None else format_decimal(p.credit),
                    }
                    for p in periods
                ],
            }
        )
    return out


def _rough(seconds: float) -> str:
    """A forecast as people read it: its two leading units (1283d16h, 4h12m, 35s)."""
    whole = int(seconds)
    for size, next_size in ((86400, 3600), (3600, 60), (60, 1)):
        if whole >= size:
            whole = round(whole / next_size) * next_size
            break
    return format_compact(Decimal(whole))


def episode_text(episode: Episode) -> str:
    """One firing as before ('fired ..., resolved ...'); a flapping one as its episode."""
    if episode.count == 1:
        return f"fired {_when(episode.first_fired)}, resolved {_when(episode.last_resolved)}"
    return (
        f"fired {episode.count} times from {_when(episode.first_fired)}, last resolved {_when(episode.last_resolved)}"
    )


def coverage_text(period: Period) -> str:
    """How much of a window the data covers: 'covers the whole window', or '4h of 28d (0.6%)'."""
    if period.complete:
        return "covers the whole window"
    span = period.end - period.start
    return f"covers {_rough(period.coverage * span)} of {_rough(span)} ({format_ratio(period.coverage)})"


def counted_text(r: SloResult) -> str:
    """What the budget counts: events, or time slices (the budgeting method)."""
    if r.unit == "events":
        return (
            f"  events: {r.latest.good:.0f} good of {r.latest.total:.0f}; budget {r.budget_events:.1f} bad "
            f"events, used {r.bad:.0f}, remaining {_pct(r.remaining)}"
        )
    budgeting = r.slo.budgeting
    size = f"{budgeting.slice} slices" if budgeting.slice is not None else "slices"
    if budgeting.method == "ratio-timeslices":
        return (
            f"  {size}: {r.latest.total:.0f} with events, mean good ratio {_pct(r.latest.attainment, r.target)}; budget "
            f"{r.budget_events:.1f} slices' worth, used {r.bad:.1f}, remaining {_pct(r.remaining)}"
        )
    return (
        f"  {size}: {r.latest.good:.0f} good of {r.latest.total:.0f} with events; budget {r.budget_events:.1f} bad "
        f"slices, used {r.bad:.0f}, remaining {_pct(r.remaining)}"
    )


def text(results: list[SloResult], slas: list[tuple[SLA, list[SlaPeriod]]]) -> str:
    lines = []
    for r in results:
        state = {"met": "met", "missed": "MISSED", "so far": "so far"}[r.verdict]
        lines.append(
            f"SLO {r.slo.name}: {_pct(r.latest.attainment, r.target)} over {r.slo.window.phrase} "
            f"(target {_target(r.slo.target)}) - {state}"
        )
        lines.append(f"  data: {coverage_text(r.latest)}")
        lines.append(counted_text(r))
        if r.burn_rate is not None:
            exhaustion = (
                ""
                if r.exhaustion_seconds is None
                else f"; budget gone in about {_rough(r.exhaustion_seconds)} at this rate"
            )
            lines.append(f"  current burn rate: {r.burn_rate:.2f}x{exhaustion}")
        for episode in r.episodes:
            lines.append(f"  alert {episode.severity}: {episode_text(episode)}")
        if r.history:
            # Only periods the data covers whole are judged; the others are said apart.
            whole = [p for p in r.history if p.complete]
            missed = sum(1 for p in whole if p.attainment is not None and p.attainment < r.target)
            count = len(whole)
            open_ = len(r.history) - count
            partly = f"; {open_} more covered in part, not judged" if open_ else ""
            lines.append(f"  history: {count} period{'' if count == 1 else 's'}, target missed in {missed}{partly}")
    for sla, periods in slas:
        for p in periods:
            credit = "" if p.credit is None else f", credit owed {format_percent(p.credit)}"
            state = p.verdict if p.complete else f"so far, data {coverage_text(p.period)}"
            attained = _pct(p.period.attainment, float(sla.target / 100))
            lines.append(f"SLA {sla.name} {p.period.label}: {attained} ({state}{credit})")
    return "\n".join(lines) + "\n"


def svg_burndown(result: SloResult, width: int = 480, height: int = 160) -> str:
    """Error budget remaining at the end of each history period, as a small line chart."""
    points = [(p.label, p) for p in result.history] or [("latest", result.latest)]
    values = []
    for _, p in points:
        budget = result.budget_ratio * p.total
        values.append(1.0 if budget == 0 else max(-1.0, 1 - (p.total - p.good) / budget))
    step = width / max(1, len(values) - 1)
    coords = " ".join(f"{i * step:.1f},{(1 - (v + 1) / 2) * height:.1f}" for i, v in enumerate(values))
    zero = height / 2
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="error budget remaining">'
        f'<line x1="0" y1="{zero}" x2="{width}" y2="{zero}" stroke="#999" stroke-dasharray="4"/>'
        f'<polyline fill="none" stroke="#c0392b" stroke-width="2" points="{coords}"/></svg>'
    )


def markdown(results: list[SloResult], slas: list[tuple[SLA, list[SlaPeriod]]]) -> str:
    lines = [
        "# Service-level evaluation",
        "",
        "| SLO | Target | Window | Attainment | Budget remaining | Burn rate | Result | Data covers |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        burn = "n/a" if r.burn_rate is None else f"{r.burn_rate:.2f}x"
        lines.append(
            f"| {r.slo.name} | {_target(r.slo.target)} | {r.slo.window.phrase} | "
            f"{_pct(r.latest.attainment, r.target)} | {_pct(r.remaining)} | {burn} | {r.verdict} | {_covers(r.latest)} |"
        )
    for r in results:
        lines += [
            "",
            f"## {r.slo.name}",
            "",
            "Error budget remaining per period (dashed line: budget exhausted):",
            "",
            svg_burndown(r),
            "",
        ]
        if r.episodes:
            lines += ["| Alert | Fired | Resolved | Times fired |", "|---|---|---|---|"]
            lines += [
                f"| {e.severity} | {_when(e.first_fired)} | {_when(e.last_resolved)} | {e.count} |" for e in r.episodes
            ]
    for sla, periods in slas:
        lines += [
            "",
            f"## SLA {sla.name}",
            "",
            "| Period | Attainment | Result | Credit owed | Data covers |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| {p.period.label} | {_pct(p.period.attainment, float(sla.target / 100))} | {p.verdict} | "
            f"{'-' if p.credit is None else format_percent(p.credit)} | {_covers(p.period)} |"
            for p in periods
        ]
    return "\n".join(lines) + "\n"


def _covers(period: Period) -> str:
    return "all" if period.complete else coverage_text(period).removeprefix("covers ")


def as_json(results: list[SloResult], slas: list[tuple[SLA, list[SlaPeriod]]]) -> str:
    return json.dumps(as_data(results, slas), indent=2) + "\n"
