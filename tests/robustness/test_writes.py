"""Writes are atomic (kill the writer at random points: the old file or the new one, never a
part) and names derived from specs never leave the output folder."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from slospec.atomic import safe_child, write_text
from tests.conftest import ROOT

WRITER = """
import sys
from slospec.atomic import write_text
target, size = sys.argv[1], int(sys.argv[2])
print("ready", flush=True)
for round_ in range(1000):
    write_text(target, ("NEW%d-" % round_) * size + "END\\n")
"""


def test_killing_the_writer_never_leaves_a_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    old = "OLD-" * 200_000 + "END\n"
    target.write_text(old)
    rng = random.Random(20261124)
    outcomes = {"old": 0, "new": 0}
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _ in range(25):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target), "200000"],
                                stdout=subprocess.PIPE, env=env)
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0, 0.05))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        content = target.read_text()
        assert content.endswith("END\n"), "a partial file was left behind"
        if content == old:
            outcomes["old"] += 1
        else:
            marker = content.split("-", 1)[0]
            assert content == (marker + "-") * 200_000 + "END\n"
            outcomes["new"] += 1
    assert outcomes["new"] > 0  # the kills did land while writing


def test_write_keeps_permissions_and_replaces_content(tmp_path: Path) -> None:
    target = tmp_path / "rules.yaml"
    target.write_text("old\n")
    target.chmod(0o640)
    write_text(target, "new\n")
    assert target.read_text() == "new\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rules.yaml"]


def test_failed_write_leaves_the_old_file_and_no_temp(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "a.md"
    target.write_text("keep me\n")

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        write_text(target, "new")
    assert target.read_text() == "keep me\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd", "/etc/passwd", "..", ".", "a/b\\c", "con", "COM1.md", "x\x00y", "\n\t",
     "a" * 500, "slo:availability?", "~/.ssh/id_rsa", "..\\..\\windows"],
)
def test_names_from_specs_stay_inside_the_output_folder(tmp_path: Path, name: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    path = safe_child(out, name)
    assert path.parent == out.resolve()
    assert path.name not in ("", ".", "..")
    assert all(ch.isalnum() or ch in "._-" for ch in path.name)
    write_text(path, "x")
    assert [p.parent for p in out.iterdir()] == [out.resolve()] or [p.parent for p in out.iterdir()] == [out]
