"""Prometheus back end: SLI recording rules and multi-window multi-burn-rate alerts per SLO.

Per SLO, one rule group (evaluated every `evaluationInterval`, default 30s):
- `slo:sli_error:ratio_rate<W>` for every alert window and the SLO window: bad events over
  valid events, numerator and denominator aggregated before dividing, NaN-free (no series
  when there is no traffic, 0 when there are no bad-event series yet);
- `slo:objective:ratio`, `slo:error_budget:ratio`, `slo:burn_rate:ratio` (fastest short
  window) and `slo:error_budget_remaining:ratio` (over the SLO window);
- alerts `SLOBudgetBurnPage` / `SLOBudgetBurnTicket` (long AND short window above
  `burn rate x budget`, tiers of one severity OR-ed) and `SLOMetricsAbsent`.
Windows and burn rates come from slospec.slo.alerting.tiers_for, the same tiers the linter judges.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from slospec.compile import Artifact, CompileError, CompileOptions, need, slo_series
from slospec.slo import promql, queries
from slospec.slo.alerting import AlertTier, describe, tiers_for
from slospec.slo.facts import Facts, resolve
from slospec.specmodel.model import HUNDRED, SLI, SLO, Spec
from slospec.specmodel.quantities import Duration, format_decimal, format_exact, format_prometheus, readable_percent

JOINER = "---\n"
ALERT_NAMES = {"page": "SLOBudgetBurnPage", "ticket": "SLOBudgetBurnTicket"}
ABSENT_ALERT = "SLOMetricsAbsent"


def _rate(query: str, window: str) -> str:
    """sum(rate(...)) of a counter or a templated expression; a constant total (a raw error
    ratio imported from Sloth or slo-generator) is used as it is.

    An expression that is neither (an OpenSLO `counter: false` query such as
    `sum(rate(x[5m]))`, a rate already) cannot take a range: its average over the window, a
    subquery, is the rate over the window. One without a range of its own could be a counter
    or a rate, and is refused rather than guessed."""
    if queries.is_constant_total(query):
        return query.strip()
    if promql.is_template(query) or _is_selector(query):
        return promql.rate_sum(query, window)
    if not promql.ranges(query):
        raise promql.PromQLError(
            f"{query.strip()!r} is an expression without a range and without {{{{window}}}}, so slospec cannot "
            "tell a counter from a rate: write a counter selector (name{labels}), or put {{window}} where "
            "the range goes (sum(rate(x[{{window}}])))"
        )
    return f"sum(avg_over_time(({query.strip()})[{window}:]))"


def _ratio_gauge(query: str, window: str) -> str:
    """A raw error (or good) ratio over the window: a template as written, else its average."""
    if promql.is_template(query):
        return f"({promql.with_window(query, window)})"
    if _is_selector(query):
        return f"avg(avg_over_time({query.strip()}[{window}]))"
    return f"avg(avg_over_time(({query.strip()})[{window}:]))"


def error_ratio_expr(sli: SLI, window: Duration) -> str:
    """PromQL for the share of bad events over `window` (aggregate first, then divide)."""
    try:
        return _error_ratio_expr(sli, format_prometheus(window.seconds))
    except promql.PromQLError as exc:
        raise CompileError(f"SLI {sli.name!r}: {exc}") from None


def _is_selector(query: str) -> bool:
    try:
        promql.selector(query)
    except promql.PromQLError:
        return False
    return True


def _error_ratio_expr(sli: SLI, w: str) -> str:
    owner = f"SLI {sli.name!r}"
    if sli.kind == "ratio" and queries.is_constant_total(sli.total):
        # A raw ratio (Sloth `raw`, slo-generator `query_sli`) is the SLI itself: when its
        # metrics are missing it must give no series (SLOMetricsAbsent), never `or vector(0)`'s
        # 0 errors, nor, for a good ratio, 100 % errors and a page.
        if sli.bad is not None:
            return _ratio_gauge(sli.bad, w)
        return f"1 - {_ratio_gauge(need(sli.good, owner, 'good'), w)}"
    if sli.kind == "ratio":
        total = f"({_rate(need(sli.total, owner, 'total'), w)} > 0)"
        if sli.bad is not None:
            # `or vector(0)`: a service without a single error yet has no 5xx series at all.
            return f"({_rate(sli.bad, w)} or vector(0)) / {total}"
        return f"1 - ({_rate(need(sli.good, owner, 'good'), w)} or vector(0)) / {total}"
    if sli.kind == "latency":
        histogram, threshold = need(sli.histogram, owner, "histogram"), need(sli.threshold, owner, "threshold")
        good, total = promql.latency_good_total(histogram, threshold.seconds, w, sli.native)
        return f"1 - ({good} or vector(0)) / ({total} > 0)"
    if sli.kind == "uptime":
        probe = need(sli.probe, owner, "probe")
        if sli.op is not None and sli.value is not None:
            # A threshold objective: the share of points where the probe meets it.
            point = promql.threshold_bool(promql.with_window(probe, w), sli.op, sli.value)
            return f"1 - avg(avg_over_time({point}[{w}:]))"
        if not promql.is_template(probe) and not _is_selector(probe):
            # An expression (an OpenSLO thresholdMetric query) takes no range itself: averaging
            # it over the window is a subquery, `avg_over_time(sum(x)[w])` does not parse.
            return f"1 - avg(avg_over_time(({probe.strip()})[{w}:]))"
        return f"1 - {promql.rate_sum(probe, w, 'avg_over_time', 'avg')}"
    raise CompileError(f"SLI {sli.name!r} ({sli.kind}) has no Prometheus form")


@dataclass
class SloRules:
    """Everything generated for one SLO; the promtool-test back end reads it too."""

    spec: Spec
    slo: SLO
    facts: Facts
    tiers: tuple[AlertTier, ...]
    windows: list[Duration] = field(default_factory=list)
    # "recorded": windows of 1h and longer from recorded base series (prometheus_windows.py);
    # "raw": every window a rate() over its own range (the exact computation).
    long_windows: str = "recorded"

    @property
    def labels(self) -> dict[str, str]:
        return {"slo_service": self.spec.service.name, "slo_name": self.slo.name}

    @property
    def sli(self) -> SLI:
        """The SLO's SLI (compilable() has made sure it resolves)."""
        return need(self.slo.sli, f"SLO {self.slo.name!r}", "SLI")

    @property
    def selector(self) -> str:
        return "{" + ", ".join(f"{k}={promql.quote(v)}" for k, v in self.labels.items()) + "}"

    @staticmethod
    def record_name(window: Duration) -> str:
        return f"slo:sli_error:ratio_rate{format_prometheus(window.seconds)}"

    def exact_threshold(self, tier: AlertTier) -> Fraction:
        """b* x B as an exact rational: 14.4 x 1/1440 is 0.01, not 0.00999...936."""
        return Fraction(tier.burn_rate) * self.slo.budget_ratio

    def range(self, window: Duration) -> Duration:
        """The range a window is computed over: rate() needs two scrapes in it, so a shorter
        window (a 1m time slice at a 60s scrape) is widened to two scrape intervals."""
        return max(window, self.facts.scrape_interval * 2)

    def record(self, window: Duration) -> str:
        """The recorded error ratio of a window, selected for this SLO."""
        return self.record_name(self.range(window)) + self.selector

    def threshold(self, tier: AlertTier) -> Decimal:
        exact = self.exact_threshold(tier)
        return (Decimal(exact.numerator) / Decimal(exact.denominator)).normalize()

    def tier_expr(self, tier: AlertTier) -> str:
        t = format_exact(self.exact_threshold(tier))
        return f"({self.record(tier.long_window)} > {t} and {self.record(tier.short_window)} > {t})"

    def alert_name(self, severity: str) -> str:
        """The spec's alert name (a Sloth or Pyrra file's, kept for routes on alertname) or slospec's."""
        return self.slo.alerting.name or ALERT_NAMES[severity]

    def alert_labels(self, severity: str, for_: Duration | None = None) -> dict[str, str]:
        alerting = self.slo.alerting
        labels = {**self.labels, "severity": severity, **alerting.labels, **alerting.severity_labels.get(severity, {})}
        if alerting.name and _same_routes(alerting):
            # One alert name for both severities: their labels must tell them apart.
            labels["slo_severity"] = severity
        if len({f for sev, f, _t in self.alert_rules() if sev == severity}) > 1:
            # Rules of one severity split by `for:` need a label of their own: two alerts with
            # the same name and labels in one group are one series (a duplicate sample).
            labels["slo_for"] = format_prometheus(for_.seconds) if for_ else "0s"
        return labels

    @property
    def fastest_short(self) -> Duration:
        return min((t.short_window for t in self.tiers), default=Duration.parse("5m"))

    def alert_rules(self) -> list[tuple[str, Duration | None, list[AlertTier]]]:
        """(severity, for, tiers) of every burn-rate alert rule: the tiers of one severity are
        OR-ed in one rule, except that tiers with different `for:` need rules of their own."""
        out: list[tuple[str, Duration | None, list[AlertTier]]] = []
        for severity in ("page", "ticket"):
            fors: dict[Duration | None, list[AlertTier]] = {}
            for tier in self.tiers:
                if tier.severity == severity:
                    fors.setdefault(tier.for_, []).append(tier)
            out += [(severity, for_, tiers) for for_, tiers in fors.items()]
        return out

    def annotations(self, severity: str, tiers: list[AlertTier] | None = None) -> dict[str, str]:
        window = self.slo.window
        if tiers is None:
            tiers = [t for t in self.tiers if t.severity == severity]
        parts = [
            f"{t.burn_rate}x over {t.long_window} and {t.short_window} "
            f"({format_decimal((t.budget_fraction(window.length) * 100).quantize(Decimal('0.01')))}% of the "
            f"budget in {t.long_window}, exhausted in {t.exhaustion(window.length)})"
            for t in tiers
        ]
        out = {
            "summary": f"{self.spec.service.name} {self.slo.name}: error budget burning fast ({severity})",
            "description": (
                f"SLO {self.slo.name} ({readable_percent(self.slo.target_ratio * 100)} over {window.phrase}, budget "
                f"{self.slo.budget_time}) is burning its error budget at " + "; or ".join(parts) + "."
            ),
        }
        runbook = self.slo.alerting.runbook or self.spec.service.runbook
        if runbook:
            out["runbook_url"] = runbook
        return out


