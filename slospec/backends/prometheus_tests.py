"""`promtool test rules` files that prove the generated alerts behave as the arithmetic says.

For each SLO with a Prometheus SLI (counter selectors, not templates) it writes scenarios on
synthetic 1-minute counters: a total outage pages no later than the workbook detection time
`B x w_L x b*` plus one evaluation; a steady burn below the slowest tier never alerts; a burn
between the ticket and the page tiers opens a ticket but does not page; and, per file,
missing data raises SLOMetricsAbsent. Values are compared through alerts, never raw floats
(promtool 2.42 compares floats exactly).
"""

from __future__ import annotations

import math
from pathlib import Path
import re
from decimal import Decimal

from slospec import queries
from slospec.backends import Artifact, CompileError, CompileOptions
from slospec.backends.prometheus import ABSENT_ALERT, ALERT_NAMES, SloRules, compilable, plan
from slospec.facts import resolve
from slospec.model import Spec
from slospec.quantities import format_decimal

JOINER = "---\n"
PER_MINUTE = 1000  # valid events per minute in every scenario
_MATCHER = re.compile(r'([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"')
_SELECTOR = re.compile(r"^\s*([A-Za-z_:][A-Za-z0-9_:]*)\s*(?:\{(.*)\})?\s*$", re.S)
_CANDIDATES = ("500", "503", "5xx", "error", "0", "1", "x", "true", "failure", "ok")
_OTHER = ("200", "ok", "2xx", "success", "zzz")


class Unsupported(Exception):
    """A selector this generator cannot turn into concrete series (say why in the output)."""


def _parse(selector: str) -> tuple[str, list[tuple[str, str, str]]]:
    match = _SELECTOR.match(selector)
    if not match:
        raise Unsupported(f"{selector!r} is not a plain selector")
    return match.group(1), _MATCHER.findall(match.group(2) or "")


def _value_for(op: str, value: str) -> str | None:
    """A label value that satisfies the matcher (None: leave the label out)."""
    if op == "=":
        return value
    if op in ("!=",):
        return None
    pattern = re.compile(value)
    if op == "!~":
        return None if not pattern.fullmatch("") else next(
            (c for c in _OTHER if not pattern.fullmatch(c)), None)
    guess = re.sub(r"\\d|\.", "0", value.split("|")[0]).strip("^$")
    for candidate in (guess, *_CANDIDATES):
        if pattern.fullmatch(candidate):
            return candidate
    raise Unsupported(f"no concrete value for {op}{value!r}")


def concrete(selector: str) -> tuple[str, dict[str, str]]:
    name, matchers = _parse(selector)
    labels = {}
    for label, op, value in matchers:
        chosen = _value_for(op, value)
        if chosen is not None:
            labels[label] = chosen
    return name, labels


def _matches(labels: dict[str, str], matchers: list[tuple[str, str, str]]) -> bool:
    for label, op, value in matchers:
        actual = labels.get(label, "")
        ok = {"=": actual == value, "!=": actual != value,
              "=~": bool(re.fullmatch(value, actual)), "!~": not re.fullmatch(value, actual)}[op]
        if not ok:
            return False
    return True


def _series(name: str, labels: dict[str, str]) -> str:
    inner = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    return f"{name}{{{inner}}}" if inner else name


