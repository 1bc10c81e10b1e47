"""OpenSLO v1 (and v2alpha, read through the same path) -> slospec spec data, with a map from every slospec pointer back to the OpenSLO
field it came from (so realism findings land on the original file's lines)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from slospec.diagnostics import Pointer
from slospec.errors import SlospecError
from slospec.interop.openslo.objects import (
    READ_APIS,
    SHORT_WINDOW_ANNOTATION,
    SPEC_ANNOTATION,
    OpenSloObject,
    indicator_keys,
    metric_source,
    service_key,
)
from slospec.slo import promql
from slospec.source.document import SourceMap

RUNBOOK_KEYS = ("runbook", "runbook_url", "runbookURL", "runbookUrl")
CALENDAR_UNITS = {"d": "day", "w": "week", "M": "month", "Q": "quarter", "Y": "year"}
# go-sdk's conversions for rolling windows in month, quarter and year units.
ROLLING_DAYS = {"M": 30, "Q": 90, "Y": 365}


@dataclass
class Converted:
    """One slospec spec built from OpenSLO objects, and where each of its values came from."""

    data: dict[str, Any]
    home: OpenSloObject  # the object whose file the findings belong to
    origins: dict[Pointer, tuple[OpenSloObject, Pointer]] = field(default_factory=dict)
    # Where to point instead when the origin lives in another document (a referenced object).
    fallbacks: dict[Pointer, tuple[OpenSloObject, Pointer]] = field(default_factory=dict)

    def source_map(self) -> SourceMap:
        out = SourceMap()
        for pointer, (obj, inner) in self.origins.items():
            if obj.doc.path != self.home.doc.path:  # same file, any document: same lines
                if pointer not in self.fallbacks:
                    continue
                obj, inner = self.fallbacks[pointer]
            out.values[pointer] = obj.doc.source_map.locate(obj.pointer + inner)
        out.values.setdefault((), self.home.doc.source_map.locate(self.home.pointer))
        return out


def _duration(text: str) -> tuple[int, str]:
    match = re.match(r"^(\d+)([mhdwMQY])$", str(text))
    return (int(match.group(1)), match.group(2)) if match else (0, "")


def window_of(tw: dict) -> Any:
    count, unit = _duration(tw.get("duration", ""))
    if not tw.get("isRolling", False) and count == 1 and unit in CALENDAR_UNITS:
        tz = (tw.get("calendar") or {}).get("timeZone", "UTC")
        return {"calendar": CALENDAR_UNITS[unit], "timeZone": tz}
    if unit in ROLLING_DAYS:
        return f"{count * ROLLING_DAYS[unit]}d"
    return f"{count}{unit}"


def _query(metric: dict, api: str) -> str:
    spec, _kind, _ref = metric_source(metric, api)
    for key in ("query", "promql"):  # `promql:` is Nobl9's key for a Prometheus query string
        if isinstance(spec.get(key), str):
            return spec[key]
    return json.dumps(spec, sort_keys=True) if spec else "(no query)"


# The window variable of a templated OpenSLO query, as the tools that evaluate them write it
# (`[{{.Window}}]` in the Go SDK's demos, `[{{.window}}]` as Sloth writes it) -> `{{window}}`.
GO_WINDOW_RE = re.compile(r"\{\{-?\s*\.[Ww]indow\s*-?\}\}")
# Grafana's range variables, met in queries copied from dashboards: `$__range` is the whole
# window; `$__rate_interval` / `$__interval` are a per-point rate's range (read like counter: false).
GRAFANA_RANGE_RE = re.compile(r"\$(?:__range\b|\{__range\})")
GRAFANA_STEP_RE = re.compile(r"\$(?:__rate_interval|__interval)\b|\$\{(?:__rate_interval|__interval)\}")
# A counter: false query's average over the window (what `compile` built from it before): its
# sum over the window divided by the same for the total is the ratio the tools compute.
NON_COUNTER_WRAP = "sum(avg_over_time(({query})[{{{{window}}}}:]))"
NON_COUNTER_SELECTOR_WRAP = "sum(avg_over_time({query}[{{{{window}}}}]))"


def templated(query: str) -> str:
    """An OpenSLO query with its window variable written as slospec writes it."""
    query = GO_WINDOW_RE.sub(promql.WINDOW, query)
    return GRAFANA_RANGE_RE.sub(promql.WINDOW, query)


def non_counter(query: str) -> str:
    """A `counter: false` Prometheus query (a rate, a gauge of events per second: a value at
    each point) as the tools read it: averaged over the window. A template is used as it is."""
    query = templated(query)
    if promql.is_template(query):
        return query
    query = GRAFANA_STEP_RE.sub("5m", query).strip()
    try:
        promql.selector(query)
    except promql.PromQLError:
        return NON_COUNTER_WRAP.format(query=query)
    return NON_COUNTER_SELECTOR_WRAP.format(query=query)


def counter_query(query: str) -> str:
    """A `counter: true` (or unsaid) query: OpenSLO's `sum(selector)` -> the selector."""
    query = templated(query)
    return query if promql.is_template(query) else promql.strip_counter_sum(query)


