"""Issue 28, case 17: messages that said the wrong thing."""

from __future__ import annotations

from tests.core.test_cli import GOOD, slospec

SLOTH = """version: "prometheus/v1"
service: "myservice"
labels:
  owner: team-x
slos:
  - name: "requests.availability"
    objective: 99.9
    description: x
    sli:
      events:
        error_query: sum(rate(http_requests_total{{code=~"5.."}}[{{{{.window}}}}]))
        total_query: sum(rate(http_requests_total[{{{{.window}}}}]))
    alerting: {{page_alert: {{disable: true}}, ticket_alert: {{disable: true}}}}
  - name: "{second}"
    objective: 99.9
    description: x
    sli:
      events:
        error_query: sum(rate(http_requests_total{{code=~"5.."}}[{{{{.window}}}}]))
        total_query: sum(rate(http_requests_total[{{{{.window}}}}]))
    alerting: {{page_alert: {{disable: true}}, ticket_alert: {{disable: true}}}}
"""


def test_fmt_lays_out_a_file_with_nan_instead_of_saying_it_would_change_the_data(tmp_path) -> None:
    path = tmp_path / "nan.slo.yaml"
    path.write_text(
        GOOD.replace("target: 99.95%", "target: .nan").replace("  name: payments-api", "  name:    payments-api")
    )
    result = slospec("fmt", path.name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "would change the data" not in result.stderr and "  name: payments-api\n" in path.read_text()
    assert "target: .nan" in path.read_text()


def test_sloth_names_that_differ_only_in_punctuation_are_said_so(tmp_path) -> None:
    path = tmp_path / "sloth.yaml"
    path.write_text(SLOTH.format(second="requests_availability"))
    result = slospec("lint", "--no-cache", path.name, cwd=tmp_path)
    assert result.returncode == 1
    assert (
        "'requests_availability' and 'requests.availability' (slos[0]) differ only in case or punctuation"
        in result.stdout
    )
    path.write_text(SLOTH.format(second="requests.availability"))
    result = slospec("lint", "--no-cache", path.name, cwd=tmp_path)
    assert "SLO name 'requests.availability' is already used by slos[0]" in result.stdout
