"""Grafana dashboards: what a user importing them relies on (uids, the datasource variable,
the layout on Grafana's grid, valid PromQL) for every example; the fleet overview; the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from slospec import compile as backends
from slospec.compile import CompileError, CompileOptions
from slospec.compile import grafana_json as g
from slospec.slo import promql
from slospec.specmodel import model
from tests.conftest import EXAMPLES


def _examples():
    from slospec.api import load_specs
    from slospec.config import Config

    specs, _ = load_specs(sorted(str(p) for p in EXAMPLES.glob("*.slo.yaml")), Config())
    return specs


def compile_(specs):
    return [json.loads(a.text) for a in backends.load("grafana").compile(specs, CompileOptions())]


def test_every_example_gets_a_dashboard_a_grafana_would_import() -> None:
    dashboards = compile_(_examples())
    uids = [d["uid"] for d in dashboards]
    assert len(set(uids)) == len(uids) and "slospec-overview" in uids
    for d in dashboards:
        assert len(d["uid"]) <= 40 and d["schemaVersion"] == g.SCHEMA_VERSION
        assert d["templating"]["list"][0]["type"] == "datasource"
        ids = [p["id"] for p in d["panels"]]
        assert len(set(ids)) == len(ids)
        cells: set[tuple[int, int]] = set()
        for panel in d["panels"]:
            pos = panel["gridPos"]
            assert 0 <= pos["x"] and pos["x"] + pos["w"] <= 24
            area = {(x, y) for x in range(pos["x"], pos["x"] + pos["w"]) for y in range(pos["y"], pos["y"] + pos["h"])}
            assert not area & cells, f"{d['uid']}: {panel['title']} overlaps another panel"
            cells |= area
            for target in panel.get("targets", []):
                assert panel["datasource"] == target["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
                expr = target["expr"].replace("$service", ".+").replace("$slo", ".+").replace("$__range", "1h")
                assert promql.parse_error(expr) is None, expr


def test_a_service_dashboard_shows_each_slo_and_sla() -> None:
    (checkout,) = [d for d in compile_(_examples()) if d["uid"] == "slospec-checkout"]
    titles = [p["title"] for p in checkout["panels"]]
    for title in (
        "SLI against the target",
        "Error budget remaining over 28d",
        "Burn rate per alert tier",
        "Alerts",
        "Attainment this month so far",
    ):
        assert title in titles
    (burn,) = [p for p in checkout["panels"] if p["title"] == "Burn rate per alert tier"]
    steps = [s["value"] for s in burn["fieldConfig"]["defaults"]["thresholds"]["steps"]]
    assert steps == [None, 1, 3, 6, 14.4]  # each tier's threshold is drawn
    (text,) = [p for p in checkout["panels"] if p["title"] == "About this SLO"]
    assert (
        "99.95%" in text["options"]["content"]
        and "https://runbooks.example.com/checkout/error-budget" in (text["options"]["content"])
    )
    (sla,) = [p for p in checkout["panels"] if p["title"] == "Attainment this month so far"]
    assert sla["timeFrom"] == "now/M"
    assert [s["value"] for s in sla["fieldConfig"]["defaults"]["thresholds"]["steps"]] == [None, 0.95, 0.99, 0.999]


def test_uids_are_stable_and_fit_grafana() -> None:
    assert g.uid("checkout") == "slospec-checkout"
    long_a, long_b = "a" * 50 + "-one", "a" * 50 + "-two"
    assert len(g.uid(long_a)) == 40 and g.uid(long_a) != g.uid(long_b)
    assert g.uid("payments/eu west") != g.uid("payments-eu-west")  # both slugs read payments-eu-west
    assert g.uid(long_a) == g.uid(long_a)


def test_one_service_no_overview_and_variables_in_the_overview() -> None:
    specs = _examples()
    assert [d["uid"] for d in compile_(specs[:1])] == [g.uid(specs[0].service.name)]
    (overview,) = [d for d in compile_(specs) if d["uid"] == "slospec-overview"]
    names = [v["name"] for v in overview["templating"]["list"]]
    assert names == ["datasource", "service", "slo"]
    assert all("$service" in t["expr"] for p in overview["panels"] for t in p.get("targets", []))


def test_text_from_the_spec_is_not_html() -> None:
    data = {
        "apiVersion": "slospec/v1",
        "service": {"name": "x", "owner": "o", "description": "<script>alert(1)</script>"},
        "slis": [{"name": "r", "ratio": {"bad": 'a{code="5"}', "total": "a"}, "description": "<b>bold</b>"}],
        "slos": [{"name": "s", "sli": "r", "target": "99%", "window": "7d", "description": "<img src=x>"}],
    }
    (d,) = compile_([model.build(data)])
    (text,) = [p for p in d["panels"] if p["type"] == "text"]
    assert "<img" not in text["options"]["content"] and "&lt;img src=x&gt;" in text["options"]["content"]


def test_nothing_to_draw_is_an_error() -> None:
    data = {
        "apiVersion": "slospec/v1",
        "service": {"name": "x", "owner": "o"},
        "slis": [{"name": "r", "ratio": {"bad": 'a{code="5"}', "total": "a"}}],
        "slos": [{"name": "s", "sli": "r", "target": "100%", "window": "7d"}],
    }
    with pytest.raises(CompileError, match="nothing to compile to Grafana dashboards"):
        backends.load("grafana").compile([model.build(data)], CompileOptions())


def test_cli_writes_one_file_per_dashboard(tmp_path) -> None:
    examples = sorted(str(p) for p in EXAMPLES.glob("*.slo.yaml"))
    run = subprocess.run(
        [sys.executable, "-m", "slospec", "compile", *examples, "--target", "grafana", "-o", f"{tmp_path}/"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    written = sorted(p.name for p in tmp_path.iterdir())
    assert "slospec-overview.dashboard.json" in written and "checkout.dashboard.json" in written
    stdout = subprocess.run(
        [sys.executable, "-m", "slospec", "compile", *examples, "--target", "grafana"], capture_output=True, text=True
    )
    # To standard output, several dashboards are one JSON array.
    assert sorted(d["uid"] for d in json.loads(stdout.stdout)) == sorted(
        json.loads((tmp_path / name).read_text())["uid"] for name in written
    )


def test_a_300_service_fleet_compiles_in_seconds() -> None:
    specs = [
        model.build(
            {
                "apiVersion": "slospec/v1",
                "service": {"name": f"svc-{i}", "owner": "o"},
                "slis": [{"name": "r", "ratio": {"bad": f'a{{job="{i}",code="5"}}', "total": f'a{{job="{i}"}}'}}],
                "slos": [
                    {"name": "availability", "sli": "r", "target": "99.9%", "window": "28d"},
                    {"name": "strict", "sli": "r", "target": "99.99%", "window": "7d"},
                ],
            },
            f"svc-{i}.slo.yaml",
        )
        for i in range(300)
    ]
    started = time.perf_counter()
    artifacts = backends.load("grafana").compile(specs, CompileOptions())
    elapsed = time.perf_counter() - started
    assert len(artifacts) == 301
    assert elapsed < 10, f"{elapsed:.1f}s for 300 services"


def test_an_slo_without_alerting_gets_no_alert_panels() -> None:
    (trading,) = [d for d in compile_(_examples()) if d["uid"] == "slospec-trading-gateway"]
    titles = [p["title"] for p in trading["panels"]]
    assert "Alerts" not in titles and "Alerts firing" not in titles and "Burn rate" in titles
    assert all("alert_tier" not in t["expr"] for p in trading["panels"] for t in p.get("targets", []))


def test_an_sla_on_an_sli_of_its_own_gets_its_row() -> None:
    data = {
        "apiVersion": "slospec/v1",
        "service": {"name": "x", "owner": "o"},
        "slis": [
            {"name": "r", "ratio": {"bad": 'a{code="5"}', "total": "a"}},
            {"name": "edge", "ratio": {"bad": 'edge{code="5"}', "total": "edge"}},
        ],
        "slos": [{"name": "s", "sli": "r", "target": "99.9%", "window": "28d"}],
        "slas": [{"name": "c", "sli": "edge", "target": "99%", "window": {"calendar": "week"}}],
    }
    (d,) = compile_([model.build(data)])
    (so_far,) = [p for p in d["panels"] if p["title"] == "Attainment this week so far"]
    assert so_far["timeFrom"] == "now/w" and "edge{" in so_far["targets"][0]["expr"]


def test_panels_read_only_what_the_rules_record_or_read() -> None:
    """Every series a panel of any example's dashboard reads is recorded by the generated
    rules, or is a metric the rules read themselves (the spec's own), or ALERTS."""
    from slospec.compile import prometheus

    specs = _examples()
    recorded, read = {"ALERTS"}, set()
    for spec in specs:
        for group in prometheus.rule_groups(spec, CompileOptions())[0]:
            for rule in group["rules"]:
                recorded.add(rule.get("record", "ALERTS"))
                read |= promql.metric_names(rule["expr"])
    for d in compile_(specs):
        for panel in d["panels"]:
            for target in panel.get("targets", []):
                expr = target["expr"].replace("$service", ".+").replace("$slo", ".+").replace("$__range", "1h")
                assert promql.metric_names(expr) <= recorded | read, (d["uid"], panel["title"], expr)
