"""OpenSLO export keeps the spec's meaning (time slices, burn-rate operators, calendar
anchors) and stays valid OpenSLO whatever the names: every export passes slospec's own
OpenSLO lint with zero findings."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slospec import compile as backends
from slospec.api import lint_paths, load_specs
from slospec.compile import CompileError, CompileOptions
from slospec.config import Config
from slospec.source import yamlfile
from tests.conftest import EXAMPLES

BASE = """\
apiVersion: slospec/v1
service:
  name: {service}
  displayName: {service_display}
  description: A service with an exported OpenSLO contract.
  owner: {owner}
slis:
  - name: {sli}
    displayName: {sli_display}
    description: Requests that did not fail.
    ratio:
      bad: http_requests_total{{job="checkout",code=~"5.."}}
      total: http_requests_total{{job="checkout"}}
slos:
"""
SLO = """\
  - name: {name}
    displayName: {display}
    description: Checkout availability.
    sli: {sli}
    target: 99.9%
    window: {window}
"""


def write_spec(
    tmp_path: Path,
    *,
    service="checkout",
    sli="requests-ok",
    slos=("availability",),
    window="28d",
    owner="team-shop",
    display="Checkout availability",
    extra="",
) -> Path:
    text = BASE.format(
        service=service, service_display=f"{display} service", owner=owner, sli=sli, sli_display=f"{display} requests"
    )
    for name in slos:
        text += SLO.format(name=name, display=f"{display} {name[-1]}", sli=sli, window=window) + extra
    path = tmp_path / "spec.slo.yaml"
    path.write_text(text)
    return path


def export(path: Path) -> list:
    specs, problems = load_specs([str(path)], Config())
    assert not [p for p in problems if p.severity == "error"], problems
    (artifact,) = backends.load("openslo").compile(specs, CompileOptions())
    return artifact


def objects(artifact) -> list[dict]:
    return [d.data for d in yamlfile.load_all(artifact.text)]


def lint_export(tmp_path: Path, artifact) -> list:
    out = tmp_path / "exported.openslo.yaml"
    out.write_text(artifact.text)
    return lint_paths([str(out)], Config()).diagnostics


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.slo.yaml")), ids=lambda p: p.name)
def test_every_example_exports_to_openslo_that_lints_clean(tmp_path: Path, example: Path) -> None:
    specs, _ = load_specs([str(example)], Config())
    for artifact in backends.load("openslo").compile(specs, CompileOptions()):
        findings = lint_export(tmp_path, artifact)
        assert findings == [], [(d.code, d.line, d.message) for d in findings]


def test_long_names_stay_unique_valid_and_lint_clean(tmp_path: Path) -> None:
    service = "a-very-long-service-name-for-the-payments-platform-in-europe"  # 60 characters
    slos = [f"availability-of-the-public-checkout-endpoint-for-all-regions-{c}" for c in "ab"]
    path = write_spec(
        tmp_path,
        service=service,
        sli="requests-ok-for-the-public-checkout-endpoint-in-all-regions",
        slos=slos,
        owner="Team Payments EU",
        display="The availability of the public checkout endpoint, for all regions, at the edge",
    )
    artifact = export(path)
    docs = objects(artifact)
    names: dict[str, list[str]] = {}
    for doc in docs:
        names.setdefault(doc["kind"], []).append(doc["metadata"]["name"])
        for condition in doc.get("spec", {}).get("conditions", []) if doc["kind"] == "AlertPolicy" else []:
            names.setdefault("AlertCondition", []).append(condition["metadata"]["name"])
        assert len(doc["metadata"].get("displayName", "")) <= 63, doc["metadata"]
    assert len(names["AlertPolicy"]) == 8 and len(names["AlertCondition"]) == 8
    for kind, found in names.items():
        assert len(set(found)) == len(found), kind  # unique per kind
        for name in found:
            assert len(name) <= 63 and name == name.lower() and not name.startswith("-") and not name.endswith("-")
    assert lint_export(tmp_path, artifact) == []


def test_five_second_slices_are_not_written_as_one_minute_slices(tmp_path: Path) -> None:
    path = write_spec(tmp_path, extra="    budgeting: {method: timeslices, slice: 5s, sliceTarget: 99%}\n")
    specs, _ = load_specs([str(path)], Config())
    with pytest.raises(CompileError, match="5s.*whole minutes"):
        backends.load("openslo").compile(specs, CompileOptions())


def test_one_check_per_slice_is_exported_as_counting_checks() -> None:
    # uptime-daily: 5 s slices of a probe checked every 5 s - each slice is one check.
    specs, _ = load_specs([str(EXAMPLES / "uptime-daily.slo.yaml")], Config())
    (artifact,) = backends.load("openslo").compile(specs, CompileOptions())
    (slo,) = [d for d in objects(artifact) if d["kind"] == "SLO"]
    assert slo["spec"]["budgetingMethod"] == "Occurrences"
    assert "timeSliceWindow" not in slo["spec"]["objectives"][0]
    assert {"op": "gte", "value": 1}.items() <= slo["spec"]["objectives"][0].items()


def test_minute_slices_keep_their_slice_target(tmp_path: Path) -> None:
    path = write_spec(tmp_path, extra="    budgeting: {method: timeslices, slice: 2m, sliceTarget: 95%}\n")
    (slo,) = [d for d in objects(export(path)) if d["kind"] == "SLO"]
    objective = slo["spec"]["objectives"][0]
    assert slo["spec"]["budgetingMethod"] == "Timeslices"
    assert objective["timeSliceWindow"] == "2m" and str(objective["timeSliceTarget"]) == "0.95"


def test_burn_rate_conditions_use_the_rules_operator() -> None:
    from slospec.compile import prometheus

    specs, _ = load_specs([str(EXAMPLES / "api.slo.yaml")], Config())
    rules = prometheus.compile(specs, CompileOptions())[0].text
    assert "slo:burn_rate" in rules and " > " in rules and " >= " not in rules
    (artifact,) = backends.load("openslo").compile(specs, CompileOptions())
    ops = {
        c["spec"]["condition"]["op"]
        for d in objects(artifact)
        if d["kind"] == "AlertPolicy"
        for c in d["spec"]["conditions"]
    }
    assert ops == {"gt"}


@pytest.mark.parametrize(
    "calendar,check",
    [
        ("day", lambda t: t.hour == 0 and t.minute == 0),
        ("week", lambda t: t.weekday() == 0 and t.hour == 0),
        ("month", lambda t: t.day == 1 and t.hour == 0),
        ("quarter", lambda t: t.day == 1 and t.month in (1, 4, 7, 10)),
        ("year", lambda t: t.day == 1 and t.month == 1),
    ],
)
def test_calendar_windows_start_where_their_period_starts(tmp_path: Path, calendar: str, check) -> None:
    path = write_spec(tmp_path, window=f"{{calendar: {calendar}, timeZone: Europe/Berlin}}")
    (slo,) = [d for d in objects(export(path)) if d["kind"] == "SLO"]
    window = slo["spec"]["timeWindow"][0]
    start = datetime.strptime(window["calendar"]["startTime"], "%Y-%m-%d %H:%M:%S")
    assert check(start), window
    assert window["calendar"]["timeZone"] == "Europe/Berlin"


dns_names = st.from_regex(r"\A[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\Z", fullmatch=True)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    service=dns_names,
    sli=dns_names,
    slos=st.lists(dns_names, min_size=1, max_size=3, unique=True),
    owner=st.text(min_size=1, max_size=80).filter(str.strip),
    display=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=90).filter(
        lambda t: t.strip() == t
    ),
)
def test_any_names_export_to_openslo_that_lints_clean(tmp_path: Path, service, sli, slos, owner, display) -> None:
    path = write_spec(
        tmp_path, service=service, sli=sli, slos=slos, owner=json.dumps(owner), display=json.dumps(display)[1:-1]
    )
    specs, problems = load_specs([str(path)], Config())
    if [p for p in problems if p.severity == "error"]:
        return  # not a spec slospec accepts (say, a display name YAML reads as something else)
    (artifact,) = backends.load("openslo").compile(specs, CompileOptions())
    docs = objects(artifact)
    for doc in docs:
        assert len(doc["metadata"].get("displayName", "")) <= 63
    findings = lint_export(tmp_path, artifact)
    assert findings == [], [(d.code, d.message) for d in findings]


@settings(deadline=None)
@given(st.text(), st.text())
def test_dns_labels_are_valid_and_tell_names_apart(a: str, b: str) -> None:
    import re

    from slospec.interop.openslo.export import dns_label

    for text in (a, b):
        assert re.fullmatch(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?", dns_label(text)), text
    if a != b:
        assert dns_label(a) != dns_label(b)
