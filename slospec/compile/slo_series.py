"""The series dashboards read, recorded beside each SLO's rules (the Grafana back end's panels).

Per SLO, added to its Prometheus rule group:
- `slo:info` (value 1): what the SLO is, as labels: `slo_target` (percent, as written),
  `slo_window`, `slo_sli`, `slo_budgeting`; the fleet overview's variables come from it;
- `slo:alert_tier:info`, one per alert tier: its burn-rate threshold as the value (14.4), its
  `severity`, `long_window` and `short_window` as labels; a dashboard draws it as the tier's line;
- `slo:period_burn_rate:ratio`: the burn rate over the whole SLO window (the error ratio the
  budget is judged on, over the budget: 1 means the budget is spent exactly at the window's end);
- `slo:time_period:days`: the SLO window in days (Sloth records the same name).

`slo:error_budget_remaining:ratio` (1 - period error ratio / budget) and `slo:burn_rate:ratio`
(fastest short window) are recorded by slospec.compile.prometheus itself; with these they are
the numbers `slospec eval` prints: budget remaining `1 - bad / (budget x total)` over the window,
the current burn rate over the fastest short window.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from slospec.specmodel.quantities import format_decimal, format_exact, format_prometheus

if TYPE_CHECKING:
    from slospec.compile.prometheus import SloRules

INFO = "slo:info"
TIER_INFO = "slo:alert_tier:info"
PERIOD_BURN = "slo:period_burn_rate:ratio"
PERIOD_DAYS = "slo:time_period:days"


def tiers_by_labels(rules: SloRules) -> list[tuple[dict[str, str], Decimal]]:
    """(labels, burn rate) of each tier's `slo:alert_tier:info` series; one series per label set
    (Prometheus refuses duplicates in a group), the first tier of a label set wins."""
    out: list[tuple[dict[str, str], Decimal]] = []
    for tier in rules.tiers:
        key = {
            "severity": tier.severity,
            "long_window": format_prometheus(tier.long_window.seconds),
            "short_window": format_prometheus(tier.short_window.seconds),
        }
        if all(key != seen for seen, _ in out):
            out.append((key, tier.burn_rate))
    return out


def records(rules: SloRules, period_ratio: str) -> list[dict[str, Any]]:
    """The recording rules dashboards read, for one SLO whose window error ratio is `period_ratio`."""
    slo, labels = rules.slo, rules.labels
    budget = format_exact(slo.budget_ratio)
    info = {
        **labels,
        "slo_target": format_decimal(slo.target),
        "slo_window": str(slo.window.length) if slo.window.rolling else str(slo.window.calendar),
        "slo_sli": rules.sli.name,
        "slo_budgeting": slo.budgeting.method,
    }
    out: list[dict[str, Any]] = [
        {"record": INFO, "expr": "1", "labels": info},
        {"record": PERIOD_BURN, "expr": f"{period_ratio} / {budget}", "labels": dict(labels)},
        {
            "record": PERIOD_DAYS,
            "expr": format_decimal(slo.window.length.seconds / 86400),
            "labels": dict(labels),
        },
    ]
    for tier_label, burn_rate in tiers_by_labels(rules):
        out.append({"record": TIER_INFO, "expr": format_decimal(burn_rate), "labels": {**labels, **tier_label}})
    return out
