"""The series a query reads, named as a Prometheus server's series API is asked for them
(`slospec check --prometheus`): selectors, metric names, histogram series, matched labels."""

from __future__ import annotations

import re

# A vector selector inside an expression: a metric name, optional matchers, then a range.
_RANGE_SELECTOR_RE = re.compile(r"([A-Za-z_:][A-Za-z0-9_:]*)\s*(\{[^}]*\})?\s*\[")
_NAME_RE = re.compile(r"^\s*([A-Za-z_:][A-Za-z0-9_:]*)")


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


def with_suffix(selector: str, suffix: str) -> str:
    """`x{job="a"}` as `x_bucket{job="a"}`: a histogram's series."""
    name = metric_name(selector)
    return selector if name is None else selector.replace(name, name + suffix, 1)


def matched_labels(selector: str) -> set[str]:
    return set(re.findall(r"([A-Za-z_][A-Za-z0-9_]*)\s*(?:=~|!~|!=|=)", selector.partition("{")[2]))


def wanted(selector: str, role: str) -> str:
    """The selector the server is asked for: a histogram's `_bucket` series, else the selector."""
    return with_suffix(selector, "_bucket") if role == "histogram" else selector
