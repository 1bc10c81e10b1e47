"""The rule registry: every rule module, listed once; lookup by code, prefix or name."""

from __future__ import annotations

import dataclasses
import functools
import importlib

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
)


@functools.cache
def all_rules() -> dict[str, Rule]:
    """code -> Rule, in code order. Imported on first use so `--help` stays fast."""
    rules: dict[str, Rule] = {}
    names: set[str] = set()
    for module_name in RULE_MODULES:
        module = importlib.import_module(f"slospec.rules.{module_name}")
        found: Rule = module.check
        found = dataclasses.replace(found, check_project=getattr(module, "check_project", None),
                                    check_openslo=getattr(module, "check_openslo", None),
                                    check_data=getattr(module, "check_data", None))
        if found.code in rules or found.name in names:  # pragma: no cover - registry test
            raise RuntimeError(f"duplicate rule {found.code} {found.name}")
        if found.name.replace("-", "_") != module_name:  # pragma: no cover - registry test
            raise RuntimeError(f"rule {found.code} {found.name} lives in {module_name}.py")
        rules[found.code] = found
        names.add(found.name)
    return dict(sorted(rules.items()))


def get(code_or_name: str) -> Rule | None:
    key = code_or_name.strip()
    rules = all_rules()
    if key.upper() in rules:
        return rules[key.upper()]
    return next((r for r in rules.values() if r.name == key.lower()), None)


def matches(selector: str, rule: Rule) -> bool:
    """A selector is a code, a code prefix (SLO1, SLO10) or a rule name."""
    from slospec.suppressions import selects

    return selects(selector, rule)


def valid_selector(selector: str) -> bool:
    return any(matches(selector, r) for r in all_rules().values()) or selector.upper() in ("ALL",)


def suggest(wrong: str, limit: int = 3) -> list[str]:
    """Rule names or codes close to a mistyped one: `perfect` -> perfect-target."""
    import difflib

    key = wrong.strip().lower()
    rules = all_rules().values()
    if not key:
        return []
    inside = [r.name for r in rules if key in r.name]
    if inside:
        return inside[:limit]
    names = difflib.get_close_matches(key, [r.name for r in rules], n=limit, cutoff=0.6)
    codes = difflib.get_close_matches(key.upper(), [r.code for r in rules], n=limit, cutoff=0.8)
    return (names + codes)[:limit]
