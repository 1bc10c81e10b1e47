"""Issue 18 items 8, 9, 12 and 13, reproduced from their shapes through the CLI: values the
schema's patterns accept but arithmetic cannot take, unknown time zones, files that are no
regular files or cannot be named, and user templates that ask for unbounded work. Each ends
in a diagnostic at the line (SLO002) or a one-line error (exit 2), never "internal error"
(tests.fuzz.harness.invoke asserts that for every run)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT
from tests.fuzz.harness import invoke

TARGETS = ["openslo", "markdown", "prometheus", "prometheus-tests", "sloth", "grafana"]

# (example, text in it, replacement, message): one value the schema's patterns accept.
VALUES = {
    "window-0s": ("api.slo.yaml", "window: 28d", "window: 0s", "'0s' is zero"),
    "per-0s": ("api.slo.yaml", "per: 30d", "per: 0s", "'0s' is zero"),
    "slice-0s": ("uptime-daily.slo.yaml", "slice: 5s", "slice: 0s", "'0s' is zero"),
    "count-1e30": ("api.slo.yaml", "count: 50000000", "count: 1e30", "expected an integer"),
    "count-10^30": ("api.slo.yaml", "count: 50000000", "count: 1" + "0" * 30, "must be at most"),
    "window-99999999w": ("batch-jobs.slo.yaml", "window: 28d", "window: 99999999w", "longer than ten years"),
    "zone-mars": ("support.slo.yaml", "timeZone: Europe/Berlin", "timeZone: Mars/Olympus", "not an IANA time zone"),
    "zone-path": ("support.slo.yaml", "timeZone: Europe/Berlin", "timeZone: ../../etc/passwd", "not an IANA time zone"),
    "target-nan": ("api.slo.yaml", "target: 99.95%", "target: .nan", "not a finite number"),
    "target-32-digits": (
        "api.slo.yaml",
        "target: 99.95%",
        "target: 99.999999999999999999999999999999%",
        "significant digits",
    ),
    "dsl-window-0s": ("api.slo", "over 28d {", "over 0s {", "'0s' is zero"),
    "dsl-per-0s": ("api.slo", "per 30d", "per 0s", "'0s' is zero"),
    "dsl-slice-0s": ("uptime-daily.slo", "slice 5s", "slice 0s", "'0s' is zero"),
    "dsl-count-10^30": ("api.slo", "count 50000000", "count 1" + "0" * 30, "must be at most"),
    "dsl-window-99999999w": ("batch-jobs.slo", "over 28d {", "over 99999999w {", "longer than ten years"),
    "dsl-zone-mars": ("support.slo", "timeZone Europe/Berlin", 'timeZone "Mars/Olympus"', "not an IANA time zone"),
    "dsl-zone-path": ("support.slo", "timeZone Europe/Berlin", 'timeZone "../../etc/passwd"', "not an IANA time zone"),
}


def planted(tmp_path: Path, case: str) -> tuple[str, int]:
    example, old, new, _ = VALUES[case]
    text = (EXAMPLES / example).read_text()
    assert old in text, f"{example} no longer has {old!r}"
    text = text.replace(old, new, 1)
    (tmp_path / example).write_text(text)
    line = text[: text.index(new)].count("\n") + 1
    return example, line


@pytest.mark.parametrize("case", sorted(VALUES))
def test_a_value_arithmetic_cannot_take_is_slo002_at_its_line(tmp_path: Path, case: str) -> None:
    name, line = planted(tmp_path, case)
    result = invoke(["lint", "--format", "json", name], tmp_path)
    assert result.exit_code == 1, result.output
    found = [d for d in json.loads(result.output) if d["code"] == "SLO002"]
    assert [d["line"] for d in found] == [line], found
    assert VALUES[case][3] in found[0]["message"]


@pytest.mark.parametrize(
    "case",
    [
        "window-0s",
        "per-0s",
        "slice-0s",
        "count-1e30",
        "window-99999999w",
        "zone-mars",
        "dsl-window-0s",
        "dsl-zone-path",
    ],
)
@pytest.mark.parametrize("target", TARGETS)
def test_compile_stops_at_the_finding(tmp_path: Path, case: str, target: str) -> None:
    name, line = planted(tmp_path, case)
    result = invoke(["compile", "--target", target, name], tmp_path)
    assert result.exit_code == 1
    assert f"{name}:{line}:" in result.output and "SLO002" in result.output


@pytest.mark.parametrize("case", ["zone-mars", "zone-path", "dsl-zone-mars"])
def test_eval_of_an_unknown_zone_stops_at_the_finding(tmp_path: Path, case: str) -> None:
    name, line = planted(tmp_path, case)
    (tmp_path / "tickets.csv").write_text("timestamp,good\n1700000000,true\n1700000060,false\n")
    result = invoke(["eval", name, "--data", "tickets.csv"], tmp_path)
    assert result.exit_code == 2
    assert f"{name}:{line}:" in result.output and "not an IANA time zone" in result.output


# ------------------------------------------------------------------ item 12: paths

posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs and /dev/zero")


def run_cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """In a subprocess: a regression would hang on the FIFO; the timeout makes it a failure."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "slospec", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=60
    )