def _source_type(metric: dict, datasources: dict[str, OpenSloObject], api: str) -> str:
    _spec, kind, ref = metric_source(metric, api)
    if not kind and ref in datasources:
        kind = datasources[ref].spec.get("type")
    # Only an explicit Prometheus source is read as PromQL (the DataSource may live elsewhere).
    return str(kind or "unknown").lower()


def _first_label(labels: Any, *keys: str) -> str | None:
    for key in keys:
        value = (labels or {}).get(key)
        if isinstance(value, list) and value:
            return str(value[0])
        if isinstance(value, str) and value:
            return value
    return None


def _service_labels(objs: list[OpenSloObject | None]) -> dict[str, str]:
    """The labels of a service's Service object and SLOs, as slospec labels: a list of
    values joined by commas (`tier: [critical]` is `tier: critical`), the first object's
    value kept, keys slospec cannot carry left out."""
    from slospec.interop.base import label_map

    out: dict[str, str] = {}
    for obj in objs:
        labels = (obj.data.get("metadata") or {}).get("labels") if obj is not None else None
        if not isinstance(labels, dict):
            continue
        flat = {
            k: ",".join(str(v) for v in value if isinstance(v, (str, int, float))) if isinstance(value, list) else value
            for k, value in labels.items()
        }
        for key, value in label_map(flat).items():
            if value and key not in out:
                out[key] = value
    return out


def _percent(value: Any) -> Decimal:
    return (Decimal(str(value)) * 100).normalize()


def _severity(text: str) -> str:
    return "page" if re.search(r"page|critical|high|urgent|p1", text, re.I) else "ticket"


def _threshold_sli(
    conv: Converted, slis: list[dict], base: dict, base_at: Pointer, slo: OpenSloObject, index: int, objective: Any
) -> str:
    """The SLI of one threshold objective: the thresholdMetric with this objective's op and value
    (each objective may compare the metric with its own threshold). Returns its name."""
    from slospec.interop.base import decimal_of

    op = objective.get("op") if isinstance(objective, dict) else None
    value = decimal_of(objective.get("value")) if isinstance(objective, dict) else None
    name = str(base["name"])
    if op not in promql.THRESHOLD_OPS or value is None or (op == "gte" and value == 1):
        return name  # a 0/1 probe that says up (gte 1): the probe as it is
    entry = next((s for s in slis if s["name"] == name), None)
    if entry is None:
        return name
    at = ("slis", slis.index(entry))
    if "op" in entry["uptime"]:
        if (entry["uptime"]["op"], entry["uptime"]["value"]) == (op, value):
            return name
        name = f"{name[:59].rstrip('-')}-{index + 1}"
        entry = next((s for s in slis if s["name"] == name), None)
        if entry is not None:
            return name
        entry = {**base, "name": name, "uptime": {k: v for k, v in base["uptime"].items() if k not in ("op", "value")}}
        new_at = ("slis", len(slis))
        slis.append(entry)
        for pointer, origin in list(conv.origins.items()):
            if pointer[: len(base_at)] == base_at:
                conv.origins[new_at + pointer[len(base_at) :]] = origin
        at = new_at
    entry["uptime"].update({"op": op, "value": value})
    obj_at = ("spec", "objectives", index)
    conv.origins[at + ("uptime", "op")] = (slo, obj_at + ("op",))
    conv.origins[at + ("uptime", "value")] = (slo, obj_at + ("value",))
    return name


