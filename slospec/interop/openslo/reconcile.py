"""Reconcile the `slospec.dev/spec` annotation with the OpenSLO objects it travelled with.

The objects are the truth. The annotation only adds what OpenSLO cannot say (SLAs, slice
lengths under a minute, operational facts, original names, alert short windows, ...), and
only for the fields where it still agrees with the objects: a field agrees when exporting
the annotated spec again gives exactly what the objects hold there. An edited export is
therefore read as edited, and an untouched one comes back exactly as it was written.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from slospec.diagnostics import Pointer
from slospec.interop.openslo.objects import OpenSloObject

# slospec SLO keys -> the OpenSLO parts they are written to (see backends/openslo.py).
_SLI_BODY = ("ratio", "latency", "uptime", "events", "source", "description")


@dataclass
class Reconciled:
    data: dict
    # built pointer prefix -> pointer prefix in `data` (("slos", 2) -> ("slos", 0), ...)
    moves: dict[Pointer, Pointer] = field(default_factory=dict)


def _plain(value: Any) -> Any:
    """Comparable form: numbers by value, mappings and lists recursively."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float, Decimal)):
        return Decimal(str(value)).normalize()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


def _get(data: Any, *path: Any) -> Any:
    for key in path:
        if isinstance(data, dict):
            data = data.get(key)
        elif isinstance(data, list) and isinstance(key, int) and key < len(data):
            data = data[key]
        else:
            return None
    return data


def _same(expected: Any, actual: Any) -> bool:
    return _plain(expected) == _plain(actual)


def _set(target: dict, key: str, value: Any) -> None:
    if value is None:
        target.pop(key, None)
    else:
        target[key] = copy.deepcopy(value)


def _target(objective: Any) -> Decimal | None:
    if not isinstance(objective, dict):
        return None
    if objective.get("targetPercent") is not None:
        return Decimal(str(objective["targetPercent"])) / 100
    if objective.get("target") is not None:
        return Decimal(str(objective["target"]))
    return None


def _policies(slo: dict, index: dict[tuple[str, str], Any]) -> list:
    """The alert policies an SLO uses, resolved (inline ones as written)."""
    out = []
    for entry in _get(slo, "spec", "alertPolicies") or []:
        ref = entry.get("alertPolicyRef") if isinstance(entry, dict) else None
        out.append(index.get(("AlertPolicy", ref)) if ref else entry)
    return out


