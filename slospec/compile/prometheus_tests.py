"""`promtool test rules` files that prove the generated alerts behave as the arithmetic says.

Each scenario feeds synthetic counters, one sample per scrape interval, built from the
matchers of the SLI's own selectors (never from guessed label values), and runs the rules at
the evaluation interval, as a server would. What every alert rule of every SLO in the loaded
rule files does is predicted by replaying Prometheus's own arithmetic (`rate()`'s
extrapolation, `for:` state per rule) on exactly those samples, so an SLO that shares the
SLI, or a tier with its own `for:`, is expected where it fires. Scenarios per SLO: a total
outage pages, and the test names the tier that fires first and when; a steady burn at half
the slowest tier never alerts; a burn between the ticket and page tiers opens a ticket but
does not page; and, per file, missing data raises SLOMetricsAbsent.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from slospec.compile import Artifact, CompileError, CompileOptions, need
from slospec.compile.prometheus import ABSENT_ALERT, ALERT_NAMES, SloRules, absent_annotations, compilable, plan
from slospec.slo import promql
from slospec.slo.facts import resolve
from slospec.specmodel.model import Spec
from slospec.specmodel.quantities import format_decimal, format_prometheus

JOINER = "---\n"
EVENTS = 1000  # valid events per scrape interval in every scenario
STEADY_RUN = 20  # evaluations a constant-ratio scenario runs: every window agrees by then
_VALUES = (
    "500",
    "503",
    "5xx",
    "error",
    "0",
    "1",
    "x",
    "true",
    "failure",
    "ok",
    "200",
    "2xx",
    "success",
    "+Inf",
    "zzz",
    "",
)
ONSET_SHARE = Decimal("0.4")  # of a scrape interval: where in it the outage of a scenario starts
LONG_TOLERANCE = "1e-12"  # how far a long window's replayed value may be from the server's
_MARGIN = 1e-9  # a ratio this close to its threshold is too close to call: no scenario


class Unsupported(Exception):
    """A scenario this generator cannot build or predict (the output says why)."""


# --- concrete series from selectors ------------------------------------------------------


def _satisfying(matcher: promql.Matcher, extra: tuple[str, ...] = ()) -> str | None:
    """A label value the matcher accepts ("" means: leave the label out); None if none found."""
    if matcher.op == "=":
        return matcher.value
    guesses = [*extra, *_VALUES]
    if matcher.op == "=~":
        guesses = [_example(matcher.value), *guesses]
    for value in guesses:
        if _accepts(matcher, value):
            return value
    return None


def _example(pattern: str) -> str:
    """The shortest plain string a simple regex reads (checked by the caller, never trusted)."""
    try:
        from re import _parser as parser
    except ImportError:  # pragma: no cover - Python < 3.11
        import sre_parse as parser
    try:
        return "".join(_shortest(parser.parse(pattern)))
    except Exception:  # noqa: BLE001 - any pattern Python cannot read yields no guess
        return ""


def _shortest(items) -> list[str]:
    out: list[str] = []
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name == "ANY":
            out.append("0")
        elif name == "IN":
            out.append(_class_member(arg))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _high, sub = arg
            out += _shortest(sub) * low
        elif name == "SUBPATTERN":
            out += _shortest(arg[-1])
        elif name == "BRANCH":
            out += _shortest(arg[1][0])
        elif name == "AT":
            continue
        else:
            raise ValueError(name)
    return out


def _class_member(items) -> str:
    for op, arg in items:
        name = str(op)
        if name == "NEGATE":
            raise ValueError(name)
        if name == "LITERAL":
            return chr(arg)
        if name == "RANGE":
            return chr(arg[0])
        if name == "CATEGORY":
            return {"CATEGORY_DIGIT": "0", "CATEGORY_WORD": "a", "CATEGORY_SPACE": " "}.get(str(arg), "a")
    raise ValueError("empty class")


def _accepts(matcher: promql.Matcher, value: str) -> bool:
    try:
        return matcher.matches(value)
    except promql.PromQLError as exc:
        raise Unsupported(str(exc)) from None


def _labels_for(selector: promql.Selector) -> dict[str, str]:
    labels: dict[str, str] = {}
    for matcher in selector.matchers:
        value = _satisfying(matcher)
        if value is None:
            raise Unsupported(f"no label value satisfies {matcher.render()}")
        if value:
            labels[matcher.label] = value
    if not _matches(selector, selector.name, labels):
        raise Unsupported(f"no series satisfies every matcher of {selector.render()}")
    return labels


def _matches(selector: promql.Selector, name: str, labels: dict[str, str]) -> bool:
    try:
        return selector.matches(name, labels)
    except promql.PromQLError as exc:
        raise Unsupported(str(exc)) from None


def _outside(part: promql.Selector, total: promql.Selector, labels: dict[str, str]) -> dict[str, str]:
    """Labels that `total` selects and `part` does not (the events that are not `part`)."""
    if part.name != total.name:
        return labels
    for matcher in part.matchers:
        for value in (*_VALUES, *(m.value for m in total.matchers)):
            candidate = {k: v for k, v in labels.items() if k != matcher.label}
            if value:
                candidate[matcher.label] = value
            if _matches(total, total.name, candidate) and not _matches(part, part.name, candidate):
                return candidate
    raise Unsupported(f"no series is in {total.render()} but not in {part.render()}")


def _series_text(name: str, labels: dict[str, str]) -> str:
    inner = ",".join(f"{k}={promql.quote(v)}" for k, v in sorted(labels.items()))
    return f"{name}{{{inner}}}" if inner else name


@dataclass
class Input:
    """One input series: name, labels and its value per sample (a callable of the sample index)."""

    name: str
    labels: dict[str, str]
    per_sample: Callable[[int], object]  # (index) -> increment, for counters; (index) -> value, for gauges
    counter: bool = True


def _ratio_parts(rules: SloRules) -> tuple[promql.Selector, promql.Selector, bool]:
    """(part, total, part is bad) selectors of a ratio or latency SLI."""
    sli = rules.sli
    try:
        if sli.kind == "latency" and sli.native:
            # promtool's test series notation for native histograms came after 2.42.
            raise Unsupported("a native histogram: promtool's input series cannot hold native histograms")
        if sli.kind == "latency":
            owner = f"SLI {sli.name!r}"
            histogram = need(sli.histogram, owner, "histogram")
            return (
                promql.selector(promql.bucket(histogram, need(sli.threshold, owner, "threshold").seconds)),
                promql.selector(promql.count(histogram)),
                False,
            )
        queries = [q for q in (sli.good, sli.bad, sli.total) if q]
        if any(promql.is_template(q) for q in queries):
            raise Unsupported("templated queries have no concrete series")
        part = sli.bad if sli.bad is not None else sli.good
        return promql.selector(part), promql.selector(sli.total), sli.bad is not None
    except promql.PromQLError as exc:
        raise Unsupported(str(exc)) from None


def event_inputs(rules: SloRules, bad_at) -> list[Input]:
    """Series such that the SLI sees `bad_at(index)` bad events out of EVENTS per sample."""
    part, total, part_is_bad = _ratio_parts(rules)
    part_labels = _labels_for(part)
    rest_labels = _outside(part, total, _labels_for(total))
    if _matches(part, total.name, rest_labels) and part.name == total.name:
        raise Unsupported("the total's series is in the part too")
    part_in_total = _matches(total, part.name, part_labels)

    def part_count(i):
        return bad_at(i) if part_is_bad else EVENTS - bad_at(i)

    rest = (lambda i: EVENTS - part_count(i)) if part_in_total else (lambda i: EVENTS)
    return [Input(part.name, part_labels, part_count), Input(total.name, rest_labels, rest)]


# --- series values, as promtool expands them ------------------------------------------------


def _values(inp: Input, samples: int) -> str:
    if not inp.counter:
        return _compress([Decimal(str(inp.per_sample(i))) for i in range(samples)])
    total, values = Decimal(0), [Decimal(0)]
    for i in range(1, samples):
        total += Decimal(str(inp.per_sample(i)))
        values.append(total)
    return _compress(values)


def _compress(nums: list[Decimal]) -> str:
    """Runs of equal steps as promtool's `a+bxn` notation."""
    out, i = [], 0
    while i < len(nums):
        j = i + 1
        if j < len(nums):
            step = nums[j] - nums[i]
            while j + 1 < len(nums) and nums[j + 1] - nums[j] == step:
                j += 1
            out.append(f"{format_decimal(nums[i])}+{format_decimal(step)}x{j - i}")
            i = j + 1
        else:
            out.append(format_decimal(nums[i]))
            i += 1
    return " ".join(out)