def _routes(severities: dict[str, set[str]]) -> dict[str, Any]:
    """The severity each alert condition says (`critical`, `High`), kept as the `severity` label
    of its alerts where slospec's page / ticket would replace it (one value per slospec severity)."""
    out: dict[str, Any] = {}
    for severity, written in sorted(severities.items()):
        if len(written) == 1 and written != {severity}:
            out[severity] = {"labels": {"severity": next(iter(written))}}
    return out


class Builder:
    def __init__(self, index: dict[tuple[str, str], OpenSloObject]):
        self.index = index
        self.datasources = {name: obj for (kind, name), obj in index.items() if kind == "DataSource"}

    def sli(self, slo: OpenSloObject, conv: Converted, at: Pointer) -> tuple[str, dict] | None:
        spec = slo.spec
        base: Pointer
        inline_key, ref_key = indicator_keys(slo.api)
        if isinstance(spec.get(inline_key), dict):
            owner, base, sli = slo, ("spec", inline_key), spec[inline_key]
            name = (sli.get("metadata") or {}).get("name") or f"{slo.name}-sli"
        else:
            ref = spec.get(ref_key)
            target = self.index.get(("SLI", ref)) if isinstance(ref, str) else None
            if target is None:
                return None
            owner, base, sli, name = target, (), target.data, ref
        body = sli.get("spec", {}) or {}
        api = owner.api
        out: dict[str, Any] = {"name": name}
        conv.origins[at] = (owner, base)
        conv.origins[at + ("name",)] = (owner, base + ("metadata", "name"))
        ref = ("spec", ref_key) if owner is not slo else base
        for sub in ((), ("name",), ("description",), ("ratio",), ("uptime",)):
            conv.fallbacks[at + sub] = (slo, ref)
        if body.get("description"):
            out["description"] = body["description"]
        if "ratioMetric" in body:
            ratio = body["ratioMetric"]
            source = _source_type(ratio.get("total") or ratio.get("raw"), self.datasources, api)
            if source != "prometheus":
                out["source"] = source
            mapped: dict[str, str] = {}
            if "raw" in ratio:
                key = "bad" if ratio.get("rawType") == "failure" else "good"
                mapped[key] = (
                    templated(_query(ratio["raw"], api)) if source == "prometheus" else _query(ratio["raw"], api)
                )
                mapped["total"] = "vector(1)"
                conv.origins[at + ("ratio", key)] = (owner, base + ("spec", "ratioMetric", "raw"))
            for key in ("good", "bad", "total"):
                if key in ratio:
                    query = _query(ratio[key], api)
                    if source != "prometheus":
                        mapped[key] = query
                    elif ratio.get("counter") is False:
                        mapped[key] = non_counter(query)
                    else:
                        mapped[key] = counter_query(query) if ratio.get("counter") else templated(query)
                    conv.origins[at + ("ratio", key)] = (owner, base + ("spec", "ratioMetric", key))
            out["ratio"] = mapped
        elif "thresholdMetric" in body:
            metric = body["thresholdMetric"]
            source = _source_type(metric, self.datasources, api)
            if source != "prometheus":
                out["source"] = source
            probe = _query(metric, api)
            out["uptime"] = {"probe": templated(probe) if source == "prometheus" else probe}
            conv.origins[at + ("uptime", "probe")] = (owner, base + ("spec", "thresholdMetric"))
        else:
            return None
        return name, out

    def convert(self, slos: list[OpenSloObject], service: str) -> Converted:
        home = slos[0]
        conv = Converted({"apiVersion": "slospec/v1"}, home=home)
        svc_obj = self.index.get(("Service", service))
        service_data: dict[str, Any] = {"name": service}
        conv.origins[("service",)] = (home, ("spec", service_key(home)))
        conv.origins[("service", "name")] = (home, ("spec", service_key(home)))
        if svc_obj is not None and svc_obj.spec.get("description"):
            service_data["description"] = svc_obj.spec["description"]
        owner = _first_label((home.data.get("metadata") or {}).get("labels"), "owner", "team")
        if owner is None and svc_obj is not None:
            owner = _first_label((svc_obj.data.get("metadata") or {}).get("labels"), "owner", "team")
        if owner:
            service_data["owner"] = owner
        labels = _service_labels([svc_obj, *slos])
        if labels:  # what organisation policies match (`tier: [critical]`): slospec.specmodel.policy
            service_data["labels"] = labels
            conv.origins[("service", "labels")] = (home, ("metadata", "labels"))
        conv.data["service"] = service_data
        slis: list[dict] = []
        out_slos: list[dict] = []
        for slo in slos:
            spec = slo.spec
            inline_key, ref_key = indicator_keys(slo.api)
            sli_at = ("slis", len(slis))
            found = self.sli(slo, conv, sli_at)
            if found is None:
                ref = spec.get(ref_key)
                if not isinstance(ref, str):
                    continue
                # The SLI is not in the files read (SLO004 says so when it is nowhere): the
                # SLO is still judged on its target, window and alerting.
                sli_name = ref
            else:
                sli_name, sli_data = found
                if not any(s["name"] == sli_name for s in slis):
                    slis.append(sli_data)
            objectives = spec.get("objectives") or []
            for index, objective in enumerate(objectives):
                slo_at = ("slos", len(out_slos))
                name = slo.name if len(objectives) == 1 else f"{slo.name}-{index + 1}"[:63].strip("-")
                data: dict[str, Any] = {"name": name, "sli": sli_name}
                if found is not None and "uptime" in sli_data:
                    data["sli"] = _threshold_sli(conv, slis, sli_data, sli_at, slo, index, objective)
                conv.origins[slo_at] = (slo, ())
                conv.origins[slo_at + ("name",)] = (slo, ("metadata", "name"))
                conv.origins[slo_at + ("sli",)] = (
                    slo,
                    ("spec", ref_key if ref_key in spec else inline_key),
                )
                if spec.get("description"):
                    data["description"] = spec["description"]
                obj_at = ("spec", "objectives", index)
                if "targetPercent" in objective:
                    data["target"] = f"{Decimal(str(objective['targetPercent'])).normalize():f}%"
                    conv.origins[slo_at + ("target",)] = (slo, obj_at + ("targetPercent",))
                else:
                    data["target"] = f"{_percent(objective.get('target', 0)):f}%"
                    conv.origins[slo_at + ("target",)] = (slo, obj_at + ("target",))
                windows = spec.get("timeWindow") or [{}]
                data["window"] = window_of(windows[0])
                conv.origins[slo_at + ("window",)] = (slo, ("spec", "timeWindow", 0, "duration"))
                if isinstance(data["window"], dict):
                    conv.origins[slo_at + ("window", "timeZone")] = (
                        slo,
                        ("spec", "timeWindow", 0, "calendar", "timeZone"),
                    )
                method = spec.get("budgetingMethod")
                if method in ("Timeslices", "RatioTimeslices") and objective.get("timeSliceWindow"):
                    budgeting: dict[str, Any] = {
                        "method": "timeslices" if method == "Timeslices" else "ratio-timeslices",
                        "slice": str(objective["timeSliceWindow"]),
                    }
                    if objective.get("timeSliceTarget") is not None:
                        budgeting["sliceTarget"] = f"{_percent(objective['timeSliceTarget']):f}%"
                    data["budgeting"] = budgeting
                    conv.origins[slo_at + ("budgeting", "slice")] = (slo, obj_at + ("timeSliceWindow",))
                severities: dict[str, set[str]] = {}
                tiers = self.tiers(slo, conv, slo_at, severities)
                if tiers:
                    data["alerting"] = {"tiers": tiers, **_routes(severities)}
                    annotations = (slo.data.get("metadata") or {}).get("annotations") or {}
                    key = next(
                        (k for k in RUNBOOK_KEYS if isinstance(annotations.get(k), str) and annotations[k]), None
                    )
                    if key is not None:  # OpenSLO has no runbook field: an annotation says it
                        data["alerting"]["runbook"] = annotations[key]
                        conv.origins[slo_at + ("alerting", "runbook")] = (slo, ("metadata", "annotations", key))
                elif self.unresolved_policies(slo):
                    # Its alert policies live in files not read: slospec must not judge (or
                    # compile) tiers of its own invention as if the file had said them.
                    data["alerting"] = {"policy": "none"}
                    conv.origins[slo_at + ("alerting",)] = (slo, ("spec", "alertPolicies"))
                out_slos.append(data)
        conv.data["slis"] = slis
        conv.data["slos"] = out_slos
        return conv

    def unresolved_policies(self, slo: OpenSloObject) -> list[tuple[int, str]]:
        """(index, name) of the alertPolicyRefs of `slo` that no object read defines."""
        out = []
        for index, entry in enumerate(slo.spec.get("alertPolicies") or []):
            ref = entry.get("alertPolicyRef") if isinstance(entry, dict) else None
            if isinstance(ref, str) and ("AlertPolicy", ref) not in self.index:
                out.append((index, ref))
        return out

    def tiers(
        self, slo: OpenSloObject, conv: Converted, slo_at: Pointer, severities: dict[str, set[str]] | None = None
    ) -> list[dict]:
        tiers: list[dict[str, Any]] = []
        base: Pointer
        c_base: Pointer
        for index, entry in enumerate(slo.spec.get("alertPolicies") or []):
            if "alertPolicyRef" in entry:
                policy = self.index.get(("AlertPolicy", entry["alertPolicyRef"]))
                if policy is None:
                    continue
                owner, base, body = policy, ("spec",), policy.spec
            else:
                owner, base, body = slo, ("spec", "alertPolicies", index, "spec"), entry.get("spec", {})
            for c_index, cond in enumerate(body.get("conditions") or []):
                if "conditionRef" in cond:
                    target = self.index.get(("AlertCondition", cond["conditionRef"]))
                    if target is None:
                        continue
                    c_owner, c_base, c_body = target, ("spec",), target.spec
                    annotations = (target.data.get("metadata") or {}).get("annotations") or {}
                else:
                    c_owner, c_base, c_body = owner, base + ("conditions", c_index, "spec"), cond.get("spec", {})
                    annotations = (cond.get("metadata") or {}).get("annotations") or {}
                condition = c_body.get("condition") or {}
                if condition.get("kind") != "burnrate" or condition.get("op") not in ("gt", "gte"):
                    continue
                long_window = window_of({"duration": condition.get("lookbackWindow", ""), "isRolling": True})
                written = str(c_body.get("severity", ""))
                if severities is not None and written:
                    severities.setdefault(_severity(written), set()).add(written)
                tier: dict[str, Any] = {
                    "severity": _severity(written),
                    "longWindow": long_window,
                    "burnRate": Decimal(str(condition.get("threshold", 0))),
                }
                if annotations.get(SHORT_WINDOW_ANNOTATION):
                    tier["shortWindow"] = annotations[SHORT_WINDOW_ANNOTATION]
                if _duration(condition.get("alertAfter", ""))[0]:  # v2alpha requires it: 0m is none
                    tier["for"] = window_of({"duration": condition["alertAfter"], "isRolling": True})
                at = slo_at + ("alerting", "tiers", len(tiers))
                for sub in ((), ("severity",), ("burnRate",), ("longWindow",)):
                    conv.fallbacks[at + sub] = (slo, ("spec", "alertPolicies", index))
                conv.origins[at] = (c_owner, c_base)
                conv.origins[at + ("severity",)] = (c_owner, c_base + ("severity",))
                conv.origins[at + ("burnRate",)] = (c_owner, c_base + ("condition", "threshold"))
                conv.origins[at + ("longWindow",)] = (c_owner, c_base + ("condition", "lookbackWindow"))
                tiers.append(tier)
        return tiers


