"""Grafana back end: one dashboard per service over the series the Prometheus rules record.

Per SLO, a row: the SLO's text (target, window, SLI, description, runbook); the SLI over the
window, the error budget remaining, the current burn rate and the alerts firing as numbers;
the SLI against its target, the budget remaining, the burn rate of every alert tier with the
tier's threshold, and the alerts on a timeline, over time. Per SLA, a row: attainment in the
calendar period so far and over a rolling period, with the target and credit thresholds.
With several services, a fleet overview too (service and SLO variables). The datasource is
a variable; a dashboard's uid comes from its service's name (the same every compile).

The panels read only what slospec.compile.prometheus records (slospec.compile.slo_series
adds what dashboards need) and, for SLAs, the spec's own metrics.
"""

from __future__ import annotations

import json
from decimal import Decimal

from slospec.compile import Artifact, CompileError, CompileOptions, slo_series, source_stem
from slospec.compile import grafana_json as g
from slospec.compile import prometheus as prom
from slospec.slo import promql, queries
from slospec.slo.facts import resolve
from slospec.specmodel.model import HUNDRED, SLA, SLI, Spec
from slospec.specmodel.quantities import format_decimal, format_prometheus, readable_percent

JOINER = "\n"
ALERTS = "|".join([*prom.ALERT_NAMES.values(), prom.ABSENT_ALERT])
OVERVIEW_UID = "slospec-overview"
FIRING = 'alertstate="firing"'


def _ratio(value: Decimal) -> float:
    return float(value / HUNDRED)


def _md(text: str | None) -> str:
    """Spec text in a Markdown panel: shown as written (HTML escaped, one line per paragraph)."""
    import html

    return html.escape(str(text or ""), quote=False).replace("\n", " ")


def sli_expr(rules: prom.SloRules) -> str:
    """The SLI over the SLO window: 1 - period burn rate x budget (the budgeting method's ratio)."""
    return f"1 - {slo_series.PERIOD_BURN}{rules.selector} * slo:error_budget:ratio{rules.selector}"


def alerts_selector(rules: prom.SloRules, *extra: str) -> str:
    """The SLO's burn-rate and absent-metrics alerts in Prometheus' ALERTS series."""
    labels = [f"{k}={promql.quote(v)}" for k, v in rules.labels.items()]
    return "ALERTS{" + ", ".join([f'alertname=~"{ALERTS}"', *labels, *extra]) + "}"


def slo_text(rules: prom.SloRules) -> str:
    spec, slo, sli = rules.spec, rules.slo, rules.sli
    lines = [
        f"**{_md(slo.display_name or slo.name)}**: {readable_percent(slo.target_ratio * 100)} "
        f"of {_md(sli.display_name or sli.name)} over {slo.window.phrase} "
        f"(error budget {slo.budget_time}, budgeting: {slo.budgeting.method}).",
        "",
    ]
    if slo.description:
        lines += [_md(slo.description), ""]
    if sli.description:
        lines += [f"SLI: {_md(sli.description)}", ""]
    if rules.tiers:
        lines += ["| Alert | Burn rate | Windows |", "|---|---|---|"]
        lines += [
            f"| {t.severity} | {format_decimal(t.burn_rate)}x | {t.long_window} and {t.short_window} |"
            for t in rules.tiers
        ]
        lines.append("")
    runbook = slo.alerting.runbook or spec.service.runbook
    if runbook:
        lines.append(f"Runbook: <{_md(runbook)}>")
    return "\n".join(lines).strip() + "\n"