def _same_routes(alerting) -> bool:
    """Page and ticket alerts would carry the same labels (so, under one name, be one series)."""
    page, ticket = (
        {"severity": sev, **alerting.labels, **alerting.severity_labels.get(sev, {})} for sev in ("page", "ticket")
    )
    return page == ticket


def absent_annotations(rules: SloRules) -> dict[str, str]:
    spec, slo, short = rules.spec, rules.slo, rules.fastest_short
    return {
        "summary": f"{spec.service.name} {slo.name}: no SLI data",
        "description": (
            f"No {short} SLI for SLO {slo.name}: the SLI's metrics are missing or "
            "there is no traffic, so burn-rate alerts cannot fire."
        ),
    }


def literal(values: dict[str, str]) -> dict[str, str]:
    """Alert labels and annotations are Go templates in Prometheus: spec text such as a runbook
    `https://wiki/{{ 7*7 }}` must be printed as written, never executed (`{{ query "..." }}`)."""
    return {k: v.replace("{{", '{{ "{{" }}') for k, v in values.items()}


def plan(spec: Spec, slo: SLO, facts: Facts, long_windows: str = "recorded") -> SloRules:
    refused = queries.off_bucket(slo.sli) if slo.sli is not None else None
    if refused:
        raise CompileError(f"SLO {slo.name!r} (SLI {need(slo.sli, slo.name, 'sli').name!r}): {refused}")
    tiers = tiers_for(slo, facts)
    rules = SloRules(spec, slo, facts, tiers, long_windows=long_windows)
    # Every window an expression reads is recorded: the SLO window, each tier's two windows
    # and the fastest short window slo:burn_rate:ratio reads (5m when there are no tiers).
    windows = {rules.range(slo.window.length), rules.range(rules.fastest_short)}
    for tier in tiers:
        windows |= {rules.range(tier.long_window), rules.range(tier.short_window)}
    rules.windows = sorted(windows)
    return rules


