"""OpenSLO v2alpha back end (`slospec convert --to openslo --openslo-version v2alpha`): the v1
objects `export.objects` writes, said in v2alpha's words.

`service` -> `serviceRef`, `indicatorRef` -> `sliRef`, a metric's `metricSource` -> an inline
`dataSourceSpec` (v2alpha requires its `connectionDetails`: `{}`, the source is configured
where the SLOs are evaluated) beside the query `spec`; label lists -> one value; no
`displayName` (v2alpha metadata has none: the spec annotation keeps it); an alert condition's
`alertAfter` is required (`0m`: fire at once, as the Prometheus rules do without `for`). The
service's labels are kept on its Service object. Calendar months, quarters and years have no
v2alpha duration (its units are m, h, d, w): such a window is refused, not changed.
"""

from __future__ import annotations

import copy
from typing import Any

from slospec.compile import Artifact, CompileError, CompileOptions
from slospec.interop.openslo.export import JOINER, artifacts, label_value, objects
from slospec.interop.openslo.v2alpha import API, LABEL_VALUE
from slospec.specmodel.model import Spec

__all__ = ["JOINER", "compile", "documents", "to_v2alpha"]

_CALENDAR_UNITS = {"M": "month", "Q": "quarter", "Y": "year"}


def _metric(metric: dict) -> dict:
    source = metric.get("metricSource") or {}
    out: dict[str, Any] = {}
    if source.get("metricSourceRef"):
        out["dataSourceRef"] = source["metricSourceRef"]
    else:
        out["dataSourceSpec"] = {"type": source.get("type") or "unknown", "connectionDetails": {}}
    if source.get("spec") is not None:
        out["spec"] = source["spec"]
    return out


def _sli_spec(spec: dict) -> dict:
    out = dict(spec)
    if isinstance(spec.get("thresholdMetric"), dict):
        out["thresholdMetric"] = _metric(spec["thresholdMetric"])
    ratio = spec.get("ratioMetric")
    if isinstance(ratio, dict):
        out["ratioMetric"] = {
            k: _metric(v) if k in ("good", "bad", "total", "raw") and isinstance(v, dict) else v
            for k, v in ratio.items()
        }
    return out


def _labels(labels: Any) -> dict[str, str]:
    out = {}
    for key, value in (labels or {}).items():
        if isinstance(value, list):
            value = "-".join(str(v) for v in value)
        text = str(value)
        out[key] = text if LABEL_VALUE.match(text) and len(text) <= 63 else label_value(text)
    return out


def _metadata(meta: dict) -> dict:
    out: dict[str, Any] = {"name": meta["name"]}
    if meta.get("labels"):
        out["labels"] = _labels(meta["labels"])
    if meta.get("annotations"):
        out["annotations"] = meta["annotations"]
    return out


def _policy_spec(spec: dict) -> dict:
    out = dict(spec)
    conditions = []
    for condition in spec.get("conditions") or []:
        if isinstance(condition, dict) and isinstance(condition.get("spec"), dict):
            condition = copy.deepcopy(condition)
            condition["metadata"] = _metadata(condition.get("metadata") or {})
            burn = condition["spec"].get("condition") or {}
            burn.setdefault("alertAfter", "0m")
        conditions.append(condition)
    out["conditions"] = conditions
    return out


def to_v2alpha(doc: dict) -> dict:
    """One v1 object as slospec writes it, in OpenSLO v2alpha."""
    kind = doc["kind"]
    spec = dict(doc.get("spec") or {})
    if kind == "SLO":
        spec = {
            ("serviceRef" if k == "service" else "sliRef" if k == "indicatorRef" else k): v for k, v in spec.items()
        }
        for window in spec.get("timeWindow") or []:
            unit = str(window.get("duration", ""))[-1:]
            if unit in _CALENDAR_UNITS:
                raise CompileError(
                    f"SLO {doc['metadata']['name']!r}: a calendar {_CALENDAR_UNITS[unit]} window cannot be written "
                    "in OpenSLO v2alpha (its durations are m, h, d, w); write OpenSLO v1 (--openslo-version v1) "
                    "or use a rolling window"
                )
        if isinstance(spec.get("sli"), dict):
            spec["sli"] = {"metadata": spec["sli"].get("metadata"), "spec": _sli_spec(spec["sli"].get("spec") or {})}
    elif kind == "SLI":
        spec = _sli_spec(spec)
    elif kind == "AlertPolicy":
        spec = _policy_spec(spec)
    return {"apiVersion": API, "kind": kind, "metadata": _metadata(doc["metadata"]), "spec": spec}


def documents(spec: Spec, original: dict | None) -> list[dict]:
    """The v2alpha objects of one spec: the v1 export's, translated; the service's labels on
    its Service (v1 writes its owner only)."""
    out = [to_v2alpha(doc) for doc in objects(spec, original)]
    if spec.service.labels:
        meta = out[0]["metadata"]
        labels = {**_labels(spec.service.labels), **meta.get("labels", {})}
        rest = {k: v for k, v in meta.items() if k not in ("name", "labels")}
        out[0]["metadata"] = {"name": meta["name"], "labels": labels, **rest}
    return out


def compile(specs: list[Spec], options: CompileOptions) -> list[Artifact]:
    return artifacts(specs, documents)
