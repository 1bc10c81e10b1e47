"""Rule groups a ruler can run: evaluation intervals scaled to the windows, and packing.

**Intervals.** An SLO's rules come as one group evaluated every `evaluationInterval`. The
rules a page depends on (the page alerts, `SLOMetricsAbsent`, `slo:burn_rate:ratio`, the
recorded base series, and every series those read) stay there. The rest (ticket alerts, the
windows only they and the SLO-window series read) move to a second group, `<name>.long`,
evaluated every 1/30 of the shortest window it holds, in whole minutes, at most 4 minutes (a
recorded series must be refreshed within Prometheus's 5 minute lookback, or dashboards see
gaps). A 2h window does not need a 30 s interval: a ticket comes at most 4 minutes later,
and the 28d window is read an eighth as often.

**Packing.** `max-rules-per-group` splits a group into parts of at most N rules, in the
group's order, so a recorded series is always in the same part before the rules that read it
or in an earlier part. Each alert goes with the series it reads when they fit in one part
(the same evaluation sees them), otherwise it reads them from an earlier part, at most one
evaluation old. `max-groups` refuses a compilation that still needs more groups.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from slospec.compile import CompileError
from slospec.specmodel.quantities import Duration, format_prometheus

if TYPE_CHECKING:
    from slospec.compile import CompileOptions
    from slospec.compile.prometheus import SloRules

_READS = re.compile(r"\bslo:[A-Za-z0-9_:]+")
_WINDOW = re.compile(r"^slo:sli_error:ratio_rate(.+)$")
MAX_SLOW_INTERVAL = Duration.parse("4m")
SLOW_SUFFIX = ".long"
FAST_RECORDS = ("slo:burn_rate:ratio",)


def setting(options: CompileOptions | None, key: str) -> int | None:
    """A packing limit: the command line's (options.extra), else `[prometheus]`'s."""
    if options is None:
        return None
    value = options.extra.get(key.replace("-", "_"))
    if value is None:
        value = (getattr(options.config, "prometheus", None) or {}).get(key)
    return None if value is None else int(value)


def reads(rule: dict[str, Any]) -> set[str]:
    """The `slo:` series a rule's expression reads."""
    return set(_READS.findall(str(rule["expr"])))


def _name(rule: dict[str, Any]) -> str:
    return str(rule.get("record") or rule.get("alert"))


def _fast_roots(rule: dict[str, Any], base_names: set[str], absent_alert: str) -> bool:
    if "alert" in rule:
        return rule["alert"] == absent_alert or (rule.get("labels") or {}).get("severity") != "ticket"
    # Constants (the objective, the budget) cost nothing: they stay with the page rules.
    return rule["record"] in FAST_RECORDS or rule["record"] in base_names or not _has_range(rule)


def _has_range(rule: dict[str, Any]) -> bool:
    return "[" in str(rule["expr"]) or bool(reads(rule))


