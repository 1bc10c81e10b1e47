"""Issue 27, case 8: OpenSLO v2alpha (`apiVersion: openslo.com/v2alpha`, what the spec
repository, the Go SDK and `oslo validate` ship) was "Nothing was checked". It is read as
OpenSLO: checked as the Go SDK validates it, judged by the same rules as v1 at the v2alpha
file's lines, converted to v1, and written back as v2alpha without losing what it measures."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slospec.cli import main
from tests.conftest import examples, need_corpus


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def lint_json(*paths: str) -> list[dict]:
    result = run("lint", "--format", "json", "--no-cache", *paths)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


# --- the real files -----------------------------------------------------------------------

GO_SDK = "go-sdk-head/pkg/openslo/v2alpha/examples"
# (file, the errors slospec reports as (line, code)): the Go SDK's examples are meant valid,
# except `op` on an inline ratio SLI (which its own validation forbids; oslo's test output
# says the same) and two Services of one name; the decode test data is only decoded by the
# Go SDK's tests, and breaks its validation rules.
CORPUS = [
    ("oslo-head/test/inputs/validate/v2alpha.yaml", [(34, "SLO002"), (50, "SLO002")]),
    ("oslo-head/test/inputs/validate/mix/3.yaml", [(4, "SLO002")]),
    ("oslo-head/test/inputs/validate/recursive/nested/2.yaml", [(4, "SLO002")]),
    ("go-sdk-head/pkg/openslosdk/test_data/decode/v2alpha_data_source.yaml", [(4, "SLO002")]),
    ("go-sdk-head/pkg/openslosdk/test_data/decode/v2alpha_slos.yaml", [(6, "SLO002"), (29, "SLO002")]),
    (f"{GO_SDK}/alert_conditions.yaml", []),
    (f"{GO_SDK}/alert_notification_targets.yaml", []),
    (f"{GO_SDK}/alert_policies.yaml", []),
    (f"{GO_SDK}/data_sources.yaml", []),
    (f"{GO_SDK}/services.yaml", [(18, "SLO005")]),
    (f"{GO_SDK}/slis.yaml", []),
    (f"{GO_SDK}/slos.yaml", [(34, "SLO002")]),
]


@pytest.mark.parametrize(("name", "expected"), CORPUS, ids=[c[0].rsplit("/", 1)[-1] for c in CORPUS])
def test_every_v2alpha_file_of_the_corpus_is_checked_as_the_go_sdk_checks_it(name: str, expected: list) -> None:
    path = need_corpus() / name
    result = run("lint", "--no-cache", str(path))
    assert "Nothing was checked" not in result.output
    assert "All checks passed" in result.output or "problem" in result.output
    found = [(d["line"], d["code"]) for d in lint_json(str(path)) if d["severity"] == "error"]
    assert found == expected


def test_the_oslo_validate_output_is_what_slospec_reports() -> None:
    """oslo's expected output for its v2alpha file: `op` forbidden on the ratio objective, the
    Service's name; its `America/New_York` error comes from a container without tzdata."""
    corpus = need_corpus()
    oslo = (corpus / "oslo-head/test/outputs/validate/v2alpha").read_text()
    assert "'spec.objectives[0].op' with value 'gt'" in oslo and "'metadata.name' with value 'example service'" in oslo
    messages = [d["message"] for d in lint_json(str(corpus / "oslo-head/test/inputs/validate/v2alpha.yaml"))]
    assert any(m.startswith("spec.objectives[0].op: not allowed with an inline ratioMetric") for m in messages)
    assert any(m.startswith("metadata.name: 'example service' is not valid") for m in messages)
    assert not any("time zone" in m for m in messages)


def test_a_folder_of_v2alpha_files_is_linted() -> None:
    folder = need_corpus() / GO_SDK
    result = run("lint", "--no-cache", str(folder))
    assert "Nothing was checked" not in result.output and "no spec files" not in result.output
    assert "in 7 files" in result.output


