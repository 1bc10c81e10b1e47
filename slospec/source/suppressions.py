"""Inline suppressions: `# slospec: disable=CODE[,NAME]` and `# slospec: disable-file=CODE`.

Accepted forms (a trailing `-- reason` is allowed and encouraged):
    key: value  # slospec: disable=SLO102            the finding on this line
    # slospec: disable=extreme-target,SLO104          the next non-comment line
    # slospec: disable-file=SLO401                    the whole file
The same `#` comments work in YAML and in the DSL. A directive that suppresses nothing is
reported as SLO003; SLO001 (syntax errors) cannot be suppressed.
"""

from __future__ import annotations

import re
from dataclasses import field
from typing import Any

from slospec.diagnostics import Diagnostic, Span
from slospec.records import record

DIRECTIVE_RE = re.compile(
    r"#\s*slospec:\s*(?P<kind>disable-file|disable)\s*=\s*"
    r"(?P<codes>[A-Za-z0-9-]+(?:\s*,\s*[A-Za-z0-9-]+)*)"
)
UNSUPPRESSIBLE = {"SLO001"}


@record(frozen=False)
class Directive:
    """One `# slospec: disable...` comment: what it silences, where, and whether it did."""

    kind: str  # disable | disable-file
    selector: str
    line: int  # where the comment is
    column: int
    target_line: int | None  # the line it applies to (None for file scope)
    used: bool = field(default=False)

    def __init__(
        self,
        kind: str,
        selector: str,
        line: int,
        column: int,
        target_line: int | None,
        used: bool = False,
    ) -> None:
        self.__dict__.update(
            kind=kind,
            selector=selector,
            line=line,
            column=column,
            target_line=target_line,
            used=used,
        )


def parse(text: str) -> list[Directive]:
    directives: list[Directive] = []
    lines = text.splitlines()
    pending: list[Directive] = []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        own_line = stripped.startswith("#")
        if stripped and not own_line:
            for directive in pending:
                directive.target_line = number
            pending = []
        if "slospec:" not in line:
            continue
        for match in DIRECTIVE_RE.finditer(line):
            for selector in match.group("codes").split(","):
                directive = Directive(
                    match.group("kind"),
                    selector.strip(),
                    number,
                    match.start() + 1,
                    None if match.group("kind") == "disable-file" else number,
                )
                directives.append(directive)
                if own_line and directive.kind == "disable":
                    directive.target_line = None  # resolved by the next content line
                    pending.append(directive)
    return directives


def selects(selector: str, rule: Any) -> bool:
    """A selector is a code, a code prefix (SLO1, SLO10) or a rule name (the same syntax in
    `# slospec: disable=...`, `--select` and the configuration)."""
    selector = selector.strip()
    return bool(rule.code.startswith(selector.upper()) or rule.name == selector.lower())


def apply(
    diagnostics: list[Diagnostic], text: str, rules_by_code: dict[str, Any]
) -> tuple[list[Diagnostic], list[Directive]]:
    """Drop suppressed diagnostics; return the rest and the directives that did nothing."""
    directives = parse(text)
    if not directives:
        return diagnostics, []
    kept = []
    for diagnostic in diagnostics:
        rule = rules_by_code.get(diagnostic.code)
        suppressed = False
        if diagnostic.code not in UNSUPPRESSIBLE and rule is not None:
            for directive in directives:
                if not selects(directive.selector, rule):
                    continue
                if directive.kind == "disable-file" or directive.target_line in (diagnostic.span.line,):
                    directive.used = True
                    suppressed = True
        if not suppressed:
            kept.append(diagnostic)
    unused = [d for d in directives if not d.used]
    return kept, unused


def unused_span(directive: Directive) -> Span:
    return Span(directive.line, directive.column, directive.line, directive.column + 1)
