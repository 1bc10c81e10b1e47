"""The alert policy of an SLO: its declared tiers, or tiers derived from the SLO itself.

One function decides the tiers, and the SLO3xx lint rules and every back end call it, so
what the linter judges is exactly what gets generated (domain.md A.5). Derived (default)
tiers start from the SRE workbook's 30-day table and keep its budget shares where they
can; every adjustment is recorded in the tier's `why`, so generated files can say it.
"""

from __future__ import annotations

import functools
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from math import ceil, floor
from typing import TYPE_CHECKING

from slospec.diagnostics import Pointer
from slospec.records import record
from slospec.specmodel.model import SLO
from slospec.specmodel.quantities import Duration, format_decimal, readable_percent

if TYPE_CHECKING:
    from slospec.slo.facts import Facts

MINUTE = Decimal(60)
REFERENCE_WINDOW = Duration.parse("30d")

# SRE Workbook ch.5, Table 5-8 plus the 24h/2h ticket pair from the chapter's PromQL:
# (severity, long window, short window, burn rate, share of the budget) for a 30-day window.
WORKBOOK = (
    ("page", "1h", "5m", "14.4", "2"),
    ("page", "6h", "30m", "6", "5"),
    ("ticket", "1d", "2h", "3", "10"),
    ("ticket", "3d", "6h", "1", "10"),
)
# The highest budget share a default tier may spend before it fires (SLO304's defaults).
MAX_SHARE = {"page": Fraction(1, 10), "ticket": Fraction(1, 2)}
# A workbook burn rate the target cannot reach (b* x B >= 1: the alert compares with `>`, so
# not even a total outage fires it) is lowered until half of the events failing fires it.
MAX_THRESHOLD = Fraction(1, 2)
# Which rule speaks when no default tier can work, most fundamental cause first (SLO308,
# too little traffic, drops page tiers only: the ticket tiers' causes always come first).
CAUSE_ORDER = ("SLO302", "SLO307", "SLO306", "SLO304", "SLO301", "SLO308")


@record
class AlertTier:
    """One multi-window burn-rate alert, fully resolved."""

    severity: str
    long_window: Duration
    short_window: Duration
    burn_rate: Decimal
    pointer: Pointer
    for_: Duration | None = None
    declared: bool = False
    # Why this tier looks as it does: "declared", or how it was derived (for comments).
    why: str = "declared"

    def budget_fraction(self, window: Duration) -> Decimal:
        """Share of the window's budget consumed at the threshold: b* x w_L / W."""
        # Multiply before dividing so that exact inputs give exact results (3 x 1d / 30d = 0.1).
        return self.burn_rate * self.long_window.seconds / window.seconds

    def exhaustion(self, window: Duration) -> Duration:
        """Time to spend the whole budget at this burn rate: W / b*."""
        return Duration(window.seconds / self.burn_rate)


@record
class NoDefaults:
    """Why no default tier can work for an SLO: the rule that says so, and its message."""

    code: str
    message: str
    pointer: Pointer


@record
class AlertPlan:
    tiers: tuple[AlertTier, ...] = ()
    derived: bool = False  # the tiers are slospec's defaults, not the user's
    notes: tuple[str, ...] = ()  # tiers left out of the defaults, and why
    no_defaults: NoDefaults | None = None
    facts_text: str = ""


def round_minutes(seconds: Decimal) -> Duration:
    """Whole minutes (Prometheus-friendly), at least one."""
    minutes = (seconds / MINUTE).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return Duration(max(minutes, Decimal(1)) * MINUTE)


def default_short(long_window: Duration) -> Duration:
    """The workbook's guideline: the short window is 1/12 of the long one."""
    return round_minutes(long_window.seconds / 12)


def _facts(slo: SLO, facts: Facts | None) -> Facts:
    if facts is not None:
        return facts
    from slospec.slo.facts import for_operations

    return for_operations(slo.operations)


