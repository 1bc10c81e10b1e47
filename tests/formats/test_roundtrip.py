"""Round trips through slospec: Sloth -> slospec -> Sloth keeps every objective, query and alert
window; Pyrra and slo-generator -> slospec -> OpenSLO passes slospec's own OpenSLO checks."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import CORPUS, need_corpus

SLOTH = CORPUS / "sloth-head/examples"
# Sloth's embedded google-30d catalog: what a spec without --slo-period-windows-path alerts on.
SLOTH_DEFAULT_WINDOWS = {"page": [("5m", "1h", 2), ("30m", "6h", 5)], "ticket": [("2h", "1d", 10), ("6h", "3d", 10)]}


def _safe_load_all(text: str) -> list:
    from ruamel.yaml import YAML

    return [d for d in YAML(typ="safe", pure=True).load_all(text) if d is not None]


def _sloth_services(text: str) -> list[dict]:
    """prometheus/v1 documents, with CRDs unwrapped to the same snake_case shape."""
    out = []
    for doc in _safe_load_all(text):
        if doc.get("version") == "prometheus/v1":
            out.append(doc)
        elif doc.get("kind") == "PrometheusServiceLevel":
            spec = doc["spec"]
            slos = []
            for slo in spec["slos"]:
                sli = {}
                if "events" in slo["sli"]:
                    ev = slo["sli"]["events"]
                    sli["events"] = {"error_query": ev["errorQuery"], "total_query": ev["totalQuery"]}
                elif "raw" in slo["sli"]:
                    sli["raw"] = {"error_ratio_query": slo["sli"]["raw"]["errorRatioQuery"]}
                else:
                    sli = slo["sli"]
                alerting = slo.get("alerting", {})
                slos.append(
                    {
                        **slo,
                        "sli": sli,
                        "alerting": {
                            "page_alert": alerting.get("pageAlert", {}),
                            "ticket_alert": alerting.get("ticketAlert", {}),
                        },
                    }
                )
            out.append({"service": spec["service"], "slos": slos})
    return out


def _queries(slo: dict) -> tuple[str, ...]:
    sli = slo["sli"]
    if "events" in sli:
        return tuple(" ".join(sli["events"][k].split()) for k in ("error_query", "total_query"))
    return (" ".join(sli["raw"]["error_ratio_query"].split()),)


def _enabled(slo: dict) -> tuple[bool, bool]:
    alerting = slo.get("alerting") or {}
    return tuple(not (alerting.get(k) or {}).get("disable", False) for k in ("page_alert", "ticket_alert"))


def _sloth_examples() -> list[Path]:
    if not SLOTH.is_dir():
        return []
    out = []
    for path in sorted(SLOTH.glob("*.y*ml")):
        services = _sloth_services(path.read_text(encoding="utf-8"))
        # SLI plugins hold no query to keep; MetricsQL (Sloth's VictoriaMetrics dialect) is kept
        # with source victoriametrics, which the Sloth back end (Prometheus SLIs) does not compile.
        if "victoria_metrics" in path.read_text(encoding="utf-8"):
            continue
        if services and all("plugin" not in s["sli"] for svc in services for s in svc["slos"]):
            out.append(path)
    return out


@pytest.mark.parametrize("path", _sloth_examples(), ids=lambda p: p.name)
def test_sloth_round_trip_keeps_objectives_queries_and_alert_windows(path: Path, tmp_path: Path) -> None:
    from slospec.cli import main

    need_corpus()
    result = CliRunner().invoke(main, ["compile", str(path), "--target", "sloth", "-o", str(tmp_path) + "/"])
    assert result.exit_code == 0, result.output
    original = {svc["service"]: svc for svc in _sloth_services(path.read_text(encoding="utf-8"))}
    generated = {}
    windows = []
    for out in sorted(tmp_path.iterdir()):
        docs = _safe_load_all(out.read_text(encoding="utf-8"))
        for doc in docs:
            if doc.get("kind") == "AlertWindows":
                windows.append(doc)
            else:
                generated[doc["service"]] = doc
    assert set(generated) == set(original)
    for service, svc in original.items():
        mine = {s["name"]: s for s in generated[service]["slos"]}
        assert set(mine) == {s["name"] for s in svc["slos"]}
        for slo in svc["slos"]:
            back = mine[slo["name"]]
            assert Decimal(str(back["objective"])) == Decimal(str(slo["objective"]))
            assert _queries(back) == _queries(slo)
            assert _enabled(back) == _enabled(slo)
    # Sloth's default windows come back as Sloth's defaults: no custom catalog is needed.
    assert windows == []


def test_sloth_custom_windows_come_back_when_the_tiers_differ(tmp_path: Path) -> None:
    """The windows catalog slospec writes reproduces Sloth's default windows and percents."""
    from slospec.api import load_specs
    from slospec.config import Config
    from slospec.interop.sloth.export import _windows_catalog

    need_corpus()
    specs, problems = load_specs([str(SLOTH / "getting-started.yml")], Config())
    assert not problems
    slo = specs[0].slos[0]
    catalog = _windows_catalog("30d", slo)["spec"]
    for severity, entries in SLOTH_DEFAULT_WINDOWS.items():
        got = [
            (
                catalog[severity][speed]["shortWindow"],
                catalog[severity][speed]["longWindow"],
                catalog[severity][speed]["errorBudgetPercent"],
            )
            for speed in ("quick", "slow")
        ]
        assert got == [(s, lw, Decimal(p)) for s, lw, p in entries]


def _openslo_sources() -> list[Path]:
    out = []
    for folder in ("pyrra-head/examples", "slo-generator-head/samples"):
        base = CORPUS / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*.yaml")):
            text = path.read_text(encoding="utf-8")
            if re.search(r"^apiVersion:\s*(pyrra\.dev/|sre\.google\.com/)", text, re.M):
                out.append(path)
    return out


@pytest.mark.parametrize("path", _openslo_sources(), ids=lambda p: str(p.relative_to(CORPUS)))
def test_pyrra_and_slo_generator_to_openslo_pass_slospecs_openslo_checks(path: Path, tmp_path: Path) -> None:
    from slospec.api import lint_paths, load_specs
    from slospec.cli import main
    from slospec.config import Config

    need_corpus()
    out = tmp_path / "out.yaml"
    result = CliRunner().invoke(main, ["convert", str(path), "--to", "openslo", "-o", str(out)])
    assert result.exit_code == 0, result.output
    report = lint_paths([str(out)], Config())
    structural = [
        f"{d.span.line}: {d.code} {d.message}"
        for d in report.diagnostics
        if d.code in ("SLO001", "SLO002", "SLO004", "SLO005", "SLO006")
    ]
    assert structural == []
    # The OpenSLO file says the same objectives as the original.
    before, _ = load_specs([str(path)], Config())
    after, problems = load_specs([str(out)], Config())
    assert not problems
    assert sorted(s.target for spec in after for s in spec.slos) == sorted(
        s.target for spec in before for s in spec.slos
    )
