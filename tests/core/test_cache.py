"""The per-file result cache: a warm run prints exactly what a cold run prints, and the cache
folder cannot be turned against the user (links, FIFOs, garbage, a shared folder)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES

SPEC = """apiVersion: slospec/v1
service:
  name: {service}
  owner: team-{n}
slis:
  - name: requests
    ratio:
      bad: http_requests_total{{job="{service}",code=~"5.."}}
      total: http_requests_total{{job="{service}"}}
slos:
  - name: availability
    sli: requests
    target: {target}
    window: 28d
"""


def run_lint(args: list[str], cache_home: Path, cwd: Path) -> subprocess.CompletedProcess:
    """The real command in its own process (its gc settings must not leak into the tests)."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    return subprocess.run(
        [sys.executable, "-m", "slospec", "lint", "--format", "json", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def entries(cache_home: Path) -> list[Path]:
    folder = cache_home / "slospec" / "results-v1"
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def write_project(root: Path, count: int) -> None:
    """Specs with findings, suppressions used and unused (SLO003) and a service defined twice."""
    root.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        service = f"svc-{n}" if n % 10 else "shared"  # every tenth file: one service, differently
        text = SPEC.format(service=service, n=n, target=["99.9%", "100%", "99.99999%", "95%"][n % 4])
        if n % 7 == 0:
            text = text.replace("    target:", "    # slospec: disable=SLO101\n    target:")
        if n % 11 == 0:
            text = "# slospec: disable-file=SLO401\n" + text
        (root / f"spec-{n:04d}.slo.yaml").write_text(text)
    (root / "broken.slo.yaml").write_text("apiVersion: slospec/v1\nservice: [\n")
    (root / "nan.slo.yaml").write_text(SPEC.format(service="shared", n="x", target="99%") + "x-note: .nan\n")


def same_output(cold: subprocess.CompletedProcess, warm: subprocess.CompletedProcess) -> None:
    assert (warm.returncode, warm.stdout, warm.stderr) == (cold.returncode, cold.stdout, cold.stderr)


def test_warm_run_prints_what_a_cold_run_prints_on_the_examples(tmp_path):
    work = tmp_path / "examples"
    shutil.copytree(EXAMPLES, work)
    cold = run_lint(["--no-cache", "."], tmp_path / "cache", work)
    assert json.loads(cold.stdout), cold.stderr  # the examples have findings to compare
    first = run_lint(["."], tmp_path / "cache", work)
    assert entries(tmp_path / "cache"), "the first run wrote no cache entries"
    warm = run_lint(["."], tmp_path / "cache", work)
    same_output(cold, first)
    same_output(cold, warm)


@pytest.mark.parametrize("count", [30, 240])  # 240: the worker pool reads and writes entries
def test_warm_run_matches_cold_with_suppressions_duplicates_and_edits(tmp_path, count):
    project = tmp_path / "project"
    write_project(project, count)
    cache_home = tmp_path / "cache"
    cold = run_lint(["--no-cache", "."], cache_home, project)
    assert not entries(cache_home), "--no-cache wrote entries"
    found = {d["code"] for d in json.loads(cold.stdout)}
    assert {"SLO001", "SLO003", "SLO005", "SLO101"} <= found, found
    same_output(cold, run_lint(["."], cache_home, project))
    same_output(cold, run_lint(["."], cache_home, project))
    # Edit one file: its neighbours come from the cache, the duplicate check sees the new name.
    edited = project / "spec-0010.slo.yaml"
    edited.write_text(edited.read_text().replace("name: shared", "name: now-unique"))
    cold = run_lint(["--no-cache", "."], cache_home, project)
    same_output(cold, run_lint(["."], cache_home, project))
    same_output(cold, run_lint(["."], cache_home, project))


def test_a_hit_is_what_is_printed(tmp_path):
    """The warm run really reads the entry (so the tests above compare a cache, not a rerun)."""
    project = tmp_path / "project"
    write_project(project, 2)
    cache_home = tmp_path / "cache"
    run_lint(["spec-0001.slo.yaml"], cache_home, project)
    [entry] = entries(cache_home)
    data = json.loads(entry.read_text())
    data["diagnostics"][0][4] = "from the cache"
    entry.write_text(json.dumps(data))
    warm = run_lint(["spec-0001.slo.yaml"], cache_home, project)
    assert "from the cache" in warm.stdout
    assert "from the cache" not in run_lint(["--no-cache", "spec-0001.slo.yaml"], cache_home, project).stdout


def test_configuration_can_turn_the_cache_off(tmp_path):
    project = tmp_path / "project"
    write_project(project, 3)
    (project / "slospec.toml").write_text("cache = false\n")
    run_lint(["."], tmp_path / "cache", project)
    assert not entries(tmp_path / "cache")


def test_another_configuration_does_not_reuse_entries(tmp_path):
    project = tmp_path / "project"
    write_project(project, 4)
    cache_home = tmp_path / "cache"
    run_lint(["."], cache_home, project)
    (project / "slospec.toml").write_text('ignore = ["SLO101"]\n')
    cold = run_lint(["--no-cache", "."], cache_home, project)
    same_output(cold, run_lint(["."], cache_home, project))
    assert "SLO101" not in cold.stdout


def _prime(tmp_path: Path) -> tuple[Path, Path, subprocess.CompletedProcess]:
    project = tmp_path / "project"
    write_project(project, 1)
    cache_home = tmp_path / "cache"
    cold = run_lint(["--no-cache", "spec-0000.slo.yaml"], cache_home, project)
    run_lint(["spec-0000.slo.yaml"], cache_home, project)
    [entry] = entries(cache_home)
    return project, entry, cold


def test_a_planted_link_is_neither_read_nor_written_through(tmp_path):
    project, entry, cold = _prime(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    entry.unlink()
    entry.symlink_to(victim)
    same_output(cold, run_lint(["spec-0000.slo.yaml"], tmp_path / "cache", project))
    assert victim.read_text() == "precious\n"
    assert not entry.is_symlink()  # replaced by a fresh entry, the link itself, not its target
    same_output(cold, run_lint(["spec-0000.slo.yaml"], tmp_path / "cache", project))


def test_a_planted_fifo_does_not_block(tmp_path):
    project, entry, cold = _prime(tmp_path)
    entry.unlink()
    os.mkfifo(entry)
    same_output(cold, run_lint(["spec-0000.slo.yaml"], tmp_path / "cache", project))  # timeout: a hang fails


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        b"\x00\xff not json",
        b"[]",
        b'{"format": 1}',
        b'{"format": 1, "key": "x", "diagnostics": [], "documents": []}',
    ],
)
def test_a_damaged_entry_is_a_miss(tmp_path, garbage):
    project, entry, cold = _prime(tmp_path)
    entry.write_bytes(garbage)
    same_output(cold, run_lint(["spec-0000.slo.yaml"], tmp_path / "cache", project))
    assert json.loads(entry.read_text())["diagnostics"]  # rewritten


