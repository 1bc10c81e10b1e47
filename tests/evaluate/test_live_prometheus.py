"""`slospec eval --prometheus URL` against a real Prometheus on 127.0.0.1 with backfilled
counters: the live evaluation equals the file-based one on the same data to 1e-9, and every
HTTP/API failure is a clear error (exit 2)."""

from __future__ import annotations

import http.server
import json
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from slospec.cli import main
from tests import prometheus_server
from tests.conftest import need_tool

SPEC = """\
apiVersion: slospec/v1
service: {name: api, owner: team-api}
slis:
  - name: requests
    ratio:
      bad: http_requests_total{job="api",code="500"}
      total: http_requests_total{job="api"}
slos:
  - {name: availability, sli: requests, target: 99.9%, window: 1d}
"""
PROBE_SPEC = """\
apiVersion: slospec/v1
service: {name: site, owner: team-web}
slis:
  - name: up
    uptime: {probe: 'probe_success{job="blackbox"}', interval: 20s}
slos:
  - {name: uptime, sli: up, target: 99.9%, window: 1d}
"""
MINUTES = 3000  # two days and a bit, with a counter reset at minute 1500


def per_minute(minute: int) -> tuple[int, int]:
    """(ok, errors) in the given minute (a 40-minute spike of 10 % errors)."""
    if 600 <= minute < 640:
        return 900, 100
    return 1000 - minute % 7, minute % 3


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    promtool, prometheus = need_tool("promtool"), need_tool("prometheus")
    work = tmp_path_factory.mktemp("live")
    end = int(time.time()) // 3600 * 3600 - 3600  # aligned, so 10-minute steps see the first sample
    start = end - MINUTES * 60
    totals = {"200": 0, "500": 0}
    lines = ["# TYPE http_requests counter"]
    rows = ["timestamp,good,total"]
    series = {"200": [], "500": []}
    for minute in range(MINUTES + 1):
        if minute:
            ok, bad = per_minute(minute)
            if minute == 1500:  # the process restarted: both counters begin again at zero
                totals = {"200": 0, "500": 0}
            totals["200"] += ok
            totals["500"] += bad
            rows.append(f"{start + (minute - 1) * 60},{ok},{ok + bad}")
        for code in totals:
            series[code].append((start + minute * 60, totals[code]))
    for code, points in series.items():
        lines += [f'http_requests_total{{job="api",code="{code}"}} {v} {t}' for t, v in points]
    # A blackbox probe every 20 s from two probers, down for 12 minutes (issue 26.9).
    probes = ["timestamp,good"]
    lines.append("# TYPE probe_success gauge")
    for prober in ("eu", "us"):
        for n in range(MINUTES * 3):
            at = start + n * 20
            up = 0 if (prober == "eu" and 7500 <= n < 7536) else 1
            lines.append(f'probe_success{{job="blackbox",prober="{prober}"}} {up} {at}')
            probes.append(f"{at},{up}")
    lines.append("# EOF")
    (work / "probes.csv").write_text("\n".join(probes) + "\n")
    (work / "probe.slo.yaml").write_text(PROBE_SPEC)
    (work / "data.om").write_text("\n".join(lines) + "\n")
    (work / "data.csv").write_text("\n".join(rows) + "\n")
    (work / "api.slo.yaml").write_text(SPEC)
    (work / "prometheus.yml").write_text("global:\n  scrape_interval: 1m\n")
    prometheus_server.backfill(promtool, work)
    with prometheus_server.running(prometheus, work, "--storage.tsdb.retention.time=30d") as port:
        prometheus_server.wait_ready(port)
        yield f"http://127.0.0.1:{port}", work, start, end