def event_series(rules: SloRules, bad_per_minute) -> list[tuple[str, callable]]:
    """(series, minute -> cumulative value) for bad/good/total so that the SLI sees the
    given bad events per minute out of PER_MINUTE."""
    sli = rules.slo.sli
    if sli.kind == "ratio":
        if queries.is_template(sli.total) or queries.is_template(sli.good or sli.bad):
            raise Unsupported("templated queries have no concrete series")
        part_selector = sli.bad if sli.bad is not None else sli.good
        part_name, part_matchers = _parse(part_selector)
        total_name, total_labels = concrete(sli.total)
        part_labels = concrete(part_selector)[1]
        bad_is_part = sli.bad is not None
        part_count = bad_per_minute if bad_is_part else (lambda m: PER_MINUTE - bad_per_minute(m))
        if part_name != total_name:
            return [(_series(part_name, part_labels), part_count),
                    (_series(total_name, total_labels), lambda m: PER_MINUTE)]
        rest = dict(total_labels)
        for label, _op, _value in part_matchers:
            if label not in rest or _matches(rest, part_matchers):
                rest[label] = next((c for c in _OTHER if not _matches({**rest, label: c}, part_matchers)), "zzz")
        if _matches(rest, part_matchers) or not _matches({**part_labels, **total_labels}, _parse(sli.total)[1]):
            raise Unsupported("cannot build series that match the total but not the part")
        return [(_series(part_name, {**total_labels, **part_labels}), part_count),
                (_series(total_name, rest), lambda m: PER_MINUTE - part_count(m))]
    if sli.kind == "latency":
        name, labels = concrete(sli.histogram)
        le = format_decimal(sli.threshold.seconds)
        return [(_series(f"{name}_bucket", {**labels, "le": le}), lambda m: PER_MINUTE - bad_per_minute(m)),
                (_series(f"{name}_count", labels), lambda m: PER_MINUTE)]
    raise Unsupported(f"{sli.kind} SLIs are tested with the outage scenario only")


def _values(per_minute, minutes: int) -> str:
    """Cumulative counter values for minutes 0..minutes as a promtool series string."""
    total = Decimal(0)
    values = ["0"]
    for minute in range(1, minutes + 1):
        total += Decimal(str(per_minute(minute)))
        values.append(format_decimal(total))
    return _compress(values)


def _compress(values: list[str]) -> str:
    """Runs of equal steps as promtool's `a+bxn` notation."""
    out, i = [], 0
    nums = [Decimal(v) for v in values]
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


def _minutes(duration) -> int:
    return math.ceil(duration.seconds / 60)


def _fires(rules: SloRules, severity: str, ratio_at) -> bool:
    for tier in rules.tiers:
        if tier.severity != severity:
            continue
        threshold = rules.threshold(tier)
        if ratio_at(tier.long_window) > threshold and ratio_at(tier.short_window) > threshold:
            return True
    return False


def _alert(rules: SloRules, severity: str) -> dict:
    return {"exp_labels": {**rules.labels, "severity": severity, **rules.slo.alerting.labels},
            "exp_annotations": rules.annotations(severity)}


def scenarios(rules: SloRules) -> list[dict]:
    tests = []
    name = f"{rules.spec.service.name}/{rules.slo.name}"
    budget = rules.slo.budget
    pages = [t for t in rules.tiers if t.severity == "page"]
    tickets = [t for t in rules.tiers if t.severity == "ticket"]

    # 1. Total outage after `history` healthy minutes: the page fires in time.
    if pages:
        # Enough healthy history to fill the fastest page tier's long window.
        history = min(_minutes(t.long_window) for t in pages) + 5
        if rules.slo.sli.kind == "uptime":
            name_, labels = concrete(rules.slo.sli.probe)
            probe = _series(name_, labels)
        else:
            series = event_series(rules, lambda m: PER_MINUTE if m > history else 0)
        detection = min(budget * t.long_window.seconds * t.burn_rate for t in pages)  # seconds
        deadline = history + math.ceil(detection / 60) + 1  # plus one evaluation (1m)
        tests.append({
            "name": f"{name}: a total outage pages within {format_decimal(detection.quantize(Decimal('0.01')))}s "
                    "plus one evaluation",
            "interval": "1m",
            "input_series": (
                [{"series": probe, "values": f"1+0x{history} 0+0x{deadline + 2 - history}"}]
                if rules.slo.sli.kind == "uptime"
                else [{"series": s, "values": _values(f, deadline + 2)} for s, f in series]),
            "alert_rule_test": [
                {"eval_time": f"{history}m", "alertname": ALERT_NAMES["page"], "exp_alerts": []},
                {"eval_time": f"{deadline}m", "alertname": ALERT_NAMES["page"],
                 "exp_alerts": [_alert(rules, "page")]},
            ],
        })
    if rules.slo.sli.kind == "uptime":
        return tests  # a 0/1 probe cannot hold a steady fractional error ratio
    # 2. A steady burn at half the slowest tier's rate never alerts. With a constant error
    # ratio every window sees the same ratio once it holds two samples, so 15 minutes show
    # what days would (and keep promtool fast).
    slowest = min(t.burn_rate for t in rules.tiers)
    steady = budget * slowest / 2
    run = 15
    series = event_series(rules, lambda m: PER_MINUTE * steady)
    tests.append({
        "name": f"{name}: a steady burn at {format_decimal(slowest / 2)}x never alerts",
        "interval": "1m",
        "input_series": [{"series": s, "values": _values(f, run)} for s, f in series],
        "alert_rule_test": [{"eval_time": f"{run}m", "alertname": ALERT_NAMES[sev], "exp_alerts": []}
                            for sev in ("page", "ticket") if any(t.severity == sev for t in rules.tiers)],
    })
    # 3. A burn between the ticket and the page thresholds: ticket, no page.
    if pages and tickets:
        low, high = max(t.burn_rate for t in tickets), min(t.burn_rate for t in pages)
        if low < high:
            between = (low + high) / 2
            error = budget * between
            series = event_series(rules, lambda m: PER_MINUTE * error)
            at = 15  # constant ratio: every window agrees after two samples
            assert _fires(rules, "ticket", lambda w: error) and not _fires(rules, "page", lambda w: error)
            tests.append({
                "name": f"{name}: a {format_decimal(between)}x burn opens a ticket but does not page",
                "interval": "1m",
                "input_series": [{"series": s, "values": _values(f, at + 1)} for s, f in series],
                "alert_rule_test": [
                    {"eval_time": f"{at}m", "alertname": ALERT_NAMES["page"], "exp_alerts": []},
                    {"eval_time": f"{at}m", "alertname": ALERT_NAMES["ticket"],
                     "exp_alerts": [_alert(rules, "ticket")]},
                ],
            })
    return tests


