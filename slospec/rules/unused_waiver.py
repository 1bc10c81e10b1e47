"""A waiver of an organisation policy that waives nothing.

## What it does
Reports a `[[waiver]]` for a service that slospec read, when the service meets the policy
it waives or the policy does not apply to it (its `when` does not match the service), at
the service's name. Like an unused suppression comment (SLO003).

## Why is this bad?
A waiver that excuses nothing is stale: the work it waited for is done, or it names the
wrong policy. Left in place it will silently excuse the next regression.

## Example
```toml
[[policy]]
name = "tier-1"
when = { tier = "critical" }
min-target = "99.9%"

[[waiver]]
policy = "tier-1"
service = "checkout"
reason = "migration to the new load balancer"
owner = "team-checkout"
expires = 2099-03-31
```
```yaml
apiVersion: slospec/v1
service:
  name: checkout
  owner: team-checkout
  tier: critical
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
when = { tier = "critical" }
min-target = "99.9%"
```
```yaml
apiVersion: slospec/v1
service:
  name: checkout
  owner: team-checkout
  tier: critical
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

## Options
None: waivers are the configuration's `[[waiver]]` tables (docs/policy.md). A waiver for a
service that no file linted in the run describes is not reported (pre-commit lints a few
files at a time).

## References
- SLO003 unused-suppression, the same idea for `# slospec: disable` comments.
"""

from __future__ import annotations

from collections.abc import Iterator

from slospec.diagnostics import Finding
from slospec.rules.base import Context, rule
from slospec.specmodel.model import Spec


@rule("SLO604", "unused-waiver", severity="warning")
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    if not ctx.policy:
        return
    from slospec.specmodel.policy import judge

    for waiver, why in judge(spec, ctx.policy).idle:
        yield Finding(
            ("service", "name"),
            f"the waiver of policy {waiver.policy!r} for service {spec.service.name!r} (owner {waiver.owner}, "
            f"until {waiver.expires.isoformat()}) waives nothing: {why}; remove it from the configuration",
        )
