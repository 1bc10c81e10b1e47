"""A "pXX under T" requirement whose target is not XX % and that is not budgeted in slices.

## What it does
For latency SLIs declared with a `percentile` (the requirement was "p95 under 200 ms"),
reports an SLO whose target differs from that percentile unless the SLO is budgeted in time
slices.

## Why is this bad?
"p95 under 200 ms" over a window is the same statement as "95 % of requests under 200 ms"
only when counted as a ratio of requests. A target of 99.9 % on top of "p95" mixes two
percentiles: it only means something as "99.9 % of minutes have a p95 under 200 ms", which
is a time-slice objective. Otherwise the number people read is not the number measured.

## Example
```yaml
apiVersion: slospec/v1
service:
  name: search
slis:
  - name: p95-fast
    latency:
      histogram: http_request_duration_seconds{job="search"}
      threshold: 200ms
      percentile: 95
slos:
  - name: latency
    sli: p95-fast
    target: 99.9%
    window: 28d
```

## Use instead
```yaml
apiVersion: slospec/v1
service:
  name: search
slis:
  - name: p95-fast
    latency:
      histogram: http_request_duration_seconds{job="search"}
      threshold: 200ms
      percentile: 95
slos:
  - name: latency
    sli: p95-fast
    target: 95%
    window: 28d
```

## Options
None.

## References
- Google SRE Workbook, ch.2 "Implementing SLOs" (latency SLIs as a proportion of requests)
- OpenSLO v1: thresholdMetric with Timeslices budgeting
- Online: https://sre.google/workbook/implementing-slos/
- OpenSLO specification: https://github.com/OpenSLO/OpenSLO
- Prometheus, "Histograms and summaries": https://prometheus.io/docs/practices/histograms/
"""

from __future__ import annotations

from collections.abc import Iterator

from slospec.diagnostics import Finding
from slospec.rules.base import Context, looks_like_ratio, rule
from slospec.specmodel.model import Spec
from slospec.specmodel.quantities import format_decimal, readable_percent


@rule("SLO208", "percentile-target-mismatch", severity="warning")
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    for slo in spec.slos:
        sli = slo.sli
        if (
            sli is None
            or sli.kind != "latency"
            or sli.percentile is None
            or slo.budgeting.timeslices
            or looks_like_ratio(slo)
        ):
            continue
        if slo.target != sli.percentile:
            p = format_decimal(sli.percentile)
            yield Finding(
                slo.target_pointer,
                f"SLO {slo.name!r} targets {readable_percent(slo.target)} of requests on SLI "
                f"{sli.name!r}, which states p{p} under {sli.threshold}: use target {p}%, or "
                "budget in time slices to mean that share of slices meet the p"
                f"{p}",
            )
