"""Issue 27, "done when": a foreign file -> slospec -> back to its own format keeps targets,
windows, queries, thresholds, ops, labels and alert names, for every format slospec exports
(Sloth and OpenSLO), over generated files."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slospec import compile as backends
from slospec.compile import CompileOptions
from slospec.interop.sloth import reader as sloth_format
from slospec.source import yamlfile
from slospec.source.document import Document
from slospec.specmodel import model
from tests.conftest import examples

NAMES = st.from_regex(r"[a-z][a-z0-9]{1,10}", fullmatch=True)
LABEL_KEYS = st.sampled_from(["team", "tier", "category", "routing_key", "env"])
LABEL_VALUES = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)
LABELS = st.dictionaries(LABEL_KEYS, LABEL_VALUES, max_size=3)
JOBS = st.sampled_from(["api", "checkout", "search"])
OBJECTIVES = st.sampled_from(["99", "99.5", "99.9", "99.95", "95"])


def _doc(data: dict, path: str) -> Document:
    (parsed,) = yamlfile.load_all(yamlfile_dump(data))
    return Document(path, parsed.data, parsed.source_map, kind="sloth", index=0)


def yamlfile_dump(data: dict) -> str:
    from slospec.compile import yamlout

    return yamlout.dump(data)


@st.composite
def sloth_specs(draw) -> dict:
    service_labels = draw(LABELS)
    slos = []
    for name in draw(st.lists(NAMES, min_size=1, max_size=3, unique=True)):
        job = draw(JOBS)
        alerting: dict = {"name": draw(st.from_regex(r"[A-Z][A-Za-z]{2,12}Alert", fullmatch=True))}
        alerting["labels"] = draw(LABELS)
        alerting["page_alert"] = {"labels": {"severity": draw(st.sampled_from(["critical", "page", "pageteam"]))}}
        alerting["ticket_alert"] = {"labels": {"severity": draw(st.sampled_from(["warning", "ticket", "slack"]))}}
        slos.append(
            {
                "name": name,
                "objective": Decimal(draw(OBJECTIVES)),
                "labels": draw(LABELS),
                "sli": {
                    "events": {
                        "error_query": f'sum(rate(http_requests_total{{job="{job}",code=~"5.."}}[{{{{.window}}}}]))',
                        "total_query": f'sum(rate(http_requests_total{{job="{job}"}}[{{{{.window}}}}]))',
                    }
                },
                "alerting": alerting,
            }
        )
    return {"version": "prometheus/v1", "service": draw(NAMES), "labels": service_labels, "slos": slos}


def _alert_labels(service: dict, slo: dict, severity: str) -> dict:
    """The labels Sloth puts on an alert of this severity (what Alertmanager routes on)."""
    alerting = slo.get("alerting", {})
    key = "page_alert" if severity == "page" else "ticket_alert"
    return {
        **service.get("labels", {}),
        **slo.get("labels", {}),
        **alerting.get("labels", {}),
        **alerting.get(key, {}).get("labels", {}),
    }


@settings(max_examples=examples(1), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sloth_specs())
def test_sloth_to_slospec_and_back_keeps_what_routes_and_measures(original: dict) -> None:
    imported = sloth_format.convert(_doc(original, "in.sloth.yml"))
    assert imported.data is not None, imported.problems
    spec = model.build(imported.data, "in.sloth.yml")
    (artifact,) = backends.load("sloth").compile([spec], CompileOptions())
    (back,) = [d.data for d in yamlfile.load_all(artifact.text)]
    assert back["service"] == original["service"]
    assert {k: v for k, v in back.get("labels", {}).items()} == original["labels"]
    assert [s["name"] for s in back["slos"]] == [s["name"] for s in original["slos"]]
    for before, after in zip(original["slos"], back["slos"], strict=True):
        assert Decimal(str(after["objective"])) == before["objective"]
        assert after["sli"]["events"] == before["sli"]["events"]
        assert after["alerting"]["name"] == before["alerting"]["name"]
        for severity in ("page", "ticket"):
            assert _alert_labels(back, after, severity) == _alert_labels(original, before, severity)


OPS = st.sampled_from(["lt", "lte", "gt", "gte"])
THRESHOLDS = st.sampled_from(["0.2", "0.05", "1.5", "300"])
TARGETS = st.sampled_from(["0.99", "0.999", "0.95", "0.9995"])
WINDOWS = st.sampled_from(["28d", "7d", "30d", "1w", "4w"])
SEVERITIES = st.sampled_from(["critical", "page", "High", "warning", "ticket"])


@st.composite
def openslo_files(draw) -> tuple[str, dict]:
    job = draw(JOBS)
    kind = draw(st.sampled_from(["counter", "rate", "threshold"]))
    if kind == "counter":
        indicator = {
            "ratioMetric": {
                "counter": True,
                "good": f'sum(http_requests_total{{job="{job}",code!~"5.."}})',
                "total": f'sum(http_requests_total{{job="{job}"}})',
            }
        }
    elif kind == "rate":
        indicator = {
            "ratioMetric": {
                "counter": False,
                "good": f'sum(rate(http_requests_total{{job="{job}",code!~"5.."}}[5m]))',
                "total": f'sum(rate(http_requests_total{{job="{job}"}}[5m]))',
            }
        }
    else:
        indicator = {"threshold": f'histogram_quantile(0.95, sum by (le) (rate(x_seconds_bucket{{job="{job}"}}[5m])))'}
    objective = {"target": draw(TARGETS)}
    if kind == "threshold":
        objective.update({"op": draw(OPS), "value": draw(THRESHOLDS)})
    facts = {
        "kind": kind,
        "indicator": indicator,
        "objective": objective,
        "window": draw(WINDOWS),
        "severity": draw(SEVERITIES),
        "burn": draw(st.sampled_from(["14.4", "6", "2"])),
    }
    return _openslo_text(draw(NAMES), facts), facts


def _metric(query: str) -> str:
    return f"metricSource:\n  type: Prometheus\n  spec:\n    query: '{query}'"


def _indent(text: str, by: int) -> str:
    return "\n".join(" " * by + line for line in text.splitlines())


def _openslo_text(name: str, facts: dict) -> str:
    indicator = facts["indicator"]
    if "ratioMetric" in indicator:
        ratio = indicator["ratioMetric"]
        body = (
            f"ratioMetric:\n  counter: {str(ratio['counter']).lower()}\n"
            f"  good:\n{_indent(_metric(ratio['good']), 4)}\n  total:\n{_indent(_metric(ratio['total']), 4)}"
        )
    else:
        body = f"thresholdMetric:\n{_indent(_metric(indicator['threshold']), 2)}"
    objective = "".join(f"      {k}: {v}\n" for k, v in facts["objective"].items()).replace("      ", "    - ", 1)
    return f"""\
