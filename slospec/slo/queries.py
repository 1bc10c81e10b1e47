"""Which fields of an SLI hold Prometheus queries (the PromQL itself is slospec.slo.promql's job)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from slospec.diagnostics import Pointer
from slospec.slo.promql import WINDOW as WINDOW_PLACEHOLDER
from slospec.slo.promql import is_template, with_window
from slospec.specmodel.model import SLI

__all__ = ["WINDOW_PLACEHOLDER", "fields", "is_constant_total", "is_prometheus", "is_template", "with_window"]


def is_prometheus(sli: SLI) -> bool:
    return sli.source.lower() == "prometheus"


# A raw error ratio (Sloth `raw`, slo-generator `query_sli`) is imported as a ratio over this
# constant total; back ends use the ratio as it is instead of dividing by a rate.
CONSTANT_TOTAL_RE = re.compile(r"^\s*vector\(\s*1\s*\)\s*$")


def is_constant_total(query: str | None) -> bool:
    return query is not None and bool(CONSTANT_TOTAL_RE.match(query))


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


def off_bucket(sli: SLI) -> str | None:
    """Why a latency SLI's threshold cannot be read from its histogram, or None.

    A spec that declares its histogram's `buckets` says which `le` series exist; a threshold
    between them selects a bucket that does not, so every query built on it counts no request
    as good (an error ratio of 1, pages on healthy traffic). Back ends refuse such an SLI
    rather than guess a bucket."""
    if sli.kind != "latency" or sli.native or not sli.buckets or sli.threshold is None:
        return None  # a native histogram has no `le` series: histogram_fraction reads any threshold
    if sli.threshold in sli.buckets:
        return None
    bounds = ", ".join(str(b) for b in sorted(sli.buckets, key=lambda b: b.seconds))
    below = [b for b in sli.buckets if b.seconds <= sli.threshold.seconds]
    if below:
        nearest = max(below, key=lambda b: b.seconds)
        advice = (
            f"write `threshold: {nearest}` (the nearest declared bucket at or below) or add a {sli.threshold} bucket"
        )
    else:
        advice = f"add a {sli.threshold} bucket (no declared bucket is at or below it)"
    return (
        f"its latency threshold {sli.threshold} is not one of the declared buckets ({bounds}), so no request "
        f"would count as good; {advice}"
    )
