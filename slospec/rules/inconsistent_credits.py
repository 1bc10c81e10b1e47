"""Service-credit tiers that contradict the SLA or each other.

## What it does
Checks an SLA's `credits`: no tier may start above the SLA target (credits owed while the
promise is kept), no credit may exceed 100 %, no two tiers may share a threshold, and a
lower measured level must never earn a smaller credit.

## Why is this bad?
Credit tables are read by customers and lawyers. A tier above the target pays out while
the SLA is met; a lower tier with a smaller credit rewards the provider for doing worse;
two tiers at one threshold leave the amount owed undefined.

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
slas:
  - name: enterprise
    sli: requests
    target: 99.9%
    window:
      calendar: month
    credits:
      - below: 99.95%
        credit: 5%
      - below: 99%
        credit: 25%
      - below: 95%
        credit: 10%
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
slas:
  - name: enterprise
    sli: requests
    target: 99.9%
    window:
      calendar: month
    credits:
      - below: 99.9%
        credit: 10%
      - below: 99%
        credit: 25%
      - below: 95%
        credit: 100%
```

## Options
None.

## References
- Published SLAs with credit tiers, such as the Amazon Compute SLA: https://aws.amazon.com/compute/sla/
- Google SRE book, ch.4 "Service Level Objectives", "Agreements in Practice":
  https://sre.google/sre-book/service-level-objectives/
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from slospec.diagnostics import Finding, pointer_text
from slospec.rules.base import Context, rule
from slospec.specmodel.model import HUNDRED, Credit, Spec
from slospec.specmodel.quantities import format_percent, readable_percent


@rule("SLO210", "inconsistent-credits", severity="error")
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    for sla in spec.slas:
        seen: dict[Decimal, Credit] = {}
        for tier in sla.credits:
            if tier.below > sla.target:
                yield Finding(
                    tier.pointer + ("below",),
                    f"SLA {sla.name!r}: a credit below {format_percent(tier.below)} is owed while "
                    f"the {readable_percent(sla.target)} promise is kept; start tiers at the target",
                )
            if tier.credit > HUNDRED:
                yield Finding(
                    tier.pointer + ("credit",),
                    f"SLA {sla.name!r}: a credit of {format_percent(tier.credit)} is more than the fee",
                )
            if tier.below in seen:
                yield Finding(
                    tier.pointer + ("below",),
                    f"SLA {sla.name!r}: two credit tiers start below {format_percent(tier.below)} "
                    f"(also {pointer_text(seen[tier.below].pointer)})",
                )
            seen.setdefault(tier.below, tier)
        ordered = sorted(sla.credits, key=lambda t: t.below, reverse=True)
        for higher, lower in zip(ordered, ordered[1:], strict=False):
            if lower.below < higher.below and lower.credit < higher.credit:
                yield Finding(
                    lower.pointer + ("credit",),
                    f"SLA {sla.name!r}: below {format_percent(lower.below)} the credit is "
                    f"{format_percent(lower.credit)}, less than the {format_percent(higher.credit)} "
                    f"owed below {format_percent(higher.below)}; credits must grow as the level falls",
                )
