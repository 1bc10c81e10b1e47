"""Shared test helpers: paths, the lint-a-string helper, and skips for optional outside tools."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
# Real OpenSLO/Sloth/Pyrra files from public projects live beside the repository (never
# copied into it); tests that read them skip when the folder is absent.
CORPUS = ROOT.parent / "shared" / "corpus"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# Hypothesis example counts, per run rather than per test: HYPOTHESIS_PROFILE=dev for a quick
# local pass, ci (the default) for every push, long for a soak before a release. A test that
# explores a wide input space cheaply asks for a multiple of the profile's count (`examples`).
# The CLI fuzz harness (tests/fuzz/harness.py) follows the same profile names.
settings.register_profile("ci", max_examples=100, print_blob=True)
settings.register_profile("dev", max_examples=20)
settings.register_profile("long", max_examples=2_000, print_blob=True)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)


def examples(weight: float) -> int:
    """`weight` times the active profile's example count (at least one)."""
    return max(1, round(settings().max_examples * weight))


def need_tool(name: str) -> str:
    """Path of an outside tool; skip locally when missing, but fail in CI (it must be installed)."""
    # The test interpreter's own bin folder too: a venv's tools when pytest runs unactivated.
    found = shutil.which(name) or shutil.which(name, path=os.path.dirname(sys.executable))
    if found:
        return found
    if IN_CI:
        pytest.fail(f"{name} is not installed; .ci/run must install it")
    pytest.skip(f"{name} is not installed (CI installs it)")


def need_corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    return CORPUS


@pytest.fixture
def lint():
    """lint(text, path="spec.slo.yaml", **config) -> list of (line, code) plus the diagnostics."""
    from slospec.api import lint_text
    from slospec.config import from_data

    def run(text: str, path: str = "spec.slo.yaml", **config_data):
        config = from_data({k.replace("_", "-"): v for k, v in config_data.items()})
        return lint_text(text, path, config)

    return run


def assert_well_formed(diagnostics, text: str | None = None) -> None:
    """What a user reads of each diagnostic holds, whatever the input: a rule that exists,
    under its own name, with a known severity and a message, at a 1-based position inside
    the file (`text`: at most one line past its last line break)."""
    from slospec.diagnostics import SEVERITIES
    from slospec.rules import all_rules

    rules = all_rules()
    last = None if text is None else len(text.splitlines()) + 1
    for d in diagnostics:
        assert d.code in rules and rules[d.code].name == d.name, d
        assert d.severity in SEVERITIES and d.message.strip(), d
        assert d.span.line >= 1 and d.span.column >= 1, d
        assert (d.span.end_line, d.span.end_column) >= (d.span.line, d.span.column), d
        assert last is None or d.span.line <= last, (d, last)


def codes(diagnostics) -> list[tuple[int, str]]:
    return sorted((d.span.line, d.code) for d in diagnostics)


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from current output")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")
