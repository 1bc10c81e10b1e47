"""Numbers you can bet a contract on (issue 26): the rules' arithmetic held to answers computed
by hand, through promtool, for off-bucket thresholds and every budgeting method."""

from __future__ import annotations

import subprocess
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from slospec import compile as backends
from slospec.api import lint_text
from slospec.compile import CompileError, CompileOptions, yamlout
from slospec.config import Config
from slospec.specmodel import model
from tests.conftest import need_tool


def spec_of(sli: dict[str, Any], slo: dict[str, Any]) -> model.Spec:
    return model.build(
        {
            "apiVersion": "slospec/v1",
            "service": {"name": "search", "owner": "team"},
            "slis": [{"name": "fast", **sli}],
            "slos": [{"name": "fast-search", "sli": "fast", **slo}],
        },
        "search.slo.yaml",
    )


def rules_text(spec: model.Spec) -> str:
    (artifact,) = backends.load("prometheus").compile([spec], CompileOptions())
    return artifact.text


def promtool_test(tmp_path: Path, rules: str, series: list[dict[str, str]], interval: str, tests: dict) -> None:
    """Run one promtool unit test of `rules` on `series`; fail with promtool's words."""
    promtool = need_tool("promtool")
    (tmp_path / "rules.yaml").write_text(rules)
    unit = {
        "rule_files": ["rules.yaml"],
        "evaluation_interval": "30s",
        "tests": [{"interval": interval, "input_series": series, **tests}],
    }
    (tmp_path / "test.yaml").write_text(yamlout.dump(unit))
    result = subprocess.run(
        [promtool, "test", "rules", "test.yaml"], capture_output=True, text=True, cwd=tmp_path, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr


LATENCY = {
    "latency": {
        "histogram": 'http_request_duration_seconds{job="search"}',
        "threshold": "250ms",
        "buckets": ["100ms", "200ms", "300ms", "1s"],
    }
}


# --- case 1: a threshold between declared buckets ------------------------------------------


def test_compile_refuses_a_threshold_between_declared_buckets() -> None:
    spec = spec_of(LATENCY, {"target": "99%", "window": "28d"})
    for target in ("prometheus", "prometheus-tests", "sloth", "openslo"):
        with pytest.raises(CompileError) as caught:
            backends.load(target).compile([spec], CompileOptions())
        message = str(caught.value)
        assert "250ms" in message and "100ms, 200ms, 300ms, 1s" in message, message
        assert "threshold: 200ms" in message, message  # the nearest declared bucket at or below


def test_a_threshold_below_every_bucket_says_to_add_one() -> None:
    sli = {"latency": {**LATENCY["latency"], "threshold": "50ms"}}
    with pytest.raises(CompileError, match="add a 50ms bucket"):
        rules_text(spec_of(sli, {"target": "99%", "window": "28d"}))


def test_lint_calls_an_off_bucket_threshold_an_error() -> None:
    text = yamlout.dump(
        {
            "apiVersion": "slospec/v1",
            "service": {"name": "search", "owner": "team"},
            "slis": [{"name": "fast", **LATENCY}],
            "slos": [{"name": "fast-search", "sli": "fast", "target": "99%", "window": "28d"}],
        }
    )
    found = [d for d in lint_text(text, "search.slo.yaml", Config()) if d.code == "SLO207"]
    assert [d.severity for d in found] == ["error"]
    assert "threshold: 200ms" in found[0].message


def bucket_series(per_minute: dict[str, int], minutes: int) -> list[dict[str, str]]:
    """Cumulative histogram buckets: `per_minute[le]` requests at or below `le` each minute."""
    count = max(per_minute.values())
    series = [
        {"series": f'http_request_duration_seconds_bucket{{job="search", le="{le}"}}', "values": f"0+{n}x{minutes}"}
        for le, n in per_minute.items()
    ]
    series.append({"series": 'http_request_duration_seconds_count{job="search"}', "values": f"0+{count}x{minutes}"})
    return series


def test_the_bucket_compile_names_does_not_page_on_healthy_traffic(tmp_path: Path) -> None:
    # Every request under 200 ms: the threshold compile proposes counts all of them as good.
    sli = {"latency": {**LATENCY["latency"], "threshold": "200ms"}}
    rules = rules_text(spec_of(sli, {"target": "99%", "window": "28d"}))
    series = bucket_series({"0.1": 500, "0.2": 600, "0.3": 600, "1": 600, "+Inf": 600}, 120)
    labels = {"slo_service": "search", "slo_name": "fast-search"}
    promtool_test(
        tmp_path,
        rules,
        series,
        "1m",
        {
            "promql_expr_test": [
                {
                    "expr": "slo:sli_error:ratio_rate5m",
                    "eval_time": "60m",
                    "exp_samples": [{"labels": "slo:sli_error:ratio_rate5m" + _labels(labels), "value": 0}],
                }
            ],
            "alert_rule_test": [
                {"eval_time": t, "alertname": "SLOBudgetBurnPage", "exp_alerts": []} for t in ("10m", "30m", "110m")
            ],
        },
    )


def _labels(labels: dict[str, str]) -> str:
    return "{" + ", ".join(f'{k}="{v}"' for k, v in labels.items()) + "}"


# --- case 2: the slice methods in the rules --------------------------------------------------

RATIO = {
    "ratio": {"bad": 'http_requests_total{job="search", code=~"5.."}', "total": 'http_requests_total{job="search"}'}
}


def request_series(per_scrape: int, bad_per_scrape: Fraction, steps: int) -> list[dict[str, str]]:
    return [
        {
            "series": 'http_requests_total{job="search", code="200"}',
            "values": f"0+{float(per_scrape - bad_per_scrape)}x{steps}",
        },
        {"series": 'http_requests_total{job="search", code="500"}', "values": f"0+{float(bad_per_scrape)}x{steps}"},
    ]


def remaining_per_mille(method: str, slice_target: str | None, per_scrape: int, bad: Fraction) -> Fraction:
    """The budget left, by OpenSLO's definitions, from the counts themselves (every slice alike)."""
    slice_error = bad / per_scrape
    budget = Fraction(5, 1000)  # 99.5 %
    if method == "ratio-timeslices":
        error = slice_error  # the mean of equal slices' error ratios
    else:
        target = Fraction((slice_target or "100%").rstrip("%")) / 100
        error = Fraction(0) if 1 - slice_error >= target else Fraction(1)  # share of bad slices
    return (1 - error / budget) * 1000


@pytest.mark.parametrize(
    ("method", "slice_target", "expected"),
    [
        ("ratio-timeslices", None, 600),  # the case: 60 % left (the rules said -19,900 %)
        ("timeslices", "99.5%", 1000),  # every minute meets its slice target: nothing spent
        ("timeslices", "99.9%", -199000),  # every minute misses it: every slice is bad
    ],
)
def test_slice_methods_leave_the_budget_openslo_defines(
    tmp_path: Path, method: str, slice_target: str | None, expected: int
) -> None:
    # 1,000 requests a minute (250 per 15 s scrape), 2 of them failing: 99.8 % good minutes.
    per_scrape, bad = 250, Fraction(1, 2)
    assert remaining_per_mille(method, slice_target, per_scrape, bad) == expected
    budgeting: dict[str, Any] = {"method": method, "slice": "1m"}
    if slice_target:
        budgeting["sliceTarget"] = slice_target
    rules = rules_text(spec_of(RATIO, {"target": "99.5%", "window": "28d", "budgeting": budgeting}))
    labels = {"slo_service": "search", "slo_name": "fast-search"}
    promtool_test(
        tmp_path,
        rules,
        request_series(per_scrape, bad, 480),
        "15s",
        {
            "promql_expr_test": [
                {
                    "expr": "round(slo:error_budget_remaining:ratio * 1000)",
                    "eval_time": t,
                    "exp_samples": [{"labels": _labels(labels), "value": expected}],
                }
                for t in ("30m", "110m")
            ]
        },
    )


# --- case 8: the contract counts what the budget counts ---------------------------------------


def test_contract_counts_slices_for_timeslices_and_checks_otherwise() -> None:
    probe = {"uptime": {"probe": 'probe_success{job="gw"}', "interval": "15s"}}
    one_minute_a_day = {"allowedDowntime": "1m", "window": "1d"}
    sliced = spec_of(probe, {**one_minute_a_day, "budgeting": {"method": "timeslices", "slice": "1m"}})
    (contract,) = backends.load("markdown").compile([sliced], CompileOptions())
    # One failed 15 s check spoils its minute: the day allows 1 bad minute, not "4 of 5,760 checks".
    assert "1 of 1,440 slices of 1 minute (a slice is bad when under 100% of its checks are good)" in contract.text
    assert "5,760 checks" not in contract.text
    # RatioTimeslices averages the minutes' ratios: a failed check spends a quarter of a minute.
    ratio = spec_of(probe, {**one_minute_a_day, "budgeting": {"method": "ratio-timeslices", "slice": "1m"}})
    (contract,) = backends.load("markdown").compile([ratio], CompileOptions())
    assert "about 4 of 5,760 checks, one every 15 seconds" in contract.text
