"""Derived alert tiers are computed once per set of exact inputs and shared between SLOs
(issue 21): what an SLO gets from the shared derivation must be exactly what the exact
Fraction arithmetic gives it alone, whatever was derived before it, whatever its name."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from slospec.slo import alerting
from slospec.slo.alerting import (
    CAUSE_ORDER,
    MAX_SHARE,
    MAX_THRESHOLD,
    REFERENCE_WINDOW,
    WORKBOOK,
    AlertPlan,
    AlertTier,
    NoDefaults,
    _dec,
    _dur,
    _minutes,
    _no_defaults_message,
    _no_defaults_pointer,
    _pct,
    _rate,
    _readable_rate,
)
from slospec.slo.facts import resolve
from slospec.specmodel import model
from slospec.specmodel.quantities import format_decimal, readable_percent
from tests.conftest import examples

# Equal numbers written differently on purpose (99.9% / 99.90%, 1d / 24h, 60s / 1m): they
# share a derivation, so every text in it must follow from the value alone.
TARGETS = ("40%", "50%", "90%", "95%", "99%", "99.0%", "99.5%", "99.9%", "99.90%", "99.95%", "99.99%", "99.999%")
WINDOWS = ("1d", "24h", "7d", "28d", "30d", "720h", "90d", {"calendar": "month"}, {"calendar": "week"})
SCRAPES = ("5s", "15s", "60s", "1m", "5m")
EVALUATIONS = (None, "30s", "1m")
TRAFFIC = (None, 100, 5000, 1_000_000)
BUDGETING = ("occurrences", {"method": "timeslices", "slice": "5m", "sliceTarget": "95%"})

slo_inputs = st.tuples(
    st.sampled_from(TARGETS),
    st.sampled_from(WINDOWS),
    st.sampled_from(SCRAPES),
    st.sampled_from(EVALUATIONS),
    st.sampled_from(TRAFFIC),
    st.sampled_from(BUDGETING),
    st.sampled_from(("checkout", "search", "a-very-long-service-name")),
    st.integers(0, 3),
)


def spec_of(target, window, scrape, evaluation, traffic, budgeting, name, extra) -> model.Spec:
    operations: dict = {"scrapeInterval": scrape}
    if evaluation:
        operations["evaluationInterval"] = evaluation
    if traffic:
        operations["expectedEvents"] = {"count": traffic, "per": "1d"}
    # `extra` SLOs before the one judged move its pointer (derived tiers carry it).
    slos = [
        {"name": f"{name}-{i}", "sli": "requests", "target": target, "window": window, "budgeting": budgeting}
        for i in range(extra + 1)
    ]
    return model.build(
        {
            "apiVersion": "slospec/v1",
            "service": {"name": name, "owner": "team"},
            "operations": operations,
            "slis": [{"name": "requests", "ratio": {"bad": "errors_total", "total": "requests_total"}}],
            "slos": slos,
        }
    )


def exact_plan(slo, facts) -> AlertPlan:
    """The plan derived alone: the reference when no tier is declared, else the uncached path."""
    if not slo.alerting.tiers and slo.alerting.policy != "none":
        return reference_plan(slo, facts)
    with mock.patch.object(alerting, "_derived", alerting._derived.__wrapped__):
        return alerting._plan(slo, facts)


def same(a: alerting.AlertPlan, b: alerting.AlertPlan) -> None:
    # repr as well as ==: Decimal("1.0") == Decimal("1"), but generated files print them apart.
    assert a == b
    assert repr(a) == repr(b)


@settings(max_examples=examples(3), deadline=None)
@given(st.lists(slo_inputs, min_size=1, max_size=6))
def test_shared_derivations_equal_the_exact_ones(inputs) -> None:
    for values in inputs:
        spec = spec_of(*values)
        facts = resolve(spec)
        for slo in spec.slos:
            shared = alerting.alert_plan(slo, facts)
            same(shared, exact_plan(slo, facts))
            assert alerting.describe(slo, facts) == alerting.describe(slo, facts)


def test_every_grid_point_matches_after_the_whole_grid_is_shared() -> None:
    # Warm the shared derivations with every grid point first, then compare each point again.
    grid = [
        (target, window, scrape, evaluation, traffic, "occurrences", "svc", 0)
        for target in TARGETS
        for window in WINDOWS
        for scrape in SCRAPES[:3]
        for evaluation in EVALUATIONS[:2]
        for traffic in TRAFFIC[:2]
    ]
    specs = [spec_of(*values) for values in grid]
    for spec in specs:
        alerting.alert_plan(spec.slos[0], resolve(spec))
    for spec in specs:
        slo, facts = spec.slos[0], resolve(spec)
        same(alerting._plan(slo, facts), exact_plan(slo, facts))


def test_the_plan_names_its_own_slo_and_pointers() -> None:
    # Two SLOs sharing one derivation still get their own name in messages and their own pointers.
    a = spec_of("40%", "28d", "15s", None, None, "occurrences", "checkout", 0).slos[0]
    b = spec_of("40%", "28d", "15s", None, None, "occurrences", "search", 2).slos[2]
    plan_a, plan_b = alerting._plan(a, resolve_one(a)), alerting._plan(b, resolve_one(b))
    assert "'checkout-0'" in plan_a.no_defaults.message and "'search-2'" in plan_b.no_defaults.message
    assert plan_a.no_defaults.pointer != plan_b.no_defaults.pointer
    c = spec_of("99.9%", "28d", "15s", None, None, "occurrences", "checkout", 0).slos[0]
    d = spec_of("99.9%", "28d", "15s", None, None, "occurrences", "search", 1).slos[1]
    tiers_c, tiers_d = alerting.tiers_for(c, resolve_one(c)), alerting.tiers_for(d, resolve_one(d))
    assert [t.pointer for t in tiers_c] == [c.alerting.pointer] * len(tiers_c)
    assert [t.pointer for t in tiers_d] == [d.alerting.pointer] * len(tiers_d)
    assert c.alerting.pointer != d.alerting.pointer


def resolve_one(slo):
    return alerting._facts(slo, None)


# ---------------------------------------------------------------- the reference


def reference_plan(slo, facts) -> AlertPlan:
    """The derivation as it was before it was shared (issue 21): exact Fractions, one SLO at a time."""
    window = Fraction(slo.window.length.seconds)
    budget = slo.budget_ratio
    scrape = Fraction(facts.scrape_interval.seconds)
    evaluation = Fraction(facts.evaluation_interval.seconds)
    facts_text = f"scrape {facts.scrape_interval}, evaluation {facts.evaluation_interval}"
    if budget <= 0 or window <= 0:
        return AlertPlan(derived=True, facts_text=facts_text)  # SLO101's finding: no budget to burn
    target = readable_percent(slo.target_ratio * 100)
    where = slo.target_pointer
    cap = _rate(MAX_THRESHOLD / budget)
    if cap < 1:
        suggestion = _dur(_minutes(window / 10))
        return AlertPlan(
            derived=True,
            facts_text=facts_text,
            no_defaults=NoDefaults(
                "SLO302",
                f"SLO {slo.name!r}: at {target} even a burn rate of 1 needs {_pct(budget)} of events "
                "failing, so slospec derives no alert tiers for it; to be alerted, declare a tier the "
                f"target can reach, such as alerting: {{tiers: [{{severity: ticket, longWindow: "
                f"{suggestion}, burnRate: 1}}]}}, or write alerting: {{policy: none}} to say none is wanted",
                where,
            ),
        )
    # A short window must hold 4 scrapes and 2 evaluations (SLO306), in whole minutes.
    floor_short = _minutes(max(4 * scrape, 2 * evaluation), up=True)
    budget_time = budget * window
    delay = scrape + evaluation
    traffic = slo.traffic
    kept: list[AlertTier] = []
    notes: list[str] = []
    dropped: list[str] = []
    for severity, long_text, _short_text, rate_text, share_text in WORKBOOK:
        workbook_rate, share = Fraction(rate_text), Fraction(share_text) / 100
        name = f"workbook {severity} tier ({share_text}% of the budget in {long_text} at {rate_text}x on 30d)"
        why: list[str] = []
        rate = workbook_rate
        if workbook_rate * budget >= 1:
            # Unreachable (the error ratio cannot exceed 1, and the alert needs more): fall back
            # to the highest rate that half of the events failing reaches.
            rate = min(workbook_rate, cap)
            why.append(
                f"burn rate lowered to {_dec(rate)}x: {rate_text}x can never fire at {target}, "
                f"and {_dec(rate)}x fires when half the events fail"
            )
        long = _minutes(share * window / rate)
        short = _minutes(long / 12)
        if short < floor_short:
            short = floor_short
            why.append(f"short window {_dur(short)}: 4 scrapes and 2 evaluations")
        if 6 * short > long:
            # The long window must grow to 6-12 short ones (SLO305). Keep the burn rate while
            # the budget spent before firing stays within SLO304's limit (the thresholds stay
            # the workbook's), else keep the workbook's share with a lower rate (at least 1).
            first_long, first_rate = long, rate
            for factor, keep_rate in ((12, True), (6, True), (12, False), (6, False)):
                long = max(first_long, factor * short)
                rate = first_rate if keep_rate else min(first_rate, max(Fraction(1), _rate(share * window / long)))
                if rate * long / window <= MAX_SHARE[severity]:
                    break
            why.append(f"long window {_dur(long)} at {_dec(rate)}x")
        spent = rate * long / window
        cause = None
        if long >= window or spent > MAX_SHARE[severity]:
            cause = ("SLO306", f"windows long enough for the {facts_text} would fire after {_pct(spent)} of the budget")
        elif budget * long * rate + delay >= budget_time:
            cause = ("SLO307", f"it would fire after the whole {_dur(budget_time)} budget is gone")
        elif severity == "page" and traffic is not None and not slo.budgeting.timeslices:
            expected = Fraction(traffic.count) * long / Fraction(traffic.per.seconds)
            if expected * rate * budget < 1:
                cause = (
                    "SLO308",
                    f"about {format_decimal(_dec(expected).quantize(Decimal('0.1')))} "
                    f"events in {_dur(long)}: a single failure would page",
                )
        if cause is None:
            # A tier of the same severity at no higher a rate over no longer a window fires
            # first on any burn this one would catch: this one adds only a second alert.
            twin = next(
                (
                    t
                    for t in kept
                    if t.severity == severity and t.burn_rate <= _dec(rate) and t.long_window.seconds <= _dec(long)
                ),
                None,
            )
            if twin is not None:
                notes.append(
                    f"{name} left out: the {twin.long_window} {severity} tier at "
                    f"{_readable_rate(twin.burn_rate)}x fires first"
                )
                continue
        if cause is not None:
            dropped.append(cause[0])
            notes.append(f"{name} left out: {cause[1]}")
            continue
        scaled = "" if window == Fraction(REFERENCE_WINDOW.seconds) else f", scaled to {slo.window.phrase}"
        text = f"{name}{scaled}" + (f"; {'; '.join(why)}" if why else "")
        kept.append(AlertTier(severity, _dur(long), _dur(short), _dec(rate), slo.alerting.pointer, why=text))
    if kept and not any(t.severity == "page" for t in kept):
        notes.append("no page tier can work for this SLO, so its default alerts are tickets only")
    no_defaults = None
    if not kept:
        code = min(dropped, key=CAUSE_ORDER.index) if dropped else "SLO306"
        no_defaults = NoDefaults(
            code,
            _no_defaults_message(slo, code, budget_time, delay, floor_short, facts_text),
            _no_defaults_pointer(slo, code),
        )
    return AlertPlan(tuple(kept), True, tuple(notes), no_defaults, facts_text)


@settings(max_examples=examples(3), deadline=None)
@given(
    st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False, places=4),
    st.integers(0, 4),
)
def test_shared_duration_texts_equal_the_computed_ones(seconds: Decimal, zeros: int) -> None:
    # Durations print through a shared table: equal values written differently (1.5, 1.50,
    # 15E-1) must print as the value computed afresh does.
    from slospec.specmodel import quantities

    written = Decimal(f"{seconds:f}" + ("0" * zeros if "." in f"{seconds:f}" else ""))
    for value in (seconds, written, seconds.normalize()):
        assert quantities.format_compact(value) == quantities._format_compact(value)
    assert quantities.format_compact(written) == quantities.format_compact(seconds)


def test_low_traffic_and_a_short_budget_say_why_no_tier_works() -> None:
    # Every tier left out, one of them for too little traffic (SLO308): one info names the
    # most fundamental cause (was a crash: SLO308 had no place in the order of causes).
    spec = spec_of("99.999%", "90d", "15s", "1m", 5000, "occurrences", "checkout", 0)
    plan = alerting.alert_plan(spec.slos[0], resolve(spec))
    assert plan.tiers == ()
    assert plan.no_defaults is not None and plan.no_defaults.code == "SLO307"
    assert any("a single failure would page" in note for note in plan.notes)