def split_intervals(group: dict[str, Any], rules: SloRules) -> list[dict[str, Any]]:
    """The SLO's group as a fast group and, where it is worth it, a slower `.long` group."""
    from slospec.compile import prometheus_windows as lw
    from slospec.compile.prometheus import ABSENT_ALERT

    base_names = {r["record"] for r in lw.base_records(rules)}
    members = group["rules"]
    fast = [_fast_roots(r, base_names, ABSENT_ALERT) for r in members]
    # Everything a fast rule reads (recorded in this group, transitively) is fast too.
    recorded_at = {r["record"]: i for i, r in enumerate(members) if "record" in r}
    changed = True
    while changed:
        changed = False
        for i, rule in enumerate(members):
            if not fast[i]:
                continue
            for name in reads(rule):
                j = recorded_at.get(name)
                if j is not None and not fast[j]:
                    fast[j] = changed = True
    slow = [r for r, f in zip(members, fast, strict=True) if not f]
    if not slow or all(fast):
        return [group]
    windows = []
    for rule in slow:
        match = _WINDOW.match(str(rule.get("record", "")))
        if match:
            try:
                windows.append(Duration.parse(match.group(1)))
            except Exception:  # noqa: BLE001 - a record name that is not a window (timeslices)
                continue
    if not windows:
        return [group]
    evaluation = Duration.parse(group["interval"])
    minutes = (min(windows).seconds / 30 // 60) * 60
    interval = min(MAX_SLOW_INTERVAL.seconds, max(minutes, Decimal(0)))
    if interval <= evaluation.seconds:
        return [group]
    return [
        {**group, "rules": [r for r, f in zip(members, fast, strict=True) if f]},
        {"name": group["name"] + SLOW_SUFFIX, "interval": format_prometheus(interval), "rules": slow},
    ]


def _units(rules: list[dict[str, Any]]) -> list[list[int]]:
    """Rules in units to keep together: each alert with the not yet placed series it reads
    (transitively), each remaining record alone; in the group's order."""
    recorded_at = {r["record"]: i for i, r in enumerate(rules) if "record" in r}
    placed: set[int] = set()
    units: list[list[int]] = []

    def closure(i: int, into: set[int]) -> None:
        for name in reads(rules[i]):
            j = recorded_at.get(name)
            if j is not None and j not in into and j not in placed and j < i:
                into.add(j)
                closure(j, into)

    readers = {j for i, r in enumerate(rules) for name in reads(r) if (j := recorded_at.get(name)) is not None}
    for i, rule in enumerate(rules):
        if i in placed:
            continue
        if "alert" in rule or i not in readers:
            found: set[int] = {i}
            closure(i, found)
            unit = sorted(found)
            placed |= found
            units.append(unit)
    rest = [i for i in range(len(rules)) if i not in placed]
    # Records no alert reads but other records do: in order, before the units (they are read).
    return [[i] for i in rest] + units if rest else units


def pack(group: dict[str, Any], limit: int) -> list[dict[str, Any]]:
    """One group as parts of at most `limit` rules, every series before its readers."""
    members = group["rules"]
    if len(members) <= limit:
        return [group]
    units = _units(members)
    position = {i: n for n, i in enumerate(i for unit in units for i in unit)}
    recorded_at = {r["record"]: i for i, r in enumerate(members) if "record" in r}
    if any(
        position[j] > position[i]
        for i, rule in enumerate(members)
        for name in reads(rule)
        if (j := recorded_at.get(name)) is not None
    ):
        units = [[i] for i in range(len(members))]  # a reader before its series: the group's own order
    parts: list[list[int]] = [[]]
    for unit in units:
        if len(parts[-1]) + len(unit) > limit and parts[-1]:
            parts.append([])
        for i in unit:
            if len(parts[-1]) >= limit:
                parts.append([])
            parts[-1].append(i)
    return [
        {**group, "name": group["name"] if n == 0 else f"{group['name']}.{n + 1}", "rules": [members[i] for i in part]}
        for n, part in enumerate(parts)
    ]


def arrange(group: dict[str, Any], rules: SloRules, options: CompileOptions | None) -> list[dict[str, Any]]:
    """The SLO's group split by interval (recorded long windows only: `--exact-windows`
    writes today's one group per SLO), then packed to the rules-per-group limit."""
    from slospec.compile.prometheus_windows import RECORDED

    groups = split_intervals(group, rules) if rules.long_windows == RECORDED else [group]
    limit = setting(options, "max-rules-per-group")
    if limit is not None:
        if limit < 2:
            raise CompileError(f"max-rules-per-group = {limit}: an alert needs the series it reads; write 2 or more")
        groups = [part for g in groups for part in pack(g, limit)]
    return groups


def check_group_limit(count: int, options: CompileOptions | None, where: str = "") -> None:
    """Refuse more groups than `max-groups` allows, saying what would fit."""
    limit = setting(options, "max-groups")
    if limit is not None and count > limit:
        rules_limit = setting(options, "max-rules-per-group")
        hint = "raise max-rules-per-group (fewer, larger groups), " if rules_limit is not None else ""
        raise CompileError(
            f"{count} rule groups{where}, more than max-groups = {limit}: {hint}compile the specs in several "
            "runs for several tenants or namespaces, or raise the ruler's group limit (Mimir: "
            "ruler_max_rule_groups_per_tenant)"
        )