def _plain(value: Decimal) -> Decimal:
    """Without trailing zeros, and never in exponent form (20, not 2E+1, in messages and rules)."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def alert_plan(slo: SLO, facts: Facts | None = None) -> AlertPlan:
    """The tiers of an SLO and how they came about. `facts` (slospec.slo.facts.Facts) are the
    scrape and evaluation intervals the defaults must respect; without them, the SLO's
    own spec's operations (else slospec's defaults) are used."""
    facts = _facts(slo, facts)
    # Nine rules and four back ends ask for the same SLO's tiers: compute them once per SLO
    # and facts (the model is frozen, so the answer cannot change; stored beside its fields).
    cache: dict[Facts, AlertPlan] = slo.__dict__.setdefault("_alert_plans", {})
    plan = cache.get(facts)
    if plan is None:
        plan = cache[facts] = _plan(slo, facts)
    return plan


def tiers_for(slo: SLO, facts: Facts | None = None) -> tuple[AlertTier, ...]:
    return alert_plan(slo, facts).tiers


def _plan(slo: SLO, facts: Facts) -> AlertPlan:
    alerting = slo.alerting
    window = slo.window.length
    if alerting.tiers:
        out = []
        for tier in alerting.tiers:
            if tier.burn_rate is not None:
                rate = tier.burn_rate
            else:
                assert tier.budget_consumed is not None  # the schema requires burnRate or budgetConsumed
                # budget share f consumed in w_L  =>  b* = f x W / w_L
                rate = tier.budget_consumed * window.seconds / (100 * tier.long_window.seconds)
            out.append(
                AlertTier(
                    tier.severity,
                    tier.long_window,
                    tier.short_window or default_short(tier.long_window),
                    _plain(rate),
                    tier.pointer,
                    tier.for_,
                    declared=True,
                )
            )
        return AlertPlan(tuple(out))
    if alerting.policy == "none":
        return AlertPlan()
    return _derive(slo, facts)


# ---------------------------------------------------------------- derived tiers


def _minutes(seconds: Fraction, up: bool = False) -> Fraction:
    """Whole minutes, at least one: rounded half up, or up."""
    count = ceil(seconds / 60) if up else floor(seconds / 60 + Fraction(1, 2))
    return Fraction(max(count, 1) * 60)


def _rate(value: Fraction) -> Fraction:
    """A burn rate people can read: rounded down to two decimals (never above the exact one)."""
    return Fraction(floor(value * 100), 100)


def _dur(seconds: Fraction) -> Duration:
    return Duration(Decimal(seconds.numerator) / Decimal(seconds.denominator))


def _dec(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).normalize()


def _pct(share: Fraction) -> str:
    return readable_percent(share * 100)


def _derive(slo: SLO, facts: Facts) -> AlertPlan:
    window = Fraction(slo.window.length.seconds)
    budget = slo.budget_ratio
    facts_text = f"scrape {facts.scrape_interval}, evaluation {facts.evaluation_interval}"
    if budget <= 0 or window <= 0:
        return AlertPlan(derived=True, facts_text=facts_text)  # SLO101's finding: no budget to burn
    traffic = slo.traffic
    derived = _derived(
        window,
        budget,
        Fraction(facts.scrape_interval.seconds),
        Fraction(facts.evaluation_interval.seconds),
        facts_text,
        None if traffic is None else (Fraction(traffic.count), Fraction(traffic.per.seconds)),
        slo.budgeting.timeslices,
        slo.window.phrase,
    )
    if derived.cap < 1:
        target = readable_percent(slo.target_ratio * 100)
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
                slo.target_pointer,
            ),
        )
    pointer = slo.alerting.pointer
    kept = tuple(
        AlertTier(severity, long, short, rate, pointer, why=why) for severity, long, short, rate, why in derived.kept
    )
    no_defaults = None
    if derived.no_defaults is not None:
        code = derived.no_defaults
        no_defaults = NoDefaults(
            code,
            _no_defaults_message(slo, code, budget * window, derived.delay, derived.floor_short, facts_text),
            _no_defaults_pointer(slo, code),
        )
    return AlertPlan(kept, True, derived.notes, no_defaults, facts_text)


@record
class _Derived:
    """What the derivation decides, apart from the SLO's name and pointers (shared by every
    SLO with the same target, window and facts)."""

    cap: Fraction
    kept: tuple[tuple[str, Duration, Duration, Decimal, str], ...] = ()
    notes: tuple[str, ...] = ()
    no_defaults: str | None = None  # the code of the rule that says why no tier can work
    delay: Fraction = Fraction(0)
    floor_short: Fraction = Fraction(0)


@functools.lru_cache(maxsize=4096)
def _derived(
    window: Fraction,
    budget: Fraction,
    scrape: Fraction,
    evaluation: Fraction,
    facts_text: str,
    traffic: tuple[Fraction, Fraction] | None,
    timeslices: bool,
    phrase: str,
) -> _Derived:
    """The derived tiers from their exact inputs. Specs repeat a few targets and windows
    thousands of times, and the exact arithmetic costs about a millisecond per SLO, so each
    set of inputs is derived once per process; every text in the result is a function of
    these arguments alone (the texts are keys too: equal numbers may be written differently)."""
    cap = _rate(MAX_THRESHOLD / budget)
    if cap < 1:
        return _Derived(cap)
    target = readable_percent((1 - budget) * 100)
    # A short window must hold 4 scrapes and 2 evaluations (SLO306), in whole minutes.
    floor_short = _minutes(max(4 * scrape, 2 * evaluation), up=True)
    budget_time = budget * window
    delay = scrape + evaluation
    kept: list[tuple[str, Duration, Duration, Decimal, str]] = []
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
        elif severity == "page" and traffic is not None and not timeslices:
            count, per = traffic
            expected = count * long / per
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
                (t for t in kept if t[0] == severity and t[3] <= _dec(rate) and t[1].seconds <= _dec(long)),
                None,
            )
            if twin is not None:
                notes.append(
                    f"{name} left out: the {twin[1]} {severity} tier at {_readable_rate(twin[3])}x fires first"
                )
                continue
        if cause is not None:
            dropped.append(cause[0])
            notes.append(f"{name} left out: {cause[1]}")
            continue
        scaled = "" if window == Fraction(REFERENCE_WINDOW.seconds) else f", scaled to {phrase}"
        text = f"{name}{scaled}" + (f"; {'; '.join(why)}" if why else "")
        kept.append((severity, _dur(long), _dur(short), _dec(rate), text))
    if kept and not any(t[0] == "page" for t in kept):
        notes.append("no page tier can work for this SLO, so its default alerts are tickets only")
    no_defaults = None
    if not kept:
        no_defaults = min(dropped, key=CAUSE_ORDER.index) if dropped else "SLO306"
    return _Derived(cap, tuple(kept), tuple(notes), no_defaults, delay, floor_short)


def _no_defaults_pointer(slo: SLO, code: str) -> Pointer:
    # A budget too small to alert on is the target's doing; windows too short for the
    # scrape interval are the window's.
    return slo.window.pointer if code == "SLO306" else slo.target_pointer


def _no_defaults_message(
    slo: SLO, code: str, budget_time: Fraction, delay: Fraction, floor_short: Fraction, facts_text: str
) -> str:
    off = "or write alerting: {policy: none} if no alert is wanted"
    if code == "SLO307":
        return (
            f"SLO {slo.name!r}: the whole "
            f"{f'{slo.window.phrase} budget' if slo.window.rolling else f'budget of {slo.window.phrase}'} "
            f"is {_dur(budget_time)}, and no "
            f"burn-rate alert fires before it is gone ({_dur(delay)} of scrape and evaluation alone), "
            f"so slospec derives no alert tiers for it; loosen the target or lengthen the window, {off}"
        )
    return (
        f"SLO {slo.name!r}: alert windows that hold 4 scrapes and 2 evaluations ({facts_text}; a "
        f"short window of at least {_dur(floor_short)}) are too long for {slo.window.phrase}, so slospec "
        f"derives no alert tiers for it; scrape or evaluate more often, lengthen the window, "
        f"declare alerting.tiers, {off}"
    )


def describe(slo: SLO, facts: Facts | None = None) -> list[str]:
    """Comment lines for generated files: which tiers an SLO alerts on, and why."""
    plan = alert_plan(slo, facts)
    if not plan.derived:
        if not plan.tiers:
            return [f"SLO {slo.name}: alerting off (alerting: {{policy: none}})"]
        return [f"SLO {slo.name}: alert tiers as declared in the spec"]
    head = (
        f"SLO {slo.name}: alert tiers derived by slospec from "
        f"{readable_percent(slo.target_ratio * 100)} over {slo.window.phrase} ({plan.facts_text}); "
        "declare alerting.tiers to choose your own"
    )
    lines = [head]
    lines += [
        f"  {t.severity} {t.long_window}/{t.short_window} at {_readable_rate(t.burn_rate)}x: {t.why}"
        for t in plan.tiers
    ]
    lines += [f"  {note}" for note in plan.notes]
    if plan.no_defaults is not None:
        lines.append(f"  no alert tiers: {plan.no_defaults.message}")
    return lines


def tier_pointer(slo: SLO, tier: AlertTier, field: str | None = None) -> Pointer:
    """Where a finding about a tier belongs: the declared tier's field, or, for a derived
    tier, the SLO's target, which is what the derived tiers follow from."""
    if tier.declared:
        return tier.pointer + ((field,) if field else ())
    return slo.target_pointer


