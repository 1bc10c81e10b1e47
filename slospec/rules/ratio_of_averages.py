"""A query that averages ratios or aggregates quantiles.

## What it does
Looks inside each Prometheus query of an SLI for an average taken over a ratio
(`avg(rate(errors[5m]) / rate(requests[5m]))`, `avg_over_time(error_ratio[1h])` of a
division) and for quantiles that are aggregated (`avg(histogram_quantile(...))`,
`sum(...{quantile="0.99"})`).

## Why is this bad?
The average of per-instance ratios is not the ratio of the totals: an idle instance with
one failed request counts as much as a busy one with a million good ones. Quantiles do not
aggregate either: the mean of two p99s is not the p99 of the traffic. Aggregate the
numerator and the denominator first, then divide; compute latency SLIs from histogram
bucket counts.

## Example
```yaml
apiVersion: slospec/v1
service:
  name: checkout
slis:
  - name: requests
    ratio:
      bad: avg(rate(http_requests_total{job="checkout",code=~"5.."}[{{window}}]) / rate(http_requests_total{job="checkout"}[{{window}}]))
      total: vector(1)
```

## Use instead
```yaml
apiVersion: slospec/v1
service:
  name: checkout
slis:
  - name: requests
    ratio:
      bad: http_requests_total{job="checkout",code=~"5.."}
      total: http_requests_total{job="checkout"}
```

## Options
None.

## References
- Prometheus documentation, "Histograms and summaries" (quantiles cannot be aggregated)
- Sloth `optimizedSLIRecordGenerator` comment on time-weighted vs event-weighted ratios
- Online: https://prometheus.io/docs/practices/histograms/
- Sloth: https://github.com/slok/sloth
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from slospec.diagnostics import Finding
from slospec.rules.base import Context, rule
from slospec.slo import queries
from slospec.specmodel.model import Spec

_AVERAGE = re.compile(r"\b(avg|avg_over_time)\s*(?:(?:by|without)\s*\([^)]*\)\s*)?\(")
_AGGREGATE = re.compile(r"\b(sum|avg|min|max)\s*(?:(?:by|without)\s*\([^)]*\)\s*)?\(")
_QUANTILE = re.compile(r"histogram_quantile\s*\(|quantile\s*=~?\s*\"")


def _argument(text: str, start: int) -> str:
    """The text inside the parenthesis that opens just before `start`."""
    depth = 1
    for index in range(start, len(text)):
        if text[index] == "(":
            depth += 1
        elif text[index] == ")":
            depth -= 1
            if depth == 0:
                return text[start:index]
    return text[start:]


def problem(query: str) -> str | None:
    for match in _AVERAGE.finditer(query):
        inside = _argument(query, match.end())
        if "/" in inside:
            return f"{match.group(1)}(...) averages a ratio; aggregate numerator and denominator first, then divide"
    for match in _AGGREGATE.finditer(query):
        inside = _argument(query, match.end())
        if _QUANTILE.search(inside):
            return f"{match.group(1)}(...) aggregates quantiles, which do not add up; use histogram bucket counts"
    return None


@rule("SLO405", "ratio-of-averages", severity="warning")
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    for sli in spec.slis:
        for pointer, role, query in queries.fields(sli):
            found = problem(query)
            if found:
                yield Finding(pointer, f"SLI {sli.name!r} {role} query: {found}")