apiVersion: openslo/v1
kind: SLO
metadata:
  name: {name}
spec:
  service: {name}-svc
  indicator:
    metadata:
      name: {name}-sli
    spec:
{_indent(body, 6)}
  timeWindow:
    - duration: {facts["window"]}
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
{objective}  alertPolicies:
    - alertPolicyRef: {name}-burn
---
apiVersion: openslo/v1
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
  notificationTargets:
    - kind: AlertNotificationTarget
      metadata:
        name: {name}-mail
      spec:
        target: email
"""


def _seconds(duration: str) -> int:
    units = {"m": 60, "h": 3600, "d": 86400, "w": 604800}
    return int(duration[:-1]) * units[duration[-1]]


@settings(max_examples=examples(1), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(openslo_files())
def test_openslo_to_slospec_and_back_keeps_what_routes_and_measures(case: tuple[str, dict]) -> None:
    from slospec.config import Config
    from slospec.interop.openslo.importer import to_slospec
    from slospec.source import loader

    text, facts = case
    source = loader.parse("in.yaml", text, "openslo", Config())
    datas = to_slospec(source)
    specs = [model.build(d, "in.yaml") for d in datas]
    (artifact,) = backends.load("openslo").compile(specs, CompileOptions())
    docs = [d.data for d in yamlfile.load_all(artifact.text)]
    (slo,) = [d for d in docs if d["kind"] == "SLO"]
    (sli,) = [d for d in docs if d["kind"] == "SLI"]
    (objective,) = slo["spec"]["objectives"]
    assert Decimal(str(objective["target"])) == Decimal(facts["objective"]["target"])
    assert _seconds(slo["spec"]["timeWindow"][0]["duration"]) == _seconds(facts["window"])
    indicator = facts["indicator"]
    if "ratioMetric" in indicator:
        ratio = sli["spec"]["ratioMetric"]
        assert ratio["counter"] is indicator["ratioMetric"]["counter"]
        for key in ("good", "total"):
            assert ratio[key]["metricSource"]["spec"]["query"] == indicator["ratioMetric"][key]
    else:
        assert sli["spec"]["thresholdMetric"]["metricSource"]["spec"]["query"] == indicator["threshold"]
        assert objective["op"] == facts["objective"]["op"]
        assert Decimal(str(objective["value"])) == Decimal(facts["objective"]["value"])
    conditions = [c for d in docs if d["kind"] == "AlertPolicy" for c in d["spec"]["conditions"]]
    assert [c["spec"]["severity"] for c in conditions] == [facts["severity"]]
    assert [Decimal(str(c["spec"]["condition"]["threshold"])) for c in conditions] == [Decimal(facts["burn"])]
