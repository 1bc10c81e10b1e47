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
_REFERENCES_OF: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _kind, _path, _target in REFERENCES:
    _REFERENCES_OF.setdefault(_kind, []).append((_path, _target))
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
    if obj.api != "openslo/v1":
        return
    for path, target in _REFERENCES_OF.get(obj.kind, ()):
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
