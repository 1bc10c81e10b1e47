"""The OpenSLO objects of parsed files: each with its kind, name and where it lives."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from slospec.diagnostics import Pointer
from slospec.source.document import Document

# Annotations slospec writes on the objects it exports, read back by the importer: the export
# and the import both depend on these names, so they live below both.
SPEC_ANNOTATION = "slospec.dev/spec"
SHORT_WINDOW_ANNOTATION = "slospec.dev/short-window"

V1 = "openslo/v1"
V2ALPHA = "openslo.com/v2alpha"
# The versions whose objects are imported and judged (v1alpha is only checked for its shape).
READ_APIS = (V1, V2ALPHA)


@dataclass
class OpenSloObject:
    doc: Document
    pointer: Pointer  # of the object inside doc.data (() or (index,) for a list)
    data: Any

    # The joint stage asks each object for these many times over (names, references, rules):
    # read from the data once (objects are never changed once parsed).
    @cached_property
    def api(self) -> str:
        return str(self.data.get("apiVersion", "")) if isinstance(self.data, dict) else ""

    @cached_property
    def kind(self) -> str:
        return str(self.data.get("kind", "")) if isinstance(self.data, dict) else ""

    @cached_property
    def name(self) -> str:
        meta = self.data.get("metadata") if isinstance(self.data, dict) else None
        return str(meta.get("name", "")) if isinstance(meta, dict) else ""

    @cached_property
    def spec(self) -> dict[str, Any]:
        spec = self.data.get("spec") if isinstance(self.data, dict) else None
        return spec if isinstance(spec, dict) else {}

    @property
    def path(self) -> str:
        return self.doc.path

    @property
    def v2alpha(self) -> bool:
        return self.api == V2ALPHA


def objects(documents: list[Document]) -> Iterator[OpenSloObject]:
    """One object per document, or one per item when a document is a YAML list of objects."""
    for doc in documents:
        if isinstance(doc.data, list):
            for index, item in enumerate(doc.data):
                yield OpenSloObject(doc, (index,), item)
        else:
            yield OpenSloObject(doc, (), doc.data)


# (kind holding the reference, path inside spec, referenced kind)
REFERENCES = (
    ("SLO", ("indicatorRef",), "SLI"),
    ("SLO", ("service",), "Service"),
    ("SLO", ("alertPolicies", "*", "alertPolicyRef"), "AlertPolicy"),
    ("SLO", ("objectives", "*", "indicatorRef"), "SLI"),
    ("AlertPolicy", ("conditions", "*", "conditionRef"), "AlertCondition"),
    ("AlertPolicy", ("notificationTargets", "*", "targetRef"), "AlertNotificationTarget"),
    ("SLO", ("alertPolicies", "*", "spec", "conditions", "*", "conditionRef"), "AlertCondition"),
    ("SLO", ("alertPolicies", "*", "spec", "notificationTargets", "*", "targetRef"), "AlertNotificationTarget"),
    ("SLI", ("ratioMetric", "*", "metricSource", "metricSourceRef"), "DataSource"),
    ("SLI", ("thresholdMetric", "metricSource", "metricSourceRef"), "DataSource"),
    ("SLO", ("indicator", "spec", "ratioMetric", "*", "metricSource", "metricSourceRef"), "DataSource"),
    ("SLO", ("indicator", "spec", "thresholdMetric", "metricSource", "metricSourceRef"), "DataSource"),
)
# v2alpha renames them: `serviceRef` (`service` in files written before OpenSLO's rename, #279,
# which oslo still reads), `sli` / `sliRef`, and a metric's `dataSourceRef` (no `metricSource`
# level); composite objectives name an SLI each.
REFERENCES_V2ALPHA = (
    ("SLO", ("sliRef",), "SLI"),
    ("SLO", ("serviceRef",), "Service"),
    ("SLO", ("service",), "Service"),
    ("SLO", ("alertPolicies", "*", "alertPolicyRef"), "AlertPolicy"),
    ("SLO", ("objectives", "*", "sliRef"), "SLI"),
    ("AlertPolicy", ("conditions", "*", "conditionRef"), "AlertCondition"),
    ("AlertPolicy", ("notificationTargets", "*", "targetRef"), "AlertNotificationTarget"),
    ("SLO", ("alertPolicies", "*", "spec", "conditions", "*", "conditionRef"), "AlertCondition"),
    ("SLO", ("alertPolicies", "*", "spec", "notificationTargets", "*", "targetRef"), "AlertNotificationTarget"),
    ("SLI", ("ratioMetric", "*", "dataSourceRef"), "DataSource"),
    ("SLI", ("thresholdMetric", "dataSourceRef"), "DataSource"),
    ("SLO", ("sli", "spec", "ratioMetric", "*", "dataSourceRef"), "DataSource"),
    ("SLO", ("sli", "spec", "thresholdMetric", "dataSourceRef"), "DataSource"),
    ("SLO", ("objectives", "*", "sli", "spec", "ratioMetric", "*", "dataSourceRef"), "DataSource"),
    ("SLO", ("objectives", "*", "sli", "spec", "thresholdMetric", "dataSourceRef"), "DataSource"),
)
_REFERENCES_OF: dict[tuple[str, str], list[tuple[tuple[str, ...], str]]] = {}
for _api, _table in ((V1, REFERENCES), (V2ALPHA, REFERENCES_V2ALPHA)):
    for _kind, _path, _target in _table:
        _REFERENCES_OF.setdefault((_api, _kind), []).append((_path, _target))
# Kinds that usually live outside the files being linted: the spec says a Service reference
# "may refer (depends on implementation)" to a Service object, and DataSources are mostly
# configured in the vendor's platform. The go-sdk resolves neither.
EXTERNAL_KINDS = frozenset({"Service", "DataSource"})


def walk(data: Any, path: tuple[str, ...], at: Pointer = ()) -> Iterator[tuple[Pointer, Any]]:
    """(pointer, value) of every node matching `path`, where "*" matches any key or index."""
    if not path:
        yield at, data
        return
    head, rest = path[0], path[1:]
    if head == "*":
        items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
        for key, value in items:
            yield from walk(value, rest, at + (key,))
    elif isinstance(data, dict) and head in data:
        yield from walk(data[head], rest, at + (head,))


def references(obj: OpenSloObject) -> tuple[tuple[Pointer, str, str], ...]:
    """(pointer inside the object, referenced kind, name) for every reference the object makes."""
    found: tuple[tuple[Pointer, str, str], ...] | None = obj.__dict__.get("_references")
    if found is None:
        found = obj.__dict__["_references"] = tuple(_references(obj))
    return found


def _references(obj: OpenSloObject) -> Iterator[tuple[Pointer, str, str]]:
    for path, target in _REFERENCES_OF.get((obj.api, obj.kind), ()):
        for pointer, value in walk(obj.spec, path, ("spec",)):
            if isinstance(value, str):
                yield pointer, target, value


def scope(obj: OpenSloObject) -> str:
    """Names are unique per scope: a Nobl9 project (an annotation or label) or the default one."""
    meta = obj.data.get("metadata") if isinstance(obj.data, dict) else None
    if not isinstance(meta, dict):
        return ""
    for key in ("annotations", "labels"):
        values = meta.get(key)
        if isinstance(values, dict):
            project = values.get("nobl9.com/metadata.project")
            if isinstance(project, str):
                return project
    return ""


# Where v1 and v2alpha say the same thing under other names: the importer reads both through these.
def service_key(obj: OpenSloObject) -> str:
    """The key of an SLO's spec naming its service: v1 `service`; v2alpha `serviceRef` (or the
    older `service`)."""
    if obj.api == V2ALPHA:
        return "service" if "service" in obj.spec and "serviceRef" not in obj.spec else "serviceRef"
    return "service"


def indicator_keys(api: str) -> tuple[str, str]:
    """(inline SLI key, SLI reference key) of an SLO's spec: v1 `indicator` / `indicatorRef`,
    v2alpha `sli` / `sliRef`."""
    return ("sli", "sliRef") if api == V2ALPHA else ("indicator", "indicatorRef")


def metric_source(metric: Any, api: str) -> tuple[dict[str, Any], str | None, str | None]:
    """(query spec, source type, data source name) of one metric of an SLI: v1 keeps them under
    `metricSource` (`spec`, `type`, `metricSourceRef`); v2alpha on the metric itself (`spec`,
    `dataSourceSpec.type`, `dataSourceRef`)."""
    metric = metric if isinstance(metric, dict) else {}
    if api == V2ALPHA:
        inline = metric.get("dataSourceSpec")
        kind = inline.get("type") if isinstance(inline, dict) else None
        body, ref = metric.get("spec"), metric.get("dataSourceRef")
    else:
        source = metric.get("metricSource")
        source = source if isinstance(source, dict) else {}
        body, kind, ref = source.get("spec"), source.get("type"), source.get("metricSourceRef")
    return (
        body if isinstance(body, dict) else {},
        str(kind) if kind else None,
        ref if isinstance(ref, str) else None,
    )
