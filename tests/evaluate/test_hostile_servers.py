"""Issue 28, cases 7-9 and 12-14: `eval --prometheus` and `check --prometheus` against hostile
servers on 127.0.0.1 (one HTTP client for both: slospec.evaluate.promhttp)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from slospec.evaluate import live, promjson
from slospec.evaluate.inputs import DataError
from slospec.evaluate.promhttp import HttpError, Prometheus, loads, strip_userinfo
from tests.conftest import ROOT

SPEC = """\
apiVersion: slospec/v1
service: {name: api, owner: team-api}
slis:
  - name: requests
    description: Requests not answered with a server error.
    ratio:
      bad: http_requests_total{job="api",code="500"}
      total: http_requests_total{job="api"}
slos:
  - {name: availability, description: x, sli: requests, target: 99.9%, window: 1d}
"""

Handler = Callable[[BaseHTTPRequestHandler], None]


class _Server:
    def __init__(self, handle: Handler) -> None:
        seen: list[dict] = []

        class H(BaseHTTPRequestHandler):
            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                seen.append({"path": self.path, "headers": dict(self.headers), "body": body})
                self.body = body
                try:
                    handle(self)
                except OSError:
                    pass

            do_GET = do_POST = _any  # noqa: N815

            def log_message(self, *args) -> None:
                pass

        self.seen = seen
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def serve() -> Iterator[Callable[[Handler], _Server]]:
    servers: list[_Server] = []

    def start(handle: Handler) -> _Server:
        server = _Server(handle)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def answer(status: int, body: bytes, headers: dict | None = None) -> Handler:
    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(status)
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    return handle


EMPTY = b'{"status":"success","data":{"resultType":"matrix","result":[]}}'


def slospec(*args: str, env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    for name in ("SLOSPEC_PROMETHEUS_TOKEN", "SLOSPEC_PROMETHEUS_USER", "SLOSPEC_PROMETHEUS_PASSWORD"):
        if name not in (env or {}):
            environment.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "slospec", *args], capture_output=True, text=True, env=environment, timeout=timeout
    )


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "api.slo.yaml"
    path.write_text(SPEC)
    return path


# Case 7: credentials never go to another origin.


@pytest.mark.parametrize("command", ["eval", "check"])
def test_a_redirect_to_another_origin_is_refused_and_gets_no_credentials(serve, spec: Path, command: str) -> None:
    thief = serve(answer(200, EMPTY))
    origin = serve(answer(307, b"", {"Location": f"{thief.url}/api/v1/steal"}))
    result = slospec(command, str(spec), "--prometheus", origin.url, env={"SLOSPEC_PROMETHEUS_TOKEN": "s3cret"})
    assert result.returncode == 2, result.stderr
    assert "redirects to another origin" in result.stderr and "s3cret" not in result.stderr
    assert thief.seen == []  # not even asked
    assert origin.seen and origin.seen[0]["headers"].get("Authorization") == "Bearer s3cret"


def test_a_redirect_within_the_origin_is_followed(serve) -> None:
    def handle(h: BaseHTTPRequestHandler) -> None:
        if h.path.startswith("/prefix"):
            answer(200, EMPTY)(h)
        else:
            answer(308, b"", {"Location": "/prefix" + h.path})(h)

    server = serve(handle)
    status, _, body = Prometheus(server.url, 5).request("/api/v1/query_range", [("query", "up")], post=True)
    assert status == 200 and body == EMPTY
    assert [s["path"] for s in server.seen] == ["/api/v1/query_range", "/prefix/api/v1/query_range"]


# Case 8: a password in the URL is never printed (and is used as basic credentials).


@pytest.mark.parametrize("command", ["eval", "check"])
def test_a_password_in_the_url_is_never_printed(serve, spec: Path, command: str) -> None:
    server = serve(answer(500, b'{"status":"error","error":"boom"}'))
    url = server.url.replace("http://", "http://alice:hunter2@")
    result = slospec(command, str(spec), "--prometheus", url)
    assert result.returncode == 2 and "hunter2" not in result.stderr + result.stdout and "boom" in result.stderr
    assert server.seen[0]["headers"]["Authorization"] == "Basic YWxpY2U6aHVudGVyMg=="
    closed = slospec(command, str(spec), "--prometheus", "http://bob:pa55word@127.0.0.1:9/")
    assert closed.returncode == 2 and "pa55word" not in closed.stderr and "cannot connect" in closed.stderr
    assert strip_userinfo("https://u:p@host:1/x?y") == "https://host:1/x?y"


# Case 9: terminal escapes from a server are shown, never acting.


def test_escape_sequences_in_a_server_error_are_neutralised(serve, spec: Path) -> None:
    evil = json.dumps({"status": "error", "errorType": "bad_data", "error": "\x1b]0;pwned\x07\x1b[2Jgone"}).encode()
    server = serve(answer(400, evil))
    for command in ("eval", "check"):
        result = slospec(command, str(spec), "--prometheus", server.url)
        assert result.returncode == 2
        assert "\x1b" not in result.stderr and "\x07" not in result.stderr
        assert "\\x1b]0;pwned\\x07" in result.stderr


def test_escape_sequences_in_spec_values_and_file_names_are_neutralised(tmp_path: Path) -> None:
    name = tmp_path / "a\x1b]0;title\x07.slo.yaml"
    name.write_text(SPEC.replace("name: availability", 'name: "avail\\e[2Jability"').replace("99.9%", "100%"))
    result = slospec("lint", "--no-cache", str(name))
    assert result.returncode == 1
    assert "\x1b" not in result.stdout and "\\x1b]0;title\\x07" in result.stdout and "\\x1b[2J" in result.stdout


# Case 12: --timeout bounds the whole request, not each read.


def trickle(h: BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Length", "100000")
    h.end_headers()
    for _ in range(100):
        h.wfile.write(b" ")
        h.wfile.flush()
        time.sleep(0.2)


@pytest.mark.parametrize("command", ["eval", "check"])
def test_a_trickling_server_is_cut_off_at_the_timeout(serve, spec: Path, command: str) -> None:
    server = serve(trickle)
    began = time.monotonic()
    result = slospec(command, str(spec), "--prometheus", server.url, "--timeout", "1")
    assert result.returncode == 2 and "no answer within 1 s" in result.stderr
    assert time.monotonic() - began < 8


def test_an_oversized_answer_is_refused(serve) -> None:
    server = serve(answer(200, b" " * 5000))
    with pytest.raises(HttpError, match="the answer is over"):
        Prometheus(server.url, 5, max_bytes=1000).request("/api/v1/series", [])


# Case 13: numbers and shapes that crashed.


def matrix(values: list, metric: dict | None = None) -> bytes:
    result = [{"metric": metric or {"job": "api"}, "values": values}]
    return json.dumps({"status": "success", "data": {"resultType": "matrix", "result": result}}).encode()


@pytest.mark.parametrize(
    "body",
    [
        matrix([[1700000000, "1" + "0" * 400]]),
        b'{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1'
        + b"0" * 400
        + b',"1"]]}]}}',
        matrix([[1700000000, "1e999"]]),
        matrix([[1700000000, "NaN"]]),
    ],
)
def test_huge_and_non_finite_numbers_are_clear_errors(serve, spec: Path, body: bytes) -> None:
    server = serve(answer(200, body))
    result = slospec("eval", str(spec), "--prometheus", server.url)
    assert result.returncode == 2, result.stderr
    assert "internal error" not in result.stderr and "OverflowError" not in result.stderr
    assert "data.result[0].values[0]" in result.stderr


def test_counters_near_the_largest_float_are_refused_not_nan(serve, spec: Path) -> None:
    start = int(time.time()) - 3600
    values = [[start + 60 * i, repr(1.5e308 if i % 2 else 1e308)] for i in range(30)]
    server = serve(answer(200, matrix(values)))
    result = slospec("eval", str(spec), "--prometheus", server.url, "--start", str(start), "--interval", "300")
    assert result.returncode == 2 and "too large" in result.stderr and "nan" not in result.stderr.lower()


@pytest.mark.parametrize(
    "data",
    [
        [1, 2, 3],
        ["not", "series"],
        [{"__name__": ["a"], "le": {"x": 1}}],
        {"oops": True},
        [{"le": "1e999999999"}],
    ],
)
def test_malformed_series_answers_do_not_crash_check(serve, spec: Path, data: object) -> None:
    body = json.dumps({"status": "success", "data": data}).encode()
    server = serve(answer(200, body))
    result = slospec("check", str(spec), "--prometheus", server.url, timeout=30)
    assert result.returncode in (0, 1), result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


def test_json_numbers_are_floats_and_never_raise() -> None:
    assert loads(b"[1" + b"0" * 5000 + b"]") == [float("inf")]
    assert loads(b"[1e999, -1e999]") == [float("inf"), float("-inf")]


# Case 14: samples are streamed into sums, answer by answer.


def test_live_eval_streams_and_bounds_each_answer(serve, spec: Path, monkeypatch) -> None:
    import urllib.parse

    from slospec.api import load_specs
    from slospec.config import Config

    series, step = 40, 60
    start = (int(time.time()) // 3600 - 48) * 3600

    def handle(h) -> None:
        form = dict(urllib.parse.parse_qsl(h.body.decode()))
        first, last = int(form["start"]), int(form["end"])
        result = [
            {
                "metric": {"job": "api", "instance": str(n)},
                "values": [[t, str((t - start) // step * (n + 1))] for t in range(first, last + 1, step)],
            }
            for n in range(series)
        ]
        answer(200, json.dumps({"status": "success", "data": {"resultType": "matrix", "result": result}}).encode())(h)

    server = serve(handle)
    monkeypatch.setattr(live, "SAMPLES_PER_ANSWER", 4000)
    monkeypatch.setattr(live, "FIRST_POINTS", 50)
    folded: list[int] = []
    add = promjson.Stream.add

    def counting(self, payload, where):
        found = add(self, payload, where)
        folded.append(sum(len(s["values"]) for s in payload["data"]["result"]))
        assert len(self.last) <= series  # one state per series, never every sample
        return found

    monkeypatch.setattr(promjson.Stream, "add", counting)

    from types import SimpleNamespace

    options = SimpleNamespace(
        url=server.url, timeout=10.0, ca_file=None, insecure=False, end=str(start + 24 * 3600), start=None
    )

    specs, problems = load_specs([str(spec)], Config())
    assert not problems
    _, rows = live.load(specs[0], "requests", options, step)
    assert rows > 1000 and len(folded) > 4
    assert max(folded[1:]) <= 4000  # every answer after the first within the bound


def test_streamed_sums_equal_the_whole_file_sums() -> None:
    payloads = [
        {"data": {"result": [{"metric": {"a": "1"}, "values": [[t, str(v)] for t, v in chunk]}]}}
        for chunk in ([(100, 5), (160, 7)], [(220, 2), (280, 9)], [(340, 9), (400, 12)])
    ]
    stream = promjson.Stream()
    whole: promjson.Samples = {}
    for payload in payloads:
        stream.add(payload, "here")
        promjson.add_payload(whole, payload, "here")
    assert stream.increases() == promjson.increases(whole)
    with pytest.raises(DataError, match="back in time"):
        stream.add({"data": {"result": [{"metric": {"a": "1"}, "values": [[50, "1"]]}]}}, "here")


# Case 17: Ctrl-C exits 130 (1 means findings).


def test_ctrl_c_exits_130(serve, spec: Path) -> None:
    import signal

    server = serve(trickle)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "slospec", "eval", str(spec), "--prometheus", server.url, "--timeout", "30"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    deadline = time.monotonic() + 20
    while not server.seen and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 130 and "interrupted" in err and "Traceback" not in err


def test_a_proxy_from_the_environment_is_used_as_urllib_did(serve, monkeypatch) -> None:
    proxy = serve(answer(200, EMPTY))
    for name in ("NO_PROXY", "no_proxy", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("http_proxy", proxy.url.replace("http://", "http://pu:pp@"))
    status, _, body = Prometheus("http://prometheus.invalid:9090", 5).request("/api/v1/series", [("match[]", "up")])
    assert status == 200 and body == EMPTY
    assert proxy.seen[0]["path"].startswith("http://prometheus.invalid:9090/api/v1/series?")
    assert proxy.seen[0]["headers"]["Proxy-Authorization"] == "Basic cHU6cHA="