def compilable(slo: SLO) -> str | None:
    """Why an SLO cannot become Prometheus rules, or None when it can."""
    sli = slo.sli
    if sli is None:
        return "its SLI is not defined"
    if not queries.is_prometheus(sli):
        return f"its SLI {sli.name!r} comes from {sli.source}, not Prometheus"
    if sli.kind == "events":
        return f"its SLI {sli.name!r} counts external events"
    if slo.target >= HUNDRED:
        return "a 100% target has no error budget to burn"
    return None


def group(rules: SloRules) -> dict[str, Any]:
    spec, slo, labels = rules.spec, rules.slo, rules.labels
    sli = rules.sli
    from slospec.compile import prometheus_windows as long_windows

    records: list[dict[str, Any]] = long_windows.base_records(rules)
    for window in rules.windows:
        expr = long_windows.window_expr(rules, window)
        records.append(
            {"record": rules.record_name(window), "expr": expr or error_ratio_expr(sli, window), "labels": dict(labels)}
        )
    if slo.budgeting.timeslices and slo.budgeting.slice is not None and sli.kind != "uptime":
        # OpenSLO's slice methods, sampled every evaluation: Timeslices counts bad slices (a
        # slice is good when its SLI meets the slice target), RatioTimeslices averages the
        # slices' error ratios (99.8 % good minutes against 99.5 % leave 60 % of the budget).
        if slo.budgeting.method == "timeslices":
            records.append({"record": "slo:slice_good:bool", "expr": slice_good_expr(rules), "labels": dict(labels)})
        slice_range = rules.range(slo.budgeting.slice)
        if slice_range not in rules.windows:
            records.insert(
                0,
                {
                    "record": rules.record_name(slice_range),
                    "expr": error_ratio_expr(sli, slice_range),
                    "labels": dict(labels),
                },
            )
        w = format_prometheus(slo.window.length.seconds)
        records.append(
            {
                "record": "slo:sli_error:ratio_timeslices",
                "expr": timeslices_error_expr(rules, w),
                "labels": dict(labels),
            }
        )
        period_ratio = f"slo:sli_error:ratio_timeslices{rules.selector}"
    else:
        period_ratio = rules.record(slo.window.length)
    budget = format_exact(slo.budget_ratio)
    records += [
        {"record": "slo:objective:ratio", "expr": format_exact(slo.target_ratio), "labels": dict(labels)},
        {"record": "slo:error_budget:ratio", "expr": budget, "labels": dict(labels)},
        {
            "record": "slo:burn_rate:ratio",
            "expr": f"{rules.record(rules.fastest_short)} / {budget}",
            "labels": dict(labels),
        },
        {
            "record": "slo:error_budget_remaining:ratio",
            "expr": f"1 - {period_ratio} / {budget}",
            "labels": dict(labels),
        },
    ]
    records += slo_series.records(rules, period_ratio)  # what the Grafana dashboards read
    alerts: list[dict[str, Any]] = []
    for severity, for_, tiers in rules.alert_rules():
        alert: dict[str, Any] = {
            "alert": rules.alert_name(severity),
            "expr": "\n or ".join(rules.tier_expr(t) for t in tiers),
        }
        if for_ is not None:
            alert["for"] = format_prometheus(for_.seconds)
        alert["labels"] = literal(rules.alert_labels(severity, for_))
        alert["annotations"] = literal(rules.annotations(severity, tiers))
        alerts.append(alert)
    if rules.tiers:
        short = rules.fastest_short
        alerts.append(
            {
                "alert": ABSENT_ALERT,
                "expr": f"absent({rules.record(short)})",
                "for": format_prometheus(max(short.seconds, rules.facts.evaluation_interval.seconds * 2)),
                "labels": literal({**labels, "severity": "ticket"}),
                "annotations": literal(absent_annotations(rules)),
            }
        )
    return {
        "name": f"slospec-{spec.service.name}-{slo.name}",
        "interval": format_prometheus(rules.facts.evaluation_interval.seconds),
        "rules": records + alerts,
    }


