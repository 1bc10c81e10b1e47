"""End to end on a real Prometheus: backfilled synthetic counters, the generated rule file
loaded by the server, and the SLIs it computes compared with an independent computation."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.parse
import urllib.request

import pytest

from slospec import compile as backends
from slospec.compile import CompileOptions
from slospec.specmodel import model
from tests import prometheus_server
from tests.conftest import need_tool

SPEC = {
    "apiVersion": "slospec/v1",
    "service": {"name": "api", "owner": "team-api"},
    "slis": [
        {
            "name": "requests",
            "ratio": {"bad": 'http_requests_total{job="api",code="500"}', "total": 'http_requests_total{job="api"}'},
        }
    ],
    "slos": [{"name": "availability", "sli": "requests", "target": "99.9%", "window": "28d"}],
}
MINUTES = 180
SPIKE = range(60, 70)  # minutes with 5 % errors; the last two hours run at 1 %


def per_minute(minute: int) -> tuple[int, int]:
    """(ok, errors) requests in the given minute."""
    if minute in SPIKE:
        return 950, 50
    return (990, 10) if minute >= 70 else (1000, 0)


def query(port: int, expr: str, at: float | None = None) -> list:
    params = {"query": expr}
    if at is not None:
        params["time"] = str(at)
    url = f"http://127.0.0.1:{port}/api/v1/query?" + urllib.parse.urlencode(params)
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.load(response)["data"]["result"]


def truth(end_minute: int, window_minutes: int) -> float:
    """Independent: errors / requests over the samples in (end - window, end]."""
    ok = err = 0
    for minute in range(end_minute - window_minutes + 1, end_minute + 1):
        good, bad = per_minute(minute)
        ok += good
        err += bad
    return err / (ok + err)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    promtool, prometheus = need_tool("promtool"), need_tool("prometheus")
    work = tmp_path_factory.mktemp("prom")
    spec = model.build(SPEC, "api.slo.yaml")
    (rules,) = backends.load("prometheus").compile([spec], CompileOptions())
    (work / "rules.yaml").write_text(rules.text)
    (work / "prometheus.yml").write_text("global:\n  evaluation_interval: 30s\nrule_files:\n  - rules.yaml\n")
    # Data ends at the current minute, so the server's own rule evaluations see it too.
    end = int(time.time()) // 60 * 60
    start = end - MINUTES * 60
    lines = ["# TYPE http_requests counter"]
    totals = {"200": 0, "500": 0}
    samples = {"200": [], "500": []}
    for minute in range(MINUTES + 1):
        if minute:
            good, bad = per_minute(minute)
            totals["200"] += good
            totals["500"] += bad
        for code in totals:
            samples[code].append((start + minute * 60, totals[code]))
    for code, series in samples.items():
        for ts, value in series:
            lines.append(f'http_requests_total{{job="api",code="{code}"}} {value} {ts}')
    lines.append("# EOF")
    (work / "data.om").write_text("\n".join(lines) + "\n")
    prometheus_server.backfill(promtool, work)
    with prometheus_server.running(prometheus, work, "--storage.tsdb.retention.time=30d") as port:
        prometheus_server.wait_ready(port, tries=200)
        yield port, start


def expression(window: str) -> str:
    spec = model.build(SPEC)
    from slospec.compile.prometheus import error_ratio_expr
    from slospec.specmodel.quantities import Duration

    return error_ratio_expr(spec.slos[0].sli, Duration.parse(window))


@pytest.mark.parametrize(("end_minute", "window"), [(70, "1h"), (65, "5m"), (120, "1h"), (175, "5m"), (180, "3h")])
def test_rule_expressions_match_an_independent_computation(server, end_minute: int, window: str) -> None:
    port, start = server
    (result,) = query(port, expression(window), at=start + end_minute * 60)
    minutes = {"5m": 5, "1h": 60, "3h": 180}[window]
    assert abs(float(result["value"][1]) - truth(end_minute, minutes)) < 1e-9


def test_the_server_records_the_sli(server) -> None:
    port, _ = server
    # The recording group runs on the server's own schedule (30s interval, hashed offset).
    for _ in range(100):
        found = query(port, 'slo:sli_error:ratio_rate5m{slo_name="availability"}')
        # The group's rules are written one after the other: wait for the whole evaluation
        # (the SLO-window series are in the slower `.long` group).
        if found and query(port, 'slo:burn_rate:ratio{slo_name="availability"}'):
            break
        time.sleep(0.5)
    else:
        pytest.fail("the recording rules never produced a sample")
    assert abs(float(found[0]["value"][1]) - 0.01) < 1e-9  # the last two hours run at exactly 1 %
    assert found[0]["metric"]["slo_service"] == "api"
    (budget,) = query(port, 'slo:error_budget:ratio{slo_name="availability"}')
    assert budget["value"][1] == "0.001"


def test_offline_eval_agrees_with_the_server(server, tmp_path) -> None:
    """The same counters fetched with query_range and evaluated offline give the server's SLI."""
    from slospec.evaluate import runner

    port, start = server
    for role, expr in (
        ("bad", 'http_requests_total{job="api",code="500"}'),
        ("total", 'http_requests_total{job="api"}'),
    ):
        params = urllib.parse.urlencode({"query": expr, "start": start, "end": start + MINUTES * 60, "step": 60})
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/query_range?{params}", timeout=5) as response:
            (tmp_path / f"{role}.json").write_text(response.read().decode())
    spec = model.build(SPEC)
    series, _ = runner.load(spec, "requests", {"bad": [tmp_path / "bad.json"], "total": [tmp_path / "total.json"]}, {})
    for end_minute, minutes in ((70, 60), (65, 5), (120, 60), (180, 180)):
        end = start + end_minute * 60
        good, total = series.window(end - minutes * 60, end)
        offline = (total - good) / total
        (server_value,) = query(port, expression(f"{minutes}m" if minutes < 60 else f"{minutes // 60}h"), at=end)
        assert abs(offline - float(server_value["value"][1])) < 1e-9