@posix_only
def test_a_fifo_in_a_folder_is_skipped_with_a_notice(tmp_path: Path) -> None:
    (tmp_path / "api.slo").write_bytes((EXAMPLES / "api.slo").read_bytes())
    os.mkfifo(tmp_path / "pipe.slo")
    for args in (["lint", "."], ["fmt", "--check", "."], ["fmt", "."]):
        result = run_cli(args, tmp_path)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "pipe.slo: skipped: a named pipe (FIFO), not a regular file" in result.stderr
    assert "All checks passed in 1 file" in run_cli(["lint", "."], tmp_path).stdout


@posix_only
@pytest.mark.parametrize(
    "command", [["lint"], ["fmt"], ["fmt", "--check"], ["compile", "--target", "openslo"], ["convert", "--to", "yaml"]]
)
def test_a_fifo_named_as_a_spec_is_refused(tmp_path: Path, command: list[str]) -> None:
    os.mkfifo(tmp_path / "pipe.slo")
    args = command[:1] + ["pipe.slo"] + command[1:] if command[0] == "convert" else command + ["pipe.slo"]
    result = run_cli(args, tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "not a regular file" in result.stderr or "no such file" in result.stderr
    assert "internal error" not in result.stderr


@posix_only
@pytest.mark.parametrize(
    "args",
    [
        ["lint", "/dev/zero"],
        ["compile", "--target", "markdown", "--template", "/dev/zero", "api.slo"],
        ["lint", "--config", "/dev/zero", "api.slo"],
        ["compile", "--target", "openslo", "--config", "/dev/zero", "api.slo"],
    ],
)
def test_dev_zero_is_never_read(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "api.slo").write_bytes((EXAMPLES / "api.slo").read_bytes())
    result = invoke(args, tmp_path)
    assert result.exit_code == 2
    assert "/dev/zero: is a character device, not a regular file" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["lint", "{long}"],
        ["fmt", "{long}"],
        ["fmt", "--check", "{long}"],
        ["compile", "--target", "openslo", "{long}"],
        ["convert", "{long}", "--to", "yaml"],
        ["eval", "{long}", "--data", "{long}"],
        ["eval", "api.slo", "--sli", "requests-ok", "--data", "{long}"],
        ["compile", "--target", "markdown", "--template", "{long}", "api.slo"],
        ["lint", "--config", "{long}", "api.slo"],
    ],
)
def test_a_300_character_file_name_is_a_one_line_error(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "api.slo").write_bytes((EXAMPLES / "api.slo").read_bytes())
    long = "a" * 300 + ".slo"
    result = invoke([a.replace("{long}", long) for a in args], tmp_path)
    assert result.exit_code == 2
    assert "name too long" in result.output.lower() or "does not exist" in result.output


