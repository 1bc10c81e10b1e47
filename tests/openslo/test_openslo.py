"""OpenSLO: validation at the right lines, references across files, realism on imported
specs, a published schema, and lossless round trips with the exporter."""

from __future__ import annotations

import json
import re
from pathlib import Path

from slospec import compile as backends
from slospec import resources
from slospec.api import lint_paths, load_specs
from slospec.config import Config
from slospec.interop.openslo.importer import to_slospec
from slospec.source import loader
from slospec.specmodel import model
from tests.conftest import EXAMPLES, need_corpus

FIXTURES = Path(__file__).parent / "fixtures"
EXPECT_RE = re.compile(r"#\s*expect:\s*([A-Z0-9,\s]+?)\s*$")


def lint(*paths: Path, **config) -> list:
    return lint_paths([str(p) for p in paths], Config(**config)).diagnostics


def expected(path: Path) -> set[tuple[int, str]]:
    out = set()
    for number, line in enumerate(path.read_text().splitlines(), 1):
        match = EXPECT_RE.search(line)
        if match:
            out |= {(number, c.strip()) for c in match.group(1).split(",")}
    return out


def test_published_schema_is_valid_2020_12() -> None:
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(resources.load_json("schema/openslo-v1.schema.json"))


def test_valid_file_has_no_format_or_reference_problems() -> None:
    codes = {d.code for d in lint(FIXTURES / "valid.yaml")}
    assert not codes & {"SLO001", "SLO002", "SLO004", "SLO005"}


def test_invalid_file_reports_each_problem_at_its_line() -> None:
    path = FIXTURES / "invalid.yaml"
    found = {(d.span.line, d.code) for d in lint(path) if d.code in ("SLO002", "SLO004")}
    assert found == expected(path)


def test_json_and_list_forms_are_read(tmp_path: Path) -> None:
    docs = [d for d in loader.read(str(FIXTURES / "valid.yaml"), Config()).documents]
    as_json = tmp_path / "objects.json"
    as_json.write_text(json.dumps([d.data for d in docs], default=float, indent=2))
    codes = {d.code for d in lint(as_json)}
    assert not codes & {"SLO001", "SLO002", "SLO004"}


def test_realism_rules_run_on_openslo_and_point_into_it(tmp_path: Path) -> None:
    text = (FIXTURES / "valid.yaml").read_text().replace("target: 0.999", "target: 0.99999")
    path = tmp_path / "strict.yaml"
    path.write_text(text)
    (finding,) = [d for d in lint(path) if d.code == "SLO102"]
    assert text.splitlines()[finding.span.line - 1].strip() == "target: 0.99999"


def test_burnrate_conditions_are_judged_by_the_alerting_rules(tmp_path: Path) -> None:
    text = (
        (FIXTURES / "valid.yaml")
        .read_text()
        .replace("target: 0.999", "target: 0.9")
        .replace("duration: 4w", "duration: 4w")
    )
    path = tmp_path / "loose.yaml"
    path.write_text(text)
    (finding,) = [d for d in lint(path) if d.code == "SLO302"]
    assert "14.4x can never fire" in finding.message
    assert text.splitlines()[finding.span.line - 1].strip() == "threshold: 14.4"


def test_round_trip_slospec_openslo_slospec(tmp_path: Path) -> None:
    for example in sorted(EXAMPLES.glob("*.slo.yaml")):
        specs, problems = load_specs([str(example)], Config())
        assert not problems
        module = backends.load("openslo")
        exported = module.JOINER.join(a.text for a in module.compile(specs, backends.CompileOptions()))
        out = tmp_path / f"{example.stem}.openslo.yaml"
        out.write_text(exported)
        assert lint(out, select=("SLO0",)) == [], example.name  # passes our own OpenSLO validation
        source = loader.read(str(out), Config())
        assert to_slospec(source) == [s.data for s in specs], example.name


def go_sdk_valid_examples() -> list[Path]:
    root = need_corpus() / "go-sdk-head" / "pkg" / "openslo" / "v1" / "examples"
    return sorted(root.glob("*.yaml"))


def test_go_sdk_examples_import_without_schema_violations() -> None:
    # slos.yaml puts `op` on a ratio objective, which the SDK's own rules reject.
    for path in go_sdk_valid_examples():
        problems = [d for d in lint(path) if d.code == "SLO002"]
        if path.name == "slos.yaml":
            assert all("op is not allowed" in d.message for d in problems) and problems
        else:
            assert problems == [], path.name


def test_round_trip_openslo_slospec_openslo_on_the_corpus(tmp_path: Path) -> None:
    for path in go_sdk_valid_examples():
        source = loader.read(str(path), Config())
        first = to_slospec(source)
        if not first:
            continue
        module = backends.load("openslo")
        specs = [model.build(d, str(path)) for d in first]
        exported = tmp_path / path.name
        exported.write_text(module.JOINER.join(a.text for a in module.compile(specs, backends.CompileOptions())))
        again = to_slospec(loader.read(str(exported), Config()))
        assert again == first, path.name


def test_dangling_inline_references_in_the_sdk_corpus() -> None:
    """The go-sdk inlines each of these files alone: alone (no project around them), each
    names an object that does not exist. (Their siblings define some of those names, so
    linted in place, as a project, some resolve: that is tested with project shapes.)"""
    from slospec.api import lint_text

    root = need_corpus() / "go-sdk-head" / "pkg" / "openslosdk" / "test_data" / "inline" / "inputs"
    invalid = sorted(root.glob("*_invalid_*.yaml"))
    assert invalid
    for path in invalid:
        assert "SLO004" in {d.code for d in lint_text(path.read_text(), str(path))}, path.name


def test_oslo_validate_inputs_report_the_fields_oslo_names() -> None:
    root = need_corpus() / "oslo-head" / "test" / "inputs" / "validate"
    found = {(d.code, d.message.split(":")[0]) for d in lint(root / "v1.yaml")}
    messages = " ".join(d.message for d in lint(root / "v1.yaml"))
    assert "objectives[0].op is not allowed" in messages  # oslo: spec.objectives[0].op forbidden
    assert "'example service' is not valid" in messages  # oslo: metadata.name regex
    assert ("SLO002", "spec.markdown") in {(d.code, d.message.split(":")[0]) for d in lint(root / "unknown-field.yaml")}
    assert found


def test_openslo_spec_example_with_a_one_minute_window_gets_a_realism_finding() -> None:
    path = need_corpus() / "openslo-head" / "examples" / "budgeting-method" / "timeslices-slo.yaml"
    codes = {d.code for d in lint(path)}
    assert {"SLO104", "SLO107"} <= codes


def test_cli_schema_openslo_and_convert(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from slospec.cli import main

    result = CliRunner().invoke(main, ["schema", "--openslo"])
    assert json.loads(result.output)["$id"].endswith("openslo-v1.schema.json")
    result = CliRunner().invoke(main, ["convert", str(FIXTURES / "valid.yaml"), "--to", "yaml"])
    assert result.exit_code == 0, result.output
    assert "target: 99.9%" in result.output and "window: 4w" in result.output
