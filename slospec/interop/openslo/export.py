"""OpenSLO v1 back end: Service, SLI, SLO, AlertPolicy (one burn-rate condition each) and
AlertNotificationTarget objects as one multi-document YAML stream.

What OpenSLO cannot say (the short window of a multi-window alert, SLAs and credits,
operational facts, dependencies) travels in `slospec.dev/` annotations: every SLO's alert
short window on its condition, and the whole slospec spec as JSON on the Service, which
`slospec convert` restores exactly.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from slospec.compile import Artifact, CompileError, CompileOptions, need, source_stem
from slospec.interop.openslo.objects import SHORT_WINDOW_ANNOTATION, SPEC_ANNOTATION
from slospec.slo import promql, queries
from slospec.slo.alerting import tiers_for
from slospec.specmodel.model import HUNDRED, SLI, SLO, Spec, Window
from slospec.specmodel.quantities import Duration

JOINER = "---\n"
API = "openslo/v1"
CALENDAR = {"day": "1d", "week": "1w", "month": "1M", "quarter": "1Q", "year": "1Y"}
# A calendar window's startTime anchors its periods: a Monday for weeks (ISO weeks), the first
# of January (a first of a month, a quarter and a year, and a midnight) for the others.
CALENDAR_START = {
    "day": "2020-01-01 00:00:00",
    "week": "2020-01-06 00:00:00",
    "month": "2020-01-01 00:00:00",
    "quarter": "2020-01-01 00:00:00",
    "year": "2020-01-01 00:00:00",
}
NAME_LIMIT = 63  # metadata.name is an RFC 1123 DNS label; metadata.displayName has the same limit (go-sdk)


def exact_duration(duration: Duration) -> str | None:
    """The OpenSLO shorthand for a duration (largest exact unit), or None: OpenSLO has no seconds."""
    if duration.seconds != int(duration.seconds):
        return None
    seconds = int(duration.seconds)
    for unit, size in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0 and seconds >= size:
            return f"{seconds // size}{unit}"
    return None


def openslo_duration(duration: Duration, what: str = "a duration") -> str:
    """OpenSLO has no seconds unit: a duration that is not whole minutes cannot be written."""
    text = exact_duration(duration)
    if text is None:
        raise CompileError(
            f"{what} is {duration}, but OpenSLO durations have no seconds unit (m is the smallest); use whole minutes"
        )
    return text


def time_window(window: Window, what: str = "window") -> dict:
    calendar = window.calendar  # None for a rolling window
    if calendar is None:
        return {"duration": openslo_duration(window.length, what), "isRolling": True}
    return {
        "duration": CALENDAR[calendar],
        "isRolling": False,
        "calendar": {"startTime": CALENDAR_START[calendar], "timeZone": window.time_zone or "UTC"},
    }


def dns_label(text: str) -> str:
    """An OpenSLO name from spec names: a DNS label; too long ones keep a hash of the whole, so
    two long names that share their first 63 characters still differ."""
    label = re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-") or "unnamed"
    if label == text and len(label) <= NAME_LIMIT:
        return label
    digest = hashlib.sha256(text.encode()).hexdigest()[:8]
    return f"{label[: NAME_LIMIT - 9].rstrip('-')}-{digest}"


def display_name(text: str) -> str:
    """metadata.displayName holds at most 63 characters (the full text stays in the spec annotation)."""
    return text if len(text) <= NAME_LIMIT else text[: NAME_LIMIT - 1].rstrip() + "\u2026"


def label_value(text: str) -> str:
    """A label value the go-sdk accepts: lowercase letters, digits, `-._`, at most 63 characters."""
    value = re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-._")
    return value[:NAME_LIMIT].rstrip("-._") or "unknown"


def _metric(source: str, query: str, extra: dict | None = None) -> dict:
    return {
        "metricSource": {
            "type": "Prometheus" if source == "prometheus" else source,
            "spec": {"query": query, **(extra or {})},
        }
    }


# What the importer makes of a `counter: false` query (its average over the window).
_NON_COUNTER_RE = re.compile(r"^sum\(avg_over_time\(\((?P<expr>.*)\)\[\{\{window\}\}:\]\)\)$", re.S)
_NON_COUNTER_SELECTOR_RE = re.compile(r"^sum\(avg_over_time\((?P<expr>[^\[\]]*)\[\{\{window\}\}\]\)\)$", re.S)


def non_counter_query(query: str) -> str | None:
    """The query a `counter: false` OpenSLO ratio was written with, when `query` is its import."""
    for pattern in (_NON_COUNTER_RE, _NON_COUNTER_SELECTOR_RE):
        match = pattern.match(query.strip())
        if match and promql.WINDOW not in match.group("expr"):
            return match.group("expr")
    return None


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
                # An imported `counter: false` query goes back as it was written.
                text = non_counter_query(query)
                if source != "prometheus":  # another tool's query language: as it was read
                    text = query
                elif text is None:
                    text = queries.with_window(query, "5m") if templated else promql.counter_sum(query)
                ratio[key] = _metric(source, text)
        spec["ratioMetric"] = ratio
    elif sli.kind == "latency":
        owner = f"SLI {sli.name!r}"
        refused = queries.off_bucket(sli)
        if refused:
            raise CompileError(f"{owner}: {refused}")
        histogram = need(sli.histogram, owner, "histogram")
        threshold = need(sli.threshold, owner, "threshold").seconds
        if sli.native:
            # No counter series to sum: rates over a window, as OpenSLO's `counter: false` says.
            good, total = promql.native_good_total(histogram, threshold, "5m")
            spec["ratioMetric"] = {"counter": False, "good": _metric(source, good), "total": _metric(source, total)}
        else:
            bucket = promql.bucket(histogram, threshold)
            count = promql.count(histogram)
            spec["ratioMetric"] = {
                "counter": True,
                "good": _metric(source, f"sum({bucket})"),
                "total": _metric(source, f"sum({count})"),
            }
    elif sli.kind == "uptime":
        spec["thresholdMetric"] = _metric(source, need(sli.probe, f"SLI {sli.name!r}", "probe"))
    else:
        extra = {"condition": sli.condition, **({"filter": sli.query} if sli.query else {})}
        spec["ratioMetric"] = {
            "counter": True,
            "good": _metric(source, f"count({sli.query or 'events'} where {sli.condition})", extra),
            "total": _metric(source, f"count({sli.query or 'events'})", {"filter": sli.query} if sli.query else None),
        }
    return spec


def _severity(slo: SLO, severity: str) -> str:
    """An alert condition's severity: the `severity` label the spec routes this severity's
    alerts with (kept from the file it was imported from), else page / ticket."""
    return slo.alerting.severity_labels.get(severity, {}).get("severity") or severity


def object_name(spec: Spec, name: str) -> str:
    """OpenSLO names are unique per kind across everything a consumer loads: prefix the service."""
    return dns_label(f"{spec.service.name}-{name}")


def _target(slo: SLO) -> Decimal:
    return min(slo.target / HUNDRED, Decimal("0.999999999"))  # OpenSLO forbids 1.0


def budgeting_method(slo: SLO, objective: dict) -> str:
    """OpenSLO's budgetingMethod, with the objective's slice fields; refuses what it cannot say."""
    budgeting = slo.budgeting
    if not budgeting.timeslices or budgeting.slice is None:
        return "Occurrences"
    window = exact_duration(budgeting.slice)
    if window is None:
        sli = slo.sli
        if (
            sli is not None
            and sli.kind == "uptime"
            and sli.interval is not None
            and budgeting.slice <= sli.interval
            and budgeting.method == "timeslices"
        ):
            # Each slice holds one check: good slices are good checks, so counting checks
            # (Occurrences) is the same budget. The slice itself travels in the spec annotation.
            return "Occurrences"
        raise CompileError(
            f"SLO {slo.name!r}: time slices of {budgeting.slice} cannot be written in OpenSLO "
            "(its durations have no seconds unit; a 1m slice is a different objective); "
            "use slices of whole minutes"
        )
    objective["timeSliceWindow"] = window
    if budgeting.method == "timeslices":
        objective["timeSliceTarget"] = (budgeting.slice_target or HUNDRED) / HUNDRED
        return "Timeslices"
    return "RatioTimeslices"


def objects(spec: Spec, original: dict | None) -> list[dict]:
    svc = spec.service
    service_meta: dict[str, Any] = {"name": dns_label(svc.name)}
    if svc.display_name:
        service_meta["displayName"] = display_name(svc.display_name)
    if svc.owner:
        service_meta["labels"] = {"team": [label_value(svc.owner)]}
    if original is not None:
        # Decimals as JSON numbers (their shortest float form keeps every digit a spec holds).
        service_meta["annotations"] = {SPEC_ANNOTATION: json.dumps(original, default=float, separators=(",", ":"))}
    out: list[dict] = [
        {
            "apiVersion": API,
            "kind": "Service",
            "metadata": service_meta,
            "spec": {"description": (svc.description or svc.name)[:1050]},
        }
    ]
    for sli in spec.slis:
        meta: dict[str, Any] = {"name": object_name(spec, sli.name)}
        if sli.display_name:
            meta["displayName"] = display_name(sli.display_name)
        try:
            body = sli_spec(sli)
        except promql.PromQLError as exc:  # a histogram that is no selector (SLO006 at lint): one line, exit 2
            raise CompileError(f"SLI {sli.name!r}: {exc}") from None
        out.append({"apiVersion": API, "kind": "SLI", "metadata": meta, "spec": body})
    targets_needed: set[str] = set()
    for slo in spec.slos:
        meta = {"name": object_name(spec, slo.name)}
        if slo.display_name:
            meta["displayName"] = display_name(slo.display_name)
        owner = slo.owner or svc.owner
        if owner:
            meta["labels"] = {"team": [label_value(owner)]}
        objective: dict[str, Any] = {"displayName": slo.name, "target": _target(slo)}
        if slo.sli is not None and slo.sli.kind == "uptime":
            if slo.sli.op is not None and slo.sli.value is not None:  # a threshold objective, as written
                objective.update({"op": slo.sli.op, "value": slo.sli.value})
            else:
                objective.update({"op": "gte", "value": 1})  # a check is good when the probe says 1 (up)
        budgeting = budgeting_method(slo, objective)
        slo_spec: dict[str, Any] = {}
        if slo.description:
            slo_spec["description"] = slo.description[:1050]
        slo_spec.update(
            {
                "service": service_meta["name"],
                "indicatorRef": object_name(spec, slo.sli_name),
                "timeWindow": [time_window(slo.window, f"SLO {slo.name!r}: the window")],
                "budgetingMethod": budgeting,
                "objectives": [objective],
            }
        )
        policies = []
        for index, tier in enumerate(tiers_for(slo)):
            policy_full = f"{svc.name}-{slo.name}-{tier.severity}-{index + 1}"
            policy_name = dns_label(policy_full)
            targets_needed.add(tier.severity)
            what = f"SLO {slo.name!r}, alert tier {index + 1}"
            # `gt`: the Prometheus rules fire when the burn rate is above the threshold (`>`).
            condition: dict[str, Any] = {
                "kind": "burnrate",
                "op": "gt",
                "threshold": tier.burn_rate,
                "lookbackWindow": openslo_duration(tier.long_window, f"{what}: the long window"),
            }
            if tier.for_ is not None:
                condition["alertAfter"] = openslo_duration(tier.for_, f"{what}: for")
            policies.append({"alertPolicyRef": policy_name})
            out.append(
                {
                    "apiVersion": API,
                    "kind": "AlertPolicy",
                    "metadata": {"name": policy_name},
                    "spec": {
                        "description": f"{tier.burn_rate}x burn over {tier.long_window} (and {tier.short_window}) "
                        f"for SLO {slo.name}",
                        "alertWhenBreaching": True,
                        "alertWhenResolved": False,
                        "alertWhenNoData": True,
                        "conditions": [
                            {
                                "kind": "AlertCondition",
                                "metadata": {
                                    "name": dns_label(f"{policy_full}-burn"),
                                    "annotations": {SHORT_WINDOW_ANNOTATION: str(tier.short_window)},
                                },
                                "spec": {"severity": _severity(slo, tier.severity), "condition": condition},
                            }
                        ],
                        "notificationTargets": [{"targetRef": dns_label(f"{svc.name}-{tier.severity}")}],
                    },
                }
            )
        if policies:
            slo_spec["alertPolicies"] = policies
        out.append({"apiVersion": API, "kind": "SLO", "metadata": meta, "spec": slo_spec})
    for severity in sorted(targets_needed):
        out.append(
            {
                "apiVersion": API,
                "kind": "AlertNotificationTarget",
                "metadata": {"name": dns_label(f"{svc.name}-{severity}")},
                "spec": {"description": f"Where {severity} alerts for {svc.name} go", "target": severity},
            }
        )
    return out


def compile(specs: list[Spec], options: CompileOptions) -> list[Artifact]:
    return artifacts(specs, objects)


def artifacts(specs: list[Spec], documents) -> list[Artifact]:
    """One `<service>.openslo.yaml` per service, holding `documents(spec, None)` of its specs."""
    from slospec.compile import yamlout

    services, sources = merged_services(specs, documents)
    return [
        Artifact(f"{name}.openslo.yaml", yamlout.dump_all(docs), qualifier=source_stem(sources[name]))
        for name, docs in services.items()
    ]


def merged_services(
    specs: list[Spec], documents: Callable[[Spec, dict | None], list[dict]]
) -> tuple[dict[str, list[dict]], dict[str, str]]:
    """(service name -> its objects, service name -> the first spec's path) for `specs`, each
    written by `documents` (v1's `objects`, or v2alpha's)."""
    # OpenSLO keeps a service's SLOs in as many files as its authors like; imported, they are one
    # spec per file. Their export is one file per service, holding the Service object once.
    services: dict[str, list[dict]] = {}
    sources: dict[str, str] = {}
    for spec in specs:
        docs = documents(spec, spec.data if spec.origin == "slospec" else None)
        merged = services.setdefault(spec.service.name, [])
        sources.setdefault(spec.service.name, spec.path)
        seen = {(d["kind"], d["metadata"]["name"]): d for d in merged}
        for doc in docs:
            key = (doc["kind"], doc["metadata"]["name"])
            if key not in seen:
                merged.append(doc)
                seen[key] = doc
            elif doc["kind"] != "Service" and doc != seen[key]:
                raise CompileError(
                    f"service {spec.service.name!r}: {doc['kind']} {key[1]!r} is defined twice, "
                    f"differently ({sources[spec.service.name]} and {spec.path})"
                )
    return services, sources
