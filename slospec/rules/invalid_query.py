"""A Prometheus query that does not parse, or a templated query without `{{window}}`.

## What it does
Parses every Prometheus query of an SLI (`ratio.good`/`bad`/`total`, `latency.histogram`,
`uptime.probe`) with a real PromQL parser. A query is either a counter selector
(`http_requests_total{job="api"}`, which slospec wraps in `sum(rate(...[window]))`) or a full
expression with `{{window}}` where the range goes; an expression with functions or a range
but no `{{window}}` is reported too, because slospec could not put the alert windows in.
SLIs whose `source` is not `prometheus` are skipped.

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

from slospec import queries
from slospec.diagnostics import Finding
from slospec.model import Spec
from slospec.rules.base import Context, rule


# Values without backslashes only: PromQL's escape rules are the parser's business.
_LABEL = r'[A-Za-z_][A-Za-z0-9_]*\s*(?:=~|!~|!=|=)\s*"[^"\\\n]*"'
_SELECTOR = re.compile(r'^\s*[A-Za-z_:][A-Za-z0-9_:]*\s*(?:\{\s*(?:' + _LABEL + r'(?:\s*,\s*' + _LABEL
                       + r')*\s*,?\s*)?\})?\s*$')
_REGEX_MATCHER = re.compile(r'(=~|!~)\s*"([^"]*)"')
_SIMPLE_REGEX = re.compile(r"^[A-Za-z0-9_.*+?|():/ -]*$")
_KEYWORDS = {"sum", "avg", "min", "max", "count", "and", "or", "unless", "by", "without", "on", "ignoring",
             "offset", "bool", "group_left", "group_right", "topk", "bottomk", "quantile", "stddev", "stdvar",
             "count_values", "group", "atan2"}


def _plain_selector(query: str) -> bool:
    """A plain `name{label="value"}` selector is checked here, sparing the parser's import
    (about 9 ms on every lint run); anything else, or any doubt, goes to the real parser."""
    if not _SELECTOR.match(query) or query.split("{")[0].strip() in _KEYWORDS:
        return False
    for _op, pattern in _REGEX_MATCHER.findall(query):
        if not _SIMPLE_REGEX.match(pattern) or "(?" in pattern:
            return False  # where Python's and RE2's regex rules could differ, ask the real parser
        try:
            re.compile(pattern)
        except re.error:
            return False
    return True


def _parse_error(query: str) -> str | None:
    if _plain_selector(query):
        return None
    import promql_parser  # imported only when a query is more than a plain selector

    try:
        promql_parser.parse(query)
    except ValueError as exc:
        return str(exc)
    return None


@rule("SLO006", "invalid-query", severity="error")
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    for sli in spec.slis:
        for pointer, role, query in queries.fields(sli):
            where = f"SLI {sli.name!r} {role} query"
            if queries.is_template(query):
                text = queries.with_window(query, "5m")
            elif queries.looks_like_expression(query):
                yield Finding(pointer, f"{where} is an expression without {{{{window}}}}: put "
                              "{{window}} where the range goes (rate(x[{{window}}])), or give a "
                              "plain counter selector")
                continue
            else:
                text = query
            error = _parse_error(text)
            if error is not None:
                yield Finding(pointer, f"{where} does not parse as PromQL: {error}")