def slo_row(rules: prom.SloRules) -> g.Row:
    slo, sel = rules.slo, rules.selector
    target = float(rules.slo.target_ratio)
    budget = prom.format_exact(slo.budget_ratio)
    window = str(slo.window.length)
    # The recorded window series are rolling: a calendar window's is over its length.
    rolling = "" if slo.window.rolling else f" (rolling, the length of a calendar {slo.window.calendar})"
    # Each tier's threshold colors the burn rate: a page tier's red, a ticket tier's orange.
    pages = {t.burn_rate for t in rules.tiers if t.severity == "page"}
    burn_steps = [g.Threshold("green", None)] + [
        g.Threshold("red" if rate in pages else "orange", float(rate))
        for rate in sorted({t.burn_rate for t in rules.tiers})
    ]
    sli_steps = [g.Threshold("red", None), g.Threshold("green", target)]
    budget_steps = [g.Threshold("red", None), g.Threshold("orange", 0), g.Threshold("green", 0.25)]
    short = rules.fastest_short
    tier_targets: list[g.Target] = []
    for tier in rules.tiers:
        for w in (tier.long_window, tier.short_window):
            legend = f"{tier.severity} {format_decimal(tier.burn_rate)}x: burn rate over {w}"
            target_ = g.Target(f"{rules.record(w)} / {budget}", legend)
            if all(t.expr != target_.expr for t in tier_targets):
                tier_targets.append(target_)
    if rules.tiers:
        tier_targets.append(
            g.Target(
                f"{slo_series.TIER_INFO}{sel}",
                "{{severity}} threshold ({{long_window}} and {{short_window}})",
            )
        )
    else:  # alerting off: no tiers, no alerts; the burn rate alone
        tier_targets.append(g.Target(f"slo:burn_rate:ratio{sel}", f"burn rate over {short}"))
    panels = [
        g.Panel("text", "About this SLO", width=8, height=8, content=slo_text(rules)),
        g.Panel(
            "stat",
            f"SLI over {window}",
            width=4,
            height=4,
            description=f"Good share over {window}{rolling}; target {readable_percent(slo.target_ratio * 100)}.",
            targets=[g.Target(sli_expr(rules), instant=True)],
            unit="percentunit",
            decimals=3,
            thresholds=sli_steps,
        ),
        g.Panel(
            "stat",
            "Error budget remaining",
            width=4,
            height=4,
            description=f"1 - bad share / budget over {window}{rolling}, as `slospec eval` computes it"
            + (" for a rolling window." if not rolling else "; eval reports the calendar period so far."),
            targets=[g.Target(f"slo:error_budget_remaining:ratio{sel}", instant=True)],
            unit="percentunit",
            decimals=1,
            thresholds=budget_steps,
        ),
        g.Panel(
            "stat",
            "Current burn rate",
            width=4,
            height=4,
            description=f"Bad share over {short} / budget; the alert tiers' thresholds color it.",
            targets=[g.Target(f"slo:burn_rate:ratio{sel}", instant=True)],
            unit="suffix:x",
            decimals=2,
            thresholds=burn_steps if rules.tiers else [],
        ),
        g.Panel(
            "stat",
            "Alerts firing",
            width=4,
            height=4,
            targets=[g.Target(f"count({alerts_selector(rules, FIRING)}) or vector(0)", instant=True)],
            decimals=0,
            thresholds=[g.Threshold("green", None), g.Threshold("red", 1)],
        ),
        g.Panel(
            "timeseries",
            "SLI against the target",
            width=16,
            height=4,
            targets=[
                g.Target(f"1 - {rules.record(short)}", f"SLI over {short}"),
                g.Target(sli_expr(rules), f"SLI over {window}"),
                g.Target(f"slo:objective:ratio{sel}", "target"),
            ],
            unit="percentunit",
            decimals=3,
            thresholds=sli_steps,
            threshold_style="dashed",
        ),
        g.Panel(
            "timeseries",
            f"Error budget remaining over {window}",
            description="Below zero the SLO is missed over its window.",
            targets=[g.Target(f"slo:error_budget_remaining:ratio{sel}", "budget remaining")],
            unit="percentunit",
            decimals=1,
            max=1,
            thresholds=budget_steps,
            threshold_style="line+area",
        ),
        g.Panel(
            "timeseries",
            "Burn rate per alert tier" if rules.tiers else "Burn rate",
            description="A tier fires when both its windows burn faster than its threshold (dashed)."
            if rules.tiers
            else "The SLO has no alert tiers (alerting: {policy: none}).",
            targets=tier_targets,
            unit="suffix:x",
            decimals=2,
            min=0,
            thresholds=burn_steps if rules.tiers else [],
            threshold_style="dashed",
            overrides=[
                {
                    "matcher": {"id": "byRegexp", "options": ".*threshold.*"},
                    "properties": [{"id": "custom.lineStyle", "value": {"fill": "dash", "dash": [10, 10]}}],
                }
            ],
        ),
        g.Panel(
            "state-timeline",
            "Alerts",
            width=24,
            height=5,
            targets=[g.Target(alerts_selector(rules), "{{alertname}} {{severity}} ({{alertstate}})")],
        ),
    ]
    if not rules.tiers:  # no alert rules: nothing can fire
        panels = [p for p in panels if p.title not in ("Alerts", "Alerts firing")]
        for panel in panels:
            if panel.title == "Current burn rate":
                panel.width = 8  # the row of numbers stays full
    return g.Row(f"SLO {slo.display_name or slo.name}", panels)


