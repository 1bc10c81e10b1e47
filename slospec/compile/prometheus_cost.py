"""What generated rules cost to evaluate: raw samples read, per rule group and per SLO.

`compile --target prometheus --stats` prints it; the SLO507 lint rule compares it with a
budget. The estimate reads the generated expressions themselves: every range over a raw
series (not a `slo:` recorded one) reads `range / scrape interval` samples per series it
selects at every evaluation; a subquery repeats its inner ranges once per step (the group's
interval). Recorded series are one sample per evaluation, so reading them is cheap; they
are counted apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

RECORDED_PREFIX = "slo:"


@dataclass
class Reads:
    """Range-seconds an expression reads per evaluation, per series its selectors match."""

    raw: Decimal = Decimal(0)
    recorded: Decimal = Decimal(0)
    longest_raw: int = 0


def reads(expr: str, step: Decimal) -> Reads:
    """The ranges `expr` reads: raw and recorded range-seconds, subqueries expanded."""
    import promql_parser

    from slospec.slo import promql

    out = Reads()

    def walk(node: object, times: Decimal) -> None:
        if isinstance(node, promql_parser.MatrixSelector):
            seconds = int(node.range.total_seconds())
            name = getattr(node.vector_selector, "name", None) or ""
            if name.startswith(RECORDED_PREFIX):
                out.recorded += times * seconds
            else:
                out.raw += times * seconds
                out.longest_raw = max(out.longest_raw, seconds)
            return
        if isinstance(node, promql_parser.SubqueryExpr) and node.range is not None:
            span = Decimal(int(node.range.total_seconds()))
            sub_step = Decimal(int(node.step.total_seconds())) if node.step is not None else step
            out.longest_raw = max(out.longest_raw, int(span))
            walk(node.expr, times * max(Decimal(1), span / (sub_step or Decimal(1))))
            return
        for attr in ("expr", "lhs", "rhs", "vector_selector", "param"):
            child = getattr(node, attr, None)
            if child is not None and not isinstance(child, (str, int, float)):
                walk(child, times)
        for child in getattr(node, "args", None) or ():
            walk(child, times)

    walk(promql.parse(expr), Decimal(1))
    return out


@dataclass
class GroupCost:
    name: str
    rules: int
    interval: Decimal  # seconds
    raw_range_seconds: Decimal  # per evaluation, per series a selector matches
    recorded_range_seconds: Decimal
    longest_raw: int  # seconds

    def raw_samples_per_minute(self, scrape: Decimal, series: int) -> Decimal:
        return self.raw_range_seconds / scrape * series * (Decimal(60) / self.interval)

    def recorded_samples_per_minute(self, spacing: Decimal) -> Decimal:
        """Recorded series hold one sample per `spacing` (their group's interval)."""
        return self.recorded_range_seconds / spacing * (Decimal(60) / self.interval)


def group_cost(group: dict[str, Any]) -> GroupCost:
    from slospec.specmodel.quantities import Duration

    interval = Duration.parse(group.get("interval", "1m")).seconds
    raw = recorded = Decimal(0)
    longest = 0
    for rule in group["rules"]:
        found = reads(str(rule["expr"]), interval)
        raw += found.raw
        recorded += found.recorded
        longest = max(longest, found.longest_raw)
    return GroupCost(group["name"], len(group["rules"]), interval, raw, recorded, longest)


def per_slo(groups: list[dict[str, Any]]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Rules by the SLO they belong to (their slo_service and slo_name labels)."""
    out: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for group in groups:
        for rule in group["rules"]:
            labels = rule.get("labels") or {}
            key = (str(labels.get("slo_service", "")), str(labels.get("slo_name", "")))
            out.setdefault(key, []).append({**rule, "_interval": group.get("interval", "1m")})
    return out


def slo_costs(groups: list[dict[str, Any]]) -> dict[tuple[str, str], GroupCost]:
    """The cost of each SLO's rules, wherever packing put them."""
    out = {}
    for key, rules in per_slo(groups).items():
        by_interval: dict[str, list[dict[str, Any]]] = {}
        for rule in rules:
            by_interval.setdefault(rule["_interval"], []).append(rule)
        total: GroupCost | None = None
        for interval, members in by_interval.items():
            cost = group_cost({"name": f"{key[0]}/{key[1]}", "interval": interval, "rules": members})
            if total is None:
                total = cost
                continue
            # Different intervals: express everything per evaluation of the shortest interval.
            short = min(total.interval, cost.interval)
            total = GroupCost(
                total.name,
                total.rules + cost.rules,
                short,
                total.raw_range_seconds * short / total.interval + cost.raw_range_seconds * short / cost.interval,
                total.recorded_range_seconds * short / total.interval
                + cost.recorded_range_seconds * short / cost.interval,
                max(total.longest_raw, cost.longest_raw),
            )
        if total is not None:
            out[key] = total
    return out


def _count(value: Decimal) -> str:
    """A large count readably: 1234 -> 1234, 4838400 -> 4.84M."""
    for limit, suffix in ((Decimal(10) ** 9, "G"), (Decimal(10) ** 6, "M"), (Decimal(10) ** 3, "k")):
        if value >= limit:
            return f"{(value / limit).quantize(Decimal('0.01')).normalize():f}{suffix}"
    return f"{value.quantize(Decimal('1')):f}"


def spec_groups(spec: Any, options: Any, long_windows: str | None = None) -> list[dict[str, Any]]:
    """The rule groups of one spec, in the given long-window mode (default: the options')."""
    from dataclasses import replace

    from slospec.compile import prometheus

    if long_windows is not None:
        options = replace(options, extra={**options.extra, "long_windows": long_windows})
    groups, _skipped = prometheus.rule_groups(spec, options)
    return groups


def report(specs: list[Any], options: Any, groups: list[dict[str, Any]] | None = None) -> str:
    """`compile --stats`: rules, groups, raw range-seconds per evaluation per SLO and raw
    samples per minute for `--series` series per selector, against the exact raw form."""
    from slospec.compile.prometheus_windows import RAW, mode
    from slospec.slo.facts import resolve
    from slospec.specmodel.quantities import Duration

    series = int(options.extra.get("series") or 1)
    chosen = mode(options)
    lines = []
    total_rules = total_raw = total_exact = total_recorded = Decimal(0)
    slos = 0
    longest = 0
    own_groups = groups if groups is not None else []
    for spec in specs:
        facts = resolve(spec, getattr(options.config, "operations", None))
        scrape = facts.scrape_interval.seconds
        mine = spec_groups(spec, options)
        if groups is None:
            own_groups += mine
        exact = slo_costs(spec_groups(spec, options, RAW))
        for key, cost in slo_costs(mine).items():
            slos += 1
            per_minute = cost.raw_samples_per_minute(scrape, series)
            exact_cost = exact.get(key)
            exact_minute = exact_cost.raw_samples_per_minute(scrape, series) if exact_cost else per_minute
            total_rules += cost.rules
            total_raw += per_minute
            total_exact += exact_minute
            longest = max(longest, cost.longest_raw)
            share = f", {_share(per_minute, exact_minute)} of the exact form's" if chosen != RAW else ""
            recorded = cost.recorded_samples_per_minute(facts.evaluation_interval.seconds)
            total_recorded += recorded
            lines.append(
                f"  {key[0]}/{key[1]}: {cost.rules} rules, fastest every {Duration(cost.interval)}; raw ranges "
                f"{_count(cost.raw_range_seconds)} s per evaluation (longest {Duration(Decimal(cost.longest_raw))}); "
                f"{_count(per_minute)} raw samples/min{share}"
                + (f"; {_count(recorded)} recorded samples/min" if recorded else "")
            )
    head = (
        f"slospec: Prometheus rule cost ({'exact raw windows' if chosen == RAW else 'long windows from recorded series'}; "
        f"{series} series per selector):"
    )
    tail = (
        f"  total: {slos} SLOs, {len(own_groups)} groups, {int(total_rules)} rules, {_count(total_raw)} raw "
        f"samples/min (longest raw range {Duration(Decimal(longest))}), {_count(total_recorded)} recorded samples/min"
    )
    if chosen != RAW:
        tail += f"; the exact form: {_count(total_exact)} samples/min"
    return "\n".join([head, *lines, tail]) + "\n"


def _share(part: Decimal, whole: Decimal) -> str:
    if not whole:
        return "all"
    ratio = part / whole
    if ratio >= Decimal("0.01"):
        return f"{(ratio * 100).quantize(Decimal('0.1')).normalize():f}%"
    return f"1/{(whole / part).quantize(Decimal('1')):f}" if part else "none"


def raw_seconds(rules: Any) -> Decimal:
    """Raw range-seconds one evaluation of an SLO's rules reads per series, from its plan
    (without building the rules: lint asks this of every spec). A raw window's ratio reads
    each of the SLI's selectors over the window, so its reads grow linearly with the window;
    the recorded base parts read the same selectors over the base range."""
    from slospec.compile import prometheus_windows as lw
    from slospec.compile.prometheus import error_ratio_expr

    base = lw.base_range(rules)
    per_second = _per_window_second(rules, error_ratio_expr)
    total = Decimal(0)
    windows = list(rules.windows)
    slo = rules.slo
    if slo.budgeting.timeslices and slo.budgeting.slice is not None and rules.sli.kind != "uptime":
        # A time-slice SLO records its slice window raw too, when it is not one of the windows.
        slice_range = rules.range(slo.budgeting.slice)
        if slice_range not in windows:
            windows.append(slice_range)
    # The same choices as prometheus_windows.window_expr and base_records, without building
    # the expressions.
    recorded = any(lw.is_long(rules, w) for w in rules.windows)
    gauge = lw._gauge(rules.sli)
    for window in windows:
        if not lw.is_long(rules, window) and not (recorded and not gauge and window == base):
            total += per_second * window.seconds
    if recorded and (not gauge or base not in rules.windows):
        total += per_second * base.seconds
    return total


def _per_window_second(rules: Any, error_ratio_expr: Any) -> Decimal:
    """Raw range-seconds an error ratio over a window reads, per second of the window."""
    from slospec.slo import promql
    from slospec.specmodel.quantities import Duration

    sli = rules.sli
    plain = [q for q in (sli.good, sli.bad, sli.total, sli.probe) if q]
    if sli.kind == "latency":
        return Decimal(2)
    if plain and all(promql.plain_selector(q) is not None or _constant(q) for q in plain):
        return Decimal(sum(1 for q in plain if not _constant(q)))
    window = Duration.parse("5m")
    found = reads(error_ratio_expr(sli, window), rules.facts.evaluation_interval.seconds)
    return found.raw / window.seconds


def _constant(query: str) -> bool:
    from slospec.slo import queries

    return queries.is_constant_total(query)
