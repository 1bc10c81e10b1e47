"""Lint OpenSLO files together: the published schema, the go-sdk rules JSON Schema cannot say,
references across files, then every slospec rule on the imported model."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from slospec.config import Config
from slospec.diagnostics import Pointer
from slospec.openslo.objects import OpenSloObject, objects

SCHEMA = "schema/openslo-v1.schema.json"
SUPPORTED = ("openslo/v1", "openslo/v1alpha")
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


def _walk(data: Any, path: tuple, at: Pointer = ()) -> Iterator[tuple[Pointer, Any]]:
    if not path:
        yield at, data
        return
    head, rest = path[0], path[1:]
    if head == "*":
        items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
        for key, value in items:
            yield from _walk(value, rest, at + (key,))
    elif isinstance(data, dict) and head in data:
        yield from _walk(data[head], rest, at + (head,))


def code_problems(obj: OpenSloObject) -> Iterator[tuple[Pointer, str]]:
    """The go-sdk rules the JSON Schema cannot express (pointers relative to the object)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    spec = obj.spec
    if obj.kind == "SLO":
        for index, window in enumerate(spec.get("timeWindow") or []):
            tz = ((window or {}).get("calendar") or {}).get("timeZone")
            if isinstance(tz, str):
                try:
                    ZoneInfo(tz)
                except (ZoneInfoNotFoundError, ValueError):
                    yield (("spec", "timeWindow", index, "calendar", "timeZone"),
                           f"'{tz}' is not an IANA time zone (like UTC or America/New_York)")
        indicator = (spec.get("indicator") or {}).get("spec") or {}
        for index, objective in enumerate(spec.get("objectives") or []):
            if not isinstance(objective, dict):
                continue
            at = ("spec", "objectives", index)
            if "ratioMetric" in indicator:
                for key in ("op", "value"):
                    if key in objective:
                        yield (at + (key,), f"objectives[{index}].{key} is not allowed with an inline ratioMetric "
                               "indicator (the go-sdk rejects it); remove it")
            if "thresholdMetric" in indicator:
                for key in ("op", "value"):
                    if key not in objective:
                        yield (at, f"objectives[{index}] needs '{key}' with an inline thresholdMetric indicator")


def _v1alpha_problems(obj: OpenSloObject) -> Iterator[tuple[Pointer, str]]:
    data = obj.data
    if obj.kind not in ("SLO", "Service"):
        yield ("kind",), f"kind {obj.kind!r} does not exist in openslo/v1alpha (SLO or Service)"
    if not obj.name:
        yield ("metadata",), "metadata.name is required"
    elif not re.match(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", obj.name) or len(obj.name) > 63:
        yield ("metadata", "name"), (f"'{obj.name}' is not valid; use lowercase letters, digits and dashes, "
                                     "at most 63 characters (an RFC 1123 DNS label)")
    if not isinstance(data.get("spec"), dict):
        yield (), "spec is required"
    elif obj.kind == "SLO":
        for key in ("service", "budgetingMethod", "objectives"):
            if key not in obj.spec:
                yield ("spec",), f"spec.{key} is required"


def _reporter(results_or_result, config: Config):
    from slospec import linter

    def report(obj: OpenSloObject, pointer: Pointer, message: str, at_key: bool = False, code: str = "SLO002"):
        result = results_or_result[obj.path] if isinstance(results_or_result, dict) else results_or_result
        linter.schema_problem(result, config, obj.doc.source_map, obj.pointer + pointer, message, at_key, code)

    return report


def validate(source, result, config: Config) -> None:
    """Per-file checks: the schema and the go-sdk rules; records which objects are sound."""
    from slospec import fastcheck, schema

    fast = fastcheck.checker(SCHEMA)
    report = _reporter(result, config)
    source.valid = []
    for obj in objects(source.documents):
        if not isinstance(obj.data, dict):
            report(obj, (), "an OpenSLO object is a mapping with apiVersion, kind, metadata and spec")
            continue
        if obj.api not in SUPPORTED:
            report(obj, ("apiVersion",), f"apiVersion {obj.api!r} is not supported; slospec reads "
                   "openslo/v1 and openslo/v1alpha")
            continue
        if obj.api == "openslo/v1alpha":
            for pointer, message in _v1alpha_problems(obj):
                report(obj, pointer, message)
            continue
        found = False
        if fast is None or not fast(obj.data):
            for problem in schema.problems(obj.data, SCHEMA):
                found = True
                report(obj, problem.pointer, problem.message, problem.at_key)
        for pointer, message in code_problems(obj):
            report(obj, pointer, message)
        if not found:
            # Structurally sound (the go-sdk's other rules do not change the shape), so the
            # realism rules can still judge it.
            source.valid.append((obj.doc.index, obj.pointer))


def check(sources: list, results: dict, config: Config) -> None:
    """Across files: unique names, references, then every rule on the imported specs."""
    from dataclasses import replace

    from slospec import linter, model
    from slospec.openslo.importer import convert_all

    report = _reporter(results, config)
    all_objects: list[OpenSloObject] = []
    valid: list[OpenSloObject] = []
    for source in sources:
        if source.valid is None:
            validate(source, results[source.path], config)
        sound = set(source.valid)
        for obj in objects(source.documents):
            all_objects.append(obj)
            if (obj.doc.index, obj.pointer) in sound:
                valid.append(obj)

    names: dict[tuple[str, str], OpenSloObject] = {}
    for obj in all_objects:
        if obj.api != "openslo/v1" or not obj.name:
            continue
        key = (obj.kind, obj.name)
        if key in names and names[key] is not obj:
            first = names[key]
            report(obj, ("metadata", "name"), f"{obj.kind} {obj.name!r} is already defined in {first.path}",
                   code="SLO005")
        names.setdefault(key, obj)
    for obj in all_objects:
        if obj.api != "openslo/v1":
            continue
        for kind, path, target in REFERENCES:
            if obj.kind != kind:
                continue
            for pointer, value in _walk(obj.spec, path, ("spec",)):
                if isinstance(value, str) and (target, value) not in names:
                    known = sorted(n for k, n in names if k == target)
                    hint = f"; defined: {', '.join(known[:10])}" if known else \
                        f"; no {target} is defined in the linted files"
                    report(obj, pointer, f"{kind} {obj.name!r} refers to {target} {value!r}, which is not "
                           f"defined{hint}", code="SLO004")

    for converted in convert_all(valid):
        result = results[converted.home.path]
        try:
            spec = model.build(converted.data, converted.home.path)
        except Exception:  # noqa: BLE001 - a shape the importer did not foresee: schema said valid
            continue
        linter.run_rules(result, replace(spec, origin="openslo"), converted.source_map(), config,
                         skip=("SLO004", "SLO005"))
