"""The fastest page cannot fire before the whole error budget is gone.

## What it does
For a total outage, the earliest page is `B x w_L x b* + evaluation + scrape + for` after
it starts (the fastest declared page tier, or the fastest declared tier when none pages).
When that is at least the whole budget `B x W`, the objective is lost before anyone is told.

Where the finding goes follows its cause. When the budget is smaller than scrape plus
evaluation (plus the tier's `for`), no tier could ever be in time: the finding is about the
target and is reported on the `target:` (or `allowedDowntime:`) line, where a
`# slospec: disable=SLO307` comment also belongs. Otherwise the declared tier is too slow,
and the finding is on that tier.

Tiers slospec derives when none are declared are left out when they would fire after the
budget is gone; when that leaves none, this rule says so once, as info, on the target line.

## Why is this bad?
At 99.999 % over 30 days the budget is 26 s; "a total outage exhausts the budget in 26
seconds, which is smaller than the metric collection interval of many monitoring services,
let alone the end-to-end time to generate an alert".

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
    target: 99.99%
    window: 1d
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
          longWindow: 1h
          shortWindow: 5m
          burnRate: 14.4
```

## Options
None. Operational facts come from `operations` in the spec or `[operations]` in the configuration.

## References
- Google SRE Workbook, ch.5, "Extreme Availability Goals" and the detection-time formula
- Chapter online: https://sre.google/workbook/alerting-on-slos/
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from slospec.diagnostics import Finding
from slospec.rules.base import Context, looks_like_ratio, rule
from slospec.slo.alerting import AlertTier, declared_tiers, no_defaults, tier_label, tier_pointer
from slospec.specmodel.model import HUNDRED, SLO, Spec, Window
from slospec.specmodel.quantities import Duration


@rule("SLO307", "detection-after-exhaustion", severity="error")
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    for slo in spec.slos:
        yield from _check_slo(spec, slo, ctx)


def _check_slo(spec: Spec, slo: SLO, ctx: Context) -> Iterator[Finding]:
    if slo.target >= HUNDRED or looks_like_ratio(slo):
        return  # SLO101's or SLO103's finding
    missing = no_defaults(slo, "SLO307", ctx.facts)
    if missing is not None:
        yield Finding(missing.pointer, missing.message, "info")
    tiers = declared_tiers(slo, ctx.facts)
    pages = [t for t in tiers if t.severity == "page"] or list(tiers)
    if not pages:
        return
    facts = ctx.facts
    budget = slo.budget_time
    zero = Duration(Decimal(0))

    def detection(tier: AlertTier) -> Duration:
        return (
            Duration(slo.budget * tier.long_window.seconds * tier.burn_rate)
            + facts.evaluation_interval
            + facts.scrape_interval
            + (tier.for_ or zero)
        )

    fastest = min(pages, key=detection)
    earliest = detection(fastest)
    if earliest < budget:
        return
    pipeline = facts.evaluation_interval + facts.scrape_interval + (fastest.for_ or zero)
    if pipeline >= budget:
        # No tier could be in time: the target (its budget) is the cause.
        yield Finding(
            slo.target_pointer,
            f"SLO {slo.name!r}: the whole {_budget_of(slo.window)} is {budget}, but scrape and "
            f"evaluation alone take {pipeline} before any alert fires; the objective is lost before "
            "the page, whatever the tiers: loosen the target or lengthen the window",
        )
        return
    yield Finding(
        tier_pointer(slo, fastest),
        f"{tier_label(slo, fastest)}: a total outage is detected after {earliest} at the earliest, "
        f"but the whole {_budget_of(slo.window)} is {budget}; the objective is lost before the page "
        "(a shorter long window or a lower burn rate fires sooner)",
    )


def _budget_of(window: Window) -> str:
    """'28d budget', or 'budget of a calendar day' (never 'the whole a calendar day budget')."""
    return f"{window.phrase} budget" if window.rolling else f"budget of {window.phrase}"