def expand(values: str) -> list[float]:
    """The samples promtool reads from a values string (`a+bxn` adds b n times, in float64)."""
    out: list[float] = []
    for token in values.split():
        if "x" in token:
            head, count = token.rsplit("x", 1)
            sign = head.find("+", 1) if head.find("+", 1) > 0 else head.find("-", 1)
            value, step = float(head[:sign]), float(head[sign:])
            out.append(value)
            for _ in range(int(count)):
                value += step
                out.append(value)
        else:
            out.append(float(token))
    return out


# --- replaying the rules ----------------------------------------------------------------------


def _extrapolated_rate(samples: list[float], step: int, t: int, window: int) -> float | None:
    """Prometheus 2.x `rate()` of one counter sampled every `step` s, at `t`, over [t-w, t]."""
    lo, hi = max(0, -(-(t - window) // step)), min(len(samples) - 1, t // step)
    if hi - lo < 1:
        return None
    first = samples[lo]
    result = samples[hi] - first  # synthetic counters never reset
    to_start, to_end = float(lo * step - (t - window)), float(t - hi * step)
    sampled = float((hi - lo) * step)
    average = sampled / float(hi - lo)
    if result > 0 and first >= 0:
        to_zero = sampled * (first / result)
        to_start = min(to_start, to_zero)
    threshold = average * 1.1
    interval = sampled + (to_start if to_start < threshold else average / 2)
    interval += to_end if to_end < threshold else average / 2
    return result * (interval / sampled) / float(window)


def _avg_over_time(samples: list[float], step: int, t: int, window: int) -> float | None:
    lo, hi = max(0, -(-(t - window) // step)), min(len(samples) - 1, t // step)
    if hi < lo:
        return None
    return sum(samples[lo : hi + 1]) / (hi - lo + 1)


class World:
    """Every SLO of the loaded rule files, replayed on one scenario's input series."""

    def __init__(self, all_rules: list[SloRules], inputs: list[tuple[Input, list[float]]], step: int):
        self.all_rules, self.inputs, self.step = all_rules, inputs, step
        self.names = {inp.name for inp, _ in inputs}
        self._selected: dict[promql.Selector, list[list[float]]] = {}
        self._parts: dict[int, tuple[promql.Selector, promql.Selector, bool] | Unsupported] = {}
        self.every = step  # the evaluation interval, set by run()
        self._long: dict[int, frozenset[int]] = {}
        self._bases: dict[tuple[int, int], tuple[float, float | None]] = {}
        self._cum: dict[int, list[tuple[float, float, int]]] = {}

    def _series(self, selector: promql.Selector) -> list[list[float]]:
        if selector not in self._selected:
            self._selected[selector] = [
                samples for inp, samples in self.inputs if _matches(selector, inp.name, inp.labels)
            ]
        return self._selected[selector]

    def _sum(self, selector: promql.Selector, t: int, window: int, function) -> float | None:
        values = [function(samples, self.step, t, window) for samples in self._series(selector)]
        values = [v for v in values if v is not None]
        if not values:
            return None
        total = values[0]
        for v in values[1:]:
            total += v
        return total

    def error_ratio(self, rules: SloRules, t: int, window: int) -> float | None:
        if window in self._long_windows(rules):
            return self.long_ratio(rules, t, window)
        return self.raw_ratio(rules, t, window)

    def _long_windows(self, rules: SloRules) -> frozenset[int]:
        """The windows (seconds) the rules build from recorded base series."""
        key = id(rules)
        if key not in self._long:
            from slospec.compile import prometheus_windows as lw

            self._long[key] = frozenset(int(w.seconds) for w in rules.windows if lw.is_long(rules, w))
        return self._long[key]

    def _base(self, rules: SloRules, index: int) -> tuple[float, float | None]:
        """The recorded base sample(s) at evaluation `index`: (part, total) event rates of an
        event SLI (part 0 without series: `or vector(0)`), (error ratio, 1) of a gauge SLI
        (None: no sample)."""
        from slospec.compile import prometheus_windows as lw

        key = (id(rules), index)
        if key not in self._bases:
            t, base = index * self.every, int(lw.base_range(rules).seconds)
            if lw._gauge(rules.sli):
                ratio = self.raw_ratio(rules, t, base)
                self._bases[key] = (0.0, None) if ratio is None else (ratio, 1.0)
            else:
                parts = self._ratio_parts_of(rules)
                if parts is None:
                    self._bases[key] = (0.0, None)
                else:
                    p = self._sum(parts[0], t, base, _extrapolated_rate)
                    total = self._sum(parts[1], t, base, _extrapolated_rate)
                    self._bases[key] = (0.0 if p is None else p, total)
        return self._bases[key]

    def long_sums(self, rules: SloRules, t: int, window: int, exact: bool = False) -> tuple[float, float, int]:
        """sum_over_time of the recorded base series over [t - window, t] (both ends
        included, Prometheus 2.x): (part sum, total sum, total samples). `exact` sums oldest
        first as Prometheus does; otherwise from running sums (a difference of two sums, off
        by rounding only, which the threshold margin absorbs)."""
        lo, hi = max(0, -(-(t - window) // self.every)), t // self.every
        if exact:
            part_sum, total_sum, count = 0.0, 0.0, 0
            for index in range(lo, hi + 1):
                part, total = self._base(rules, index)
                if total is not None:
                    part_sum, total_sum, count = part_sum + part, total_sum + total, count + 1
            return part_sum, total_sum, count
        cum = self._cum.setdefault(id(rules), [(0.0, 0.0, 0)])
        while len(cum) <= hi + 1:
            part, total = self._base(rules, len(cum) - 1)
            p, s, n = cum[-1]
            cum.append((p, s, n) if total is None else (p + part, s + total, n + 1))
        (p0, s0, n0), (p1, s1, n1) = cum[lo], cum[hi + 1]
        return p1 - p0, s1 - s0, n1 - n0

    def long_ratio(self, rules: SloRules, t: int, window: int) -> float | None:
        from slospec.compile import prometheus_windows as lw

        part_sum, total_sum, count = self.long_sums(rules, t, window)
        if lw._gauge(rules.sli):
            return None if not count else part_sum / count
        if not count or not total_sum > 0:
            return None
        ratio = part_sum / total_sum
        return ratio if lw.part_names(rules)[0].startswith("slo:sli_bad:") else 1 - ratio

    def _ratio_parts_of(self, rules: SloRules) -> tuple[promql.Selector, promql.Selector, bool] | None:
        """The SLI's (part, total, part is bad) selectors; None for an SLI whose templates
        read none of the scenario's series (it sees no data)."""
        key = id(rules)
        if key not in self._parts:
            try:
                self._parts[key] = _ratio_parts(rules)
            except Unsupported as exc:
                self._parts[key] = exc
        parts = self._parts[key]
        if not isinstance(parts, Unsupported):
            return parts
        sli = rules.sli
        names = set()
        for q in (sli.good, sli.bad, sli.total):
            if q:
                names |= promql.metric_names(promql.with_window(q, "5m"))
        if names & self.names:
            raise Unsupported(f"SLO {rules.slo.name} reads these series through a template") from None
        return None

    def raw_ratio(self, rules: SloRules, t: int, window: int) -> float | None:
        sli = rules.sli
        if sli.kind == "uptime":
            probe = self._selector(need(sli.probe, f"SLI {sli.name!r}", "probe"))
            if probe is None or sli.op is not None:  # a threshold objective: not a 0/1 series
                return None
            averages = [_avg_over_time(s, self.step, t, window) for s in self._series(probe)]
            matching = [m for m in averages if m is not None]
            return None if not matching else 1 - sum(matching) / len(matching)
        parts = self._ratio_parts_of(rules)
        if parts is None:
            return None
        part, total, part_is_bad = parts
        t_rate = self._sum(total, t, window, _extrapolated_rate)
        if t_rate is None or not t_rate > 0:
            return None
        p_rate = self._sum(part, t, window, _extrapolated_rate)
        p_rate = 0.0 if p_rate is None else p_rate
        return p_rate / t_rate if part_is_bad else 1 - p_rate / t_rate

    def _selector(self, query: str) -> promql.Selector | None:
        try:
            return promql.selector(query)
        except promql.PromQLError:
            if promql.metric_names(promql.with_window(query, "5m")) & self.names:
                raise Unsupported("a probe query reads these series through a template") from None
            return None

    def run(self, until: int, every: int) -> dict[int, list[tuple[SloRules, str, list]]]:
        """eval time -> the firing burn-rate alerts (rules, severity, for, tiers, tiers holding)."""
        self.every = every
        plans = []
        for rules in self.all_rules:
            windows = [int(w.seconds) for w in rules.windows]
            alerts = [
                (
                    severity,
                    for_,
                    tiers,
                    int(for_.seconds) if for_ else 0,
                    [
                        (
                            tier,
                            int(rules.range(tier.long_window).seconds),
                            int(rules.range(tier.short_window).seconds),
                            rules.threshold(tier),
                        )
                        for tier in tiers
                    ],
                )
                for severity, for_, tiers in rules.alert_rules()
            ]
            plans.append((rules, windows, alerts))
        active: dict[tuple[int, int], int] = {}
        out: dict[int, list] = {}
        for t in range(0, until + 1, every):
            firing = []
            for r_index, (rules, windows, alerts) in enumerate(plans):
                ratios = {w: self.error_ratio(rules, t, w) for w in windows}
                for a_index, (severity, for_, tiers, hold, judged) in enumerate(alerts):
                    holding = [
                        tier for tier, long, short, limit in judged if _both_above(ratios[long], ratios[short], limit)
                    ]
                    if holding:
                        since = active.setdefault((r_index, a_index), t)
                        if t - since >= hold:
                            firing.append((rules, severity, for_, tiers, holding))
                    else:
                        active.pop((r_index, a_index), None)
            out[t] = firing
        return out


def _both_above(long: float | None, short: float | None, threshold: Decimal) -> bool:
    # Both sides are judged (no short-circuit) so that a near-tie on either is noticed.
    first = _above(long, threshold)
    second = _above(short, threshold)
    return first and second


@functools.lru_cache(maxsize=256)
def _limit(threshold: Decimal) -> float:
    return float(format_decimal(threshold))  # the literal the rule file holds, read as Go reads it


def _above(ratio: float | None, threshold: Decimal) -> bool:
    if ratio is None:
        return False
    limit = _limit(threshold)
    if abs(ratio - limit) <= _MARGIN * max(1.0, abs(limit)):
        raise Unsupported(f"an error ratio of {ratio!r} is too close to the threshold {limit!r} to call")
    return ratio > limit


# --- scenarios -----------------------------------------------------------------------------------


def _expected(firing, name: str) -> list[dict]:
    return [
        {"exp_labels": r.alert_labels(sev, for_), "exp_annotations": r.annotations(sev, tiers)}
        for r, sev, for_, tiers, _holding in firing
        if r.alert_name(sev) == name
    ]


def _duration(seconds: int) -> str:
    return format_prometheus(Decimal(seconds))


class Planner:
    """Scenarios for the SLOs of one test file, predicted against every SLO it loads."""

    def __init__(self, world_rules: list[SloRules], facts):
        self.world = world_rules  # the test file's own spec sets the scrape and evaluation intervals
        self.step = int(facts.scrape_interval.seconds)
        self.every = int(facts.evaluation_interval.seconds)
        self.last_world: World | None = None  # the replay of the last scenario built

    def _round(self, seconds: float) -> int:
        return int(math.ceil(seconds / self.every) * self.every)

    def scenario(self, name: str, inputs: list[Input], until: int, checks) -> dict:
        """Replay `inputs` until `until`; the test checks (and its series reach) only as far as
        `checks` asks: what the rules see up to a time never depends on later samples."""
        samples = until // self.step + 2
        rendered = [(inp, _values(inp, samples)) for inp in inputs]
        world = World(self.world, [(inp, expand(text)) for inp, text in rendered], self.step)
        self.last_world = world
        timeline = world.run(until, self.every)
        wanted = checks(timeline)
        short = [(inp, _values(inp, max(at for at, _ in wanted) // self.step + 2)) for inp in inputs]
        if all(
            expand(text) == expand(full)[: len(expand(text))]
            for (_i, text), (_j, full) in zip(short, rendered, strict=True)
        ):
            rendered = short  # the same samples as replayed, only fewer
        tests = []
        for at, severities in wanted:
            # An alert name a spec keeps from Sloth or Pyrra may hold both severities.
            names = dict.fromkeys(r.alert_name(severity) for severity in severities for r in self.world)
            for alertname in names or [ALERT_NAMES[s] for s in severities]:
                tests.append(
                    {
                        "eval_time": _duration(at),
                        "alertname": alertname,
                        "exp_alerts": _expected(timeline[at], alertname),
                    }
                )
        return {
            "name": name,
            "interval": _duration(self.step),
            "input_series": [{"series": _series_text(inp.name, inp.labels), "values": text} for inp, text in rendered],
            "alert_rule_test": tests,
        }

    def outage(self, rules: SloRules) -> dict | None:
        """A total outage after a healthy history: when the page fires, and by which tier."""
        pages = [
            (tier, for_)
            for severity, for_, tiers in rules.alert_rules()
            if severity == "page"
            for tier in tiers
            if rules.threshold(tier) < 1
        ]
        if not pages:
            return None
        # A healthy history that fills the long window of the tier the arithmetic says pages
        # first (threshold x long window, plus its `for`), as in production; if a tier whose
        # long window reaches back before the history fires first, it saw too little healthy
        # traffic: the history grows to its window and the replay runs again.
        fastest = min(
            pages, key=lambda p: rules.threshold(p[0]) * p[0].long_window.seconds + (p[1].seconds if p[1] else 0)
        )
        longest = max(int(rules.range(t.long_window).seconds) for t, _f in pages)
        bound = max(int(rules.range(t.long_window).seconds) + int(f.seconds if f else 0) for t, f in pages)
        history = self._round(int(rules.range(fastest[0].long_window).seconds) + 5 * 60)
        while True:
            test, found, onset = self._outage_run(rules, history, bound)
            honest = [t for t in found["tiers"] if rules.range(t.long_window).seconds <= history]
            if honest or history >= longest:
                break
            history = self._round(max(int(rules.range(t.long_window).seconds) for t in found["tiers"]) + 5 * 60)
        found["tiers"] = honest or found["tiers"]
        exprs = long_window_checks(self.last_world, rules, found["at"])
        if exprs:
            test["promql_expr_test"] = exprs
        name = f"{rules.spec.service.name}/{rules.slo.name}"
        tier = found["tiers"][0]
        test["name"] = (
            f"{name}: a total outage pages {format_decimal(found['at'] - onset)}s after it starts "
            f"(tier {tier.burn_rate}x over {tier.long_window} and {tier.short_window} fires; scrape every "
            f"{_duration(self.step)}, rules every {_duration(self.every)}; a server may take up to one "
            "scrape and one evaluation more)"
        )
        return test

    def _outage_run(self, rules: SloRules, history: int, bound: int):
        until = history + self._round(bound + 2 * self.every)
        outage_from = history // self.step + 1  # the first sample after `history` fails
        onset = Decimal(history)
        if rules.sli.kind == "uptime":
            if rules.sli.op is not None:
                raise Unsupported("the probe is compared with a threshold (op/value), not a 0/1 series")
            try:
                probe = promql.selector(rules.sli.probe)
            except promql.PromQLError:  # an expression (OpenSLO thresholdMetric): no series to build
                raise Unsupported("the probe is an expression, not a metric selector") from None
            inputs = [Input(probe.name, _labels_for(probe), lambda i: 0 if i >= outage_from else 1, counter=False)]
        else:
            # The outage starts inside a scrape interval, as real ones do: the first failed
            # sample carries a part of an interval's failures (and round thresholds such as
            # 0.6 are not met exactly by whole-interval steps).
            inputs = event_inputs(
                rules, lambda i: EVENTS if i > outage_from else EVENTS * ONSET_SHARE if i == outage_from else 0
            )
            onset = Decimal(outage_from * self.step) - ONSET_SHARE * self.step
        found: dict = {}

        def checks(timeline):
            fired = [
                t
                for t in sorted(timeline)
                if t > history and any(r is rules and sev == "page" for r, sev, *_ in timeline[t])
            ]
            if not fired:
                raise Unsupported("a total outage never pages in the replay")
            at = fired[0]
            found["at"] = at
            found["tiers"] = next(f[-1] for f in timeline[at] if f[0] is rules and f[1] == "page")
            return [(history, ("page",)), (at - self.every, ("page",)), (at, ("page",))]

        name = f"{rules.spec.service.name}/{rules.slo.name}"
        return self.scenario(name, inputs, until, checks), found, onset

    def steady(self, rules: SloRules, burn: Decimal, label: str, expect: str | None) -> dict | None:
        ratio = rules.slo.budget * burn
        if ratio >= 1:
            return None
        inputs = event_inputs(rules, lambda i: EVENTS * ratio)
        fors = [int(f.seconds) for _s, f, _t in rules.alert_rules() if f is not None]
        until = self._round(STEADY_RUN * self.every + max(fors, default=0) + 2 * self.step)

        def checks(timeline):
            at = until
            mine = {sev for r, sev, *_ in timeline[at] if r is rules}
            if (expect is None and mine) or (expect is not None and mine != {expect}):
                raise Unsupported(f"the replay of a {format_decimal(burn)}x burn does not give {label}")
            return [(at, tuple(s for s in ("page", "ticket") if any(x[0] == s for x in rules.alert_rules())))]

        test = self.scenario(
            f"{rules.spec.service.name}/{rules.slo.name}: a steady {format_decimal(burn)}x burn {label}",
            inputs,
            until,
            checks,
        )
        exprs = long_window_checks(self.last_world, rules, until)
        if exprs:
            test["promql_expr_test"] = exprs
        return test

    def scenarios(self, rules: SloRules) -> list[dict[str, Any]]:
        tests: list[dict[str, Any] | None] = []
        outage = self.outage(rules)
        if outage:
            tests.append(outage)
        if rules.sli.kind == "uptime":
            return [outage] if outage else []  # a 0/1 probe cannot hold a steady fractional error ratio
        slowest = min(t.burn_rate for t in rules.tiers)
        tests.append(self.steady(rules, slowest / 2, "never alerts", None))
        pages = [t.burn_rate for t in rules.tiers if t.severity == "page"]
        tickets = [t.burn_rate for t in rules.tiers if t.severity == "ticket"]
        if pages and tickets and max(tickets) < min(pages):
            between = (max(tickets) + min(pages)) / 2
            tests.append(self.steady(rules, between, "opens a ticket but does not page", "ticket"))
        return [t for t in tests if t]


def long_window_checks(world: World | None, rules: SloRules, at: int) -> list[dict]:
    """The value of every window the rules build from recorded series, at `at`, as the
    replay of the recorded base series gives it (the sums taken oldest first, as
    sum_over_time does): the unit tests cover the long-window series themselves."""
    checks: list[dict] = []
    if world is None:
        return checks
    inner = ", ".join(f"{k}={promql.quote(v)}" for k, v in sorted(rules.labels.items()))
    for window in rules.windows:
        seconds = int(window.seconds)
        if seconds not in world._long_windows(rules):
            continue
        from slospec.compile import prometheus_windows as lw

        part_sum, total_sum, count = world.long_sums(rules, at, seconds, exact=True)
        if lw._gauge(rules.sli):
            value = None if not count else part_sum / count
        elif not count or not total_sum > 0:
            value = None
        else:
            ratio = part_sum / total_sum
            value = ratio if lw.part_names(rules)[0].startswith("slo:sli_bad:") else 1 - ratio
        name = rules.record_name(window)
        if value is None:
            checks.append({"expr": name + rules.selector, "eval_time": _duration(at), "exp_samples": []})
            continue
        # Within a rounding tolerance: promtool compares floats bit for bit, and the sums of
        # rates are replayed in float64 but not necessarily in the server's order.
        checks.append(
            {
                "expr": f"abs({name}{rules.selector} - {value!r}) < bool {LONG_TOLERANCE}",
                "eval_time": _duration(at),
                "exp_samples": [{"labels": f"{{{inner}}}", "value": 1}],
            }
        )
    return checks


def absent_scenario(all_rules: list[SloRules], facts) -> dict:
    """No SLI series at all: every SLO's SLOMetricsAbsent fires once its `for` has passed."""
    step = int(facts.scrape_interval.seconds)
    every = int(facts.evaluation_interval.seconds)
    longest = max(max(int(r.fastest_short.seconds), every * 2) for r in all_rules)
    wait = math.ceil((longest + every) / every) * every
    return {
        "name": "missing SLI data raises SLOMetricsAbsent",
        "interval": _duration(step),
        "input_series": [{"series": 'unrelated_metric{job="x"}', "values": f"0+1x{wait // step + 1}"}],
        "alert_rule_test": [
            {
                "eval_time": _duration(wait),
                "alertname": ABSENT_ALERT,
                "exp_alerts": [
                    {"exp_labels": {**r.labels, "severity": "ticket"}, "exp_annotations": absent_annotations(r)}
                    for r in all_rules
                ],
            }
        ],
    }


def _planned(spec: Spec, options: CompileOptions) -> list[SloRules]:
    facts = resolve(spec, getattr(options.config, "operations", None))
    for name, interval in (("scrape", facts.scrape_interval), ("evaluation", facts.evaluation_interval)):
        # The simulated series advance in whole seconds, as promtool's input_series usually do.
        if interval.seconds < 1 or interval.seconds != int(interval.seconds):
            raise CompileError(
                f"{Path(spec.path).name}: promtool tests are generated for whole-second intervals; "
                f"the {name} interval is {interval} (write 1s or more, such as 15s)"
            )
    from slospec.compile.prometheus_windows import mode

    long_windows = mode(options)
    planned = [plan(spec, slo, facts, long_windows) for slo in spec.slos if compilable(slo) is None]
    return [p for p in planned if p.tiers]


def test_file(world: list[SloRules], subjects: list[SloRules], rule_files: list[str]) -> tuple[dict, list[str]]:
    """One promtool test file: scenarios for `subjects`, predicted against all of `world`."""
    facts = subjects[0].facts
    planner = Planner(world, facts)
    tests, notes = [], []
    for rules in subjects:
        try:
            tests += planner.scenarios(rules)
        except Unsupported as exc:
            notes.append(f"No burn scenarios for SLO {rules.spec.service.name}/{rules.slo.name}: {exc}")
    tests.append(absent_scenario(world, facts))
    body = {
        "rule_files": rule_files,
        "evaluation_interval": _duration(int(facts.evaluation_interval.seconds)),
        "tests": tests,
    }
    return body, notes


def group_order(specs: list[Spec], options: CompileOptions) -> list[str]:
    """Every rule group in its file order, when an SLO's rules span several groups (a `.long`
    group, packed parts): promtool then evaluates a group that reads another group's series
    after it, as the replay does (without `group_eval_order` its order is arbitrary)."""
    from slospec.compile.prometheus import rule_groups

    names: list[str] = []
    split = False
    for spec in specs:
        groups, _skipped = rule_groups(spec, options)
        names += [g["name"] for g in groups]
        split = split or len(groups) > len(
            {(r.get("labels") or {}).get("slo_name") for g in groups for r in g["rules"]}
        )
    return names if split else []


# rule_files can only name the files `-o DIR/` writes: say what to do with other names.
RULE_FILES_NOTE = (
    "# rule_files names the rule files as `slospec compile --target prometheus -o DIR/` writes "
    "them beside this file;\n# rules written to one file (-o all.rules.yaml) or elsewhere: list "
    "that file under rule_files instead."
)
GENERATED = "# Generated by slospec from "


class _Compiled(list):
    """The test files, one per spec, each loading its own rule file only; `whole` keeps them
    as predicted with every spec's rules loaded, for `join` (one file that loads them all)."""

    whole: list[Artifact] | None = None


def compile(specs: list[Spec], options: CompileOptions) -> list[Artifact]:
    """One test file per spec, loading only that spec's rule file (as `-o DIR/` writes it) and
    asserting only its SLOs' alerts. `join` gets the same tests predicted with every spec's
    rule files loaded together."""
    planned = {id(spec): _planned(spec, options) for spec in specs}
    compiled = _Compiled(
        artifact
        for spec in specs
        if planned[id(spec)]
        for artifact in _compile([spec], {id(spec): planned[id(spec)]}, options)
    )
    if not compiled:
        raise CompileError("nothing to test: no SLO compiles to Prometheus alert rules")
    if len(compiled) > 1:
        compiled.whole = _compile(specs, planned, options)
    return compiled


def _compile(specs: list[Spec], planned: dict[int, list[SloRules]], options: CompileOptions) -> list[Artifact]:
    """Each spec's test file, its expectations predicted against the rules of all `specs`
    (all written side by side with `-o DIR`), whose rule files it loads."""
    from slospec.compile import yamlout

    world = [rules for spec in specs for rules in planned[id(spec)]]
    rule_files = [f"{spec.service.name}.rules.yaml" for spec in specs if planned[id(spec)]]
    order = group_order(specs, options)
    artifacts = []
    for spec in specs:
        if not planned[id(spec)]:
            continue
        try:
            body, notes = test_file(world, planned[id(spec)], rule_files)
        except promql.PromQLError as exc:  # a query that does not parse (SLO006 at lint)
            raise CompileError(
                f"{Path(spec.path).name}: a query does not parse as PromQL ({exc}); `slospec lint` shows which (SLO006)"
            ) from None
        if order:
            body["group_eval_order"] = order
        header = (
            f"# Generated by slospec from {Path(spec.path).name}: promtool unit tests for "
            f"{', '.join(rule_files)}.\n{RULE_FILES_NOTE}\n"
            f"# Run: promtool test rules {spec.service.name}.tests.yaml\n"
        )
        header += "".join(f"# {n}\n" for n in notes)
        artifacts.append(Artifact(f"{spec.service.name}.tests.yaml", header + yamlout.dump(body)))
    return artifacts


def join(artifacts: list[Artifact]) -> str:
    """Several test files as one: promtool reads one YAML document per file, so the tests go
    under one `tests:` key (the absent-data scenario, the same in each, once)."""
    from ruamel.yaml import YAML

    from slospec.compile import yamlout

    artifacts = getattr(artifacts, "whole", None) or artifacts
    if len(artifacts) == 1:
        return artifacts[0].text
    sources, headers, body = [], [], None
    for artifact in artifacts:
        for line in artifact.text.splitlines():
            if not line.startswith("# ") or "Run:" in line:
                continue
            if line.startswith(GENERATED):  # one line naming every source, not one per spec
                source, _, tested = line.removeprefix(GENERATED).partition(": ")
                sources.append(source)
            elif line not in headers:
                headers.append(line)
        data = YAML(typ="safe").load(artifact.text)
        if body is None:
            body = data
            continue
        body["tests"] += [t for t in data["tests"] if t not in body["tests"]]
    headers.insert(0, f"{GENERATED}{', '.join(sources)}: {tested}")
    return "\n".join(headers) + "\n" + yamlout.dump(body)
