"""A target below 90 % (option `min-target`), or a ratio written where a percentage belongs.

## What it does
Reports an SLO whose target is 1 or less (almost always a ratio such as `0.999` written
where slospec expects percent, `99.9%`), and an SLO on a request or uptime SLI whose target
is below `min-target` (default 90 %).

SLIs of kind `events` (tickets, batch jobs) and `latency` are exempt from `min-target`:
business commitments like "80 % of tickets answered within 4 hours" and percentile
objectives like "90 % of requests within 300 ms" (the workbook's own latency classes) are
normal there.

**One root cause, one finding.** A target that looks like a ratio is reported here, once,
on its line. Every other rule that reads the target (budgets, alert tiers, SLA margins,
dependencies) stays silent about such an SLO or SLA: its findings would only be
consequences of the slip, and they disappear with the fix. In the same spirit, findings
about a target are always reported on the `target:` (or `allowedDowntime:`) line, so that a
`# slospec: disable=` comment belongs there.

## Why is this bad?
`target: 0.999` means 0.999 %, a service that may fail 99 % of the time. OpenSLO and many
tools use ratios while slospec (like Pyrra) uses percent, so the slip is common. A request
SLO below 90 % does not describe a service anyone relies on, and the workbook's fast-burn
alerts cannot fire at such targets (a 14.4x burn needs a target above 93.06 %; slospec's
default tiers use lower burn rates there).

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
    sli: requests
    target: 0.999
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
- `min-target` (percent, default `90`): the lowest target accepted for request, latency
  and uptime SLIs.

## References
- Pyrra warns "target is from 0-100, not 0-1" (servicelevelobjective_types.go)
- Google SRE Workbook, ch.5, "Extreme Availability Goals" (90 % targets cannot page)
- Pyrra: https://github.com/pyrra-dev/pyrra
- The Workbook chapter online: https://sre.google/workbook/alerting-on-slos/
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from slospec.diagnostics import Finding, Pointer
from slospec.rules.base import Context, looks_like_ratio, rule
from slospec.specmodel.model import Spec
from slospec.specmodel.quantities import format_decimal, format_percent


@rule("SLO103", "implausible-target", severity="warning", options={"min-target": Decimal(90)})
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    limit = Decimal(str(ctx.options["min-target"]))
    for slo in spec.slos:
        if slo.allowed_downtime is not None:
            continue
        if looks_like_ratio(slo):
            yield Finding(
                slo.target_pointer,
                f"SLO {slo.name!r} targets {format_percent(slo.target)}; targets are percentages, "
                f"so this looks like a ratio: write {format_decimal(slo.target * 100)}% instead",
                fix=_fix(spec, slo.target_pointer, slo.target),
            )
        elif slo.target < limit and (slo.sli is None or slo.sli.kind not in ("events", "latency")):
            yield Finding(
                slo.target_pointer,
                f"SLO {slo.name!r} targets {format_percent(slo.target)}, below "
                f"{format_percent(limit)}: a service failing this often is rarely relied on; "
                "set the target the service is held to",
            )
    for sla in spec.slas:
        if looks_like_ratio(sla):
            yield Finding(
                sla.pointer + ("target",),
                f"SLA {sla.name!r} promises {format_percent(sla.target)}; targets are percentages, "
                f"so this looks like a ratio: write {format_decimal(sla.target * 100)}% instead",
                fix=_fix(spec, sla.pointer + ("target",), sla.target),
            )


def _fix(spec: Spec, pointer: Pointer, target: Decimal) -> str | None:
    """`0.995` -> `99.5%`; only for a bare number: `0.5%` says percent, so it has no one right fix."""
    value: Any = spec.data
    for part in pointer:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return None
    if isinstance(value, bool) or "%" in str(value):
        return None
    return f"{format_decimal(target * 100)}%"