def test_an_unreadable_folder_is_reported_and_the_others_are_checked(tmp_path: Path, monkeypatch) -> None:
    # Root reads a chmod 000 folder, so the refusal is simulated where os.walk lists folders.
    (tmp_path / "api.slo").write_bytes((EXAMPLES / "api.slo").read_bytes())
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "hidden.slo").write_bytes((EXAMPLES / "api.slo").read_bytes())
    real_scandir = os.scandir

    def refuse(path="."):
        if isinstance(path, (str, os.PathLike)) and Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    result = invoke(["lint", "."], tmp_path)
    assert result.exit_code == 2, result.output
    assert "locked: cannot read folder: Permission denied" in result.output
    assert "in 1 file" in result.output  # api.slo was still checked
    result = invoke(["fmt", "--check", "."], tmp_path)
    assert result.exit_code == 2 and "locked: cannot read folder" in result.output


# ------------------------------------------------------------------ item 13: templates

TEMPLATES = {
    "division-by-zero": ("{{ 1/0 }}", "ZeroDivisionError"),
    "huge-range": ("{{ range(10**9)|list }}", "range of 1,000,000,000 numbers"),
    "recursive-macro": ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}\n{{ f(0) }}", "recursion"),
    "wordwrap-0": ("{{ 'a b'|wordwrap(0) }}", "invalid width 0"),
    "string-times-1e10": ("{{ 'a' * 10**10 }}", "more than 1,000,000 characters"),
    "power-tower": ("{{ 10**(10**10) }}", "more than 10,000 digits"),
    "nested-ranges": ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "loop steps"),
    "string-doubling": (
        "{% set ns = namespace(s='ab') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
        "{% endfor %}{{ ns.s|length }}",
        "memory",
    ),
    "percent-width": ("{{ '%999999999d' % 1 }}", "format width"),
    "format-width": ("{{ '{:>999999999}'.format(1) }}", "format width"),
    "center-width": ("{{ 'x'.center(10**9) }}", "width of 1,000,000,000"),
    "lone-surrogate": ("{{ '\\ud800' }}", "not valid Unicode"),
}


@pytest.fixture
def one_thread() -> None:
    """The sandbox bounds a rendering's memory in a forked child, which it forks only from a
    single-threaded process (the CLI is one); threads other tests left winding down (HTTP
    handlers, deadline timers) are waited for, so the bound is what is tested."""
    import threading
    import time

    waited = time.monotonic() + 60
    while threading.active_count() > 1 and time.monotonic() < waited:
        time.sleep(0.05)
    others = [t.name for t in threading.enumerate() if t is not threading.main_thread()]
    assert not others, f"threads left running by earlier tests: {others}"


@pytest.mark.parametrize("case", sorted(TEMPLATES))
def test_a_template_asking_for_unbounded_work_is_a_template_error(one_thread: None, tmp_path: Path, case: str) -> None:
    template, message = TEMPLATES[case]
    (tmp_path / "t.md.j2").write_text("# Contract\n\n" + template + "\n", encoding="utf-8")
    (tmp_path / "sla.slo.yaml").write_bytes((EXAMPLES / "checkout-sla.slo.yaml").read_bytes())
    result = invoke(["compile", "--target", "markdown", "--template", "t.md.j2", "sla.slo.yaml"], tmp_path)
    assert result.exit_code == 2
    assert "template error" in result.output and message in result.output, result.output
    if case not in ("lone-surrogate", "string-doubling"):
        assert "(template line 3)" in result.output or "(template line 4)" in result.output, result.output


def test_a_bounded_template_still_renders(tmp_path: Path) -> None:
    template = (
        "{% for slo in slos %}{{ slo.name }}: {{ slo.target }}{% endfor %}\n"
        "{{ range(1000)|sum }} {{ 2**64 }} {{ ('ab' * 1000)|length }} {{ 'x'|center(20) }}\n"
    )
    (tmp_path / "t.md.j2").write_text(template)
    (tmp_path / "sla.slo.yaml").write_bytes((EXAMPLES / "checkout-sla.slo.yaml").read_bytes())
    result = invoke(["compile", "--target", "markdown", "--template", "t.md.j2", "sla.slo.yaml"], tmp_path)
    assert result.exit_code == 0, result.output
    assert "checkout-availability: 99.95%" in result.output and "499500 18446744073709551616" in result.output
