"""A Prometheus query that does not parse, or that would compile to rules Prometheus rejects.

## What it does
Parses every Prometheus query of an SLI (`ratio.good`/`bad`/`total`, `latency.histogram`,
`uptime.probe`) with a real PromQL parser, in the form slospec generates from it. A query is
either a metric selector (`http_requests_total{job="api",code=~"5[0-9]{2}"}`, which slospec
wraps in `sum(rate(...[window]))`) or a full expression with `{{window}}` where the range goes.
Any other expression (`a unless b`, `label_replace(...)`, `rate(x[5m])`) is reported, because
the rules slospec would build from it do not load. An `uptime.probe` may also be any
expression (an OpenSLO `thresholdMetric` query, with or without `op`/`value`): slospec
averages it over each window as a subquery, so it only has to parse. So is a `#` outside a
quoted string reported (a PromQL comment: slospec writes the query into longer one-line
expressions, and the comment swallows the rest of each), and a query that is the window
alone (Sloth's raw `"{{.window}}"`: a duration is no expression). SLIs whose `source` is
not `prometheus` are skipped. A `latency.histogram` must name the histogram
(`http_request_duration_seconds`), not its bucket series: `http_request_duration_seconds_bucket`
(as Pyrra writes it) is reported with the name to write, since slospec adds `_bucket` and
`_count` itself.

On OpenSLO files the queries belong to other tools too: `{{window}}` is never required, and
only a query whose data source is explicitly Prometheus (its `type`, or the `type` of the
DataSource it names) is parsed as PromQL; Nobl9's `promql:` key is read as the query text.

## Why is this bad?
A query that does not parse makes every generated recording rule fail to load, and
Prometheus then evaluates nothing: no SLI, no burn rate, no alert, and no error until
someone looks. `rate(x[1M])` is a classic: Prometheus has no month unit.

## Example
```yaml
apiVersion: slospec/v1
service:
  name: checkout
slis:
  - name: requests
    ratio:
      bad: sum(rate(http_requests_total{job="checkout",code=~"5.."}[5m])
      total: http_requests_total{job="checkout"
```

## Use instead
```yaml
apiVersion: slospec/v1
service:
  name: checkout
slis:
  - name: requests
    ratio:
      bad: sum(rate(http_requests_total{job="checkout",code=~"5.."}[{{window}}]))
      total: http_requests_total{job="checkout"}
```

## Options
None.

## References
- Prometheus querying basics (selectors, range vectors, durations)
- Online: https://prometheus.io/docs/prometheus/latest/querying/basics/ (Prometheus has no month
  unit: `[1M]` is a syntax error)
- promtool: https://prometheus.io/docs/prometheus/latest/configuration/recording_rules/
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from slospec.diagnostics import Finding
from slospec.rules.base import Context, rule
from slospec.slo import promql, queries
from slospec.specmodel.model import Spec

# How slospec uses each query in a rule: the generated text must parse in that place.
_CONTEXT = {"good": "{} or vector(0)", "bad": "{} or vector(0)", "total": "{} > 0", "probe": "1 - {}"}


def _plain_selector(query: str) -> bool:
    """A plain `name{label="value"}` selector is checked without importing the parser
    (about 9 ms of every lint run); anything else, or any doubt, goes to the real parser."""
    return promql.plain_selector(query) is not None


def _native_problem(role: str, query: str) -> str | None:
    w = promql.CHECK_WINDOW
    if "#" in query:
        comment = _comment_problem(query)
        if comment is not None:
            return comment
    if role == "histogram" or not promql.is_template(query):
        if _plain_selector(query):
            return _histogram_series(query) if role == "histogram" else None
        if role == "probe":
            # A probe expression (an OpenSLO thresholdMetric query) is averaged over each window
            # as it is (a subquery): it only has to parse.
            error = promql.parse_error(query)
            return None if error is None else f"does not parse as PromQL: {error}"
        error = promql.parse_error(query)
        if error is not None:
            return f"does not parse as PromQL: {error}"
        try:
            promql.selector(query)
        except promql.PromQLError as exc:
            if role == "histogram":
                return f"must be a histogram's metric name with optional {{labels}}: {exc}"
            return (
                f"is an expression without {{{{window}}}}: {exc}; put {{{{window}}}} where the range "
                "goes (sum(rate(x[{{window}}]))), or give a plain metric selector"
            )
        return _histogram_series(query) if role == "histogram" else None
    error = promql.parse_error(promql.with_window(query, w))
    if error is not None:
        return f"does not parse as PromQL: {error}"
    generated = _CONTEXT[role].format(promql.rate_sum(query, w))
    error = promql.parse_error(generated)
    if error is not None:
        return f"compiles to `{generated}`, which Prometheus rejects: {error}"
    return None


_SERIES_SUFFIXES = ("_bucket",)  # `_count`, `_sum`: histograms of counts or sums exist (`batch_size_count`)


def _histogram_series(query: str) -> str | None:
    """A histogram named by one of its series (`x_bucket`, as Pyrra writes it): slospec adds
    `_bucket` and `_count` itself, so the rules would read `x_bucket_bucket`, which never exists."""
    name = promql.selector(query).name
    suffix = next((s for s in _SERIES_SUFFIXES if name.endswith(s) and len(name) > len(s)), None)
    if suffix is None:
        return None
    base = name[: -len(suffix)]
    return (
        f"names the series `{name}`, not the histogram: slospec adds `_bucket` and `_count` itself, so the "
        f"rules would read `{base}{suffix}_bucket` and `{base}{suffix}_count`, which never exist; "
        f"write `{query.replace(name, base, 1)}`"
    )


def _comment_problem(query: str) -> str | None:
    """A `#` outside a string starts a PromQL comment: slospec writes each query into longer
    expressions on one line (`sum(rate(q[5m]))`), so the comment swallows the rest of them."""
    quote = None
    i = 0
    while i < len(query):
        char = query[i]
        if quote is not None:
            if char == "\\" and quote != "`":
                i += 1
            elif char == quote:
                quote = None
        elif char in "\"'`":
            quote = char
        elif char == "#":
            return (
                f"holds a `#` comment ({query[i : i + 30].strip()!r}): every expression slospec builds "
                "from the query would be commented out from there on, and Prometheus rejects the rules; "
                "remove the comment"
            )
        i += 1
    return None


# A duration and nothing else: what `{{window}}` alone becomes (Sloth's raw `{{.window}}`).
_DURATION_ALONE = re.compile(r"^\s*\(*\s*[0-9]+(?:ms|[smhdwy])(?:[0-9]+(?:ms|[smhdwy]))*\s*\)*\s*$")


def _parse_problem(query: str) -> str | None:
    """The query only has to parse (with a window where `{{window}}` is)."""
    comment = _comment_problem(query)
    if comment is not None:
        return comment
    expression = promql.with_window(query, promql.CHECK_WINDOW)
    if _DURATION_ALONE.match(expression):
        return (
            "is a window and nothing else: a duration is no expression (promtool rejects it); put "
            "the window inside a range of a selector, such as rate(errors[{{window}}])"
        )
    error = promql.parse_error(expression)
    return None if error is None else f"does not parse as PromQL: {error}"


@rule("SLO006", "invalid-query", severity="error")
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    for sli in spec.slis:
        # A raw ratio (Sloth `raw`, slo-generator `query_sli`) is imported over the constant
        # total `vector(1)`, which nobody wrote; the ratio itself is used as an expression.
        raw = sli.kind == "ratio" and queries.is_constant_total(sli.total)
        for pointer, role, query in queries.fields(sli):
            if raw and role == "total":
                continue
            if spec.origin == "openslo" or raw:
                problem = _parse_problem(query)
            else:
                problem = _native_problem(role, query)
            if problem is not None:
                yield Finding(pointer, f"SLI {sli.name!r} {role} query {problem}")
