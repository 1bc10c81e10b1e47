"""fmt's cache and worker pool: a warm run (and a pooled one) prints and writes exactly what a
cold run in one process does; `cache = false` leaves the cache folder alone."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from slospec.format import run as fmt

MESSY = """apiVersion: slospec/v1
service: {{name: svc-{n}, owner: team}}
slis:
- name: requests
  ratio: {{bad: 'errors_total{{job="svc-{n}"}}', total: 'requests_total{{job="svc-{n}"}}'}}
slos:
- {{name: availability, sli: requests, target: 99.9, window: 28d}}   # keep me
"""


def _fmt(args: list[str], cache_home: Path, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    return subprocess.run(
        [sys.executable, "-m", "slospec", "fmt", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


def _project(root: Path, count: int) -> Path:
    specs = root / "specs"
    specs.mkdir()
    for n in range(count):
        (specs / f"svc-{n:03}.slo.yaml").write_text(MESSY.format(n=n))
    (specs / "broken.slo.yaml").write_text("service: [unclosed\n")
    return specs


def test_warm_and_pooled_runs_match_a_cold_single_process_run(tmp_path, monkeypatch):
    count = fmt.PARALLEL_THRESHOLD + 20  # enough files for the pool
    specs = _project(tmp_path, count)
    (tmp_path / "slospec.toml").write_text("")
    cache_home = tmp_path / "cache"
    cold = _fmt(["--diff", "specs"], cache_home, tmp_path)
    assert cold.returncode == 2 and "broken.slo.yaml" in cold.stderr and "# keep me" in cold.stdout
    assert any((cache_home / "slospec" / "results-v1").iterdir())
    warm = _fmt(["--diff", "specs"], cache_home, tmp_path)
    assert (warm.returncode, warm.stdout, warm.stderr) == (cold.returncode, cold.stdout, cold.stderr)
    # The same files in one process, without the cache: the same report.
    monkeypatch.setattr(fmt, "PARALLEL_THRESHOLD", 10**9)
    outcomes = list(fmt.run(sorted(str(p) for p in specs.iterdir()), write=False, cache=False))
    assert sum(o.status == "changed" for o in outcomes) == count
    # Writing from the pool and the cache leaves the files as a cold run would.
    copy = tmp_path / "copy"
    shutil.copytree(specs, copy)
    (copy / "broken.slo.yaml").unlink()
    (specs / "broken.slo.yaml").unlink()
    assert _fmt(["specs"], cache_home, tmp_path).returncode == 0
    list(fmt.run(sorted(str(p) for p in copy.iterdir()), write=True, cache=False))
    for path in specs.iterdir():
        assert path.read_text() == (copy / path.name).read_text()
    assert "0 files would be reformatted" in _fmt(["--check", "specs"], cache_home, tmp_path).stderr


def test_cache_false_in_the_configuration_writes_no_entry(tmp_path):
    _project(tmp_path, 3)
    (tmp_path / "slospec.toml").write_text("cache = false\n")
    cache_home = tmp_path / "cache"
    assert _fmt(["--check", "specs"], cache_home, tmp_path).returncode == 2
    folder = cache_home / "slospec" / "results-v1"
    assert not folder.exists() or not any(folder.iterdir())
