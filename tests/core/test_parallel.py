"""Linting many files across processes gives exactly the output of a single process."""

from __future__ import annotations

from pathlib import Path

from slospec.api import PARALLEL_THRESHOLD, lint_paths
from slospec.config import Config
from tests.conftest import EXAMPLES


def test_parallel_equals_serial(tmp_path: Path) -> None:
    source = (EXAMPLES / "api.slo.yaml").read_text()
    for i in range(PARALLEL_THRESHOLD + 60):
        text = source.replace("name: payments-api", f"name: svc-{i}")
        if i % 7 == 0:
            text = text.replace("target: 99.95%", "target: 100%")
        if i % 11 == 0:
            text = text.replace("name: svc-", "name: Svc_")
        if i == 5:
            # a second, different definition of svc-4
            text = text.replace(f"svc-{i}", "svc-4").replace("target: 99.95%", "target: 99.9%")
        (tmp_path / f"s{i:04d}.slo.yaml").write_text(text)
    serial = lint_paths([str(tmp_path)], Config(root=tmp_path, jobs=1))
    parallel = lint_paths([str(tmp_path)], Config(root=tmp_path, jobs=2))
    assert serial.files == parallel.files == PARALLEL_THRESHOLD + 60
    assert parallel.diagnostics == serial.diagnostics
    assert {d.code for d in serial.diagnostics} == {"SLO101", "SLO002", "SLO005"}