def run(*args: str, env: dict | None = None):
    result = CliRunner().invoke(main, list(args), env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "internal error" not in result.output
    return result


def close(a, b) -> None:
    if isinstance(a, dict):
        assert a.keys() == b.keys()
        for key in a:
            close(a[key], b[key])
    elif isinstance(a, list):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            close(x, y)
    elif isinstance(a, float) or isinstance(b, float):
        assert a == pytest.approx(b, rel=1e-9, abs=1e-9)
    else:
        assert a == b


@pytest.mark.parametrize("points_per_request", [10_000, 700])
def test_live_eval_equals_the_file_based_eval(server, monkeypatch, points_per_request: int) -> None:
    from slospec.evaluate import live

    monkeypatch.setattr(live, "POINTS_PER_REQUEST", points_per_request)  # 700: five chunks
    url, work, start, end = server
    spec = str(work / "api.slo.yaml")
    window = ["--start", str(start), "--end", str(end)]
    live_run = run("eval", spec, "--prometheus", url, *window, "--format", "json")
    offline = run("eval", spec, "--data", str(work / "data.csv"), "--format", "json")
    assert live_run.exit_code == offline.exit_code == 1, live_run.output
    close(json.loads(live_run.output), json.loads(offline.output))
    report = json.loads(live_run.output)["slos"][0]
    assert report["total"] > 0 and report["bad"] > 0 and report["alerts"]  # the 40-minute spike pages


def test_live_eval_of_a_probe_equals_the_file_based_eval(server) -> None:
    # Issue 26.9: probe_success lives in Prometheus, so live eval takes uptime SLIs.
    url, work, start, end = server
    spec = str(work / "probe.slo.yaml")
    live_run = run("eval", spec, "--prometheus", url, "--start", str(start), "--end", str(end), "--format", "json")
    offline = run("eval", spec, "--data", str(work / "probes.csv"), "--format", "json")
    assert live_run.exit_code == offline.exit_code, live_run.output + offline.output
    close(json.loads(live_run.output), json.loads(offline.output))
    report = json.loads(live_run.output)["slos"][0]
    assert report["total"] == 2 * 3 * 1440 and report["bad"] == 36  # the last day: every check, 36 failed


def test_the_default_window_ends_now(server) -> None:
    url, work, start, end = server
    result = run("eval", str(work / "api.slo.yaml"), "--prometheus", url, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    assert json.loads(result.output)["slos"][0]["total"] > 0


def test_a_query_the_server_refuses_is_reported(server, tmp_path: Path) -> None:
    url, work, *_ = server
    spec = tmp_path / "s.slo.yaml"
    spec.write_text(SPEC.replace('code="500"', 'code=~"("'))
    result = run("eval", str(spec), "--prometheus", url)
    assert result.exit_code == 2 and "the server refused the query (HTTP 400): bad_data:" in result.output


def test_a_wrong_base_url_and_no_server(server, tmp_path: Path) -> None:
    url, work, *_ = server
    result = run("eval", str(work / "api.slo.yaml"), "--prometheus", url + "/api/v1")
    assert result.exit_code == 2 and "HTTP 404; give the server's base URL" in result.output
    result = run(
        "eval", str(work / "api.slo.yaml"), "--prometheus", f"http://127.0.0.1:{prometheus_server.free_port()}"
    )
    assert result.exit_code == 2 and "cannot connect (Connection refused)" in result.output
    result = run("eval", str(work / "api.slo.yaml"), "--prometheus", "localhost:9090")
    assert result.exit_code == 2 and "write the server's base URL" in result.output


class Fake(http.server.BaseHTTPRequestHandler):
    """Answers query_range like a misbehaving server: status and body from the path."""

    answers: dict = {}
    seen: list = []

    def do_POST(self) -> None:  # noqa: N802
        Fake.seen.append(dict(self.headers))
        status, body, delay = Fake.answers["now"]
        time.sleep(delay)
        try:
            self.send_response(status)
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the client gave up (the timeout test)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def fake():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Fake)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    Fake.seen.clear()
    yield httpd, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (
            401,
            b'{"status":"error","errorType":"unauthorized","error":"no token"}',
            "HTTP 401 Unauthorized: unauthorized: no token; set SLOSPEC_PROMETHEUS_TOKEN",
        ),
        (503, b"", "HTTP 503 Service Unavailable; the server is overloaded"),
        (200, b"<html>login</html>", "the answer is not JSON; is"),
        (200, b'{"status":"success","data":{"resultType":"vector","result":[]}}', "resultType 'vector'"),
        (
            200,
            b'{"status":"error","errorType":"timeout","error":"query timed out"}',
            "the response is an error (timeout: query timed out)",
        ),
    ],
)
def test_each_api_failure_is_a_clear_error(fake, tmp_path: Path, status: int, body: bytes, message: str) -> None:
    _, url = fake
    Fake.answers["now"] = (status, body, 0)
    spec = tmp_path / "s.slo.yaml"
    spec.write_text(SPEC)
    result = run("eval", str(spec), "--prometheus", url)
    assert result.exit_code == 2 and message in result.output


def test_credentials_come_from_the_environment_and_the_timeout_holds(fake, tmp_path: Path) -> None:
    _, url = fake
    spec = tmp_path / "s.slo.yaml"
    spec.write_text(SPEC)
    Fake.answers["now"] = (200, b'{"status":"success","data":{"resultType":"matrix","result":[]}}', 0)
    result = run("eval", str(spec), "--prometheus", url, env={"SLOSPEC_PROMETHEUS_TOKEN": "s3cret"})
    assert result.exit_code == 2 and "no samples of" in result.output
    assert Fake.seen[0]["Authorization"] == "Bearer s3cret" and "s3cret" not in result.output
    Fake.seen.clear()
    run(
        "eval", str(spec), "--prometheus", url, env={"SLOSPEC_PROMETHEUS_USER": "u", "SLOSPEC_PROMETHEUS_PASSWORD": "p"}
    )
    assert Fake.seen[0]["Authorization"] == "Basic dTpw"
    Fake.answers["now"] = (200, b"{}", 2)
    result = run("eval", str(spec), "--prometheus", url, "--timeout", "0.3")
    assert result.exit_code == 2 and "no answer within 0.3 s; raise --timeout" in result.output


def test_https_without_the_ca_is_a_tls_error(tmp_path: Path) -> None:
    spec = tmp_path / "s.slo.yaml"
    spec.write_text(SPEC)
    result = run("eval", str(spec), "--prometheus", "https://127.0.0.1:1", "--ca-file", str(tmp_path / "none.pem"))
    assert result.exit_code == 2 and "--ca-file" in result.output and "cannot load the CA bundle" in result.output
