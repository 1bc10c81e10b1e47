"""Long windows from recorded series: what a fleet of SLOs can afford to evaluate.

Recomputing `rate(x[28d])` from raw counters every 30 s reads millions of samples per SLO at
every evaluation. By default (`long-windows = "recorded"`) the Prometheus back end records,
per SLO, the SLI's parts over one short base range (5m: its bad or good events and its valid
events, as per-second rates, aggregated over the SLI's series) and builds every window longer
than 1h from those recorded series:

    sum_over_time(slo:sli_bad:rate5m{...}[28d]) / (sum_over_time(slo:sli_total:rate5m{...}[28d]) > 0)

a ratio of *sums of events* (each base sample is the events of 5m over 300 s; the constant
cancels), never an average of ratios, which is biased when traffic varies. Windows of 1h and
less stay raw `rate()`s, so no rule reads a raw range longer than 1h: the fast page tier's
1h window stays exact (a recorded window counts its newest 5m only in part, which would delay
a page by up to 2.5 minutes). Gauge SLIs (an uptime probe, a raw error ratio) record the base window's
error ratio and average it over the long window, which is exact for a time average.

`long-windows = "raw"` (`compile --exact-windows`) keeps every window a raw `rate()` over the
window, the exact computation. docs/prometheus.md states the difference between the two.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slospec.compile import CompileError, need
from slospec.slo import promql, queries
from slospec.specmodel.quantities import Duration, format_prometheus

if TYPE_CHECKING:
    from slospec.compile import CompileOptions
    from slospec.compile.prometheus import SloRules
    from slospec.specmodel.model import SLI

RECORDED = "recorded"
RAW = "raw"
MODES = (RECORDED, RAW)
LONG_FROM = Duration.parse("1h")  # windows longer than this are built from recorded series
BASE = Duration.parse("5m")  # the range each recorded part covers (at least)


def mode(options: CompileOptions | None) -> str:
    """`--exact-windows` (options.extra["long_windows"]) over `[prometheus] long-windows`."""
    if options is None:
        return RECORDED
    chosen = options.extra.get("long_windows")
    if chosen is None:
        settings = getattr(options.config, "prometheus", None) or {}
        chosen = settings.get("long-windows", RECORDED)
    if chosen not in MODES:
        raise CompileError(f"long-windows = {chosen!r}: write {RECORDED!r} (the default) or {RAW!r}")
    return str(chosen)


def base_range(rules: SloRules) -> Duration:
    """The base range of the recorded parts: 5m, but never shorter than two scrapes (rate()
    needs two samples) or one evaluation (consecutive base samples must cover all the time)."""
    return max(BASE, rules.facts.scrape_interval * 2, rules.facts.evaluation_interval)


def is_long(rules: SloRules, window: Duration) -> bool:
    """Whether `window` (a range, already widened) is built from recorded series."""
    return rules.long_windows == RECORDED and window > LONG_FROM and window > base_range(rules)


def _gauge(sli: SLI) -> bool:
    """An SLI whose error ratio is a time average (a probe, a raw ratio) rather than events."""
    return sli.kind == "uptime" or (sli.kind == "ratio" and queries.is_constant_total(sli.total))


def part_names(rules: SloRules) -> tuple[str, str]:
    """(part, total) record names of an event SLI: the part is `bad` or `good`."""
    b = format_prometheus(base_range(rules).seconds)
    part = "bad" if rules.sli.kind == "ratio" and rules.sli.bad is not None else "good"
    return f"slo:sli_{part}:rate{b}", f"slo:sli_total:rate{b}"


def base_records(rules: SloRules) -> list[dict[str, Any]]:
    """The recording rules every long window of the SLO reads (empty when none is long).

    They come first in the SLO's group: a rule reads what the rules before it in its group
    recorded at the same evaluation."""
    from slospec.compile.prometheus import _rate, error_ratio_expr

    if not any(is_long(rules, w) for w in rules.windows):
        return []
    sli, base = rules.sli, base_range(rules)
    if _gauge(sli):
        if base in rules.windows:
            return []  # the base window's own error ratio record is the base
        return [{"record": rules.record_name(base), "expr": error_ratio_expr(sli, base), "labels": dict(rules.labels)}]
    owner = f"SLI {sli.name!r}"
    w = format_prometheus(base.seconds)
    try:
        if sli.kind == "latency":
            histogram, threshold = need(sli.histogram, owner, "histogram"), need(sli.threshold, owner, "threshold")
            part, total = promql.latency_good_total(histogram, threshold.seconds, w, sli.native)
        elif sli.kind == "ratio":
            part = _rate(sli.bad if sli.bad is not None else need(sli.good, owner, "good"), w)
            total = _rate(need(sli.total, owner, "total"), w)
        else:
            raise CompileError(f"SLI {sli.name!r} ({sli.kind}) has no Prometheus form")
    except promql.PromQLError as exc:
        raise CompileError(f"{owner}: {exc}") from None
    part_name, total_name = part_names(rules)
    return [
        # `or vector(0)`: a service without a single error yet has no 5xx series at all.
        {"record": part_name, "expr": f"{part} or vector(0)", "labels": dict(rules.labels)},
        {"record": total_name, "expr": total, "labels": dict(rules.labels)},
    ]


def window_expr(rules: SloRules, window: Duration) -> str | None:
    """A window's error ratio from the recorded base series, or None for a raw rate(): a long
    window, and the base window itself when the base parts are recorded anyway."""
    if is_long(rules, window):
        return long_expr(rules, window)
    if window == base_range(rules) and not _gauge(rules.sli) and base_records(rules):
        part_name, total_name = part_names(rules)
        ratio = f"{part_name}{rules.selector} / ({total_name}{rules.selector} > 0)"
        return ratio if part_name.startswith("slo:sli_bad:") else f"1 - {ratio}"
    return None


def long_expr(rules: SloRules, window: Duration) -> str:
    """The error ratio over a long window from the recorded base series."""
    w, sel = format_prometheus(window.seconds), rules.selector
    if _gauge(rules.sli):
        return f"avg_over_time({rules.record_name(base_range(rules))}{sel}[{w}])"
    part_name, total_name = part_names(rules)
    ratio = f"sum_over_time({part_name}{sel}[{w}]) / (sum_over_time({total_name}{sel}[{w}]) > 0)"
    return ratio if part_name.startswith("slo:sli_bad:") else f"1 - {ratio}"
