"""`slospec eval`: hand-computed cases (tickets, one minute a day, monthly SLA credits),
bad data, streaming memory, the alert backtest and the realism findings."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from slospec.api import load_specs
from slospec.config import Config
from slospec.evaluate import compute, inputs, promjson, runner
from tests.conftest import EXAMPLES, ROOT

JAN = 1767225600  # 2026-01-01T00:00:00Z
FEB = 1769904000  # 2026-02-01T00:00:00Z


def slospec(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "slospec", *args], cwd=cwd, capture_output=True, text=True, env=env)


def write_csv(path: Path, header: list[str], rows) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def tickets(path: Path, late_every: int, span: int = FEB - JAN) -> Path:
    """100 tickets spread over `span` seconds from January 1st in Berlin, the spec's time zone
    (by default the whole month, the last in its final minute); every `late_every`-th is
    answered after 6h, the rest in 2h."""
    start = JAN - 3600  # Berlin's midnight is 23:00 UTC in winter
    times = [start + i * (span // 100) for i in range(99)] + [start + span - 60]
    rows = [(t, "6h" if i % late_every == 0 else "2h") for i, t in enumerate(times)]
    return write_csv(path, ["created_at", "first_response_time"], rows)


def test_support_tickets_eighty_percent_within_four_hours(tmp_path: Path) -> None:
    data = tickets(tmp_path / "t.csv", late_every=10)  # 10 late of 100 -> 90 %
    result = slospec(
        "eval",
        str(EXAMPLES / "support.slo.yaml"),
        "--data",
        str(data),
        "--column",
        "timestamp=created_at",
        "--format",
        "json",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    (slo,) = json.loads(result.stdout)["slos"]
    assert (slo["good"], slo["total"], slo["attainment"]) == (90, 100, 0.9)
    assert slo["met"] is True and slo["budget_events"] == pytest.approx(20)
    worse = tickets(tmp_path / "w.csv", late_every=4)  # 25 late -> 75 %, below 80 %
    result = slospec(
        "eval",
        str(EXAMPLES / "support.slo.yaml"),
        "--data",
        str(worse),
        "--column",
        "timestamp=created_at",
        cwd=tmp_path,
    )
    assert result.returncode == 1 and "75% over a calendar month (target 80%) - MISSED" in result.stdout
    assert "  data: covers the whole window\n" in result.stdout


def test_a_month_still_running_is_so_far_never_missed(tmp_path: Path) -> None:
    # Issue 26.4: the same 75 % over the first 4 days of the month can still recover.
    partial = tickets(tmp_path / "p.csv", late_every=4, span=4 * 86400)
    result = slospec(
        "eval",
        str(EXAMPLES / "support.slo.yaml"),
        "--data",
        str(partial),
        "--column",
        "timestamp=created_at",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "75% over a calendar month (target 80%) - so far" in result.stdout
    assert "  data: covers 4d of 31d (13%)" in result.stdout
    assert "MISSED" not in result.stdout


def probes(path: Path, bad_per_day: list[int]) -> Path:
    """A probe every 5 s for each day; the first `bad` probes of a day fail."""
    rows = []
    for day, bad in enumerate(bad_per_day):
        start = JAN + day * 86400 + 5 * 3600  # New York midnight is 05:00 UTC in January
        rows += [(start + i * 5, "0" if i < bad else "1") for i in range(17280)]
    return write_csv(path, ["timestamp", "good"], rows)


def test_one_minute_of_downtime_per_day(tmp_path: Path) -> None:
    data = probes(tmp_path / "p.csv", [11, 13])  # 55 s then 65 s of downtime
    specs, _ = load_specs([str(EXAMPLES / "uptime-daily.slo.yaml")], Config())
    series, rows = runner.load(specs[0], "gateway-up", {"": [data]}, {}, interval=5)
    assert rows == 2 * 17280
    result = compute.evaluate(specs[0].slos[0], series)
    days = [(p.label, round(p.attainment * 17280)) for p in result.history if p.total]
    assert days == [("2026-01-01", 17280 - 11), ("2026-01-02", 17280 - 13)]
    assert [p.attainment >= result.target for p in result.history if p.total] == [True, False]


def counts_csv(path: Path, months: list[tuple[int, int, float]]) -> Path:
    """Hourly counts: (start, hours, error ratio) per stretch; 10,000 requests an hour."""
    rows = []
    for start, hours, ratio in months:
        rows += [(start + h * 3600, 10000 - round(10000 * ratio), 10000) for h in range(hours)]
    return write_csv(path, ["timestamp", "good", "total"], rows)


def test_calendar_month_sla_credits(tmp_path: Path) -> None:
    data = counts_csv(tmp_path / "c.csv", [(JAN, 31 * 24, 0.0005), (FEB, 28 * 24, 0.005)])
    result = slospec(
        "eval",
        str(EXAMPLES / "checkout-sla.slo.yaml"),
        "--data",
        str(data),
        "--format",
        "json",
        "--interval",
        "3600",
        cwd=tmp_path,
    )
    periods = json.loads(result.stdout)["slas"][0]["periods"]
    assert [(p["period"], round(p["attainment"], 6), p["met"], p["credit"]) for p in periods] == [
        ("2026-01", 0.9995, True, None),
        ("2026-02", 0.995, False, "10"),
    ]
    assert result.returncode == 1  # the last SLA period was missed


def test_unsorted_rows_give_the_same_result(tmp_path: Path) -> None:
    rows = [(JAN + h * 3600, 9990, 10000) for h in range(48)]
    sorted_path = write_csv(tmp_path / "s.csv", ["timestamp", "good", "total"], rows)
    shuffled = write_csv(tmp_path / "u.csv", ["timestamp", "good", "total"], list(reversed(rows)))
    specs, _ = load_specs([str(EXAMPLES / "api.slo.yaml")], Config())
    a, _ = runner.load(specs[0], "requests-ok", {"": [sorted_path]}, {})
    b, _ = runner.load(specs[0], "requests-ok", {"": [shuffled]}, {})
    assert a.cum_total == b.cum_total and a.cum_good == b.cum_good


@pytest.mark.parametrize(
    ("header", "row", "message"),
    [
        (["time", "good", "total"], ["1", "1", "1"], "no column 'timestamp'"),
        (["timestamp", "good", "total"], ["1", "-5", "1"], "counts cannot be negative"),
        (["timestamp", "good", "total"], ["1", "5", "1"], "good (5) is not between 0 and total (1)"),
        (["timestamp", "good", "total"], ["yesterday", "1", "1"], "is not a timestamp"),
        (["timestamp", "value"], ["1", "abc"], "needs a 'good' column"),
    ],
)
def test_bad_data_is_a_clear_error_not_a_traceback(tmp_path: Path, header, row, message) -> None:
    data = write_csv(tmp_path / "bad.csv", header, [row])
    result = slospec("eval", str(EXAMPLES / "api.slo.yaml"), "--data", str(data), "--sli", "requests-ok", cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_prometheus_counter_resets_are_handled(tmp_path: Path) -> None:
    def matrix(values):
        return {
            "status": "success",
            "data": {
                "resultType": "matrix",
                "result": [{"metric": {}, "values": [[JAN + i * 60, str(v)] for i, v in enumerate(values)]}],
            },
        }

    (tmp_path / "bad.json").write_text(json.dumps(matrix([0, 1, 2, 0, 1])))  # restart after 2
    (tmp_path / "total.json").write_text(json.dumps(matrix([0, 100, 200, 50, 150])))
    counts = inputs.Counts()
    promjson.read_prometheus(tmp_path / "bad.json", tmp_path / "total.json", counts, part_is_bad=True)
    series = counts.series()
    assert sum(t for _, _, t in series) == 100 + 100 + 50 + 100
    assert sum(t - g for _, g, t in series) == 1 + 1 + 0 + 1


def test_backtest_uses_the_generated_tiers(tmp_path: Path) -> None:
    # 99.95 % over 28d: healthy for 2 hours, then 30 minutes of total outage.
    rows = [(JAN + m * 60, 0 if 120 <= m < 150 else 100, 100) for m in range(400)]
    data = write_csv(tmp_path / "o.csv", ["timestamp", "good", "total"], rows)
    specs, _ = load_specs([str(EXAMPLES / "api.slo.yaml")], Config())
    series, _ = runner.load(specs[0], "requests-ok", {"": [data]}, {})
    result = compute.evaluate(specs[0].slos[0], series)
    page = next(a for a in result.alerts if a.severity == "page")
    # the first minute of the outage already holds 1/56 of the long window: 1.8 % > 14.4 x 0.05 %
    assert page.fired == JAN + 121 * 60
    assert page.resolved is not None and page.resolved > JAN + 150 * 60


def test_history_findings(tmp_path: Path) -> None:
    spec = tmp_path / "s.slo.yaml"
    spec.write_text((EXAMPLES / "api.slo.yaml").read_text().replace("window: 28d", "window: 1d"))
    always_bad = counts_csv(tmp_path / "bad.csv", [(JAN, 7 * 24, 0.001)])
    result = slospec(
        "eval", str(spec), "--data", str(always_bad), "--sli", "requests-ok", "--interval", "3600", cwd=tmp_path
    )
    assert "SLO108 [warning]" in result.stdout
    great = counts_csv(tmp_path / "good.csv", [(JAN, 7 * 24, 0.00001)])
    spec.write_text(spec.read_text().replace("target: 99.95%", "target: 99%"))
    result = slospec(
        "eval", str(spec), "--data", str(great), "--sli", "requests-ok", "--interval", "3600", cwd=tmp_path
    )
    assert "SLO109 [info]" in result.stdout


def test_markdown_report_has_tables_and_a_chart(tmp_path: Path) -> None:
    data = counts_csv(tmp_path / "c.csv", [(JAN, 31 * 24, 0.0005)])
    result = slospec(
        "eval",
        str(EXAMPLES / "checkout-sla.slo.yaml"),
        "--data",
        str(data),
        "--format",
        "markdown",
        "--interval",
        "3600",
        cwd=tmp_path,
    )
    assert "| checkout-availability | 99.95% | 28d |" in result.stdout
    assert "<svg" in result.stdout and "## SLA enterprise-checkout" in result.stdout


def test_memory_stays_flat_on_a_large_event_file(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("w") as handle:
        handle.write("timestamp,good\n")
        for i in range(200_000):
            handle.write(f"{JAN + i},{'0' if i % 1000 == 0 else '1'}\n")
    specs, _ = load_specs([str(EXAMPLES / "api.slo.yaml")], Config())
    tracemalloc.start()
    series, rows = runner.load(specs[0], "requests-ok", {"": [path]}, {})
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert rows == 200_000
    assert peak < path.stat().st_size  # per-minute buckets, not rows, are kept
