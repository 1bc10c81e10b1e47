"""Every panel query of the generated Grafana dashboards, run on a real Prometheus that loads
the generated rules and holds backfilled counters: each returns data, and the budget-remaining
panel says what `slospec eval` says on the same data."""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request

import pytest

from slospec import compile as backends
from slospec.compile import CompileOptions
from slospec.slo import promql
from slospec.specmodel import model
from tests import prometheus_server
from tests.conftest import need_tool


def spec_for(service: str, with_sla: bool) -> dict:
    out: dict = {
        "apiVersion": "slospec/v1",
        "service": {"name": service, "owner": "team", "runbook": "https://runbooks.example.com/x"},
        "operations": {"scrapeInterval": "15s", "evaluationInterval": "2s"},
        "slis": [
            {
                "name": "requests",
                "ratio": {
                    "bad": f'http_requests_total{{job="{service}",code="500"}}',
                    "total": f'http_requests_total{{job="{service}"}}',
                },
            }
        ],
        "slos": [{"name": "availability", "sli": "requests", "target": "99.9%", "window": "28d"}],
    }
    if with_sla:
        out["slas"] = [
            {
                "name": "contract",
                "slo": "availability",
                "target": "99.5%",
                "window": {"calendar": "month", "timeZone": "UTC"},
                "credits": [{"below": "99.5%", "credit": "10%"}, {"below": "99%", "credit": "25%"}],
            }
        ]
    return out


SERVICES = {"api": True, "web": False}
EXACT = CompileOptions(extra={"long_windows": "raw"})
MINUTES = 180


def per_minute(minute: int) -> tuple[int, int]:
    """(ok, errors) in a minute: clean, a spike, then 2 % errors (a burn rate of 20: pages)."""
    if 60 <= minute < 70:
        return 900, 100
    return (980, 20) if minute >= 70 else (1000, 0)


def query(port: int, expr: str) -> list:
    url = f"http://127.0.0.1:{port}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)["data"]["result"]


def grafana_variables(expr: str) -> str:
    """What Grafana puts in place of the variables a panel query uses ("All" selected)."""
    return expr.replace("$service", ".+").replace("$slo", ".+").replace("$__range", "1d")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    promtool, prometheus = need_tool("promtool"), need_tool("prometheus")
    work = tmp_path_factory.mktemp("grafana-prom")
    specs = [model.build(spec_for(name, sla), f"{name}.slo.yaml") for name, sla in SERVICES.items()]
    rules = backends.load("prometheus")
    # Exact windows: the panels must say to 1e-9 what eval says on the backfilled history, and
    # recorded long windows only hold the time since the rules were loaded (the accuracy of the
    # default recorded form is held by test_long_windows_accuracy.py).
    (work / "rules.yaml").write_text(rules.join(rules.compile(specs, EXACT)))
    dashboards = backends.load("grafana").compile(specs, CompileOptions())
    (work / "prometheus.yml").write_text("global:\n  evaluation_interval: 2s\nrule_files:\n  - rules.yaml\n")
    end = int(time.time()) // 60 * 60
    start = end - MINUTES * 60
    lines = ["# TYPE http_requests counter"]
    for service in SERVICES:
        totals = {"200": 0, "500": 0}
        samples: dict[str, list] = {"200": [], "500": []}
        for minute in range(MINUTES + 1):
            if minute:
                good, bad = per_minute(minute)
                totals["200"] += good
                totals["500"] += bad
            for code in totals:
                samples[code].append((start + minute * 60, totals[code]))
        for code, series in samples.items():
            lines += [f'http_requests_total{{job="{service}",code="{code}"}} {v} {ts}' for ts, v in series]
    lines.append("# EOF")
    (work / "data.om").write_text("\n".join(lines) + "\n")
    prometheus_server.backfill(promtool, work)
    with prometheus_server.running(prometheus, work, "--storage.tsdb.retention.time=30d") as port:
        prometheus_server.wait_ready(port, tries=200)
        # Wait for the rule groups to have run and the page alerts to be firing.
        for _ in range(120):
            firing = {s["metric"]["slo_service"] for s in query(port, 'ALERTS{alertstate="firing"}')}
            if firing == set(SERVICES) and len(query(port, "slo:alert_tier:info")) == 4 * len(SERVICES):
                break
            time.sleep(0.5)
        else:
            pytest.fail("the generated rules never recorded their series or fired")
        yield port, start, end, specs, [json.loads(a.text) for a in dashboards]


def panel_queries(dashboard: dict) -> list[tuple[str, str]]:
    return [(p["title"], t["expr"]) for p in dashboard["panels"] for t in p.get("targets", [])]


