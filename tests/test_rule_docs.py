"""Rule documentation is tested: fixed sections, and the Example triggers the rule while
"Use instead" does not (pycodestyle's self-doctests, applied to ruff-style rule pages)."""

from __future__ import annotations

import re

import pytest

from slospec.api import lint_text
from slospec.config import from_data
from slospec.lint.docgen import rule_page
from slospec.rules import all_rules
from slospec.rules.base import SECTIONS

BLOCK_RE = re.compile(r"```(\w+)\n(.*?)```", re.S)
PATH_FOR = {"yaml": "example.slo.yaml", "slo": "example.slo", "openslo": "example.yaml"}
RULES = list(all_rules().values())


def blocks(text: str) -> list[tuple[str, str]]:
    return [(lang, body) for lang, body in BLOCK_RE.findall(text) if lang in PATH_FOR]


def settings(section: str) -> dict:
    """The configuration a section's ```toml block gives (organisation policy: SLO6xx)."""
    import tomllib

    found = {}
    for lang, body in BLOCK_RE.findall(section):
        if lang == "toml":
            found.update(tomllib.loads(body))
    return found


def run(rule, lang: str, body: str, extra: dict | None = None):
    # SLO003 judges other rules' suppressions, so every rule runs for its example.
    selected = ["ALL"] if rule.code == "SLO003" else sorted({rule.code, "SLO001", "SLO002"})
    config = from_data({"select": selected, **(extra or {})})
    return lint_text(body, PATH_FOR[lang], config)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_sections_present_in_order(rule) -> None:
    positions = [rule.body.find(f"## {title}") for title in SECTIONS]
    assert all(p >= 0 for p in positions), f"{rule.code} lacks a section: {SECTIONS}"
    assert positions == sorted(positions), f"{rule.code}: sections out of order"
    assert rule.summary and len(rule.summary) < 100


@pytest.mark.parametrize("rule", [r for r in RULES if not r.needs_data], ids=lambda r: r.code)
def test_example_triggers_and_use_instead_does_not(rule) -> None:
    examples = blocks(rule.section("Example"))
    fixes = blocks(rule.section("Use instead"))
    assert examples and fixes, f"{rule.code}: Example and Use instead need a yaml/slo/openslo block"
    for lang, body in examples:
        found = run(rule, lang, body, settings(rule.section("Example")))
        assert rule.code in {d.code for d in found}, f"{rule.code} Example did not trigger: {found}"
    for lang, body in fixes:
        found = [
            d
            for d in run(rule, lang, body, settings(rule.section("Use instead")))
            if d.code in (rule.code, "SLO001", "SLO002")
        ]
        assert not found, f"{rule.code} Use instead is not clean: {found}"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_page_is_what_slospec_rule_prints(rule) -> None:
    from click.testing import CliRunner

    from slospec.cli import main

    result = CliRunner().invoke(main, ["rule", rule.name])
    assert result.exit_code == 0
    assert result.output == rule_page(rule)
    assert result.output.startswith(f"# {rule.name} ({rule.code})")
