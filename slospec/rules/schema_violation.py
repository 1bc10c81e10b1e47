"""The document breaks the spec's JSON Schema (or OpenSLO v1's rules).

## What it does
Validates each document against `schema/slospec.schema.json` (native specs) or the
OpenSLO v1 rules (OpenSLO files) and reports every violation at the offending key or value:
a missing `apiVersion`, an unknown field, a target written as a ratio string, a duration
without a unit.

## Why is this bad?
A spec that does not follow the format means something different to every reader, or
nothing at all. Unknown keys are usually typos (`tagret:`) that silently drop a setting.

## Example
```yaml
apiVersion: slospec/v1
service:
  name: checkout
slis:
  - name: requests
    ratio:
      bad: http_requests_total{job="checkout",code=~"5.."}
      total: http_requests_total{job="checkout"}
slos:
  - name: availability
    sli: requests
    tagret: 99.9%
    window: 28d
```

## Use instead
```yaml
apiVersion: slospec/v1
service:
  name: checkout
slis:
  - name: requests
    ratio:
      bad: http_requests_total{job="checkout",code=~"5.."}
      total: http_requests_total{job="checkout"}
slos:
  - name: availability
    sli: requests
    target: 99.9%
    window: 28d
```

## Options
None.

## References
- `slospec schema` prints the schema; editors can use it for completion
"""

import re
from collections.abc import Iterator
from typing import Any

from slospec.diagnostics import Finding
from slospec.rules.base import Context, rule

# What another tool's file (Sloth, Pyrra, slo-generator) converted to slospec data breaks.
FOREIGN = "cannot be read as slospec: "


@rule("SLO002", "schema-violation", severity="error", framework=True)
def check(spec: Any, ctx: Context) -> Iterator[Finding]:
    """A spec that was built follows the schema: nothing to judge here (see check_document)."""
    return iter(())


# DSL text read as YAML is one plain scalar starting `service name {`.
_LOOKS_LIKE_DSL = re.compile(r"\s*service\s+[\w.-]+\s*\{")


def check_empty_file() -> Finding:
    """A file without a single document."""
    return Finding((), "file is empty; a spec starts with apiVersion: slospec/v1")


def check_document(data: Any, *, foreign: bool = False) -> list[Finding]:
    """What keeps one document's data from being a spec; empty when it follows the schema.

    `foreign`: the data was converted from another tool's file; the findings say so, and they
    point at values, where the converter recorded the original spans."""
    from slospec.specmodel import fastcheck, schema

    if not isinstance(data, dict):
        what = "empty" if data is None else f"a {type(data).__name__.replace('dict', 'mapping')}"
        if isinstance(data, str) and _LOOKS_LIKE_DSL.match(data):
            return [
                Finding(
                    (),
                    f"document is {what} that looks like the .slo DSL: a DSL spec's file name "
                    "ends in .slo (rename it); a .slo.yaml file holds YAML",
                )
            ]
        return [
            Finding(
                (),
                f"document is {what}; a spec is a mapping that starts with "
                "apiVersion: slospec/v1 and names its service",
            )
        ]
    valid = fastcheck.checker(schema.SPEC_SCHEMA)
    if valid is not None and valid(data):
        return []
    # Only a document that fails the fast check pays for jsonschema's explanations.
    if foreign:
        return [Finding(p.pointer, FOREIGN + p.message) for p in schema.problems(data)]
    return [Finding(p.pointer, p.message, at_key=p.at_key) for p in schema.problems(data)]


def check_build(data: Any, path: str, *, foreign: bool = False) -> tuple[Any, list[Finding]]:
    """The model of data that follows the schema, or the bound it breaks (slospec/specmodel/bounds.py:
    an out-of-range value, an unknown time zone) at the value's line.

    A converted file's bound is reported at the start of the document it was converted from."""
    from slospec.specmodel import model
    from slospec.specmodel.quantities import QuantityError

    try:
        return model.build(data, path), []
    except QuantityError as exc:
        return None, [Finding(() if foreign else getattr(exc, "pointer", ()), str(exc))]


def check_object(obj: Any) -> tuple[list[Finding], bool]:
    """An OpenSLO object's breaks of the OpenSLO v1 schema and of the go-sdk's rules, and
    whether it can still be imported (no break is blocking)."""
    from slospec.interop.openslo import checker

    problems = checker.problems(obj)
    findings = [Finding(p.pointer, p.message, at_key=p.at_key) for p in problems]
    return findings, not any(p.blocking for p in problems)
