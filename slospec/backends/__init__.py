"""Compiler back ends: the registry of `compile --target` names and the Artifact they return."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from types import ModuleType


class CompileError(Exception):
    """A spec the back end cannot express (say what and why); exit status 2."""


@dataclass(frozen=True)
class Artifact:
    """One generated file: a suggested file name (made safe by the CLI) and its text."""

    name: str
    text: str


@dataclass(frozen=True)
class CompileOptions:
    internal: bool = False  # markdown: add the internal appendix (SLOs, alert policy)
    template: str | None = None  # markdown: the text of a user Jinja2 template
    config: object = None  # slospec.config.Config, for operational defaults
    extra: dict = field(default_factory=dict)


# target name -> module exposing `compile(specs, options) -> list[Artifact]` and `JOINER`
# (how several artifacts are joined when written to one stream). Imported on use.
BACKENDS: dict[str, str] = {
    "prometheus": "slospec.backends.prometheus",
    "prometheus-tests": "slospec.backends.prometheus_tests",
    "markdown": "slospec.backends.markdown",
    "openslo": "slospec.backends.openslo",
    "sloth": "slospec.backends.sloth",
}


def load(target: str) -> ModuleType:
    return importlib.import_module(BACKENDS[target])
