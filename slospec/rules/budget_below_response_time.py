"""The error budget is shorter than the time it takes to detect and fix an incident.

## What it does
Compares the error budget as time, `B x W`, with the time the expected incidents take to
detect and mitigate: `incidents x (time to detect + time to mitigate)`. When the budget is
smaller, one ordinary incident spends it. Skipped when the spec declares
`operations.automatedMitigation: true` (failover without a human).

Defaults (configuration `[operations]`): one incident per window, 7 minutes to detect and
10 to mitigate, the 17 minutes "The Calculus of Service Availability" allows a human.

## Why is this bad?
"By the time you bring a human online to trigger a failover, you've likely already exceeded
your error budget." A 99.99 % objective over 30 days leaves 4m19s: no on-call rotation can
page, log in and mitigate in that time, so the objective is missed by design every time
anything goes wrong.

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
    target: 99.97%
    window: 28d
```

## Use instead
```yaml
apiVersion: slospec/v1
service:
  name: checkout
operations:
  automatedMitigation: true
slis:
  - name: requests
    ratio:
      bad: http_requests_total{job="checkout",code=~"5.."}
      total: http_requests_total{job="checkout"}
slos:
  - name: availability
    sli: requests
    target: 99.97%
    window: 28d
```

## Options
None; the facts come from `operations` in the spec or `[operations]` in the configuration
(`time-to-detect`, `time-to-mitigate`, `expected-incidents`).

## References
- Treynor et al., "The Calculus of Service Availability", ACM Queue 15(2), 2017
- The paper online: https://queue.acm.org/detail.cfm?id=3096459
"""

from __future__ import annotations

from collections.abc import Iterator

from slospec.diagnostics import Finding
from slospec.rules.base import Context, looks_like_ratio, rule
from slospec.specmodel.model import HUNDRED, Spec
from slospec.specmodel.quantities import format_decimal, readable_percent


@rule("SLO105", "budget-below-response-time", severity="warning")
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    facts = ctx.facts
    if facts.automated_mitigation or facts.expected_incidents <= 0:
        return
    needed = facts.response_time * facts.expected_incidents
    for slo in spec.slos:
        if slo.target >= HUNDRED or looks_like_ratio(slo):
            continue  # SLO101's or SLO103's finding
        budget = slo.budget_time
        if budget < needed:
            count = format_decimal(facts.expected_incidents)
            yield Finding(
                slo.target_pointer,
                f"SLO {slo.name!r}: target {readable_percent(slo.target)} over {slo.window.phrase} leaves "
                f"{budget} of error budget, less than {needed} to detect and mitigate {count} "
                f"incident{'s' if facts.expected_incidents != 1 else ''} ({facts.time_to_detect} + "
                f"{facts.time_to_mitigate}); loosen the target or declare automatedMitigation",
            )
