"""eval honours the budgeting method and says how much of each window its data covers (issue 26,
cases 3 and 4); every expected number is computed here from the counts, by OpenSLO's definitions."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from slospec.evaluate import compute
from slospec.rules import get
from slospec.rules.base import Context
from slospec.specmodel import model
from tests.evaluate.test_eval import JAN, slospec, write_csv

DAY = 86400


def spec_of(slo: dict[str, Any], sla: dict[str, Any] | None = None) -> model.Spec:
    data: dict[str, Any] = {
        "apiVersion": "slospec/v1",
        "service": {"name": "api", "owner": "team"},
        "slis": [{"name": "ok", "ratio": {"bad": 'http_requests_total{code=~"5.."}', "total": "http_requests_total"}}],
        "slos": [{"name": "avail", "sli": "ok", **slo}],
    }
    if sla is not None:
        data["slas"] = [{"name": "contract", "slo": "avail", **sla}]
    return model.build(data, "api.slo.yaml")


def one_day(bad_minutes: set[int]) -> list[tuple[int, int, int]]:
    """1,000 requests a minute for a day: 0.5 % fail, every request of `bad_minutes` fails."""
    return [(JAN + m * 60, 0 if m in bad_minutes else 995, 1000) for m in range(1440)]


# Two 5-minute slices (10 minutes) fail completely; every other minute is 99.5 % good.
ROWS = one_day(set(range(600, 610)))


def reference(method: str, slice_target: Fraction) -> Fraction:
    """Attainment by OpenSLO's definition, from the rows (5m slices aligned to the hour)."""
    if method == "occurrences":
        return Fraction(sum(g for _, g, _ in ROWS), sum(n for _, _, n in ROWS))
    slices: dict[int, list[int]] = {}
    for t, g, n in ROWS:
        sums = slices.setdefault(t // 300, [0, 0])
        sums[0] += g
        sums[1] += n
    ratios = [Fraction(g, n) for g, n in slices.values()]
    if method == "ratio-timeslices":
        return sum(ratios, Fraction(0)) / len(ratios)
    return Fraction(sum(1 for r in ratios if r >= slice_target), len(ratios))


@pytest.mark.parametrize(
    ("method", "met"),
    [("occurrences", False), ("timeslices", True), ("ratio-timeslices", False)],
)
def test_eval_counts_the_budget_the_way_the_spec_says(method: str, met: bool) -> None:
    budgeting: dict[str, Any] = {"method": method}
    if method != "occurrences":
        budgeting |= {"slice": "5m", "sliceTarget": "99%"} if method == "timeslices" else {"slice": "5m"}
    spec = spec_of({"target": "99%", "window": "1d", "budgeting": budgeting})
    result = compute.evaluate(spec.slos[0], compute.Series(ROWS, 60))
    expected = reference(method, Fraction(99, 100))
    assert result.latest.attainment == pytest.approx(float(expected), abs=1e-12)
    assert result.met is met and result.complete
    assert result.remaining == pytest.approx(float(1 - (1 - expected) / Fraction(1, 100)), abs=1e-9)
    if method == "timeslices":
        # The shape: 286 of 288 slices good, as lint's SLO107 counts slices.
        assert (result.latest.good, result.latest.total, result.unit) == (286, 288, "slices")


def test_timeslices_text_says_slices(tmp_path: Path) -> None:
    spec = tmp_path / "api.slo.yaml"
    spec.write_text(
        "apiVersion: slospec/v1\nservice: {name: api, owner: team}\n"
        "slis:\n  - name: ok\n    ratio: {bad: 'x{code=\"5\"}', total: x}\n"
        "slos:\n  - {name: avail, sli: ok, target: 99%, window: 1d,"
        " budgeting: {method: timeslices, slice: 5m, sliceTarget: 99%}}\n"
    )
    data = write_csv(tmp_path / "c.csv", ["timestamp", "good", "total"], ROWS)
    result = slospec("eval", str(spec), "--data", str(data), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "99.31% over 1d (target 99%) - met" in result.stdout
    assert "  5m slices: 286 good of 288 with events; budget 2.9 bad slices, used 2, remaining 31%" in result.stdout


def test_slices_the_buckets_do_not_divide_are_refused() -> None:
    spec = spec_of({"target": "99%", "window": "1d", "budgeting": {"method": "timeslices", "slice": "90s"}})
    with pytest.raises(compute.EvalError, match="1m30s slices.*--interval that divides 90 seconds"):
        compute.evaluate(spec.slos[0], compute.Series(ROWS, 60))


# --- case 4: coverage, "so far", complete windows only ----------------------------------------


def hourly(days: float, error: float = 0.003) -> list[tuple[int, int, int]]:
    return [(JAN + h * 3600, round(10000 * (1 - error)), 10000) for h in range(int(days * 24))]


def test_four_hours_of_data_are_not_a_28_day_verdict() -> None:
    spec = spec_of({"target": "99.9%", "window": "28d"})
    result = compute.evaluate(spec.slos[0], compute.Series(hourly(4 / 24, 0.0001), 3600))
    assert not result.complete and result.verdict == "so far" and not result.missed
    assert result.latest.coverage == pytest.approx(4 / (28 * 24))
    rule = get("SLO109")
    assert rule is not None and rule.check_data is not None
    assert list(rule.check_data(result, Context(rule.options, None))) == []  # type: ignore[arg-type]


def test_history_rules_count_complete_non_overlapping_windows() -> None:
    spec = spec_of({"target": "99.95%", "window": "28d"})
    rule = get("SLO108")
    assert rule is not None and rule.check_data is not None
    ten_days = compute.evaluate(spec.slos[0], compute.Series(hourly(10), 3600))
    assert ten_days.judged_windows() == []
    assert list(rule.check_data(ten_days, Context(rule.options, None))) == []  # type: ignore[arg-type]
    # 60 days: two complete 28-day windows that do not overlap (not 33 overlapping ones).
    sixty = compute.evaluate(spec.slos[0], compute.Series(hourly(60), 3600))
    windows = sixty.judged_windows()
    assert len(windows) == 2 and windows[0].end <= windows[1].start
    (finding,) = rule.check_data(sixty, Context(rule.options, None))  # type: ignore[arg-type]
    assert "in 2 of 2 complete non-overlapping windows of 28d" in finding.message


def test_a_running_sla_month_owes_nothing_yet(tmp_path: Path) -> None:
    # Issue 26.4: 4 days of a calendar month at 99.7 % against a 99.9 % SLA with credits.
    spec = spec_of(
        {"target": "99.9%", "window": {"calendar": "month"}},
        {"target": "99.9%", "window": {"calendar": "month"}, "credits": [{"below": "99.9%", "credit": "10%"}]},
    )
    series = compute.Series(hourly(4), 3600)
    (period,) = compute.evaluate_sla(spec.slas[0], series)
    assert (period.verdict, period.credit, period.missed) == ("so far", None, False)
    assert period.period.coverage == pytest.approx(4 / 31)
    # The whole month at the same rate: missed, 10 % owed.
    (whole,) = compute.evaluate_sla(spec.slas[0], compute.Series(hourly(31), 3600))
    assert (whole.verdict, whole.credit, whole.missed) == ("missed", 10, True)


def test_json_says_how_much_of_each_window_the_data_covers(tmp_path: Path) -> None:
    spec = tmp_path / "api.slo.yaml"
    spec.write_text(
        "apiVersion: slospec/v1\nservice: {name: api, owner: team}\n"
        "slis:\n  - name: ok\n    ratio: {bad: 'x{code=\"5\"}', total: x}\n"
        "slos:\n  - {name: avail, sli: ok, target: 99.9%, window: 28d}\n"
    )
    data = write_csv(tmp_path / "c.csv", ["timestamp", "good", "total"], hourly(4 / 24, 0.01))
    hourly_buckets = ("--interval", "3600")
    result = slospec("eval", str(spec), "--data", str(data), *hourly_buckets, "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr  # 99 % so far: not a miss
    (slo,) = json.loads(result.stdout)["slos"]
    assert (slo["verdict"], slo["complete"]) == ("so far", False)
    assert slo["coverage"] == pytest.approx(4 / (28 * 24))
    text = slospec("eval", str(spec), "--data", str(data), *hourly_buckets, cwd=tmp_path).stdout
    assert "  data: covers 4h of 28d (0.6%)" in text and "- so far" in text


# --- case 5: a flapping page is one episode -----------------------------------------------------


def test_a_flapping_page_is_one_episode_in_every_format() -> None:
    from slospec.evaluate import report

    # Two days in which every 30th minute fails whole (the page fires and resolves 96 times),
    # then a clean day.
    rows = [(JAN + m * 60, 0 if m % 30 == 14 and m < 2880 else 1000, 1000) for m in range(3 * 1440)]
    spec = spec_of({"target": "99.9%", "window": "28d"})
    result = compute.evaluate(spec.slos[0], compute.Series(rows, 60))
    pages = [a for a in result.alerts if a.severity == "page"]
    assert len(pages) == 96
    (episode,) = [e for e in result.episodes if e.severity == "page"]
    assert (episode.count, episode.first_fired, episode.last_resolved) == (96, pages[0].fired, pages[-1].resolved)
    text = report.text([result], [])
    page_lines = [line for line in text.splitlines() if line.startswith("  alert page")]
    first, last = report._when(pages[0].fired), report._when(pages[-1].resolved)
    assert (first, last) == ("2026-01-01 00:15 UTC", "2026-01-03 00:13 UTC")  # 28m after the last bad minute
    assert page_lines == [f"  alert page: fired 96 times from {first}, last resolved {last}"]
    data = report.as_data([result], [])
    assert [e["count"] for e in data["slos"][0]["alert_episodes"] if e["severity"] == "page"] == [96]
    markdown = report.markdown([result], [])
    assert f"| page | {first} | {last} | 96 |" in markdown
    assert markdown.count("| page |") == 1


def test_firings_far_apart_stay_separate_episodes() -> None:
    # Two outages a day apart: two episodes, each said as before (fired ..., resolved ...).
    rows = [(JAN + m * 60, 0 if m in (100, 1540) else 1000, 1000) for m in range(2 * 1440)]
    spec = spec_of({"target": "99.9%", "window": "28d"})
    result = compute.evaluate(spec.slos[0], compute.Series(rows, 60))
    assert [e.count for e in result.episodes if e.severity == "page"] == [1, 1]


# --- case 8: numbers people read --------------------------------------------------------------


def test_a_time_budget_target_reads_as_people_say_it() -> None:
    from slospec.evaluate import report

    spec = spec_of({"allowedDowntime": "1m", "window": "1d"})
    rows = [(JAN + m * 60, 1000, 1000) for m in range(1440)]
    text = report.text([compute.evaluate(spec.slos[0], compute.Series(rows, 60))], [])
    assert "100% over 1d (target 99.931%) - met" in text, text
    assert "99.9305555" not in text
