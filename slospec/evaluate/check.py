"""Check a spec's SLIs against a live Prometheus: their series exist, counters are counters,
latency thresholds are buckets, and good/bad events belong to the total's population."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from slospec.diagnostics import Pointer
from slospec.errors import SlospecError

# A vector selector inside an expression: a metric name, optional matchers, then a range.
_RANGE_SELECTOR_RE = re.compile(r"([A-Za-z_:][A-Za-z0-9_:]*)\s*(\{[^}]*\})?\s*\[")
_NAME_RE = re.compile(r"^\s*([A-Za-z_:][A-Za-z0-9_:]*)")
# Types whose samples only go up, which rate()/increase() need.
COUNTER_TYPES = {"counter", "histogram", "summary", "gaugehistogram"}


class LiveError(SlospecError):
    """The server could not be asked (connection, HTTP status, API error): exit status 2."""


@dataclass(frozen=True)
class Problem:
    """A finding against the server's data, at a place in the spec (a rule code, a pointer)."""

    code: str
    pointer: Pointer
    message: str
    severity: str | None = None  # None: the rule's (or the configuration's)


class Client:
    """The Prometheus HTTP API (also served by Thanos, Mimir, Cortex, VictoriaMetrics), through
    the one HTTP client (slospec.evaluate.promhttp: credentials, redirects, deadline, size)."""

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        from slospec.evaluate.promhttp import HttpError, Prometheus

        try:
            self.http = Prometheus(url, timeout)
        except HttpError as exc:
            raise LiveError(str(exc)) from None
        self.url = self.http.display  # never a password in a message
        self.timeout = timeout

    def get(self, path: str, params: list[tuple[str, str]]) -> Any:
        from slospec.evaluate.promhttp import HttpError, api_error, loads

        try:
            status, reason, raw = self.http.request(path, params)
        except HttpError as exc:
            raise LiveError(str(exc)) from None
        if status >= 400:
            raise LiveError(f"{self.url}: {path} answered HTTP {status}: {api_error(raw) or reason}")
        try:
            body = loads(raw)
        except (ValueError, RecursionError):  # not JSON, or not text at all
            raise LiveError(f"{self.url}: {path} did not answer JSON; is this the Prometheus API?") from None
        if not isinstance(body, dict) or body.get("status") != "success":
            error = body.get("error") if isinstance(body, dict) else None
            raise LiveError(f"{self.url}: {path}: {error or 'unexpected answer'}")
        return body.get("data")

    def series(self, selector: str, start: float, end: float) -> list[dict[str, str]]:
        data = self.get("/api/v1/series", [("match[]", selector), ("start", f"{start:.3f}"), ("end", f"{end:.3f}")])
        # Each series a mapping of label names to values; anything else a server sent is no series.
        return [
            {str(k): str(v) for k, v in s.items()}
            for s in (data if isinstance(data, list) else [])
            if isinstance(s, dict)
        ]

    def metric_type(self, name: str) -> str | None:
        data = self.get("/api/v1/metadata", [("metric", name)])
        entries = data.get(name) if isinstance(data, dict) else None
        types = {e.get("type") for e in (entries if isinstance(entries, list) else ()) if isinstance(e, dict)}
        found = types.pop() if len(types) == 1 else None
        return found if isinstance(found, str) else None


def selectors(query: str) -> list[str]:
    """The series selectors a query reads: the query itself when it is a plain selector,
    else each range selector of a templated expression."""
    from slospec.slo.queries import WINDOW_PLACEHOLDER, is_template

    if not is_template(query):
        return [query.strip()]
    return [
        m.group(1) + (m.group(2) or "") for m in _RANGE_SELECTOR_RE.finditer(query.replace(WINDOW_PLACEHOLDER, "5m"))
    ]


def metric_name(selector: str) -> str | None:
    match = _NAME_RE.match(selector)
    return match.group(1) if match else None


def _with_suffix(selector: str, suffix: str) -> str:
    name = metric_name(selector)
    return selector if name is None else selector.replace(name, name + suffix, 1)


def _matched_labels(selector: str) -> set[str]:
    return set(re.findall(r"([A-Za-z_][A-Za-z0-9_]*)\s*(?:=~|!~|!=|=)", selector.partition("{")[2]))


