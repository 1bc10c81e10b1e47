"""Sloth back end: a `prometheus/v1` Sloth spec per service, plus the AlertWindows catalog
Sloth needs when the SLO period or the tiers differ from its 30-day default.

Sloth computes burn-rate factors from "error budget percent consumed in the long window";
slospec writes the percents and windows of the same tiers the Prometheus back end and the
linter use (slospec.alerting.tiers_for), so Sloth alerts on the same thresholds.
"""

from __future__ import annotations

from decimal import Decimal

from slospec import queries
from slospec.alerting import tiers_for
from slospec.backends import Artifact, CompileError, CompileOptions
from slospec.backends.prometheus import compilable
from slospec.model import SLI, SLO, Spec
from slospec.quantities import format_prometheus

JOINER = "---\n"
SLOTH_DEFAULT = [("page", "1h", "5m", Decimal("14.4")), ("page", "6h", "30m", Decimal(6)),
                 ("ticket", "1d", "2h", Decimal(3)), ("ticket", "3d", "6h", Decimal(1))]


def _rate(query: str) -> str:
    if queries.is_template(query):
        return query.replace(queries.WINDOW_PLACEHOLDER, "{{.window}}")
    return f"sum(rate({query}[{{{{.window}}}}]))"


def raw_ratio(sli: SLI) -> str | None:
    """issue 19: the error-ratio query of a ratio over a constant total (Sloth's `raw` SLI)."""
    if sli.kind != "ratio" or not queries.is_constant_total(sli.total):
        return None
    if sli.bad is not None:
        return _rate(sli.bad)
    return f"1 - ({_rate(sli.good)})"


def events(sli: SLI) -> dict:
    if sli.kind == "ratio":
        if sli.bad is not None:
            return {"error_query": _rate(sli.bad), "total_query": _rate(sli.total)}
        return {"error_query": f"({_rate(sli.total)} - {_rate(sli.good)})", "total_query": _rate(sli.total)}
    if sli.kind == "latency":
        from slospec.backends.prometheus import _le_matcher, _with_matcher

        good = _with_matcher(sli.histogram, "_bucket", _le_matcher(sli.threshold))
        total = _with_matcher(sli.histogram, "_count")
        return {"error_query": f"({_rate(total)} - {_rate(good)})", "total_query": _rate(total)}
    probe = sli.probe
    return {"error_query": f"(sum(count_over_time({probe}[{{{{.window}}}}])) - sum(sum_over_time({probe}[{{{{.window}}}}])))",
            "total_query": f"sum(count_over_time({probe}[{{{{.window}}}}]))"}


def _windows_catalog(period: str, slo: SLO) -> dict | None:
    tiers = tiers_for(slo)
    pages = [t for t in tiers if t.severity == "page"]
    tickets = [t for t in tiers if t.severity == "ticket"]
    if len(pages) != 2 or len(tickets) != 2:
        raise CompileError(f"SLO {slo.name!r}: Sloth needs exactly two page and two ticket tiers")
    window = slo.window.length

    def entry(tier) -> dict:
        return {"errorBudgetPercent": (tier.budget_fraction(window) * 100).normalize(),
                "shortWindow": format_prometheus(tier.short_window.seconds),
                "longWindow": format_prometheus(tier.long_window.seconds)}

    quick_page, slow_page = sorted(pages, key=lambda t: t.long_window)
    quick_ticket, slow_ticket = sorted(tickets, key=lambda t: t.long_window)
    return {"apiVersion": "sloth.slok.dev/v1", "kind": "AlertWindows",
            "spec": {"sloPeriod": period,
                     "page": {"quick": entry(quick_page), "slow": entry(slow_page)},
                     "ticket": {"quick": entry(quick_ticket), "slow": entry(slow_ticket)}}}


def compile(specs: list[Spec], options: CompileOptions) -> list[Artifact]:
    from slospec import yamlout

    artifacts = []
    for spec in specs:
        slos = [s for s in spec.slos if compilable(s) is None]
        if not slos:
            continue
        periods = {format_prometheus(s.window.length.seconds) for s in slos}
        if len(periods) > 1:
            raise CompileError(f"service {spec.service.name!r}: Sloth generates one SLO period per run; "
                               f"this spec uses {', '.join(sorted(periods))}")
        (period,) = periods
        out_slos = []
        for slo in slos:
            entry = {"name": slo.name, "objective": slo.target.normalize()}
            if slo.description:
                entry["description"] = slo.description
            raw = raw_ratio(slo.sli)
            entry["sli"] = {"raw": {"error_ratio_query": raw}} if raw else {"events": events(slo.sli)}
            tiers = tiers_for(slo)
            if tiers:
                alert = {"name": f"{spec.service.name}-{slo.name}".replace("-", "_"),
                         "page_alert": {"labels": {"severity": "page"}},
                         "ticket_alert": {"labels": {"severity": "ticket"}}}
                runbook = slo.alerting.runbook or spec.service.runbook
                if runbook:
                    alert["annotations"] = {"runbook": runbook}
                entry["alerting"] = alert
            else:
                entry["alerting"] = {"page_alert": {"disable": True}, "ticket_alert": {"disable": True}}
            out_slos.append(entry)
        document = {"version": "prometheus/v1", "service": spec.service.name}
        if spec.service.owner:
            document["labels"] = {"owner": spec.service.owner}
        document["slos"] = out_slos
        header = (f"# Sloth spec generated by slospec. Run:\n#   sloth generate -i {spec.service.name}.sloth.yaml "
                  f"--default-slo-period {period}")
        catalog = None
        alerted = [s for s in slos if tiers_for(s)]
        if alerted:
            ours = {(t.severity, format_prometheus(t.long_window.seconds), format_prometheus(t.short_window.seconds),
                     t.burn_rate) for t in tiers_for(alerted[0])}
            default = {(s, lw, sw, b) for s, lw, sw, b in SLOTH_DEFAULT}
            if period != "30d" or ours != default:
                catalog = _windows_catalog(period, alerted[0])
                header += " --slo-period-windows-path windows/"
        artifacts.append(Artifact(f"{spec.service.name}.sloth.yaml", header + "\n" + yamlout.dump(document)))
        if catalog is not None:
            artifacts.append(Artifact(f"{spec.service.name}-{period}.windows.yaml",
                                      "# Sloth alert windows matching slospec's tiers.\n" + yamlout.dump(catalog)))
    if not artifacts:
        raise CompileError("nothing to compile to Sloth: no SLO has a Prometheus SLI")
    return artifacts
