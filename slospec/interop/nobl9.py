"""Nobl9 `n9/v1alpha` SLOs (the files `sloctl apply` reads) -> slospec.

A Nobl9 SLO names its service, a data source (`indicator.metricSource`), one or more
objectives, each with its own query (`rawMetric`: a threshold on a value, or `countMetrics`:
good or bad over total, `incremental` for counters), a target and `op`/`value`, and time
windows in units (`{unit: Day, count: 28}`). Each objective becomes an SLI and an SLO; only
Prometheus queries are read as PromQL. Alert policies are objects of their own, named by the
SLO, and are not read: the SLOs are judged without alert tiers (said in a note).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from slospec.interop.base import Imported, Recorder, decimal_of, mapping, not_slo, percent_text, slug
from slospec.source.document import Document

API_PREFIX = "n9/"
# Nobl9 time window units -> slospec (rolling) duration units, and calendar periods.
UNITS = {"Minute": "m", "Hour": "h", "Day": "d", "Week": "w"}
CALENDAR = {"Day": "day", "Week": "week", "Month": "month", "Quarter": "quarter", "Year": "year"}
# Rolling months, quarters and years as OpenSLO's go-sdk reads them.
ROLLING_DAYS = {"Month": 30, "Quarter": 90, "Year": 365}
OPS = ("lt", "lte", "gt", "gte")


def detect(data: Any) -> bool:
    items = data if isinstance(data, list) else [data]
    return any(isinstance(i, dict) and str(i.get("apiVersion", "")).startswith(API_PREFIX) for i in items)


def _query(metric: Any) -> tuple[str, str] | None:
    """(source, query text) of a Nobl9 metric spec: `{prometheus: {promql: ...}}`, or another
    source's spec as text."""
    metric = mapping(metric)
    for source, spec in metric.items():
        spec = mapping(spec)
        if source == "prometheus" and isinstance(spec.get("promql"), str):
            return "prometheus", spec["promql"].strip()
        text = next((v for v in spec.values() if isinstance(v, str)), None)
        if text is not None:
            return str(source).lower(), text.strip()
    return None


def _window(rec: Recorder, spec: dict) -> Any:
    windows = spec.get("timeWindows")
    window = mapping(windows[0]) if isinstance(windows, list) and windows else {}
    unit, count = window.get("unit"), window.get("count")
    if not isinstance(count, int) or isinstance(count, bool) or count <= 0 or unit not in {*UNITS, *CALENDAR}:
        rec.problem(
            ("spec", "timeWindows") if windows is not None else ("spec",),
            "timeWindows needs one window with a unit (Minute, Hour, Day, Week, Month, Quarter, Year) and a count",
        )
        return None
    if window.get("isRolling") is False or "calendar" in window:
        if count == 1 and unit in CALENDAR:
            zone = mapping(window.get("calendar")).get("timeZone") or "UTC"
            return {"calendar": CALENDAR[unit], "timeZone": zone}
    if unit in ROLLING_DAYS:
        return f"{count * ROLLING_DAYS[unit]}d"
    if unit in UNITS:
        return f"{count}{UNITS[unit]}"
    return f"{count * {'Month': 30, 'Quarter': 90, 'Year': 365}[unit]}d"


def convert(doc: Document) -> Imported:
    data = doc.data
    items = list(enumerate(data)) if isinstance(data, list) else [(None, data)]
    slos = [(i, item) for i, item in items if isinstance(item, dict) and item.get("kind") == "SLO"]
    if not slos:
        kinds = sorted({str(item.get("kind")) for _i, item in items if isinstance(item, dict)})
        return not_slo(doc, f"a Nobl9 {', '.join(kinds) or 'object'} file, not an SLO")
    rec = Recorder(doc)
    out: dict[str, Any] = {"apiVersion": "slospec/v1", "slis": [], "slos": []}
    for index, item in slos:
        rec.base = () if index is None else (index,)
        _slo(rec, out, item)
    rec.base = ()
    if "service" not in out or any(p.code == "SLO002" for p in rec.problems):
        return rec.result(None)  # the structure errors say it all
    return rec.result({"apiVersion": "slospec/v1", "service": out["service"], "slis": out["slis"], "slos": out["slos"]})


def _slo(rec: Recorder, out: dict, item: dict) -> None:
    meta = mapping(item.get("metadata"))
    name = meta.get("name")
    spec = item.get("spec")
    if not isinstance(name, str) or not name:
        rec.problem(("metadata",) if "metadata" in item else (), "name is required (metadata.name)")
        return
    if not isinstance(spec, dict):
        rec.problem(("spec",) if "spec" in item else (), "spec is required: service, indicator, objectives")
        return
    service = spec.get("service")
    if not isinstance(service, str) or not service:
        rec.problem(("spec",), "service is required (spec.service: the Nobl9 service this SLO belongs to)")
        return
    if "service" not in out:
        out["service"] = {"name": slug(service, "service")}
        rec.at(("service",), ("spec", "service"))
        rec.at(("service", "name"), ("spec", "service"))
        labels = mapping(meta.get("labels"))
        for key in ("owner", "team"):
            value = labels.get(key)
            value = value[0] if isinstance(value, list) and value else value
            if isinstance(value, str) and value:
                out["service"]["owner"] = value
                rec.at(("service", "owner"), ("metadata", "labels", key))
                break
    elif out["service"]["name"] != slug(service, "service"):
        rec.notice(
            ("spec", "service"), f"SLO {name!r} belongs to service {service!r}: judged with the file's first service"
        )
    window = _window(rec, spec)
    objectives = spec.get("objectives")
    if not isinstance(objectives, list) or not objectives:
        rec.problem(
            ("spec", "objectives") if "objectives" in spec else ("spec",), "objectives needs at least one objective"
        )
        return
    if window is None:
        return
    source_name = mapping(mapping(spec.get("indicator")).get("metricSource")).get("name")
    policies = spec.get("alertPolicies")
    if isinstance(policies, list) and policies:
        rec.notice(
            ("spec", "alertPolicies"),
            f"SLO {name!r}: Nobl9 alert policies ({', '.join(map(str, policies))}) are objects of their own "
            "and are not read; this SLO is judged and compiled without alert tiers",
        )
    for o_index, objective in enumerate(objectives):
        _objective(rec, out, name, spec, window, mapping(objective), o_index, len(objectives), source_name)


