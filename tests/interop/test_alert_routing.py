"""Issue 27, cases 2 and 6: alert routing survives a migration. The alert names, severities
and labels a Sloth, Pyrra or OpenSLO file routes its alerts with are on the Prometheus rules
slospec compiles (promtool loads and tests them); what compile cannot keep it says on stderr,
as convert does; an SLO whose alert policies live in a file not read gets no invented tiers."""

from __future__ import annotations

import subprocess
from pathlib import Path

from click.testing import CliRunner

from slospec.cli import main
from slospec.source import yamlfile
from tests.conftest import need_tool

SLOTH = """\
version: "prometheus/v1"
service: "k8s-apiserver"
labels:
  cluster: "valhalla"
  team: "platform"
slos:
  - name: "requests-availability"
    objective: 99.9
    description: "Requests answered without a server error."
    labels:
      category: availability
    sli:
      events:
        error_query: sum(rate(apiserver_request_total{code=~"(5..|429)"}[{{.window}}]))
        total_query: sum(rate(apiserver_request_total[{{.window}}]))
    alerting:
      name: K8sApiserverAvailabilityAlert
      labels:
        route: apiserver
      annotations:
        runbook: "https://runbooks.example.com/apiserver"
      page_alert:
        labels:
          severity: critical
      ticket_alert:
        labels:
          severity: warning
"""

PYRRA = """\
apiVersion: pyrra.dev/v1alpha1
kind: ServiceLevelObjective
metadata:
  name: api-errors
  labels:
    pyrra.dev/owner: team-api
    pyrra.dev/repo: api
spec:
  target: "99.5"
  window: 28d
  description: API requests answered without an error.
  indicator:
    ratio:
      errors:
        metric: http_requests_total{job="api",code=~"5.."}
      total:
        metric: http_requests_total{job="api"}
"""

OPENSLO = """\
apiVersion: openslo/v1
kind: SLO
metadata:
  name: api-availability
  labels:
    team: [api]
spec:
  service: api
  description: API answers.
  indicator:
    metadata:
      name: api-requests
    spec:
      description: Good API requests.
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: Prometheus
            spec:
              query: sum(http_requests_total{job="api",code!~"5.."})
        total:
          metricSource:
            type: Prometheus
            spec:
              query: sum(http_requests_total{job="api"})
  timeWindow:
    - duration: 28d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - target: 0.999
  alertPolicies:
{policies}
"""

POLICY = """\
apiVersion: openslo/v1
kind: AlertPolicy
metadata:
  name: {name}
spec:
  conditions:
    - kind: AlertCondition
      metadata:
        name: {name}-condition
      spec:
        severity: {severity}
        condition:
          kind: burnrate
          op: gt
          threshold: {threshold}
          lookbackWindow: {window}
          alertAfter: 5m
  notificationTargets:
    - kind: AlertNotificationTarget
      metadata:
        name: {name}-mail
      spec:
        target: email
"""


def policy(name: str, severity: str = "critical", threshold: str = "14.4", window: str = "1h") -> str:
    return POLICY.format(name=name, severity=severity, threshold=threshold, window=window)


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def alerts(rules_text: str) -> list[dict]:
    (doc,) = yamlfile.load_all(rules_text)
    return [r for g in doc.data["groups"] for r in g["rules"] if "alert" in r and r["alert"] != "SLOMetricsAbsent"]


def compile_to(tmp_path: Path, name: str, text: str) -> tuple[Path, object]:
    source = tmp_path / name
    source.write_text(text)
    out = tmp_path / "out"
    result = None
    for target in ("prometheus", "prometheus-tests"):
        result = run("compile", str(source), "--target", target, "-o", f"{out}/")
        assert result.exit_code == 0, result.output
    return out, result


def promtool_accepts(folder: Path) -> None:
    promtool = need_tool("promtool")
    for args in (
        ["check", "rules", *map(str, folder.glob("*.rules.yaml"))],
        ["test", "rules", *map(str, folder.glob("*.tests.yaml"))],
    ):
        run_ = subprocess.run([promtool, *args], capture_output=True, text=True, cwd=folder, timeout=600)
        assert run_.returncode == 0, run_.stdout + run_.stderr


