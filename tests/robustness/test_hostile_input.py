"""Hostile and odd input: every case ends in a clear diagnostic (or is handled) quickly, with
bounded memory, and never with a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT

GOOD = (EXAMPLES / "api.slo.yaml").read_bytes()


def billion_laughs() -> bytes:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    return ("\n".join(lines) + "\n").encode()


CASES = {
    "alias-bomb": (billion_laughs(), "SLO001", "expands to more than"),
    "python-tag": (
        b"apiVersion: slospec/v1\nservice: !!python/object/apply:os.system ['echo pwned']\n",
        "SLO001",
        "never constructs tagged objects",
    ),
    "unknown-tag": (b"apiVersion: slospec/v1\nservice: !Ref other\n", "SLO001", "unsupported YAML tag !Ref"),
    "deep-nesting": (b"[" * 50_000 + b"]" * 50_000, "SLO001", "deeper than"),
    "nul-byte": (b"apiVersion: slospec/v1\nservice:\n  name: a\x00b\n", "SLO001", "control characters"),
    "invalid-utf8": (b"apiVersion: slospec/v1\nservice:\n  name: caf\xe9\n", "SLO001", "not valid UTF-8"),
    "utf16": ("apiVersion: slospec/v1\n".encode("utf-16"), "SLO001", "not valid UTF-8"),
    "long-line": (
        b"apiVersion: slospec/v1\nservice:\n  name: " + b"a" * 2_000_000 + b"\n",
        "SLO002",
        "lowercase letters",
    ),
    "mixed-documents": (GOOD + b"\n---\n- just\n- a list\n---\nkind: ConfigMap\n", "SLO002", "document is a list"),
    "scalar-document": (b"apiVersion: slospec/v1\n---\n42\n", "SLO002", "missing required key 'service'"),
}


# The child reports its own peak. RUSAGE_CHILDREN would be the largest of every child this
# test process ever ran (a Prometheus server in an earlier test, say), and Linux carries
# ru_maxrss across exec, so even RUSAGE_SELF starts at the size of the pytest process that
# forked it. VmHWM belongs to the address space the exec created: this lint's own peak.
_MEASURED = """\
import resource, runpy, sys

def peak_kib():
    try:
        with open('/proc/self/status') as status:
            for line in status:
                if line.startswith('VmHWM:'):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

sys.argv = ['slospec', *sys.argv[1:]]
try:
    runpy.run_module('slospec', run_name='__main__')
finally:
    sys.stderr.write('\\nPEAK-KIB %d\\n' % peak_kib())
"""


def run_lint(path: Path, *extra: str) -> tuple[subprocess.CompletedProcess, float, int]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", _MEASURED, "lint", "--format", "json", *extra, str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=path.parent,
    )
    elapsed = time.perf_counter() - start
    stderr, _, peak = result.stderr.rpartition("\nPEAK-KIB ")
    result.stderr = stderr
    return result, elapsed, int(peak.strip())


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_file_gets_a_clear_diagnostic(tmp_path: Path, name: str) -> None:
    content, code, message = CASES[name]
    path = tmp_path / f"{name}.slo.yaml"
    path.write_bytes(content)
    result, elapsed, peak_kb = run_lint(path)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1, result.stderr
    items = json.loads(result.stdout)
    assert any(i["code"] == code and message in i["message"] for i in items), items
    assert all(i["line"] >= 1 and i["column"] >= 1 for i in items)
    assert elapsed < 10, f"{name} took {elapsed:.1f}s"
    assert peak_kb < 400_000, f"{name} peaked at {peak_kb} KiB"


def test_bom_and_windows_line_endings_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "crlf.slo.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.replace(b"\n", b"\r\n"))
    result, _, _ = run_lint(path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_file_size_limit_is_configurable(tmp_path: Path) -> None:
    big = tmp_path / "big.slo.yaml"
    big.write_bytes(GOOD + b"#" + b"x" * (11 * 1024 * 1024) + b"\n")
    result, elapsed, _ = run_lint(big)
    assert result.returncode == 1
    (item,) = json.loads(result.stdout)
    assert item["code"] == "SLO001" and "larger than the limit" in item["message"]
    assert elapsed < 5
    (tmp_path / "slospec.toml").write_text("max-file-size = 20000000\n")
    result, elapsed, _ = run_lint(big)
    assert result.returncode == 0, result.stdout
    assert elapsed < 10


def test_ten_megabytes_of_valid_yaml_is_linted_in_bounded_time(tmp_path: Path) -> None:
    # ~10 MB: one spec with many SLIs; the node limit keeps the work bounded either way.
    sli = (
        '  - name: s{i}\n    ratio:\n      bad: http_requests_total{{job="a",code=~"5..",i="{i}"}}\n'
        '      total: http_requests_total{{job="a",i="{i}"}}\n'
    )
    body = "".join(sli.format(i=i) for i in range(60_000))
    path = tmp_path / "huge.slo.yaml"
    path.write_text("apiVersion: slospec/v1\nservice:\n  name: huge\nslis:\n" + body)
    assert path.stat().st_size > 8_000_000
    (tmp_path / "slospec.toml").write_text("max-file-size = 20000000\n")
    result, elapsed, peak_kb = run_lint(path)
    (item,) = json.loads(result.stdout)
    assert item["code"] == "SLO001" and "max-values" in item["message"]
    assert elapsed < 20 and peak_kb < 1_000_000
    # Raising the limit lints it for real.
    (tmp_path / "slospec.toml").write_text("max-file-size = 20000000\nmax-values = 1000000\n")
    result, elapsed, peak_kb = run_lint(path)
    assert result.returncode == 0, result.stdout[:500]
    assert elapsed < 60 and peak_kb < 2_000_000
