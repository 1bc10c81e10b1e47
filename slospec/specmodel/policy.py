"""Organisation policy: `[[policy]]`, `[[waiver]]` and `[[budget-policy]]` in the configuration.

What services of a kind must promise (a minimum target, allowed windows, an owner, a
runbook, a paging alert, ...), the waivers that excuse one service from one policy until a
date, and the error-budget policy a deploy gate applies (`slospec gate`). Parsed from the
configuration's plain data (already valid against schema/config.schema.json) into typed
records with exact Decimal targets; judged on a `model.Spec` by the SLO6xx rules.

Imported only when a configuration has one of these tables (start-up time).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from slospec.diagnostics import Pointer

# What `require` may ask of a service (docs/policy.md describes each).
REQUIREMENTS = ("owner", "runbook", "description", "page-alert", "sla", "latency-sli", "service-description")
CALENDARS = ("day", "week", "month", "quarter", "year")


class PolicyError(Exception):
    """A policy the configuration cannot hold (a waiver of no policy, a bad window)."""


@dataclass(frozen=True)
class Match:
    """`when = { tier = "critical", team = ["a", "b"] }`: every key must hold one of its values."""

    facts: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def matches(self, facts: Mapping[str, set[str]]) -> bool:
        for key, wanted in self.facts:
            have = facts.get(key.casefold(), set())
            if not any(w.casefold() in have for w in wanted):
                return False
        return True

    def __str__(self) -> str:
        if not self.facts:
            return "every service"
        return ", ".join(f"{k}={'|'.join(v)}" for k, v in self.facts)


@dataclass(frozen=True)
class Policy:
    """One `[[policy]]`: what every service it matches must promise."""

    name: str
    index: int
    description: str | None = None
    when: Match = field(default_factory=Match)
    min_target: Decimal | None = None  # percent
    max_target: Decimal | None = None  # percent
    windows: tuple[str, ...] = ()
    require: tuple[str, ...] = ()
    max_slos: int | None = None

    @property
    def title(self) -> str:
        return f"policy {self.name!r} ({self.description})" if self.description else f"policy {self.name!r}"


@dataclass(frozen=True)
class Waiver:
    """One `[[waiver]]`: `service` need not meet `policy` until `expires` (inclusive)."""

    policy: str
    service: str
    reason: str
    owner: str
    expires: datetime.date
    index: int

    def expired(self, today: datetime.date) -> bool:
        return today > self.expires


@dataclass(frozen=True)
class Step:
    """One step of a budget policy: `action` once the budget left is below `remaining_below`."""

    remaining_below: Decimal  # percent of the window's budget
    action: str
    message: str | None = None

    def __str__(self) -> str:
        return f"{self.action} (less than {_percent(self.remaining_below)} of the budget left)"


@dataclass(frozen=True)
class BudgetPolicy:
    """One `[[budget-policy]]`: the steps that apply to the services it matches."""

    index: int
    name: str | None = None
    description: str | None = None
    when: Match = field(default_factory=Match)
    steps: tuple[Step, ...] = ()  # most severe (lowest threshold) first

    @property
    def title(self) -> str:
        return self.name or f"budget-policy #{self.index + 1}"

    def step_for(self, remaining: Decimal) -> Step | None:
        """The step that applies with `remaining` percent of the budget left (the lowest threshold
        the remainder is below), or None."""
        return self.step_for_fraction(Fraction(remaining))

    def step_for_fraction(self, remaining: Fraction) -> Step | None:
        """step_for with the budget left as an exact Fraction (what `slospec gate` computes)."""
        for step in self.steps:
            if remaining < Fraction(step.remaining_below):
                return step
        return None


@dataclass(frozen=True)
class PolicySet:
    """Every policy, waiver and budget policy of one configuration."""

    policies: tuple[Policy, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    budget_policies: tuple[BudgetPolicy, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.policies or self.waivers or self.budget_policies)

    def budget_policy_for(self, spec: Any) -> BudgetPolicy | None:
        """The first budget policy whose `when` matches the spec's service."""
        facts = service_facts(spec)
        return next((b for b in self.budget_policies if b.when.matches(facts)), None)


def _percent(value: Decimal) -> str:
    from slospec.specmodel.quantities import format_decimal

    return f"{format_decimal(value)}%"


