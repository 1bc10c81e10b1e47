"""Issue 27, case 1: OpenSLO threshold objectives (`thresholdMetric` with a per-objective `op`
and `value`) are a first-class SLI: judged (SLO214 on a value in the wrong unit), compiled
(the share of points that meet the threshold) and exported back as written."""

from __future__ import annotations

import subprocess
from pathlib import Path

from click.testing import CliRunner

from slospec.cli import main
from slospec.source import yamlfile
from tests.conftest import need_tool

QUERY = 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="api"}[5m])))'
SLO = f"""\
apiVersion: openslo/v1
kind: SLO
metadata:
  name: api-latency
  labels:
    team: [api]
spec:
  service: api
  description: API answers fast.
  indicator:
    metadata:
      name: api-p95-latency
    spec:
      description: p95 request latency.
      thresholdMetric:
        metricSource:
          type: Prometheus
          spec:
            query: '{QUERY}'
  timeWindow:
    - duration: 7d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
{{objectives}}"""


def objective(op: str, value: str, target: str) -> str:
    return f"    - op: {op}\n      value: {value}\n      target: {target}\n"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def write(tmp_path: Path, *objectives: str) -> Path:
    path = tmp_path / "api.yaml"
    path.write_text(SLO.replace("{objectives}", "".join(objectives)))
    return path


def test_seconds_written_where_milliseconds_were_meant_are_reported_at_the_value(tmp_path: Path) -> None:
    path = write(tmp_path, objective("lt", "200", "0.99"))
    result = run("lint", str(path))
    (line,) = [line for line in result.output.splitlines() if "SLO214" in line]
    assert line.startswith(f"{path}:26:")  # the `value: 200` line
    assert "write value: 0.2" in line
    assert "SLO214" not in run("lint", str(write(tmp_path, objective("lt", "0.2", "0.99")))).output


def test_threshold_objectives_compile_to_the_share_of_points_that_meet_them(tmp_path: Path) -> None:
    path = write(tmp_path, objective("lt", "0.2", "0.99"), objective("lte", "0.1", "0.9"))
    out = tmp_path / "out"
    result = run("compile", str(path), "--target", "prometheus", "-o", f"{out}/")
    assert result.exit_code == 0, result.output
    rules = (out / "api.rules.yaml").read_text()
    # The share of points over 5m is recorded once; the 7d window averages those records.
    assert f"avg_over_time((({QUERY}) < bool 0.2)[5m:])" in rules
    assert f"avg_over_time((({QUERY}) <= bool 0.1)[5m:])" in rules
    assert 'avg_over_time(slo:sli_error:ratio_rate5m{slo_service="api", slo_name="api-latency-1"}[7d])' in rules
    assert "[7d:]" not in rules  # no 7d subquery over the raw expression at every evaluation
    check = subprocess.run([need_tool("promtool"), "check", "rules", str(out / "api.rules.yaml")], capture_output=True)
    assert check.returncode == 0, check.stdout + check.stderr
    exact = tmp_path / "exact"
    result = run("compile", str(path), "--target", "prometheus", "-o", f"{exact}/", "--exact-windows")
    assert result.exit_code == 0, result.output
    rules = (exact / "api.rules.yaml").read_text()
    assert f"avg_over_time((({QUERY}) < bool 0.2)[7d:])" in rules
    assert f"avg_over_time((({QUERY}) <= bool 0.1)[7d:])" in rules


def test_convert_to_openslo_keeps_each_objectives_op_and_value(tmp_path: Path) -> None:
    path = write(tmp_path, objective("lt", "0.2", "0.99"), objective("gt", "0.001", "0.9"))
    result = run("convert", "--to", "openslo", str(path))
    assert result.exit_code == 0, result.output
    docs = [d.data for d in yamlfile.load_all(result.stdout)]
    objectives = sorted(
        (str(o["op"]), str(o["value"]), str(o["target"]))
        for d in docs
        if d["kind"] == "SLO"
        for o in d["spec"]["objectives"]
    )
    assert objectives == [("gt", "0.001", "0.9"), ("lt", "0.2", "0.99")]
    queries = {d["spec"]["thresholdMetric"]["metricSource"]["spec"]["query"] for d in docs if d["kind"] == "SLI"}
    assert queries == {QUERY}