def test_the_v2alpha_corpus_slo_converts_to_v1() -> None:
    path = need_corpus() / GO_SDK / "slos.yaml"
    result = run("convert", str(path), "--to", "openslo")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "apiVersion: openslo/v1\n" in text and "v2alpha" not in text
    assert "target: 0.995" in text and "timeSliceTarget: 0.95" in text and "timeSliceWindow: 1m" in text
    assert "duration: 1w" in text and "timeZone: America/New_York" in text
    # Its source is not Prometheus (the DataSource is not in the file): the queries go as written.
    assert 'query: sum(http_requests{k8s_cluster="prod",component="web"})\n' in text
    assert "sum(sum(" not in text


# --- the Go SDK's rules, planted -------------------------------------------------------------

SLO = """\
apiVersion: openslo.com/v2alpha
kind: SLO
metadata:
  name: api-latency
  labels:
    team: api
spec:
  description: API answers fast
  serviceRef: api
  sli:
    metadata:
      name: api-p95
    spec:
      description: p95 latency of the API
      thresholdMetric:
        dataSourceSpec:
          type: Prometheus
          connectionDetails: {}
        spec:
          query: histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="api"}[5m])))
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 28d
      isRolling: true
  objectives:
    - displayName: fast
      op: lt
      value: 0.2
      target: 0.99
"""


def lint_text(tmp_path: Path, text: str) -> list[tuple[int, int, str, str]]:
    path = tmp_path / "slo.yaml"
    path.write_text(text)
    return [(d["line"], d["column"], d["code"], d["message"]) for d in lint_json(str(path))]


def errors(tmp_path: Path, text: str) -> list[tuple[int, str]]:
    return [(line, message) for line, _col, code, message in lint_text(tmp_path, text) if code == "SLO002"]


def test_a_valid_v2alpha_slo_passes(tmp_path: Path) -> None:
    assert lint_text(tmp_path, SLO) == []


@pytest.mark.parametrize(
    ("old", "new", "line", "says"),
    [
        ("  serviceRef: api\n", "", 8, "missing required key 'serviceRef'"),
        ("  serviceRef: api\n", "  serviceRef: api\n  service: api\n", 10, "cannot be set together; keep serviceRef"),
        ("  serviceRef: api\n", "  servceRef: api\n", 9, "unknown key; did you mean 'serviceRef'?"),
        ("  budgetingMethod: Occurrences\n", "  budgetingMethod: Occurences\n", 21, "is not one of: Occurrences"),
        ("  budgetingMethod: Occurrences\n", "", 8, "missing required key 'budgetingMethod'"),
        ("duration: 28d", "duration: 1M", 23, "v2alpha has no M, Q or Y unit"),
        ("      isRolling: true\n", "      isRolling: false\n", 23, "'calendar' must be set when 'isRolling' is false"),
        ("      op: lt\n", "", 26, "missing required key 'op'"),
        ("      op: lt\n", "      op: below\n", 27, "'below' is not one of: gt, lt, gte, lte"),
        ("      target: 0.99\n", "      target: 1\n", 29, "must be at least 0 and less than 1"),
        ("      target: 0.99\n", "      target: 0.99\n      targetPercent: 99\n", 26, "cannot be set together"),
        ("    team: api\n", "    team: [api]\n", 6, "v2alpha labels hold one string each"),
        ("  name: api-latency\n", "  name: API Latency\n", 4, "an RFC 1123 DNS label"),
        ("  name: api-latency\n", "  name: api-latency\n  displayName: API\n", 5, "unknown key"),
        ("        dataSourceSpec:\n", "        dataSourceRef: prom\n        dataSourceSpec:\n", 16, "keep one"),
        ("          connectionDetails: {}\n", "", 17, "missing required key 'connectionDetails'"),
        ("  sli:\n", "  sliRef: other\n  sli:\n", 8, "'sli' and 'sliRef' cannot be set together"),
        ("kind: SLO\n", "kind: Objective\n", 2, "kind 'Objective' does not exist in openslo.com/v2alpha"),
    ],
)
def test_each_go_sdk_rule_is_an_error_at_its_line_saying_what_to_write(
    tmp_path: Path, old: str, new: str, line: int, says: str
) -> None:
    assert old in SLO
    found = errors(tmp_path, SLO.replace(old, new, 1))
    assert any(at == line and says in message for at, message in found), found


