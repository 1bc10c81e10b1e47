"""Every ```console block in README.md and docs/ runs as written and prints what it shows,
so the docs cannot drift from the tool (issue 29). getting-started.md has its own test (its
blocks build on the files the page writes).

How a block runs: in a fresh folder holding a copy of `examples/` and the page's own input
files from tests/docs/console/<page>/ (the CSVs and specs the prose says you have). Each
`$ slospec ...` line runs; lines below it are its output (standard output, then standard
error), compared line for line; a `...` line stands for any number of lines. A line whose
command is not slospec (`pip install`, `export`) is not run. A block right after the comment
`<!-- console: not run (REASON) -->` is skipped, saying why (a live server)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

BLOCK_RE = re.compile(r"^```console\n(.*?)^```", re.M | re.S)
SKIP_RE = re.compile(r"<!-- console: not run \(([^)]+)\) -->\s*$")
INPUTS = Path(__file__).parent / "console"
PAGES = ["README.md"] + sorted(
    p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").rglob("*.md") if p.name != "getting-started.md"
)


def blocks(page: str):
    """(line number, [(command, expected lines)]) for each block of the page that runs."""
    text = (ROOT / page).read_text()
    for match in BLOCK_RE.finditer(text):
        before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        if SKIP_RE.search(before):
            continue
        steps: list[tuple[str, list[str]]] = []
        for line in match.group(1).splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            elif steps:
                steps[-1][1].append(line)
        yield text[: match.start()].count("\n") + 1, steps


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line for line; a `...` line matches any run of lines (none included)."""
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and actual[0] == expected[0] and matches(expected[1:], actual[1:])


CASES = [(page, line, steps) for page in PAGES for line, steps in blocks(page)]


def test_the_console_blocks_are_found() -> None:
    """The pages this test exists for keep their blocks (a rename would silently test nothing)."""
    pages = {page for page, _, _ in CASES}
    assert {"README.md", "docs/cli.md", "docs/eval.md", "docs/index.md"} <= pages, pages


@pytest.mark.parametrize(("page", "line", "steps"), CASES, ids=[f"{p}:{n}" for p, n, _ in CASES])
def test_console_block_runs_as_written(page: str, line: int, steps, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    inputs = INPUTS / Path(page).stem
    if inputs.is_dir():
        shutil.copytree(inputs, tmp_path, dirs_exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "COLUMNS": "80"}
    ran = 0
    for command, expected in steps:
        if not command.startswith("slospec "):
            continue
        shell = f'slospec() {{ "{sys.executable}" -m slospec "$@"; }}\n{command}'
        result = subprocess.run(
            ["bash", "-c", shell], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode in (0, 1, 2), result.stderr
        if expected:
            actual = (result.stdout + result.stderr).rstrip("\n").splitlines()
            assert matches(expected, actual), (
                f"{page}:{line}: `{command}` printed\n"
                + "\n".join(actual)
                + "\n\nthe page shows\n"
                + "\n".join(expected)
            )
        ran += 1
    assert ran, f"{page}:{line}: no slospec command in the block (mark it `<!-- console: not run (why) -->`)"
