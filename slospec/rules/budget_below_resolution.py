"""The error budget is shorter than the monitoring can see.

## What it does
Compares the error budget as time, `B x W` (for example 99.99 % over 30 days = 4m19s),
with the measurement resolution `max(scrape interval, rule evaluation interval)`. Below one
resolution step it is an error; below ten steps a warning.

Intervals come from the spec's `operations` block, else from configuration
(`[operations]`, defaults 15s scrape and 30s evaluation).

## Why is this bad?
An outage shorter than a scrape or evaluation interval may never be seen, and one that is
seen spends the whole budget before a rate over the last few samples even moves. An SLI read
from counters (a histogram, rates of request counters) loses no failed event between two
scrapes, and the message says so: what it loses is any chance of an alert before the budget
is gone. At
99.999 % monthly "a total outage exhausts the budget in 26 seconds, which is smaller than
the metric collection interval of many monitoring services".

## Example
```yaml
apiVersion: slospec/v1
service:
  name: ledger
slis:
  - name: requests
    ratio:
      bad: http_requests_total{job="ledger",code=~"5.."}
      total: http_requests_total{job="ledger"}
slos:
  - name: availability
    sli: requests
    target: 99.9999%
    window: 7d
```

## Use instead
```yaml
apiVersion: slospec/v1
service:
  name: ledger
slis:
  - name: requests
    ratio:
      bad: http_requests_total{job="ledger",code=~"5.."}
      total: http_requests_total{job="ledger"}
slos:
  - name: availability
    sli: requests
    target: 99.95%
    window: 28d
```

## Options
- `warning-steps` (number, default `10`): warn when the budget holds fewer resolution steps.

## References
- Google SRE Workbook, ch.5 "Alerting on SLOs", "Extreme Availability Goals"
- Robust Perception, "What range should I use with rate()?"
- Chapter online: https://sre.google/workbook/alerting-on-slos/
- Robust Perception online: https://www.robustperception.io/what-range-should-i-use-with-rate/
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from slospec.diagnostics import Finding
from slospec.rules.base import Context, looks_like_ratio, rule
from slospec.specmodel.model import HUNDRED, Spec
from slospec.specmodel.quantities import format_decimal, readable_percent


@rule("SLO104", "budget-below-resolution", severity="error", options={"warning-steps": 10})
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    facts = ctx.facts
    steps = Decimal(str(ctx.options["warning-steps"]))
    resolution = facts.resolution
    for slo in spec.slos:
        if slo.target >= HUNDRED or looks_like_ratio(slo):
            continue  # SLO101's or SLO103's finding
        budget = slo.budget_time
        # Messages are built only for a finding: most SLOs have none, and this runs per SLO.
        if budget < resolution:
            if _counts_events(slo.sli):
                # Counters lose no failure between two scrapes: what is lost is the alert.
                why = (
                    "its counters record every failure, but no rule sees an outage before it has spent "
                    "the budget, so no alert can come in time (SLO307)"
                )
            else:
                why = "an outage can spend it before it is measured"
            yield Finding(slo.target_pointer, f"{_head(slo, budget)}, less than one {_which(facts)}: {why}", "error")
        elif budget < resolution * steps:
            yield Finding(
                slo.target_pointer,
                f"{_head(slo, budget)}, less than {format_decimal(steps)} times the {_which(facts)}",
                "warning",
            )


def _counts_events(sli: Any) -> bool:
    """An SLI read from counters (a histogram, rates of counter selectors): every event is counted,
    however short the outage; a probe or a gauge sampled at each scrape can miss one."""
    from slospec.slo import queries

    if sli is None or not queries.is_prometheus(sli):
        return False
    if sli.kind == "latency":
        return True
    if sli.kind != "ratio" or queries.is_constant_total(sli.total):
        return False
    for query in (sli.good, sli.bad, sli.total):
        if query is None:
            continue
        if queries.is_template(query):
            if "avg_over_time" in query or not any(f in query for f in ("rate(", "increase(")):
                return False
        elif "(" in query:  # an expression that is not a template: a rate already, or a gauge
            return False
    return True


def _head(slo: Any, budget: Any) -> str:
    return (
        f"SLO {slo.name!r}: target {readable_percent(slo.target)} over {slo.window.phrase} "
        f"leaves {budget} of error budget"
    )


def _which(facts: Any) -> str:
    return (
        f"scrape interval of {facts.scrape_interval}"
        if facts.scrape_interval >= facts.evaluation_interval
        else f"rule evaluation interval of {facts.evaluation_interval}"
    )
