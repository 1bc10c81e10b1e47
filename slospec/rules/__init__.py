"""The rule registry: every rule module, listed once; lookup by code, prefix or name."""

from __future__ import annotations

import dataclasses
import functools
import importlib
from typing import Any

from slospec.rules.base import Rule

# The one table of rules: code (fixed, design.md), module (the rule's name with underscores;
# the module's @rule says the same code and name, tests/rules/test_registry.py checks both), and
# the stages it joins besides `check`: "project" (check_project, the specs linted together),
# "openslo" (check_openslo, OpenSLO objects and references), "data" (check_data, eval's
# results), "live" (check_live, a live Prometheus server). Keep sorted by code. Adding a rule: its module, one row here, its fixture folder.
TABLE: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("SLO001", "syntax_error", ()),
    ("SLO002", "schema_violation", ()),
    ("SLO003", "unused_suppression", ()),
    ("SLO004", "unresolved_reference", ("openslo",)),
    ("SLO005", "duplicate_name", ("project", "openslo")),
    ("SLO006", "invalid_query", ()),
    ("SLO101", "perfect_target", ()),
    ("SLO102", "extreme_target", ()),
    ("SLO103", "implausible_target", ()),
    ("SLO104", "budget_below_resolution", ()),
    ("SLO105", "budget_below_response_time", ()),
    ("SLO106", "too_few_events", ()),
    ("SLO107", "timeslice_quantisation", ()),
    ("SLO108", "history_misses_target", ("data",)),
    ("SLO109", "target_below_history", ("data",)),
    ("SLO201", "slo_looser_than_sla", ()),
    ("SLO202", "thin_sla_margin", ()),
    ("SLO203", "sla_slo_mismatch", ()),
    ("SLO204", "dependency_ceiling", ()),
    ("SLO205", "dependency_missing_nine", ()),
    ("SLO206", "latency_non_monotone", ()),
    ("SLO207", "latency_threshold_not_bucket", ("live",)),
    ("SLO208", "percentile_target_mismatch", ()),
    ("SLO209", "latency_above_timeout", ()),
    ("SLO210", "inconsistent_credits", ()),
    ("SLO211", "metric_not_found", ("live",)),
    ("SLO212", "not_a_counter", ("live",)),
    ("SLO213", "population_mismatch", ("live",)),
    ("SLO214", "threshold_unit_mismatch", ()),
    ("SLO301", "alert_window_too_long", ()),
    ("SLO302", "burn_rate_unreachable", ()),
    ("SLO303", "burn_rate_below_one", ()),
    ("SLO304", "late_alert", ()),
    ("SLO305", "short_window_ratio", ()),
    ("SLO306", "window_below_scrape", ()),
    ("SLO307", "detection_after_exhaustion", ()),
    ("SLO308", "single_event_pages", ()),
    ("SLO309", "for_duration", ()),
    ("SLO401", "missing_owner", ()),
    ("SLO402", "missing_description", ()),
    ("SLO403", "missing_runbook", ()),
    ("SLO404", "non_integral_weeks", ()),
    ("SLO405", "ratio_of_averages", ()),
    ("SLO406", "too_many_slos", ()),
    ("SLO407", "over_precise_target", ()),
    ("SLO501", "rule_cost_over_budget", ()),
    ("SLO601", "policy_violation", ()),
    ("SLO602", "expired_waiver", ()),
    ("SLO603", "waived_policy", ()),
    ("SLO604", "unused_waiver", ()),
)

# Views of the table: a run that needs a few rules imports only those modules (a cached file's
# joint stage needs two).
RULE_MODULES = tuple(module for _, module, _ in TABLE)
CODES = {module: code for code, module, _ in TABLE}
PROJECT_MODULES = frozenset(module for _, module, stages in TABLE if "project" in stages)
OPENSLO_MODULES = frozenset(module for _, module, stages in TABLE if "openslo" in stages)
DATA_MODULES = frozenset(module for _, module, stages in TABLE if "data" in stages)
LIVE_MODULES = frozenset(module for _, module, stages in TABLE if "live" in stages)


