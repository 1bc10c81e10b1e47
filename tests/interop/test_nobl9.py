"""Issue 27, case 7: Nobl9 `n9/v1alpha` files are recognised and said, alone or in a folder,
instead of "Nothing was checked" or "no spec files found" without a word on the format."""

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
spec:
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
    - displayName: ok
      value: 0.2
      target: 0.99
      op: lt
      rawMetric:
        query:
          prometheus:
            promql: histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))
"""


def test_a_nobl9_file_is_said_to_be_one(tmp_path: Path) -> None:
    path = tmp_path / "slo.yaml"
    path.write_text(NOBL9)
    result = CliRunner().invoke(main, ["lint", str(path)])
    assert "a Nobl9 file" in result.stderr and "n9/" in result.stderr


def test_a_folder_of_nobl9_files_says_why_nothing_was_found(tmp_path: Path) -> None:
    (tmp_path / "slos").mkdir()
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / "slos" / name).write_text(NOBL9.replace("api-latency", name[0]))
    result = CliRunner().invoke(main, ["lint", str(tmp_path / "slos")])
    assert result.exit_code == 2
    assert result.stderr.count("a Nobl9 file") == 2, result.stderr
