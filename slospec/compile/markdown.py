"""Markdown back end: a contract per SLA, or a service-level document per service.

Numbers come from the same arithmetic as the linter (model, alerting, quantities): exact
decimals, durations in words ("21 minutes 36 seconds"). The default layout is built here in
Python; `--template` renders a user's Jinja2 template in a sandbox over `context(...)`, a
documented plain-data model.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

from slospec.compile import Artifact, CompileError, CompileOptions, need, source_stem
from slospec.slo.alerting import tiers_for
from slospec.slo.budget import CALENDAR_RANGE
from slospec.specmodel.model import HUNDRED, SLA, SLI, SLO, Budgeting, Spec, Window
from slospec.specmodel.quantities import (
    Duration,
    format_decimal,
    format_exact,
    format_percent,
    format_words,
    readable_percent,
)

JOINER = "\n---\n\n"


def md(text: Any) -> str:
    """Text from the spec as Markdown text: HTML in it is shown, never rendered (`<script>` stays text)."""
    import html

    return html.escape(str(text), quote=False)


def code(text: Any) -> str:
    """A code span holding the text verbatim (a fence longer than any backtick run inside it)."""
    import re

    text = str(text).replace("\n", " ")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _thousands(value: Decimal) -> str:
    return f"{int(value.to_integral_value()):,}"


def period_text(window: Window) -> str:
    if window.rolling:
        return f"rolling {window.length.words}"
    return f"calendar {window.calendar} ({window.time_zone})"


def downtime_text(window: Window, budget: Decimal) -> str:
    """Allowed full downtime per period in words; calendar months say their real range."""
    calendar = window.calendar  # None for a rolling window
    if calendar is not None:
        shortest, longest = CALENDAR_RANGE[calendar]
        low = Duration.parse(shortest).seconds * budget
        high = Duration.parse(longest).seconds * budget
        if low != high:
            return f"{format_words(low)} to {format_words(high)} per {calendar}"
        return f"{format_words(low)} per {calendar}"
    return f"{format_words(window.length.seconds * budget)} per {window.length.words}"


def good_event(sli: SLI | None) -> str:
    if sli is None:
        return "an event counted as good by the indicator"
    if sli.kind == "ratio":
        return "a valid request that did not fail" if sli.bad else "a valid request counted as successful"
    if sli.kind == "latency":
        return f"a request served within {need(sli.threshold, f'SLI {sli.name!r}', 'threshold').words}"
    if sli.kind == "uptime":
        every = f" (one check every {sli.interval.words})" if sli.interval else ""
        if sli.op is not None and sli.value is not None:
            return f"a point in time at which the measured value is {_OP_WORDS[sli.op]} {sli.value}{every}"
        return f"a successful availability check{every}"
    return f"an event for which {code(sli.condition)} holds"


_OP_WORDS = {"lt": "below", "lte": "at most", "gt": "above", "gte": "at least"}


def measurement(sli: SLI | None) -> str:
    if sli is None:
        return "Not specified."
    source = "Prometheus metrics" if sli.source == "prometheus" else f"records from {md(sli.source)}"
    if sli.kind == "ratio":
        part = f"failed events {code(sli.bad)}" if sli.bad else f"successful events {code(sli.good)}"
        return f"From {source}: {part} out of all valid events {code(sli.total)}."
    if sli.kind == "latency":
        kind = "native histogram" if sli.native else "histogram"
        estimate = " (interpolated inside the histogram bucket the threshold falls in)" if sli.native else ""
        return (
            f"From {source}: the {kind} {code(sli.histogram)}, counting requests at or below {sli.threshold}{estimate}."
        )
    if sli.kind == "uptime":
        if sli.op is not None and sli.value is not None:
            return f"From {source}: the value of {code(sli.probe)}, good while {_OP_WORDS[sli.op]} {sli.value}."
        return f"From {source}: the check result {code(sli.probe)} (1 up, 0 down)."
    query = f", selected by {code(sli.query)}" if sli.query else ""
    return f"From {source}{query}: each event is good when `{sli.condition}`."


def bad_events_text(
    spec: Spec, sli: SLI | None, window: Window, budget: Decimal, budgeting: Budgeting | None = None
) -> str:
    if budget <= 0:
        return "none"
    sliced = slices_text(spec, sli, window, budget, budgeting)
    if sliced is not None:
        return sliced
    ratio = (1 / budget).quantize(Decimal("0.01"))
    one_in = _thousands(ratio) if ratio == ratio.to_integral_value() else format_decimal(ratio)
    if sli is not None and sli.kind == "uptime":
        # A probe SLI counts checks, not request traffic: one per probe interval.
        interval = sli.interval or spec.operations.scrape_interval
        if interval is None or not interval.seconds:
            return f"1 in {one_in} checks"
        checks = window.length.seconds / interval.seconds
        failing = format_decimal((checks * budget).quantize(Decimal("0.1")).normalize())
        return f"1 in {one_in} (about {failing} of {_thousands(checks)} checks, one every {interval.words.removeprefix('1 ')})"
    traffic = spec.traffic_for(sli)
    if traffic is None:
        return f"1 in {one_in}"
    expected = traffic.over(window.length)
    return f"1 in {one_in} (about {_thousands(expected * budget)} of {_thousands(expected)} expected)"


def slices_text(
    spec: Spec, sli: SLI | None, window: Window, budget: Decimal, budgeting: Budgeting | None
) -> str | None:
    """Timeslices count bad slices, not bad events: with 1m slices and a check every 15 s, one
    failed check spoils its minute, so 1 minute a day allows 1 bad minute, not 4 failed checks.
    None when the budget counts events (occurrences; ratio-timeslices, whose mean of slice
    ratios spends a slice's share; slices holding one check each)."""
    if budgeting is None or budgeting.method != "timeslices" or budgeting.slice is None:
        return None
    size = budgeting.slice
    if sli is not None and sli.kind == "uptime":
        interval = sli.interval or spec.operations.scrape_interval
        if interval is not None and size <= interval:
            return None  # one check a slice: counting checks is counting slices
    count = Fraction(window.length.seconds) / Fraction(size.seconds)
    # Rounded before the floor: a Decimal budget of 1/1440 x 1440 is 0.99999... slices.
    allowed = math.floor(round(count * Fraction(budget), 9))
    slice_target = readable_percent(budgeting.slice_target or HUNDRED)
    counted = "checks" if sli is not None and sli.kind == "uptime" else "events"
    return (
        f"{_thousands(Decimal(allowed))} of {_thousands(Decimal(math.floor(count)))} slices of {size.words} "
        f"(a slice is bad when under {slice_target} of its {counted} are good)"
    )


def target_text(slo: SLO) -> str:
    """A time budget ("1 minute per day") gives a repeating decimal: say it as people would."""
    exact = slo.target_ratio * 100
    shown = readable_percent(exact)
    if slo.allowed_downtime is not None and shown != f"{format_exact(exact)}%":
        return f"about {shown} ({slo.allowed_downtime.words} down)"
    return shown


def _slo_rows(spec: Spec) -> list[list[Any]]:
    return [
        [
            md(slo.display_name or slo.name),
            md(slo.sli.description if slo.sli and slo.sli.description else slo.sli_name),
            target_text(slo),
            period_text(slo.window),
            "not applicable (counted in events)"
            if slo.sli and slo.sli.kind == "events"
            else downtime_text(slo.window, slo.budget),
            bad_events_text(spec, slo.sli, slo.window, slo.budget, slo.budgeting),
        ]
        for slo in spec.slos
    ]


def alerting_section(spec: Spec, level: str = "##", operations=None) -> str:
    """The alert tiers of each SLO, computed with the same intervals (`operations`) as the
    Prometheus rules compiled with the same configuration, so both say the same windows."""
    parts = [f"{level} Alerting policy", ""]
    any_tiers = False
    without = []
    for slo in spec.slos:
        tiers = tiers_for(slo, operations)
        if not tiers:
            without.append(slo)
            continue
        any_tiers = True
        window = slo.window.length
        rows = [
            [
                t.severity,
                t.long_window,
                t.short_window,
                f"{t.burn_rate}x",
                format_percent((t.budget_fraction(window) * 100).quantize(Decimal("0.01"))),
                format_words(t.exhaustion(window).seconds),
            ]
            for t in tiers
        ]
        origin = "declared" if any(t.declared for t in tiers) else "SRE workbook tiers scaled to the window"
        parts += [
            f"**{md(slo.name)}** ({readable_percent(slo.target)} over {slo.window.phrase}; {origin}):",
            "",
            _table(
                [
                    "Severity",
                    "Long window",
                    "Short window",
                    "Burn rate",
                    "Budget used at threshold",
                    "Budget exhausted in",
                ],
                rows,
            ),
            "",
        ]
    if not any_tiers:
        parts += ["No burn-rate alerts are defined.", ""]
    elif without:
        # Say so rather than leave a reader to assume the missing SLOs alert like the others.
        names = ", ".join(f"**{md(slo.name)}**" for slo in without)
        parts += [f"No burn-rate alerts for {names}.", ""]
    return "\n".join(parts)


def _service_cell(svc) -> str:
    """The service's display name with its name, or the name alone (never "x (`x`)")."""
    if svc.display_name and svc.display_name != svc.name:
        return f"{md(svc.display_name)} ({code(svc.name)})"
    return code(svc.name)


def internal_document(spec: Spec, operations=None) -> str:
    svc = spec.service
    title = md(svc.display_name or svc.name)
    lines = [f"# Service levels: {title}", ""]
    facts = [["Service", _service_cell(svc)]]
    if svc.description:
        facts.append(["Description", md(svc.description)])
    if svc.owner:
        facts.append(["Owner", md(svc.owner)])
    if svc.tier:
        facts.append(["Tier", md(svc.tier)])
    lines += [_table(["", ""], facts), "", "## Objectives", ""]
    if spec.slos:
        lines += [
            _table(
                ["Objective", "Indicator", "Target", "Period", "Allowed downtime", "Allowed bad events"],
                _slo_rows(spec),
            ),
            "",
        ]
    else:
        lines += ["No objectives are defined.", ""]
    lines += ["## Definitions", ""]
    for sli in spec.slis:
        lines.append(f"- **{md(sli.display_name or sli.name)}**: good event = {good_event(sli)}. {measurement(sli)}")
    lines += [""]
    if spec.service.dependencies:
        rows = [
            [md(d.name), format_percent(d.availability), "yes" if d.critical else "no"]
            for d in spec.service.dependencies
        ]
        lines += ["## Dependencies", "", _table(["Dependency", "Declared availability", "Critical"], rows), ""]
    lines.append(alerting_section(spec, operations=operations))
    return "\n".join(lines).rstrip() + "\n"


def _per_period(window: Window) -> str:
    return f"per {window.calendar}" if not window.rolling else f"per {window.length.words}"


def contract(spec: Spec, sla: SLA, internal: bool, operations=None) -> str:
    svc = spec.service
    service_title = md(svc.display_name or svc.name)
    title = md(sla.display_name or sla.name)
    sli = sla.sli or (sla.slo.sli if sla.slo else None)
    lines = [f"# Service Level Agreement: {title}", ""]
    facts = [["Agreement", code(sla.name)], ["Service", service_title]]
    if sla.provider:
        facts.append(["Provider", md(sla.provider)])
    if sla.customer:
        facts.append(["Customer", md(sla.customer)])
    if sla.effective:
        facts.append(["Effective from", md(sla.effective)])
    lines += [_table(["", ""], facts), ""]
    if sla.description:
        lines += [md(sla.description), ""]
    lines += [
        "## 1. Service level commitment",
        "",
        f"The provider commits that {service_title} meets the following service level in every "
        f"{'period' if sla.window.rolling else sla.window.calendar}:",
        "",
        _table(
            ["Measure", "Target", "Period", "Allowed downtime", "Allowed failed events"],
            [
                [
                    md(sli.description if sli and sli.description else (sla.sli_name or "availability")),
                    readable_percent(sla.target),
                    period_text(sla.window),
                    downtime_text(sla.window, sla.budget),
                    bad_events_text(
                        spec, sli, sla.window, sla.budget, sla.budgeting or (sla.slo.budgeting if sla.slo else None)
                    ),
                ]
            ],
        ),
        "",
        "Allowed downtime is the time the service may be fully unavailable in one period while still "
        "meeting the target.",
        "",
        "## 2. Definitions",
        "",
        f"- **Good event**: {good_event(sli)}.",
        f"- **Measurement**: {measurement(sli)}",
        "- **Attainment**: good events divided by all valid events in the period, as a percentage.",
        f"- **Period**: {period_text(sla.window)}"
        + ("" if sla.window.rolling else ", starting at 00:00 on its first day")
        + ".",
        "",
    ]
    lines += ["## 3. Exclusions", ""]
    if sla.exclusions:
        for ex in sla.exclusions:
            extra = []
            if ex.max_per_window:
                extra.append(f"at most {ex.max_per_window.words} {_per_period(sla.window)}")
            if ex.notice:
                extra.append(f"announced at least {ex.notice.words} ahead")
            text = md(ex.description).strip() if ex.description else ""
            if extra:
                # The limits are what the contract binds; a sentence of their own after the description.
                limits = ", ".join(extra)
                text = text + ("" if text.endswith((".", "!", "?")) else ".") + " " if text else ""
                text += limits[0].upper() + limits[1:] + "."
            lines.append(f"- **{md(ex.name)}**" + (f": {text}" if text else ""))
        lines += ["", "Time in an exclusion counts neither as good nor as bad.", ""]
    else:
        lines += ["None.", ""]
    lines += ["## 4. Service credits", ""]
    if sla.credits:
        rows = [
            [f"below {format_percent(c.below)}", f"{format_percent(c.credit)} of the period's fee"]
            for c in sorted(sla.credits, key=lambda c: c.below, reverse=True)
        ]
        lines += [
            _table(["Attainment in the period", "Service credit"], rows),
            "",
            "When the attainment is below several thresholds, only the largest of their credits is due; "
            "credits do not add up.",
            "",
        ]
    else:
        lines += ["No service credits are defined.", ""]
    lines += ["## 5. Support response", ""]
    if sla.support:
        if any(s.description for s in sla.support):
            rows = [[md(s.priority), s.response.words, md(s.description or "")] for s in sla.support]
            lines += [_table(["Priority", "First response within", "Meaning"], rows), ""]
        else:  # no column of empty cells
            rows = [[md(s.priority), s.response.words] for s in sla.support]
            lines += [_table(["Priority", "First response within"], rows), ""]
    else:
        lines += ["No support-response commitments are defined.", ""]
    lines += ["## 6. Reporting and review", ""]
    reporting = f"Attainment is reported {md(sla.reporting)}." if sla.reporting else "No reporting cadence is defined."
    review = f" The agreement is reviewed {md(sla.review)}." if sla.review else ""
    lines += [reporting + review, ""]
    if internal:
        lines += ["## Appendix A. Internal objectives", ""]
        if sla.slo:
            margin = format_decimal((sla.budget / sla.slo.budget).quantize(Decimal("0.01"))) if sla.slo.budget else "-"
            lines += [
                f"This agreement is backed by the internal objective {code(sla.slo.name)} at "
                f"{readable_percent(sla.slo.target)} over {sla.slo.window.phrase} (the agreement's error "
                f"budget is {margin} times the objective's).",
                "",
            ]
        lines += [
            _table(
                ["Objective", "Indicator", "Target", "Period", "Allowed downtime", "Allowed bad events"],
                _slo_rows(spec),
            ),
            "",
        ]
        lines.append(
            alerting_section(spec, operations=operations).replace(
                "## Alerting policy", "## Appendix B. Alerting policy"
            )
        )
    return "\n".join(lines).rstrip() + "\n"


def context(spec: Spec, sla: SLA | None, internal: bool, operations=None) -> dict:
    """The documented template model: plain data only (strings, numbers as text, lists, dicts)."""

    def slo_data(slo: SLO) -> dict:
        return {
            "name": slo.name,
            "display_name": slo.display_name or slo.name,
            "description": slo.description or "",
            "sli": slo.sli_name,
            "target": target_text(slo),
            "period": period_text(slo.window),
            "allowed_downtime": downtime_text(slo.window, slo.budget),
            "allowed_bad_events": bad_events_text(spec, slo.sli, slo.window, slo.budget, slo.budgeting),
            "tiers": [
                {
                    "severity": t.severity,
                    "long_window": str(t.long_window),
                    "short_window": str(t.short_window),
                    "burn_rate": format_decimal(t.burn_rate),
                    "budget_used": readable_percent(t.budget_fraction(slo.window.length) * 100),
                    "exhausted_in": format_words(t.exhaustion(slo.window.length).seconds),
                }
                for t in tiers_for(slo, operations)
            ],
        }

    svc = spec.service
    data: dict = {
        "service": {
            "name": svc.name,
            "display_name": svc.display_name or svc.name,
            "description": svc.description or "",
            "owner": svc.owner or "",
            "tier": svc.tier or "",
        },
        "slis": [
            {
                "name": s.name,
                "description": s.description or "",
                "good_event": good_event(s),
                "measurement": measurement(s),
            }
            for s in spec.slis
        ],
        "slos": [slo_data(s) for s in spec.slos],
        "internal": internal,
        "sla": None,
    }
    if sla is not None:
        data["sla"] = {
            "name": sla.name,
            "display_name": sla.display_name or sla.name,
            "description": sla.description or "",
            "provider": sla.provider or "",
            "customer": sla.customer or "",
            "effective": sla.effective or "",
            "target": readable_percent(sla.target),
            "period": period_text(sla.window),
            "allowed_downtime": downtime_text(sla.window, sla.budget),
            "slo": sla.slo_name or "",
            "good_event": good_event(sla.sli),
            "exclusions": [{"name": e.name, "description": e.description or ""} for e in sla.exclusions],
            "credits": [{"below": format_percent(c.below), "credit": format_percent(c.credit)} for c in sla.credits],
            "support": [{"priority": s.priority, "response": s.response.words} for s in sla.support],
            "reporting": sla.reporting or "",
            "review": sla.review or "",
        }
    return _escaped(data)


def _escaped(value: Any, key: str = "") -> Any:
    """Spec text in the template model is Markdown-safe too (good_event and measurement already are)."""
    if isinstance(value, dict):
        return {k: _escaped(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_escaped(v, key) for v in value]
    if isinstance(value, str) and key not in ("good_event", "measurement"):
        return md(value)
    return value


def render_template(source: str, data: dict) -> str:
    """The user's template over `data`, sandboxed and bounded in time and memory."""
    from slospec.compile.template_sandbox import TemplateProblem, render

    try:
        return render(source, data)
    except TemplateProblem as exc:
        raise CompileError(str(exc)) from None


def budget_policy_section(spec: Spec, config, heading: str) -> str:
    """The configuration's [[budget-policy]] for the service (slospec.specmodel.policy), or nothing."""
    policies = getattr(config, "policy", None)
    found = policies.budget_policy_for(spec) if policies else None
    if found is None:
        return ""
    lines = ["", heading, ""]
    intro = f"The error-budget policy **{md(found.title)}** applies"
    lines += [intro + (f": {md(found.description)}" if found.description else "."), ""]
    rows = [
        [
            f"less than {format_percent(step.remaining_below)}",
            {"freeze": "freeze: deploys stop", "warn": "warn"}.get(step.action, md(step.action)),
            md(step.message or ""),
        ]
        for step in sorted(found.steps, key=lambda s: s.remaining_below, reverse=True)
    ]
    lines += [
        _table(["Error budget left in the window", "Action", "What it means"], rows),
        "",
        "The budget left is checked before each deploy (`slospec gate`); the lowest step it is under applies.",
    ]
    return "\n".join(lines) + "\n"


def compile(specs: list[Spec], options: CompileOptions) -> list[Artifact]:
    from slospec.slo.facts import resolve

    artifacts = []
    for spec in specs:
        # The intervals the Prometheus back end uses with the same configuration: the alerting
        # appendix must describe the rules that are actually generated.
        ops = resolve(spec, getattr(options.config, "operations", None))
        if spec.slas:
            for sla in spec.slas:
                text = (
                    render_template(options.template, context(spec, sla, options.internal, ops))
                    if options.template
                    else contract(spec, sla, options.internal, ops)
                )
                if options.internal and not options.template:
                    text += budget_policy_section(spec, options.config, "## Appendix C. Error-budget policy")
                artifacts.append(Artifact(f"{sla.name}.md", text, qualifier=spec.service.name))
        else:
            text = (
                render_template(options.template, context(spec, None, options.internal, ops))
                if options.template
                else internal_document(spec, ops)
            )
            if not options.template:
                text += budget_policy_section(spec, options.config, "## Error-budget policy")
            artifacts.append(
                Artifact(
                    f"{spec.service.name}-service-levels.md",
                    text,
                    qualifier=source_stem(spec.path) or spec.service.name,
                )
            )
    if not artifacts:
        raise CompileError("nothing to compile")
    return artifacts
