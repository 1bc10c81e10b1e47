"""What `convert` says it leaves out of another tool's file reads as a sentence, naming the field."""

from __future__ import annotations

from click.testing import CliRunner

from slospec.cli import main

SLOTH = """\
version: "prometheus/v1"
service: "api"
labels:
  owner: "team-a"
slos:
  - name: "requests"
    objective: 99.9
    sli:
      events:
        error_query: sum(rate(http_requests_total{{code=~"5.."}}[{{{{.window}}}}]))
        total_query: sum(rate(http_requests_total[{{{{.window}}}}]))
    alerting:
      name: Alert
      annotations:
{annotations}
      page_alert:
        labels:
          severity: critical
"""


def _notes(tmp_path, annotations: str) -> str:
    path = tmp_path / "api.sloth.yml"
    path.write_text(SLOTH.format(annotations=annotations), encoding="utf-8")
    result = CliRunner().invoke(main, ["convert", str(path), "--to", "yaml"])
    assert result.exit_code == 0, result.output
    return result.stderr


def test_one_dropped_sloth_annotation_is_named_in_the_singular(tmp_path):
    notes = _notes(tmp_path, '        summary: "High error rate"')
    assert "api.sloth.yml:15:9: SLO 'requests': the alert annotation 'summary' is not kept" in notes


def test_several_dropped_sloth_annotations_are_listed_in_the_plural(tmp_path):
    notes = _notes(tmp_path, '        summary: "High error rate"\n        dashboard: "https://grafana/d/1"')
    assert "the alert annotations 'dashboard', 'summary' are not kept" in notes