def slice_good_expr(rules: SloRules) -> str:
    """Timeslices: 1 while the slice's SLI meets the slice target (100 % when none is set)."""
    budgeting = rules.slo.budgeting
    slice_target = (budgeting.slice_target or HUNDRED) / HUNDRED
    return (
        f"(1 - {rules.record(need(budgeting.slice, rules.slo.name, 'slice'))}) >= bool {format_decimal(slice_target)}"
    )


def timeslices_error_expr(rules: SloRules, window: str) -> str:
    """The SLO window's error ratio by slices: the share of bad slices (Timeslices), or the
    mean of the slices' error ratios (RatioTimeslices, no slice target)."""
    budgeting = rules.slo.budgeting
    if budgeting.method == "timeslices":
        return f"1 - avg_over_time(slo:slice_good:bool{rules.selector}[{window}])"
    slice_ratio = rules.record(need(budgeting.slice, rules.slo.name, "slice"))
    return f"avg_over_time({slice_ratio}[{window}])"


def rule_groups(spec: Spec, options: CompileOptions) -> tuple[list[dict], list[str]]:
    from slospec.compile import prometheus_groups
    from slospec.compile.prometheus_windows import mode

    facts = resolve(spec, getattr(options.config, "operations", None))
    long_windows = mode(options)
    groups, skipped = [], []
    for slo in spec.slos:
        reason = compilable(slo)
        if reason:
            skipped.append(f"{slo.name}: {reason}")
            continue
        planned = plan(spec, slo, facts, long_windows)
        groups += prometheus_groups.arrange(group(planned), planned, options)
    return groups, skipped


