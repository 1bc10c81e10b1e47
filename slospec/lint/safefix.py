"""`lint --fix` never loses data: each file's fixed text is read back and compared with the
original, value by value, before anything is written.

A fix is an edit of the text at a span (`fixes.apply`), so every comment and the layout stay
as written; what an edit means depends on how the value got there. Where a value comes
through a YAML alias or `<<` merge key, the span of "the value" is the alias, the merge or
the anchored scalar that other places share, and an edit there changes (or deletes) data the
fix does not name. So the rule here: after the edits, the file must parse to the same data
except at the values whose own text an edit replaced, one value per edit. Anything else
(a mapping turned into a scalar, a shared anchor changed in two places, a file that no
longer parses) refuses that file's fixes, with a line saying why. A JSON spec stays JSON:
a replacement that is not a JSON value is written as a JSON string.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from slospec.diagnostics import Fix, Pointer, Span


def is_json(text: str) -> bool:
    """The text is a JSON document (a spec written as JSON, which fixes must keep JSON)."""
    body = text.lstrip("\ufeff \t\r\n")
    if not body.startswith(("{", "[")):
        return False
    try:
        json.loads(text.lstrip("\ufeff"))
    except ValueError:
        return False
    return True


def for_json(fixes: Iterable[Fix]) -> list[Fix]:
    """Each replacement as a JSON value: `99.9%` becomes `"99.9%"`; JSON values stay."""
    out = []
    for fix in fixes:
        replacement = fix.replacement
        if replacement:
            try:
                json.loads(replacement)
            except ValueError:
                replacement = json.dumps(replacement, ensure_ascii=False)
        out.append(Fix(fix.span, replacement))
    return out


def _documents(path: str, text: str) -> list[tuple[Any, dict[Pointer, Span]]] | None:
    from slospec.source import loader

    fmt = loader.file_format(path, text) or ("dsl" if path.lower().endswith(".slo") else "yaml")
    source = loader.parse(path, text, fmt)
    if source.error is not None:
        return None
    return [(doc.data, doc.source_map.values) for doc in source.documents]


def _differences(old: Any, new: Any, pointer: Pointer, out: list[tuple[Pointer, str]]) -> None:
    if isinstance(old, dict) and isinstance(new, dict):
        if list(old) != list(new):
            out.append((pointer, "keys"))
            return
        for key in old:
            _differences(old[key], new[key], pointer + (key,), out)
    elif isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            out.append((pointer, "length"))
            return
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            _differences(a, b, pointer + (index,), out)
    elif isinstance(old, (dict, list)) or isinstance(new, (dict, list)):
        out.append((pointer, "shape"))
    elif type(old) is not type(new) or old != new:
        if old != old and new != new:  # NaN stays NaN
            return
        out.append((pointer, "value"))


def _where(pointer: Pointer) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else str(p)) for i, p in enumerate(pointer)) or (
        "the document"
    )


def refusal(path: str, original: str, fixed: str, spans: Iterable[Span]) -> str | None:
    """Why the fixed text must not be written (None: it changes only the values it edits)."""
    before = _documents(path, original)
    if before is None:
        return None  # the file did not parse before: its fixes remove comments only
    after = _documents(path, fixed)
    if after is None or len(after) != len(before):
        return "the fixed file would no longer parse"
    edited = {(s.line, s.column, s.end_line, s.end_column) for s in spans}
    used: set[tuple[int, int, int, int]] = set()
    for (old, values), (new, _) in zip(before, after, strict=True):
        found: list[tuple[Pointer, str]] = []
        _differences(old, new, (), found)
        for pointer, kind in found:
            span = values.get(pointer)
            own = None if span is None else (span.line, span.column, span.end_line, span.end_column)
            if kind != "value" or own not in edited or own in used:
                return (
                    f"a fix would change {_where(pointer)}, which it does not edit on its own line "
                    "(a value that comes through a YAML alias or `<<` merge key, or one an alias "
                    "shares); fix it by hand"
                )
            used.add(own)
    return None


def keep_safe(path: str, text: str, fixes: list[Fix]) -> tuple[list[Fix], str | None]:
    """The fixes that each change only the value they edit, and why the first other was refused."""
    from slospec.lint import fixes as editing

    kept: list[Fix] = []
    why = None
    lines = text.split("\n")
    for fix in fixes:
        edited, applied = editing.apply(text, [fix])
        reason = refusal(path, text, edited, [fix.span]) if applied else None
        at = lines[fix.span.line - 1][fix.span.column - 1 :] if 0 < fix.span.line <= len(lines) else ""
        if reason is None and fix.replacement and at.startswith("*") and not path.endswith(".slo"):
            reason = "the value is a YAML alias of an anchored value; fix the anchored value by hand"
        if reason is None:
            kept.append(fix)
        elif why is None:
            why = f"line {fix.span.line}: {reason}"
    return kept, why


__all__ = ["for_json", "is_json", "keep_safe", "refusal"]