def absent_scenario(all_rules: list[SloRules]) -> dict:
    """No SLI series at all: every SLO's SLOMetricsAbsent fires once its `for` has passed."""
    from slospec.quantities import format_prometheus

    wait = max(_minutes(r.fastest_short) for r in all_rules) + 3
    expected = []
    for r in all_rules:
        expected.append({"exp_labels": {**r.labels, "severity": "ticket"},
                         "exp_annotations": {
                             "summary": f"{r.spec.service.name} {r.slo.name}: no SLI data",
                             "description": (f"No {format_prometheus(r.fastest_short.seconds)} SLI for SLO "
                                             f"{r.slo.name}: the SLI's metrics are missing or there is no "
                                             "traffic, so burn-rate alerts cannot fire.")}})
    return {
        "name": "missing SLI data raises SLOMetricsAbsent",
        "interval": "1m",
        "input_series": [{"series": 'unrelated_metric{job="x"}', "values": f"0+1x{wait}"}],
        "alert_rule_test": [{"eval_time": f"{wait}m", "alertname": ABSENT_ALERT, "exp_alerts": expected}],
    }


def compile(specs: list[Spec], options: CompileOptions) -> list[Artifact]:
    from slospec import yamlout

    artifacts = []
    for spec in specs:
        facts = resolve(spec, getattr(options.config, "operations", None))
        planned = [plan(spec, slo, facts) for slo in spec.slos if compilable(slo) is None]
        planned = [p for p in planned if p.tiers]
        if not planned:
            continue
        tests, notes = [], []
        for rules in planned:
            try:
                tests += scenarios(rules)
            except Unsupported as exc:
                notes.append(f"# No burn scenarios for SLO {rules.slo.name}: {exc}")
        tests.append(absent_scenario(planned))
        header = (f"# Generated by slospec from {Path(spec.path).name}: promtool unit tests for "
                  f"{spec.service.name}.rules.yaml.\n# Run: promtool test rules {spec.service.name}.tests.yaml\n")
        header += "".join(n + "\n" for n in notes)
        body = {"rule_files": [f"{spec.service.name}.rules.yaml"], "evaluation_interval": "1m", "tests": tests}
        artifacts.append(Artifact(f"{spec.service.name}.tests.yaml", header + yamlout.dump(body)))
    if not artifacts:
        raise CompileError("nothing to test: no SLO compiles to Prometheus alert rules")
    return artifacts