def convert_all(all_objects: list[OpenSloObject], helpers: Sequence[OpenSloObject] = ()) -> list[Converted]:
    """slospec specs for the v1 and v2alpha SLOs of `all_objects`, grouped by file and service;
    `helpers` (objects of the rest of the project) only resolve references."""
    # A name resolves to an object of the SLO's own version first (a folder may hold one set
    # of objects in v1 and again in v2alpha), then of the other.
    readable = [o for o in (*helpers, *all_objects) if o.api in READ_APIS]
    builders: dict[str, Builder] = {}
    for api in READ_APIS:
        index = {(o.kind, o.name): o for o in readable if o.api != api}
        index.update({(o.kind, o.name): o for o in readable if o.api == api})
        builders[api] = Builder(index)
    groups: dict[tuple[str, str, str], list[OpenSloObject]] = {}
    for obj in all_objects:
        if obj.api in READ_APIS and obj.kind == "SLO":
            groups.setdefault((obj.path, obj.api, str(obj.spec.get(service_key(obj), ""))), []).append(obj)
    out = []
    for (_path, api, service), slos in groups.items():
        builder = builders[api]
        index = builder.index
        conv = builder.convert(slos, service)
        annotated = _annotated_spec(index.get(("Service", service)))
        if annotated is not None:
            conv = _with_annotation(conv, annotated, slos, index)
        out.append(conv)
    return out


