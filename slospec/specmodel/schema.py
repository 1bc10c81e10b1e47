"""Schema validation: JSON Schema errors turned into short messages with a pointer each."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterator
from typing import Any

from slospec import resources
from slospec.diagnostics import Pointer, pointer_text
from slospec.records import record

SPEC_SCHEMA = "schema/slospec.schema.json"
_MONTHS = re.compile(r"^\d+M$")

# What to write instead, for values that break one of the schema's shared definitions.
HINTS: dict[str, str] = {
    "percent": "write a percentage such as 99.9% (or the number 99.9)",
    "duration": "write a duration such as 30d, 1h30m, 5m or 300ms (units: w d h m s ms; no months)",
    "name": "use lowercase letters, digits and dashes, at most 63 characters (checkout-api)",
    "window": "write a rolling duration such as 28d, or {calendar: month, timeZone: UTC}",
    "budgeting": "write occurrences, or {method: timeslices, slice: 1m, sliceTarget: 99%}",
    "query": "write the query text as a non-empty string",
    "alertLabels": (
        "an alert label name is a Prometheus label name: letters, digits and _, not starting with a "
        "digit (team_name, not team.name or team-name); promtool refuses the rules otherwise"
    ),
}


@record
class SchemaProblem:
    pointer: Pointer
    message: str
    at_key: bool = False  # point at the key itself (unknown keys)
    missing: tuple[str, ...] = ()  # keys whose absence this problem is about
    suggestion: str | None = None  # for an unknown key: the allowed key it resembles

    def __init__(
        self,
        pointer: Pointer,
        message: str,
        at_key: bool = False,
        missing: tuple[str, ...] = (),
        suggestion: str | None = None,
    ) -> None:
        self.__dict__.update(
            pointer=pointer,
            message=message,
            at_key=at_key,
            missing=missing,
            suggestion=suggestion,
        )


@functools.cache
def validator(name: str = SPEC_SCHEMA) -> Any:
    from jsonschema import Draft202012Validator

    schema = resources.load_json(name)
    return Draft202012Validator(schema)


def _def_name(schema: dict[str, Any], error: Any) -> str | None:
    defs: dict[str, Any] = schema.get("$defs", {})
    for key, sub in defs.items():
        if error.schema is sub:
            return key
    return None


def _over_hundred(value: Any) -> bool:
    """A percentage written as one but past 100 (100.5%, 150)."""
    from decimal import Decimal, InvalidOperation

    text = str(value).strip().removesuffix("%").strip() if isinstance(value, (str, int, float, Decimal)) else ""
    try:
        return not isinstance(value, bool) and Decimal(text) > 100
    except InvalidOperation:
        return False


def _describe(value: Any) -> str:
    from decimal import Decimal

    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    if isinstance(value, (dict, list)):
        text = "a mapping" if isinstance(value, dict) else "a list"
    return text if len(text) <= 60 else text[:57] + "..."


OPENSLO_HINTS = {
    "duration": "write a number and one unit of m h d w M Q Y (m is minutes, M months; no seconds)",
    "name": "use lowercase letters, digits and dashes, at most 63 characters (an RFC 1123 DNS label)",
}


def problems(data: Any, name: str = SPEC_SCHEMA) -> Iterator[SchemaProblem]:
    """Every schema problem in `data`, each once, most specific first."""
    from jsonschema.exceptions import best_match

    v = validator(name)
    schema = v.schema
    hints = HINTS if name == SPEC_SCHEMA else OPENSLO_HINTS
    found = [p for error in v.iter_errors(data) for p in _explain(error, schema, best_match, hints)]
    # A typo (`tagret:`) also makes the real key missing; report the typo alone.
    typos = {(p.pointer[:-1], p.suggestion) for p in found if p.suggestion}
    for problem in found:
        if problem.missing and any((problem.pointer, key) in typos for key in problem.missing):
            continue
        yield problem


def _explain(
    error: Any, schema: dict[str, Any], best_match: Any, hints: dict[str, str] = HINTS
) -> Iterator[SchemaProblem]:
    pointer: Pointer = tuple(error.absolute_path)
    where = pointer_text(pointer)
    kind = error.validator
    definition = _def_name(schema, error)
    if (
        hints is HINTS
        and definition in ("duration", "window")
        and isinstance(error.instance, str)
        and _MONTHS.match(error.instance)
    ):
        yield SchemaProblem(
            pointer,
            f"{where}: '{error.instance}' looks like months, but durations have no "
            "month unit (M); write {calendar: month} for calendar months or 30d for a rolling window",
        )
        return
    label_names = schema.get("$defs", {}).get("alertLabels", {}).get("propertyNames")
    if hints is HINTS and kind == "pattern" and label_names is not None and error.schema is label_names:
        key = pointer + (str(error.instance),)  # at the label name itself
        yield SchemaProblem(
            key, f"{pointer_text(key)}: {_describe(error.instance)} is not valid; {hints['alertLabels']}", True
        )
        return
    if definition in hints and kind in ("oneOf", "pattern", "type", "minimum", "maximum", "minLength", "maxLength"):
        if definition == "percent" and hints is HINTS and _over_hundred(error.instance):
            yield SchemaProblem(
                pointer,
                f"{where}: {_describe(error.instance)} is above 100%; a percentage goes "
                "from 0 to 100 (99.9%, or the number 99.9)",
            )
            return
        yield SchemaProblem(pointer, f"{where}: {_describe(error.instance)} is not valid; {hints[definition]}")
        return
    if kind == "not" and isinstance(error.validator_value, dict):
        forbidden = error.validator_value.get("required") or [
            k for branch in error.validator_value.get("anyOf", []) for k in branch.get("required", [])
        ]
        present = [k for k in forbidden if isinstance(error.instance, dict) and k in error.instance]
        if present:
            yield SchemaProblem(pointer, f"{where}: {', '.join(present)} must not be given here")
            return
    if kind == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        extra = [k for k in error.instance if k not in allowed]
        for key in extra:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f"; allowed keys: {', '.join(allowed)}"
            yield SchemaProblem(
                pointer + (key,),
                f"{pointer_text(pointer + (key,))}: unknown key{hint}",
                True,
                suggestion=close[0] if close else None,
            )
        return
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        yield SchemaProblem(pointer, f"{where}: missing required key '{missing}'", missing=(missing,))
        return
    if kind == "const":
        yield SchemaProblem(pointer, f"{where}: must be {error.validator_value!r}, got {_describe(error.instance)}")
        return
    if kind == "enum":
        options = ", ".join(str(o) for o in error.validator_value)
        yield SchemaProblem(pointer, f"{where}: {_describe(error.instance)} is not one of: {options}")
        return
    if kind in ("oneOf", "anyOf"):
        branches = error.validator_value
        keys = [b["required"][0] for b in branches if set(b) == {"required"} and len(b["required"]) == 1]
        if keys and len(keys) == len(branches) and isinstance(error.instance, dict):
            present = [k for k in keys if k in error.instance]
            quantity = "exactly one" if kind == "oneOf" else "at least one"
            got = f" (found {', '.join(present)})" if present else ""
            yield SchemaProblem(
                pointer, f"{where}: needs {quantity} of {', '.join(keys)}{got}", missing=() if present else tuple(keys)
            )
            return
        if error.context:
            yield from _explain(best_match(error.context), schema, best_match, hints)
            return
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        words = {
            "minimum": "at least",
            "maximum": "at most",
            "exclusiveMinimum": "more than",
            "exclusiveMaximum": "less than",
        }[kind]
        yield SchemaProblem(pointer, f"{where}: {_describe(error.instance)} must be {words} {error.validator_value}")
        return
    if kind in ("maxItems", "minItems"):
        count = len(error.instance) if isinstance(error.instance, list) else 0
        words = "at most" if kind == "maxItems" else "at least"
        yield SchemaProblem(pointer, f"{where}: {words} {error.validator_value} item(s) allowed, found {count}")
        return
    if kind == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        article = "an" if str(expected)[0] in "aeiou" else "a"
        yield SchemaProblem(pointer, f"{where}: expected {article} {expected}, got {_describe(error.instance)}")
        return
    yield SchemaProblem(pointer, f"{where}: {error.message}")
