"""A threshold objective whose value is in another unit than its metric.

## What it does
Reads the metric names of a threshold objective's query (an `uptime` probe with `op` and
`value`, what OpenSLO calls a `thresholdMetric`) and compares the value with the unit the
name declares, as Prometheus naming conventions put it in the suffix:

- a request latency in `_seconds` (`http_request_duration_seconds`, quantiles of its
  `_bucket`) kept below 100 or more: seconds where milliseconds were meant;
- a size in `_bytes` compared with a value under 1024: kilobytes or megabytes written as bytes;
- a `_ratio` compared with a value above 1: a percentage written where a ratio is meant.

## Why is this bad?
The objective is met (or missed) by construction: p95 below 200 *seconds* is true of any
web service, so the SLO never spends budget however slow it gets, and nobody is paged.
OpenSLO, Nobl9 and Prometheus compare the numbers as they are; none of them knows the unit.

## Example
```yaml
apiVersion: slospec/v1
service:
  name: api
slis:
  - name: p95-latency
    uptime:
      probe: histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="api"}[5m])))
      op: lt
      value: 200
```

## Use instead
```yaml
apiVersion: slospec/v1
service:
  name: api
slis:
  - name: p95-latency
    uptime:
      probe: histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="api"}[5m])))
      op: lt
      value: 0.2
```

## Options
None.

## References
- Prometheus, "Metric and label naming" (base units: seconds, bytes, ratios from 0 to 1):
  https://prometheus.io/docs/practices/naming/#base-units
- OpenSLO thresholdMetric objectives (`op`, `value`): https://github.com/OpenSLO/OpenSLO
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from slospec.diagnostics import Finding
from slospec.rules.base import Context, rule
from slospec.specmodel.model import SLI, Spec
from slospec.specmodel.quantities import format_decimal

_NAME = re.compile(r"[A-Za-z_:][A-Za-z0-9_:]*")
# A request's duration: the names that measure requests, not jobs or uptimes.
_REQUEST = re.compile(r"request|http|grpc|rpc|response|latency|server_handling", re.I)


def _units(query: str) -> set[str]:
    """The base units the query's metric names declare (seconds, bytes, ratio)."""
    units = set()
    for name in _NAME.findall(query):
        base = re.sub(r"_(bucket|sum)$", "", name)
        for unit in ("seconds", "bytes", "ratio"):
            if base.endswith("_" + unit):
                units.add(unit if unit != "seconds" or _REQUEST.search(base) else "job-seconds")
    return units


def problem(sli: SLI) -> str | None:
    if sli.kind != "uptime" or sli.op is None or sli.value is None or not sli.probe:
        return None
    value, units = sli.value, _units(sli.probe)
    if len(units) != 1:
        return None  # no unit, or a mix the value cannot be judged against
    (unit,) = units
    shown = format_decimal(value)
    if unit == "seconds" and sli.op in ("lt", "lte") and value >= 100:
        return (
            f"{shown} s ({value / 60:.1f} minutes) for a request latency in seconds; if {shown} "
            f"milliseconds was meant, write value: {format_decimal(value / 1000)}"
        )
    if unit == "bytes" and 0 < value < 1024:
        return f"{shown} bytes for a metric in bytes; write the size in bytes (1 MiB is 1048576)"
    if unit == "ratio" and value > 1:
        return f"{shown} for a ratio, which runs from 0 to 1; if {shown} % was meant, write value: {format_decimal(value / 100)}"
    return None


@rule("SLO214", "threshold-unit-mismatch", severity="warning")
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    for sli in spec.slis:
        found = problem(sli)
        if found:
            yield Finding(sli.body_pointer + ("value",), f"SLI {sli.name!r} threshold: {found}")
