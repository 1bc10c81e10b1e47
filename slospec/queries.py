"""Prometheus query text of an SLI: which fields hold queries, and how a window is put in."""

from __future__ import annotations

import re
from collections.abc import Iterator

from slospec.diagnostics import Pointer
from slospec.model import SLI

WINDOW_PLACEHOLDER = "{{window}}"
# Text that only makes sense in a full expression (a function call or a range selector):
# without {{window}} such a query cannot be wrapped in rate(...[w]).
_EXPRESSION_RE = re.compile(r"\b(?:rate|irate|increase|sum|avg|count|histogram_quantile|_over_time)\s*\(|\[[^\]]*\]")


def is_prometheus(sli: SLI) -> bool:
    return sli.source.lower() == "prometheus"


def is_template(query: str) -> bool:
    """A full expression with {{window}} where the range goes (else: a counter selector)."""
    return WINDOW_PLACEHOLDER in query


# issue 19: a raw error ratio (Sloth `raw`, slo-generator `query_sli`) is imported as a ratio over
# this constant total; back ends use the ratio as it is instead of dividing by a rate.
CONSTANT_TOTAL_RE = re.compile(r"^\s*vector\(\s*1\s*\)\s*$")


def is_constant_total(query: str | None) -> bool:
    return query is not None and bool(CONSTANT_TOTAL_RE.match(query))


def looks_like_expression(query: str) -> bool:
    return bool(_EXPRESSION_RE.search(query))


def fields(sli: SLI) -> Iterator[tuple[Pointer, str, str]]:
    """(pointer, role, query) for every Prometheus query an SLI holds."""
    if not is_prometheus(sli):
        return
    body = sli.body_pointer
    for role in ("good", "bad", "total"):
        value = getattr(sli, role)
        if value is not None and sli.kind == "ratio":
            yield body + (role,), role, value
    if sli.kind == "latency" and sli.histogram:
        yield body + ("histogram",), "histogram", sli.histogram
    if sli.kind == "uptime" and sli.probe:
        yield body + ("probe",), "probe", sli.probe


def with_window(query: str, window: str) -> str:
    return query.replace(WINDOW_PLACEHOLDER, window)