def notices(all_objects: list[OpenSloObject]) -> list[tuple[OpenSloObject, Pointer, str]]:
    """What the import of these objects cannot keep: (object, pointer inside it, message)."""
    index = {(o.kind, o.name): o for o in all_objects if o.api in READ_APIS}
    builder = Builder(index)
    out: list[tuple[OpenSloObject, Pointer, str]] = []
    for obj in all_objects:
        if obj.api not in READ_APIS or obj.kind != "SLO":
            continue
        inline_key, ref_key = indicator_keys(obj.api)
        ref = obj.spec.get(ref_key)
        objectives = obj.spec.get("objectives")
        if ref is None and inline_key not in obj.spec and isinstance(objectives, list):
            if any(isinstance(o, dict) and (inline_key in o or ref_key in o) for o in objectives):
                out.append(
                    (
                        obj,
                        ("spec", "objectives"),
                        f"SLO {obj.name!r} is a composite SLO (an SLI per objective): slospec checks its "
                        "shape but does not judge, compile or convert it",
                    )
                )
        if isinstance(ref, str) and inline_key not in obj.spec and ("SLI", ref) not in index:
            out.append(
                (
                    obj,
                    ("spec", ref_key),
                    f"SLO {obj.name!r}: SLI {ref!r} is in a file not read here, so the spec refers to an SLI "
                    "it does not define: give the folder that holds it",
                )
            )
        missing = builder.unresolved_policies(obj)
        for position, (index_, ref) in enumerate(missing):
            whole = len(missing) == len(obj.spec.get("alertPolicies") or [])
            message = (
                f"SLO {obj.name!r}: alert policy {ref!r} is in a file not read here, so its alert tiers are unknown"
            )
            if whole and position == 0:
                message += (
                    "; slospec judges and compiles this SLO without alerts (not with tiers of its own): "
                    "give the folder that holds the policies"
                )
            out.append((obj, ("spec", "alertPolicies", index_, "alertPolicyRef"), message))
    return out


