"""Two objects of one kind share a name.

## What it does
Reports an SLI, SLO or SLA whose name is already used by another object of the same kind
in the same spec, and a service defined twice, differently, across the files linted
together (the same spec kept in both syntaxes is not a conflict).

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

from slospec.diagnostics import Finding
from slospec.model import Spec
from slospec.rules.base import Context, rule


@rule("SLO005", "duplicate-name", severity="error")
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    for kind, objects in (("SLI", spec.slis), ("SLO", spec.slos), ("SLA", spec.slas)):
        first: dict[str, int] = {}
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
            yield spec, Finding(
                ("service", "name"), f"service {name!r} is already defined in {other.path}"
            )
        else:
            seen.setdefault(name, spec)