def _objective(
    rec: Recorder, out: dict, name: str, spec: dict, window: Any, objective: dict, index: int, count: int, source: Any
) -> None:
    at = ("spec", "objectives", index)
    obj_name = slug(objective.get("name") or (name if count == 1 else f"{name}-{index + 1}"))
    target = decimal_of(objective.get("target"))
    if target is None or not 0 < target < 1:
        rec.problem(
            at + (("target",) if "target" in objective else ()), "target is a ratio above 0 and below 1, like 0.99"
        )
        return
    sli: dict[str, Any] = {"name": obj_name}
    i_at = ("slis", len(out["slis"]))
    s_at = ("slos", len(out["slos"]))
    rec.at(i_at, at)
    rec.at(i_at + ("name",), at)
    if isinstance(spec.get("description"), str) and spec["description"].strip():
        sli["description"] = spec["description"].strip()[:1050]
    raw_at: tuple[str | int, ...] = at + ("rawMetric",)
    if "rawMetric" not in objective and "countMetrics" not in objective:
        # Older files keep one rawMetric on the indicator, shared by every objective.
        shared = mapping(mapping(spec.get("indicator")).get("rawMetric"))
        if shared:
            objective = {**objective, "rawMetric": shared}
            raw_at = ("spec", "indicator", "rawMetric")
    if "rawMetric" in objective:
        found = _query(mapping(objective["rawMetric"]).get("query"))
        op, value = objective.get("op"), decimal_of(objective.get("value"))
        if found is None or op not in OPS or value is None:
            rec.problem(at, "a rawMetric objective needs a query, op (lt, lte, gt, gte) and value")
            return
        kind_source, query = found
        if kind_source != "prometheus":
            sli["source"] = kind_source
        sli["uptime"] = {"probe": _templated(query), "op": op, "value": value}
        rec.at(i_at + ("uptime", "probe"), raw_at + ("query",))
        rec.at(i_at + ("uptime", "op"), at + ("op",))
        rec.at(i_at + ("uptime", "value"), at + ("value",))
    elif "countMetrics" in objective:
        counts = mapping(objective["countMetrics"])
        incremental = counts.get("incremental") is True
        ratio: dict[str, str] = {}
        kind_source = "prometheus"
        for key in ("good", "bad", "total"):
            if key not in counts:
                continue
            found = _query(counts[key])
            if found is None:
                rec.problem(at + ("countMetrics", key), f"countMetrics.{key} needs a query")
                return
            kind_source, query = found
            ratio[key] = _ratio_query(query, incremental) if kind_source == "prometheus" else query
            rec.at(i_at + ("ratio", key), at + ("countMetrics", key))
        if "total" not in ratio or not ({"good", "bad"} & set(ratio)):
            rec.problem(at + ("countMetrics",), "countMetrics needs total and good (or bad)")
            return
        if kind_source != "prometheus":
            sli["source"] = kind_source
        sli["ratio"] = ratio
    else:
        rec.notice(at, f"objective {obj_name!r} has no rawMetric or countMetrics that slospec reads: not judged")
        return
    slo: dict[str, Any] = {
        "name": obj_name,
        "sli": obj_name,
        "target": percent_text((target * 100).normalize()),
        "window": window,
        "alerting": {"policy": "none"},
    }
    rec.at(s_at, at)
    rec.at(s_at + ("name",), at)
    rec.at(s_at + ("sli",), at)
    rec.at(s_at + ("target",), at + ("target",))
    rec.at(s_at + ("window",), ("spec", "timeWindows"))
    rec.at(s_at + ("alerting",), ("spec",))
    if spec.get("budgetingMethod") == "Timeslices" and decimal_of(objective.get("timeSliceTarget")) is not None:
        slice_target = decimal_of(objective.get("timeSliceTarget")) or Decimal(1)
        slo["budgeting"] = {"method": "timeslices", "slice": "1m", "sliceTarget": percent_text(slice_target * 100)}
        rec.at(s_at + ("budgeting",), at + ("timeSliceTarget",))
    if any(s["name"] == obj_name for s in out["slos"]):
        rec.problem(at, f"objective name {obj_name!r} is used twice")
        return
    out["slis"].append(sli)
    out["slos"].append(slo)


def _templated(query: str) -> str:
    from slospec.interop.openslo.importer import templated

    return templated(query)


def _ratio_query(query: str, incremental: bool) -> str:
    """A counter (`incremental: true`) as its selector; anything else averaged over the window,
    as Nobl9 reads a non-incremental series (a value per point)."""
    from slospec.interop.openslo.importer import counter_query, non_counter

    return counter_query(query) if incremental else non_counter(query)
