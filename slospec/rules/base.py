"""The Rule value and the @rule decorator that makes one from a rule module's check function."""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import field
from typing import TYPE_CHECKING, Any, Protocol

from slospec.diagnostics import SEVERITIES, Finding
from slospec.records import FACTORY, record
from slospec.slo.slips import looks_like_ratio as looks_like_ratio  # rules import it from here

if TYPE_CHECKING:
    from slospec.slo.facts import Facts

SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead", "Options", "References")


@record
class Context:
    """What a rule sees besides the spec: its options and the resolved operational facts."""

    options: Mapping[str, Any]
    facts: Facts
    # The configuration's organisation policy (slospec.specmodel.policy.PolicySet), for the SLO6xx rules.
    policy: Any = None

    def __init__(
        self,
        options: Mapping[str, Any],
        facts: Facts,
        policy: Any = None,
    ) -> None:
        self.__dict__.update(
            options=options,
            facts=facts,
            policy=policy,
        )


class LiveServer(Protocol):
    """What a rule judged against a live Prometheus may ask (slospec.evaluate.check.Server
    answers, each question once per run)."""

    @property
    def url(self) -> str: ...  # for messages: never with a password
    @property
    def lookback(self) -> str: ...  # how far back a series counts as existing, as a duration ("1h")
    def series(self, selector: str) -> list[dict[str, str]]: ...  # the label sets it matches
    def metric_type(self, name: str) -> str | None: ...  # the metadata's type, None when unknown


@record
class Rule:
    """One lint rule: its code, name, default severity, check function and documentation."""

    code: str
    name: str
    severity: str
    check: Callable[..., Iterator[Finding]]
    doc: str
    options: Mapping[str, Any] = field(default_factory=dict)
    # Framework rules are emitted by the engine itself (syntax, schema, suppressions).
    framework: bool = False
    # Rules judged against recorded data by `slospec eval`, not by `slospec lint`.
    needs_data: bool = False
    # Optional check across every spec linted together: yields (spec, Finding).
    check_project: Callable[..., Iterable[tuple[Any, Finding]]] | None = None
    # Optional check over OpenSLO objects (references, names): yields (object, Finding) with
    # pointers into the object's document. Where a rule has one, it replaces `check` on
    # specs imported from OpenSLO.
    check_openslo: Callable[..., Iterable[tuple[Any, Finding]]] | None = None
    # Rules that need data (`needs_data`): `check_data(result, ctx)` judges `slospec eval`'s
    # result for one SLO (evaluate.compute.SloResult) and yields Findings into its spec.
    check_data: Callable[..., Iterator[Finding]] | None = None
    # Rules judged against a live Prometheus (`slospec check --prometheus`):
    # `check_live(spec, server)` asks a LiveServer and yields Findings into the spec.
    check_live: Callable[..., Iterator[Finding]] | None = None

    def __init__(
        self,
        code: str,
        name: str,
        severity: str,
        check: Callable[..., Iterator[Finding]],
        doc: str,
        options: Mapping[str, Any] = FACTORY,
        framework: bool = False,
        needs_data: bool = False,
        check_project: Callable[..., Iterable[tuple[Any, Finding]]] | None = None,
        check_openslo: Callable[..., Iterable[tuple[Any, Finding]]] | None = None,
        check_data: Callable[..., Iterator[Finding]] | None = None,
        check_live: Callable[..., Iterator[Finding]] | None = None,
    ) -> None:
        self.__dict__.update(
            code=code,
            name=name,
            severity=severity,
            check=check,
            doc=doc,
            options={} if options is FACTORY else options,
            framework=framework,
            needs_data=needs_data,
            check_project=check_project,
            check_openslo=check_openslo,
            check_data=check_data,
            check_live=check_live,
        )

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0].rstrip(".")

    @property
    def body(self) -> str:
        """The documentation below the summary line (Markdown, fixed sections)."""
        lines = self.doc.strip().splitlines()
        return "\n".join(lines[1:]).strip()

    def section(self, title: str) -> str:
        marker = f"## {title}"
        body = self.body
        if marker not in body:
            return ""
        rest = body.split(marker, 1)[1]
        return rest.split("\n## ", 1)[0].strip()


def rule(
    code: str,
    name: str,
    *,
    severity: str = "warning",
    options: Mapping[str, Any] | None = None,
    framework: bool = False,
    needs_data: bool = False,
) -> Callable[[Callable[..., Iterator[Finding]]], Rule]:
    """Turn a module's `check(spec, ctx)` into a Rule; the module docstring is its documentation."""
    if severity not in SEVERITIES:  # pragma: no cover - caught by the registry test
        raise ValueError(f"{code}: unknown severity {severity}")

    def wrap(check: Callable[..., Iterator[Finding]]) -> Rule:
        module = sys.modules[check.__module__]
        doc = inspect.cleandoc(module.__doc__ or "")
        return Rule(code, name, severity, check, doc, dict(options or {}), framework, needs_data)

    return wrap