RATIO_SLI = """\
apiVersion: openslo.com/v2alpha
kind: SLI
metadata:
  name: api-errors
spec:
  ratioMetric:
    counter: true
    good:
      dataSourceRef: prom
      spec:
        query: sum(http_requests_total{code!~"5.."})
    total:
      dataSourceRef: prom
      spec:
        query: sum(http_requests_total)
"""

POLICY = """\
apiVersion: openslo.com/v2alpha
kind: AlertPolicy
metadata:
  name: fast-burn
spec:
  conditions:
    - conditionRef: fast
  notificationTargets:
    - targetRef: oncall
"""


@pytest.mark.parametrize(
    ("text", "old", "new", "says"),
    [
        (RATIO_SLI, "    total:\n", "    bad:\n      dataSourceRef: prom\n    total:\n", "'good' and 'bad' cannot"),
        (RATIO_SLI, "    good:\n", "    rawType: success\n    raw:\n", "'total' and 'raw' cannot"),
        (RATIO_SLI, "      dataSourceRef: prom\n", "      dataSourceRef: Prom\n", "an RFC 1123 DNS label"),
        (RATIO_SLI, "  ratioMetric:\n", "  thresholdMetric: {dataSourceRef: prom}\n  ratioMetric:\n", "keep one"),
        (POLICY, "    - conditionRef: fast\n", "    - conditionRef: fast\n    - conditionRef: slow\n", "exactly one"),
        (POLICY, "  notificationTargets:\n    - targetRef: oncall\n", "", "at least one notification target"),
        (POLICY, "    - conditionRef: fast\n", "    - kind: AlertCondition\n      metadata: {name: c}\n", "'spec'"),
    ],
)
def test_sli_and_alert_policy_rules(tmp_path: Path, text: str, old: str, new: str, says: str) -> None:
    assert lint_text(tmp_path, text) == [] or all(code != "SLO002" for _l, _c, code, _m in lint_text(tmp_path, text))
    assert old in text
    found = errors(tmp_path, text.replace(old, new, 1))
    assert any(says in message for _line, message in found), found


def test_the_older_service_key_is_read_as_oslo_reads_it(tmp_path: Path) -> None:
    assert errors(tmp_path, SLO.replace("serviceRef: api", "service: api")) == []


# --- judged as v1 is, at the v2alpha file's lines ---------------------------------------------


def test_realism_rules_judge_a_v2alpha_slo_at_its_lines(tmp_path: Path) -> None:
    """A p95 of a `_seconds` metric compared with 200: surely 200 ms (SLO214), at `value:`."""
    found = lint_text(tmp_path, SLO.replace("value: 0.2", "value: 200"))
    assert [(line, col, code) for line, col, code, _m in found] == [(28, 14, "SLO214")]
    assert "write value: 0.2" in found[0][3]