def today() -> datetime.date:
    """The day waivers are judged on (UTC, so CI and laptops agree)."""
    return datetime.datetime.now(datetime.UTC).date()


# ---------------------------------------------------------------- reading the configuration


def normalise(data: dict[str, Any]) -> dict[str, Any]:
    """TOML dates (`expires = 2027-03-31`) as ISO text, so the JSON Schema can judge them."""
    waivers = data.get("waiver")
    if not isinstance(waivers, list):
        return data
    fixed = []
    for item in waivers:
        if isinstance(item, dict) and isinstance(item.get("expires"), (datetime.date, datetime.datetime)):
            value = item["expires"]
            day = value.date() if isinstance(value, datetime.datetime) else value
            item = {**item, "expires": day.isoformat()}
        fixed.append(item)
    return {**data, "waiver": fixed}


def from_data(data: Mapping[str, Any], where: str) -> PolicySet:
    """The typed policies of schema-valid configuration data; PolicyError names the key."""
    from slospec.specmodel.quantities import QuantityError, parse_percent

    def percent(value: str, at: str) -> Decimal:
        found = None
        if value.strip().endswith("%"):
            try:
                found = parse_percent(value)
            except (QuantityError, ValueError, ArithmeticError):
                found = None
        if found is None or not 0 <= found <= 100:
            raise PolicyError(f'{where}: {at}: {value!r} is not a percentage; write one such as "99.9%"')
        return found

    policies: list[Policy] = []
    names: set[str] = set()
    for i, item in enumerate(data.get("policy", ())):
        at = f"policy[{i}]"
        name = item["name"]
        if name in names:
            raise PolicyError(f"{where}: {at}.name: a second policy named {name!r} (names are unique)")
        names.add(name)
        windows = tuple(item.get("windows", ()))
        for window in windows:
            _check_window(window, f"{where}: {at}.windows")
        low = percent(item["min-target"], f"{at}.min-target") if "min-target" in item else None
        high = percent(item["max-target"], f"{at}.max-target") if "max-target" in item else None
        if low is not None and high is not None and low > high:
            raise PolicyError(f"{where}: {at}: min-target {_percent(low)} is above max-target {_percent(high)}")
        policies.append(
            Policy(
                name=name,
                index=i,
                description=item.get("description"),
                when=_match(item.get("when", {})),
                min_target=low,
                max_target=high,
                windows=windows,
                require=tuple(dict.fromkeys(item.get("require", ()))),
                max_slos=item.get("max-slos"),
            )
        )
    waivers = []
    for i, item in enumerate(data.get("waiver", ())):
        at = f"waiver[{i}]"
        if item["policy"] not in names:
            known = ", ".join(sorted(names)) or "none"
            raise PolicyError(f"{where}: {at}.policy: no policy named {item['policy']!r} (policies: {known})")
        try:
            expires = datetime.date.fromisoformat(item["expires"])
        except ValueError:
            raise PolicyError(f"{where}: {at}.expires: {item['expires']!r} is not a date (write 2027-03-31)") from None
        waivers.append(Waiver(item["policy"], item["service"], item["reason"], item["owner"], expires, i))
    budgets = []
    for i, item in enumerate(data.get("budget-policy", ())):
        at = f"budget-policy[{i}]"
        steps = tuple(
            sorted(
                (
                    Step(
                        percent(s["remaining-below"], f"{at}.steps[{n}].remaining-below"), s["action"], s.get("message")
                    )
                    for n, s in enumerate(item["steps"])
                ),
                key=lambda s: s.remaining_below,
            )
        )
        budgets.append(BudgetPolicy(i, item.get("name"), item.get("description"), _match(item.get("when", {})), steps))
    return PolicySet(tuple(policies), tuple(waivers), tuple(budgets))


def _match(when: Mapping[str, Any]) -> Match:
    return Match(
        tuple(
            (str(key), (value,) if isinstance(value, str) else tuple(str(v) for v in value))
            for key, value in sorted(when.items())
        )
    )


def _check_window(window: str, where: str) -> None:
    if window in CALENDARS:
        return
    from slospec.specmodel.quantities import Duration, QuantityError

    try:
        Duration.parse(window)
    except QuantityError:
        raise PolicyError(
            f"{where}: {window!r} is neither a rolling window (a duration such as 28d or 30d) "
            f"nor a calendar period ({', '.join(CALENDARS)})"
        ) from None


