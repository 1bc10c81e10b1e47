"""`slospec eval --prometheus URL`: the SLI's counters fetched with query_range over the window.

The raw counters are fetched (not rates), so the per-interval increases, counter resets
and sums over series are computed exactly as for exported query_range files (promjson).
Works with any server of the Prometheus HTTP API (Prometheus, Thanos, Mimir, Cortex,
VictoriaMetrics). Credentials come from the environment only, never from the command line:
SLOSPEC_PROMETHEUS_TOKEN (bearer), or SLOSPEC_PROMETHEUS_USER and SLOSPEC_PROMETHEUS_PASSWORD
(basic); SLOSPEC_PROMETHEUS_ORG_ID sends X-Scope-OrgID (Mimir, Cortex).
"""

from __future__ import annotations

import math
import time
from typing import Any

from slospec.evaluate import inputs, promjson
from slospec.evaluate.inputs import DataError

# Prometheus refuses a query_range of more than 11,000 points per series; stay well below.
POINTS_PER_REQUEST = 10_000
# Points per series over the whole range before the step grows (memory and request count).
MAX_POINTS = 400_000
# The first answer's points per series, before the number of series is known; then as many
# points as keep an answer to SAMPLES_PER_ANSWER samples (its JSON decoded at once).
FIRST_POINTS = 1_000
SAMPLES_PER_ANSWER = 250_000
MAX_RESPONSE = 64 * 1024 * 1024  # per answer; chunks shrink so that an answer stays below it


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
    if sli.kind == "latency" and sli.native and sli.histogram and sli.threshold is not None:
        # Each series' cumulative count, and its count at or below the threshold (interpolated
        # inside a bucket): counters like a classic histogram's `le` bucket and `_count`.
        from slospec.specmodel.quantities import format_decimal

        try:
            histogram = promql.selector(sli.histogram).render("")
        except promql.PromQLError as exc:
            raise DataError(f"SLI {sli.name!r}: {exc}") from None
        bound = format_decimal(sli.threshold.seconds)
        count = f"histogram_count({histogram})"
        return f"{count} * histogram_fraction(0, {bound}, {histogram})", count, False
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


def probe_counts(good: dict[float, float], checks: dict[float, float], counts: Any, step: int) -> int:
    """Per-step good checks and checks (each summed over the probe's series) into `counts`
    (the point at t holds [t - step, t))."""
    rows = 0
    for ts, count in sorted(checks.items()):
        if count > 0:
            counts.add(ts - step, min(good.get(ts, 0.0), count), count)
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
    """query_range through the one HTTP client (slospec.evaluate.promhttp): credentials from the
    environment sent to that origin only, TLS options, one deadline per request, a size cap."""

    def __init__(self, url: str, timeout: float, ca_file: str | None, insecure: bool):
        from slospec.evaluate.promhttp import HttpError, Prometheus

        try:
            self.http = Prometheus(url, timeout, ca_file, insecure, max_bytes=MAX_RESPONSE)
        except HttpError as exc:
            raise DataError(f"--prometheus {exc}") from None
        self.base = self.http.display  # never a password in a message
        self.timeout = timeout

    def query_range(self, query: str, start: float, end: float, step: int) -> object:
        from slospec.evaluate.promhttp import HttpError, api_error, loads

        where = f"{self.base}: query_range {query!r}"
        params = [("query", query), ("start", _num(start)), ("end", _num(end)), ("step", str(step))]
        try:
            status, reason, raw = self.http.request("/api/v1/query_range", params, post=True)
        except HttpError as exc:
            raise DataError(f"{exc}" if str(exc).startswith(self.base) else f"{where}: {exc}") from None
        if status >= 400:
            raise DataError(_http_error(where, status, reason, api_error(raw)))
        try:
            return loads(raw)
        except (ValueError, RecursionError):
            raise DataError(
                f"{where}: the answer is not JSON; is {self.base} a Prometheus API (the URL without /api/v1)?"
            ) from None


def _num(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


def _http_error(where: str, code: int, reason: str, error: str | None) -> str:
    detail = f": {error}" if error else ""
    if code in (401, 403):
        return (
            f"{where}: HTTP {code} {reason}{detail}; set SLOSPEC_PROMETHEUS_TOKEN, or "
            "SLOSPEC_PROMETHEUS_USER and SLOSPEC_PROMETHEUS_PASSWORD"
        )
    if code == 404:
        return f"{where}: HTTP 404; give the server's base URL (without /api/v1), such as http://localhost:9090"
    if code in (400, 422):
        return f"{where}: the server refused the query (HTTP {code}){detail}"
    if code in (503, 504):
        return (
            f"{where}: HTTP {code} {reason}{detail}; the server is overloaded or timed out, "
            "try a shorter range (--start) or a longer --interval"
        )
    return f"{where}: HTTP {code} {reason}{detail}"


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
    streams = {"part": promjson.Stream(), "total": promjson.Stream()}
    for name, query in (("part", part_query), ("total", total_query)):
        # Answers are folded into running sums as they come (never every sample at once), and
        # each answer holds at most SAMPLES_PER_ANSWER samples: the more series, the fewer points.
        first, points = start, FIRST_POINTS
        while first <= end:
            last = min(first + (points - 1) * step, end)
            payload = client.query_range(query, first, last, step)
            found = streams[name].add(payload, f"{client.base}: query_range {query!r}")
            del payload
            points = max(1, min(POINTS_PER_REQUEST, SAMPLES_PER_ANSWER // max(1, found)))
            first = last + step
    counts = inputs.Counts(step)
    if probe:
        try:
            rows = probe_counts(streams["part"].values, streams["total"].values, counts, step)
        except inputs.TooManyBuckets:
            raise inputs.too_many(client.base, counts) from None
    else:
        rows = promjson.combine_increases(
            streams["part"].increases(), streams["total"].increases(), counts, part_is_bad, client.base
        )
    if not counts.buckets:
        raise DataError(
            f"{client.base}: no samples of {total_query!r} between {inputs._day(start)} and "
            f"{inputs._day(end)}; check the selector and the range (--start/--end)"
        )
    return compute.Series(counts.series(), step), rows
