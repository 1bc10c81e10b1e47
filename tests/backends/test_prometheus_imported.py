"""Queries other tools' files hold (OpenSLO `counter: false` rates and thresholdMetric
expressions, Sloth `raw` error ratios) compile to rules and tests that promtool accepts, and a
raw ratio whose metrics are missing raises SLOMetricsAbsent instead of counting 0 errors."""

from __future__ import annotations

import subprocess
from pathlib import Path

from click.testing import CliRunner

from slospec.cli import main
from tests.conftest import need_tool

OPENSLO_RATE = """\
apiVersion: openslo/v1
kind: SLO
metadata:
  name: api-availability
spec:
  service: api
  budgetingMethod: Occurrences
  indicator:
    metadata:
      name: api-errors
    spec:
      ratioMetric:
        counter: false
        bad:
          metricSource:
            type: Prometheus
            spec:
              query: {bad}
        total:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(http_requests_total[5m]))
  objectives:
    - target: 0.999
  timeWindow:
    - duration: 28d
      isRolling: true
"""

OPENSLO_THRESHOLD = """\
apiVersion: openslo/v1
kind: SLO
metadata:
  name: consumer-keeps-up
spec:
  service: consumer
  budgetingMethod: Occurrences
  indicator:
    metadata:
      name: lag-ok
    spec:
      thresholdMetric:
        metricSource:
          type: Prometheus
          spec:
            query: max(max_over_time(consumer_lag_ok{topic="in"}[2m]))
  objectives:
    - target: 0.99
      op: gte
      value: 1
  timeWindow:
    - duration: 28d
      isRolling: true
"""

SLOTH_RAW = """\
version: "prometheus/v1"
service: "wifi"
labels:
  owner: "team-home"
slos:
  - name: "satisfaction"
    objective: 95
    description: "Clients are satisfied."
    sli:
      raw:
        error_ratio_query: |
          1 - avg(avg_over_time(client_satisfaction_ratio[{{.window}}]))
    alerting:
      name: WifiSatisfaction
      page_alert:
        labels:
          severity: page
"""


def _compile(tmp_path: Path, name: str, text: str, *targets: str, flags: tuple[str, ...] = ()) -> Path:
    source = tmp_path / name
    source.write_text(text)
    out = tmp_path / "rules"
    for target in targets:
        result = CliRunner().invoke(main, ["compile", str(source), "--target", target, "-o", f"{out}/", *flags])
        assert result.exit_code == 0, result.output
    return out


def _promtool(folder: Path, *args: str) -> subprocess.CompletedProcess:
    promtool = need_tool("promtool")
    return subprocess.run([promtool, *args], capture_output=True, text=True, cwd=folder, timeout=600)


def test_openslo_rate_expressions_compile_to_rules_prometheus_loads(tmp_path: Path) -> None:
    out = _compile(
        tmp_path,
        "api.yaml",
        OPENSLO_RATE.format(bad='sum(rate(http_requests_total{code="500"}[5m]))'),
        "prometheus",
        "prometheus-tests",
    )
    rules = (out / "api.rules.yaml").read_text()
    # A rate expression is averaged over the recorded base range; the 28d window sums those.
    assert "avg_over_time((sum(rate(http_requests_total[5m])))[5m:])" in rules
    assert "[28d:]" not in rules and "sum_over_time(slo:sli_total:rate5m{" in rules
    run = _promtool(out, "check", "rules", "api.rules.yaml")
    assert run.returncode == 0, run.stdout + run.stderr
    run = _promtool(out, "test", "rules", "api.tests.yaml")
    assert run.returncode == 0, run.stdout + run.stderr


def test_openslo_threshold_expression_compiles_and_its_tests_pass(tmp_path: Path) -> None:
    out = _compile(tmp_path, "consumer.yaml", OPENSLO_THRESHOLD, "prometheus", "prometheus-tests")
    tests = (out / "consumer.tests.yaml").read_text()
    assert "No burn scenarios for SLO consumer/consumer-keeps-up: the probe is an expression" in tests
    for args in (("check", "rules", "consumer.rules.yaml"), ("test", "rules", "consumer.tests.yaml")):
        run = _promtool(out, *args)
        assert run.returncode == 0, run.stdout + run.stderr


def test_raw_ratio_without_metrics_raises_metrics_absent(tmp_path: Path) -> None:
    # Sloth's raw error ratio is imported over a constant total; with `or vector(0)` its missing
    # metrics read as 0 errors and SLOMetricsAbsent never fired (the generated test failed).
    out = _compile(tmp_path, "wifi.sloth.yml", SLOTH_RAW, "prometheus", "prometheus-tests")
    assert "or vector(0)" not in (out / "wifi.rules.yaml").read_text()
    run = _promtool(out, "test", "rules", "wifi.tests.yaml")
    assert run.returncode == 0, run.stdout + run.stderr


def test_counter_false_expression_without_a_range_is_averaged_over_the_window(tmp_path: Path) -> None:
    # `counter: false` says the query is a value at each point (a rate already): the tools
    # average it over the window; slospec used to refuse it ("cannot tell a counter from a rate").
    bad = 'sum by (code) (job:errors:rate5m{code="500"})'
    out = _compile(tmp_path, "api.yaml", OPENSLO_RATE.format(bad=bad), "prometheus")
    rules = (out / "api.rules.yaml").read_text()
    # By default the rate is averaged over a short base range once, and the 28d window sums
    # those recorded samples (no 28d subquery over the raw expression at every evaluation).
    assert 'avg_over_time((sum by (code) (job:errors:rate5m{code="500"}))[5m:])' in rules
    assert 'sum_over_time(slo:sli_bad:rate5m{slo_service="api", slo_name="api-availability"}[28d])' in rules
    assert "[28d:]" not in rules
    run = _promtool(out, "check", "rules", "api.rules.yaml")
    assert run.returncode == 0, run.stdout + run.stderr
    # --exact-windows: the raw expression averaged over the whole window.
    (tmp_path / "exact").mkdir()
    exact = _compile(
        tmp_path / "exact", "api.yaml", OPENSLO_RATE.format(bad=bad), "prometheus", flags=("--exact-windows",)
    )
    assert f"avg_over_time(({bad})[28d:])" in (exact / "api.rules.yaml").read_text()
    run = _promtool(exact, "check", "rules", "api.rules.yaml")
    assert run.returncode == 0, run.stdout + run.stderr


def test_expression_without_a_range_is_refused_with_what_to_write(tmp_path: Path) -> None:
    source = tmp_path / "api.yaml"
    text = OPENSLO_RATE.format(bad='sum by (code) (http_requests_total{code="500"})')
    source.write_text(text.replace("counter: false", "counter: true"))
    result = CliRunner().invoke(main, ["compile", str(source), "--target", "prometheus"])
    assert result.exit_code == 2
    assert "cannot tell a counter from a rate" in result.output
    assert "put {{window}} where the range goes" in result.output
    assert "Traceback" not in result.output