def _with_annotation(
    conv: Converted, annotated: dict, slos: list[OpenSloObject], index: dict[tuple[str, str], OpenSloObject]
) -> Converted:
    """The spec the objects say, with what only the annotation can say where it still agrees."""
    from slospec.interop.openslo.reconcile import reconcile

    found = reconcile(annotated, conv.data, slos, index)
    if found is None:
        return conv

    def moved(table: dict) -> dict:
        out = {}
        for pointer, origin in table.items():
            if pointer[:1] in (("slis",), ("slos",)):
                if pointer[:2] not in found.moves:
                    continue
                pointer = found.moves[pointer[:2]] + pointer[2:]
            out[pointer] = origin
        return out

    return Converted(found.data, conv.home, moved(conv.origins), moved(conv.fallbacks))


def _annotated_spec(service: OpenSloObject | None) -> dict | None:
    """A spec exported by slospec carries itself in an annotation (see reconcile for how much of it counts)."""
    if service is None:
        return None
    text = ((service.data.get("metadata") or {}).get("annotations") or {}).get(SPEC_ANNOTATION)
    if not text:
        return None
    try:
        return json.loads(text, parse_float=Decimal)
    except ValueError:
        return None


class NotImportable(SlospecError):
    """An OpenSLO file `convert` cannot take (SLO002, as lint reports it): where and why."""

    def __init__(self, line: int, column: int, message: str):
        super().__init__(message)
        self.line, self.column, self.message = line, column, message

    def where(self) -> tuple[int, int]:
        return self.line, self.column


