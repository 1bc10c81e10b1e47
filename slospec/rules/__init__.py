"""The rule registry: every rule module, listed once; lookup by code, prefix or name."""

from __future__ import annotations

import dataclasses
import functools
import importlib
from typing import Any

from slospec.rules.base import Rule

# One module per rule, named after the rule. Keep sorted by code.
RULE_MODULES = (
    "syntax_error",
    "schema_violation",
    "unused_suppression",
    "unresolved_reference",
    "duplicate_name",
    "invalid_query",
    "perfect_target",
    "extreme_target",
    "implausible_target",
    "budget_below_resolution",
    "budget_below_response_time",
    "too_few_events",
    "timeslice_quantisation",
    "history_misses_target",
    "target_below_history",
    "slo_looser_than_sla",
    "thin_sla_margin",
    "sla_slo_mismatch",
    "dependency_ceiling",
    "dependency_missing_nine",
    "latency_non_monotone",
    "latency_threshold_not_bucket",
    "percentile_target_mismatch",
    "latency_above_timeout",
    "inconsistent_credits",
    "metric_not_found",
    "not_a_counter",
    "population_mismatch",
    "alert_window_too_long",
    "burn_rate_unreachable",
    "burn_rate_below_one",
    "late_alert",
    "short_window_ratio",
    "window_below_scrape",
    "detection_after_exhaustion",
    "single_event_pages",
    "for_duration",
    "missing_owner",
    "missing_description",
    "missing_runbook",
    "non_integral_weeks",
    "ratio_of_averages",
    "too_many_slos",
    "over_precise_target",
    "rule_cost_over_budget",
)


# Codes are fixed (docs/design): code -> module, so a run that needs a few rules imports only
# those (a cached file's joint stage needs two). tests/rules/test_registry.py checks this table
# against the modules themselves.
CODES = {
    "syntax_error": "SLO001",
    "schema_violation": "SLO002",
    "unused_suppression": "SLO003",
    "unresolved_reference": "SLO004",
    "duplicate_name": "SLO005",
    "invalid_query": "SLO006",
    "perfect_target": "SLO101",
    "extreme_target": "SLO102",
    "implausible_target": "SLO103",
    "budget_below_resolution": "SLO104",
    "budget_below_response_time": "SLO105",
    "too_few_events": "SLO106",
    "timeslice_quantisation": "SLO107",
    "history_misses_target": "SLO108",
    "target_below_history": "SLO109",
    "slo_looser_than_sla": "SLO201",
    "thin_sla_margin": "SLO202",
    "sla_slo_mismatch": "SLO203",
    "dependency_ceiling": "SLO204",
    "dependency_missing_nine": "SLO205",
    "latency_non_monotone": "SLO206",
    "latency_threshold_not_bucket": "SLO207",
    "percentile_target_mismatch": "SLO208",
    "latency_above_timeout": "SLO209",
    "inconsistent_credits": "SLO210",
    "metric_not_found": "SLO211",
    "not_a_counter": "SLO212",
    "population_mismatch": "SLO213",
    "alert_window_too_long": "SLO301",
    "burn_rate_unreachable": "SLO302",
    "burn_rate_below_one": "SLO303",
    "late_alert": "SLO304",
    "short_window_ratio": "SLO305",
    "window_below_scrape": "SLO306",
    "detection_after_exhaustion": "SLO307",
    "single_event_pages": "SLO308",
    "for_duration": "SLO309",
    "missing_owner": "SLO401",
    "missing_description": "SLO402",
    "missing_runbook": "SLO403",
    "non_integral_weeks": "SLO404",
    "ratio_of_averages": "SLO405",
    "too_many_slos": "SLO406",
    "over_precise_target": "SLO407",
    "rule_cost_over_budget": "SLO501",
}
# The modules that define check_project / check_openslo (the joint stage's rules).
PROJECT_MODULES = frozenset({"duplicate_name"})
OPENSLO_MODULES = frozenset({"unresolved_reference", "duplicate_name"})
# The modules that define check_data (the rules eval runs on recorded data).
DATA_MODULES = frozenset({"history_misses_target", "target_below_history"})


def _load(module_name: str) -> Rule:
    module = importlib.import_module(f"slospec.rules.{module_name}")
    found: Rule = module.check
    found = dataclasses.replace(
        found,
        check_project=getattr(module, "check_project", None),
        check_openslo=getattr(module, "check_openslo", None),
        check_data=getattr(module, "check_data", None),
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

    def __getattr__(self, attr: str) -> Any:  # everything else a Rule has
        if attr.startswith("__"):
            raise AttributeError(attr)
        return getattr(self.load(), attr)

    def __repr__(self) -> str:
        return f"LazyRule({self.code!r}, {self.module!r})"


@functools.cache
def registry() -> dict[str, LazyRule]:
    """code -> LazyRule, in code order: codes and names without importing any rule module."""
    for module_name in RULE_MODULES:
        if module_name not in CODES:  # pragma: no cover - registry test
            raise RuntimeError(f"rule module {module_name} has no code in the registry")
    return {code: LazyRule(code, module) for module, code in sorted(CODES.items(), key=lambda kv: kv[1])}


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
    from slospec.suppressions import selects

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
