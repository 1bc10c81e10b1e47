"""A fast yes/no validator for the JSON Schema subset slospec's schemas use.

jsonschema explains problems well but costs ~2.5 ms per spec and ~60 ms to import. Most
files are valid, so the linter first asks this compiled checker "is it valid?" and only
imports jsonschema to explain a document that is not. The checker must never call a
document valid that jsonschema rejects: a property-based test compares the two. Any
keyword it does not know makes it fall back to jsonschema for that schema.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

Check = Callable[[Any], bool]


class Unsupported(Exception):
    """The schema uses a keyword this checker does not implement."""


_IGNORED = {
    "$schema",
    "$id",
    "title",
    "description",
    "examples",
    "default",
    "$comment",
    "$defs",
    "deprecated",
    "readOnly",
    "writeOnly",
}


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        # Never int(v): int(Decimal("1e999999")) builds a million digits.
        or (isinstance(v, float) and v.is_integer())
        or (isinstance(v, Decimal) and v.is_finite() and v == v.to_integral_value())
    ),
    "number": _is_number,
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def _equal(a: Any, b: Any) -> bool:
    # JSON equality: 1 == 1.0 but True != 1.
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and bool(a == b)
    return bool(a == b)


def _anything(value: Any) -> bool:
    """The check of a schema every value passes (`true`, or only annotations)."""
    return True


class _Compiler:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, Check] = {}
        self.compiling: dict[str, list[Check]] = {}  # refs being compiled: a use inside is recursive

    def ref(self, target: str) -> Check:
        if not target.startswith("#/"):
            raise Unsupported(target)
        if target in self.refs:
            return self.refs[target]
        if target in self.compiling:
            cell = self.compiling[target]
            return lambda v: cell[0](v)  # a recursive schema: resolved once compiled
        cell = self.compiling[target] = []
        node: Any = self.root
        for part in target[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        # A reference is its target's check itself (one call less on every value it checks).
        compiled = self.refs[target] = self.compile(node)
        cell.append(compiled)
        del self.compiling[target]
        return compiled

    def compile(self, schema: Any) -> Check:
        if schema is True:
            return _anything
        if schema is False:
            return lambda v: False
        checks: list[Check] = []
        for key, value in schema.items():
            if key in _IGNORED or key in ("then", "else"):
                continue
            checks.append(self.keyword(key, value, schema))
        if not checks:
            return _anything
        if len(checks) == 1:
            return checks[0]
        if len(checks) == 2:
            first, second = checks
            return lambda v: first(v) and second(v)

        def every(v: Any) -> bool:
            for check in checks:
                if not check(v):
                    return False
            return True

        return every

    def keyword(self, key: str, value: Any, schema: dict[str, Any]) -> Check:  # noqa: C901 - a flat dispatch
        if key == "$ref":
            return self.ref(value)
        if key == "type":
            kinds = [value] if isinstance(value, str) else list(value)
            tests = [_TYPES[k] for k in kinds]
            if len(tests) == 1:
                return tests[0]
            return lambda v: any(t(v) for t in tests)
        if key == "const":
            return lambda v: _equal(v, value)
        if key == "enum":
            # A string equals only the string options (JSON equality): one set lookup.
            strings = frozenset(option for option in value if isinstance(option, str))
            return lambda v: v in strings if isinstance(v, str) else any(_equal(v, option) for option in value)
        if key == "properties":
            compiled = {name: self.compile(sub) for name, sub in value.items()}
            # Properties any value passes (only a description) need no call.
            compiled = {name: check for name, check in compiled.items() if check is not _anything}

            def properties(v: Any) -> bool:
                if not isinstance(v, dict):
                    return True
                for k, item in v.items():
                    check = compiled.get(k)
                    if check is not None and not check(item):
                        return False
                return True

            return properties
        if key == "additionalProperties":
            known = set(schema.get("properties", {}))
            patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
            if value is False and not patterns:
                # The common case, and the hot one: no keys beyond the declared ones.
                return lambda v: not isinstance(v, dict) or known.issuperset(v)
            extra = self.compile(value)
            return lambda v: (
                not isinstance(v, dict)
                or all(
                    extra(item) for k, item in v.items() if k not in known and not any(p.search(k) for p in patterns)
                )
            )
        if key == "patternProperties":
            compiled_patterns = [(re.compile(p), self.compile(s)) for p, s in value.items()]
            return lambda v: (
                not isinstance(v, dict)
                or all(check(item) for k, item in v.items() for p, check in compiled_patterns if p.search(k))
            )
        if key == "propertyNames":
            check = self.compile(value)
            return lambda v: not isinstance(v, dict) or all(check(k) for k in v)
        if key == "required":
            names = list(value)
            return lambda v: not isinstance(v, dict) or all(map(v.__contains__, names))
        if key in ("minProperties", "maxProperties"):
            bound = value
            if key == "minProperties":
                return lambda v: not isinstance(v, dict) or len(v) >= bound
            return lambda v: not isinstance(v, dict) or len(v) <= bound
        if key == "items":
            check = self.compile(value)
            return lambda v: not isinstance(v, list) or all(map(check, v))
        if key in ("minItems", "maxItems"):
            bound = value
            if key == "minItems":
                return lambda v: not isinstance(v, list) or len(v) >= bound
            return lambda v: not isinstance(v, list) or len(v) <= bound
        if key == "uniqueItems":
            if not value:
                return lambda v: True
            raise Unsupported(key)
        if key == "pattern":
            regex = re.compile(value)
            return lambda v: not isinstance(v, str) or regex.search(v) is not None
        if key in ("minLength", "maxLength"):
            bound = value
            if key == "minLength":
                return lambda v: not isinstance(v, str) or len(v) >= bound
            return lambda v: not isinstance(v, str) or len(v) <= bound
        if key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            limit = Decimal(str(value))
            compare: Callable[[Decimal], bool] = {
                "minimum": lambda x: x >= limit,
                "maximum": lambda x: x <= limit,
                "exclusiveMinimum": lambda x: x > limit,
                "exclusiveMaximum": lambda x: x < limit,
            }[key]
            return lambda v: not _is_number(v) or (v == v and compare(Decimal(str(v))))
        if key == "oneOf":
            subs = [self.compile(s) for s in value]
            return lambda v: sum(1 for s in subs if s(v)) == 1
        if key == "anyOf":
            subs = [self.compile(s) for s in value]
            return lambda v: any(s(v) for s in subs)
        if key == "allOf":
            subs = [self.compile(s) for s in value]
            return lambda v: all(s(v) for s in subs)
        if key == "not":
            sub = self.compile(value)
            return lambda v: not sub(v)
        if key == "if":
            condition = self.compile(value)
            then = self.compile(schema.get("then", True))
            otherwise = self.compile(schema.get("else", True))
            return lambda v: then(v) if condition(v) else otherwise(v)
        if key == "contains":
            sub = self.compile(value)
            return lambda v: not isinstance(v, list) or any(sub(item) for item in v)
        if key == "dependentRequired":
            deps = dict(value)
            return lambda v: (
                not isinstance(v, dict) or all(all(d in v for d in needed) for k, needed in deps.items() if k in v)
            )
        raise Unsupported(key)


@functools.cache
def checker(schema_name: str) -> Check | None:
    """The compiled yes/no check for a bundled schema, or None if it needs full jsonschema."""
    from slospec import resources

    schema = resources.load_json(schema_name)
    try:
        return _Compiler(schema).compile(schema)
    except Unsupported:
        return None
