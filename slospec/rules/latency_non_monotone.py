"""Latency objectives on one histogram where a tighter threshold has a higher target.

## What it does
Groups the SLOs on latency SLIs by histogram (same metric and labels) and reports a pair
where the faster threshold has the higher target: `T1 < T2` but `target1 > target2`.

## Why is this bad?
Every request faster than 100 ms is also faster than 300 ms, so the share under 300 ms can
never be smaller than the share under 100 ms. Promising 99 % under 100 ms and 95 % under
300 ms is contradictory; usually the targets or thresholds were swapped. The multi-threshold
form of the SRE book grows both together: 90 % under 1 ms, 99 % under 10 ms, 99.9 % under
100 ms.

## Example
```yaml
apiVersion: slospec/v1
service:
  name: search
slis:
  - name: fast
    latency:
      histogram: http_request_duration_seconds{job="search"}
      threshold: 100ms
  - name: acceptable
    latency:
      histogram: http_request_duration_seconds{job="search"}
      threshold: 300ms
slos:
  - name: mostly-fast
    sli: fast
    target: 99%
    window: 28d
  - name: nearly-all-acceptable
    sli: acceptable
    target: 95%
    window: 28d
```

## Use instead
```yaml
apiVersion: slospec/v1
service:
  name: search
slis:
  - name: fast
    latency:
      histogram: http_request_duration_seconds{job="search"}
      threshold: 100ms
  - name: acceptable
    latency:
      histogram: http_request_duration_seconds{job="search"}
      threshold: 300ms
slos:
  - name: mostly-fast
    sli: fast
    target: 95%
    window: 28d
  - name: nearly-all-acceptable
    sli: acceptable
    target: 99%
    window: 28d
```

## Options
None.

## References
- Google SRE book, ch.4 "Service Level Objectives" (multi-threshold latency targets)
- Chapter online: https://sre.google/sre-book/service-level-objectives/
"""

from __future__ import annotations

from collections.abc import Iterator

from slospec.diagnostics import Finding, pointer_text
from slospec.rules.base import Context, looks_like_ratio, rule
from slospec.specmodel.model import SLO, Spec
from slospec.specmodel.quantities import Duration, readable_percent


@rule("SLO206", "latency-non-monotone", severity="error")
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    groups: dict[str, list[tuple[SLO, Duration]]] = {}
    for slo in spec.slos:
        sli = slo.sli
        if (
            sli is not None
            and sli.kind == "latency"
            and sli.histogram is not None
            and sli.threshold is not None
            and not looks_like_ratio(slo)
        ):
            key = "".join(sli.histogram.split())
            groups.setdefault(key, []).append((slo, sli.threshold))
    for slos in groups.values():
        for faster, fast in slos:
            for slower, slow in slos:
                if fast < slow and faster.target > slower.target:
                    yield Finding(
                        slower.target_pointer,
                        f"SLO {slower.name!r} wants {readable_percent(slower.target)} under "
                        f"{slow}, less than SLO {faster.name!r} "
                        f"({pointer_text(faster.target_pointer)}) wants under the faster "
                        f"{fast} ({readable_percent(faster.target)}): a slower threshold "
                        "always holds for at least as many requests",
                    )
