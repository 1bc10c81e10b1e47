"""Run slospec as a user types it, from this worktree (issue 29: a newcomer's first hour)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

# A spec that lints clean, and the same with one error (SLO101: a 100 % target).
CLEAN = (Path(__file__).parents[2] / "examples" / "website.slo").read_text()
PERFECT = CLEAN.replace("99.9% of probe-up", "100% of probe-up")


def slospec(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "slospec", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root
