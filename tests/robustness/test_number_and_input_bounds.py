"""Issue 28, cases 11, 15 and 17: numbers too large or too small for exact arithmetic are
refused where they are written (no hang), stdin has the same size limit as a file, and a
near-zero budget target is not shown as a 100 % budget."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT
from tests.core.test_cli import GOOD


def slospec(*args: str, stdin: bytes | None = None, cwd=None, timeout: float = 30) -> subprocess.CompletedProcess:
    import os

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "slospec", *args], input=stdin, capture_output=True, env=env, cwd=cwd, timeout=timeout
    )


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("target: 99.95%", "target: 1e-999999", "closer to zero than 1e-1000"),
        ("count: 50000000", "count: 1e999999", "larger than 1e1000"),
        ("count: 50000000", "count: 1" + "0" * 5000, "expectedEvents"),
        ("count: 50000000", "count: 1e400", "expectedEvents"),
        ("target: 99.95%", "target: 0." + "0" * 100000 + "1%", "closer to zero"),
        ("target: 99.95%", "target: 1e-30", "closer to zero than 1e-20"),
    ],
)
@pytest.mark.parametrize(
    "command", [["lint", "--no-cache"], ["compile", "-t", "prometheus"], ["convert", "--to", "dsl"]]
)
def test_huge_and_tiny_numbers_are_refused_quickly(tmp_path, old: str, new: str, says: str, command: list[str]) -> None:
    assert old in GOOD
    path = tmp_path / "api.slo.yaml"
    path.write_text(GOOD.replace(old, new))
    began = time.monotonic()
    result = slospec(*command, str(path), timeout=20)
    assert time.monotonic() - began < 15
    assert result.returncode in (1, 2) and says in (result.stdout + result.stderr).decode()
    assert b"internal error" not in result.stderr


def test_dsl_numbers_are_bounded_too(tmp_path) -> None:
    text = (ROOT / "examples" / "api.slo").read_text()
    assert "50000000" in text
    path = tmp_path / "api.slo"
    path.write_text(text.replace("50000000", "1" + "0" * 2000, 1))
    result = slospec("lint", "--no-cache", str(path), timeout=20)
    assert result.returncode == 1 and b"larger than 1e1000" in result.stdout


@pytest.mark.parametrize(("target", "says"), [("1e-999999", b"closer to zero than 1e-1000"), ("1e-30", b"1e-20%")])
def test_budget_of_tiny_targets_is_refused_not_a_million_characters(target: str, says: bytes) -> None:
    result = slospec("budget", target, "30d", timeout=20)
    assert result.returncode == 2 and says in result.stderr and len(result.stdout + result.stderr) < 1000
    assert b"Error budget:  100%" not in result.stdout


@pytest.mark.parametrize(
    "command", [["lint", "-"], ["compile", "-", "-t", "markdown"], ["convert", "-", "--to", "yaml"]]
)
def test_stdin_has_the_file_size_limit(command: list[str]) -> None:
    big = b"#" * (10 * 1024 * 1024 + 10)
    result = slospec(*command, stdin=big, timeout=30)
    assert result.returncode == 2 and b"<stdin>: more than 10485760 bytes" in result.stderr
    assert b"MemoryError" not in result.stderr


def test_stdin_below_the_limit_still_lints() -> None:
    result = slospec("lint", "-", stdin=GOOD.encode())
    assert result.returncode == 0, result.stderr


def test_convert_on_a_fifo_says_it_is_a_fifo(tmp_path) -> None:
    import os

    fifo = tmp_path / "spec.slo.yaml"
    os.mkfifo(fifo)
    result = slospec("convert", str(fifo), "--to", "dsl", timeout=20)
    assert result.returncode == 2 and b"named pipe" in result.stderr and b"no such file" not in result.stderr