def check_spec(spec: Any, client: Client, lookback_seconds: float, now: float | None = None) -> Iterator[Problem]:
    """Every check on every Prometheus SLI of one spec."""
    from slospec.slo import queries

    end = time.time() if now is None else now
    start = end - lookback_seconds
    found: dict[str, list[dict[str, str]]] = {}

    def series_of(selector: str) -> list[dict[str, str]]:
        if selector not in found:
            found[selector] = client.series(selector, start, end)
        return found[selector]

    for sli in spec.slis:
        if not queries.is_prometheus(sli):
            continue
        for pointer, role, query in queries.fields(sli):
            for selector in selectors(query):
                wanted = _with_suffix(selector, "_bucket") if role == "histogram" else selector
                if not series_of(wanted) and role == "bad" and sli.total and _has_series(sli.total, series_of):
                    yield _no_failures(sli, pointer, wanted, series_of, client.url, lookback_seconds)
                    continue
                if not series_of(wanted):
                    yield Problem(
                        "SLO211",
                        pointer,
                        f"SLI {sli.name!r}: {wanted} matches no series on "
                        f"{client.url} in the last {_hours(lookback_seconds)}; check the metric "
                        "name and the label values",
                    )
                    continue
                if role in ("good", "bad", "total", "histogram"):
                    yield from _counter(sli, pointer, selector, role, client)
        if sli.kind == "latency" and sli.histogram and sli.threshold is not None:
            buckets = series_of(_with_suffix(sli.histogram, "_bucket"))
            if buckets:
                yield from _bucket(sli, buckets)
        if sli.kind == "ratio" and sli.total and not queries.is_template(sli.total):
            part_role = "bad" if sli.bad else "good"
            part = getattr(sli, part_role)
            if part and not queries.is_template(part):
                yield from _population(sli, part_role, part, series_of(part), series_of(sli.total))


def _has_series(query: str, series_of: Any) -> bool:
    return any(series_of(selector) for selector in selectors(query))


def _no_failures(sli: Any, pointer: Pointer, wanted: str, series_of: Any, url: str, lookback: float) -> Problem:
    """A bad-events selector without series while the total has some: nothing has failed, the
    normal state (the rules count it as 0 errors). Said as information, or as a warning when
    not even the metric exists (a counter created on the first failure, or a typo)."""
    name = metric_name(wanted)
    if name is None or series_of(name):
        return Problem(
            "SLO211",
            pointer,
            f"SLI {sli.name!r}: {wanted} matches no series on {url} in the last {_hours(lookback)}, while the "
            "total has series: no event failed (the rules count 0 errors until one does)",
            "info",
        )
    return Problem(
        "SLO211",
        pointer,
        f"SLI {sli.name!r}: no metric {name} exists on {url} in the last {_hours(lookback)}, while the total has "
        "series: fine if it is created on the first failure (the rules count 0 errors until then); otherwise "
        "check the metric name",
        "warning",
    )


def _counter(sli: Any, pointer: Pointer, selector: str, role: str, client: Client) -> Iterator[Problem]:
    name = metric_name(selector)
    if name is None:
        return
    kind = client.metric_type(name)
    if kind is None:
        for suffix in ("_bucket", "_count", "_sum", "_total"):
            if name.endswith(suffix):
                kind = client.metric_type(name[: -len(suffix)])
                break
    if kind is None or kind in COUNTER_TYPES or kind == "unknown":
        return  # no metadata (federation, remote write, backfill): nothing to judge
    yield Problem(
        "SLO212",
        pointer,
        f"SLI {sli.name!r}: {name} is a {kind} on the server, but slospec "
        f"takes rate() of the {role} selector; count events with a counter (or a histogram)",
    )


def _bucket(sli: Any, buckets: list[dict[str, str]]) -> Iterator[Problem]:
    bounds = set()
    for labels in buckets:
        try:
            bound = Decimal(labels.get("le", ""))
        except InvalidOperation:
            continue  # +Inf and odd values are no thresholds
        if bound.is_finite() and -30 <= bound.adjusted() <= 30:  # a server's 1e999999 is no bucket
            bounds.add(bound)
    threshold = sli.threshold.seconds
    if bounds and threshold not in bounds:
        listed = ", ".join(_seconds(b) for b in sorted(b for b in bounds if b.is_finite()))
        yield Problem(
            "SLO207",
            sli.body_pointer + ("threshold",),
            f"SLI {sli.name!r}: the threshold {sli.threshold} is not a bucket of {sli.histogram} on "
            f"the server (le: {listed}); choose one of them or add a bucket at {_seconds(threshold)}",
        )


def _population(sli: Any, role: str, part: str, part_series: list, total_series: list) -> Iterator[Problem]:
    if not part_series or not total_series:
        return
    # The labels that tell the outcome (code="5..") are the part's own; every other label
    # both sides carry must say the part's series are among the total's.
    own = _matched_labels(part) - _matched_labels(sli.total)
    shared = set.intersection(*(set(s) for s in part_series + total_series)) - own - {"__name__", "le"}
    if not shared:
        return
    keys = sorted(shared)
    totals = {tuple(s.get(k) for k in keys) for s in total_series}
    outside = sorted({tuple(s.get(k) for k in keys) for s in part_series} - totals)
    if outside:
        example = ", ".join(f'{k}="{v}"' for k, v in zip(keys, outside[0], strict=True))
        yield Problem(
            "SLO213",
            sli.body_pointer + (role,),
            f"SLI {sli.name!r}: {len(outside)} series of the {role} selector have no counterpart in "
            f"the total ({example}); {role} events must be counted among the total's, so select "
            "the same population on both sides",
        )


def _seconds(value: Decimal) -> str:
    from slospec.specmodel.quantities import Duration

    return str(Duration.of(value))


def _hours(seconds: float) -> str:
    from slospec.specmodel.quantities import Duration

    return str(Duration.of(Decimal(int(seconds))))
