"""The SLA and the SLO behind it measure different things.

## What it does
Reports (as information) an SLA whose SLI differs from its backing SLO's SLI, or whose
budgeting method (occurrences vs time slices) differs. With the option
`compare-window-kind = true` it also reports a calendar SLA backed by a rolling SLO (off by
default: a rolling internal SLO behind a calendar-month contract is the usual, recommended
setup).

## Why is this bad?
A request-based SLO cannot warn reliably about a time-based ("monthly uptime") contract:
a 10-minute outage at 3 a.m. barely moves a request ratio but costs ten bad minutes. When
the two measure different things, meeting the SLO says little about meeting the SLA.

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
  - name: probe
    uptime:
      probe: probe_success{job="checkout"}
slos:
  - name: availability
    sli: requests
    target: 99.95%
    window: 28d
slas:
  - name: enterprise
    slo: availability
    sli: probe
    target: 99.9%
    window:
      calendar: month
    budgeting:
      method: timeslices
      slice: 1m
```

## Use instead
```yaml
apiVersion: slospec/v1
service:
  name: checkout
slis:
  - name: probe
    uptime:
      probe: probe_success{job="checkout"}
slos:
  - name: availability
    sli: probe
    target: 99.95%
    window: 28d
    budgeting:
      method: timeslices
      slice: 1m
slas:
  - name: enterprise
    slo: availability
    target: 99.9%
    window:
      calendar: month
    budgeting:
      method: timeslices
      slice: 1m
```

## Options
- `compare-window-kind` (boolean, default `false`): also report calendar vs rolling windows.

## References
- Google SRE book, ch.4 "Service Level Objectives", "Agreements in Practice"
- Online: https://sre.google/sre-book/service-level-objectives/
- Google SRE Workbook, ch.2 "Implementing SLOs" (calendar and rolling windows):
  https://sre.google/workbook/implementing-slos/
"""

from __future__ import annotations

from collections.abc import Iterator

from slospec.diagnostics import Finding
from slospec.rules.base import Context, rule
from slospec.specmodel.model import Spec


@rule("SLO203", "sla-slo-mismatch", severity="info", options={"compare-window-kind": False})
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    for sla in spec.slas:
        slo = sla.slo
        if slo is None:
            continue
        if sla.sli_name and sla.sli_name != slo.sli_name:
            yield Finding(
                sla.pointer + ("sli",),
                f"SLA {sla.name!r} is measured on SLI {sla.sli_name!r} but its SLO "
                f"{slo.name!r} on {slo.sli_name!r}: meeting one says little about the other",
            )
        if sla.budgeting is not None and sla.budgeting.method != slo.budgeting.method:
            yield Finding(
                sla.pointer + ("budgeting",),
                f"SLA {sla.name!r} counts {sla.budgeting.method} but its SLO {slo.name!r} "
                f"counts {slo.budgeting.method}",
            )
        if ctx.options["compare-window-kind"] and sla.window.rolling != slo.window.rolling:
            yield Finding(
                sla.pointer + ("window",),
                f"SLA {sla.name!r} uses {sla.window.phrase} but its SLO {slo.name!r} uses {slo.window.phrase}",
            )
