"""Every Sloth, Pyrra and slo-generator example from those projects is read: the objectives
slospec reads equal the ones written in the file (read here from the raw YAML, independently of
the importers), and files that are not SLOs are said to be so."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import CORPUS, need_corpus

FOLDERS = ("sloth-head/examples", "pyrra-head/examples", "slo-generator-head/samples")


def _files() -> list[Path]:
    out = []
    for folder in FOLDERS:
        base = CORPUS / folder
        if base.is_dir():
            out += sorted(p for p in base.rglob("*") if p.suffix in (".yaml", ".yml") and "_gen" not in p.parts)
    return out


def _raw_documents(path: Path) -> list:
    from ruamel.yaml import YAML

    return [d for d in YAML(typ="safe", pure=True).load_all(path.read_text(encoding="utf-8")) if d is not None]


def written_objectives(path: Path) -> list[Decimal] | None:
    """The objectives in percent as the file writes them, or None when it holds no SLO of these tools."""
    found, any_slo = [], False
    for doc in _raw_documents(path):
        if not isinstance(doc, dict):
            continue
        if doc.get("version") == "prometheus/v1":
            any_slo = True
            found += [Decimal(str(s["objective"])) for s in doc["slos"]]
        elif doc.get("apiVersion") == "sloth.slok.dev/v1" and doc.get("kind") == "PrometheusServiceLevel":
            any_slo = True
            found += [Decimal(str(s["objective"])) for s in doc["spec"]["slos"]]
        elif str(doc.get("apiVersion", "")).startswith("pyrra.dev/") and doc.get("kind") == "ServiceLevelObjective":
            any_slo = True
            found.append(Decimal(doc["spec"]["target"]))
        elif doc.get("apiVersion") == "sre.google.com/v2" and doc.get("kind") == "ServiceLevelObjective":
            any_slo = True
            found.append(Decimal(str(doc["spec"]["goal"])) * 100)
        elif "slo_target" in doc:
            any_slo = True
            found.append(Decimal(str(doc["slo_target"])) * 100)
    return sorted(found) if any_slo else None


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(CORPUS)))
def test_objectives_read_equal_written(path: Path) -> None:
    from slospec.api import load_documents
    from slospec.config import Config

    need_corpus()
    expected = written_objectives(path)
    documents, problems = load_documents([str(path)], Config())
    read = sorted(slo.target for d in documents for slo in d.spec.slos)
    if expected is None:
        assert read == []
        return
    assert not problems, [f"{p.span.line}: {p.code} {p.message}" for p in problems]
    assert read == expected


def test_the_corpus_is_all_read() -> None:
    """A real count, so a silently skipped folder cannot make the test above vacuous."""
    need_corpus()
    slos = [p for p in _files() if written_objectives(p)]
    assert len(slos) >= 80


@pytest.mark.parametrize(
    "relative",
    [
        "sloth-head/examples/windows/7d.yaml",
        "slo-generator-head/samples/config.yaml",
    ],
)
def test_files_that_are_not_slos_are_said_to_be_so(relative: str) -> None:
    from click.testing import CliRunner

    from slospec.cli import main

    need_corpus()
    result = CliRunner().invoke(main, ["convert", str(CORPUS / relative), "--to", "yaml"])
    assert result.exit_code == 2
    assert "not an SLO" in result.output


def test_kubernetes_manifests_beside_the_slos_are_skipped_without_a_finding() -> None:
    from slospec.api import lint_paths
    from slospec.config import Config

    need_corpus()
    folder = CORPUS / "pyrra-head/examples/kubernetes/manifests"
    report = lint_paths([str(folder)], Config())
    assert report.files == len(list((folder / "slos").glob("*.yaml")))
    assert not [d for d in report.diagnostics if d.code in ("SLO001", "SLO002")]


def test_linting_all_three_folders_raises_no_structural_error() -> None:
    from slospec.api import lint_paths
    from slospec.config import Config

    need_corpus()
    report = lint_paths([str(CORPUS / f) for f in FOLDERS], Config())
    structural = [
        f"{d.path}:{d.span.line}: {d.code} {d.message}"
        for d in report.diagnostics
        if d.code in ("SLO001", "SLO002", "SLO004", "SLO005")
    ]
    assert structural == []
    # The findings that remain are real: 90% targets whose 14x page cannot fire, a 100% goal.
    codes = {(Path(d.path).name, d.code) for d in report.diagnostics if d.severity == "error"}
    assert ("caddy-response-latency.yaml", "SLO302") in codes
    assert ("slo_elk_test_ratio.yaml", "SLO101") in codes


SLOTH_TESTDATA = CORPUS / "sloth-head/test/integration/prometheus/testdata"


def _sloth_testdata(pattern: str) -> list[Path]:
    if not SLOTH_TESTDATA.is_dir():
        return []
    return sorted(p for p in SLOTH_TESTDATA.glob(pattern) if "openslo" not in p.name)


@pytest.mark.parametrize(
    "path",
    _sloth_testdata("validate/bad/*.yaml")
    + _sloth_testdata("in-invalid-version.yaml")
    + _sloth_testdata("validate_with_duplicates/bad-prom-multi-duplicates.yaml"),
    ids=lambda p: p.name,
)
def test_specs_sloth_rejects_are_structure_errors(path: Path) -> None:
    """Sloth's own integration tests expect `sloth validate` to fail on these files."""
    from slospec.api import lint_paths
    from slospec.config import Config

    need_corpus()
    codes = {d.code for d in lint_paths([str(path)], Config()).diagnostics}
    assert codes & {"SLO002", "SLO005"}


@pytest.mark.parametrize(
    "path",
    [
        p
        for p in _sloth_testdata("validate/good/*.yaml") + _sloth_testdata("in-*.yaml")
        if p.name != "in-invalid-version.yaml"
    ],
    ids=lambda p: p.name,
)
def test_specs_sloth_accepts_have_no_structure_error(path: Path) -> None:
    from slospec.api import lint_paths
    from slospec.config import Config

    need_corpus()
    codes = {d.code for d in lint_paths([str(path)], Config()).diagnostics}
    assert not codes & {"SLO001", "SLO002", "SLO004", "SLO005"}


def _meant_valid() -> list[Path]:
    """Files those projects ship as valid: Sloth's validation fixtures and every example."""
    good = CORPUS / "sloth-head/test/integration/prometheus/testdata/validate/good"
    return (sorted(good.glob("*.yaml")) if good.is_dir() else []) + _files()


@pytest.mark.parametrize("path", _meant_valid(), ids=lambda p: str(p.relative_to(CORPUS)))
def test_queries_of_files_meant_valid_are_not_reported(path: Path) -> None:
    """SLO006 judges the queries a user wrote: a raw error ratio (Sloth `raw`, slo-generator
    `query_sli`) is not a ratio over the `vector(1)` total the importer puts under it."""
    from dataclasses import replace

    from slospec.api import lint_paths
    from slospec.config import Config

    need_corpus()
    config = replace(Config().with_cli("SLO006", None, False), cache=False)
    report = lint_paths([str(path)], config)
    assert not report.crashes
    assert [f"{d.span.line}: {d.message}" for d in report.diagnostics] == []
