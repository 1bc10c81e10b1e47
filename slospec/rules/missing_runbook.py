"""A paging alert tier without a runbook link.

## What it does
For SLOs that declare their own alert `tiers`, reports a `page` tier when neither the SLO's
`alerting.runbook` nor the service's `runbook` gives a link. The default workbook policy is
not judged (it is not something the spec declares).

## Why is this bad?
Whoever is paged at night needs to know what the alert means and what to try first. A
page without a runbook turns every incident into research and lengthens the time to
mitigate, which the error budget pays for.

## Example
```yaml
apiVersion: slospec/v1
service:
  name: checkout
  owner: team-checkout
slis:
  - name: requests
    description: Requests answered without a server error.
    ratio:
      bad: http_requests_total{job="checkout",code=~"5.."}
      total: http_requests_total{job="checkout"}
slos:
  - name: availability
    description: 99.9 % of requests succeed over 28 days.
    sli: requests
    target: 99.9%
    window: 28d
    alerting:
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
    description: Requests answered without a server error.
    ratio:
      bad: http_requests_total{job="checkout",code=~"5.."}
      total: http_requests_total{job="checkout"}
slos:
  - name: availability
    description: 99.9 % of requests succeed over 28 days.
    sli: requests
    target: 99.9%
    window: 28d
    alerting:
      runbook: https://runbooks.example.com/checkout/availability
      tiers:
        - severity: page
          longWindow: 1h
          shortWindow: 5m
          burnRate: 14.4
```

## Options
None.

## References
- Google SRE book, ch.11 "Being On-Call" (playbooks)
- Chapter online: https://sre.google/sre-book/being-on-call/
- Prometheus alerting practices: https://prometheus.io/docs/practices/alerting/
"""

from __future__ import annotations

from collections.abc import Iterator

from slospec.diagnostics import Finding
from slospec.rules.base import Context, rule
from slospec.specmodel.model import Spec


@rule("SLO403", "missing-runbook", severity="warning")
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    for slo in spec.slos:
        alerting = slo.alerting
        if alerting.runbook or spec.service.runbook:
            continue
        for tier in alerting.tiers:
            if tier.severity == "page":
                yield Finding(
                    tier.pointer + ("severity",),
                    f"SLO {slo.name!r} pages without a runbook; add alerting.runbook (or service.runbook)",
                )
                break