def test_sloth_alert_names_severities_and_labels_reach_the_rules(tmp_path: Path) -> None:
    out, _ = compile_to(tmp_path, "apiserver.sloth.yml", SLOTH)
    found = alerts((out / "k8s-apiserver.rules.yaml").read_text())
    assert {a["alert"] for a in found} == {"K8sApiserverAvailabilityAlert"}
    assert sorted(a["labels"]["severity"] for a in found) == ["critical", "warning"]
    for alert in found:
        # What Sloth's own alerts carry: service, SLO and alerting labels, sloth_severity.
        assert {
            "cluster": "valhalla",
            "team": "platform",
            "category": "availability",
            "route": "apiserver",
        }.items() <= alert["labels"].items()
    assert {a["labels"]["sloth_severity"] for a in found} == {"page", "ticket"}
    promtool_accepts(out)


def test_pyrra_alerts_keep_pyrra_names_severities_and_propagated_labels(tmp_path: Path) -> None:
    out, _ = compile_to(tmp_path, "api.yaml", PYRRA)
    found = alerts((out / "api-errors.rules.yaml").read_text())
    assert {a["alert"] for a in found} == {"ErrorBudgetBurn"}
    assert {a["labels"]["severity"] for a in found} == {"critical", "warning"}
    assert all(a["labels"]["owner"] == "team-api" and a["labels"]["repo"] == "api" for a in found)
    promtool_accepts(out)


def test_openslo_condition_severity_is_the_alert_severity_and_goes_back(tmp_path: Path) -> None:
    text = OPENSLO.replace("{policies}", "    - alertPolicyRef: fast-burn") + "---\n" + policy("fast-burn")
    out, _ = compile_to(tmp_path, "api.yaml", text)
    found = alerts((out / "api.rules.yaml").read_text())
    assert [a["labels"]["severity"] for a in found] == ["critical"]
    promtool_accepts(out)
    exported = run("convert", "--to", "openslo", str(tmp_path / "api.yaml"))
    assert exported.exit_code == 0, exported.output
    policies = [d.data for d in yamlfile.load_all(exported.stdout) if d.data["kind"] == "AlertPolicy"]
    assert [p["spec"]["conditions"][0]["spec"]["severity"] for p in policies] == ["critical"]


def test_compile_says_what_convert_says_about_a_migrated_file(tmp_path: Path) -> None:
    source = tmp_path / "apiserver.sloth.yml"
    source.write_text(SLOTH.replace("      page_alert:\n", "      page_alert:\n        annotations: {team: x}\n"))
    converted = run("convert", "--to", "yaml", str(source))
    compiled = run("compile", str(source), "--target", "prometheus")
    assert converted.exit_code == 0 and compiled.exit_code == 0, converted.output + compiled.output
    notes = [line for line in converted.stderr.splitlines() if line.startswith("slospec: note:")]
    assert notes and any("annotations of the page alert" in n for n in notes)
    assert [line for line in compiled.stderr.splitlines() if line.startswith("slospec: note:")] == notes
    assert "is not kept (slospec names its alerts" not in converted.stderr  # names are kept now


def test_sibling_alert_policies_are_said_and_no_tiers_are_invented(tmp_path: Path) -> None:
    source = tmp_path / "slo.yaml"
    source.write_text(
        OPENSLO.replace(
            "{policies}", "    - alertPolicyRef: api-fast-burn\n    - alertPolicyRef: api-slow-burn"
        ).replace("duration: 28d", "duration: 7d")
    )
    linted = run("lint", "--format", "json", str(source))
    codes = {line.split('"code": "')[1][:6] for line in linted.output.splitlines() if '"code"' in line}
    assert not codes & {"SLO305", "SLO306", "SLO309"}, linted.output
    compiled = run("compile", str(source), "--target", "prometheus")
    assert compiled.exit_code == 0, compiled.output
    assert "alert:" not in compiled.stdout or "SLOBudgetBurn" not in compiled.stdout
    assert "alert policy 'api-fast-burn' is in a file not read here" in compiled.stderr
    converted = run("convert", "--to", "yaml", str(source))
    assert "alert policy 'api-slow-burn' is in a file not read here" in converted.stderr
    # With the policies' file beside it, its tiers are read (and no note is needed).
    (tmp_path / "policies.yaml").write_text(
        policy("api-fast-burn", "page") + "---\n" + policy("api-slow-burn", "ticket", "1", "3d")
    )
    compiled = run("compile", str(tmp_path), "--target", "prometheus")
    assert compiled.exit_code == 0, compiled.output
    assert "SLOBudgetBurnPage" in compiled.stdout and "is in a file not read" not in compiled.stderr
