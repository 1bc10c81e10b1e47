"""Which fields of an SLI hold Prometheus queries (the PromQL itself is slospec.promql's job)."""

from __future__ import annotations

from collections.abc import Iterator

from slospec.diagnostics import Pointer
from slospec.model import SLI
from slospec.promql import WINDOW as WINDOW_PLACEHOLDER
from slospec.promql import is_template, with_window

__all__ = ["WINDOW_PLACEHOLDER", "fields", "is_prometheus", "is_template", "with_window"]


def is_prometheus(sli: SLI) -> bool:
    return sli.source.lower() == "prometheus"


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