def _load(module_name: str) -> Rule:
    module = importlib.import_module(f"slospec.rules.{module_name}")
    found: Rule = module.check
    found = dataclasses.replace(
        found,
        check_project=getattr(module, "check_project", None),
        check_openslo=getattr(module, "check_openslo", None),
        check_data=getattr(module, "check_data", None),
        check_live=getattr(module, "check_live", None),
    )
    if found.name.replace("-", "_") != module_name:  # pragma: no cover - registry test
        raise RuntimeError(f"rule {found.code} {found.name} lives in {module_name}.py")
    if found.code != CODES[module_name]:  # pragma: no cover - registry test
        raise RuntimeError(f"rule {found.name} is {found.code}, the registry says {CODES[module_name]}")
    return found


class LazyRule:
    """A rule by its code and name; its module is imported the first time anything else is read."""

    __slots__ = ("code", "name", "module", "_rule")

    def __init__(self, code: str, module: str) -> None:
        self.code = code
        self.name = module.replace("_", "-")
        self.module = module
        self._rule: Rule | None = None

    def load(self) -> Rule:
        if self._rule is None:
            self._rule = _load(self.module)
        return self._rule

    @property
    def check_project(self) -> Any:  # Rule.check_project
        return self.load().check_project if self.module in PROJECT_MODULES else None

    @property
    def check_openslo(self) -> Any:  # Rule.check_openslo
        return self.load().check_openslo if self.module in OPENSLO_MODULES else None

    @property
    def check_data(self) -> Any:  # Rule.check_data
        return self.load().check_data if self.module in DATA_MODULES else None

    @property
    def check_live(self) -> Any:  # Rule.check_live
        return self.load().check_live if self.module in LIVE_MODULES else None

    def __getattr__(self, attr: str) -> Any:  # everything else a Rule has
        if attr.startswith("__"):
            raise AttributeError(attr)
        return getattr(self.load(), attr)

    def __repr__(self) -> str:
        return f"LazyRule({self.code!r}, {self.module!r})"


@functools.cache
def registry() -> dict[str, LazyRule]:
    """code -> LazyRule, in code order: codes and names without importing any rule module."""
    return {code: LazyRule(code, module) for code, module, _ in sorted(TABLE)}


@functools.cache
def all_rules() -> dict[str, Rule]:
    """code -> Rule, in code order. Imported on first use so `--help` stays fast."""
    rules: dict[str, Rule] = {}
    names: set[str] = set()
    for code, lazy in registry().items():
        found = lazy.load()
        if found.code in rules or found.name in names:  # pragma: no cover - registry test
            raise RuntimeError(f"duplicate rule {found.code} {found.name}")
        rules[code] = found
        names.add(found.name)
    return rules


def get(code_or_name: str) -> Rule | None:
    """The rule of a code or name; only its own module is imported."""
    key = code_or_name.strip()
    rules = registry()
    if key.upper() in rules:
        return rules[key.upper()].load()
    found = next((r for r in rules.values() if r.name == key.lower()), None)
    return found.load() if found is not None else None


def matches(selector: str, rule: Rule | LazyRule) -> bool:
    """A selector is a code, a code prefix (SLO1, SLO10) or a rule name."""
    from slospec.source.suppressions import selects

    return selects(selector, rule)


def valid_selector(selector: str) -> bool:
    return any(matches(selector, r) for r in registry().values()) or selector.upper() in ("ALL",)


def suggest(wrong: str, limit: int = 3) -> list[str]:
    """Rule names or codes close to a mistyped one: `perfect` -> perfect-target."""
    import difflib

    key = wrong.strip().lower()
    rules = registry().values()
    if not key:
        return []
    inside = [r.name for r in rules if key in r.name]
    if inside:
        return inside[:limit]
    names = difflib.get_close_matches(key, [r.name for r in rules], n=limit, cutoff=0.6)
    codes = difflib.get_close_matches(key.upper(), [r.code for r in rules], n=limit, cutoff=0.8)
    return (names + codes)[:limit]