_NOW_PERIOD = {"day": "now/d", "week": "now/w", "month": "now/M", "quarter": "now/fQ", "year": "now/y"}


def sla_sli(sla: SLA) -> SLI | None:
    """The SLI an SLA is measured on (its SLO's, or its own), when Prometheus can compute it."""
    sli = sla.sli or (sla.slo.sli if sla.slo is not None else None)
    if sli is None or not queries.is_prometheus(sli) or sli.kind == "events":
        return None
    return sli


def sla_row(spec: Spec, sla: SLA, sli: SLI) -> g.Row:
    target = _ratio(sla.target)
    steps = [g.Threshold("dark-red", None)]
    colors = ["red", "orange", "yellow"]
    for i, credit in enumerate(sorted(sla.credits, key=lambda c: c.below)):
        steps.append(g.Threshold(colors[min(i, len(colors) - 1)], _ratio(credit.below)))
    steps.append(g.Threshold("green", target))
    steps = sorted({s.value: s for s in steps}.values(), key=lambda s: -1.0 if s.value is None else s.value)
    credits = "; ".join(f"below {readable_percent(c.below)}: {readable_percent(c.credit)} credit" for c in sla.credits)
    try:
        so_far = prom._error_ratio_expr(sli, "$__range")
        rolling = prom.error_ratio_expr(sli, sla.window.length)
    except promql.PromQLError as exc:
        raise CompileError(f"SLA {sla.name!r}: {exc}") from None
    name = sla.display_name or sla.name
    period = sla.window.calendar or str(sla.window.length)
    text = [
        f"**{_md(name)}**: {readable_percent(sla.target)} per {_md(period)}"
        + (f" ({_md(sla.window.time_zone)})" if sla.window.time_zone else "")
        + ".",
        "",
    ]
    if sla.description:
        text += [_md(sla.description), ""]
    if sla.credits:
        text += ["| Attainment below | Credit |", "|---|---|"]
        text += [f"| {readable_percent(c.below)} | {readable_percent(c.credit)} |" for c in sla.credits]
    panels = [
        g.Panel("text", "About this SLA", width=8, height=8, content="\n".join(text).strip() + "\n"),
        g.Panel(
            "stat",
            f"Attainment this {period} so far" if sla.window.calendar else f"Attainment over {period}",
            width=4,
            height=8,
            description="Good share since the start of the period (the dashboard's time zone); "
            + (credits or "no credits"),
            targets=[g.Target(f"1 - ({so_far})", instant=True)],
            unit="percentunit",
            decimals=3,
            thresholds=steps,
            time_from=_NOW_PERIOD.get(sla.window.calendar or "", f"{format_prometheus(sla.window.length.seconds)}"),
        ),
        g.Panel(
            "timeseries",
            f"Attainment over {format_prometheus(sla.window.length.seconds)}, rolling",
            description=f"SLA target {readable_percent(sla.target)}; credit thresholds dashed. " + credits,
            targets=[g.Target(f"1 - ({rolling})", "attainment")],
            unit="percentunit",
            decimals=3,
            thresholds=steps,
            threshold_style="dashed",
            interval="1h",
        ),
    ]
    return g.Row(f"SLA {name}", panels)


