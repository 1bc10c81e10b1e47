"""Apply fixes to a file's text by spans, so every comment and the layout stay as written."""

from __future__ import annotations

from collections.abc import Iterable

from slospec.diagnostics import Fix

# Line breaks other than \n and \r\n: front ends and suppression comments may count lines
# differently around them, so a file that has one is left alone rather than edited wrongly.
_OTHER_BREAKS = ("\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")


def apply(text: str, fixes: Iterable[Fix]) -> tuple[str, int]:
    """The text with every fix that does not overlap an earlier one applied, and how many were.

    Overlapping fixes are left for the next pass (after a re-lint), as ruff does."""
    if any(c in text for c in _OTHER_BREAKS) or "\r" in text.replace("\r\n", ""):
        return text, 0
    starts = [0]
    starts += [i + 1 for i, c in enumerate(text) if c == "\n"]
    edits = []
    for fix in fixes:
        start, end = (
            _offset(text, starts, fix.span.line, fix.span.column),
            _offset(text, starts, fix.span.end_line, fix.span.end_column),
        )
        if start is None or end is None or end < start:
            continue
        edits.append((start, end, fix.replacement))
    chosen: list[tuple[int, int, str]] = []
    for start, end, replacement in sorted(set(edits)):
        if chosen and start < chosen[-1][1]:
            continue
        chosen.append((start, end, replacement))
    for start, end, replacement in reversed(chosen):
        text = text[:start] + replacement + text[end:]
    return text, len(chosen)


def _offset(text: str, starts: list[int], line: int, column: int) -> int | None:
    """The index of a 1-based line and column; the end of the text is one past its last line."""
    if line == len(starts) + 1 and column == 1:
        return len(text)
    if not 1 <= line <= len(starts) or column < 1:
        return None
    offset = starts[line - 1] + column - 1
    line_end = starts[line] if line < len(starts) else len(text)
    return offset if offset <= line_end else None
