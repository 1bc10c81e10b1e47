"""Comments of a .slo file: find them as the grammar does and hang each on a statement or a `}`.

The grammar's rule is simple: outside a string, `#` starts a comment that runs to the next
`\\n` (only `\\n` breaks a line; U+2028, NEL or VT inside a comment are part of its text).
Each comment is attached to the place the printer will print, so `fmt` keeps every comment
and a second run prints the same text:

- a comment on a line of its own leads the next statement or `}` (or ends the file);
- a comment after code trails the first statement or `}` that starts on its line;
- comments inside a multi-line list follow that list's statement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from slospec.diagnostics import Pointer


@dataclass(frozen=True)
class Comment:
    line: int
    column: int
    text: str
    own_line: bool  # nothing but blanks before it on its line


@dataclass
class Attached:
    leading: list[str] = field(default_factory=list)  # lines before the anchor's line
    trailing: str | None = None  # on the anchor's line
    after: list[str] = field(default_factory=list)  # lines right after the anchor's line


# (document index, anchor) -> Attached; an anchor is a statement's pointer, a block's
# pointer + ("}",), or "end" (after the last statement of the last document).
Comments = dict


def scan(text: str) -> list[Comment]:
    """Every comment in `text`, in order, with its 1-based line and column."""
    out: list[Comment] = []
    line, line_start, i, n = 1, 0, 0, len(text)
    while i < n:
        char = text[i]
        if char == "\n":
            line, line_start = line + 1, i + 1
            i += 1
        elif char in "\"'":
            i = _string_end(text, i)
        elif char == "#":
            end = text.find("\n", i)
            end = n if end < 0 else end
            before = text[line_start:i]
            out.append(Comment(line, i - line_start + 1, text[i:end].rstrip(" \t\r"), before.strip(" \t\f") == ""))
            i = end
        else:
            i += 1
    return out


def _string_end(text: str, start: int) -> int:
    """Index after the string opened at `start` (the grammar's STRING and RAW; neither spans
    a line, so an unclosed quote ends at the line break, as the lexer would refuse it)."""
    quote, i, n = text[start], start + 1, len(text)
    while i < n:
        char = text[i]
        if char == "\n":
            return i
        if char == "\\" and quote == '"':
            i += 2
            continue
        if char == quote:
            return i + 1
        i += 1
    return n


def attach(text: str, documents: list[Any]) -> Comments:
    """Hang every comment of `text` on an anchor of the parsed `documents` (dsl.DslDocument)."""
    from bisect import bisect_right

    anchors: list[tuple[int, int, int, Any]] = []  # (line, column, document, anchor)
    inside_leaf: dict[int, tuple[int, Pointer]] = {}  # lines 2.. of a multi-line list statement
    for index, doc in enumerate(documents):
        for pointer, span, kind in doc.layout:
            anchors.append((span.line, span.column, index, pointer))
            if kind == "leaf":
                for line in range(span.line + 1, span.end_line + 1):
                    inside_leaf[line] = (index, pointer)
    anchors.sort(key=lambda a: (a[0], a[1]))
    positions = [(line, column) for line, column, _index, _pointer in anchors]
    first_on_line: dict[int, tuple[int, Any]] = {}
    for line, _column, index, pointer in anchors:
        first_on_line.setdefault(line, (index, pointer))
    out: Comments = {}

    def slot(index: int, anchor: Any) -> Attached:
        return out.setdefault((index, anchor), Attached())

    for comment in scan(text):
        inside = inside_leaf.get(comment.line)
        if inside is not None:
            slot(*inside).after.append(comment.text)
            continue
        if not comment.own_line and comment.line in first_on_line:
            place = slot(*first_on_line[comment.line])
            if place.trailing is None:
                place.trailing = comment.text
            else:  # pragma: no cover - one line holds one comment
                place.after.append(comment.text)
            continue
        at = bisect_right(positions, (comment.line, comment.column))
        if at == len(anchors):
            slot(max(len(documents) - 1, 0), "end").leading.append(comment.text)
        else:
            slot(anchors[at][2], anchors[at][3]).leading.append(comment.text)
    return out