# --- every example's rule groups on one live server -------------------------------------------


def _examples():
    from slospec.api import load_specs
    from slospec.config import Config
    from tests.conftest import EXAMPLES

    specs, _ = load_specs(sorted(str(p) for p in EXAMPLES.glob("*.slo.yaml")), Config())
    return specs


def _exposition() -> list[tuple[str, float, float]]:
    """The examples' SLI series as a scrape target would expose them, as (series, base, per
    second): a steady small burn, counters growing from the exporter's start."""
    from slospec.compile import prometheus, prometheus_tests
    from slospec.slo.facts import resolve

    lines, seen = [], set()
    for spec in _examples():
        facts = resolve(spec, None)
        for slo in spec.slos:
            if prometheus.compilable(slo) is not None:
                continue
            rules = prometheus.plan(spec, slo, facts)
            if slo.sli.kind == "uptime":
                from slospec.slo import promql

                probe = promql.selector(slo.sli.probe)
                inputs = [(probe.name, prometheus_tests._labels_for(probe), 1.0, 0.0)]
            else:
                burn = slo.budget / 2
                made = prometheus_tests.event_inputs(rules, lambda i, burn=burn: prometheus_tests.EVENTS * burn)
                inputs = [(i.name, i.labels, 0.0, float(i.per_sample(1))) for i in made]
            for name, labels, base, per_second in inputs:
                text = prometheus_tests._series_text(name, labels)
                if text not in seen:
                    seen.add(text)
                    lines.append((text, base, per_second))
    return lines


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """Prometheus scraping a local exporter of the examples' series, with every example's
    rule groups in one rule file (as `compile ... -o all.rules.yaml` writes it). One server for
    the session: the `.long` groups first run up to 4 minutes after it starts."""
    prometheus_bin = need_tool("prometheus")
    work = tmp_path_factory.mktemp("prom-all")
    module = backends.load("prometheus")
    (work / "all.rules.yaml").write_text(module.join(module.compile(_examples(), CompileOptions())))
    with prometheus_server.exporter(_exposition(), work) as exporter_port:
        (work / "prometheus.yml").write_text(
            "global:\n  scrape_interval: 5s\n  evaluation_interval: 30s\nrule_files:\n  - all.rules.yaml\n"
            "scrape_configs:\n  - job_name: examples\n    honor_labels: true\n    static_configs:\n"
            f"      - targets: ['127.0.0.1:{exporter_port}']\n"
        )
        with prometheus_server.running(prometheus_bin, work) as port:
            yield port, work


def _api(port: int, path: str):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
        return json.load(response)["data"]


def test_every_example_group_loads_and_every_recorded_series_has_samples(live_server) -> None:
    from ruamel.yaml import YAML

    port, work = live_server
    groups = YAML(typ="safe").load((work / "all.rules.yaml").read_text())["groups"]
    wanted = {(g["name"], r["record"]) for g in groups for r in g["rules"] if "record" in r}
    missing, loaded = wanted, []
    for _ in range(240):  # groups run every 30s (5s for the trading gateway); data arrives every 5s
        try:
            loaded = _api(port, "/api/v1/rules")["groups"]
        except OSError:
            time.sleep(0.5)
            continue
        missing = set()
        for group in groups:
            labels = {r["labels"]["slo_service"]: r["labels"]["slo_name"] for r in group["rules"] if "record" in r}
            ((service, name),) = labels.items()
            for rule in group["rules"]:
                if "record" not in rule:
                    continue
                selector = f'{rule["record"]}{{slo_service="{service}",slo_name="{name}"}}'
                if not query(port, selector):
                    missing.add((group["name"], rule["record"]))
        if not missing and len(loaded) == len(groups):
            break
        time.sleep(1)
    assert sorted(g["name"] for g in loaded) == sorted(g["name"] for g in groups)
    assert all(r["health"] == "ok" for g in loaded for r in g["rules"]), [
        (g["name"], r.get("lastError")) for g in loaded for r in g["rules"] if r["health"] != "ok"
    ]
    assert missing == set()


