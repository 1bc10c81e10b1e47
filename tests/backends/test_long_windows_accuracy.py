"""The default long windows (sums of recorded 5m series) against the exact computation, on a
real Prometheus that holds days of synthetic traffic (issue 32, "Done when").

Two and a half days of counters, scraped every 15 s, with traffic that swings tenfold between
night and day, a night-time error ratio five times the day's, a 40-minute incident and a
process restart (both counters back to zero), are backfilled into a real Prometheus. The
generated rules' recorded series are then built as a server running them all along would
have built them (`promtool tsdb create-blocks-from rules`, in passes: a long window reads the
5m series an earlier pass recorded). At several times in the last day, every recorded long
window is compared with

- the truth: the generated integer counts in the window, exactly;
- Prometheus's own exact form (`increase()` over the raw counters for the whole window);
- `slospec eval` on the same counts (its window ratio and remaining budget),

and must be within the bound docs/backends/prometheus.md states: the recorded form weighs
only the events of the 5 minutes at either edge of the window differently, so it is off by
at most those events' distance from the window's error ratio, over the window's events."""

from __future__ import annotations

import json
import math
import statistics
import time
import urllib.parse
import urllib.request
from fractions import Fraction

import pytest

from slospec.compile import CompileOptions
from slospec.compile import prometheus as rules_backend
from slospec.evaluate import compute
from slospec.specmodel import model
from tests import prometheus_server
from tests.conftest import need_tool

