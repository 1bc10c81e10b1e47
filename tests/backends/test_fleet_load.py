"""300 services compiled together load into one real Prometheus, every group healthy, and no
rule reads a raw range longer than 1h."""

from __future__ import annotations

import json
import time
import urllib.request
from decimal import Decimal
from pathlib import Path

from slospec import compile as backends
from slospec.compile import CompileOptions
from slospec.compile.prometheus_cost import reads
from slospec.specmodel import model
from tests import prometheus_server
from tests.conftest import need_tool

SERVICES = 300


def spec(index: int) -> model.Spec:
    name = f"svc-{index:03d}"
    data = {
        "apiVersion": "slospec/v1",
        "service": {"name": name},
        "slis": [
            {
                "name": "requests",
                "ratio": {
                    "bad": f'http_requests_total{{job="{name}",code=~"5.."}}',
                    "total": f'http_requests_total{{job="{name}"}}',
                },
            },
            {"name": "fast", "latency": {"histogram": "http_request_duration_seconds", "threshold": "300ms"}},
        ],
        "slos": [
            {"name": "availability", "sli": "requests", "target": "99.9%", "window": "28d" if index % 2 else "30d"},
            {"name": "latency", "sli": "fast", "target": "99%", "window": "7d" if index % 3 == 0 else "28d"},
        ],
    }
    return model.build(data, f"{name}.slo.yaml")


def rule_groups(port: int) -> list[dict]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/rules", timeout=10) as response:
        return json.loads(response.read())["data"]["groups"]


def test_three_hundred_services_load_and_evaluate_healthy(tmp_path: Path) -> None:
    need_tool("promtool")
    prometheus = need_tool("prometheus")
    specs = [spec(i) for i in range(SERVICES)]
    module = backends.load("prometheus")
    artifacts = module.compile(specs, CompileOptions(extra={"max_rules_per_group": 20}))
    text = module.join(artifacts)
    from ruamel.yaml import YAML

    groups = YAML(typ="safe").load(text)["groups"]
    assert all(len(g["rules"]) <= 20 for g in groups)
    for group in groups:
        for rule in group["rules"]:
            assert reads(rule["expr"], Decimal(30)).longest_raw <= 3600, rule
    (tmp_path / "rules.yaml").write_text(text)
    (tmp_path / "prometheus.yml").write_text("global:\n  evaluation_interval: 30s\nrule_files:\n  - rules.yaml\n")
    (tmp_path / "tsdb").mkdir()
    with prometheus_server.running(prometheus, tmp_path) as port:
        prometheus_server.wait_ready(port, tries=300)
        deadline = time.monotonic() + 75
        while True:
            loaded = rule_groups(port)
            fast = [g for g in loaded if g["interval"] <= 30]
            if all(g["lastEvaluation"] > "2000" for g in fast) or time.monotonic() > deadline:
                break
            time.sleep(1)
    assert len(loaded) == len(groups)
    assert sum(len(g["rules"]) for g in loaded) == sum(len(g["rules"]) for g in groups)
    # The 30s groups have all run by now (the slower .long ones may not have yet): none failed.
    assert all(g["lastEvaluation"] > "2000" for g in fast), "a 30s group never evaluated"
    bad = [(g["name"], r["name"], r.get("lastError")) for g in loaded for r in g["rules"] if r["health"] == "err"]
    assert bad == []
    assert all(r["health"] == "ok" for g in fast for r in g["rules"])
