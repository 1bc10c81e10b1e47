"""An alert window too short for the scrape or evaluation interval.

## What it does
Reports a declared tier whose short window is below 4 scrape intervals, or whose rule
evaluation interval is more than half the short window. Intervals come from `operations` or
the configuration (`[operations]`, defaults 15s and 30s). Derived (default) tiers never have
a short window below 4 scrapes and 2 evaluations; when the window is too short to hold such
alert windows at all, slospec derives none and this rule says so once, as info, on the SLO's
`window:` line. Warns about a time slice (of a counter SLI) shorter than two scrape
intervals: the generated rules then judge each slice over two scrape intervals, because
`rate()` over one scrape returns nothing.

## Why is this bad?
`rate()` over a range needs at least two samples and, in practice, four scrape intervals;
with fewer the recording rule returns no series and the alert silently cannot fire. An
evaluation interval longer than half the short window skips over whole short windows.

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
          longWindow: 15m
          shortWindow: 30s
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
- Robust Perception, "What range should I use with rate()?"; Grafana `$__rate_interval`
- Online: https://www.robustperception.io/what-range-should-i-use-with-rate/
- Grafana: https://grafana.com/docs/grafana/latest/datasources/prometheus/template-variables/
- Google SRE Workbook, ch.5 "Alerting on SLOs": https://sre.google/workbook/alerting-on-slos/
"""

from __future__ import annotations

from collections.abc import Iterator

from slospec.diagnostics import Finding
from slospec.rules.base import Context, rule
from slospec.slo.alerting import declared_tiers, no_defaults, tier_label, tier_pointer
from slospec.specmodel.model import SLO, Spec
from slospec.specmodel.quantities import Duration


@rule("SLO306", "window-below-scrape", severity="error")
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    for slo in spec.slos:
        yield from _check_slo(spec, slo, ctx)


def _check_slo(spec: Spec, slo: SLO, ctx: Context) -> Iterator[Finding]:
    facts = ctx.facts
    missing = no_defaults(slo, "SLO306", facts)
    if missing is not None:
        yield Finding(missing.pointer, missing.message, "info")
    budgeting = slo.budgeting
    if (
        budgeting.timeslices
        and budgeting.slice is not None
        and slo.sli is not None
        and slo.sli.kind != "uptime"
        and budgeting.slice < facts.scrape_interval * 2
    ):
        wider = facts.scrape_interval * 2
        yield Finding(
            budgeting.pointer + ("slice",),
            f"SLO {slo.name!r}: a {budgeting.slice} time slice holds fewer than two scrapes of "
            f"{facts.scrape_interval}, and rate() over it returns nothing; the Prometheus rules "
            f"judge each slice over {wider} instead (use slices of at least {wider}, or scrape "
            "more often)",
            severity="warning",
        )
    for tier in declared_tiers(slo, facts):
        if tier.short_window < facts.scrape_interval * 4:
            yield Finding(
                tier_pointer(slo, tier, "shortWindow"),
                f"{tier_label(slo, tier)}: the short window {tier.short_window} is less than 4 scrape "
                f"intervals of {facts.scrape_interval}; rate() over it may return nothing",
            )
        elif facts.evaluation_interval * 2 > tier.short_window:
            yield Finding(
                tier_pointer(slo, tier, "shortWindow"),
                f"{tier_label(slo, tier)}: rules evaluated every {facts.evaluation_interval} cannot "
                f"follow a {tier.short_window} short window (evaluate at least every "
                f"{Duration(tier.short_window.seconds / 2)})",
            )
