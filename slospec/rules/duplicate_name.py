"""Two objects of one kind share a name.

## What it does
Reports an SLI, SLO or SLA whose name is already used by another object of the same kind
in the same spec, and a service defined twice, differently, across the files linted
together (the same spec kept in both syntaxes is not a conflict).

On OpenSLO files, a name must be unique per kind within one folder and one Nobl9 project
(`nobl9.com/metadata.project`): the same names under `prod/` and `staging/`, or in two
projects, are separate objects, as the tools that apply them see it. In a Sloth file, an
SLO ID (service and SLO name) is unique across the file's documents, as Sloth requires.

## Why is this bad?
References by name become ambiguous, generated rule and file names collide (the second
silently overwrites the first), and OpenSLO consumers reject duplicate object names.

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
  - name: requests
    latency:
      histogram: http_request_duration_seconds{job="checkout"}
      threshold: 300ms
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
  - name: fast-requests
    latency:
      histogram: http_request_duration_seconds{job="checkout"}
      threshold: 300ms
```

## Options
None.

## References
- OpenSLO: object names are unique per kind
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from slospec.diagnostics import Finding
from slospec.rules.base import Context, rule

if TYPE_CHECKING:  # a cached run's joint stage runs this rule without importing the model
    from slospec.specmodel.model import Spec


@rule("SLO005", "duplicate-name", severity="error")
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    for kind, objects in (("SLI", spec.slis), ("SLO", spec.slos), ("SLA", spec.slas)):
        first: dict[str, str | int] = {}
        for obj in objects:
            if obj.name in first:
                yield Finding(
                    obj.pointer + ("name",),
                    f"{kind} name {obj.name!r} is already used by {kind.lower()}s[{first[obj.name]}]",
                )
            else:
                first[obj.name] = obj.pointer[-1]


def check_project(specs: list[Spec], ctx: Context) -> Iterable[tuple[Spec, Finding]]:
    """A service may be defined once across all files linted together."""
    seen: dict[str, Spec] = {}
    for spec in specs:
        if spec.origin != "slospec":
            continue  # OpenSLO services are shared by many files; names are checked per kind
        name = spec.service.name
        if name in seen and seen[name] is not spec:
            other = seen[name]
            if other.data == spec.data:
                continue  # the same spec written twice (say, in YAML and in the DSL): no conflict
            yield spec, Finding(("service", "name"), f"service {name!r} is already defined in {other.path}")
        else:
            seen.setdefault(name, spec)


def check_openslo(objects: Iterable[Any], known: Any = None, unbounded: Any = None) -> Iterator[tuple[Any, Finding]]:
    """OpenSLO names are unique per kind within one folder (or file) and Nobl9 project: the
    same names under prod/ and staging/, or in two Nobl9 projects, are separate objects."""
    import os

    from slospec.interop.openslo.objects import READ_APIS, scope

    seen: dict[tuple[str, str, str, str, str], Any] = {}
    for obj in objects:
        if obj.api not in READ_APIS or not obj.name:
            continue
        # Per version too: oslo's and the Go SDK's test folders hold one set of objects in v1
        # and again in v2alpha, which no consumer loads together.
        key = (obj.api, obj.kind, obj.name, scope(obj), os.path.dirname(obj.path))
        first = seen.setdefault(key, obj)
        if first is not obj:
            where = "earlier in this file" if first.path == obj.path else f"in {first.path}"
            line = first.doc.source_map.locate(first.pointer + ("metadata", "name")).line
            yield (
                obj,
                Finding(
                    obj.pointer + ("metadata", "name"),
                    f"{obj.kind} {obj.name!r} is already defined {where} (line {line}); "
                    "rename one of them or remove the copy",
                ),
            )


def check_sloth(index: int, data: Any, seen: dict[tuple[str, str], int]) -> Iterator[Finding]:
    """A Sloth file's SLO IDs (service-name) are unique across its documents, as Sloth
    requires: document `index`'s converted slospec `data` against the IDs `seen` (ID ->
    document index) in the file's earlier documents, which it then adds to."""
    for number, slo in enumerate(data["slos"]):
        key = (data["service"]["name"], slo["name"])
        if key in seen and seen[key] != index:
            yield Finding(
                ("slos", number, "name"),
                f"SLO {slo['name']!r} of service {key[0]!r} is already defined in document "
                f"{seen[key] + 1} of this file (Sloth SLO IDs must be unique)",
            )
        seen.setdefault(key, index)
