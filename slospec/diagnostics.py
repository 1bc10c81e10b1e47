"""Positions, findings and diagnostics: the values passed between rules, engine and reporters."""

from __future__ import annotations

from dataclasses import field
from typing import NamedTuple

from slospec.records import record

# A JSON pointer into Document.data, as a tuple of keys and indexes: ("slos", 0, "target").
Pointer = tuple[str | int, ...]

SEVERITIES = ("error", "warning", "info")


class Span(NamedTuple):
    """A region of a source file; lines and columns are 1-based, the end is exclusive.

    A NamedTuple rather than a dataclass: the YAML front end makes one per value, and tuple
    construction is several times cheaper.
    """

    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, line: int, column: int) -> Span:
        return cls(line, column, line, column + 1)


START = Span(1, 1, 1, 1)


class Finding(NamedTuple):
    """What a rule yields: what is wrong and where in the data (never a line number)."""

    pointer: Pointer
    message: str
    # Optional severity override for rules whose checks have two levels (E/W).
    severity: str | None = None
    # The one right fix, where there is one: the text that replaces the finding's value, or
    # an edit elsewhere in the text (removing a whole suppression comment).
    fix: str | Fix | None = None
    # The key rather than the value at `pointer` (an unknown key, a misspelt field).
    at_key: bool = False
    # Where in the text, for findings about text that holds no data: a syntax error, a comment.
    span: Span | None = None


class Fix(NamedTuple):
    """A text edit that fixes a diagnostic: replace `span` (end exclusive) by `replacement`;
    an empty replacement deletes. Applied to the original text, so comments and layout stay."""

    span: Span
    replacement: str


@record(order=True)
class Diagnostic:
    """What the engine emits: a finding placed in a file, with its rule code and severity."""

    path: str
    span: Span
    code: str
    name: str
    severity: str
    message: str
    # Not part of the JSON contract or of the order: `slospec lint --fix` applies it.
    fix: Fix | None = field(default=None, compare=False)

    def __init__(
        self,
        path: str,
        span: Span,
        code: str,
        name: str,
        severity: str,
        message: str,
        fix: Fix | None = None,
    ) -> None:
        self.__dict__.update(
            path=path,
            span=span,
            code=code,
            name=name,
            severity=severity,
            message=message,
            fix=fix,
        )

    def as_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
        }


def pointer_text(pointer: Pointer) -> str:
    """Render a pointer the way users read paths: slos[0].target."""
    out = ""
    for part in pointer:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(document)"
