"""A service breaks an organisation policy that applies to it.

## What it does
Judges every service against each `[[policy]]` of the configuration whose `when` matches it
(its tier, name, owner, or any label of the service or its SLOs), and reports each
requirement it does not meet, naming the policy and what it requires, at the value that
breaks it: `min-target` and `max-target` (each SLO's target), `windows` (each SLO's
window), `max-slos`, and `require`: `owner`, `runbook`, `description`, `page-alert`,
`sla`, `latency-sli`, `service-description`. The same policies apply to slospec specs,
OpenSLO, Sloth, Pyrra and slo-generator files. A service with a valid `[[waiver]]` of the
policy gets SLO603 instead; one whose waiver expired gets these findings and SLO602.

## Why is this bad?
"Tier-1 services promise at least 99.9 %, have an owner, a runbook and a paging alert" is a
rule the organisation made for a reason (customers' contracts, on-call duty); written in a
wiki it is broken silently. Checked in pre-commit and CI, it is kept.

## Example
```toml
[[policy]]
name = "tier-1"
description = "Customer-facing critical services"
when = { tier = "critical" }
min-target = "99.95%"
windows = ["28d", "30d", "month"]
require = ["owner", "runbook", "page-alert"]
```
```yaml
apiVersion: slospec/v1
service:
  name: checkout
  owner: team-checkout
  tier: critical
  runbook: https://runbooks.example.com/checkout
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
```

## Use instead
```toml
[[policy]]
name = "tier-1"
description = "Customer-facing critical services"
when = { tier = "critical" }
min-target = "99.95%"
windows = ["28d", "30d", "month"]
require = ["owner", "runbook", "page-alert"]
```
```yaml
apiVersion: slospec/v1
service:
  name: checkout
  owner: team-checkout
  tier: critical
  runbook: https://runbooks.example.com/checkout
slis:
  - name: requests
    description: Requests answered without a server error.
    ratio:
      bad: http_requests_total{job="checkout",code=~"5.."}
      total: http_requests_total{job="checkout"}
slos:
  - name: availability
    description: 99.95 % of requests succeed over 28 days.
    sli: requests
    target: 99.95%
    window: 28d
```

## Options
None here: the policies are the configuration's `[[policy]]` tables (docs/policy.md).

## References
- Google SRE Workbook, "Implementing SLOs" (an SLO document approved by the organisation):
  https://sre.google/workbook/implementing-slos/
- Open Policy Agent, policy as code: https://www.openpolicyagent.org/docs/latest/
"""

from __future__ import annotations

from collections.abc import Iterator

from slospec.diagnostics import Finding
from slospec.rules.base import Context, rule
from slospec.specmodel.model import Spec


@rule("SLO601", "policy-violation", severity="error")
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    if not ctx.policy:
        return
    from slospec.specmodel.policy import judge, today

    day = today()
    for judgement in judge(spec, ctx.policy, day).judgements:
        waiver = judgement.waiver
        if waiver is not None and not waiver.expired(day):
            continue  # SLO603 says it is waived
        # One finding per place: an SLO with neither runbook nor paging alert hears both.
        by_place: dict[tuple[str | int, ...], list[str]] = {}
        for violation in judgement.violations:
            by_place.setdefault(violation.pointer, []).append(violation.detail)
        for pointer, details in by_place.items():
            yield Finding(pointer, f"{judgement.policy.title} {'; and '.join(details)}")
