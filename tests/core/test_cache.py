"""The per-file result cache: a warm run prints exactly what a cold run prints, and the cache
folder cannot be turned against the user (links, FIFOs, garbage, a shared folder, two runs
writing at once)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import EXAMPLES, examples

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
    """Lint's index files (one per folder and configuration)."""
    folder = cache_home / "slospec" / "results-v1"
    return sorted(folder.glob("*.idx")) if folder.is_dir() else []


def runs(cache_home: Path) -> list[Path]:
    """Whole runs' reports (an unchanged project's next run prints one of them)."""
    folder = cache_home / "slospec" / "results-v1"
    return sorted(folder.glob("run-*.json")) if folder.is_dir() else []


def forget_runs(cache_home: Path) -> None:
    """Leave only the indexes, so the next run reads them (and the joint stage runs)."""
    for report in runs(cache_home):
        report.unlink()


def lines(index: Path) -> dict[str, dict]:
    """An index's entries by the path they were made for."""
    header, *rest = index.read_bytes().split(b"\n")
    assert header.startswith(b"slospec-lint-index ")
    out = {}
    for line in rest:
        if line:
            _key, where, entry = line.split(b"\t", 2)
            out[json.loads(where)] = json.loads(entry)
    return out


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
    [index] = entries(cache_home)
    assert list(lines(index)) == ["spec-0001.slo.yaml"]
    raw = index.read_bytes()
    found = json.loads(run_lint(["--no-cache", "spec-0001.slo.yaml"], cache_home, project).stdout)
    message = found[0]["message"].encode()
    index.write_bytes(raw.replace(message, b"from the cache", 1))
    forget_runs(cache_home)
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
    forget_runs(cache_home)  # the next runs read the index
    [index] = entries(cache_home)
    return project, index, cold


