"""The code checks CI runs: ruff's lint rules and layout, and mypy (strict on the core), all clean.

The configuration lives in pyproject.toml ([tool.ruff], [tool.mypy]); these tests only run the
tools on the repository, so a finding fails the suite with the tool's own report.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import IN_CI, ROOT

PATHS = ["slospec", "tests", "benchmarks", "grammar"]


def need_module(name: str) -> None:
    """Skip locally when a checker is not installed; fail in CI (the test extra installs it)."""
    if importlib.util.find_spec(name) is not None:
        return
    if IN_CI:
        pytest.fail(f"{name} is not installed; pip install -e '.[test]' must install it")
    pytest.skip(f"{name} is not installed (pip install -e '.[test]')")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def report(done: subprocess.CompletedProcess[str]) -> str:
    return f"$ {' '.join(done.args[2:])}\n{done.stdout}{done.stderr}"


@pytest.mark.slow
@pytest.mark.parametrize(
    "command",
    [
        ["check", "--no-cache", *PATHS],
        ["format", "--check", "--no-cache", *PATHS],
    ],
    ids=["ruff-check", "ruff-format"],
)
def test_ruff_is_clean(command: list[str]) -> None:
    need_module("ruff")
    done = run("ruff", *command)
    assert done.returncode == 0, report(done)


@pytest.mark.slow
def test_mypy_is_clean(tmp_path: Path) -> None:
    need_module("mypy")
    # The files and the strict core come from [tool.mypy]; the cache goes to a temporary folder.
    done = run("mypy", "--cache-dir", str(tmp_path / "mypy-cache"))
    assert done.returncode == 0, report(done)
    assert "Success: no issues found" in done.stdout, report(done)
