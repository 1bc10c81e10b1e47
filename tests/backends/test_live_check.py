"""`slospec check --prometheus` against a real Prometheus on 127.0.0.1 that scrapes a small
exporter: a missing metric, a gauge used as a counter, a threshold that is no bucket and bad
events outside the total's population are each reported at the spec's line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests import prometheus_server
from tests.conftest import ROOT, need_tool

METRICS = """\
# HELP http_requests_total Requests.
# TYPE http_requests_total counter
http_requests_total{code="200",handler="/pay"} 1000
http_requests_total{code="500",handler="/pay"} 5
http_requests_total{code="500",handler="/admin"} 3
# HELP queue_depth Jobs waiting.
# TYPE queue_depth gauge
queue_depth 3
# HELP http_request_duration_seconds Latency.
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.1"} 700
http_request_duration_seconds_bucket{le="0.3"} 950
http_request_duration_seconds_bucket{le="1"} 990
http_request_duration_seconds_bucket{le="+Inf"} 1000
http_request_duration_seconds_sum 180
http_request_duration_seconds_count 1000
"""

HEAD = "apiVersion: slospec/v1\nservice:\n  name: checkout\n  owner: team-checkout\nslis:\n"
GOOD_SLIS = """\
  - name: requests
    ratio:
      bad: http_requests_total{job="checkout",code="500"}
      total: http_requests_total{job="checkout"}
  - name: fast
    latency:
      histogram: http_request_duration_seconds{job="checkout"}
      threshold: 300ms
"""
BAD_SLIS = """\
  - name: typo
    ratio:
      bad: http_request_total{job="checkout",code="500"}
      total: http_requests_total{job="checkout"}
  - name: queue
    ratio:
      bad: queue_depth{job="checkout"}
      total: http_requests_total{job="checkout"}
  - name: fast
    latency:
      histogram: http_request_duration_seconds{job="checkout"}
      threshold: 250ms
  - name: pay
    ratio:
      bad: http_requests_total{job="checkout",code="500"}
      total: http_requests_total{job="checkout",handler="/pay"}