def tier_label(slo: SLO, tier: AlertTier) -> str:
    origin = "tier" if tier.declared else "default tier"
    return (
        f"SLO {slo.name!r} {tier.severity} {origin} {tier.long_window}/{tier.short_window} "
        f"at {_readable_rate(tier.burn_rate)}x"
    )


def _readable_rate(rate: Decimal) -> str:
    """A burn rate as people read it: every digit of one they wrote (14.4), a derived one
    (a budget share over a window: 0.9333...) to four significant digits."""
    text = format_decimal(rate)
    if "." in text and len(text.split(".")[1]) > 4:
        return format_decimal(Decimal(f"{rate:.4g}"))
    return text


def declared_tiers(slo: SLO, facts: Facts | None = None) -> tuple[AlertTier, ...]:
    """The tiers the user wrote: what SLO301-SLO309 judge (derived tiers pass by construction)."""
    return tuple(t for t in tiers_for(slo, facts) if t.declared)


def no_defaults(slo: SLO, code: str, facts: Facts | None = None) -> NoDefaults | None:
    """Why no default tier can work for this SLO, when rule `code` is the one to say so."""
    from slospec.slo.slips import looks_like_ratio

    found = alert_plan(slo, facts).no_defaults
    if found is None or found.code != code or looks_like_ratio(slo):
        return None  # a ratio slip is SLO103's one finding
    return found
