"""What makes one OpenSLO object invalid: the published schema plus the go-sdk rules JSON Schema
cannot say. Pure functions over objects; the engine places what they return."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from slospec.diagnostics import Pointer
from slospec.interop.openslo.objects import OpenSloObject
from slospec.source.detect import OPENSLO_READ, OPENSLO_VERSIONS

SCHEMA = "schema/openslo-v1.schema.json"
SUPPORTED = OPENSLO_VERSIONS
DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


@dataclass(frozen=True)
class Problem:
    """A structural problem (SLO002) of one object, at a pointer inside its document."""

    pointer: Pointer
    message: str
    at_key: bool = False
    # False for go-sdk rules that leave the shape intact: the object can still be imported
    # and judged by the realism rules.
    blocking: bool = True


def _get(data: Any, *keys: str) -> Any:
    """data[k1][k2]... where every level is a mapping; None otherwise (objects may be malformed)."""
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _go_sdk_problems(obj: OpenSloObject) -> Iterator[tuple[Pointer, str]]:
    """The go-sdk rules the JSON Schema cannot express (pointers relative to the object)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    spec = obj.spec
    if obj.kind != "SLO":
        return
    windows = spec.get("timeWindow")
    for index, window in enumerate(windows if isinstance(windows, list) else []):
        tz = _get(window, "calendar", "timeZone")
        if isinstance(tz, str):
            try:
                ZoneInfo(tz)
            except (ZoneInfoNotFoundError, ValueError, OSError):
                yield (
                    ("spec", "timeWindow", index, "calendar", "timeZone"),
                    f"'{tz}' is not an IANA time zone (like UTC or America/New_York)",
                )
    indicator = _get(spec, "indicator", "spec")
    indicator = indicator if isinstance(indicator, dict) else {}
    objectives = spec.get("objectives")
    for index, objective in enumerate(objectives if isinstance(objectives, list) else []):
        if not isinstance(objective, dict):
            continue
        at = ("spec", "objectives", index)
        if "ratioMetric" in indicator:
            for key in ("op", "value"):
                if key in objective:
                    yield (
                        at + (key,),
                        f"objectives[{index}].{key} is not allowed with an inline ratioMetric "
                        "indicator (the go-sdk rejects it); remove it",
                    )
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
    elif not DNS_LABEL.match(obj.name) or len(obj.name) > 63:
        yield (
            ("metadata", "name"),
            (
                f"'{obj.name}' is not valid; use lowercase letters, digits and dashes, "
                "at most 63 characters (an RFC 1123 DNS label)"
            ),
        )
    if obj.kind == "Service":
        return  # a v1alpha Service needs no spec (the go-sdk and oslo accept one without)
    if not isinstance(data.get("spec"), dict):
        yield (), "spec is required"
    elif obj.kind == "SLO":
        for key in ("service", "budgetingMethod", "objectives"):
            if key not in obj.spec:
                yield ("spec",), f"spec.{key} is required"


def problems(obj: OpenSloObject) -> list[Problem]:
    """Every structural problem of one object; it can be imported unless one is blocking."""
    from slospec.specmodel import fastcheck, schema

    if not isinstance(obj.data, dict):
        return [Problem(obj.pointer, "an OpenSLO object is a mapping with apiVersion, kind, metadata and spec")]
    if obj.api not in SUPPORTED:
        return [
            Problem(
                obj.pointer + ("apiVersion",),
                f"apiVersion {obj.api!r} is not supported; slospec reads {OPENSLO_READ}",
            )
        ]
    found: list[Problem] = []
    if obj.api == "openslo.com/v2alpha":
        from slospec.interop.openslo import v2alpha

        return [
            Problem(obj.pointer + at, message, at_key, blocking)
            for at, message, at_key, blocking in v2alpha.problems(obj.data, obj.kind)
        ]
    if obj.api == "openslo/v1alpha":
        found.extend(Problem(obj.pointer + p, m) for p, m in _v1alpha_problems(obj))
        return found
    fast = fastcheck.checker(SCHEMA)
    if fast is None or not fast(obj.data):
        found.extend(Problem(obj.pointer + p.pointer, p.message, p.at_key) for p in schema.problems(obj.data, SCHEMA))
    # An unknown time zone blocks: the spec's model refuses it (the import would fail).
    found.extend(Problem(obj.pointer + p, m, blocking=p[-1:] == ("timeZone",)) for p, m in _go_sdk_problems(obj))
    return found
