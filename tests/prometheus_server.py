"""A real Prometheus for tests: backfilled from OpenMetrics, started in a folder on a free
port, and stopped however the test ends."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def backfill(promtool: str, work: Path) -> None:
    """`work/data.om` (OpenMetrics) into the TSDB at `work/tsdb`."""
    subprocess.run(
        [promtool, "tsdb", "create-blocks-from", "openmetrics", str(work / "data.om"), str(work / "tsdb")],
        check=True,
        capture_output=True,
        timeout=120,
    )


@contextlib.contextmanager
def running(prometheus: str, work: Path, *flags: str) -> Iterator[int]:
    """Prometheus with `work/prometheus.yml` and `work/tsdb`; yields its port."""
    port = free_port()
    proc = subprocess.Popen(
        [
            prometheus,
            "--config.file=prometheus.yml",
            "--storage.tsdb.path=tsdb",
            *flags,
            f"--web.listen-address=127.0.0.1:{port}",
        ],
        cwd=work,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def wait_ready(port: int, tries: int = 300) -> None:
    for _ in range(tries):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/-/ready", timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail("prometheus did not become ready")
