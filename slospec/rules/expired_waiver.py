"""A waiver of an organisation policy has expired, and the service still breaks the policy.

## What it does
Reports a `[[waiver]]` past its `expires` date (UTC) for a service that still does not
meet the policy it waives, at the service's name, saying when it expired, who owns it and
why it was granted. The policy's own findings (SLO601) are reported again beside it.

## Why is this bad?
A waiver is a promise to fix something by a date. Past the date, either the work is done
(the waiver can go: SLO604 says so) or it is late and its owner has to renew it, in the
open, or fix the service. A waiver that never ends is a policy nobody follows.

## Example
```toml
[[policy]]
name = "tier-1"
when = { tier = "critical" }
require = ["runbook"]

[[waiver]]
policy = "tier-1"
service = "legacy-billing"
reason = "being replaced by billing-v2"
owner = "team-billing"
expires = 2020-03-31
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

## Use instead
```toml
[[policy]]
name = "tier-1"
when = { tier = "critical" }
require = ["runbook"]

[[waiver]]
policy = "tier-1"
service = "legacy-billing"
reason = "being replaced by billing-v2; renewed once, by the VP of engineering"
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
    description: 99.9 % of requests succeed over 28 days.
    sli: requests
    target: 99.9%
    window: 28d
```

## Options
None: waivers are the configuration's `[[waiver]]` tables (docs/policy.md).

## References
- Google SRE Workbook, "Error budget policy" (exceptions are explicit and reviewed):
  https://sre.google/workbook/error-budget-policy/
"""

from __future__ import annotations

from collections.abc import Iterator

from slospec.diagnostics import Finding
from slospec.rules.base import Context, rule
from slospec.specmodel.model import Spec


@rule("SLO602", "expired-waiver", severity="error")
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    if not ctx.policy:
        return
    from slospec.specmodel.policy import judge, today

    day = today()
    for judgement in judge(spec, ctx.policy, day).judgements:
        waiver = judgement.waiver
        if waiver is None or not waiver.expired(day):
            continue
        yield Finding(
            ("service", "name"),
            f"the waiver of {judgement.policy.title} for service {spec.service.name!r} expired on "
            f"{waiver.expires.isoformat()} (owner {waiver.owner}; reason: {waiver.reason}); "
            f"the service still breaks it ({', '.join(sorted({v.requirement for v in judgement.violations}))}): "
            "meet the policy, or have the owner renew the waiver's `expires`",
        )
