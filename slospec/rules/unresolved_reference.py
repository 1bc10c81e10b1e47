"""An SLO, SLA or alert names an object that does not exist.

## What it does
Checks that every `sli:` of an SLO, and every `slo:` and `sli:` of an SLA, names an object
defined in the same spec (for OpenSLO files: across all files linted together).

## Why is this bad?
A dangling reference makes the objective unmeasurable: compilers cannot generate rules for
it, and readers cannot tell what was meant. It is usually a typo or a rename that missed a
spot.

## Example
```yaml
apiVersion: slospec/v1
service:
  name: checkout
slis:
  - name: requests
    ratio:
      bad: http_requests_total{job="checkout",code=~"5.."}
      total: http_requests_total{job="checkout"}
slos:
  - name: availability
    sli: request
    target: 99.9%
    window: 28d
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
slos:
  - name: availability
    sli: requests
    target: 99.9%
    window: 28d
```

## Options
None.

## References
- OpenSLO go-sdk: `indicatorRef`, `alertPolicyRef` and `targetRef` must resolve
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from slospec.diagnostics import Finding
from slospec.model import Spec
from slospec.rules.base import Context, rule


def _missing(kind: str, wanted: str, known: list[str]) -> str:
    message = f"{kind} {wanted!r} is not defined"
    close = difflib.get_close_matches(wanted, known, n=1)
    if close:
        return f"{message}; did you mean {close[0]!r}?"
    if known:
        return f"{message}; defined {kind}s: {', '.join(sorted(known))}"
    return f"{message}; the spec defines no {kind}s"


@rule("SLO004", "unresolved-reference", severity="error")
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    sli_names = [s.name for s in spec.slis]
    slo_names = [s.name for s in spec.slos]
    for slo in spec.slos:
        if slo.sli is None:
            yield Finding(slo.pointer + ("sli",), f"SLO {slo.name!r}: " + _missing("SLI", slo.sli_name, sli_names))
    for sla in spec.slas:
        if sla.slo_name is not None and sla.slo is None:
            yield Finding(sla.pointer + ("slo",), f"SLA {sla.name!r}: " + _missing("SLO", sla.slo_name, slo_names))
        if sla.sli_name is not None and sla.sli is None and (sla.slo is not None or sla.slo_name is None):
            yield Finding(sla.pointer + ("sli",), f"SLA {sla.name!r}: " + _missing("SLI", sla.sli_name, sli_names))
