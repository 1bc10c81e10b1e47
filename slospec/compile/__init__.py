"""Compiler back ends: the registry of `compile --target` names and the Artifact they return."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, TypeVar

from slospec.errors import SlospecError

T = TypeVar("T")


class CompileError(SlospecError):
    """A spec the back end cannot express (say what and why); exit status 2."""


def need(value: T | None, owner: str, what: str) -> T:
    """A value the schema requires here (an SLI's queries for its kind, an SLO's resolved SLI,
    a calendar window's period); a spec that reached a back end without it is a bug, said so."""
    if value is None:
        raise CompileError(f"{owner} has no {what} (a spec that passed the checks should have one)")
    return value


@dataclass(frozen=True)
class Artifact:
    """One generated file: a suggested file name (made safe by the CLI) and its text."""

    name: str
    text: str
    # What tells this artifact apart from another one of the same name (its service, its
    # source file); used only when two artifacts of one run would share a file name.
    qualifier: str = ""


@dataclass(frozen=True)
class CompileOptions:
    internal: bool = False  # markdown: add the internal appendix (SLOs, alert policy)
    template: str | None = None  # markdown: the text of a user Jinja2 template
    config: object = None  # slospec.config.Config, for operational defaults
    extra: dict[str, Any] = field(default_factory=dict)


# target name -> module exposing `compile(specs, options) -> list[Artifact]` and `JOINER`
# (how several artifacts are joined when written to one stream). Imported on use.
BACKENDS: dict[str, str] = {
    "prometheus": "slospec.compile.prometheus",
    "prometheus-tests": "slospec.compile.prometheus_tests",
    "prometheus-rule": "slospec.compile.prometheus_rule",
    "alertmanager": "slospec.compile.alertmanager",
    "markdown": "slospec.compile.markdown",
    "openslo": "slospec.interop.openslo.export",
    "sloth": "slospec.interop.sloth.export",
    "grafana": "slospec.compile.grafana",
}


def load(target: str) -> ModuleType:
    return importlib.import_module(BACKENDS[target])


def source_stem(path: str) -> str:
    """A spec file's name without its folder and YAML/slospec suffixes: a qualifier for artifacts."""
    import re
    from pathlib import PurePath

    if path.startswith("<") or path == "-":
        return ""
    return re.sub(r"(\.(slo|ya?ml|json|openslo))+$", "", PurePath(path).name, flags=re.I)


def file_name(name: str) -> str:
    """The file name an artifact name becomes in the output folder (as slospec.atomic writes it)."""
    from pathlib import Path

    from slospec.atomic import safe_child

    return safe_child(Path("/"), name).name


def plan(artifacts: list[Artifact]) -> list[tuple[str, Artifact]]:
    """File names for writing every artifact into one folder, never one over another.

    Artifacts whose names clash (case-insensitively: macOS and Windows folders) are told
    apart by their qualifiers; identical texts are written once; anything else is a
    CompileError naming the clash.
    """

    def clashes(names: list[str]) -> dict[str, list[int]]:
        groups: dict[str, list[int]] = {}
        for index, name in enumerate(names):
            groups.setdefault(name.casefold(), []).append(index)
        return {key: group for key, group in groups.items() if len(group) > 1}

    names = [file_name(a.name) for a in artifacts]
    keep = [True] * len(artifacts)
    for group in clashes(names).values():
        texts = {artifacts[i].text for i in group}
        qualifiers = {artifacts[i].qualifier.casefold() for i in group}
        if len(texts) == 1:
            for i in group[1:]:
                keep[i] = False
        elif len(qualifiers) == len(group) and "" not in qualifiers:
            for i in group:
                names[i] = file_name(f"{artifacts[i].qualifier}-{artifacts[i].name}")
        else:
            raise CompileError(_clash_message(names[group[0]], [artifacts[i] for i in group]))
    names = [n for n, k in zip(names, keep, strict=True) if k]
    chosen = [a for a, k in zip(artifacts, keep, strict=True) if k]
    for group in clashes(names).values():
        raise CompileError(_clash_message(names[group[0]], [chosen[i] for i in group]))
    return list(zip(names, chosen, strict=True))


def _clash_message(name: str, clashing: list[Artifact]) -> str:
    qualifiers = [a.qualifier for a in clashing if a.qualifier]
    origins = f" (from {', '.join(qualifiers)})" if qualifiers else ""
    return (
        f"{len(clashing)} generated files would all be written to {name}{origins}, one over the other "
        "(say, one service's SLOs in several files); compile those files separately, into different "
        "folders"
    )
