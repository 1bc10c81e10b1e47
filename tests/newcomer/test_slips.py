"""Cases 4-7 of issue 29: slips a newcomer makes in the first hour, each caught or handled
as a user of ruff would expect."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import ROOT
from tests.newcomer.helpers import CLEAN, slospec, tree


def docs_block(page: str, lang: str, contains: str) -> str:
    text = (ROOT / "docs" / page).read_text()
    blocks = [b for b in re.findall(rf"^```{lang}\n(.*?)^```", text, re.M | re.S) if contains in b]
    assert blocks, f"no {lang} block with {contains!r} in {page}"
    return blocks[0]


def test_the_include_example_in_the_docs_keeps_slo_files(tmp_path: Path) -> None:
    """Case 4: copying docs/configuration.md's example must not drop every .slo file."""
    toml = docs_block("configuration.md", "toml", "include =")
    tree(tmp_path, {"slospec.toml": toml, "specs/web.slo": CLEAN})
    shown = slospec("lint", "--show-files", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split() == ["specs/web.slo"]


def test_an_include_that_takes_nothing_is_named_in_the_error(tmp_path: Path) -> None:
    """Case 4: the error says what it looked for, as the configuration says, not `*.slo`."""
    tree(tmp_path, {"slospec.toml": 'include = ["**/*.yaml"]\n', "web.slo": CLEAN})
    result = slospec("lint", cwd=tmp_path)
    assert result.returncode == 2
    assert "looked for files matching **/*.yaml (`include` in " in result.stderr, result.stderr
    assert "*.slo," not in result.stderr


def test_slospecs_own_reports_are_not_linted_as_specs(tmp_path: Path) -> None:
    """Case 6: a SARIF or JSON report saved as *.json (its rule help quotes specs) is no spec."""
    broken = (ROOT / "examples" / "broken" / "targets.slo.yaml").read_text()
    tree(tmp_path, {"specs/targets.slo.yaml": broken})
    for fmt, name in (("sarif", "report.sarif.json"), ("json", "report.json"), ("sarif", "results.json")):
        made = slospec("lint", "specs", "--format", fmt, "-o", name, cwd=tmp_path)
        assert made.returncode == 1, made.stderr
    result = slospec("lint", "report.sarif.json", "report.json", "results.json", cwd=tmp_path)
    assert result.returncode == 0 and "SLO00" not in result.stdout, result.stdout
    # Linting the folder again reads the spec and nothing else: the same findings as before.
    again = slospec("lint", "--format", "json", ".", cwd=tmp_path)
    first = slospec("lint", "--format", "json", "specs", cwd=tmp_path)
    assert again.stdout == first.stdout


MESSY = "service shop {\n      owner team-shop   # who\n}\nslo a 99.9% of s over 28d\n"
TIDY = "service shop {\n  owner team-shop  # who\n}\n\nslo a 99.9% of s over 28d\n"


def test_fmt_dash_reads_stdin_and_writes_stdout(tmp_path: Path) -> None:
    """Case 7: `slospec fmt -` formats standard input to standard output, as ruff and black do."""
    result = slospec("fmt", "-", cwd=tmp_path, stdin=MESSY)
    assert result.returncode == 0 and result.stdout == TIDY, result.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written anywhere
    check = slospec("fmt", "--check", "-", cwd=tmp_path, stdin=MESSY)
    assert check.returncode == 1 and check.stdout == "would reformat -\n"
    assert slospec("fmt", "--check", "-", cwd=tmp_path, stdin=TIDY).returncode == 0
    diff = slospec("fmt", "--diff", "--stdin-filename", "shop.slo", cwd=tmp_path, stdin=MESSY)
    assert diff.returncode == 1 and "+  owner team-shop  # who" in diff.stdout
    yaml = slospec("fmt", "--stdin-filename", "a.slo.yaml", cwd=tmp_path, stdin="apiVersion:   slospec/v1\n")
    assert yaml.returncode == 0 and yaml.stdout == "apiVersion: slospec/v1\n"
    broken = slospec("fmt", "-", cwd=tmp_path, stdin="service {\n")
    assert broken.returncode == 2 and broken.stdout == "" and "-:1:10:" in broken.stderr
