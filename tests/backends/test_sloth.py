"""Sloth export: a prometheus/v1 spec Sloth's validation accepts, with alert windows whose
factors (budget % x period / long window) are exactly slospec's burn rates."""

from __future__ import annotations

from decimal import Decimal

import pytest

from slospec import backends, yamlfile
from slospec.alerting import tiers_for
from slospec.backends import CompileOptions
from slospec.config import Config
from slospec.api import load_specs
from slospec.quantities import Duration
from tests.conftest import EXAMPLES, need_corpus


def compile_sloth(name: str):
    specs, problems = load_specs([str(EXAMPLES / f"{name}.slo.yaml")], Config())
    assert not problems
    return specs, backends.load("sloth").compile(specs, CompileOptions())


@pytest.mark.parametrize("name", ["api", "batch-jobs", "checkout-sla", "website"])
def test_specs_follow_sloths_validation_rules(name: str) -> None:
    _, artifacts = compile_sloth(name)
    spec = yamlfile.load_all(artifacts[0].text)[0].data
    assert spec["version"] == "prometheus/v1"
    for slo in spec["slos"]:
        assert 0 < Decimal(str(slo["objective"])) <= 100
        events = slo["sli"]["events"]
        assert events["error_query"] != events["total_query"]
        assert "{{.window}}" in events["error_query"] and "{{.window}}" in events["total_query"]


def test_window_catalog_reproduces_the_burn_rates() -> None:
    specs, artifacts = compile_sloth("api")
    catalog = yamlfile.load_all(artifacts[1].text)[0].data
    assert catalog["kind"] == "AlertWindows" and catalog["spec"]["sloPeriod"] == "28d"
    period = Duration.parse("28d")
    sloth_factors = sorted(
        Decimal(str(w["errorBudgetPercent"])) / 100 * period.seconds / Duration.parse(w["longWindow"]).seconds
        for group in ("page", "ticket") for w in catalog["spec"][group].values())
    ours = sorted(t.burn_rate for t in tiers_for(specs[0].slos[0]))
    assert sloth_factors == ours


def test_thirty_day_specs_need_no_catalog(tmp_path) -> None:
    text = (EXAMPLES / "batch-jobs.slo.yaml").read_text().replace("window: 28d", "window: 30d")
    path = tmp_path / "b.slo.yaml"
    path.write_text(text)
    specs, _ = load_specs([str(path)], Config())
    artifacts = backends.load("sloth").compile(specs, CompileOptions())
    assert len(artifacts) == 1 and "--slo-period-windows-path" not in artifacts[0].text


def test_shape_matches_sloths_own_examples() -> None:
    example = need_corpus() / "sloth-head" / "examples" / "getting-started.yml"
    theirs = yamlfile.load_all(example.read_text())[0].data
    _, artifacts = compile_sloth("api")
    ours = yamlfile.load_all(artifacts[0].text)[0].data
    assert set(ours) <= set(theirs) | {"labels"}
    assert set(ours["slos"][0]) <= set(theirs["slos"][0])
    assert set(ours["slos"][0]["alerting"]) <= set(theirs["slos"][0]["alerting"])
