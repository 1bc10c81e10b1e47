"""OpenSLO projects spread over files, linted the way pre-commit does (only the changed files):
references resolve against the project, typos still fail, optional kinds are not errors,
names are unique per folder and Nobl9 project, and bad or foreign files never hide the rest."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from slospec.api import lint_paths
from slospec.config import Config

SERVICE = """\
apiVersion: openslo/v1
kind: Service
metadata:
  name: checkout
spec:
  description: Checkout API
"""
SLI = """\
apiVersion: openslo/v1
kind: SLI
metadata:
  name: checkout-ok
spec:
  ratioMetric:
    counter: true
    good:
      metricSource:
        type: Prometheus
        spec:
          query: http_requests_total{job="checkout",code!~"5.."}
    total:
      metricSource:
        type: Prometheus
        spec:
          query: http_requests_total{job="checkout"}
"""
CONDITION = """\
apiVersion: openslo/v1
kind: AlertCondition
metadata:
  name: fast-burn
spec:
  severity: page
  condition:
    kind: burnrate
    op: gt
    threshold: 14.4
    lookbackWindow: 1h
    alertAfter: 2m
"""
POLICY = """\
apiVersion: openslo/v1
kind: AlertPolicy
metadata:
  name: checkout-page
spec:
  alertWhenBreaching: true
  conditions:
    - conditionRef: fast-burn
  notificationTargets:
    - targetRef: on-call
"""
TARGET = """\
apiVersion: openslo/v1
kind: AlertNotificationTarget
metadata:
  name: on-call
spec:
  target: pagerduty
"""
SLO = """\
apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-availability
spec:
  service: {service}
  indicatorRef: {sli}
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 28d
      isRolling: true
  objectives:
    - target: {target}
  alertPolicies:
    - alertPolicyRef: checkout-page
