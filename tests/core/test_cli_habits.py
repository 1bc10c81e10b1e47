"""The habits of ruff, yamllint and check-jsonschema: quiet, statistics, exit-zero, show-files,
stdin under an editor's file name, colour on terminals only, did-you-mean, shell completion,
and configuration found from each linted file upwards."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT
from tests.core.test_cli import BAD, GOOD, slospec

RATIO = GOOD.replace("target: 99.95%", "target: 0.9995")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_quiet_prints_only_findings_and_nothing_when_clean(tmp_path: Path) -> None:
    (tmp_path / "good.slo.yaml").write_text(GOOD)
    clean = slospec("lint", "-q", "good.slo.yaml", cwd=tmp_path)
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, "", "")
    (tmp_path / "bad.slo.yaml").write_text(BAD)
    found = slospec("lint", "--quiet", "bad.slo.yaml", cwd=tmp_path)
    assert found.returncode == 1
    lines = found.stdout.splitlines()
    assert lines and all(line.startswith("bad.slo.yaml:") for line in lines)
    assert "Found" not in found.stdout


def test_statistics_count_per_code_most_first(tmp_path: Path) -> None:
    result = slospec("lint", "--statistics", str(EXAMPLES / "broken"), cwd=tmp_path)
    assert result.returncode == 1
    rows = [line.split() for line in result.stdout.splitlines()]
    counts = [int(row[0]) for row in rows]
    assert counts == sorted(counts, reverse=True) and sum(counts) > len(rows)
    json_result = slospec("lint", "--format", "json", str(EXAMPLES / "broken"), cwd=tmp_path)
    import json

    codes = [item["code"] for item in json.loads(json_result.stdout)]
    assert {row[1]: int(row[0]) for row in rows} == {code: codes.count(code) for code in set(codes)}


def test_exit_zero_keeps_the_report_but_not_the_failure(tmp_path: Path) -> None:
    (tmp_path / "bad.slo.yaml").write_text(BAD)
    result = slospec("lint", "--exit-zero", "bad.slo.yaml", cwd=tmp_path)
    assert result.returncode == 0 and "SLO101 [error]" in result.stdout
    missing = slospec("lint", "--exit-zero", "nothing-here.slo.yaml", cwd=tmp_path)
    assert missing.returncode == 2  # slospec itself failing is never hidden


def test_show_files_lists_what_would_be_linted(tmp_path: Path) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "a.slo.yaml").write_text(GOOD)
    (tmp_path / "specs" / "b.slo").write_text((EXAMPLES / "api.slo").read_text())
    (tmp_path / "specs" / "ci.yaml").write_text("jobs: {build: {runs-on: ubuntu}}\n")
    (tmp_path / "specs" / "old.slo.yaml").write_text(BAD)
    (tmp_path / "slospec.toml").write_text('exclude = ["specs/old.slo.yaml"]\n')
    result = slospec("lint", "--show-files", "specs", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.splitlines() == ["specs/a.slo.yaml", "specs/b.slo"]


def test_stdin_filename_picks_format_and_configuration(tmp_path: Path) -> None:
    repo, elsewhere = tmp_path / "repo", tmp_path / "elsewhere"
    (repo / "specs").mkdir(parents=True)
    elsewhere.mkdir()
    (repo / "slospec.toml").write_text('ignore = ["SLO103"]\n')
    dsl = (EXAMPLES / "api.slo").read_text()
    as_dsl = slospec("lint", "--stdin-filename", "api.slo", "-", stdin=dsl, cwd=elsewhere)
    assert as_dsl.returncode == 0, as_dsl.stdout + as_dsl.stderr
    assert as_dsl.stdout == "All checks passed in 1 file.\n"
    name = str(repo / "specs" / "api.slo.yaml")
    bare = slospec("lint", "--stdin-filename", "x.slo.yaml", stdin=RATIO, cwd=elsewhere)
    assert "x.slo.yaml:" in bare.stdout and "SLO103" in bare.stdout
    configured = slospec("lint", "--stdin-filename", name, stdin=RATIO, cwd=elsewhere)
    # the repository's slospec.toml (found from NAME) ignores SLO103, the ratio slip's one finding
    assert configured.returncode == 0 and "SLO103" not in configured.stdout, configured.stdout


def test_colour_only_when_asked_or_on_a_terminal(tmp_path: Path) -> None:
    (tmp_path / "bad.slo.yaml").write_text(BAD)
    piped = slospec("lint", "bad.slo.yaml", cwd=tmp_path)
    assert not ANSI.search(piped.stdout)
    forced = slospec("lint", "--color", "always", "bad.slo.yaml", cwd=tmp_path)
    assert ANSI.search(forced.stdout)
    assert ANSI.sub("", forced.stdout) == piped.stdout
    assert on_a_terminal(["lint", "bad.slo.yaml"], tmp_path, {}) != ANSI.sub(
        "", on_a_terminal(["lint", "bad.slo.yaml"], tmp_path, {})
    )
    plain = on_a_terminal(["lint", "bad.slo.yaml"], tmp_path, {"NO_COLOR": "1"})
    assert "SLO101" in plain and not ANSI.search(plain)
    assert not ANSI.search(on_a_terminal(["lint", "--color", "never", "bad.slo.yaml"], tmp_path, {}))


def on_a_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    """Run slospec with stdout on a pseudo-terminal, as a person at a shell would."""
    import pty

    main, child = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
    environment.update({"PYTHONPATH": str(ROOT), "TERM": "xterm", **env})
    process = subprocess.Popen(
        [sys.executable, "-m", "slospec", *args], cwd=cwd, stdout=child, stderr=subprocess.DEVNULL, env=environment
    )
    os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(main)
    return b"".join(chunks).decode().replace("\r\n", "\n")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("perfect", "perfect-target"), ("latncy-above-timeout", "latency-above-timeout"), ("SL0101", "SLO101")],
)
def test_unknown_rule_suggests_the_nearest(typed: str, meant: str) -> None:
    result = slospec("rule", typed)
    assert result.returncode == 2
    assert f"did you mean {meant}" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("shell", "marker"),
    [("bash", "complete -o nosort -F"), ("zsh", "compdef"), ("fish", "complete --no-files --command slospec")],
)
def test_shell_completion_script_is_produced(shell: str, marker: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "_SLOSPEC_COMPLETE": f"{shell}_source"}
    result = subprocess.run([sys.executable, "-m", "slospec"], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0
    assert marker in result.stdout and "_SLOSPEC_COMPLETE" in result.stdout
    assert f"_SLOSPEC_COMPLETE={shell}_source" in (ROOT / "docs" / "cli.md").read_text()


def test_completion_answers_subcommands_and_options() -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "_SLOSPEC_COMPLETE": "bash_complete",
        "COMP_WORDS": "slospec lint --stat",
        "COMP_CWORD": "2",
    }
    result = subprocess.run([sys.executable, "-m", "slospec"], capture_output=True, text=True, env=env, timeout=60)
    assert "--statistics" in result.stdout


def test_configuration_is_found_from_each_linted_file(tmp_path: Path) -> None:
    repo, other, elsewhere = tmp_path / "repo", tmp_path / "other", tmp_path / "elsewhere"
    for folder in (repo / "examples", other, elsewhere):
        folder.mkdir(parents=True)
    (repo / "slospec.toml").write_text('ignore = ["SLO103"]\n')
    (repo / "examples" / "api.slo.yaml").write_text(RATIO)
    (other / "api.slo.yaml").write_text(RATIO)
    (elsewhere / "slospec.toml").write_text('select = ["SLO101"]\n')  # not the files' configuration
    result = slospec("lint", str(repo / "examples"), str(other), cwd=elsewhere)
    lines = result.stdout.splitlines()
    repo_codes = {line.split()[1] for line in lines if line.startswith(str(repo))}
    other_codes = {line.split()[1] for line in lines if line.startswith(str(other))}
    assert "SLO103" in other_codes  # defaults: no configuration there
    assert "SLO103" not in repo_codes  # the repo's configuration
    assert "Found 1 problem" in result.stdout and "in 2 files" in result.stdout  # both files were read
    # --config FILE still decides for every file.
    forced = slospec("lint", "--config", str(repo / "slospec.toml"), str(repo / "examples"), str(other), cwd=elsewhere)
    assert "SLO103" not in forced.stdout


def test_files_under_different_configurations_are_judged_by_their_own(tmp_path: Path) -> None:
    from slospec.api import lint_paths
    from slospec.config import Config, Finder

    (tmp_path / "strict").mkdir()
    (tmp_path / "lax").mkdir()
    (tmp_path / "strict" / "slospec.toml").write_text("strict = true\n[rules.implausible-target]\nmin-target = 99.99\n")
    (tmp_path / "lax" / "slospec.toml").write_text('ignore = ["SLO4"]\n')
    warn = GOOD.replace("target: 99.95%", "target: 99.9%")
    (tmp_path / "strict" / "a.slo.yaml").write_text(warn)
    (tmp_path / "lax" / "a.slo.yaml").write_text(warn)
    report = lint_paths([str(tmp_path)], Config(root=tmp_path), configs=Finder())
    by_file = {}
    for d in report.diagnostics:
        by_file.setdefault(Path(d.path).parent.name, set()).add(d.code)
    assert "SLO103" in by_file["strict"] and "SLO103" not in by_file.get("lax", set())
    assert report.failing == sum(1 for d in report.diagnostics if Path(d.path).parent.name == "strict")
    assert report.files == 2
