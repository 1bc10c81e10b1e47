"""An SLO, SLA or alert names an object that does not exist.

## What it does
Checks that every `sli:` of an SLO, and every `slo:` and `sli:` of an SLA, names an object
defined in the same spec.

On OpenSLO files it checks `indicatorRef`, `alertPolicyRef`, `conditionRef` and `targetRef`
against the files linted together and, when one does not resolve there, against the other
OpenSLO files of the project (the folder holding the nearest `slospec.toml`, `pyproject.toml`
or `.git`). So pre-commit, which passes only the changed files, accepts an SLO whose SLI
lives in an unchanged sibling file, and a typo still fails. A file with no such folder above
it has no known project: its folder's other files are read, and a name found nowhere is
reported as info (it may be defined in files or a platform slospec cannot see).
A `service` or `metricSourceRef` that is not found is not an error: the OpenSLO spec lets a
Service live in the platform ("depends on implementation") and DataSources are usually
configured there. When such a name is close to one that exists, an info finding asks
whether that one was meant.

## Why is this bad?
A dangling reference makes the objective unmeasurable: compilers cannot generate rules for
it, and readers cannot tell what was meant. It is usually a typo or a rename that missed a
spot.

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
    sli: request
    target: 99.9%
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
- OpenSLO go-sdk: `indicatorRef`, `alertPolicyRef` and `targetRef` must resolve
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from slospec.diagnostics import Finding
from slospec.rules.base import Context, rule
from slospec.specmodel.model import Spec


def _missing(kind: str, wanted: str, known: list[str]) -> str:
    message = f"{kind} {wanted!r} is not defined"
    close = difflib.get_close_matches(wanted, known, n=1)
    if close:
        return f"{message}; did you mean {close[0]!r}?"
    if known:
        return f"{message}; defined {kind}s: {', '.join(sorted(known))}"
    return f"{message}; the spec defines no {kind}s"


@rule("SLO004", "unresolved-reference", severity="error")
def check(spec: Spec, ctx: Context) -> Iterator[Finding]:
    sli_names = [s.name for s in spec.slis]
    slo_names = [s.name for s in spec.slos]
    for slo in spec.slos:
        if slo.sli is None:
            yield Finding(slo.pointer + ("sli",), f"SLO {slo.name!r}: " + _missing("SLI", slo.sli_name, sli_names))
    for sla in spec.slas:
        if sla.slo_name is not None and sla.slo is None:
            yield Finding(sla.pointer + ("slo",), f"SLA {sla.name!r}: " + _missing("SLO", sla.slo_name, slo_names))
        if sla.sli_name is not None and sla.sli is None and (sla.slo is not None or sla.slo_name is None):
            if sla.slo is not None and sla.slo.sli_name == sla.sli_name:
                continue  # the SLI its SLO names: reported once, on the SLO's line
            yield Finding(sla.pointer + ("sli",), f"SLA {sla.name!r}: " + _missing("SLI", sla.sli_name, sli_names))


def check_openslo(
    given: Iterable[Any], known: Mapping[str, set[str]], unbounded: frozenset[str] = frozenset()
) -> Iterator[tuple[Any, Finding]]:
    """(object, finding) for the references of OpenSLO objects `given` that `known` (kind ->
    names defined in the linted files and the project) does not hold. `unbounded` names the
    files with no project around them (no marker folder): what they name may live anywhere,
    so a dangling name there is only an info."""
    from slospec.interop.openslo.objects import EXTERNAL_KINDS, references

    for obj in given:
        alone = obj.path in unbounded
        for pointer, kind, name in references(obj):
            names = known.get(kind, set())
            if name in names:
                continue
            close = difflib.get_close_matches(name, sorted(names), n=1)
            where = obj.pointer + pointer
            subject = f"{obj.kind} {obj.name!r} refers to {kind} {name!r}"
            if kind in EXTERNAL_KINDS:
                if close:
                    yield (
                        obj,
                        Finding(
                            where,
                            f"{subject}, which is not among the project's OpenSLO files "
                            f"(it may live in your platform); did you mean {close[0]!r}?",
                            "info",
                        ),
                    )
                continue
            if close:
                hint = f"; did you mean {close[0]!r}?"
            elif names:
                hint = f"; defined: {', '.join(sorted(names)[:10])}"
            else:
                hint = f"; the {'folder' if alone else 'project'} defines no {kind}"
            if alone:
                yield (
                    obj,
                    Finding(
                        where,
                        f"{subject}, which is not defined in this folder{hint} (with no "
                        "slospec.toml, pyproject.toml or .git above it, slospec cannot tell where "
                        "the rest of the project is: not an error)",
                        "info",
                    ),
                )
                continue
            yield (
                obj,
                Finding(where, f"{subject}, which is not defined in the linted files or the rest of the project{hint}"),
            )