def refused(obj: OpenSloObject, problem: Any) -> NotImportable:
    span = obj.doc.source_map.locate(problem.pointer, key=problem.at_key)
    return NotImportable(span.line, span.column, problem.message)


def out_of_bounds(conv: Converted, exc: Exception) -> tuple[Pointer, str]:
    """A value the model refuses (a 0d window, an unknown zone): the pointer in the converted
    spec (its source map leads to the OpenSLO field) and the message without slospec's path."""
    from slospec.diagnostics import pointer_text

    pointer = tuple(getattr(exc, "pointer", ()))
    message, prefix = str(exc), pointer_text(pointer) + ": "
    return pointer, message[len(prefix) :] if pointer and message.startswith(prefix) else message


def to_slospec(source) -> list[dict]:
    """Spec data for `slospec convert` from one parsed OpenSLO file: only objects that pass the
    checks lint makes (the importer trusts their shape) and specs the model takes; the first
    problem in the file is raised as NotImportable."""
    from slospec.interop.openslo import checker
    from slospec.interop.openslo.objects import objects
    from slospec.specmodel import model
    from slospec.specmodel.quantities import QuantityError

    found = list(objects(source.documents))
    problems = [refused(obj, p) for obj in found for p in checker.problems(obj) if p.blocking]
    if problems:  # the first in the file, as lint lists them
        raise min(problems, key=NotImportable.where)
    converted = convert_all(found)
    for conv in converted:
        try:
            model.build(conv.data, conv.home.path)
        except QuantityError as exc:
            pointer, message = out_of_bounds(conv, exc)
            span = conv.source_map().locate(pointer)
            problems.append(NotImportable(span.line, span.column, message))
    if problems:
        raise min(problems, key=NotImportable.where)
    return [c.data for c in converted]
