"""Issue 27, case 7: Nobl9 `n9/v1alpha` files (what `sloctl apply` reads) are read and linted
like OpenSLO, with findings at their lines, instead of "Nothing was checked" or "no spec files
found" without a word on the format."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from slospec.cli import main

NOBL9 = """\
apiVersion: n9/v1alpha
kind: SLO
metadata:
  name: api-latency
  project: default
  labels:
    team: [api]
spec:
  description: API requests answered fast.
  service: api
  indicator:
    metricSource:
      name: prometheus
  budgetingMethod: Occurrences
  timeWindows:
    - unit: Day
      count: 28
      isRolling: true
  objectives:
    - displayName: fast
      name: fast
      value: {value}
      target: 0.99
      op: lt
      rawMetric:
        query:
          prometheus:
            promql: histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))
    - displayName: good
      name: good
      target: 0.999
      countMetrics:
        incremental: true
        good:
          prometheus:
            promql: sum(http_requests_total{{code!~"5.."}})
        total:
          prometheus:
            promql: sum(http_requests_total)
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_a_nobl9_slo_is_linted_at_its_lines(tmp_path: Path) -> None:
    path = tmp_path / "slo.yaml"
    path.write_text(NOBL9.format(value="200"))
    result = run("lint", str(path))
    assert f"{path}:22:" in result.output and "SLO214" in result.output, result.output  # `value: 200`
    path.write_text(NOBL9.format(value="0.2"))
    assert "SLO214" not in run("lint", str(path)).output


def test_a_nobl9_slo_converts_and_compiles(tmp_path: Path) -> None:
    path = tmp_path / "slo.yaml"
    path.write_text(NOBL9.format(value="0.2"))
    converted = run("convert", "--to", "yaml", str(path))
    assert converted.exit_code == 0, converted.output
    assert "op: lt" in converted.stdout and 'good: http_requests_total{code!~"5.."}' in converted.stdout
    assert "alert policies" not in converted.stderr  # none named here
    compiled = run("compile", str(path), "--target", "prometheus")
    assert compiled.exit_code == 0, compiled.output
    assert "< bool 0.2" in compiled.stdout


def test_a_folder_of_nobl9_files_is_checked(tmp_path: Path) -> None:
    (tmp_path / "slos").mkdir()
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / "slos" / name).write_text(NOBL9.format(value="0.2").replace("api-latency", name[0]))
    (tmp_path / "slos" / "project.yaml").write_text(
        "apiVersion: n9/v1alpha\nkind: Project\nmetadata:\n  name: default\n"
    )
    result = run("lint", str(tmp_path / "slos"))
    assert result.exit_code == 0, result.output
    assert "no spec files found" not in result.output and "Nothing was checked" not in result.output