def tier_comments(spec: Spec, options: CompileOptions) -> str:
    """Which alert tiers each compiled SLO got, and why (derived tiers say how)."""
    facts = resolve(spec, getattr(options.config, "operations", None))
    return "".join(f"# {line}\n" for slo in spec.slos if not compilable(slo) for line in describe(slo, facts))


def compile(specs: list[Spec], options: CompileOptions) -> list[Artifact]:
    from slospec.compile import yamlout

    artifacts = []
    all_skipped = []
    total_groups = 0
    seen: dict[str, str] = {}
    for spec in specs:
        groups, skipped = rule_groups(spec, options)
        all_skipped += [f"{spec.service.name}/{s}" for s in skipped]
        for g in groups:
            if g["name"] in seen:
                raise CompileError(
                    f"{spec.path} and {seen[g['name']]} both define rule group {g['name']!r} "
                    "(the same service and SLO names): Prometheus loads only one; rename one"
                )
            seen[g["name"]] = spec.path
        total_groups += len(groups)
        if not groups:
            continue
        header = (
            f"# Generated by slospec from {Path(spec.path).name}; do not edit.\n"
            f"# Service {spec.service.name}: {len(groups)} SLO rule group(s).\n"
        )
        if skipped:
            header += "".join(f"# Skipped SLO {s}\n" for s in skipped)
        header += tier_comments(spec, options)
        artifacts.append(Artifact(f"{spec.service.name}.rules.yaml", header + yamlout.dump({"groups": groups})))
    if not artifacts:
        reasons = "; ".join(all_skipped) or "no SLOs"
        raise CompileError(f"nothing to compile to Prometheus rules: {reasons}")
    from slospec.compile.prometheus_groups import check_group_limit

    check_group_limit(total_groups, options, f" for {len(artifacts)} service(s)")
    return artifacts


def join(artifacts: list[Artifact]) -> str:
    """Several rule files as one: Prometheus reads one YAML document per rule file, so the
    groups of every artifact go under one `groups:` key (headers kept as comments)."""
    from ruamel.yaml import YAML

    from slospec.compile import yamlout

    if len(artifacts) == 1:
        return artifacts[0].text
    headers, groups = [], []
    for artifact in artifacts:
        headers += [line for line in artifact.text.splitlines() if line.startswith("#")]
        groups += YAML(typ="safe").load(artifact.text)["groups"]
    return "\n".join(headers) + "\n" + yamlout.dump({"groups": groups})


def stats(specs: list[Spec], options: CompileOptions) -> str:
    """`compile --stats`: what the rules cost to evaluate (slospec.compile.prometheus_cost)."""
    from slospec.compile.prometheus_cost import report

    return report(specs, options)
