"""Native-histogram latency SLIs (`latency: {native: true}`) on a real Prometheus (issue 32).

A local exporter serves one native histogram in Prometheus's protobuf exposition (the only
way Prometheus 2.42 ingests native histograms from a scrape) with a known shape: every second
90 requests in (62.5ms, 125ms], 6 in (125ms, 250ms], 3 in (250ms, 500ms] and 1 in (1s, 2s]
(schema 0: bucket i holds (2^(i-1), 2^i] seconds). Prometheus, run with
`--enable-feature=native-histograms`, scrapes it every second and evaluates the rules slospec
generates; their recorded error ratios must be what the shape says: exactly 4 % slower than
250ms (a bucket bound), and, for a 300ms threshold inside the (250ms, 500ms] bucket, what
histogram_fraction's interpolation inside that bucket gives (between the two bounds' ratios)."""

from __future__ import annotations

import json
import struct
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from slospec.compile import CompileOptions
from slospec.compile import prometheus as rules_backend
from slospec.specmodel import model
from tests import prometheus_server
from tests.conftest import need_tool

PER_SECOND = {-3: 90, -2: 6, -1: 3, 1: 1}  # bucket index (schema 0) -> requests a second
SUM_PER_SECOND = 90 * 0.1 + 6 * 0.2 + 3 * 0.4 + 1 * 1.5


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _zigzag(value: int) -> int:
    return (value << 1) ^ (value >> 63)


def _field(number: int, wire: int, payload: bytes) -> bytes:
    return _varint(number << 3 | wire) + payload


def _bytes(number: int, payload: bytes) -> bytes:
    return _field(number, 2, _varint(len(payload)) + payload)


def native_histogram_family(name: str, labels: dict[str, str], seconds: int) -> bytes:
    """One io.prometheus.client.MetricFamily (length-delimited) holding a native histogram
    with the counts of `seconds` seconds of PER_SECOND traffic."""
    indexes = sorted(PER_SECOND)
    counts = {i: PER_SECOND[i] * seconds for i in indexes}
    # Spans over the bucket indexes (a gap of empty buckets is an offset), deltas between counts.
    spans, deltas, previous_index, previous_count = [], [], None, 0
    for index in indexes:
        if previous_index is None or index != previous_index + 1:
            offset = index if previous_index is None else index - previous_index - 1
            spans.append([offset, 0])
        spans[-1][1] += 1
        deltas.append(counts[index] - previous_count)
        previous_index, previous_count = index, counts[index]
    histogram = (
        _field(1, 0, _varint(sum(counts.values())))  # sample_count
        + _field(2, 1, struct.pack("<d", SUM_PER_SECOND * seconds))  # sample_sum
        + _field(5, 0, _varint(_zigzag(0)))  # schema 0
        + _field(6, 1, struct.pack("<d", 2.0**-128))  # zero_threshold (marks it native)
        + _field(7, 0, _varint(0))  # zero_count
        + b"".join(
            _bytes(12, _field(1, 0, _varint(_zigzag(offset))) + _field(2, 0, _varint(length)))
            for offset, length in spans
        )  # positive_span
        + _bytes(13, b"".join(_varint(_zigzag(d)) for d in deltas))  # positive_delta, packed
    )
    metric = b"".join(_bytes(1, _bytes(1, k.encode()) + _bytes(2, v.encode())) for k, v in labels.items())
    metric += _bytes(7, histogram)
    family = _bytes(1, name.encode()) + _bytes(2, b"Request latency.") + _field(3, 0, _varint(4)) + _bytes(4, metric)
    return _varint(len(family)) + family


HISTOGRAM = 'http_request_duration_seconds{job="native"}'
SPEC_DATA = {
    "apiVersion": "slospec/v1",
    "service": {"name": "native", "owner": "team"},
    "operations": {"scrapeInterval": "1s", "evaluationInterval": "1s"},
    "slis": [
        {"name": "on-bound", "latency": {"histogram": HISTOGRAM, "threshold": "250ms", "native": True}},
        {"name": "in-bucket", "latency": {"histogram": HISTOGRAM, "threshold": "300ms", "native": True}},
    ],
    "slos": [
        {"name": "fast", "sli": "on-bound", "target": "95%", "window": "1d"},
        {"name": "fast-300", "sli": "in-bucket", "target": "95%", "window": "1d"},
    ],
}


def spec() -> model.Spec:
    return model.build(SPEC_DATA, "native.slo.yaml")


