"""`slospec eval --prometheus URL`: the SLI's counters fetched with query_range over the window.

The raw counters are fetched (not rates), so the per-interval increases, counter resets
and sums over series are computed exactly as for exported query_range files (promjson).
Works with any server of the Prometheus HTTP API (Prometheus, Thanos, Mimir, Cortex,
VictoriaMetrics). Credentials come from the environment only, never from the command line:
SLOSPEC_PROMETHEUS_TOKEN (bearer), or SLOSPEC_PROMETHEUS_USER and SLOSPEC_PROMETHEUS_PASSWORD
(basic); SLOSPEC_PROMETHEUS_ORG_ID sends X-Scope-OrgID (Mimir, Cortex).
"""

from __future__ import annotations

import base64
import json
import math
import os
import time
from typing import Any

from slospec.evaluate import inputs, promjson
from slospec.evaluate.inputs import DataError

# Prometheus refuses a query_range of more than 11,000 points per series; stay well below.
POINTS_PER_REQUEST = 10_000
# Points per series over the whole range before the step grows (memory and request count).
MAX_POINTS = 400_000
MAX_RESPONSE = 512 * 1024 * 1024


def selectors(sli: Any) -> tuple[str, str, bool]:
    """(part selector, total selector, part is bad) for the SLI's raw counters."""
    from slospec.slo import promql, queries

    if sli.kind == "ratio":
        part = sli.bad if sli.bad is not None else sli.good
        for query in (part, sli.total):
            if queries.is_template(query):
                raise DataError(
                    f"SLI {sli.name!r}: {query!r} is a query template; --prometheus evaluates "
                    "SLIs whose good/bad and total are counter selectors (export the data instead)"
                )
        return part, sli.total, sli.bad is not None
    if sli.kind == "latency" and sli.histogram and sli.threshold is not None:
        try:
            good = promql.bucket(sli.histogram, sli.threshold.seconds)
            total = promql.count(sli.histogram)
        except promql.PromQLError as exc:
            raise DataError(f"SLI {sli.name!r}: {exc}") from None
        return good, total, False
    raise DataError(
        f"SLI {sli.name!r} ({sli.kind}) has no counters to query; --prometheus evaluates ratio, "
        "latency and uptime SLIs (give --data files for the others)"
    )


def probe_queries(sli: Any, step: int) -> tuple[str, str]:
    """(good checks, checks) per step of an uptime SLI's 0/1 probe: every sample the server
    holds in [t - step, t), the same bucket an exported `timestamp,good` row of the check
    falls in (the range ends 1 ms before t: a check on the boundary counts once)."""
    from slospec.slo import promql

    probe = sli.probe or ""
    try:
        promql.selector(probe)
    except promql.PromQLError:
        raise DataError(
            f"SLI {sli.name!r}: {probe!r} is not a series selector; --prometheus evaluates probes written "
            'as a selector such as probe_success{job="blackbox"} (export the data otherwise)'
        ) from None
    window = f"[{step * 1000 - 1}ms] offset 1ms"
    return f"sum(sum_over_time({probe.strip()}{window}))", f"sum(count_over_time({probe.strip()}{window}))"


def probe_counts(good: promjson.Samples, checks: promjson.Samples, counts: Any, step: int) -> int:
    """Per-step good checks and checks into `counts` (the point at t holds [t - step, t))."""
    good_at: dict[float, float] = {}
    for points in good.values():
        for ts, value in points.items():
            good_at[ts] = good_at.get(ts, 0.0) + value
    rows = 0
    for points in checks.values():
        for ts, count in sorted(points.items()):
            if count > 0:
                counts.add(ts - step, min(good_at.get(ts, 0.0), count), count)
                rows += int(count)
    return rows


def longest_window(spec: Any, sli_name: str) -> float:
    from slospec.slo.budget import CALENDAR_RANGE
    from slospec.specmodel.quantities import Duration

    lengths = []
    for item in [*spec.slos, *spec.slas]:
        if item.sli_name != sli_name:
            continue
        window = item.window
        if window.rolling:
            lengths.append(float(window.length.seconds))
        else:
            lengths.append(float(Duration.parse(CALENDAR_RANGE[window.calendar][1]).seconds))
    return max(lengths, default=28 * 86400.0)


def plan(start: float, end: float, interval: int) -> tuple[float, float, int]:
    """Start and end aligned to the step, and the step (the interval, grown for long ranges)."""
    step = interval
    if (end - start) / step > MAX_POINTS:
        step = math.ceil((end - start) / MAX_POINTS / interval) * interval
    return math.floor(start / step) * step, math.floor(end / step) * step, step


def chunks(start: float, end: float, step: int) -> list[tuple[float, float]]:
    out = []
    while start <= end:
        last = min(start + (POINTS_PER_REQUEST - 1) * step, end)
        out.append((start, last))
        start = last + step
    return out


