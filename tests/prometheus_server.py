"""A real Prometheus for tests: backfilled from OpenMetrics, started in a folder on a free
port, and stopped however the test ends."""

from __future__ import annotations

import contextlib
import json
import shutil
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


def backfill(promtool: str, work: Path, timeout: float = 120) -> None:
    """`work/data.om` (OpenMetrics) into the TSDB at `work/tsdb`."""
    subprocess.run(
        [promtool, "tsdb", "create-blocks-from", "openmetrics", str(work / "data.om"), str(work / "tsdb")],
        check=True,
        capture_output=True,
        timeout=timeout,
    )


def stop(proc: subprocess.Popen) -> None:
    """Ask a child process to end, and kill it if it has not within 10 seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


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
        stop(proc)


# A scrape target in a child process: a served line is `text base+per_second*elapsed`.
_EXPORTER = r"""
import json, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
series = json.load(open(sys.argv[1]))
started = time.time()
class H(BaseHTTPRequestHandler):
    def do_GET(self):
        elapsed = time.time() - started
        body = "".join(f"{t} {b + r * elapsed}\n" for t, b, r in series).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass
    def log_message(self, *args):
        pass
server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[2])), H)
print("ready", flush=True)
server.serve_forever()
"""


@contextlib.contextmanager
def exporter(series: list[tuple[str, float, float]], work: Path) -> Iterator[int]:
    """Serve `(series text, base, per second)` as counters growing from now, from a child
    process: a long-lived server thread in the test process would outlive its module (tests
    that fork need a single-threaded process) and its broken-pipe tracebacks would land in
    whatever output other tests capture."""
    import sys

    (work / "exporter.json").write_text(json.dumps(series))
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", _EXPORTER, str(work / "exporter.json"), str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready", "the exporter did not start"
        yield port
    finally:
        stop(proc)


def wait_ready(port: int, tries: int = 300) -> None:
    for _ in range(tries):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/-/ready", timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail("prometheus did not become ready")


def _records(groups: list[dict]) -> list[dict]:
    return [rule for group in groups for rule in group["rules"] if "record" in rule]


def backfill_rules(
    promtool: str, prometheus: str, work: Path, groups: list[dict], start: int, end: int, step: str = "30s"
) -> int:
    """Record what `groups`' recording rules would have recorded over [start, end], as a server
    that had run them all along would hold it (Prometheus's own way: `promtool tsdb
    create-blocks-from rules` against a server holding the data).

    promtool evaluates each rule by itself against the server, so a rule that reads another
    recorded series finds nothing until that series is in the TSDB: the rules are backfilled in
    passes, each pass the rules whose `slo:` inputs earlier passes recorded, and the server is
    restarted on the new blocks between passes. Returns the number of passes."""
    from slospec.slo import promql

    pending = _records(groups)
    done: set[str] = set()
    passes = 0
    while pending:
        ready = [r for r in pending if {n for n in promql.metric_names(r["expr"]) if n.startswith("slo:")} <= done]
        if not ready:
            raise AssertionError(f"rules that read series no rule records: {[r['record'] for r in pending]}")
        passes += 1
        rule_file = work / f"backfill-{passes}.rules.yaml"
        rule_file.write_text(json.dumps({"groups": [{"name": f"backfill-{passes}", "rules": ready}]}))
        out = work / f"backfill-{passes}"
        with running(prometheus, work, "--storage.tsdb.retention.time=90d") as port:
            wait_ready(port)
            subprocess.run(
                [
                    promtool, "tsdb", "create-blocks-from", "rules",
                    f"--start={start}", f"--end={end}", f"--url=http://127.0.0.1:{port}",
                    f"--eval-interval={step}", f"--output-dir={out}", str(rule_file),
                ],
                check=True, capture_output=True, timeout=1800,
            )  # fmt: skip
        for block in out.iterdir():
            if block.is_dir():
                shutil.move(str(block), work / "tsdb" / block.name)
        done |= {r["record"] for r in ready}
        pending = [r for r in pending if r not in ready]
    return passes