def reconcile(
    annotated: dict, built: dict, group: list[OpenSloObject], index: dict[tuple[str, str], OpenSloObject]
) -> Reconciled | None:
    """The annotated spec, corrected by the objects; None when the annotation cannot be used."""
    from slospec.compile import CompileError
    from slospec.interop.openslo.export import object_name, objects
    from slospec.specmodel import model, schema

    if not isinstance(annotated, dict) or next(iter(schema.problems(annotated)), None) is not None:
        return None  # not a spec slospec could have written: the objects alone say what it is
    try:
        spec = model.build(copy.deepcopy(annotated))
        exported = objects(spec, None)
    except (CompileError, KeyError, TypeError, ValueError, AttributeError, StopIteration, ArithmeticError):
        return None  # not a spec slospec could have written: the objects alone say what it is
    ref_key = "indicatorRef"
    if group and group[0].v2alpha:  # what the v2alpha export of the annotated spec holds
        from slospec.interop.openslo.export_v2alpha import documents

        ref_key = "sliRef"
        try:
            exported = documents(spec, None)
        except CompileError:
            return None
    expected = {(d["kind"], d["metadata"]["name"]): d for d in exported}
    actual = {key: obj.data for key, obj in index.items()}
    mine = {obj.name for obj in group}
    result = copy.deepcopy(annotated)
    out = Reconciled(result)

    # Service: what OpenSLO holds of it.
    service = result.setdefault("service", {})
    e_svc = next((d for d in exported if d["kind"] == "Service"), None)
    a_svc = actual.get(("Service", _get(e_svc, "metadata", "name")))
    if a_svc is None or not isinstance(service, dict):
        return None
    if not _same(_get(e_svc, "metadata", "displayName"), _get(a_svc, "metadata", "displayName")):
        _set(service, "displayName", _get(a_svc, "metadata", "displayName"))
    if not _same(_get(e_svc, "spec", "description"), _get(a_svc, "spec", "description")):
        _set(service, "description", _get(built, "service", "description"))
    if not _same(_get(e_svc, "metadata", "labels"), _get(a_svc, "metadata", "labels")):
        _set(service, "owner", _first_team(a_svc))

    built_slis = {s["name"]: (i, s) for i, s in enumerate(built.get("slis", []))}
    built_slos = {s["name"]: (i, s) for i, s in enumerate(built.get("slos", []))}

    # SLIs: kept under their own names when their object still exists; bodies that changed
    # come from the objects.
    slis: list[dict] = []
    renamed: dict[str, str] = {}  # OpenSLO name -> slospec name
    for sli in result.get("slis", []):
        name = object_name(spec, sli["name"])
        if ("SLI", name) not in actual or name not in built_slis:
            continue
        position, from_objects = built_slis[name]
        e_sli, a_sli = expected.get(("SLI", name)), actual[("SLI", name)]
        if not _same(_get(e_sli, "metadata", "displayName"), _get(a_sli, "metadata", "displayName")):
            _set(sli, "displayName", _get(a_sli, "metadata", "displayName"))
        if not _same(_get(e_sli, "spec"), _get(a_sli, "spec")):
            for key in _SLI_BODY:
                sli.pop(key, None)
            sli.update({k: copy.deepcopy(v) for k, v in from_objects.items() if k != "name"})
        renamed[name] = sli["name"]
        out.moves[("slis", position)] = ("slis", len(slis))
        slis.append(sli)

    slos: list[dict] = []
    for slo in result.get("slos", []):
        name = object_name(spec, slo["name"])
        if name not in mine or name not in built_slos:
            continue  # deleted, split into several objectives, or kept in another file
        position, from_objects = built_slos[name]
        e_slo, a_slo = expected.get(("SLO", name)), actual[("SLO", name)]
        e_obj, a_obj = _get(e_slo, "spec", "objectives", 0), _get(a_slo, "spec", "objectives", 0)
        if _target(e_obj) != _target(a_obj):
            slo.pop("allowedDowntime", None)
            _set(slo, "target", from_objects.get("target"))
        if not _same(_get(e_slo, "spec", "timeWindow"), _get(a_slo, "spec", "timeWindow")):
            _set(slo, "window", from_objects.get("window"))
        slices = ("budgetingMethod",), ("objectives", 0, "timeSliceWindow"), ("objectives", 0, "timeSliceTarget")
        if any(not _same(_get(e_slo, "spec", *p), _get(a_slo, "spec", *p)) for p in slices):
            _set(slo, "budgeting", from_objects.get("budgeting"))
        if not _same(_get(e_slo, "spec", "description"), _get(a_slo, "spec", "description")):
            _set(slo, "description", from_objects.get("description"))
        if not _same(_get(e_slo, "metadata", "displayName"), _get(a_slo, "metadata", "displayName")):
            _set(slo, "displayName", _get(a_slo, "metadata", "displayName"))
        if not _same(_get(e_slo, "metadata", "labels"), _get(a_slo, "metadata", "labels")):
            _set(slo, "owner", _first_team(a_slo) or _get(built, "service", "owner"))
        if not _same(_get(e_slo, "spec", ref_key), _get(a_slo, "spec", ref_key)):
            slo["sli"] = renamed.get(from_objects["sli"], from_objects["sli"])
        expected_policies = [
            expected.get(("AlertPolicy", _get(p, "alertPolicyRef"))) or p
            for p in _get(e_slo, "spec", "alertPolicies") or []
        ]
        if not _same(expected_policies, _policies(a_slo, actual)):
            alerting = {k: v for k, v in (slo.get("alerting") or {}).items() if k in ("runbook", "labels")}
            alerting.update(copy.deepcopy(from_objects.get("alerting") or {"policy": "none"}))
            slo["alerting"] = alerting
        out.moves[("slos", position)] = ("slos", len(slos))
        slos.append(slo)

    # SLOs the annotation does not know (added after the export), as the objects say.
    known = {object_name(spec, s["name"]) for s in slos}
    for name, (position, from_objects) in built_slos.items():
        if name not in known:
            added = copy.deepcopy(from_objects)
            added["sli"] = renamed.get(added["sli"], added["sli"])
            out.moves[("slos", position)] = ("slos", len(slos))
            slos.append(added)
    # Every SLI an SLO reads is defined.
    names = {s["name"] for s in slis}
    for slo in slos:
        if slo["sli"] not in names and slo["sli"] in built_slis:
            position, from_objects = built_slis[slo["sli"]]
            out.moves[("slis", position)] = ("slis", len(slis))
            slis.append(copy.deepcopy(from_objects))
            names.add(slo["sli"])
    result["slis"] = slis
    result["slos"] = slos
    # SLAs (OpenSLO has none) stay while what they cover is still there.
    slo_names = {s["name"] for s in slos}
    if result.get("slas"):
        slas = [
            sla
            for sla in result["slas"]
            if (not sla.get("slo") or sla["slo"] in slo_names) and (not sla.get("sli") or sla["sli"] in names)
        ]
        _set(result, "slas", slas or None)
    return out


def _first_team(obj: dict) -> str | None:
    labels = _get(obj, "metadata", "labels") or {}
    for key in ("owner", "team"):
        value = labels.get(key)
        if isinstance(value, list) and value:
            return str(value[0])
        if isinstance(value, str) and value:
            return value
    return None