class Client:
    """query_range over HTTP(S) with urllib: auth from the environment, TLS options, a timeout."""

    def __init__(self, url: str, timeout: float, ca_file: str | None, insecure: bool):
        import urllib.parse

        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise DataError(f"--prometheus {url!r}: write the server's base URL, such as http://localhost:9090")
        self.base = url.rstrip("/")
        self.timeout = timeout
        self.headers = {"Accept": "application/json", "User-Agent": "slospec"}
        token = os.environ.get("SLOSPEC_PROMETHEUS_TOKEN")
        user = os.environ.get("SLOSPEC_PROMETHEUS_USER")
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        elif user is not None:
            secret = f"{user}:{os.environ.get('SLOSPEC_PROMETHEUS_PASSWORD', '')}".encode()
            self.headers["Authorization"] = "Basic " + base64.b64encode(secret).decode()
        if os.environ.get("SLOSPEC_PROMETHEUS_ORG_ID"):
            self.headers["X-Scope-OrgID"] = os.environ["SLOSPEC_PROMETHEUS_ORG_ID"]
        self.context = None
        if parsed.scheme == "https":
            import ssl

            try:
                self.context = ssl.create_default_context(cafile=ca_file)
            except (OSError, ssl.SSLError) as exc:
                raise DataError(f"--ca-file {ca_file}: cannot load the CA bundle ({exc})") from None
            if insecure:
                self.context.check_hostname = False
                self.context.verify_mode = ssl.CERT_NONE

    def query_range(self, query: str, start: float, end: float, step: int) -> object:
        import ssl
        import urllib.error
        import urllib.parse
        import urllib.request

        url = f"{self.base}/api/v1/query_range"
        body = urllib.parse.urlencode(
            {"query": query, "start": _num(start), "end": _num(end), "step": str(step)}
        ).encode()
        request = urllib.request.Request(
            url, data=body, method="POST", headers={**self.headers, "Content-Type": "application/x-www-form-urlencoded"}
        )
        where = f"{self.base}: query_range {query!r}"
        try:
            with urllib.request.urlopen(request, timeout=self.timeout, context=self.context) as response:
                raw = response.read(MAX_RESPONSE + 1)
        except urllib.error.HTTPError as exc:
            raise DataError(_http_error(where, exc)) from None
        except TimeoutError:
            raise DataError(
                f"{where}: no answer within {self.timeout:g} s; raise --timeout or shorten the range with --start"
            ) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, ssl.SSLError):
                raise DataError(
                    f"{self.base}: TLS failed ({getattr(reason, 'reason', None) or reason}); "
                    "give the server's CA with --ca-file (or --insecure to skip the check)"
                ) from None
            if isinstance(reason, TimeoutError):
                raise DataError(f"{where}: no answer within {self.timeout:g} s; raise --timeout") from None
            text = getattr(reason, "strerror", None) or str(reason)
            raise DataError(
                f"{self.base}: cannot connect ({text}); check the URL and that the server is running"
            ) from None
        except (OSError, ValueError) as exc:
            raise DataError(f"{where}: the request failed ({exc})") from None
        if len(raw) > MAX_RESPONSE:
            raise DataError(f"{where}: the answer is over 512 MiB; narrow the selector or the range")
        try:
            return json.loads(raw)
        except (ValueError, RecursionError):
            raise DataError(
                f"{where}: the answer is not JSON; is {self.base} a Prometheus API (the URL without /api/v1)?"
            ) from None


def _num(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


def _http_error(where: str, exc) -> str:
    detail = ""
    try:
        payload = json.loads(exc.read(65536) or b"{}")
        if isinstance(payload, dict) and payload.get("error"):
            detail = f": {payload.get('errorType', 'error')}: {payload['error']}"
    except (ValueError, OSError, RecursionError):
        pass
    if exc.code in (401, 403):
        return (
            f"{where}: HTTP {exc.code} {exc.reason}{detail}; set SLOSPEC_PROMETHEUS_TOKEN, or "
            "SLOSPEC_PROMETHEUS_USER and SLOSPEC_PROMETHEUS_PASSWORD"
        )
    if exc.code == 404:
        return f"{where}: HTTP 404; give the server's base URL (without /api/v1), such as http://localhost:9090"
    if exc.code in (400, 422):
        return f"{where}: the server refused the query (HTTP {exc.code}){detail}"
    if exc.code in (503, 504):
        return (
            f"{where}: HTTP {exc.code} {exc.reason}{detail}; the server is overloaded or timed out, "
            "try a shorter range (--start) or a longer --interval"
        )
    return f"{where}: HTTP {exc.code} {exc.reason}{detail}"


def load(spec: Any, sli_name: str, options, interval: int):
    """Series for the SLI from a live server, over the window ending at --end (default now)."""
    from slospec.evaluate import compute

    sli = spec.sli(sli_name)
    probe = sli.kind == "uptime"
    if probe:
        part_query, total_query = probe_queries(sli, interval)  # refuses what it cannot query
        part_is_bad = False
    else:
        part_query, total_query, part_is_bad = selectors(sli)
    end = time.time() if options.end in (None, "now") else inputs.parse_time(options.end, "--end")
    start = (
        end - longest_window(spec, sli_name) if options.start is None else inputs.parse_time(options.start, "--start")
    )
    if start >= end:
        raise DataError(f"--start ({options.start}) must be before --end ({options.end or 'now'})")
    start, end, step = plan(start, end, interval)
    if probe:
        part_query, total_query = probe_queries(sli, step)
    client = Client(options.url, options.timeout, options.ca_file, options.insecure)
    samples: dict[str, promjson.Samples] = {"part": {}, "total": {}}
    for name, query in (("part", part_query), ("total", total_query)):
        for first, last in chunks(start, end, step):
            payload = client.query_range(query, first, last, step)
            promjson.add_payload(samples[name], payload, f"{options.url}: query_range {query!r}")
    counts = inputs.Counts(step)
    if probe:
        try:
            rows = probe_counts(samples["part"], samples["total"], counts, step)
        except inputs.TooManyBuckets:
            raise inputs.too_many(options.url, counts) from None
    else:
        rows = promjson.combine(samples["part"], samples["total"], counts, part_is_bad, options.url)
    if not counts.buckets:
        raise DataError(
            f"{options.url}: no samples of {total_query!r} between {inputs._day(start)} and "
            f"{inputs._day(end)}; check the selector and the range (--start/--end)"
        )
    return compute.Series(counts.series(), step), rows