def plans(spec: Spec, options: CompileOptions) -> tuple[list[prom.SloRules], list[str]]:
    facts = resolve(spec, getattr(options.config, "operations", None))
    out, skipped = [], []
    for slo in spec.slos:
        reason = prom.compilable(slo)
        if reason:
            skipped.append(f"{slo.name}: {reason}")
        else:
            out.append(prom.plan(spec, slo, facts))
    return out, skipped


def service_dashboard(
    parts: list[tuple[Spec, list[prom.SloRules], list[str]]],
) -> g.Dashboard:
    """One service's dashboard from the spec files that define its SLOs (usually one)."""
    service = parts[0][0].service
    rows, skipped = [], []
    for spec, planned, not_compiled in parts:
        rows += [slo_row(rules) for rules in planned]
        skipped += not_compiled
        for sla in spec.slas:
            sli = sla_sli(sla)
            if sli is not None:
                rows.append(sla_row(spec, sla, sli))
    description = (service.description or "").strip()
    if skipped:
        description += (" " if description else "") + "Not shown: " + "; ".join(skipped) + "."
    longest = max(r.slo.window.length.seconds for _, planned, _ in parts for r in planned)
    return g.Dashboard(
        uid=g.uid(service.name),
        title=f"SLOs: {service.display_name or service.name}",
        description=description,
        tags=["slospec", "slo", f"service:{service.name}"],
        variables=[g.Variable("datasource", "Data source", datasource=True)],
        rows=rows,
        links=[("Runbook", service.runbook)] if service.runbook else [],
        time_from=f"now-{format_prometheus(min(longest, Decimal(7 * 86400)))}",
    )


def overview(services: list[str]) -> g.Dashboard:
    sel = 'slo_service=~"$service", slo_name=~"$slo"'
    rows = [
        g.Row(
            "Fleet",
            [
                g.Panel(
                    "stat",
                    "SLOs",
                    width=6,
                    height=4,
                    targets=[g.Target(f"count({slo_series.INFO}{{{sel}}})", instant=True)],
                    decimals=0,
                ),
                g.Panel(
                    "stat",
                    "SLOs over budget",
                    width=6,
                    height=4,
                    description="Error budget remaining below zero over the SLO's window.",
                    targets=[
                        g.Target(f"count(slo:error_budget_remaining:ratio{{{sel}}} < 0) or vector(0)", instant=True)
                    ],
                    decimals=0,
                    thresholds=[g.Threshold("green", None), g.Threshold("red", 1)],
                ),
                g.Panel(
                    "stat",
                    "Alerts firing",
                    width=6,
                    height=4,
                    targets=[
                        g.Target(
                            f'count(ALERTS{{alertname=~"{ALERTS}", alertstate="firing", {sel}}}) or vector(0)',
                            instant=True,
                        )
                    ],
                    decimals=0,
                    thresholds=[g.Threshold("green", None), g.Threshold("red", 1)],
                ),
                g.Panel(
                    "stat",
                    "Services",
                    width=6,
                    height=4,
                    targets=[g.Target(f"count(count by (slo_service) ({slo_series.INFO}{{{sel}}}))", instant=True)],
                    decimals=0,
                ),
                g.Panel(
                    "table",
                    "Every SLO",
                    width=24,
                    height=12,
                    description="Budget remaining and burn rates per SLO; the target and window from slo:info.",
                    targets=[
                        g.Target(f"{slo_series.INFO}{{{sel}}}", instant=True, table=True),
                        g.Target(f"slo:error_budget_remaining:ratio{{{sel}}}", instant=True, table=True),
                        g.Target(f"slo:burn_rate:ratio{{{sel}}}", instant=True, table=True),
                        g.Target(f"{slo_series.PERIOD_BURN}{{{sel}}}", instant=True, table=True),
                    ],
                    transformations=[
                        {"id": "merge", "options": {}},
                        {
                            "id": "organize",
                            "options": {
                                "excludeByName": {"Time": True, "Value #A": True, "__name__": True},
                                "renameByName": {
                                    "slo_service": "Service",
                                    "slo_name": "SLO",
                                    "slo_target": "Target %",
                                    "slo_window": "Window",
                                    "Value #B": "Budget remaining",
                                    "Value #C": "Current burn rate",
                                    "Value #D": "Burn rate over the window",
                                },
                            },
                        },
                    ],
                    overrides=[
                        {
                            "matcher": {"id": "byName", "options": "Budget remaining"},
                            "properties": [
                                {"id": "unit", "value": "percentunit"},
                                {"id": "decimals", "value": 1},
                                {"id": "custom.cellOptions", "value": {"type": "color-background"}},
                                {
                                    "id": "thresholds",
                                    "value": {
                                        "mode": "absolute",
                                        "steps": [
                                            {"color": "red", "value": None},
                                            {"color": "orange", "value": 0},
                                            {"color": "green", "value": 0.25},
                                        ],
                                    },
                                },
                            ],
                        }
                    ],
                ),
                g.Panel(
                    "timeseries",
                    "Error budget remaining",
                    width=24,
                    targets=[g.Target(f"slo:error_budget_remaining:ratio{{{sel}}}", "{{slo_service}} {{slo_name}}")],
                    unit="percentunit",
                    decimals=1,
                    max=1,
                    thresholds=[g.Threshold("red", None), g.Threshold("green", 0)],
                    threshold_style="dashed",
                ),
                g.Panel(
                    "state-timeline",
                    "Alerts",
                    width=24,
                    height=8,
                    targets=[
                        g.Target(
                            f'ALERTS{{alertname=~"{ALERTS}", alertstate="firing", {sel}}}',
                            "{{slo_service}} {{slo_name}} {{severity}}",
                        )
                    ],
                ),
            ],
        )
    ]
    return g.Dashboard(
        uid=OVERVIEW_UID,
        title="SLOs: fleet overview",
        description=f"{len(services)} services compiled by slospec: "
        + ", ".join(services[:20])
        + (", ..." if len(services) > 20 else ""),
        tags=["slospec", "slo"],
        variables=[
            g.Variable("datasource", "Data source", datasource=True),
            g.Variable("service", "Service", query=f"label_values({slo_series.INFO}, slo_service)"),
            g.Variable("slo", "SLO", query=f'label_values({slo_series.INFO}{{slo_service=~"$service"}}, slo_name)'),
        ],
        rows=rows,
        time_from="now-7d",
    )