def test_a_planted_link_is_neither_read_nor_written_through(tmp_path):
    project, index, cold = _prime(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_bytes(index.read_bytes())  # a valid index: following the link would hit
    index.unlink()
    index.symlink_to(victim)
    before = victim.read_bytes()
    same_output(cold, run_lint(["spec-0000.slo.yaml"], tmp_path / "cache", project))
    assert victim.read_bytes() == before
    assert not index.is_symlink()  # replaced by a fresh index, the link itself, not its target
    same_output(cold, run_lint(["spec-0000.slo.yaml"], tmp_path / "cache", project))


def test_a_planted_fifo_does_not_block(tmp_path):
    project, index, cold = _prime(tmp_path)
    index.unlink()
    os.mkfifo(index)
    same_output(cold, run_lint(["spec-0000.slo.yaml"], tmp_path / "cache", project))  # timeout: a hang fails


def test_a_planted_folder_is_a_miss(tmp_path):
    project, index, cold = _prime(tmp_path)
    index.unlink()
    index.mkdir()
    same_output(cold, run_lint(["spec-0000.slo.yaml"], tmp_path / "cache", project))
    same_output(cold, run_lint(["spec-0000.slo.yaml"], tmp_path / "cache", project))


def _damaged(raw: bytes) -> list[bytes]:
    header, _, rest = raw.partition(b"\n")
    key, where, entry = rest.rstrip(b"\n").split(b"\t", 2)
    return [
        b"",
        b"\x00\xff not an index",
        header,  # no lines
        raw[: len(raw) // 2],  # truncated in the middle of the line
        raw[:-2],  # the entry's JSON cut short
        header.replace(b"index 3", b"index 2") + b"\n" + rest,  # another format
        header + b"\n" + key + b"\t" + where + b"\t[]\n",
        header + b"\n" + key + b"\t" + where + b'\t{"diagnostics": [[[1, "x", 1, 2], "a", "b", "c", "d", null]]}\n',
        header + b"\n" + key + b"\t" + where + b"\t" + entry.replace(b'"data":"', b'"data":1,"was":"', 1) + b"\n",
        header + b"\n" + key[:-1] + b"\t" + where + b"\t" + entry + b"\n",
        header + b"\n" + (key + b"\t" + where + b"\t" + entry + b"\n") * 3 + b"\t\t\n\n\x00",
    ]


@pytest.mark.parametrize("case", range(11))
def test_a_damaged_index_is_a_miss(tmp_path, case):
    project, index, cold = _prime(tmp_path)
    index.write_bytes(_damaged(index.read_bytes())[case])
    same_output(cold, run_lint(["spec-0000.slo.yaml"], tmp_path / "cache", project))
    forget_runs(tmp_path / "cache")
    same_output(cold, run_lint(["spec-0000.slo.yaml"], tmp_path / "cache", project))


def test_a_damaged_line_is_rewritten(tmp_path):
    project, index, cold = _prime(tmp_path)
    index.write_bytes(index.read_bytes()[:-2])
    same_output(cold, run_lint(["spec-0000.slo.yaml"], tmp_path / "cache", project))
    assert lines(index)["spec-0000.slo.yaml"]["documents"]  # a whole line again


def _report_of(tmp_path: Path) -> tuple[Path, Path, subprocess.CompletedProcess]:
    project = tmp_path / "project"
    write_project(project, 3)
    cache_home = tmp_path / "cache"
    cold = run_lint(["--no-cache", "."], cache_home, project)
    run_lint(["."], cache_home, project)
    [report] = runs(cache_home)
    return project, report, cold


def test_a_kept_report_is_what_is_printed(tmp_path):
    project, report, cold = _report_of(tmp_path)
    same_output(cold, run_lint(["."], tmp_path / "cache", project))
    message = json.loads(cold.stdout)[0]["message"]
    report.write_text(report.read_text().replace(message, "from the kept report", 1))
    assert "from the kept report" in run_lint(["."], tmp_path / "cache", project).stdout
    # Any file edited, added or removed: another run, another report.
    (project / "spec-0001.slo.yaml").write_text(SPEC.format(service="renamed", n=1, target="99%"))
    cold = run_lint(["--no-cache", "."], tmp_path / "cache", project)
    same_output(cold, run_lint(["."], tmp_path / "cache", project))
    (project / "spec-0002.slo.yaml").unlink()
    cold = run_lint(["--no-cache", "."], tmp_path / "cache", project)
    same_output(cold, run_lint(["."], tmp_path / "cache", project))


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: b"",
        lambda raw: raw[: len(raw) // 2],
        lambda raw: raw.replace(b'"format":3', b'"format":2'),
        lambda raw: raw.replace(b'"files":', b'"files":"x","was":'),
        lambda raw: raw.replace(b'"diagnostics":[[', b'"diagnostics":[[1,', 1),
        lambda raw: raw.replace(b'"notices":[', b'"notices":[{"a":1},', 1),
    ],
)
def test_a_damaged_report_is_a_miss(tmp_path, damage):
    project, report, cold = _report_of(tmp_path)
    report.write_bytes(damage(report.read_bytes()))
    same_output(cold, run_lint(["."], tmp_path / "cache", project))


def test_a_planted_report_link_or_fifo_is_a_miss(tmp_path):
    project, report, cold = _report_of(tmp_path)
    victim = tmp_path / "victim.json"
    victim.write_bytes(report.read_bytes().replace(b"SLO", b"XXX"))
    report.unlink()
    report.symlink_to(victim)
    same_output(cold, run_lint(["."], tmp_path / "cache", project))
    report.unlink()
    os.mkfifo(report)
    same_output(cold, run_lint(["."], tmp_path / "cache", project))  # timeout: a hang fails


OPENSLO_SLO = """apiVersion: openslo/v1
kind: SLO
metadata:
  name: availability
spec:
  service: checkout
  indicatorRef: {sli}
  timeWindow:
    - duration: 28d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - target: 0.999
"""
OPENSLO_SLI = """apiVersion: openslo/v1
kind: SLI
metadata:
  name: {name}
spec:
  ratioMetric:
    counter: true
    good:
      metricSource:
        type: Prometheus
        spec:
          query: sum(rate(http_requests_total{{code!~"5.."}}[5m]))
    total:
      metricSource:
        type: Prometheus
        spec:
          query: sum(rate(http_requests_total[5m]))
"""


def test_openslo_references_to_files_not_named_are_resolved_afresh(tmp_path):
    """pre-commit names only the changed OpenSLO file: its SLI lives in an unchanged sibling,
    which the joint stage reads. When the sibling changes, the next run must see it."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "slospec.toml").write_text("")
    (project / "slo.yaml").write_text(OPENSLO_SLO.format(sli="requests"))
    (project / "sli.yaml").write_text(OPENSLO_SLI.format(name="requests"))
    cache_home = tmp_path / "cache"
    cold = run_lint(["--no-cache", "slo.yaml"], cache_home, project)
    assert "SLO004" not in cold.stdout, cold.stdout + cold.stderr
    same_output(cold, run_lint(["slo.yaml"], cache_home, project))
    same_output(cold, run_lint(["slo.yaml"], cache_home, project))
    (project / "sli.yaml").write_text(OPENSLO_SLI.format(name="renamed"))
    cold = run_lint(["--no-cache", "slo.yaml"], cache_home, project)
    assert "SLO004" in cold.stdout, cold.stdout + cold.stderr
    same_output(cold, run_lint(["slo.yaml"], cache_home, project))
    # Still dangling with both files named: the project is read, nothing is kept.
    cold = run_lint(["--no-cache", "."], cache_home, project)
    same_output(cold, run_lint(["."], cache_home, project))
    assert not runs(cache_home)
    # Resolved among the files named: the report depends on them alone, and is kept.
    (project / "sli.yaml").write_text(OPENSLO_SLI.format(name="requests"))
    cold = run_lint(["--no-cache", "."], cache_home, project)
    same_output(cold, run_lint(["."], cache_home, project))
    assert runs(cache_home)
    same_output(cold, run_lint(["."], cache_home, project))


def test_openslo_warm_runs_match_cold_runs_on_the_corpus(tmp_path):
    """Real OpenSLO files of other projects (references, lists of objects, other tools' kinds)."""
    from tests.conftest import CORPUS

    if not CORPUS.is_dir():
        pytest.skip("no corpus")
    work = tmp_path / "corpus"
    shutil.copytree(CORPUS, work, symlinks=True)
    cache_home = tmp_path / "cache"
    cold = run_lint(["--no-cache", "."], cache_home, work)
    same_output(cold, run_lint(["."], cache_home, work))
    same_output(cold, run_lint(["."], cache_home, work))
    forget_runs(cache_home)
    same_output(cold, run_lint(["."], cache_home, work))


def test_runs_at_once_never_print_a_wrong_result(tmp_path):
    """Two pre-commit hooks (here: four runs) linting one project at once: each prints what a
    cold run prints, the index left behind is whole, and the next run still matches."""
    project = tmp_path / "project"
    write_project(project, 60)
    cache_home = tmp_path / "cache"
    cold = run_lint(["--no-cache", "."], cache_home, project)
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    argv = [sys.executable, "-m", "slospec", "lint", "--format", "json", "."]
    for _round in range(2):  # an empty cache, then a full one
        runs = [
            subprocess.Popen(argv, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(4)
        ]
        for run in runs:
            stdout, stderr = run.communicate(timeout=300)
            assert (run.returncode, stdout, stderr) == (cold.returncode, cold.stdout, cold.stderr)
        [index] = entries(cache_home)
        assert sorted(lines(index)) == sorted(p.name for p in project.iterdir())  # every file, once
    assert not [p for p in index.parent.iterdir() if p.name.endswith(".tmp")]
    same_output(cold, run_lint(["."], cache_home, project))


def test_some_files_then_all_of_them(tmp_path):
    """pre-commit names the changed files; a later full run reuses their lines and adds the rest,
    and the lines of deleted files leave the index at its next write."""
    project = tmp_path / "project"
    write_project(project, 12)
    cache_home = tmp_path / "cache"
    some = ["spec-0003.slo.yaml", "spec-0010.slo.yaml"]
    same_output(run_lint(["--no-cache", *some], cache_home, project), run_lint(some, cache_home, project))
    [index] = entries(cache_home)
    assert sorted(lines(index)) == some
    cold = run_lint(["--no-cache", "."], cache_home, project)
    same_output(cold, run_lint(["."], cache_home, project))
    assert sorted(lines(index)) == sorted(p.name for p in project.iterdir())
    (project / "spec-0004.slo.yaml").unlink()
    (project / "spec-0005.slo.yaml").write_text(SPEC.format(service="edited", n=5, target="99%"))
    cold = run_lint(["--no-cache", "."], cache_home, project)
    same_output(cold, run_lint(["."], cache_home, project))
    assert sorted(lines(index)) == sorted(p.name for p in project.iterdir())  # spec-0004's line is gone
    same_output(cold, run_lint(["."], cache_home, project))
    same_output(run_lint(["--no-cache", *some], cache_home, project), run_lint(some, cache_home, project))


def test_an_unchanged_run_writes_nothing(tmp_path):
    project = tmp_path / "project"
    write_project(project, 5)
    cache_home = tmp_path / "cache"
    run_lint(["."], cache_home, project)
    [index] = entries(cache_home)
    before = index.stat()
    run_lint(["."], cache_home, project)
    after = index.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


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

    from slospec.lint.cache import DataDigest, data_digest

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


_numbers = st.one_of(
    st.integers(-3, 3),
    st.booleans(),
    st.sampled_from([0.5, 2.5, -1.0, 1e300, float("inf")]),
    st.decimals(min_value=-3, max_value=3, places=2, allow_nan=False),
    st.fractions(min_value=-3, max_value=3, max_denominator=4),
)
_data = st.recursive(
    st.one_of(st.none(), _numbers, st.text(max_size=3), st.sampled_from(["1", "s1:", "n1;", "l0:", "z", ""])),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.one_of(st.text(max_size=2), st.integers(0, 2)), inner, max_size=3),
    ),
    max_leaves=8,
)


@settings(max_examples=examples(5))
@given(_data, _data)
def test_digests_are_equal_exactly_when_the_data_is(one, other):
    from slospec.lint.cache import data_digest

    assert (data_digest(one) == data_digest(other)) == (one == other)


def test_prune_keeps_the_folder_bounded(tmp_path, monkeypatch):
    from slospec.lint import cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(cache, "_folder_fd", {})
    fd = cache._folder()
    assert fd is not None
    folder = tmp_path / "slospec" / cache.FOLDER

    def plant(name: str, age: int, size: int = 2) -> None:
        (folder / name).write_bytes(b"x" * size)
        os.utime(folder / name, ns=(age * 10**9, age * 10**9))

    for n in range(20):
        plant(f"{n:02d}.json" if n % 2 else f"lint-{n:02d}.idx", n)
    plant(".left-by-a-dead-run.tmp", 0)
    victim = tmp_path / "victim.json"
    victim.write_text("keep")
    (folder / "link.json").symlink_to(victim)
    cache.prune(limit=8)
    kept = sorted(p.name for p in folder.iterdir())
    assert kept == ["15.json", "17.json", "19.json", "link.json", "lint-14.idx", "lint-16.idx", "lint-18.idx"]
    assert victim.read_text() == "keep"
    # Bounded in bytes too: the oldest large files go first.
    for n in range(4):
        plant(f"run-{n}.json", 100 + n, size=1000)
    cache.prune(limit=100, limit_bytes=3000)
    assert not (folder / "run-0.json").exists() and not (folder / "run-1.json").exists()
    assert (folder / "run-2.json").exists() and (folder / "run-3.json").exists()
    os.close(fd)


def test_stand_ins_find_what_full_specs_find(tmp_path):
    """lint_paths keeps only stand-ins of specs (cold or cached); the joint stage run on the
    full specs (lint_sources) finds exactly the same, duplicates and suppressions included."""
    from dataclasses import replace

    from slospec.api import lint_paths, lint_sources
    from slospec.config import Config
    from slospec.source import loader

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