def test_references_resolve_across_v2alpha_files(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    slo = SLO.replace("  sli:\n", "  sliRef: api-errors\n  x-sli:\n")
    slo = slo[: slo.index("  x-sli:")] + slo[slo.index("  budgetingMethod:") :]
    slo = slo.replace("      op: lt\n      value: 0.2\n", "")
    (tmp_path / "slo.yaml").write_text(slo)
    (tmp_path / "sli.yaml").write_text(RATIO_SLI)
    found = lint_json(str(tmp_path / "slo.yaml"))
    assert not [d for d in found if d["code"] == "SLO004" and "SLI" in d["message"]]
    (tmp_path / "sli.yaml").unlink()
    found = lint_json(str(tmp_path / "slo.yaml"))
    assert [(d["line"], d["code"], d["severity"]) for d in found if d["code"] == "SLO004"] == [(10, "SLO004", "error")]


# --- conversion ---------------------------------------------------------------------------------


def test_convert_writes_v2alpha_on_request_and_refuses_what_it_cannot_say(tmp_path: Path) -> None:
    source = tmp_path / "api.slo.yaml"
    source.write_text(
        "apiVersion: slospec/v1\nservice: {name: api, owner: team-api}\n"
        "slis:\n  - name: errors\n    ratio: {good: 'x_total{code!~\"5..\"}', total: x_total}\n"
        "slos:\n  - {name: avail, sli: errors, target: 99.9%, window: 28d}\n"
    )
    result = run("convert", str(source), "--to", "openslo", "--openslo-version", "v2alpha")
    assert result.exit_code == 0, result.output
    assert "apiVersion: openslo.com/v2alpha" in result.stdout and "openslo/v1" not in result.stdout
    out = tmp_path / "api.openslo.yaml"
    out.write_text(result.stdout)
    assert [d for d in lint_json(str(out)) if d["severity"] == "error"] == []
    back = run("convert", str(out), "--to", "yaml")
    assert back.exit_code == 0, back.output
    assert back.stdout == run("convert", str(source), "--to", "yaml").stdout

    assert run("convert", str(source), "--to", "yaml", "--openslo-version", "v2alpha").exit_code == 2
    source.write_text(source.read_text().replace("window: 28d", "window: {calendar: month}"))
    refused = run("convert", str(source), "--to", "openslo", "--openslo-version", "v2alpha")
    assert refused.exit_code == 2
    assert "calendar month window cannot be written in OpenSLO v2alpha" in refused.output


# --- round trip: v2alpha -> slospec -> v2alpha, over generated files -----------------------------

NAMES = st.from_regex(r"[a-z][a-z0-9]{1,10}", fullmatch=True)
LABEL_VALUES = st.from_regex(r"[a-z]([a-z0-9-]{0,7}[a-z0-9])?", fullmatch=True)
LABELS = st.dictionaries(st.sampled_from(["team", "tier", "env", "category"]), LABEL_VALUES, max_size=3)
OPS = st.sampled_from(["lt", "lte", "gt", "gte"])
THRESHOLDS = st.sampled_from(["0.2", "0.05", "1.5", "300"])
TARGETS = st.sampled_from(["0.99", "0.999", "0.95", "0.9995"])
WINDOWS = st.sampled_from(["28d", "7d", "30d", "1w", "4w", "12h"])
SEVERITIES = st.sampled_from(["critical", "page", "High", "warning", "ticket"])


def _metric(query: str, by_ref: bool) -> str:
    source = "dataSourceRef: prom" if by_ref else "dataSourceSpec:\n  type: Prometheus\n  connectionDetails: {}"
    return f"{source}\nspec:\n  query: '{query}'"


def _indent(text: str, by: int) -> str:
    return "\n".join(" " * by + line for line in text.splitlines())


@st.composite
def v2alpha_files(draw) -> tuple[str, dict]:
    name, job = draw(NAMES), draw(st.sampled_from(["api", "checkout", "search"]))
    kind = draw(st.sampled_from(["counter", "rate", "threshold"]))
    by_ref = draw(st.booleans())
    if kind == "threshold":
        query = f'histogram_quantile(0.95, sum by (le) (rate(x_seconds_bucket{{job="{job}"}}[5m])))'
        body = f"thresholdMetric:\n{_indent(_metric(query, by_ref), 2)}"
        facts: dict = {"threshold": query}
    else:
        rate = kind == "rate"
        good = f'http_requests_total{{job="{job}",code!~"5.."}}'
        total = f'http_requests_total{{job="{job}"}}'
        good, total = (f"sum(rate({q}[5m]))" if rate else f"sum({q})" for q in (good, total))
        body = (
            f"ratioMetric:\n  counter: {str(not rate).lower()}\n"
            f"  good:\n{_indent(_metric(good, by_ref), 4)}\n  total:\n{_indent(_metric(total, by_ref), 4)}"
        )
        facts = {"counter": not rate, "good": good, "total": total}
    objective = {"target": draw(TARGETS)}
    if kind == "threshold":
        objective.update({"op": draw(OPS), "value": draw(THRESHOLDS)})
    facts.update(
        objective=objective,
        window=draw(WINDOWS),
        severity=draw(SEVERITIES),
        burn=draw(st.sampled_from(["14.4", "6", "2"])),
        alert_after=draw(st.sampled_from(["0m", "2m", "5m"])),
        labels=draw(LABELS),
        service_labels=draw(LABELS),
    )
    lines = "".join(f"      {k}: {v}\n" for k, v in objective.items()).replace("      ", "    - ", 1)
    labels = "".join(f"    {k}: {v}\n" for k, v in facts["labels"].items())
    service_labels = "".join(f"    {k}: {v}\n" for k, v in facts["service_labels"].items())
    # A query names its source by reference (a DataSource object of the file) or inline.
    source = "kind: DataSource\nmetadata:\n  name: prom\nspec:\n  type: Prometheus\n  connectionDetails: {}\n"
    text = (
        ("apiVersion: openslo.com/v2alpha\n" + source + "---\n" if by_ref else "")
        + f"""\
apiVersion: openslo.com/v2alpha
kind: Service
metadata:
  name: {name}-svc
{"  labels:" + chr(10) + service_labels if service_labels else ""}spec:
  description: the service
---
apiVersion: openslo.com/v2alpha
kind: SLO
metadata:
  name: {name}
{"  labels:" + chr(10) + labels if labels else ""}spec:
  serviceRef: {name}-svc
  sli:
    metadata:
      name: {name}-sli
    spec:
{_indent(body, 6)}
  timeWindow:
    - duration: {facts["window"]}
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
{lines}  alertPolicies:
    - alertPolicyRef: {name}-burn
---
apiVersion: openslo.com/v2alpha
kind: AlertPolicy
metadata:
  name: {name}-burn
spec:
  conditions:
    - kind: AlertCondition
      metadata:
        name: {name}-burn-condition
      spec:
        severity: {facts["severity"]}
        condition:
          kind: burnrate
          op: gt
          threshold: {facts["burn"]}
          lookbackWindow: 1h
          alertAfter: {facts["alert_after"]}
  notificationTargets:
    - kind: AlertNotificationTarget
      metadata:
        name: {name}-mail
      spec:
        target: email
"""
    )
    return text, facts


def _seconds(duration: str) -> int:
    units = {"m": 60, "h": 3600, "d": 86400, "w": 604800}
    return int(duration[:-1]) * units[duration[-1]]


def _export(text: str, version: str) -> list[dict]:
    from slospec.compile import CompileOptions
    from slospec.config import Config
    from slospec.interop.openslo import export, export_v2alpha
    from slospec.interop.openslo.checker import problems
    from slospec.interop.openslo.importer import to_slospec
    from slospec.interop.openslo.objects import objects
    from slospec.source import loader, yamlfile
    from slospec.specmodel import model

    source = loader.parse("in.yaml", text, "openslo", Config())
    assert [p.message for o in objects(source.documents) for p in problems(o)] == []
    specs = [model.build(d, "in.yaml") for d in to_slospec(source)]
    module = export_v2alpha if version == "v2alpha" else export
    (artifact,) = module.compile(specs, CompileOptions())
    out = loader.parse("out.yaml", artifact.text, "openslo", Config())
    assert [p.message for o in objects(out.documents) for p in problems(o)] == []  # valid as written
    return [d.data for d in yamlfile.load_all(artifact.text)]


@settings(max_examples=examples(1), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(v2alpha_files(), st.sampled_from(["v2alpha", "v1"]))
def test_v2alpha_to_slospec_and_back_keeps_what_routes_and_measures(case: tuple[str, dict], version: str) -> None:
    text, facts = case
    docs = _export(text, version)
    v2 = version == "v2alpha"
    assert {d["apiVersion"] for d in docs} == {"openslo.com/v2alpha" if v2 else "openslo/v1"}
    (slo,) = [d for d in docs if d["kind"] == "SLO"]
    (sli,) = [d for d in docs if d["kind"] == "SLI"]
    (service,) = [d for d in docs if d["kind"] == "Service"]
    (objective,) = slo["spec"]["objectives"]
    assert Decimal(str(objective["target"])) == Decimal(facts["objective"]["target"])
    assert _seconds(slo["spec"]["timeWindow"][0]["duration"]) == _seconds(facts["window"])

    def query(metric: dict) -> str:
        return metric["spec"]["query"] if v2 else metric["metricSource"]["spec"]["query"]

    if "threshold" in facts:
        assert query(sli["spec"]["thresholdMetric"]) == facts["threshold"]
        assert objective["op"] == facts["objective"]["op"]
        assert Decimal(str(objective["value"])) == Decimal(facts["objective"]["value"])
    else:
        ratio = sli["spec"]["ratioMetric"]
        assert ratio["counter"] is facts["counter"]
        assert (query(ratio["good"]), query(ratio["total"])) == (facts["good"], facts["total"])
    conditions = [c["spec"] for d in docs if d["kind"] == "AlertPolicy" for c in d["spec"]["conditions"]]
    assert [c["severity"] for c in conditions] == [facts["severity"]]
    assert [Decimal(str(c["condition"]["threshold"])) for c in conditions] == [Decimal(facts["burn"])]
    after = [c["condition"].get("alertAfter", "0m") for c in conditions]
    assert [_seconds(a) for a in after] == [_seconds(facts["alert_after"])]
    if v2:  # v2alpha keeps the service's labels (the Service's value first), its owner as `team`
        expected = {**facts["labels"], **facts["service_labels"]}
        owner = facts["labels"].get("team") or facts["service_labels"].get("team")
        if owner:
            expected["team"] = owner
        assert service["metadata"].get("labels", {}) == expected


def test_one_set_of_objects_in_v1_and_v2alpha_in_one_folder_is_no_duplicate() -> None:
    """oslo's validate inputs hold the same SLO and Services as v1.yaml and as v2alpha.yaml."""
    folder = need_corpus() / "oslo-head/test/inputs/validate"
    found = lint_json(str(folder / "v1.yaml"), str(folder / "v2alpha.yaml"))
    assert [d for d in found if d["code"] == "SLO005" and "v2alpha" in d["path"]] == []


def test_a_composite_slo_is_checked_and_said_not_converted(tmp_path: Path) -> None:
    composite = SLO.replace("      op: lt\n      value: 0.2\n", "      sliRef: api-errors\n      compositeWeight: 1\n")
    composite = composite[: composite.index("  sli:\n")] + composite[composite.index("  budgetingMethod:") :]
    assert errors(tmp_path, composite) == []
    assert errors(tmp_path, composite.replace("compositeWeight: 1", "compositeWeight: 0")) != []
    path = tmp_path / "slo.yaml"
    path.write_text(composite + "---\n" + SLO.replace("name: api-latency", "name: api-fast"))
    result = run("convert", str(path), "--to", "yaml")
    assert result.exit_code == 0, result.output
    assert "SLO 'api-latency' is a composite SLO (an SLI per objective)" in result.stderr
    assert "name: api-fast" in result.stdout and "name: api-latency" not in result.stdout