"""


class Exporter(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the http.server interface
        body = METRICS.encode()
        self.send_response(200 if self.path == "/metrics" else 404)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    prometheus = need_tool("prometheus")
    work = tmp_path_factory.mktemp("live")
    exporter = ThreadingHTTPServer(("127.0.0.1", 0), Exporter)
    threading.Thread(target=exporter.serve_forever, daemon=True).start()
    target = f"127.0.0.1:{exporter.server_address[1]}"
    (work / "prometheus.yml").write_text(
        "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: checkout\n"
        f"    static_configs:\n      - targets: ['{target}']\n"
    )
    try:
        with prometheus_server.running(prometheus, work) as port:
            url = f"http://127.0.0.1:{port}"
            for _ in range(300):  # ready, scraped once, and the metadata known
                try:
                    query = urllib.parse.urlencode({"metric": "queue_depth"})
                    with urllib.request.urlopen(f"{url}/api/v1/metadata?{query}", timeout=1) as response:
                        if json.load(response)["data"]:
                            break
                except OSError:
                    pass
                time.sleep(0.1)
            else:
                pytest.fail("prometheus did not scrape the exporter")
            yield url, f"http://{target}"
    finally:
        exporter.shutdown()


def check(tmp_path: Path, slis: str, *args: str) -> subprocess.CompletedProcess:
    spec = tmp_path / "checkout.slo.yaml"
    spec.write_text(HEAD + slis)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "slospec", "check", str(spec), *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def line_of(slis: str, text: str) -> int:
    return (HEAD + slis).splitlines().index(text) + 1


def test_a_spec_that_matches_the_server_passes(server, tmp_path: Path) -> None:
    url, _ = server
    result = check(tmp_path, GOOD_SLIS, "--prometheus", url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "All checks passed in 1 file.\n"


def test_each_mismatch_is_reported_at_its_line(server, tmp_path: Path) -> None:
    url, _ = server
    result = check(tmp_path, BAD_SLIS, "--prometheus", url, "--format", "json")
    assert result.returncode == 1, result.stderr
    found = {(d["line"], d["code"]) for d in json.loads(result.stdout)}
    assert found == {
        (line_of(BAD_SLIS, '      bad: http_request_total{job="checkout",code="500"}'), "SLO211"),
        (line_of(BAD_SLIS, '      bad: queue_depth{job="checkout"}'), "SLO212"),
        (line_of(BAD_SLIS, "      threshold: 250ms"), "SLO207"),
        (line_of(BAD_SLIS, '      bad: http_requests_total{job="checkout",code="500"}'), "SLO213"),
    }
    messages = {d["code"]: d["message"] for d in json.loads(result.stdout)}
    assert "le: 100ms, 300ms, 1s" in messages["SLO207"]
    assert 'handler="/admin"' in messages["SLO213"]


def test_server_failures_are_one_line_and_exit_two(server, tmp_path: Path) -> None:
    _, exporter = server
    not_an_api = check(tmp_path, GOOD_SLIS, "--prometheus", exporter)
    assert not_an_api.returncode == 2
    assert "answered HTTP 404" in not_an_api.stderr and "Traceback" not in not_an_api.stderr
    closed = check(tmp_path, GOOD_SLIS, "--prometheus", f"http://127.0.0.1:{prometheus_server.free_port()}")
    assert closed.returncode == 2 and "cannot connect" in closed.stderr


class Hostile(BaseHTTPRequestHandler):
    """Answers 200 with what is not the Prometheus API: HTML, binary, a cut-off body."""

    def do_GET(self) -> None:  # noqa: N802 - the http.server interface
        self.send_response(200)
        if self.server.kind == "truncated":
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.write(b'{"status":')
            return
        self.end_headers()
        self.wfile.write(b"<html>login</html>" if self.server.kind == "html" else b"\xff\xfe\x00\x81" * 10)

    def log_message(self, *args) -> None:
        pass


@pytest.mark.parametrize(
    ("kind", "message"),
    [("html", "did not answer JSON"), ("binary", "did not answer JSON"), ("truncated", "IncompleteRead")],
)
def test_answers_that_are_not_the_api_are_one_line_errors(tmp_path: Path, kind: str, message: str) -> None:
    hostile = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    hostile.kind = kind
    threading.Thread(target=hostile.serve_forever, daemon=True).start()
    try:
        result = check(
            tmp_path, GOOD_SLIS, "--prometheus", f"http://127.0.0.1:{hostile.server_address[1]}", "--timeout", "5"
        )
    finally:
        hostile.shutdown()
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr and "internal error" not in result.stderr


def test_no_failures_yet_is_information_not_an_error(server, tmp_path: Path) -> None:
    # Issue 26.6: nothing has failed with a 503 (the normal state); the total has series.
    url, _ = server
    slis = """\
  - name: unavailable
    ratio:
      bad: http_requests_total{job="checkout",code="503"}
      total: http_requests_total{job="checkout"}
  - name: lazy
    ratio:
      bad: payment_failures_total{job="checkout"}
      total: http_requests_total{job="checkout"}
  - name: nothing
    ratio:
      bad: http_requests_total{job="checkout",code="503"}
      total: http_requests_total{job="nowhere"}
"""
    result = check(tmp_path, slis, "--prometheus", url, "--format", "json")
    found = {(d["line"], d["code"], d["severity"]) for d in json.loads(result.stdout)}
    assert found == {
        (line_of(slis, '      bad: http_requests_total{job="checkout",code="503"}'), "SLO211", "info"),
        (line_of(slis, '      bad: payment_failures_total{job="checkout"}'), "SLO211", "warning"),
        (line_of(slis, '      bad: http_requests_total{job="checkout",code="503"}') + 8, "SLO211", "error"),
        (line_of(slis, '      total: http_requests_total{job="nowhere"}'), "SLO211", "error"),
    }
    healthy = check(tmp_path, slis.split("  - name: nothing")[0], "--prometheus", url)
    assert healthy.returncode == 0, healthy.stdout + healthy.stderr
    assert "no event failed" in healthy.stdout
