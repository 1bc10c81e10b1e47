"""Per-rule fixtures: each file marks the findings it must produce with `# expect: CODE`.

Every rule runs alone (plus SLO001/SLO002, so a fixture that does not even parse or
validate cannot pass by accident) over tests/rules/fixtures/<CODE>/{fail,pass}_*.
A file without markers must produce nothing.

Like sqlfluff's per-case configuration, a fixture may set the rule's options in a comment,
`# test-config: {"rules": {"extreme-target": {"max-target": "99.9"}}}` (the configuration
file's keys as JSON), and pin a message: `# expect: SLO102 ~ 99.999%` requires the finding
on that line to contain the text after `~`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from slospec.api import lint_sources
from slospec.config import from_data
from slospec.rules import all_rules
from slospec.source import loader

FIXTURES = Path(__file__).parent / "fixtures"
EXPECT_RE = re.compile(r"#\s*expect:\s*([A-Z0-9,\s]+?)\s*(?:~\s*(.+?))?\s*$")
CONFIG_RE = re.compile(r"#\s*test-config:\s*(\{.*\})\s*$", re.M)
FIXTURE_SUFFIXES = (".slo.yaml", ".slo", ".yaml")


def expected_findings(text: str) -> set[tuple[int, str]]:
    out = set()
    for number, line in enumerate(text.splitlines(), start=1):
        match = EXPECT_RE.search(line)
        if match:
            out |= {(number, code.strip()) for code in match.group(1).split(",") if code.strip()}
    return out


def expected_messages(text: str) -> dict[int, str]:
    out = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = EXPECT_RE.search(line)
        if match and match.group(2):
            out[number] = match.group(2)
    return out


def fixture_config(text: str) -> dict:
    import json

    match = CONFIG_RE.search(text)
    return json.loads(match.group(1)) if match else {}


def fixture_files() -> list[Path]:
    return sorted(p for p in FIXTURES.glob("*/*") if p.name.endswith(FIXTURE_SUFFIXES))


def run_rule(code: str, path: Path, extra: dict | None = None):
    # SLO003 judges other rules' suppressions, so every rule runs for its fixtures.
    selected = ["ALL"] if code == "SLO003" else sorted({code, "SLO001", "SLO002"})
    config = from_data({"select": selected, **(extra or {})})
    source = loader.read(str(path), config)
    assert source is not None, f"{path} is not recognised as a spec file"
    report = lint_sources([source], config)
    assert report.crashes == []
    return report.diagnostics


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture(path: Path) -> None:
    code = path.parent.name
    text = path.read_bytes().decode("utf-8", errors="replace")
    diagnostics = run_rule(code, path, fixture_config(text))
    framework = {
        (d.span.line, d.code, d.message) for d in diagnostics if d.code in ("SLO001", "SLO002") and d.code != code
    }
    assert not framework or code in ("SLO001", "SLO002"), f"fixture does not load cleanly: {framework}"
    found = {(d.span.line, d.code) for d in diagnostics if d.code == code}
    expected = expected_findings(text)
    if path.name.startswith("pass_"):
        assert not expected, "pass_ fixtures carry no expect markers"
    assert found == expected, "\n".join(f"{d.span.line}: {d.code} {d.message}" for d in diagnostics)
    for line, wanted in expected_messages(text).items():
        messages = [d.message for d in diagnostics if d.code == code and d.span.line == line]
        assert any(wanted in m for m in messages), f"line {line}: no message contains {wanted!r}: {messages}"


def test_every_rule_option_is_exercised_by_a_fixture() -> None:
    """Each option of each rule is set by some fixture's test-config (else it is untested)."""
    used: set[tuple[str, str]] = set()
    for path in fixture_files():
        for name, options in fixture_config(path.read_text(errors="replace")).get("rules", {}).items():
            used |= {(name, option) for option in options}
    missing = [
        (r.name, o)
        for r in all_rules().values()
        if not r.needs_data
        for o in r.options
        if (r.name, o) not in used and (r.code, o) not in used
    ]
    assert not missing, f"rule options no fixture sets: {missing}"


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