# --- the detection-time claim of the generated tests, on a live server ---------------------------

FAST = {
    "apiVersion": "slospec/v1",
    "service": {"name": "fast", "owner": "team"},
    "operations": {"scrapeInterval": "5s", "evaluationInterval": "5s"},
    "slis": [{"name": "req", "ratio": {"bad": 'fast_requests_total{code="500"}', "total": "fast_requests_total"}}],
    "slos": [
        {
            "name": "availability",
            "sli": "req",
            "target": "99%",
            "window": "1d",
            "alerting": {
                "tiers": [
                    {"severity": "page", "longWindow": "30s", "shortWindow": "10s", "burnRate": 14.4},
                    {"severity": "page", "longWindow": "10m", "shortWindow": "1m", "burnRate": 120},
                ]
            },
        }
    ],
}
HEALTHY_SECONDS = 45  # more than the 30s long window, so it sees only healthy traffic before


def test_the_outage_claim_holds_on_a_live_server(tmp_path) -> None:
    """The generated test says the page fires N s after the outage starts, by a named tier; a
    real server scraping a real target, whose outage starts anywhere between two scrapes and
    whose evaluations are not aligned with them, pages within N s plus one scrape and one
    evaluation."""
    import re
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    prometheus_bin = need_tool("prometheus")
    spec = model.build(FAST, "fast.slo.yaml")
    (rules,) = backends.load("prometheus").compile([spec], CompileOptions())
    (tests,) = backends.load("prometheus-tests").compile([spec], CompileOptions())
    claim = re.search(r"pages ([\d.]+)s after it starts \(tier 14.4x over 30s and 10s fires", tests.text)
    assert claim, tests.text[:600]  # the 120x tier (threshold 1.2) can never fire and is not named
    promised = float(claim.group(1))
    (tmp_path / "rules.yaml").write_text(rules.text)
    state = {"start": time.time(), "first_failed": None, "onset": None}

    class Exporter(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            now = time.time()
            elapsed = now - state["start"]
            failing = max(0.0, elapsed - HEALTHY_SECONDS)
            if failing and state["first_failed"] is None:
                state["first_failed"], state["onset"] = now, state["start"] + HEALTHY_SECONDS
            body = (
                f'fast_requests_total{{code="200"}} {200 * (elapsed - failing)}\n'
                f'fast_requests_total{{code="500"}} {200 * failing}\n'
            ).encode()
            self.send_response(200)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    exporter = ThreadingHTTPServer(("127.0.0.1", prometheus_server.free_port()), Exporter)
    threading.Thread(target=exporter.serve_forever, daemon=True).start()
    (tmp_path / "prometheus.yml").write_text(
        "global:\n  scrape_interval: 5s\n  evaluation_interval: 5s\nrule_files:\n  - rules.yaml\n"
        "scrape_configs:\n  - job_name: fast\n    honor_labels: true\n    static_configs:\n"
        f"      - targets: ['127.0.0.1:{exporter.server_address[1]}']\n"
    )
    port = prometheus_server.free_port()
    proc = subprocess.Popen(
        [
            prometheus_bin,
            "--config.file=prometheus.yml",
            "--storage.tsdb.path=tsdb",
            f"--web.listen-address=127.0.0.1:{port}",
        ],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        fired_at = None
        deadline = time.time() + HEALTHY_SECONDS + 120
        while time.time() < deadline and fired_at is None:
            time.sleep(0.25)
            try:
                alerts = _api(port, "/api/v1/alerts")["alerts"]
            except OSError:
                continue
            if any(a["labels"].get("alertname") == "SLOBudgetBurnPage" and a["state"] == "firing" for a in alerts):
                fired_at = time.time()
                break
        assert fired_at is not None, "the page never fired"
        assert state["first_failed"] is not None and fired_at > state["first_failed"], "paged before the outage"
        taken = fired_at - state["onset"]
        # One scrape and one evaluation (5s each) for the unaligned schedule, one second for polling.
        assert taken <= promised + 5 + 5 + 1, (taken, promised)
    finally:
        prometheus_server.stop(proc)
        exporter.shutdown()
