"""The dashboards of every example on a live Prometheus that scrapes the examples' series and
evaluates every example's rule groups: each panel query runs without an error, and each one
that reads recorded series or the specs' metrics (not the ALERTS of alerts that a steady small
burn never fires) returns data."""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request

from slospec import compile as backends
from slospec.compile import CompileOptions
from tests import prometheus_server
from tests.backends.test_prometheus_server import _examples, live_server  # noqa: F401 - the fixture


def _query(port: int, expr: str) -> dict:
    url = f"http://127.0.0.1:{port}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return json.load(response)
    except urllib.error.HTTPError as exc:  # a bad query: 400 with the error in the body
        return json.load(exc)


def test_every_example_dashboard_panel_runs(live_server) -> None:  # noqa: F811 - the fixture
    port, _ = live_server
    prometheus_server.wait_ready(port)
    dashboards = [json.loads(a.text) for a in backends.load("grafana").compile(_examples(), CompileOptions())]
    queries = [
        (d["uid"], p["title"], t["expr"].replace("$service", ".+").replace("$slo", ".+").replace("$__range", "1h"))
        for d in dashboards
        for p in d["panels"]
        for t in p.get("targets", [])
    ]
    assert len(queries) > 100
    empty: list[str] = []
    # The groups run every 30s, the `.long` ones every few minutes (their first run comes up to
    # one interval after the server starts: until then their panels are empty); the
    # exporter's series grow every 5s.
    deadline = time.monotonic() + 330
    while time.monotonic() < deadline:
        empty = []
        for uid, title, expr in queries:
            answer = _query(port, expr)
            assert answer["status"] == "success", (uid, title, expr, answer)
            if not answer["data"]["result"] and not expr.startswith("ALERTS"):
                empty.append(f"{uid} / {title}: {expr}")
        if not empty:
            break
        time.sleep(1)
    assert not empty, "panels without data:\n" + "\n".join(empty)
