"""The OpenSLO objects are the truth: an edited export lints and converts as edited; the
`slospec.dev/spec` annotation only adds what OpenSLO cannot say, while it agrees."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slospec import compile as backends
from slospec.api import load_specs
from slospec.cli import main
from slospec.compile import CompileOptions
from slospec.config import Config
from slospec.source import yamlfile
from tests.conftest import EXAMPLES


def exported(tmp_path: Path, example: str) -> Path:
    specs, _ = load_specs([str(EXAMPLES / f"{example}.slo.yaml")], Config())
    (artifact,) = backends.load("openslo").compile(specs, CompileOptions())
    path = tmp_path / f"{example}.openslo.yaml"
    path.write_text(artifact.text)
    return path


def convert(path: Path) -> dict:
    result = CliRunner().invoke(main, ["convert", str(path), "--to", "yaml"])
    assert result.exit_code == 0, result.output
    return yamlfile.load_all(result.output)[0].data


def lint_json(path: Path) -> list[dict]:
    result = CliRunner().invoke(main, ["lint", "--format", "json", str(path)])
    return json.loads(result.output)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new))


def test_an_edited_target_converts_and_lints_as_edited(tmp_path: Path) -> None:
    path = exported(tmp_path, "api")
    assert lint_json(path) == []
    edit(path, "target: 0.9995", "target: 0.5")
    spec = convert(path)
    availability = next(s for s in spec["slos"] if s["name"] == "availability")
    assert availability["target"] == "50%"
    # Still restored from the annotation: what OpenSLO cannot say (dependencies, operations).
    assert spec["service"]["dependencies"] and spec["operations"]["scrapeInterval"] == "15s"
    findings = lint_json(path)
    codes = {f["code"] for f in findings}
    assert "SLO103" in codes, findings  # a 50 % target: implausible (one root cause, one finding)
    target_line = next(n for n, line in enumerate(path.read_text().splitlines(), 1) if "target: 0.5" in line)
    assert any(f["code"] == "SLO103" and f["line"] == target_line for f in findings)


def test_edited_window_alert_threshold_and_query_are_read_from_the_objects(tmp_path: Path) -> None:
    path = exported(tmp_path, "website")
    original = convert(path)
    text = path.read_text()
    edit(path, "    - duration: 4w\n", "    - duration: 1w\n")
    first_threshold = next(line for line in text.splitlines() if "threshold:" in line)
    edit(path, first_threshold, first_threshold.split(":")[0] + ": 99")
    spec = convert(path)
    (slo,) = spec["slos"]
    assert slo["window"] == "1w" and original["slos"][0]["window"] == "28d", slo["window"]
    assert 99 in [tier["burnRate"] for tier in slo["alerting"]["tiers"]]
    # Untouched tiers keep their short windows (OpenSLO cannot say them; the annotations can).
    assert all(tier.get("shortWindow") for tier in slo["alerting"]["tiers"])
    edit(path, 'instance="https://www.example.com/"}', 'instance="https://shop.example.com/"}')
    (sli,) = convert(path)["slis"]
    assert sli["name"] == "probe-up" and "shop.example.com" in sli["uptime"]["probe"]


def test_an_untouched_export_comes_back_exactly(tmp_path: Path) -> None:
    from slospec.interop.openslo.importer import to_slospec
    from slospec.source import loader

    for example in ("api", "checkout-sla", "uptime-daily", "website"):
        specs, _ = load_specs([str(EXAMPLES / f"{example}.slo.yaml")], Config())
        assert to_slospec(loader.read(str(exported(tmp_path, example)), Config())) == [specs[0].data]


def test_sub_minute_slices_come_back_from_the_annotation_while_it_agrees(tmp_path: Path) -> None:
    path = exported(tmp_path, "uptime-daily")
    (slo,) = convert(path)["slos"]
    assert slo["budgeting"]["slice"] == "5s" and slo["allowedDowntime"] == "1m"
    edit(path, "budgetingMethod: Occurrences", "budgetingMethod: Timeslices")
    text = path.read_text().replace(
        "      op: gte\n", "      op: gte\n      timeSliceWindow: 1m\n      timeSliceTarget: 1\n"
    )
    path.write_text(text)
    (slo,) = convert(path)["slos"]
    assert slo["budgeting"]["slice"] == "1m"


def test_a_deleted_slo_is_gone_and_its_sla_with_it(tmp_path: Path) -> None:
    source = tmp_path / "api.slo.yaml"
    source.write_text((EXAMPLES / "api.slo.yaml").read_text() + SLA)
    specs, problems = load_specs([str(source)], Config())
    assert not [p for p in problems if p.severity == "error"]
    (artifact,) = backends.load("openslo").compile(specs, CompileOptions())
    path = tmp_path / "api.openslo.yaml"
    docs = artifact.text.split("---\n")
    kept = [d for d in docs if not ("kind: SLO\n" in d and "name: payments-api-latency\n" in d)]
    assert len(kept) == len(docs) - 1
    path.write_text("---\n".join(kept))
    spec = convert(path)
    assert [s["name"] for s in spec["slos"]] == ["availability"]
    assert [sla["name"] for sla in spec["slas"]] == ["availability-sla"]


SLA = """slas:
  - name: availability-sla
    slo: availability
    target: 99.9%
    window: {calendar: month, timeZone: UTC}
  - name: latency-sla
    slo: latency
    target: 98%
    window: {calendar: month, timeZone: UTC}
"""


def test_a_broken_annotation_is_ignored(tmp_path: Path) -> None:
    path = exported(tmp_path, "api")
    text = path.read_text()
    start = text.index("slospec.dev/spec: ")
    end = text.index("\n", start)
    path.write_text(text[:start] + 'slospec.dev/spec: \'{"service": 5, "slos": "x"}\'' + text[end:])
    spec = convert(path)
    assert spec["service"]["name"] == "payments-api"
    assert {s["target"] for s in spec["slos"]} == {"99.95%", "99%"}


def _with_annotation(path: Path, annotation: str) -> None:
    text = path.read_text()
    start = text.index("slospec.dev/spec: ") + len("slospec.dev/spec: ")
    end = text.index("\n", start)
    from slospec.compile.yamlout import quoted

    path.write_text(text[:start] + quoted(annotation) + text[end:])


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=10,
)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    target=st.decimals(min_value=0, max_value=Decimal("0.99999"), places=5),
    mutation=st.sampled_from(["keep", "random", "service", "slos"]),
    junk=json_values,
)
def test_whatever_the_annotation_says_the_objects_targets_win(
    tmp_path: Path, target: Decimal, mutation: str, junk
) -> None:
    path = exported(tmp_path, "api")
    edit(path, "target: 0.9995", f"target: {target}")
    if mutation != "keep":
        data = json.loads(_annotation(path))
        if mutation == "random":
            data = junk
        else:
            data[mutation] = junk
        _with_annotation(path, json.dumps(data))
    spec = convert(path)
    availability = next(s for s in spec["slos"] if s["name"].endswith("availability"))
    assert Decimal(availability["target"].rstrip("%")) == (target * 100).normalize()


def _annotation(path: Path) -> str:
    from slospec.interop.openslo.importer import SPEC_ANNOTATION
    from slospec.source import loader

    service = loader.read(str(path), Config()).documents[0].data
    return service["metadata"]["annotations"][SPEC_ANNOTATION]
