"""So little traffic that a single failed request pages.

## What it does
With declared traffic, counts the events expected in the fastest declared page tier's long
window. Fewer than `1 / (b* x B)` means one failure alone pushes the error ratio over the
threshold and pages. Tiers slospec derives when none are declared leave out such a page tier
(the SLO then opens tickets only), so this rule judges declared tiers.

## Why is this bad?
"If a system receives 10 requests per hour, then a single failed request results in an
hourly error rate of 10 %" and pages at once. At 99.9 % the 1h/14.4x tier needs about 70
requests per hour before one failure stops paging someone.

## Example
```yaml
apiVersion: slospec/v1
service:
  name: checkout
  owner: team-checkout
slis:
  - name: requests
    expectedEvents:
      count: 20000
      per: 28d
    ratio:
      bad: http_requests_total{job="checkout",code=~"5.."}
      total: http_requests_total{job="checkout"}
slos:
  - name: availability
    sli: requests
    target: 99.9%
    window: 28d
    alerting:
      runbook: https://runbooks.example.com/checkout
      tiers:
        - severity: page
          longWindow: 1h
          shortWindow: 5m
          burnRate: 14.4
```

## Use instead
```yaml
apiVersion: slospec/v1
service:
  name: checkout
  owner: team-checkout
slis:
  - name: requests
    expectedEvents:
      count: 2000000
      per: 28d
    ratio:
      bad: http_requests_total{job="checkout",code=~"5.."}
      total: http_requests_total{job="checkout"}
slos:
  - name: availability
    sli: requests
    target: 99.9%
    window: 28d
    alerting:
      runbook: https://runbooks.example.com/checkout
      tiers:
        - severity: page
          longWindow: 1h
          shortWindow: 5m
          burnRate: 14.4
```

## Options
None. Operational facts come from `operations` in the spec or `[operations]` in the configuration.

## References
- Google SRE Workbook, ch.5, "Low-Traffic Services and Error Budget Alerting"
- Chapter online: https://sre.google/workbook/alerting-on-slos/
- promtool rule unit tests: https://prometheus.io/docs/prometheus/latest/configuration/unit_testing_rules/
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from slospec.diagnostics import Finding
from slospec.rules.base import Context, looks_like_ratio, rule
from slospec.slo.alerting import declared_tiers, tier_label
from slospec.specmodel.model import HUNDRED, SLO, Spec
from slospec.specmodel.quantities import format_decimal


@rule("SLO308", "single-event-pages", severity="warning")
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    for slo in spec.slos:
        yield from _check_slo(spec, slo, ctx)


def _check_slo(spec: Spec, slo: SLO, ctx: Context) -> Iterator[Finding]:
    traffic = spec.traffic_for(slo.sli)
    if traffic is None or slo.target >= HUNDRED or slo.budgeting.timeslices or looks_like_ratio(slo):
        return
    pages = [t for t in declared_tiers(slo, ctx.facts) if t.severity == "page"]
    if not pages:
        return
    fastest = min(pages, key=lambda t: t.long_window)
    expected = traffic.over(fastest.long_window)
    needed = 1 / (fastest.burn_rate * slo.budget)
    if expected < needed:
        yield Finding(
            traffic.pointer if slo.sli and slo.sli.expected_events else slo.target_pointer,
            f"{tier_label(slo, fastest)}: about {format_decimal(expected.quantize(Decimal('0.1')))} events "
            f"in {fastest.long_window} but {format_decimal(needed.quantize(Decimal('0.1')))} are needed before "
            "a single failure stops paging; add synthetic traffic, lower the target or lengthen the window",
        )