STEP = 15  # scrape interval, seconds
DAY = 86400
DAYS = Fraction(5, 2)
RESTART = int(DAY * 1.2) // STEP  # the step at which the service restarts (counters to zero)
INCIDENT = range(int(DAY * 1.6) // STEP, int(DAY * 1.6 + 2400) // STEP)  # 40 minutes at 8 %
LABELS = '{slo_service="shop", slo_name="orders"}'
EDGE = 300 + 2 * STEP  # a 5m sample's range, plus the scrape steps its extrapolation spans


def spec() -> model.Spec:
    return model.build(
        {
            "apiVersion": "slospec/v1",
            "service": {"name": "shop", "owner": "team"},
            "operations": {"scrapeInterval": "15s", "evaluationInterval": "30s"},
            "slis": [{"name": "ok", "ratio": {"bad": 'orders_total{code="500"}', "total": "orders_total"}}],
            "slos": [{"name": "orders", "sli": "ok", "target": "99.5%", "window": "1d"}],
        },
        "shop.slo.yaml",
    )


def traffic(steps: int) -> list[tuple[int, int]]:
    """(bad, total) events per 15 s step: tenfold day/night swing, 0.2 % errors by day, 1 % at
    night, 8 % during the incident; errors spread by an accumulator so counts stay integers."""
    out, owed = [], 0.0
    for i in range(steps):
        phase = math.sin(2 * math.pi * i * STEP / DAY)
        total = round(55 + 45 * phase)  # 10 to 100 requests every 15 s
        share = 0.08 if i in INCIDENT else (0.002 if phase > 0 else 0.01)
        owed += total * share
        bad = min(total, int(owed))
        owed -= bad
        out.append((bad, total))
    return out


def openmetrics(events: list[tuple[int, int]], start: int) -> str:
    lines = ["# TYPE orders counter"]
    series: dict[str, list[str]] = {"500": [], "200": []}
    bad_count = good_count = 0
    for i, (bad, total) in enumerate(events):
        if i == RESTART:
            bad_count = good_count = 0  # the process restarted between two scrapes
        bad_count += bad
        good_count += total - bad
        ts = start + (i + 1) * STEP  # the scrape at the end of the step counts its events
        series["500"].append(f'orders_total{{code="500"}} {bad_count} {ts}')
        series["200"].append(f'orders_total{{code="200"}} {good_count} {ts}')
    return "\n".join([*lines, *series["500"], *series["200"], "# EOF"]) + "\n"


def query(port: int, expr: str, at: int) -> float:
    url = f"http://127.0.0.1:{port}/api/v1/query?" + urllib.parse.urlencode({"query": expr, "time": at})
    with urllib.request.urlopen(url, timeout=30) as response:
        result = json.load(response)["data"]["result"]
    assert len(result) == 1, (expr, at, result)
    return float(result[0]["value"][1])


def truth_and_bound(events: list[tuple[int, int]], start: int, at: int, window: int) -> tuple[Fraction, Fraction]:
    """The exact error ratio over (at - window, at] and the largest difference the recorded
    form can have from it: the events whose weight it changes (the 5 minutes, plus the
    extrapolated scrape steps, at either edge), each by its distance from the window's ratio,
    over the events it weighs fully."""

    def ends(i: int) -> int:
        return start + (i + 1) * STEP

    inside = [(b, t) for i, (b, t) in enumerate(events) if at - window < ends(i) <= at]
    truth = Fraction(sum(b for b, _ in inside), sum(t for _, t in inside))
    edges = [
        (b, t)
        for i, (b, t) in enumerate(events)
        if at - EDGE < ends(i) <= at or at - window - EDGE < ends(i) <= at - window + EDGE
    ]
    full = sum(t for i, (_, t) in enumerate(events) if at - window + EDGE < ends(i) <= at - EDGE)
    return truth, sum((abs(b - truth * t) for b, t in edges), Fraction(0)) / full


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    promtool, prometheus = need_tool("promtool"), need_tool("prometheus")
    work = tmp_path_factory.mktemp("long-windows")
    steps = int(DAYS * DAY) // STEP
    events = traffic(steps)
    end = (int(time.time()) // 3600 - 1) * 3600  # whole hours, in the past
    start = end - steps * STEP
    (work / "data.om").write_text(openmetrics(events, start))
    prometheus_server.backfill(promtool, work)
    (work / "prometheus.yml").write_text("global:\n  evaluation_interval: 30s\n")
    groups, _ = rules_backend.rule_groups(spec(), CompileOptions())
    passes = prometheus_server.backfill_rules(promtool, prometheus, work, groups, start, end)
    assert passes >= 2  # the 5m parts, then the windows that sum them
    with prometheus_server.running(prometheus, work, "--storage.tsdb.retention.time=90d") as port:
        prometheus_server.wait_ready(port)
        yield port, events, start, end, groups


def long_windows(groups: list[dict]) -> dict[str, int]:
    """record name -> window in seconds, for every window built from recorded series."""
    from slospec.specmodel.quantities import Duration

    out = {}
    for group in groups:
        for rule in group["rules"]:
            if rule.get("record", "").startswith("slo:sli_error:ratio_rate") and "sum_over_time" in rule["expr"]:
                out[rule["record"]] = int(Duration.parse(rule["record"].rsplit("rate", 1)[1]).seconds)
    return out


def test_the_default_builds_the_slo_window_and_the_ticket_window_from_recorded_series(server) -> None:
    *_, groups = server
    assert set(long_windows(groups).values()) == {DAY, 8640}  # 1d and the 2h24m ticket window
    raw_ranges = [
        rule["expr"] for group in groups for rule in group["rules"] if "rate(orders_total" in rule.get("expr", "")
    ]
    assert raw_ranges and not any("[1d]" in e or "[2h24m]" in e for e in raw_ranges)


def test_recorded_long_windows_are_within_the_stated_bound_of_the_exact_ratio(server) -> None:
    port, events, start, end, groups = server
    errors: dict[int, list[float]] = {}
    for record, window in long_windows(groups).items():
        for at in range(end - DAY + 3 * 3600, end + 1, 3 * 3600):
            truth, bound = truth_and_bound(events, start, at, window)
            recorded = query(port, f"{record}{LABELS}", at)
            exact = query(
                port,
                f'sum(increase(orders_total{{code="500"}}[{window}s])) / sum(increase(orders_total[{window}s]))',
                at,
            )
            assert abs(recorded - float(truth)) <= float(bound) + 1e-12, (record, at, recorded, float(truth), bound)
            # Prometheus's exact form is the truth (the scrapes are aligned: no extrapolation).
            assert math.isclose(exact, float(truth), rel_tol=1e-9), (record, at, exact, float(truth))
            errors.setdefault(window, []).append(abs(recorded - float(truth)) / float(truth))
    assert sorted(map(len, errors.values())) == [8, 8]
    # Measured: the 1d window within 0.07 % of the ratio (median), 1.1 % at worst (a check 36
    # minutes into the incident: its newest minutes are not fully counted yet); the 2h24m
    # ticket window within 0.3 % (median), 4.3 % at worst (the same check).
    assert statistics.median(errors[DAY]) < 0.002
    assert statistics.median(errors[8640]) < 0.01


def test_budget_remaining_agrees_with_eval_within_the_bound(server) -> None:
    port, events, start, end, _ = server
    buckets = [(start + i * STEP, t - b, t) for i, (b, t) in enumerate(events)]
    result = compute.evaluate(spec().slos[0], compute.Series(buckets, STEP))
    truth, bound = truth_and_bound(events, start, end, DAY)
    budget = 0.005
    assert result.remaining is not None
    assert math.isclose(result.remaining, 1 - float(truth) / budget, rel_tol=1e-9, abs_tol=1e-12)
    shown = query(port, f"slo:error_budget_remaining:ratio{LABELS}", end)
    assert abs(shown - result.remaining) <= float(bound) / budget + 1e-9, (shown, result.remaining)


def test_the_counter_reset_loses_no_events(server) -> None:
    """A window over the restart: the recorded and exact ratios still count every event."""
    port, events, start, _, groups = server
    (record,) = [r for r, w in long_windows(groups).items() if w == 8640]
    at = start + (RESTART + 240) * STEP  # an hour after the restart, inside the 2h24m window
    truth, bound = truth_and_bound(events, start, at, 8640)
    assert abs(query(port, f"{record}{LABELS}", at) - float(truth)) <= float(bound) + 1e-12


def test_the_incident_shows_in_the_ticket_window(server) -> None:
    port, events, start, _, groups = server
    (record,) = [r for r, w in long_windows(groups).items() if w == 8640]
    at = start + INCIDENT.stop * STEP
    truth, _ = truth_and_bound(events, start, at, 8640)
    assert truth > Fraction(1, 100)  # the incident dominates the window: burn rate above 2
    assert query(port, f"{record}{LABELS}", at) / 0.005 > 2


def test_the_bound_is_tight_enough_to_mean_something(server) -> None:
    """The stated bound is small against the window ratio: it would catch an average of 5m
    ratios (Sloth's form), which is off by 65 % under this traffic."""
    _, events, start, end, _ = server
    truth, bound = truth_and_bound(events, start, end, DAY)
    ratios = []
    for i in range(len(events) - DAY // STEP, len(events), 300 // STEP):
        chunk = events[i : i + 300 // STEP]
        total = sum(t for _, t in chunk)
        ratios.append(Fraction(sum(b for b, _ in chunk), total))
    averaged = sum(ratios, Fraction(0)) / len(ratios)
    assert bound < truth / 50  # within 2 % of the ratio, though the traffic swings tenfold
    assert abs(averaged - truth) > 10 * bound
