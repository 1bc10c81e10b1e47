"""Numbers you can bet a contract on (issue 26): the rules' arithmetic held to answers computed
by hand, through promtool, for off-bucket thresholds and every budgeting method."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from slospec import backends, model, yamlout
from slospec.backends import CompileError, CompileOptions
from slospec.config import Config
from slospec.api import lint_text
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
