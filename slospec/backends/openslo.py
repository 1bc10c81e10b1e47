"""OpenSLO v1 back end: Service, SLI, SLO, AlertPolicy (one burn-rate condition each) and
AlertNotificationTarget objects as one multi-document YAML stream.

What OpenSLO cannot say (the short window of a multi-window alert, SLAs and credits,
operational facts, dependencies) travels in `slospec.dev/` annotations: every SLO's alert
short window on its condition, and the whole slospec spec as JSON on the Service, which
`slospec convert` restores exactly.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from slospec import promql, queries
from slospec.alerting import tiers_for
from slospec.backends import Artifact, CompileOptions
from slospec.model import HUNDRED, SLI, SLO, Spec, Window
from slospec.openslo.importer import SHORT_WINDOW_ANNOTATION, SPEC_ANNOTATION
from slospec.quantities import Duration

JOINER = "---\n"
API = "openslo/v1"
CALENDAR = {"day": "1d", "week": "1w", "month": "1M", "quarter": "1Q", "year": "1Y"}


def openslo_duration(duration: Duration) -> str:
    """OpenSLO has no seconds: whole minutes, hours, days or weeks (largest exact unit)."""
    seconds = int(duration.seconds)
    for unit, size in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0 and seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{max(1, round(seconds / 60))}m"


def time_window(window: Window) -> dict:
    if window.rolling:
        return {"duration": openslo_duration(window.length), "isRolling": True}
    return {"duration": CALENDAR[window.calendar], "isRolling": False,
            "calendar": {"startTime": "2020-01-06 00:00:00", "timeZone": window.time_zone or "UTC"}}


def _metric(source: str, query: str, extra: dict | None = None) -> dict:
    return {"metricSource": {"type": "Prometheus" if source == "prometheus" else source,
                             "spec": {"query": query, **(extra or {})}}}


def sli_spec(sli: SLI) -> dict:
    spec: dict[str, Any] = {}
    if sli.description:
        spec["description"] = sli.description[:1050]
    source = sli.source
    if sli.kind == "ratio":
        templated = any(queries.is_template(q) for q in (sli.good, sli.bad, sli.total) if q)
        ratio: dict[str, Any] = {"counter": not templated}
        for key in ("good", "bad", "total"):
            query = getattr(sli, key)
            if query is not None:
                text = queries.with_window(query, "5m") if templated else promql.counter_sum(query)
                ratio[key] = _metric(source, text)
        spec["ratioMetric"] = ratio
    elif sli.kind == "latency":
        bucket = promql.bucket(sli.histogram, sli.threshold.seconds)
        count = promql.count(sli.histogram)
        spec["ratioMetric"] = {"counter": True, "good": _metric(source, f"sum({bucket})"),
                               "total": _metric(source, f"sum({count})")}
    elif sli.kind == "uptime":
        spec["thresholdMetric"] = _metric(source, sli.probe)
    else:
        extra = {"condition": sli.condition, **({"filter": sli.query} if sli.query else {})}
        spec["ratioMetric"] = {"counter": True,
                               "good": _metric(source, f"count({sli.query or 'events'} where {sli.condition})", extra),
                               "total": _metric(source, f"count({sli.query or 'events'})",
                                                {"filter": sli.query} if sli.query else None)}
    return spec


def object_name(spec: Spec, name: str) -> str:
    """OpenSLO names are unique per kind across everything a consumer loads: prefix the service."""
    full = f"{spec.service.name}-{name}"
    return full if len(full) <= 63 else full[:63].rstrip("-")


def _target(slo: SLO) -> Decimal:
    return min(slo.target / HUNDRED, Decimal("0.999999999"))  # OpenSLO forbids 1.0


def objects(spec: Spec, original: dict | None) -> list[dict]:
    svc = spec.service
    service_meta: dict[str, Any] = {"name": svc.name}
    if svc.display_name:
        service_meta["displayName"] = svc.display_name
    if svc.owner:
        service_meta["labels"] = {"team": [svc.owner]}
    if original is not None:
        # Decimals as JSON numbers (their shortest float form keeps every digit a spec holds).
        service_meta["annotations"] = {SPEC_ANNOTATION: json.dumps(original, default=float,
                                                                    separators=(",", ":"))}
    out: list[dict] = [{"apiVersion": API, "kind": "Service", "metadata": service_meta,
                        "spec": {"description": (svc.description or svc.name)[:1050]}}]
    for sli in spec.slis:
        meta: dict[str, Any] = {"name": object_name(spec, sli.name)}
        if sli.display_name:
            meta["displayName"] = sli.display_name
        out.append({"apiVersion": API, "kind": "SLI", "metadata": meta, "spec": sli_spec(sli)})
    targets_needed: set[str] = set()
    for slo in spec.slos:
        meta = {"name": object_name(spec, slo.name)}
        if slo.display_name:
            meta["displayName"] = slo.display_name
        owner = slo.owner or svc.owner
        if owner:
            meta["labels"] = {"team": [owner]}
        objective: dict[str, Any] = {"displayName": slo.name, "target": _target(slo)}
        budgeting = "Occurrences"
        if slo.budgeting.timeslices and slo.budgeting.slice is not None:
            budgeting = "Timeslices" if slo.budgeting.method == "timeslices" else "RatioTimeslices"
            objective["timeSliceWindow"] = openslo_duration(slo.budgeting.slice)
            if budgeting == "Timeslices":
                objective["timeSliceTarget"] = (slo.budgeting.slice_target or HUNDRED) / HUNDRED
        slo_spec: dict[str, Any] = {}
        if slo.description:
            slo_spec["description"] = slo.description[:1050]
        slo_spec.update({"service": svc.name, "indicatorRef": object_name(spec, slo.sli_name),
                         "timeWindow": [time_window(slo.window)], "budgetingMethod": budgeting,
                         "objectives": [objective]})
        policies = []
        for index, tier in enumerate(tiers_for(slo)):
            policy_name = object_name(spec, f"{slo.name}-{tier.severity}-{index + 1}")
            targets_needed.add(tier.severity)
            condition: dict[str, Any] = {"kind": "burnrate", "op": "gte", "threshold": tier.burn_rate,
                                         "lookbackWindow": openslo_duration(tier.long_window)}
            if tier.for_ is not None:
                condition["alertAfter"] = openslo_duration(tier.for_)
            policies.append({"alertPolicyRef": policy_name})
            out.append({
                "apiVersion": API, "kind": "AlertPolicy", "metadata": {"name": policy_name},
                "spec": {
                    "description": f"{tier.burn_rate}x burn over {tier.long_window} (and {tier.short_window}) "
                                   f"for SLO {slo.name}",
                    "alertWhenBreaching": True, "alertWhenResolved": False, "alertWhenNoData": True,
                    "conditions": [{"kind": "AlertCondition",
                                    "metadata": {"name": f"{policy_name}-burn",
                                                 "annotations": {SHORT_WINDOW_ANNOTATION: str(tier.short_window)}},
                                    "spec": {"severity": tier.severity, "condition": condition}}],
                    "notificationTargets": [{"targetRef": f"{svc.name}-{tier.severity}"}],
                },
            })
        if policies:
            slo_spec["alertPolicies"] = policies
        out.append({"apiVersion": API, "kind": "SLO", "metadata": meta, "spec": slo_spec})
    for severity in sorted(targets_needed):
        out.append({"apiVersion": API, "kind": "AlertNotificationTarget",
                    "metadata": {"name": f"{svc.name}-{severity}"},
                    "spec": {"description": f"Where {severity} alerts for {svc.name} go", "target": severity}})
    return out


def compile(specs: list[Spec], options: CompileOptions) -> list[Artifact]:
    from slospec import yamlout

    artifacts = []
    for spec in specs:
        docs = objects(spec, spec.data if spec.origin == "slospec" else None)
        artifacts.append(Artifact(f"{spec.service.name}.openslo.yaml", yamlout.dump_all(docs)))
    return artifacts
