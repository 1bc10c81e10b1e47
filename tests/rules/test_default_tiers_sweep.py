"""Every alert tier slospec derives passes every rule of the catalogue (issue 16, item 1).

Over a grid of targets (50 %-99.999 %), windows (1 d-1 y, rolling and calendar), scrape
intervals (5 s-5 m), evaluation intervals and budgeting methods, for each SLO:

1. linted with the derived tiers, no rule reports an error or warning that the same SLO
   without alerting (`policy: none`) does not get: the defaults add no problem of their own;
2. the same tiers written out as declared tiers (so that SLO301-SLO309 judge them as the
   user's own, at their lines) get no error or warning from any rule either;
3. where no default can work, no tier is derived and exactly one info says so.
"""

from __future__ import annotations

import copy
import itertools
from decimal import Decimal

import pytest

from slospec.rules import all_rules
from slospec.rules.base import Context
from slospec.slo.alerting import alert_plan, tiers_for
from slospec.slo.facts import resolve
from slospec.specmodel import model, schema
from slospec.specmodel.quantities import format_decimal

TARGETS = ("50%", "80%", "90%", "93%", "95%", "99%", "99.5%", "99.9%", "99.95%", "99.99%", "99.999%")
WINDOWS = (
    "1d",
    "7d",
    "13d",
    "28d",
    "30d",
    "90d",
    "365d",
    {"calendar": "day"},
    {"calendar": "week"},
    {"calendar": "month"},
    {"calendar": "quarter"},
    {"calendar": "year"},
)
SCRAPES = ("5s", "15s", "1m", "5m")
EVALUATIONS = (None, "1m")
BUDGETING = ("occurrences", {"method": "timeslices", "slice": "5m", "sliceTarget": "95%"})


def spec_data(target, window, scrape, evaluation, budgeting, traffic=None) -> dict:
    operations = {"scrapeInterval": scrape}
    if evaluation:
        operations["evaluationInterval"] = evaluation
    if traffic:
        operations["expectedEvents"] = {"count": traffic, "per": "1d"}
    return {
        "apiVersion": "slospec/v1",
        "service": {"name": "checkout", "owner": "team-checkout", "runbook": "https://runbooks.example.com/c"},
        "operations": operations,
        "slis": [
            {
                "name": "requests",
                "description": "Requests not answered with a 5xx.",
                "ratio": {"bad": 'http_requests_total{code=~"5.."}', "total": "http_requests_total"},
            }
        ],
        "slos": [
            {
                "name": "availability",
                "description": "Requests succeed.",
                "sli": "requests",
                "target": target,
                "window": window,
                "budgeting": budgeting,
            }
        ],
    }


def findings(data: dict) -> set[tuple[str, str, tuple, str]]:
    """(code, severity, pointer, message) of every per-spec rule, as the linter runs them."""
    spec = model.build(data)
    facts = resolve(spec)
    out = set()
    for rule in all_rules().values():
        if rule.framework or rule.needs_data:
            continue
        for finding in rule.check(spec, Context(rule.options, facts)):
            out.add((rule.code, finding.severity or rule.severity, finding.pointer, finding.message))
    return out


def problems(found) -> set:
    return {f for f in found if f[1] in ("error", "warning")}


def with_alerting(data: dict, alerting: dict) -> dict:
    data = copy.deepcopy(data)
    data["slos"][0]["alerting"] = alerting
    return data


def declared(data: dict) -> dict | None:
    """The derived tiers written out as the user's own."""
    spec = model.build(data)
    tiers = tiers_for(spec.slos[0], resolve(spec))
    if not tiers:
        return None
    return with_alerting(
        data,
        {
            "tiers": [
                {
                    "severity": t.severity,
                    "longWindow": str(t.long_window),
                    "shortWindow": str(t.short_window),
                    "burnRate": float(format_decimal(t.burn_rate)),
                }
                for t in tiers
            ]
        },
    )


def check(data: dict) -> None:
    assert not list(schema.problems(data))
    spec = model.build(data)
    plan = alert_plan(spec.slos[0], resolve(spec))
    baseline = problems(findings(with_alerting(data, {"policy": "none"})))
    found = findings(data)
    assert problems(found) == baseline, "the default tiers caused findings"
    # (a time slice under two scrapes is the spec's own slice, judged by SLO306 with or without tiers)
    about_alerts = [f for f in found if f[0].startswith("SLO3") and "budgeting" not in f[2]]
    if plan.tiers:
        assert not about_alerts, about_alerts
        for tier in plan.tiers:
            assert tier.burn_rate * spec.slos[0].budget < 1 and tier.burn_rate >= 1
            assert tier.why and not tier.declared
        written = declared(data)
        assert not list(schema.problems(written)), "the tiers written out must be a valid spec"
        assert problems(findings(written)) == baseline, "the default tiers, declared, are reported"
    else:
        # No default can work: no tier, and one info that says how to get some.
        assert plan.no_defaults is not None
        assert [(f[0], f[1]) for f in about_alerts] == [(plan.no_defaults.code, "info")]
        assert "alerting:" in about_alerts[0][3]


GRID = list(itertools.product(TARGETS, WINDOWS, SCRAPES, EVALUATIONS, BUDGETING))


@pytest.mark.parametrize("index", range(0, len(GRID), 48))
def test_default_tiers_pass_every_rule(index: int) -> None:
    # 48 grid points per test item: the grid runs in a few seconds, and a failure names them.
    for target, window, scrape, evaluation, budgeting in GRID[index : index + 48]:
        data = spec_data(target, window, scrape, evaluation, budgeting)
        try:
            check(data)
        except AssertionError as error:
            raise AssertionError(
                f"{target} over {window}, scrape {scrape}, evaluation {evaluation}, {budgeting}: {error}"
            ) from None


@pytest.mark.parametrize(
    ("target", "traffic"), [("99.9%", 500), ("99.9%", 5000), ("99%", 200), ("99.99%", 20000), ("95%", 100)]
)
def test_low_traffic_defaults_never_page_on_one_failure(target: str, traffic: int) -> None:
    data = spec_data(target, "28d", "15s", None, "occurrences", traffic=traffic)
    check(data)
    spec = model.build(data)
    for tier in tiers_for(spec.slos[0], resolve(spec)):
        if tier.severity == "page":
            expected = Decimal(traffic) * tier.long_window.seconds / Decimal(86400)
            assert expected * tier.burn_rate * spec.slos[0].budget >= 1


def test_targets_below_half_get_no_defaults_and_one_info() -> None:
    data = spec_data("40%", "28d", "15s", None, "occurrences")
    spec = model.build(data)
    plan = alert_plan(spec.slos[0], resolve(spec))
    assert plan.tiers == () and plan.no_defaults.code == "SLO302"
    check(data)
