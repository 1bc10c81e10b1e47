"""compile and eval say what discovery skipped the way lint does (issue 18 item 12 for every
command that reads specs): one line each on stderr, stdout left to the artefact or report; an
unreadable folder is an error reported after the other files were used (exit 2)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.fuzz.harness import invoke

DATA = "timestamp,good,total\n0,1,1\n60,1,1\n"
COMMANDS = {
    "lint": ["lint", "."],
    "compile": ["compile", "--target", "openslo", "."],
    "eval": ["eval", ".", "--sli", "requests-ok", "--data", "data.csv"],
}


def project(tmp_path: Path) -> Path:
    (tmp_path / "api.slo.yaml").write_bytes((EXAMPLES / "api.slo.yaml").read_bytes())
    (tmp_path / "data.csv").write_text(DATA)
    return tmp_path


def notices(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("slospec: ") and "error: fix" not in line]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_fifo_in_a_folder_is_a_notice_on_stderr(tmp_path: Path, command: str) -> None:
    os.mkfifo(project(tmp_path) / "pipe.slo")
    result = invoke(COMMANDS[command], tmp_path)
    assert result.exit_code == 0, result.output
    assert notices(result.stderr) == ["slospec: notice: pipe.slo: skipped: a named pipe (FIFO), not a regular file"]
    assert "pipe.slo" not in result.stdout


@pytest.mark.parametrize("command", ["compile", "eval"])
def test_compile_and_eval_print_the_notices_lint_prints(tmp_path: Path, command: str) -> None:
    project(tmp_path)
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.slo")
    (tmp_path / "v2.yaml").write_text("apiVersion: openslo/v2alpha\nkind: SLO\nmetadata:\n  name: x\n")
    lint = invoke(["lint", ".", "v2.yaml"], tmp_path)
    result = invoke([*COMMANDS[command], "v2.yaml"], tmp_path)
    assert result.exit_code == 0, result.output
    assert notices(result.stderr) == notices(lint.stderr)
    assert any(
        "v2.yaml: skipped: an OpenSLO file of a version slospec does not read" in n for n in notices(result.stderr)
    )


def test_compile_of_nothing_but_a_file_of_another_tool_says_why(tmp_path: Path) -> None:
    (tmp_path / "v2.yaml").write_text("apiVersion: openslo/v2alpha\nkind: SLO\nmetadata:\n  name: x\n")
    result = invoke(["compile", "--target", "openslo", "v2.yaml"], tmp_path)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith("slospec: v2.yaml: skipped: an OpenSLO file of a version slospec does not read")
    assert lines[-1] == "slospec: error: no specs found in v2.yaml"


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_unreadable_folder_is_an_error_after_the_others_are_used(
    tmp_path: Path, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Root reads a chmod 000 folder, so the refusal is simulated where os.walk lists folders.
    locked = project(tmp_path) / "locked"
    locked.mkdir()
    (locked / "hidden.slo").write_bytes((EXAMPLES / "api.slo").read_bytes())
    real_scandir = os.scandir

    def refuse(path="."):
        if isinstance(path, (str, os.PathLike)) and Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    result = invoke(COMMANDS[command], tmp_path)
    assert result.exit_code == 2, result.output
    assert notices(result.stderr) == [
        "slospec: error: ./locked: cannot read folder: Permission denied; its files were not checked"
    ]
    if command == "compile":
        assert "apiVersion: openslo/v1" in result.stdout  # api.slo.yaml was still compiled
    if command == "eval":
        assert "availability" in result.stdout  # and evaluated