def query(port: int, expr: str) -> list:
    url = f"http://127.0.0.1:{port}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)["data"]["result"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    prometheus = need_tool("prometheus")
    work = tmp_path_factory.mktemp("native")
    started = time.time()

    class Exporter(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            seconds = int(time.time() - started) + 1
            body = native_histogram_family("http_request_duration_seconds", {"job": "native"}, seconds)
            self.send_response(200)
            self.send_header(
                "Content-Type",
                "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited",
            )
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    exporter = ThreadingHTTPServer(("127.0.0.1", prometheus_server.free_port()), Exporter)
    threading.Thread(target=exporter.serve_forever, daemon=True).start()
    groups, _ = rules_backend.rule_groups(spec(), CompileOptions())
    (work / "rules.yaml").write_text(json.dumps({"groups": groups}))
    (work / "prometheus.yml").write_text(
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files:\n  - rules.yaml\n"
        "scrape_configs:\n  - job_name: native\n    honor_labels: true\n    static_configs:\n"
        f"      - targets: ['127.0.0.1:{exporter.server_address[1]}']\n"
    )
    try:
        with prometheus_server.running(prometheus, work, "--enable-feature=native-histograms") as port:
            prometheus_server.wait_ready(port)
            yield port, groups
    finally:
        exporter.shutdown()


def recorded(port: int, record: str, slo: str) -> float:
    expr = f'{record}{{slo_service="native", slo_name="{slo}"}}'
    for _ in range(120):
        result = query(port, expr)
        if result:
            return float(result[0]["value"][1])
        time.sleep(0.5)
    pytest.fail(f"{expr} was never recorded")


def test_the_rules_read_the_native_histogram_with_histogram_fraction(server) -> None:
    _, groups = server
    exprs = [r["expr"] for g in groups for r in g["rules"] if "expr" in r]
    assert any("histogram_fraction(0, 0.25, sum(rate(http_request_duration_seconds" in e for e in exprs)
    assert not any("_bucket" in e or "_count{" in e for e in exprs)  # no classic series


def test_the_server_scrapes_a_native_histogram(server) -> None:
    port, _ = server
    for _ in range(60):
        result = query(port, 'histogram_count(http_request_duration_seconds{job="native"})')
        if result and float(result[0]["value"][1]) > 0:
            return
        time.sleep(0.5)
    pytest.fail("Prometheus never held the native histogram")


def test_on_a_bucket_bound_the_error_ratio_is_exact(server) -> None:
    port, _ = server
    # The shortest raw window (1m) and the 5m base parts: both are the shape's 4 % slower than 250ms.
    ratio = recorded(port, "slo:sli_error:ratio_rate1m", "fast")
    assert abs(ratio - 0.04) < 1e-9
    good = recorded(port, "slo:sli_good:rate5m", "fast")
    total = recorded(port, "slo:sli_total:rate5m", "fast")
    assert abs(1 - good / total - 0.04) < 1e-9


def test_inside_a_bucket_the_ratio_is_interpolated_between_its_bounds(server) -> None:
    port, _ = server
    ratio = recorded(port, "slo:sli_error:ratio_rate1m", "fast-300")
    # At most the 250ms bound's 4 %, at least the 500ms bound's 1 %; linear interpolation inside
    # (250ms, 500ms] (Prometheus 2.42) gives 4 % - 3 % x 0.05/0.25 = 3.4 %.
    assert 0.01 < ratio < 0.04
    assert abs(ratio - 0.034) < 0.003


def test_eval_from_prometheus_reads_the_native_histogram(server, tmp_path) -> None:
    """`slospec eval --prometheus` on the same server: the share slower than 250ms is 4 %."""
    from click.testing import CliRunner

    from slospec.cli import main

    port, _ = server
    recorded(port, "slo:sli_error:ratio_rate1m", "fast")  # the server holds data
    time.sleep(6)
    end = int(time.time())
    spec_file = tmp_path / "native.slo.yaml"
    spec_file.write_text(json.dumps(SPEC_DATA))
    url = f"http://127.0.0.1:{port}"
    args = ["--start", str(end - 30), "--end", str(end), "--interval", "2", "--format", "json"]
    result = CliRunner().invoke(main, ["eval", str(spec_file), "--sli", "on-bound", "--prometheus", url, *args])
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    (slo,) = [s for s in report["slos"] if s["slo"] == "fast"]
    assert abs(slo["attainment"] - 0.96) < 0.002, slo