def _text(dashboard: g.Dashboard) -> str:
    return json.dumps(dashboard.build(), indent=2, ensure_ascii=False) + "\n"


def compile(specs: list[Spec], options: CompileOptions) -> list[Artifact]:
    by_service: dict[str, list[tuple[Spec, list[prom.SloRules], list[str]]]] = {}
    all_skipped = []
    for spec in specs:
        planned, skipped = plans(spec, options)
        all_skipped += [f"{spec.service.name}/{s}" for s in skipped]
        if planned:
            parts = by_service.setdefault(spec.service.name, [])
            for other, others, _ in parts:
                clash = {r.slo.name for r in planned} & {r.slo.name for r in others}
                if clash:
                    raise CompileError(
                        f"{spec.path} and {other.path} both define SLO {sorted(clash)[0]!r} of service "
                        f"{spec.service.name!r} (the same service and SLO names): one dashboard cannot tell "
                        "them apart, nor can Prometheus; rename one"
                    )
            parts.append((spec, planned, skipped))
    if not by_service:
        reasons = "; ".join(all_skipped) or "no SLOs"
        raise CompileError(f"nothing to compile to Grafana dashboards: {reasons}")
    artifacts = [
        Artifact(
            f"{name}.dashboard.json",
            _text(service_dashboard(parts)),
            "-".join(source_stem(spec.path) for spec, _, _ in parts),
        )
        for name, parts in by_service.items()
    ]
    if len(by_service) > 1:
        artifacts.append(Artifact("slospec-overview.dashboard.json", _text(overview(sorted(by_service)))))
    return artifacts


def join(artifacts: list[Artifact]) -> str:
    """Several dashboards to one stream: a JSON array of them (`-o DIR` writes one file each)."""
    if len(artifacts) == 1:
        return artifacts[0].text
    return "[\n" + ",\n".join(a.text.rstrip("\n") for a in artifacts) + "\n]\n"
