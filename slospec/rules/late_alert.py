"""An alert that fires only after a large share of the budget is gone.

## What it does
Computes the share of the window's budget consumed when a declared tier fires at its threshold,
`b* x w_L / W`, and warns above 10 % for page tiers (option `max-page-share`) and above
50 % for ticket tiers (option `max-ticket-share`). Derived (default) tiers keep within
both limits by construction. An SLI nobody should be paged for (tickets answered by people,
a batch report) is better without burn-rate alerts at all: `alerting: {policy: none}`.

## Why is this bad?
A page is for "act now before the objective is lost". If the first page comes after 30 %
of the month's budget is gone, a second incident that month breaks the SLO before anyone
was woken for the first. Sloth's 7-day example ticket tier fires at 42 %.

## Example
```yaml
apiVersion: slospec/v1
service:
  name: checkout
  owner: team-checkout
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
    alerting:
      tiers:
        - severity: page
          longWindow: 1d
          shortWindow: 2h
          burnRate: 6
```

## Use instead
```yaml
apiVersion: slospec/v1
service:
  name: checkout
  owner: team-checkout
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
    alerting:
      tiers:
        - severity: page
          longWindow: 6h
          shortWindow: 30m
          burnRate: 6
```

## Options
- `max-page-share` (number, default `0.1`)
- `max-ticket-share` (number, default `0.5`)

## References
- Google SRE Workbook, ch.5, Table 5-8 (2 %, 5 % for pages; 10 % for tickets)
- Chapter online: https://sre.google/workbook/alerting-on-slos/
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from slospec.diagnostics import Finding
from slospec.rules.base import Context, rule
from slospec.slo.alerting import declared_tiers, tier_label, tier_pointer
from slospec.specmodel.model import SLO, Spec
from slospec.specmodel.quantities import format_percent


@rule(
    "SLO304",
    "late-alert",
    severity="warning",
    options={"max-page-share": Decimal("0.1"), "max-ticket-share": Decimal("0.5")},
)
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    for slo in spec.slos:
        yield from _check_slo(spec, slo, ctx)


def _check_slo(spec: Spec, slo: SLO, ctx: Context) -> Iterator[Finding]:
    window = slo.window.length
    limits = {
        "page": Decimal(str(ctx.options["max-page-share"])),
        "ticket": Decimal(str(ctx.options["max-ticket-share"])),
    }
    for tier in declared_tiers(slo, ctx.facts):
        share = tier.budget_fraction(window)
        if share > limits[tier.severity]:
            yield Finding(
                tier_pointer(slo, tier),
                f"{tier_label(slo, tier)} fires only after {format_percent((share * 100).quantize(Decimal('0.1')))} "
                f"of the {slo.window.phrase} budget is spent (limit for {tier.severity} tiers: "
                f"{format_percent(limits[tier.severity] * 100)}); shorten the long window or lower the burn rate, "
                "or write alerting: {policy: none} if nobody should be alerted on this SLI",
            )