def test_a_folder_others_can_write_is_not_used(tmp_path):
    project = tmp_path / "project"
    write_project(project, 2)
    folder = tmp_path / "cache" / "slospec" / "results-v1"
    folder.mkdir(parents=True)
    folder.chmod(0o777)
    cold = run_lint(["--no-cache", "."], tmp_path / "cache", project)
    same_output(cold, run_lint(["."], tmp_path / "cache", project))
    assert not entries(tmp_path / "cache")


def test_a_linked_folder_is_not_used(tmp_path):
    project = tmp_path / "project"
    write_project(project, 2)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    (tmp_path / "cache" / "slospec").mkdir(parents=True)
    (tmp_path / "cache" / "slospec" / "results-v1").symlink_to(elsewhere)
    cold = run_lint(["--no-cache", "."], tmp_path / "cache", project)
    same_output(cold, run_lint(["."], tmp_path / "cache", project))
    assert not list(elsewhere.iterdir())


def test_data_digests_compare_like_the_data():
    from decimal import Decimal

    from slospec.cache import DataDigest, data_digest

    one = {"a": [1, Decimal("2.50"), "x", None, {"b": True}]}
    same = {"a": [1.0, Decimal("2.5"), "x", None, {"b": 1}]}
    other = {"a": [1, Decimal("2.5"), "x", None, {"b": 2}]}
    assert one == same and one != other
    assert DataDigest(data_digest(one)) == same
    assert same == DataDigest(data_digest(one))
    assert DataDigest(data_digest(one)) != other
    assert DataDigest(data_digest({"a": "1"})) != {"a": 1}
    assert data_digest({"a": Decimal("NaN")}) is None
    assert DataDigest(None) != {"a": Decimal("NaN")}


def test_prune_keeps_the_folder_bounded(tmp_path, monkeypatch):
    from slospec import cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(cache, "_folder_fd", {})
    fd = cache._folder()
    assert fd is not None
    folder = tmp_path / "slospec" / cache.FOLDER
    for n in range(20):
        (folder / f"{n:02d}.json").write_text("{}")
        os.utime(folder / f"{n:02d}.json", ns=(n * 10**9, n * 10**9))
    cache.prune(limit=8)
    assert sorted(p.name for p in folder.iterdir()) == [f"{n:02d}.json" for n in range(14, 20)]
    os.close(fd)


def test_stand_ins_find_what_full_specs_find(tmp_path):
    """lint_paths keeps only stand-ins of specs (cold or cached); the joint stage run on the
    full specs (lint_sources) finds exactly the same, duplicates and suppressions included."""
    from dataclasses import replace

    from slospec import loader
    from slospec.api import lint_paths, lint_sources
    from slospec.config import Config

    project = tmp_path / "project"
    write_project(project, 40)
    config = replace(Config(root=project), cache=False, jobs=1)
    paths = sorted(str(p) for p in project.iterdir())
    full = lint_sources([loader.read(p, config) for p in paths], config)
    slim = lint_paths(paths, config)
    assert {d.code for d in full.diagnostics} >= {"SLO003", "SLO005"}
    assert slim.diagnostics == full.diagnostics


def test_fix_after_a_cached_lint_still_fixes(tmp_path):
    """The getting-started flow: lint, read the finding, then `lint --fix` — the second run is a
    cache hit, and the hit must carry the fix (it once printed SLO103 again and fixed nothing)."""
    cache = tmp_path / "cache"
    spec = tmp_path / "f.slo.yaml"
    spec.write_text(SPEC.format(service="api", n=1, target="0.999"))
    first = run_lint(["f.slo.yaml"], cache, tmp_path)
    assert "SLO103" in first.stdout and entries(cache), first.stderr
    fixed = run_lint(["--fix", "f.slo.yaml"], cache, tmp_path)
    assert "target: 99.9%" in spec.read_text(), fixed.stdout + fixed.stderr
    assert "SLO103" not in fixed.stdout