# ---------------------------------------------------------------- judging a spec


def service_facts(spec: Any) -> dict[str, set[str]]:
    """What `when` is matched against: the service's name, owner and tier, and every label of
    the service and of its SLOs (OpenSLO `tier: [critical]`, Sloth and Pyrra labels, ...). A
    label holding several values (an OpenSLO list, `a,b`) matches any of them."""
    facts: dict[str, set[str]] = {}

    def add(key: str, value: Any) -> None:
        if value is None:
            return
        for part in str(value).split(","):
            if part.strip():
                facts.setdefault(key.casefold(), set()).add(part.strip().casefold())

    service = spec.service
    add("service", service.name)
    add("owner", service.owner)
    add("tier", service.tier)
    for key, value in service.labels.items():
        add(key, value)
    for slo in spec.slos:
        for key, value in slo.labels.items():
            add(key, value)
    return facts


@dataclass(frozen=True)
class Violation:
    """One requirement a spec does not meet: where in its data, and the message."""

    requirement: str
    pointer: Pointer
    detail: str  # what the policy requires and what the spec has: "requires an owner: ..."


@dataclass(frozen=True)
class Judgement:
    """One policy that applies to one spec: what it finds, and the waiver that speaks for it."""

    policy: Policy
    violations: tuple[Violation, ...]
    waiver: Waiver | None


@dataclass(frozen=True)
class Verdict:
    """A spec judged against a policy set."""

    judgements: tuple[Judgement, ...]
    # Waivers of this service whose policy does not apply or finds nothing.
    idle: tuple[tuple[Waiver, str], ...]


_last: list[Any] = [None, None, None, None]


def judge(spec: Any, policies: PolicySet, day: datetime.date | None = None) -> Verdict:
    """Every policy that applies to the spec's service, its violations and waiver. The four
    SLO6xx rules ask for the same spec in turn: the last answer is kept."""
    day = day or today()
    if _last[0] is spec and _last[1] is policies and _last[2] == day:
        found: Verdict = _last[3]
        return found
    facts = service_facts(spec)
    judgements = []
    applying: dict[str, bool] = {}
    for policy in policies.policies:
        applies = policy.when.matches(facts)
        violations = tuple(_violations(policy, spec)) if applies else ()
        applying[policy.name] = applies and bool(violations)
        if not applies:
            continue
        waiver = next(
            (w for w in policies.waivers if w.policy == policy.name and w.service == spec.service.name),
            None,
        )
        judgements.append(Judgement(policy, violations, waiver if violations else None))
    idle = []
    for waiver in policies.waivers:
        if waiver.service != spec.service.name or applying.get(waiver.policy):
            continue
        policy = next(p for p in policies.policies if p.name == waiver.policy)
        why = (
            "the service meets it"
            if policy.when.matches(facts)
            else f"it does not apply to this service (it applies to {policy.when})"
        )
        idle.append((waiver, why))
    verdict = Verdict(tuple(judgements), tuple(idle))
    _last[:] = [spec, policies, day, verdict]
    return verdict


