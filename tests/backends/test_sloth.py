"""Sloth export: a prometheus/v1 spec Sloth's validation accepts, with alert windows whose
factors (budget % x period / long window) are exactly slospec's burn rates."""

from __future__ import annotations

from decimal import Decimal

import pytest

from slospec import compile as backends
from slospec.api import load_specs
from slospec.compile import CompileOptions
from slospec.config import Config
from slospec.slo.alerting import tiers_for
from slospec.source import yamlfile
from slospec.specmodel.quantities import Duration
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
        for group in ("page", "ticket")
        for w in catalog["spec"][group].values()
    )
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


CUSTOM_TIERS = """
    alerting:
      tiers:
        - {severity: page, longWindow: 2h, shortWindow: 10m, burnRate: 10}
        - {severity: page, longWindow: 12h, shortWindow: 1h, burnRate: 4}
        - {severity: ticket, longWindow: 2d, shortWindow: 4h, burnRate: 2}
        - {severity: ticket, longWindow: 4d, shortWindow: 8h, burnRate: 1}
"""


def _factors(catalog: dict, period: str) -> list[Decimal]:
    length = Duration.parse(period)
    return sorted(
        Decimal(str(w["errorBudgetPercent"])) / 100 * length.seconds / Duration.parse(w["longWindow"]).seconds
        for group in ("page", "ticket")
        for w in catalog["spec"][group].values()
    )


def test_every_alerting_slo_with_its_own_tiers_gets_its_own_catalog(tmp_path) -> None:
    # Two SLOs of one service: the first keeps the default tiers, the second has custom ones.
    text = (EXAMPLES / "api.slo.yaml").read_text().rstrip("\n") + "\n" + CUSTOM_TIERS.lstrip("\n")
    path = tmp_path / "api.slo.yaml"
    path.write_text(text)
    specs, problems = load_specs([str(path)], Config())
    assert not [p for p in problems if p.severity == "error"]
    artifacts = backends.load("sloth").compile(specs, CompileOptions())
    names = [a.name for a in artifacts]
    sloth_specs = [a for a in artifacts if a.name.endswith(".sloth.yaml")]
    assert len(sloth_specs) == 2, names
    for slo in specs[0].slos:
        # The Sloth spec holding this SLO names a catalog file that was written and whose
        # factors are this SLO's burn rates.
        holder = next(a for a in sloth_specs if f"name: {slo.name}\n" in a.text)
        folder_line = next(line for line in holder.text.splitlines() if "mkdir -p" in line)
        written = folder_line.split("cp ")[1].split()[0]
        assert written in names, (written, names)
        catalog = yamlfile.load_all(next(a for a in artifacts if a.name == written).text)[0].data
        ours = sorted(t.burn_rate for t in tiers_for(slo))
        # 1/7 of a budget is not a finite decimal percent: equal to 20 digits.
        assert all(abs(a - b) < Decimal("1e-20") for a, b in zip(_factors(catalog, "28d"), ours, strict=True)), slo.name
        folder = folder_line.split("mkdir -p ")[1].split()[0]
        assert f"--slo-period-windows-path {folder}/" in holder.text
    assert "windows/" not in " ".join(
        a.text.split("--slo-period-windows-path")[0] for a in sloth_specs if "mkdir" not in a.text
    )


def test_no_header_names_a_windows_folder_for_a_default_thirty_day_spec(tmp_path) -> None:
    text = (EXAMPLES / "batch-jobs.slo.yaml").read_text().replace("window: 28d", "window: 30d")
    path = tmp_path / "b.slo.yaml"
    path.write_text(text)
    specs, _ = load_specs([str(path)], Config())
    (artifact,) = backends.load("sloth").compile(specs, CompileOptions())
    assert "windows" not in artifact.text


def test_nothing_to_compile_says_why_each_slo_was_left_out(tmp_path) -> None:
    # A 100 % target was reported as "no SLO has a Prometheus SLI", which it has.
    from click.testing import CliRunner

    from slospec.cli import main

    spec = (EXAMPLES / "api.slo.yaml").read_text()
    spec = spec.replace("target: 99.95%", "target: 100%").replace("target: 99%", "target: 100%")
    path = tmp_path / "api.slo.yaml"
    path.write_text(spec)
    result = CliRunner().invoke(main, ["compile", str(path), "--target", "sloth"])
    assert result.exit_code == 2
    assert "nothing to compile to Sloth: payments-api/availability: a 100% target has no error budget" in result.output
    assert "no SLO has a Prometheus SLI" not in result.output
