"""An SLO whose generated Prometheus rules would read more raw samples than the budget.

## What it does
Estimates what one SLO's rules (`slospec compile --target prometheus`) read from raw series
every minute: the range-seconds of every raw range at each evaluation, over the scrape
interval, times `series` series per selector, times evaluations per minute (what
`compile --stats` prints), and reports the SLO when that exceeds
`max-raw-samples-per-minute`.

## Why is this bad?
Rule evaluation is paid at every evaluation, forever, for every SLO. A ratio over a 28 day
window recomputed from raw counters every 30 s reads 161,280 samples per series each time;
a few hundred such SLOs saturate a Prometheus server, and rule groups overrun their
interval (Pyrra issue 1440: a 12-week window took 95 s of a 120 s evaluation). Short
scrape and evaluation intervals multiply the cost of every raw window. Knowing it before
deploying lets a platform team budget rule evaluation.

## Example
```yaml
apiVersion: slospec/v1
service:
  name: checkout
  owner: team-checkout
operations:
  scrapeInterval: 1s
  evaluationInterval: 1s
slis:
  - name: requests
    description: Requests answered without a server error.
    ratio:
      bad: http_requests_total{job="checkout",code=~"5.."}
      total: http_requests_total{job="checkout"}
slos:
  - name: availability
    description: 99.9 % of requests succeed over 30 days.
    sli: requests
    target: 99.9%
    window: 30d
```

## Use instead
```yaml
apiVersion: slospec/v1
service:
  name: checkout
  owner: team-checkout
operations:
  scrapeInterval: 15s
  evaluationInterval: 30s
slis:
  - name: requests
    description: Requests answered without a server error.
    ratio:
      bad: http_requests_total{job="checkout",code=~"5.."}
      total: http_requests_total{job="checkout"}
slos:
  - name: availability
    description: 99.9 % of requests succeed over 30 days.
    sli: requests
    target: 99.9%
    window: 30d
```

## Options
- `max-raw-samples-per-minute` (number, default `100000`): the budget per SLO.
- `series` (number, default `1`): how many series each SLI selector matches.
- `exact-windows` (true/false, default `false`): judge the rules as
  `compile --exact-windows` (or `[prometheus] long-windows = "raw"`) writes them, every
  window a raw `rate()` over its own range.

## References
- slospec docs, "Prometheus rules and tests": long windows from recorded series, `--stats`
- Pyrra issue 1440, rule evaluation of long windows over many series
- Prometheus `--query.max-samples` (50,000,000 by default)
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from slospec.diagnostics import Finding
from slospec.rules.base import Context, rule
from slospec.specmodel.model import Spec


@rule(
    "SLO501",
    "rule-cost-over-budget",
    severity="warning",
    options={"max-raw-samples-per-minute": 100000, "series": 1, "exact-windows": False},
)
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    from slospec.compile import CompileError
    from slospec.compile.prometheus import compilable, plan
    from slospec.compile.prometheus_cost import _count, raw_seconds
    from slospec.compile.prometheus_windows import RAW, RECORDED
    from slospec.slo import promql
    from slospec.specmodel.quantities import Duration

    budget = Decimal(ctx.options["max-raw-samples-per-minute"])
    series = Decimal(ctx.options["series"])
    mode = RAW if ctx.options["exact-windows"] else RECORDED
    facts = ctx.facts
    per_minute = series * Decimal(60) / facts.evaluation_interval.seconds / facts.scrape_interval.seconds
    for slo in spec.slos:
        if compilable(slo) is not None:
            continue
        try:
            rules = plan(spec, slo, facts, mode)
            seconds = raw_seconds(rules)
        except (CompileError, promql.PromQLError):
            continue  # a query the back end cannot compile is another rule's finding (SLO006)
        samples = seconds * per_minute
        if samples > budget:
            longest = max((w for w in rules.windows), default=slo.window.length)
            yield Finding(
                slo.pointer + ("window",),
                f"SLO {slo.name!r}: its Prometheus rules would read {_count(samples)} raw samples per minute "
                f"({_count(seconds)} range-seconds per evaluation every {facts.evaluation_interval}, scrape "
                f"{facts.scrape_interval}, {int(series)} series per selector), over the budget of {_count(budget)}; "
                + (
                    "compile with recorded long windows (without --exact-windows), or evaluate less often"
                    if mode == RAW
                    else f"evaluate less often (windows up to {Duration(min(longest.seconds, Decimal(3600)))} "
                    "are read raw at every evaluation), or scrape less often"
                ),
            )
