"""The CLI contract (design.md section 4): exit codes, JSON shape, stdin, -o, errors without tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT

GOOD = (EXAMPLES / "api.slo.yaml").read_text()
BAD = GOOD.replace("target: 99.95%", "target: 100%")
BAD_LINE = GOOD.splitlines().index("    target: 99.95%") + 1


def slospec(*args: str, cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "slospec", *args],
        cwd=cwd or ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_clean_examples_exit_zero() -> None:
    result = slospec("lint", "examples/")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("All checks passed in")


def test_errors_exit_one_warnings_only_with_strict(tmp_path: Path) -> None:
    (tmp_path / "bad.slo.yaml").write_text(BAD)
    result = slospec("lint", str(tmp_path / "bad.slo.yaml"), cwd=tmp_path)
    assert result.returncode == 1
    assert f":{BAD_LINE}:13: SLO101 [error]" in result.stdout
    warn = GOOD.replace("target: 99.95%", "target: 99.995%")
    (tmp_path / "warn.slo.yaml").write_text(warn)
    assert slospec("lint", "warn.slo.yaml", cwd=tmp_path).returncode == 0
    assert slospec("lint", "--strict", "warn.slo.yaml", cwd=tmp_path).returncode == 1


def test_json_output_matches_the_contract(tmp_path: Path) -> None:
    (tmp_path / "b.slo.yaml").write_text(BAD)
    (tmp_path / "a.slo.yaml").write_text(BAD.replace("payments-api\n", "payments-api-2\n", 1))
    result = slospec("lint", "--format", "json", ".", cwd=tmp_path)
    items = json.loads(result.stdout)
    assert result.returncode == 1
    assert [list(item) for item in items][0] == [
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "code",
        "name",
        "severity",
        "message",
    ]
    keys = [(i["path"], i["line"], i["column"], i["code"]) for i in items]
    assert keys == sorted(keys)
    assert items[0]["severity"] in ("error", "warning", "info")
    assert all(i["line"] >= 1 and i["column"] >= 1 for i in items)


def test_stdin_is_linted(tmp_path: Path) -> None:
    result = slospec("lint", "-", stdin=BAD, cwd=tmp_path)
    assert result.returncode == 1
    assert f"<stdin>:{BAD_LINE}:13: SLO101" in result.stdout


def test_output_file_is_written_atomically(tmp_path: Path) -> None:
    (tmp_path / "bad.slo.yaml").write_text(BAD)
    report = tmp_path / "report.json"
    report.write_text("old")
    result = slospec("lint", "bad.slo.yaml", "--format", "json", "-o", str(report), cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    assert json.loads(report.read_text())[0]["code"] == "SLO101"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["lint", "missing.slo.yaml"], "missing.slo.yaml: no such file or directory"),
        (["lint", "--select", "SLO999", "."], "'SLO999' is not a rule code"),
        (["lint", "--format", "xml", "."], "Invalid value for '--format'"),
        (["lint", "--nope"], "No such option '--nope'"),
        (["lint", "empty"], "no spec files found in empty"),
        (["rule", "SLO999"], "no rule 'SLO999'"),
        (["budget", "99.9%", "1M"], "is not a duration"),
        (["budget", "abc", "30d"], "is not a percentage"),
        (["compile", "x.slo.yaml", "--target", "nope"], "Invalid value for --target"),
    ],
)
def test_usage_errors_exit_two_without_traceback(tmp_path: Path, args, message) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "x.slo.yaml").write_text(GOOD)
    result = slospec(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_bad_config_file_exits_two(tmp_path: Path) -> None:
    (tmp_path / "slospec.toml").write_text('select = ["SLO1"\n')
    (tmp_path / "a.slo.yaml").write_text(GOOD)
    result = slospec("lint", "a.slo.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert "slospec.toml: invalid TOML" in result.stderr


def test_pyproject_without_our_table_does_not_stop_discovery(tmp_path: Path) -> None:
    (tmp_path / "slospec.toml").write_text('ignore = ["SLO101"]\n')
    sub = tmp_path / "proj"
    sub.mkdir()
    (sub / "pyproject.toml").write_text("[tool.black]\nline-length = 100\n")
    (sub / "bad.slo.yaml").write_text(BAD)
    assert slospec("lint", "bad.slo.yaml", cwd=sub).returncode == 0
    (sub / "pyproject.toml").write_text("[tool.slospec]\nselect = ['SLO101']\n")
    assert slospec("lint", "bad.slo.yaml", cwd=sub).returncode == 1


def test_unreadable_file_exits_two(tmp_path: Path, monkeypatch) -> None:
    # Root (CI) can read a chmod 000 file, so the refusal is simulated at the read call.
    from click.testing import CliRunner

    from slospec.cli import main

    target = tmp_path / "locked.slo.yaml"
    target.write_text(GOOD)

    import os

    real_open = os.open

    def refuse(path, *args, **kwargs):
        if str(path).endswith(target.name):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    result = CliRunner().invoke(main, ["lint", str(target)])
    assert result.exit_code == 2
    assert f"{target}: cannot read: Permission denied" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_non_spec_yaml_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "docker-compose.yaml").write_text("services:\n  web: {image: nginx}\n")
    (tmp_path / "a.slo.yaml").write_text(GOOD)
    result = slospec("lint", ".", cwd=tmp_path)
    assert result.returncode == 0 and "in 1 file" in result.stdout


def test_exclude_applies_to_discovery_not_to_named_paths(tmp_path: Path) -> None:
    (tmp_path / "slospec.toml").write_text('exclude = ["broken"]\n')
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "bad.slo.yaml").write_text(BAD)
    (tmp_path / "good.slo.yaml").write_text(GOOD)
    assert slospec("lint", ".", cwd=tmp_path).returncode == 0
    assert slospec("lint", "broken", cwd=tmp_path).returncode == 1
    assert slospec("lint", "broken/bad.slo.yaml", cwd=tmp_path).returncode == 1


def test_schema_and_rules_commands() -> None:
    schema = json.loads(slospec("schema").stdout)
    assert schema["properties"]["apiVersion"]["const"] == "slospec/v1"
    config_schema = json.loads(slospec("schema", "--config").stdout)
    assert "operations" in config_schema["properties"]
    listing = slospec("rules").stdout.splitlines()
    assert listing[0].split()[:3] == ["SLO001", "syntax-error", "error"]
    as_json = json.loads(slospec("rules", "--format", "json").stdout)
    assert {"code", "name", "severity", "summary"} == set(as_json[0])
    page = slospec("rule", "extreme-target").stdout
    assert page.startswith("# extreme-target (SLO102)") and "## Why is this bad?" in page


def test_budget_command() -> None:
    result = slospec("budget", "99.95%", "30d")
    assert result.returncode == 0
    assert "21m36s per 30d (21 minutes 36 seconds)" in result.stdout
    assert "1 in 2000" in result.stdout
    month = slospec("budget", "99.9", "month", "--events", "1000000").stdout
    assert "40m19.2s to 44m38.4s per month" in month
    assert "Of 1000000 events: 1000 may be bad" in month
    data = json.loads(slospec("budget", "99.99%", "1d", "--format", "json").stdout)
    assert data["budget_seconds"] == "8.64" and data["budget_ratio"] == "0.0001"


def test_help_and_version_are_fast_paths() -> None:
    assert slospec("--version").stdout.strip().startswith("slospec, version")
    result = slospec("--help")
    for command in ("lint", "compile", "budget", "rules", "rule", "schema"):
        assert command in result.stdout


def test_json_schemas_and_other_json_are_not_taken_for_specs(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    (tmp_path / "a.slo.yaml").write_text(GOOD)
    result = slospec("lint", ".", cwd=tmp_path)
    assert result.returncode == 0 and "in 1 file" in result.stdout, result.stdout


def test_compile_uses_the_configuration_the_spec_lives_under(tmp_path: Path) -> None:
    """Run from anywhere, compile builds rules with the intervals lint judged the spec by (the
    project's [operations]), and refuses to guess between two projects."""
    project, elsewhere = tmp_path / "repo", tmp_path / "elsewhere"
    (project / "specs").mkdir(parents=True)
    elsewhere.mkdir()
    import re

    spec_text = re.sub(r"\noperations:\n(  .*\n)+", "\n", GOOD)  # the spec declares no intervals
    assert "operations" not in spec_text
    (project / "specs" / "api.slo.yaml").write_text(spec_text)
    (project / "slospec.toml").write_text('[operations]\nscrape-interval = "2m"\nevaluation-interval = "2m"\n')
    result = slospec("compile", "-t", "prometheus", str(project / "specs" / "api.slo.yaml"), cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert "interval: 2m" in result.stdout and "interval: 30s" not in result.stdout
    (elsewhere / "web.slo.yaml").write_text(spec_text.replace("payments-api", "web"))
    both = slospec(
        "compile", "-t", "prometheus", str(project / "specs" / "api.slo.yaml"), "web.slo.yaml", cwd=elsewhere
    )
    assert both.returncode == 2
    assert "are under different configurations" in both.stderr and "pass --config" in both.stderr
