"""Planted problems in each format are reported at the line of the original field: a 100%
objective, five nines over a short window, a burn rate that cannot fire, a dangling reference
(slo-generator's policy names), and each tool's own structure errors (SLO002)."""

from __future__ import annotations

from pathlib import Path

from slospec.api import lint_paths
from slospec.config import Config

SLOTH_SLO = """\
  - name: "{name}"
    objective: {objective}
    description: "requests succeed"
    sli:
      events:
        error_query: sum(rate(http_requests_total{{code=~"5.."}}[{{{{.window}}}}]))
        total_query: {total}
    alerting:
      name: Alert
      page_alert:
        labels:
          severity: critical
"""


def _sloth(tmp_path: Path, objective: str, total: str = "sum(rate(http_requests_total[{{.window}}]))") -> Path:
    text = 'version: "prometheus/v1"\nservice: "api"\nlabels:\n  owner: "team-a"\nslos:\n'
    text += SLOTH_SLO.format(name="requests", objective=objective, total=total)
    path = tmp_path / "api.sloth.yml"
    path.write_text(text, encoding="utf-8")
    return path


def _pyrra(tmp_path: Path, target: str, window: str = "28d") -> Path:
    path = tmp_path / "slo.yaml"
    path.write_text(
        f"""\
apiVersion: pyrra.dev/v1alpha1
kind: ServiceLevelObjective
metadata:
  name: api-errors
  labels:
    pyrra.dev/team: team-a
spec:
  description: API requests succeed
  target: {target}
  window: {window}
  indicator:
    ratio:
      errors:
        metric: http_requests_total{{code=~"5.."}}
      total:
        metric: http_requests_total
""",
        encoding="utf-8",
    )
    return path


POLICIES = """\
error_budget_policies:
  default:
    steps:
    - {name: 1 hour, window: 3600, burn_rate_threshold: 20, alert: true, message_alert: page, message_ok: ok}
    - {name: 28 days, window: 2419200, burn_rate_threshold: 1, alert: false, message_alert: freeze, message_ok: ok}
  daily:
    steps:
    - {name: 1 hour, window: 3600, burn_rate_threshold: 2, alert: true, message_alert: page, message_ok: ok}
    - {name: 1 day, window: 86400, burn_rate_threshold: 1, alert: false, message_alert: freeze, message_ok: ok}
"""


def _slogen(tmp_path: Path, goal: str, policy: str | None = None) -> Path:
    (tmp_path / "config.yaml").write_text(POLICIES, encoding="utf-8")
    folder = tmp_path / "prometheus"
    folder.mkdir(exist_ok=True)
    path = folder / "slo.yaml"
    policy_line = f"  error_budget_policy: {policy}\n" if policy else ""
    path.write_text(
        f"""\
apiVersion: sre.google.com/v2
kind: ServiceLevelObjective
metadata:
  name: api-availability
  labels:
    service_name: api
spec:
  description: API requests return a good code
{policy_line}  backend: prometheus
  method: good_bad_ratio
  service_level_indicator:
    filter_good: http_requests_total{{code!~"5.."}}
    filter_valid: http_requests_total
  goal: {goal}
""",
        encoding="utf-8",
    )
    return path


def _found(path: Path) -> set[tuple[int, str]]:
    return {(d.span.line, d.code) for d in lint_paths([str(path)], Config()).diagnostics}


def _line(path: Path, startswith: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.strip().startswith(startswith))


# ---------------------------------------------------------------- Sloth


def test_sloth_100_percent_objective_is_slo101_at_the_objective(tmp_path):
    path = _sloth(tmp_path, "100")
    assert (_line(path, "objective:"), "SLO101") in _found(path)


def test_sloth_five_nines_is_slo102_and_slo104_at_the_objective(tmp_path):
    # Sloth's period is 30 days: five nines leave 26 s, below a 30 s rule evaluation interval.
    path = _sloth(tmp_path, "99.999")
    found = _found(path)
    assert {(_line(path, "objective:"), "SLO102"), (_line(path, "objective:"), "SLO104")} <= found


def test_sloth_page_alert_that_cannot_fire_is_slo302_at_the_page_alert(tmp_path):
    # Sloth's quick page alert burns at 14.4x; at 90 % the error ratio can reach only 10x.
    path = _sloth(tmp_path, "90")
    assert (_line(path, "page_alert:"), "SLO302") in _found(path)


def test_sloth_query_without_window_template_is_slo002_at_the_query(tmp_path):
    path = _sloth(tmp_path, "99.9", total="sum(rate(http_requests_total[5m]))")
    diagnostics = lint_paths([str(path)], Config()).diagnostics
    assert [(d.span.line, d.code) for d in diagnostics] == [(_line(path, "total_query:"), "SLO002")]
    assert "{{.window}}" in diagnostics[0].message


def test_sloth_objective_above_100_is_slo002(tmp_path):
    path = _sloth(tmp_path, "999")
    assert _found(path) == {(_line(path, "objective:"), "SLO002")}


