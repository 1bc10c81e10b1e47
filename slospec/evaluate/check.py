"""`slospec check --prometheus`: the Prometheus API as the live rules ask it (series, metric
types), and the run of those rules (SLO207, SLO211-SLO213) over a spec."""

from __future__ import annotations

import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from slospec.diagnostics import Finding
from slospec.errors import SlospecError


class LiveError(SlospecError):
    """The server could not be asked (connection, HTTP status, API error): exit status 2."""


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


class Server:
    """The live server as the SLO2xx rules ask it (rules.base.LiveServer): each selector's
    series within the lookback and each metric's type, asked once per run."""

    def __init__(self, client: Client, lookback_seconds: float, now: float | None = None) -> None:
        from slospec.specmodel.quantities import Duration

        self.end = time.time() if now is None else now
        self.start = self.end - lookback_seconds
        self.client = client
        self.url = client.url
        self.lookback = str(Duration.of(Decimal(int(lookback_seconds))))
        self._series: dict[str, list[dict[str, str]]] = {}
        self._types: dict[str, str | None] = {}

    def series(self, selector: str) -> list[dict[str, str]]:
        if selector not in self._series:
            self._series[selector] = self.client.series(selector, self.start, self.end)
        return self._series[selector]

    def metric_type(self, name: str) -> str | None:
        if name not in self._types:
            self._types[name] = self.client.metric_type(name)
        return self._types[name]


def check_spec(spec: Any, server: Server) -> Iterator[tuple[str, Finding]]:
    """(rule code, finding) for every rule judged against the live server, on one spec: the
    rules hold their own logic (rules/metric_not_found.py, not_a_counter.py,
    population_mismatch.py, latency_threshold_not_bucket.py); this only asks them."""
    from slospec.rules import registry

    for code, rule in registry().items():
        if rule.check_live is not None:
            for finding in rule.check_live(spec, server):
                yield code, finding
