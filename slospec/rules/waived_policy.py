"""A service breaks an organisation policy under a valid waiver.

## What it does
Reports, as information, a service that does not meet a `[[policy]]` and holds a
`[[waiver]]` of it that has not expired: the policy, until when, who owns the waiver, why,
and which requirements it excuses. The policy's own findings (SLO601) are silenced.

## Why is this bad?
It is not: the exception was granted. It is shown so that everyone reading the lint output
(and the SARIF in code scanning) sees the debt and its deadline, not only its owner.

## Example
```toml
[[policy]]
name = "tier-1"
when = { tier = "critical" }
min-target = "99.9%"

[[waiver]]
policy = "tier-1"
service = "legacy-billing"
reason = "being replaced by billing-v2 in Q1"
owner = "team-billing"
expires = 2099-03-31
```
```yaml
apiVersion: slospec/v1
service:
  name: legacy-billing
  owner: team-billing
  tier: critical
slis:
  - name: requests
    description: Requests answered without a server error.
    ratio:
      bad: http_requests_total{job="billing",code=~"5.."}
      total: http_requests_total{job="billing"}
slos:
  - name: availability
    description: 99.5 % of requests succeed over 28 days.
    sli: requests
    target: 99.5%
    window: 28d
```

## Use instead
```toml
[[policy]]
name = "tier-1"
when = { tier = "critical" }
min-target = "99.9%"
```
```yaml
apiVersion: slospec/v1
service:
  name: legacy-billing
  owner: team-billing
  tier: critical
slis:
  - name: requests
    description: Requests answered without a server error.
    ratio:
      bad: http_requests_total{job="billing",code=~"5.."}
      total: http_requests_total{job="billing"}
slos:
  - name: availability
    description: 99.9 % of requests succeed over 28 days.
    sli: requests
    target: 99.9%
    window: 28d
```

## Options
None: waivers are the configuration's `[[waiver]]` tables (docs/policy.md).

## References
- Google SRE Workbook, "Error budget policy": https://sre.google/workbook/error-budget-policy/
"""

from __future__ import annotations

from collections.abc import Iterator

from slospec.diagnostics import Finding
from slospec.rules.base import Context, rule
from slospec.specmodel.model import Spec


@rule("SLO603", "waived-policy", severity="info")
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    if not ctx.policy:
        return
    from slospec.specmodel.policy import judge, today

    day = today()
    for judgement in judge(spec, ctx.policy, day).judgements:
        waiver = judgement.waiver
        if waiver is None or waiver.expired(day):
            continue
        excused = ", ".join(sorted({v.requirement for v in judgement.violations}))
        yield Finding(
            ("service", "name"),
            f"{judgement.policy.title} is waived for service {spec.service.name!r} until "
            f"{waiver.expires.isoformat()} (owner {waiver.owner}: {waiver.reason}); "
            f"it excuses {len(judgement.violations)} finding{'s' if len(judgement.violations) != 1 else ''} "
            f"({excused})",
        )
