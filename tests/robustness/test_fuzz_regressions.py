"""Failures the whole-CLI fuzz harness (tests/fuzz) found, each reproduced from its shape so it
stays fixed. Every run goes through tests.fuzz.harness.invoke, which fails on an escaped
exception, an exit status outside 0/1/2 or "internal error"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.fuzz.harness import invoke


@pytest.mark.parametrize("example", ["api.slo.yaml", "api.slo"])
def test_convert_to_openslo_of_a_window_openslo_cannot_write_is_one_line(tmp_path: Path, example: str) -> None:
    # A window under a minute has no OpenSLO duration: CompileError escaped `convert --to openslo`.
    text = (EXAMPLES / example).read_text()
    old = "window: 28d" if example.endswith(".yaml") else "over 28d {"
    assert old in text
    (tmp_path / example).write_text(text.replace(old, old.replace("28d", "1ms")))
    result = invoke(["convert", example, "--to", "openslo"], tmp_path)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"slospec: error: {example}: SLO 'availability': the window is 1ms, but OpenSLO durations have no "
        "seconds unit (m is the smallest); use whole minutes"
    ]


@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize(
    "target, window, message",
    [
        # Decimal ran out of digits printing a 10^29-week window, or "1 in" a budget of 28+ digits.
        ("100%", "99999999999999999999999999999w", "is longer than ten years (3650d)"),
        ("99%", "3651d", "is longer than ten years (3650d)"),
        ("99.9999999999999999999999999999999999%", "1d", "has more than 20 significant digits"),
        ("99.9%", "0.0001ms", "is shorter than a millisecond"),  # printed "0s per 0s"
    ],
)
def test_budget_outside_what_the_arithmetic_takes_is_a_usage_error(
    target: str, window: str, message: str, fmt: str
) -> None:
    result = invoke(["budget", "--format", fmt, "--", target, window], Path("."))
    assert result.exit_code == 2
    assert message in result.stderr and result.stdout == ""


@pytest.mark.parametrize(
    "target, window, bad",
    [
        ("99%", "3650d", "999999999999999999999999999999999.99"),
        ("99.99999999999999999%", "1ms", "9999999999999999.9999999999999999999"),
        ("0%", "year", "9" * 35),  # 28-digit arithmetic printed 10^35 bad events of 10^35 - 1
        ("100%", "1ms", "0"),
    ],
)
def test_budget_at_the_bounds_counts_every_digit(target: str, window: str, bad: str) -> None:
    result = invoke(["budget", "--events", "9" * 35, "--", target, window], Path("."))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Target:        {target} over ")
    assert f"Of {'9' * 35} events: {bad} may be bad" in result.stdout


@pytest.mark.parametrize("value", ["1e400", "1e30", "1" + "0" * 30, "1000000000000001"])
@pytest.mark.parametrize("command", [["lint", "--format", "json"], ["compile", "--target", "prometheus"]])
def test_a_burn_rate_past_10_to_the_15_is_slo002_at_its_line(tmp_path: Path, value: str, command: list[str]) -> None:
    # Exact arithmetic has 28 digits: a burn rate of 1e30 was an internal error in lint and compile.
    text = (EXAMPLES / "broken" / "alerting.slo.yaml").read_text()
    assert "burnRate: 6\n" in text
    text = text.replace("burnRate: 6\n", f"burnRate: {value}\n", 1)
    (tmp_path / "spec.slo.yaml").write_text(text)
    line = text[: text.index(f"burnRate: {value}")].count("\n") + 1
    result = invoke([*command, "spec.slo.yaml"], tmp_path)
    assert result.exit_code == 1, result.output
    assert "is more than 10^15" in result.output
    if command[0] == "lint":
        found = [d for d in json.loads(result.stdout) if d["code"] == "SLO002"]
        assert [d["line"] for d in found] == [line]
    else:
        assert f"spec.slo.yaml:{line}:" in result.stderr and result.stdout == ""


@pytest.mark.parametrize(
    "args",
    [
        ["compile", "--target", "openslo"],
        ["compile", "--target", "sloth"],
        ["compile", "--target", "prometheus"],
        ["convert", "--to", "openslo"],
    ],
)
def test_a_histogram_that_is_no_selector_is_one_line(tmp_path: Path, args: list[str]) -> None:
    # SLO006 does not block compilation; the OpenSLO and Sloth back ends let PromQLError escape.
    text = (EXAMPLES / "batch-jobs.slo.yaml").read_text()
    assert "histogram: task_duration_seconds" in text
    (tmp_path / "spec.slo.yaml").write_text(
        text.replace("histogram: task_duration_seconds", "histogram: t- ask_duration_seconds")
    )
    command = [*args[:1], "spec.slo.yaml", *args[1:]] if args[0] == "convert" else [*args, "spec.slo.yaml"]
    result = invoke(command, tmp_path)
    assert result.exit_code == 2 and result.stdout == "", result.output
    assert result.stderr.endswith(
        "SLI 'task-duration': 't- ask_duration_seconds{job=\"thumbnailer\"}' is not a metric selector (name{labels})\n"
    ), result.stderr


def test_prometheus_tests_with_a_query_that_does_not_parse_is_one_line(tmp_path: Path) -> None:
    # An unparsable probe next to alerting SLOs: PromQLError escaped `compile --target prometheus-tests`.
    text = (EXAMPLES / "broken" / "traffic-and-latency.slo.yaml").read_text()
    good = 'probe: probe_success{job="blackbox",instance="storefront"}'
    assert good in text
    (tmp_path / "spec.slo.yaml").write_text(text.replace(good, 'probe: probe_success{job="blackbox",inst'))
    result = invoke(["compile", "--target", "prometheus-tests", "spec.slo.yaml"], tmp_path)
    assert result.exit_code == 2, result.output
    assert "a query does not parse as PromQL" in result.stderr and "SLO006" in result.stderr


@pytest.mark.parametrize(
    "interval, status, message",
    [
        ("0s", 1, "operations.scrapeInterval: '0s' is zero"),  # ZeroDivisionError in the test generator
        ("500ms", 2, "promtool tests are generated for whole-second intervals; the scrape interval is 500ms"),
    ],
)
def test_prometheus_tests_with_a_zero_or_sub_second_scrape_is_one_line(
    tmp_path: Path, interval: str, status: int, message: str
) -> None:
    text = (EXAMPLES / "api.slo.yaml").read_text()
    assert "  scrapeInterval: 15s" in text
    (tmp_path / "spec.slo.yaml").write_text(text.replace("  scrapeInterval: 15s", f"  scrapeInterval: {interval}"))
    result = invoke(["compile", "--target", "prometheus-tests", "spec.slo.yaml"], tmp_path)
    assert result.exit_code == status, result.output
    assert message in result.output