"""


def project(root: Path, marker: str = ".git", **slo) -> Path:
    values = {"service": "checkout", "sli": "checkout-ok", "target": "0.999"} | slo
    if marker == ".git":
        (root / ".git").mkdir()
    elif marker:
        (root / marker).write_text("")
    (root / "slo").mkdir()
    (root / "service.yaml").write_text(SERVICE)
    (root / "slo" / "sli.yaml").write_text(SLI)
    (root / "alerting").mkdir()
    (root / "alerting" / "condition.yaml").write_text(CONDITION)
    (root / "alerting" / "policy.yaml").write_text(POLICY)
    (root / "alerting" / "target.yaml").write_text(TARGET)
    (root / "slo" / "slo.yaml").write_text(SLO.format(**values))
    return root / "slo" / "slo.yaml"


def errors(*paths: Path) -> list[tuple[str, int, str]]:
    report = lint_paths([str(p) for p in paths], Config())
    assert report.crashes == []
    return [(Path(d.path).name, d.span.line, d.code) for d in report.diagnostics if d.severity == "error"]


@pytest.mark.parametrize("marker", [".git", "pyproject.toml", "slospec.toml"])
def test_each_file_of_a_valid_project_passes_alone(tmp_path, marker) -> None:
    slo = project(tmp_path, marker)
    for path in (
        slo,
        tmp_path / "slo" / "sli.yaml",
        tmp_path / "alerting" / "policy.yaml",
        tmp_path / "alerting" / "condition.yaml",
        tmp_path / "service.yaml",
    ):
        assert errors(path) == [], path


def test_a_typo_in_a_reference_still_fails_alone(tmp_path) -> None:
    slo = project(tmp_path, sli="checkout-okk")
    report = lint_paths([str(slo)], Config())
    found = [d for d in report.diagnostics if d.code == "SLO004"]
    assert [(d.span.line, d.severity) for d in found] == [(7, "error")]
    assert "did you mean 'checkout-ok'?" in found[0].message


def test_a_dangling_policy_reference_fails(tmp_path) -> None:
    slo = project(tmp_path)
    (tmp_path / "alerting" / "policy.yaml").unlink()
    assert errors(slo) == [("slo.yaml", 15, "SLO004")]


def test_service_and_datasource_defined_elsewhere_are_not_errors(tmp_path) -> None:
    slo = project(tmp_path, service="payments")  # no Service object of that name anywhere
    sli = tmp_path / "slo" / "sli.yaml"
    sli.write_text(SLI.replace("        type: Prometheus\n", "        metricSourceRef: my-datadog\n"))
    assert errors(slo, sli) == []


def test_a_name_close_to_an_existing_service_gets_a_hint(tmp_path) -> None:
    slo = project(tmp_path, service="checkuot")
    (tmp_path / "slo" / "sli.yaml").unlink()  # make the project read: a reference dangles
    report = lint_paths([str(slo)], Config())
    hints = [d for d in report.diagnostics if d.code == "SLO004" and d.severity == "info"]
    assert any("did you mean 'checkout'" in d.message for d in hints)


def test_realism_rules_judge_an_slo_whose_sli_lives_elsewhere_or_nowhere(tmp_path) -> None:
    slo = project(tmp_path, target="0.99999")
    report = lint_paths([str(slo)], Config(), None)
    assert "SLO102" in {d.code for d in report.diagnostics}
    (tmp_path / "slo" / "sli.yaml").unlink()
    report = lint_paths([str(slo)], Config().with_cli(None, "SLO004", False))
    assert "SLO102" in {d.code for d in report.diagnostics}


def test_without_a_project_marker_a_dangling_name_is_only_an_info(tmp_path) -> None:
    slo = project(tmp_path, marker="", sli="defined-in-the-platform")
    report = lint_paths([str(slo)], Config())
    found = [d for d in report.diagnostics if d.code == "SLO004"]
    # the SLI, and the alert policy kept in another folder: neither can be judged
    assert [(d.span.line, d.severity) for d in found] == [(7, "info"), (15, "info")]


def test_the_same_names_in_prod_and_staging_are_not_duplicates(tmp_path) -> None:
    for env in ("prod", "staging"):
        (tmp_path / env).mkdir()
        (tmp_path / env / "service.yaml").write_text(SERVICE)
    assert errors(tmp_path / "prod" / "service.yaml", tmp_path / "staging" / "service.yaml") == []
    (tmp_path / "prod" / "copy.yaml").write_text(SERVICE)
    # discovery order is by name: the copy comes first, the second definition is reported
    assert errors(tmp_path / "prod" / "copy.yaml", tmp_path / "prod" / "service.yaml") == [
        ("service.yaml", 4, "SLO005")
    ]


def test_the_same_names_in_two_nobl9_projects_are_not_duplicates(tmp_path) -> None:
    def in_project(name: str) -> str:
        return SERVICE.replace(
            "  name: checkout\n", f"  name: checkout\n  annotations:\n    nobl9.com/metadata.project: {name}\n"
        )

    (tmp_path / "two.yaml").write_text(in_project("team-a") + "---\n" + in_project("team-b"))
    assert errors(tmp_path / "two.yaml") == []
    (tmp_path / "same.yaml").write_text(in_project("team-a") + "---\n" + in_project("team-a"))
    assert errors(tmp_path / "same.yaml") == [("same.yaml", 13, "SLO005")]


@pytest.mark.parametrize(
    "text, what",
    [
        ("version: prometheus/v1\nservice: myservice\nslos: []\n", "Sloth"),
        ("apiVersion: pyrra.dev/v1alpha1\nkind: ServiceLevelObjective\n", "Pyrra"),
        ("apiVersion: openslo/v2alpha\nkind: SLO\nmetadata:\n  name: x\n", "OpenSLO"),
    ],
)
def test_a_foreign_file_named_explicitly_gets_a_notice(tmp_path, text, what) -> None:
    path = tmp_path / "slo.yaml"
    path.write_text(text)
    report = lint_paths([str(path)], Config())
    if report.files:  # a format slospec has learnt to read: linted, not skipped
        return
    assert len(report.notices) == 1 and what in report.notices[0] and str(path) in report.notices[0]


def test_a_crash_on_one_file_keeps_the_report_of_the_others(tmp_path, monkeypatch) -> None:
    from slospec.specmodel import model

    good = tmp_path / "good.slo.yaml"
    good.write_text(
        textwrap.dedent("""\
        apiVersion: slospec/v1
        service:
          name: a
        slis:
          - name: ok
            ratio:
              bad: errors_total
              total: requests_total
        slos:
          - name: availability
            sli: ok
            target: 100%
            window: 28d
    """)
    )
    bad = tmp_path / "bad.slo.yaml"
    bad.write_text(good.read_text().replace("name: a", "name: boom"))
    real = model.build

    def build(data, path):
        if data["service"]["name"] == "boom":
            raise ZeroDivisionError("planted")
        return real(data, path)

    monkeypatch.setattr(model, "build", build)
    report = lint_paths([str(good), str(bad)], Config())
    assert [c.split(":")[0] for c in report.crashes] == [str(bad)]
    assert "SLO101" in {d.code for d in report.diagnostics if d.path == str(good)}