def _violations(policy: Policy, spec: Any) -> Iterable[Violation]:
    from slospec.specmodel.quantities import format_decimal

    service = spec.service
    name_at: Pointer = ("service", "name")
    for slo in spec.slos:
        target = f"{format_decimal(slo.target)}%"
        if policy.min_target is not None and slo.target < policy.min_target:
            yield Violation(
                "min-target",
                slo.target_pointer,
                f"requires a target of at least {_percent(policy.min_target)} (min-target): "
                f"SLO {slo.name!r} promises {target}",
            )
        if policy.max_target is not None and slo.target > policy.max_target:
            yield Violation(
                "max-target",
                slo.target_pointer,
                f"allows a target of at most {_percent(policy.max_target)} (max-target): "
                f"SLO {slo.name!r} promises {target}",
            )
        if policy.windows and not any(_window_is(slo.window, w) for w in policy.windows):
            yield Violation(
                "windows",
                slo.window.pointer,
                f"allows the windows {', '.join(policy.windows)}: SLO {slo.name!r} uses {slo.window.phrase}",
            )
    require = policy.require
    if "owner" in require and not service.owner:
        orphans = [s.name for s in spec.slos if not s.owner]
        if orphans or not spec.slos:
            yield Violation(
                "owner",
                name_at,
                f"requires an owner: service {service.name!r} names none"
                + (f" (nor do its SLOs {', '.join(map(repr, orphans))})" if orphans else "")
                + "; add service.owner (or an owner/team label)",
            )
    if "service-description" in require and not service.description:
        yield Violation(
            "service-description",
            name_at,
            f"requires a description of the service: {service.name!r} has none",
        )
    if "sla" in require and not spec.slas:
        yield Violation("sla", name_at, f"requires an SLA: service {service.name!r} states no external commitment")
    if "latency-sli" in require and not any(_is_latency(sli) for sli in spec.slis):
        yield Violation(
            "latency-sli",
            name_at,
            f"requires a latency SLI: service {service.name!r} measures none "
            "(a histogram threshold, or a ratio over a _bucket series)",
        )
    if policy.max_slos is not None and len(spec.slos) > policy.max_slos:
        extra = spec.slos[policy.max_slos]
        yield Violation(
            "max-slos",
            extra.pointer + ("name",),
            f"allows at most {policy.max_slos} SLO{'s' if policy.max_slos != 1 else ''} per service "
            f"(max-slos): {service.name!r} has {len(spec.slos)}",
        )
    for slo in spec.slos:
        at = slo.pointer + ("name",)
        if "description" in require and not slo.description:
            yield Violation(
                "description", at, f"requires a description: SLO {slo.name!r} says nothing of what it promises"
            )
        if "runbook" in require and not (slo.alerting.runbook or service.runbook or _labelled_runbook(spec, slo)):
            yield Violation(
                "runbook",
                at,
                f"requires a runbook: neither SLO {slo.name!r} nor service {service.name!r} links one "
                f"({RUNBOOK_HINT.get(spec.origin, RUNBOOK_HINT['slospec'])})",
            )
        if "page-alert" in require and not _pages(spec, slo):
            yield Violation(
                "page-alert",
                at,
                f"requires an alert that pages: SLO {slo.name!r} has none "
                f"({PAGE_HINT.get(spec.origin, PAGE_HINT['slospec'])})",
            )


RUNBOOK_KEYS = ("runbook", "runbook_url", "runbook-url", "runbookurl")
RUNBOOK_HINT = {
    "slospec": "service.runbook or an SLO's alerting.runbook",
    "openslo": "a runbook label on the SLO or its Service",
    "sloth": "alerting.annotations.runbook",
    "pyrra": "a pyrra.dev/runbook label",
    "slogen": "a runbook label in metadata.labels",
}

PAGE_HINT = {
    "slospec": "declare a tier with severity: page, or keep the default alerting",
    "openslo": "an alertPolicies entry whose condition has a paging severity",
    "sloth": "alerting.page_alert, not disabled",
    "pyrra": "alerting not disabled",
    "slogen": "an error_budget_policy step with alert: true",
}


def _labelled_runbook(spec: Any, slo: Any) -> bool:
    """A runbook given as a label (formats without a runbook field: OpenSLO, Pyrra, ...)."""
    return any(k.casefold() in RUNBOOK_KEYS and v for k, v in (*spec.service.labels.items(), *slo.labels.items()))


def _window_is(window: Any, allowed: str) -> bool:
    if allowed in CALENDARS:
        return bool(window.calendar == allowed)
    from slospec.specmodel.quantities import Duration

    return bool(window.rolling and window.length == Duration.parse(allowed))


def _is_latency(sli: Any) -> bool:
    if sli.kind == "latency":
        return True
    queries = " ".join(q for q in (sli.good, sli.bad, sli.total) if q)
    return bool(re.search(r"_bucket\b", queries) and re.search(r"\ble\s*=", queries))


def _pages(spec: Any, slo: Any) -> bool:
    alerting = slo.alerting
    if alerting.policy == "none":
        return False
    if alerting.tiers:
        return any(t.severity == "page" for t in alerting.tiers)
    # slospec compiles its default (workbook) page tiers; an imported file without alert
    # policies pages nowhere.
    return bool(spec.origin == "slospec")