def test_sloth_crd_reports_at_camel_case_fields(tmp_path):
    path = tmp_path / "crd.yaml"
    path.write_text(
        """\
apiVersion: sloth.slok.dev/v1
kind: PrometheusServiceLevel
metadata:
  name: api
spec:
  service: api
  labels: {owner: team-a}
  slos:
    - name: requests
      objective: 100
      description: requests succeed
      sli:
        events:
          errorQuery: sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))
          totalQuery: sum(rate(http_requests_total[{{.window}}]))
      alerting:
        pageAlert: {disable: true}
        ticketAlert: {disable: true}
""",
        encoding="utf-8",
    )
    assert (_line(path, "objective:"), "SLO101") in _found(path)


# ---------------------------------------------------------------- Pyrra


def test_pyrra_100_percent_target_is_slo101_at_the_target(tmp_path):
    path = _pyrra(tmp_path, '"100"')
    assert (_line(path, "target:"), "SLO101") in _found(path)


def test_pyrra_five_nines_over_a_day_is_slo102_and_slo104_at_the_target(tmp_path):
    path = _pyrra(tmp_path, '"99.999"', window="1d")
    line = _line(path, "target:")
    assert {(line, "SLO102"), (line, "SLO104")} <= _found(path)


def test_pyrra_target_90_cannot_fire_its_14x_alert_slo302_at_the_target(tmp_path):
    path = _pyrra(tmp_path, '"90"')
    assert (_line(path, "target:"), "SLO302") in _found(path)


def test_pyrra_number_target_breaks_the_crd_schema_slo002(tmp_path):
    path = _pyrra(tmp_path, "99.9")
    diagnostics = lint_paths([str(path)], Config()).diagnostics
    assert [(d.span.line, d.code) for d in diagnostics] == [(_line(path, "target:"), "SLO002")]
    assert 'target: "99.9"' in diagnostics[0].message


def test_pyrra_bad_window_is_slo002_at_the_window(tmp_path):
    path = _pyrra(tmp_path, '"99.9"', window="four weeks")
    assert _found(path) == {(_line(path, "window:"), "SLO002")}


# ---------------------------------------------------------------- slo-generator


def test_slogen_goal_of_one_is_slo101_at_the_goal(tmp_path):
    path = _slogen(tmp_path, "1")
    assert (_line(path, "goal:"), "SLO101") in _found(path)


def test_slogen_five_nines_over_a_day_is_slo102_and_slo104_at_the_goal(tmp_path):
    # The `daily` policy's burn-rate-1 step says the window is one day.
    path = _slogen(tmp_path, "0.99999", policy="daily")
    line = _line(path, "goal:")
    assert {(line, "SLO102"), (line, "SLO104")} <= _found(path)


def test_slogen_step_that_cannot_fire_is_slo302_at_the_policy_reference(tmp_path):
    path = _slogen(tmp_path, "0.9", policy="default")
    assert (_line(path, "error_budget_policy:"), "SLO302") in _found(path)


def test_slogen_dangling_policy_reference_is_slo004_at_the_reference(tmp_path):
    path = _slogen(tmp_path, "0.999", policy="weekly")
    diagnostics = lint_paths([str(path)], Config()).diagnostics
    found = {(d.span.line, d.code) for d in diagnostics}
    assert (_line(path, "error_budget_policy:"), "SLO004") in found
    message = next(d.message for d in diagnostics if d.code == "SLO004")
    assert "'weekly'" in message and "daily, default" in message


def test_slogen_goal_written_as_percent_is_slo002_with_the_ratio_to_write(tmp_path):
    path = _slogen(tmp_path, "99.9")
    diagnostics = lint_paths([str(path)], Config()).diagnostics
    assert [(d.span.line, d.code) for d in diagnostics] == [(_line(path, "goal:"), "SLO002")]
    assert "0.999" in diagnostics[0].message


def test_slogen_dangling_policy_blocks_compilation(tmp_path):
    from click.testing import CliRunner

    from slospec.cli import main

    path = _slogen(tmp_path, "0.999", policy="weekly")
    result = CliRunner().invoke(main, ["compile", str(path), "--target", "prometheus"])
    assert result.exit_code == 1
    assert "SLO004" in result.output


def test_slogen_dangling_backend_and_exporter_are_slo004_at_their_lines(tmp_path):
    path = _slogen(tmp_path, "0.999")
    (tmp_path / "config.yaml").write_text(
        "backends:\n  cloud_monitoring: {}\nexporters:\n  pubsub: {}\n" + POLICIES, encoding="utf-8"
    )
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "  method: good_bad_ratio\n", "  method: good_bad_ratio\n  exporters:\n  - pubsub\n  - bigquery\n"
        ),
        encoding="utf-8",
    )
    found = _found(path)
    assert (_line(path, "backend:"), "SLO004") in found
    assert (_line(path, "- bigquery"), "SLO004") in found
    assert (_line(path, "- pubsub"), "SLO004") not in found


def test_pyrra_window_too_short_for_its_alerts_is_judged_not_crashed(tmp_path):
    # Pyrra divides the window by 672 for its fastest alert: under 30 s that rounds to 0s.
    path = _pyrra(tmp_path, '"99.9"', window="1s")
    found = _found(path)
    assert (_line(path, "target:"), "SLO104") in found
