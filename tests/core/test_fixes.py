"""`slospec lint --fix`: SLO103 (a ratio where a percentage belongs) and SLO003 (an unused
suppression) are fixed by editing the text at their spans, so comments and layout stay."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slospec.api import fix_paths, lint_paths
from slospec.config import Config
from tests.conftest import EXAMPLES
from tests.core.test_cli import GOOD, slospec

FIXED_CODES = {"SLO003", "SLO103"}


def lint_codes(path: Path) -> set[str]:
    return {d.code for d in lint_paths([str(path)], Config(root=path.parent)).diagnostics}


def test_fix_rewrites_the_ratio_and_removes_unused_suppressions_keeping_comments(tmp_path: Path) -> None:
    text = GOOD.replace("target: 99.95%", "target: 0.9995   # agreed with finance")
    text = text.replace("apiVersion: slospec/v1", "apiVersion: slospec/v1  # slospec: disable=SLO101 -- old", 1)
    text = "# slospec: disable-file=SLO102,missing-owner\n" + text
    path = tmp_path / "api.slo.yaml"
    path.write_text(text)
    assert FIXED_CODES <= lint_codes(path)
    result = slospec("lint", "--fix", "api.slo.yaml", cwd=tmp_path)
    fixed = path.read_text()
    assert "target: 99.95%   # agreed with finance" in fixed
    assert "slospec: disable" not in fixed
    assert "\napiVersion: slospec/v1\n" in fixed
    assert not FIXED_CODES & lint_codes(path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Fixed" in result.stderr
    # Everything else is as it was: only the fixed spans changed.
    assert fixed == GOOD.replace("target: 99.95%", "target: 99.95%   # agreed with finance")
    again = slospec("lint", "--fix", "api.slo.yaml", cwd=tmp_path)
    assert path.read_text() == fixed and "Fixed" not in again.stderr


def test_fix_removes_one_code_from_a_list_and_keeps_the_used_one(tmp_path: Path) -> None:
    text = GOOD.replace("target: 99.95%", "target: 99.999%  # slospec: disable=SLO101, extreme-target")
    path = tmp_path / "api.slo.yaml"
    path.write_text(text)
    slospec("lint", "--fix", str(path), cwd=tmp_path)
    assert "target: 99.999%  # slospec: disable=extreme-target\n" in path.read_text()
    assert not FIXED_CODES & lint_codes(path)


def test_diff_prints_the_fix_and_writes_nothing(tmp_path: Path) -> None:
    text = GOOD.replace("target: 99.95%", "target: 0.9995")
    path = tmp_path / "api.slo.yaml"
    path.write_text(text)
    result = slospec("lint", "--fix", "--diff", "api.slo.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert "-    target: 0.9995\n+    target: 99.95%\n" in result.stdout
    assert path.read_text() == text
    clean = slospec("lint", "--fix", "--diff", str(EXAMPLES / "api.slo.yaml"), cwd=tmp_path)
    assert clean.returncode == 0 and "---" not in clean.stdout


def test_fix_in_the_dsl_edits_the_same_way(tmp_path: Path) -> None:
    dsl = (
        (EXAMPLES / "api.slo")
        .read_text()
        .replace(
            "slo latency 99% of requests-fast over 28d {",
            "slo latency {\n  target 99%   # from the contract\n  sli requests-fast\n  window 28d\n",
            1,
        )
    )
    broken = dsl.replace("target 99%   #", "target 0.99   #", 1)
    assert broken != dsl
    broken = broken.replace("  owner team-payments\n", "  owner team-payments  # slospec: disable=SLO101\n", 1)
    path = tmp_path / "api.slo"
    path.write_text(broken)
    assert FIXED_CODES <= lint_codes(path)
    slospec("lint", "--fix", "api.slo", cwd=tmp_path)
    assert path.read_text() == dsl
    assert not FIXED_CODES & lint_codes(path)


def test_stdin_is_never_written_but_can_be_diffed(tmp_path: Path) -> None:
    text = GOOD.replace("target: 99.95%", "target: 0.9995")
    refused = slospec("lint", "--fix", "-", stdin=text, cwd=tmp_path)
    assert refused.returncode == 2 and "stdin" in refused.stderr
    shown = slospec("lint", "--fix", "--diff", "--stdin-filename", "api.slo.yaml", stdin=text, cwd=tmp_path)
    assert shown.returncode == 1 and "+    target: 99.95%" in shown.stdout


def test_a_percentage_is_not_rewritten(tmp_path: Path) -> None:
    # `0.5%` says percent: SLO103 still warns, but there is no one right fix.
    path = tmp_path / "api.slo.yaml"
    path.write_text(GOOD.replace("target: 99.95%", "target: 0.5%"))
    fixed = fix_paths([str(path)], Config(root=tmp_path))
    assert not fixed.changes
    assert "SLO103" in {d.code for d in fixed.report.diagnostics}


CODES = ["SLO101", "SLO102", "SLO103", "SLO302", "SLO401", "missing-runbook", "extreme-target"]
TARGETS = ["0.9995", "0.995", "'0.999'", "99.95%", "99.999%", "1", "0.9"]


@st.composite
def placements(draw) -> str:
    lines = GOOD.replace("target: 99.95%", f"target: {draw(st.sampled_from(TARGETS))}").splitlines()
    for _ in range(draw(st.integers(0, 4))):
        codes = draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=3, unique=True))
        kind = draw(st.sampled_from(["disable", "disable-file"]))
        comment = f"# slospec: {kind}={draw(st.sampled_from([',', ', ', ' , '])).join(codes)}"
        if draw(st.booleans()):
            comment += " -- reason"
        at = draw(st.integers(0, len(lines) - 1))
        if draw(st.booleans()) and lines[at].strip():
            lines[at] += draw(st.sampled_from([" ", "  ", "\t"])) + comment
        else:
            indent = len(lines[at]) - len(lines[at].lstrip())
            lines.insert(at, " " * indent + comment)
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join(lines) + newline


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(placements())
def test_fixing_is_complete_idempotent_and_keeps_the_rest(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "spec.slo.yaml"
        path.write_bytes(text.encode())
        config = Config(root=Path(folder))
        fixed = fix_paths([str(path)], config)
        after = fixed.changes[0].fixed if fixed.changes else text
        assert not FIXED_CODES & {d.code for d in fixed.report.diagnostics}
        assert "SLO001" not in {d.code for d in fixed.report.diagnostics}

        # Only suppression comments and the target value may change; every other line stays.
        def kept(t: str) -> list[str]:
            return [
                line.split("# slospec:")[0].rstrip()
                for line in t.splitlines()
                if "target:" not in line and line.split("# slospec:")[0].strip()
            ]

        assert kept(after) == kept(text)
        assert after.count("\r\n") in (0, after.count("\n"))  # line endings kept as they were
        path.write_bytes(after.encode())
        assert not fix_paths([str(path)], config).changes  # idempotent
