"""Per-rule fixtures: each file marks the findings it must produce with `# expect: CODE`.

Every rule runs alone (plus SLO001/SLO002, so a fixture that does not even parse or
validate cannot pass by accident) over tests/rules/fixtures/<CODE>/{fail,pass}_*.
A file without markers must produce nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from slospec.config import from_data
from slospec import loader
from slospec.api import lint_sources
from slospec.rules import all_rules

FIXTURES = Path(__file__).parent / "fixtures"
EXPECT_RE = re.compile(r"#\s*expect:\s*([A-Z0-9,\s]+?)\s*$")
FIXTURE_SUFFIXES = (".slo.yaml", ".slo", ".yaml")


def expected_findings(text: str) -> set[tuple[int, str]]:
    out = set()
    for number, line in enumerate(text.splitlines(), start=1):
        match = EXPECT_RE.search(line)
        if match:
            out |= {(number, code.strip()) for code in match.group(1).split(",") if code.strip()}
    return out


def fixture_files() -> list[Path]:
    return sorted(p for p in FIXTURES.glob("*/*") if p.name.endswith(FIXTURE_SUFFIXES))


def run_rule(code: str, path: Path):
    # SLO003 judges other rules' suppressions, so every rule runs for its fixtures.
    selected = ["ALL"] if code == "SLO003" else sorted({code, "SLO001", "SLO002"})
    config = from_data({"select": selected})
    source = loader.read(str(path), config)
    assert source is not None, f"{path} is not recognised as a spec file"
    report = lint_sources([source], config)
    assert report.crashes == []
    return report.diagnostics


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture(path: Path) -> None:
    code = path.parent.name
    text = path.read_bytes().decode("utf-8", errors="replace")
    diagnostics = run_rule(code, path)
    framework = {(d.span.line, d.code, d.message) for d in diagnostics if d.code in ("SLO001", "SLO002") and d.code != code}
    assert not framework or code in ("SLO001", "SLO002"), f"fixture does not load cleanly: {framework}"
    found = {(d.span.line, d.code) for d in diagnostics if d.code == code}
    expected = expected_findings(text)
    if path.name.startswith("pass_"):
        assert not expected, "pass_ fixtures carry no expect markers"
    assert found == expected, "\n".join(f"{d.span.line}: {d.code} {d.message}" for d in diagnostics)


def test_every_rule_has_failing_and_passing_fixtures() -> None:
    missing = []
    for code, rule in all_rules().items():
        if rule.needs_data:
            continue
        folder = FIXTURES / code
        names = [p.name for p in folder.glob("*")] if folder.is_dir() else []
        if not any(n.startswith("fail_") for n in names) or not any(n.startswith("pass_") for n in names):
            missing.append(code)
    assert not missing, f"rules without fail_/pass_ fixtures: {missing}"
