"""A configuration error said in words: the key that is wrong and what to write, never a
raw JSON Schema message (`does not match '^(?:\\d+...'`)."""

from __future__ import annotations

from typing import Any

DURATION_PATTERN = r"^(?:\d+(?:\.\d+)?(?:ms|[wdhms]))+$"


def explain(error: Any) -> tuple[str, str]:
    """(dotted location, message) for a jsonschema ValidationError of the configuration."""
    path = [str(p) for p in error.absolute_path]
    location = ".".join(path) or "(top level)"
    kind = error.validator
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        from slospec.suggest import close

        allowed = list(error.schema.get("properties", {}))
        extra = [k for k in error.instance if k not in allowed]
        if extra:
            key = extra[0]
            near = close(str(key), allowed)
            where = ".".join([*path, str(key)])
            if near:
                return where, f"unknown key; did you mean {near[0]!r}?"
            return where, f"unknown key; allowed keys here: {', '.join(allowed)}"
    if kind == "pattern" and error.validator_value == DURATION_PATTERN:
        return location, (
            f"{error.instance!r} is not a duration; write a number and a unit with no space, such as "
            "30s, 5m, 1h30m or 1.5h (units: ms, s, m, h, d, w)"
        )
    if kind == "pattern":
        return location, f"{error.instance!r} does not have the form this key takes (see `slospec schema --config`)"
    if kind == "enum":
        from slospec.suggest import hint

        choices = [str(c) for c in error.validator_value]
        return location, (f"{error.instance!r} is not one of {', '.join(choices)}{hint(str(error.instance), choices)}")
    if kind == "type":
        expected = error.validator_value
        words = {
            "string": "a string in quotes",
            "boolean": "true or false",
            "integer": "a whole number",
            "number": "a number",
            "array": 'a list, such as ["a", "b"]',
            "object": "a table",
        }
        said = words.get(expected, expected) if isinstance(expected, str) else " or ".join(map(str, expected))
        return location, f"expected {said}, got {error.instance!r}"
    return location, error.message
