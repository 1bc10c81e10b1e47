"""Sloth back end: a `prometheus/v1` Sloth spec per service, plus the AlertWindows catalog
Sloth needs when the SLO period or the tiers differ from its 30-day default.

Sloth computes burn-rate factors from "error budget percent consumed in the long window";
slospec writes the percents and windows of the same tiers the Prometheus back end and the
linter use (slospec.slo.alerting.tiers_for), so Sloth alerts on the same thresholds.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from slospec.compile import Artifact, CompileError, CompileOptions, need, source_stem
from slospec.compile.prometheus import compilable
from slospec.slo import queries
from slospec.slo.alerting import WORKBOOK, tiers_for
from slospec.slo.promql import PromQLError
from slospec.specmodel.model import SLI, SLO, Spec
from slospec.specmodel.quantities import format_prometheus

JOINER = "---\n"
# Sloth's built-in 30-day alert windows are the SRE Workbook's four tiers, the same table
# slospec's defaults start from: one source, so the two cannot drift apart.
SLOTH_DEFAULT = [
    (severity, long_window, short_window, Decimal(rate))
    for severity, long_window, short_window, rate, _share in WORKBOOK
]


def _rate(query: str) -> str:
    if queries.is_template(query):
        return query.replace(queries.WINDOW_PLACEHOLDER, "{{.window}}")
    return f"sum(rate({query}[{{{{.window}}}}]))"


def raw_ratio(sli: SLI) -> str | None:
    """The error-ratio query of a ratio over a constant total (Sloth's `raw` SLI)."""
    if sli.kind != "ratio" or not queries.is_constant_total(sli.total):
        return None
    if sli.bad is not None:
        return _rate(sli.bad)
    return f"1 - ({_rate(need(sli.good, f'SLI {sli.name!r}', 'good'))})"


def events(sli: SLI) -> dict[str, str]:
    owner = f"SLI {sli.name!r}"
    if sli.kind == "ratio":
        total = _rate(need(sli.total, owner, "total"))
        if sli.bad is not None:
            return {"error_query": _rate(sli.bad), "total_query": total}
        return {"error_query": f"({total} - {_rate(need(sli.good, owner, 'good'))})", "total_query": total}
    if sli.kind == "latency":
        from slospec.slo import promql

        refused = queries.off_bucket(sli)
        if refused:
            raise CompileError(f"SLI {sli.name!r}: {refused}")
        histogram = need(sli.histogram, owner, "histogram")
        threshold = need(sli.threshold, owner, "threshold").seconds
        if sli.native:
            good_rate, total_rate = promql.native_good_total(histogram, threshold, "{{.window}}")
            return {"error_query": f"({total_rate} - {good_rate})", "total_query": total_rate}
        good = promql.bucket(histogram, threshold)
        total = promql.count(histogram)
        return {"error_query": f"({_rate(total)} - {_rate(good)})", "total_query": _rate(total)}
    from slospec.slo import promql

    probe = need(sli.probe, owner, "probe")
    point = None
    if sli.op is not None and sli.value is not None:  # a threshold objective: 1 where a point meets it
        point = promql.threshold_bool(probe, sli.op, sli.value)
    elif not promql.is_template(probe) and promql.plain_selector(probe) is None and _expression(probe):
        point = f"({probe.strip()})"  # an expression takes its range as a subquery
    if point is not None:
        return {
            "error_query": f"(sum(count_over_time({point}[{{{{.window}}}}:])) - sum(sum_over_time({point}[{{{{.window}}}}:])))",
            "total_query": f"sum(count_over_time({point}[{{{{.window}}}}:]))",
        }
    return {
        "error_query": f"(sum(count_over_time({probe}[{{{{.window}}}}])) - sum(sum_over_time({probe}[{{{{.window}}}}])))",
        "total_query": f"sum(count_over_time({probe}[{{{{.window}}}}]))",
    }


def _expression(query: str) -> bool:
    from slospec.slo import promql

    try:
        promql.selector(query)
    except promql.PromQLError:
        return True
    return False


def _windows_catalog(period: str, slo: SLO) -> dict | None:
    tiers = tiers_for(slo)
    pages = [t for t in tiers if t.severity == "page"]
    tickets = [t for t in tiers if t.severity == "ticket"]
    if len(pages) != 2 or len(tickets) != 2:
        raise CompileError(f"SLO {slo.name!r}: Sloth needs exactly two page and two ticket tiers")
    window = slo.window.length

    def entry(tier) -> dict:
        return {
            "errorBudgetPercent": (tier.budget_fraction(window) * 100).normalize(),
            "shortWindow": format_prometheus(tier.short_window.seconds),
            "longWindow": format_prometheus(tier.long_window.seconds),
        }

    quick_page, slow_page = sorted(pages, key=lambda t: t.long_window)
    quick_ticket, slow_ticket = sorted(tickets, key=lambda t: t.long_window)
    return {
        "apiVersion": "sloth.slok.dev/v1",
        "kind": "AlertWindows",
        "spec": {
            "sloPeriod": period,
            "page": {"quick": entry(quick_page), "slow": entry(slow_page)},
            "ticket": {"quick": entry(quick_ticket), "slow": entry(slow_ticket)},
        },
    }


def _signature(slo: SLO) -> frozenset:
    """The alert windows a Sloth run would need for this SLO (one catalog per period per run)."""
    return frozenset(
        (t.severity, format_prometheus(t.long_window.seconds), format_prometheus(t.short_window.seconds), t.burn_rate)
        for t in tiers_for(slo)
    )


def _entry(spec: Spec, slo: SLO) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": slo.name, "objective": slo.target.normalize()}
    if slo.description:
        entry["description"] = slo.description
    sli = need(slo.sli, f"SLO {slo.name!r}", "SLI")
    raw = raw_ratio(sli)
    try:
        entry["sli"] = {"raw": {"error_ratio_query": raw}} if raw else {"events": events(sli)}
    except PromQLError as exc:  # a histogram that is no selector (SLO006 at lint): one line, exit 2
        raise CompileError(f"SLI {sli.name!r}: {exc}") from None
    if slo.labels:
        entry["labels"] = dict(slo.labels)
    if tiers_for(slo):
        alerting = slo.alerting
        alert: dict[str, Any] = {"name": alerting.name or f"{spec.service.name}-{slo.name}".replace("-", "_")}
        # Sloth puts the service's and the SLO's labels on its alerts itself; say only the rest.
        inherited = {**spec.service.labels, **slo.labels}
        own = {k: v for k, v in alerting.labels.items() if inherited.get(k) != v}
        if own:
            alert["labels"] = own
        for severity, key in (("page", "page_alert"), ("ticket", "ticket_alert")):
            labels = {k: v for k, v in alerting.severity_labels.get(severity, {}).items() if k != "sloth_severity"}
            alert[key] = {"labels": labels or {"severity": severity}}
        runbook = alerting.runbook or spec.service.runbook
        if runbook:
            alert["annotations"] = {"runbook": runbook}
        entry["alerting"] = alert
    else:
        entry["alerting"] = {"page_alert": {"disable": True}, "ticket_alert": {"disable": True}}
    return entry


def _groups(slos: list[SLO]) -> list[list[SLO]]:
    """SLOs that one Sloth run can generate together: Sloth applies one windows catalog per
    period to every SLO of a run, so SLOs whose tiers differ go to separate Sloth specs."""
    groups: dict[frozenset, list[SLO]] = {}
    silent = []
    for slo in slos:
        if tiers_for(slo):
            groups.setdefault(_signature(slo), []).append(slo)
        else:
            silent.append(slo)
    out = list(groups.values()) or [[]]
    out[0] = sorted(out[0] + silent, key=slos.index)
    return out


def _spec_artifacts(spec: Spec, slos: list[SLO], period: str, stem: str) -> list[Artifact]:
    from slospec.compile import yamlout

    document: dict[str, Any] = {"version": "prometheus/v1", "service": spec.service.name}
    labels = dict(spec.service.labels)
    if spec.service.owner and spec.service.owner not in (labels.get("owner"), labels.get("team")):
        labels = {"owner": spec.service.owner, **labels}  # (a Sloth file's owner label is in its labels)
    if labels:
        document["labels"] = labels
    document["slos"] = [_entry(spec, slo) for slo in slos]
    command = f"sloth generate -i {stem}.sloth.yaml --default-slo-period {period}"
    alerted = [s for s in slos if tiers_for(s)]
    default = {(s, lw, sw, b) for s, lw, sw, b in SLOTH_DEFAULT}
    catalog = None
    if alerted and (period != "30d" or _signature(alerted[0]) != default):
        catalog = _windows_catalog(period, alerted[0])
    if catalog is None:
        header = f"# Sloth spec generated by slospec. Run:\n#   {command}"
        return [Artifact(f"{stem}.sloth.yaml", header + "\n" + yamlout.dump(document))]
    # Sloth reads every file of the windows folder as a catalog: give this one a folder of its own.
    windows_file, folder = f"{stem}-{period}.windows.yaml", f"{stem}-windows"
    header = (
        f"# Sloth spec generated by slospec. Sloth reads alert windows from a folder; run:\n"
        f"#   mkdir -p {folder} && cp {windows_file} {folder}/\n"
        f"#   {command} --slo-period-windows-path {folder}/"
    )
    return [
        Artifact(f"{stem}.sloth.yaml", header + "\n" + yamlout.dump(document)),
        Artifact(
            windows_file,
            f"# Sloth alert windows matching slospec's tiers for {stem}.sloth.yaml.\n" + yamlout.dump(catalog),
        ),
    ]


def compile(specs: list[Spec], options: CompileOptions) -> list[Artifact]:
    artifacts = []
    skipped = []  # why each SLO left out was left out, for the message when none is left
    services = Counter(spec.service.name for spec in specs)
    for number, spec in enumerate(specs, 1):
        # The headers name the files, so names are settled here: a service split over several
        # files gets one Sloth spec per file.
        base = spec.service.name
        if services[base] > 1:
            base = f"{base}-{source_stem(spec.path) or number}"
        slos = [s for s in spec.slos if compilable(s) is None]
        skipped += [f"{spec.service.name}/{s.name}: {compilable(s)}" for s in spec.slos if compilable(s) is not None]
        if not slos:
            continue
        periods = {format_prometheus(s.window.length.seconds) for s in slos}
        if len(periods) > 1:
            raise CompileError(
                f"service {spec.service.name!r}: Sloth generates one SLO period per run; "
                f"this spec uses {', '.join(sorted(periods))}"
            )
        (period,) = periods
        for index, group in enumerate(_groups(slos)):
            stem = base if index == 0 else f"{base}-{group[0].name}"
            artifacts.extend(_spec_artifacts(spec, group, period, stem))
    if not artifacts:
        raise CompileError(f"nothing to compile to Sloth: {'; '.join(skipped) or 'no SLOs'}")
    return artifacts
