"""Canonical .slo text for spec data, with the comments `dslcomments` attached put back.

Every attached comment is printed exactly once, on the line of its statement or `}`: a block
holding only comments keeps its braces on their own lines, and an `slo` whose target, SLI or
window carries a comment keeps its block form rather than the one-line sentence. Comments
inside a multi-line list follow the (one-line) list, where a second run finds them again:
the output is a fixed point.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from slospec.diagnostics import Pointer
from slospec.source.dsl.comments import Attached, Comments
from slospec.source.dsl.syntax import _DURATION_RE, _NUMBER_RE, _PERCENT_RE, _WORD_RE, CALENDAR, ITEM_FOR_LIST, WORDS


class LostComment(Exception):
    """A comment was attached to a place the printer never reached (a bug; fmt refuses)."""


def scalar_text(value: Any) -> str:
    from slospec.specmodel.quantities import format_decimal

    if value is True or value is False:
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        text = format_decimal(value)
        return text if "." in text else f"{text}.0"
    if isinstance(value, float):
        return repr(value)
    text = str(value)
    if (_DURATION_RE.match(text) or _PERCENT_RE.match(text)) and not text.startswith("-"):
        return text
    if _WORD_RE.match(text) and text not in WORDS and not _NUMBER_RE.match(text):
        return text
    if '"' in text and "'" not in text and "\n" not in text:
        return f"'{text}'"
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


def _window_text(window: Any) -> str | None:
    """`28d` or `month` when the window fits the one-line sentence, else None."""
    if isinstance(window, str) and _DURATION_RE.match(window):
        return window
    if isinstance(window, dict) and list(window) == ["calendar"] and window["calendar"] in CALENDAR:
        return window["calendar"]
    return None


class _Printer:
    def __init__(self, comments: Comments | None = None) -> None:
        self.comments: Comments = dict(comments or {})
        self.doc = 0
        self.pending: list[str] = []  # comments waiting for the next printed line
        self.commented = {
            (doc, anchor[:size])
            for doc, anchor in self.comments
            if isinstance(anchor, tuple)
            for size in range(1, len(anchor) + 1)
        }

    def take(self, anchor: Any) -> Attached:
        return self.comments.pop((self.doc, anchor), None) or Attached()

    def emit(self, out: list[str], comment_pad: str, anchor: Any, line: str) -> None:
        """Print `line` for `anchor`: waiting and leading comments first, at `comment_pad`."""
        found = self.take(anchor)
        out += [f"{comment_pad}{c}" for c in (*self.pending, *found.leading)]
        self.pending = list(found.after)
        out.append(f"{line}  {found.trailing}" if found.trailing else line)

    def skip(self, anchor: Any) -> None:
        """`anchor` is not printed: its comments wait for the next printed line."""
        found = self.take(anchor)
        self.pending += [*found.leading, *([found.trailing] if found.trailing else []), *found.after]

    def has_comments(self, prefix: tuple) -> bool:
        """Whether a comment hangs on `prefix` or anything inside it."""
        return (self.doc, prefix) in self.commented

    def close(self, out: list[str], pad: str, pointer: Pointer) -> None:
        self.emit(out, pad + "  ", pointer + ("}",), f"{pad}}}")

    def lines(self, mapping: dict, indent: int, pointer: Pointer, skip: tuple = ()) -> list[str]:
        pad = "  " * indent
        out: list[str] = []
        for key, value in mapping.items():
            if key in skip:
                continue
            at = pointer + (key,)
            if isinstance(value, dict):
                if not value and (self.doc, at + ("}",)) not in self.comments:
                    self.emit(out, pad, at, f"{pad}{key} {{}}")
                else:
                    self.emit(out, pad, at, f"{pad}{key} {{")
                    out += self.lines(value, indent + 1, at)
                    self.close(out, pad, at)
            elif isinstance(value, list) and key in ITEM_FOR_LIST and value and all(isinstance(v, dict) for v in value):
                word, id_field = ITEM_FOR_LIST[key]
                for index, item in enumerate(value):
                    head = f"{pad}{word}" + (f" {scalar_text(item[id_field])}" if id_field else "")
                    rest = {k: v for k, v in item.items() if k != id_field}
                    if rest or (self.doc, at + (index, "}")) in self.comments:
                        self.emit(out, pad, at + (index,), head + " {")
                        out += self.lines(rest, indent + 1, at + (index,))
                        self.close(out, pad, at + (index,))
                    else:
                        self.emit(out, pad, at + (index,), head + " {}")
            elif isinstance(value, list):
                self.emit(out, pad, at, f"{pad}{key} [" + ", ".join(scalar_text(v) for v in value) + "]")
            else:
                self.emit(out, pad, at, f"{pad}{key} {scalar_text(value)}")
        return out

    def object(self, word: str, obj: dict, pointer: Pointer, sentence: bool = False) -> list[str]:
        head = f"{word} {scalar_text(obj['name'])}"
        skip: tuple = ("name",)
        window = _window_text(obj.get("window"))
        if (
            sentence
            and isinstance(obj.get("target"), str)
            and _PERCENT_RE.match(obj["target"])
            and window is not None
            and isinstance(obj.get("sli"), str)
            and not any(self.has_comments(pointer + (key,)) for key in ("target", "sli", "window"))
        ):
            head += f" {obj['target']} of {scalar_text(obj['sli'])} over {window}"
            skip = ("name", "target", "sli", "window")
        out: list[str] = []
        has_body = any(key not in skip for key in obj) or (self.doc, pointer + ("}",)) in self.comments
        self.emit(out, "", pointer, head + (" {" if has_body else ""))
        if has_body:
            out += self.lines(obj, 1, pointer, skip)
            self.close(out, "", pointer)
        return out

    def dump(self, documents: list[dict]) -> str:
        chunks = []
        for self.doc, data in enumerate(documents):
            lines = self.object("service", data["service"], ("service",))
            if "operations" in data:
                lines.append("")
                self.emit(lines, "", ("operations",), "operations {")
                lines += self.lines(data["operations"], 1, ("operations",))
                self.close(lines, "", ("operations",))
            for key, word in (("slis", "sli"), ("slos", "slo"), ("slas", "sla")):
                for index, obj in enumerate(data.get(key, [])):
                    lines += ["", *self.object(word, obj, (key, index), sentence=word == "slo")]
            if self.doc == len(documents) - 1:
                self.skip("end")
                if self.pending:
                    lines += ["", *self.pending]
                    self.pending = []
            chunks.append("\n".join(lines) + "\n")
        left = [key for key, found in self.comments.items() if found.leading or found.trailing or found.after]
        if left:
            raise LostComment(f"comments attached to {left[0]!r} were not printed")
        return "\n".join(chunks)


def dump(documents: list[dict], comments: Comments | None = None) -> str:
    """Canonical DSL for schema-valid spec data (one or more services), comments put back."""
    return _Printer(comments).dump(documents)