def test_every_panel_query_returns_data(server) -> None:
    port, _, _, _, dashboards = server
    assert [d["uid"] for d in dashboards] == ["slospec-api", "slospec-web", "slospec-overview"]
    empty = []
    count = 0
    for dashboard in dashboards:
        for title, expr in panel_queries(dashboard):
            count += 1
            if not query(port, grafana_variables(expr)):
                empty.append(f"{dashboard['uid']} / {title}: {expr}")
    assert not empty, "panels without data:\n" + "\n".join(empty)
    assert count > 40  # the SLO, SLA and overview panels all ran


def test_time_series_panels_draw_lines(server) -> None:
    """Grafana asks time series and state timeline panels with range queries."""
    port, _, _, _, dashboards = server
    now = time.time()
    empty = []
    for dashboard in dashboards:
        for panel in dashboard["panels"]:
            if panel["type"] not in ("timeseries", "state-timeline"):
                continue
            for target in panel["targets"]:
                params = {"query": grafana_variables(target["expr"]), "start": now - 30, "end": now, "step": 5}
                url = f"http://127.0.0.1:{port}/api/v1/query_range?" + urllib.parse.urlencode(params)
                with urllib.request.urlopen(url, timeout=10) as response:
                    if not json.load(response)["data"]["result"]:
                        empty.append(f"{dashboard['uid']} / {panel['title']}: {target['expr']}")
    assert not empty, "panels without lines:\n" + "\n".join(empty)


def test_panels_read_only_recorded_series_and_the_specs_metrics(server) -> None:
    port, _, _, specs, dashboards = server
    recorded = {
        r["record"]
        for g in json.loads(json.dumps(_groups(specs)))  # plain data
        for r in g["rules"]
        if "record" in r
    }
    for dashboard in dashboards:
        for _, expr in panel_queries(dashboard):
            for name in promql.metric_names(grafana_variables(expr)):
                assert name in recorded | {"ALERTS", "http_requests_total"}, (name, expr)
    assert "http_requests_total" in promql.metric_names(
        grafana_variables(panel_queries(dashboards[0])[-1][1])
    )  # the SLA panels read the spec's own metrics


def _groups(specs):
    from slospec.compile import prometheus

    return [g for spec in specs for g in prometheus.rule_groups(spec, EXACT)[0]]


def test_budget_remaining_panel_agrees_with_eval(server, tmp_path) -> None:
    """The same counters fetched with query_range and evaluated offline: eval's remaining
    budget is the panel's number."""
    from slospec.evaluate import compute, report, runner

    port, start, end, specs, dashboards = server
    (panel,) = [p for p in dashboards[0]["panels"] if p["title"] == "Error budget remaining"]
    (shown,) = query(port, panel["targets"][0]["expr"])
    for role, expr in (
        ("bad", 'http_requests_total{job="api",code="500"}'),
        ("total", 'http_requests_total{job="api"}'),
    ):
        params = urllib.parse.urlencode({"query": expr, "start": start, "end": end, "step": 60})
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/query_range?{params}", timeout=10) as r:
            (tmp_path / f"{role}.json").write_text(r.read().decode())
    series, _ = runner.load(
        specs[0], "requests", {"bad": [tmp_path / "bad.json"], "total": [tmp_path / "total.json"]}, {}
    )
    result = compute.evaluate(specs[0].slos[0], series)
    assert result.remaining is not None and result.remaining < 0  # the data overspends the budget
    assert abs(float(shown["value"][1]) - result.remaining) < 1e-9
    # ... and the text report prints that number.
    assert f"remaining {report._pct(result.remaining)}" in report.text([result], [])
    # The current-burn-rate panel is eval's burn rate too (the fastest short window, 5m).
    (burn_panel,) = [p for p in dashboards[0]["panels"] if p["title"] == "Current burn rate"]
    (burn,) = query(port, burn_panel["targets"][0]["expr"])
    assert abs(float(burn["value"][1]) - 20) < 1e-9
    assert result.burn_rate is not None and abs(result.burn_rate - 20) < 1e-9


def test_tier_thresholds_are_the_alerts_thresholds(server) -> None:
    port, _, _, specs, _ = server
    from slospec.slo.alerting import tiers_for

    tiers = tiers_for(specs[0].slos[0])
    found = query(port, 'slo:alert_tier:info{slo_service="api"}')
    assert sorted(float(s["value"][1]) for s in found) == sorted(float(t.burn_rate) for t in tiers)
    (info,) = query(port, 'slo:info{slo_service="api"}')
    assert info["metric"]["slo_target"] == "99.9" and info["metric"]["slo_window"] == "28d"
