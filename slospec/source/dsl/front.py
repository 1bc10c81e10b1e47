"""The .slo DSL front end: statements -> the same plain data as the YAML format.

`load_all(text)` gives documents (data + source map, 1-based spans on every value, and the
layout of statements and closing braces that `dslcomments` hangs comments on) or raises
ParseError. The printer is `dslout`; the grammar lives in grammar/slospec.lark (LALR; its
parser is generated into slospec/source/dsl/parser.py).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from slospec.diagnostics import Pointer, Span
from slospec.source.document import ParseError, SourceMap
from slospec.source.dsl.syntax import (  # noqa: F401 - the words of the language, shared with the printer
    _DURATION_RE,
    _NUMBER_RE,
    _PERCENT_RE,
    _WORD_RE,
    CALENDAR,
    COLLECTIONS,
    ITEM_FOR_LIST,
    ITEMS,
    TOP_LEVEL,
    WORDS,
)

MAX_DEPTH = 200  # as the YAML front end

EXPECTED_WORDS = {
    "WORD": "a word",
    "STRING": 'a "quoted string"',
    "RAW": "a 'raw string'",
    "PERCENT": "a percentage like 99.9%",
    "DURATION": "a duration like 30d",
    "NUMBER": "a number",
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "LSQB": "'['",
    "RSQB": "']'",
    "COMMA": "','",
    "_NL": "the end of the line",
    "$END": "the end of the file",
}


@dataclass
class DslDocument:
    data: dict
    source_map: SourceMap = field(default_factory=SourceMap)
    # (pointer, span, kind) in source order: kind "block" or "leaf" for a statement (its
    # whole span), "close" for the `}` of a statement's block (pointer + ("}",), a point).
    layout: list = field(default_factory=list)


@functools.cache
def parser():
    """The LALR parser, built once per process from the standalone module generated from
    the grammar (slospec/source/dsl/parser.py): nothing to build or cache at run time."""
    from slospec.source.dsl.parser import Lark_StandAlone

    return Lark_StandAlone()


def _span(item: Any) -> Span:
    if hasattr(item, "end_line") and getattr(item, "end_line", None) is not None and not hasattr(item, "meta"):
        return Span(item.line, item.column, item.end_line, item.end_column)
    meta = item.meta
    return Span(meta.line, meta.column, meta.end_line, meta.end_column)


def _scalar(tree: Any) -> tuple[Any, Any]:
    """(python value, token) for one argument."""
    token = tree.children[0] if hasattr(tree, "children") else tree
    kind = tree.data if hasattr(tree, "data") else token.type.lower()
    text = str(token)
    if kind == "string":
        return _unescape(text[1:-1]), token
    if kind == "raw":
        return text[1:-1], token
    if kind in ("percent", "duration"):
        return text, token
    if kind == "number":
        from slospec.specmodel.numbers import out_of_range, shown

        number = Decimal(text)
        why = out_of_range(number)
        if why is not None:
            raise ParseError(
                f"the number {shown(text)} {why}; slospec reads numbers such as 99.9, 0.001 or 50000000",
                _span(token),
            )
        return (int(text) if re.fullmatch(r"-?\d+", text) else number), token
    return WORDS.get(text, text) if text in WORDS else text, token


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


class _Builder:
    def __init__(self, layout: bool = False) -> None:
        self.documents: list[DslDocument] = []
        self.layout = layout

    def fail(self, message: str, span: Span) -> None:
        raise ParseError(message, span)

    def value(self, arg: Any, pointer: Pointer, doc: DslDocument) -> Any:
        if getattr(arg, "data", None) == "list":
            items = []
            for index, child in enumerate(arg.children):
                value, token = _scalar(child)
                doc.source_map.values[pointer + (index,)] = _span(token)
                items.append(value)
            doc.source_map.values[pointer] = _span(arg)
            return items
        value, token = _scalar(arg)
        doc.source_map.values[pointer] = _span(token)
        return value

    def block(self, block: Any, pointer: Pointer, doc: DslDocument, into: dict | None = None) -> dict:
        if len(pointer) > MAX_DEPTH:  # the walk is recursive; real specs nest a few levels
            self.fail(f"blocks nest deeper than {MAX_DEPTH} levels; refusing to load the file", _span(block))
        out: dict = into if into is not None else {}
        for statement in block.children:
            self.statement(statement, pointer, doc, out)
        return out

    def place(self, doc: DslDocument, pointer: Pointer, statement: Any, block: Any) -> None:
        """Record where a statement (and its block's `}`) sits, for comments (fmt asks for it)."""
        if not self.layout:
            return
        doc.layout.append((pointer, _span(statement), "leaf" if block is None else "block"))
        if block is not None:
            doc.layout.append((pointer + ("}",), Span.point(block.meta.end_line, block.meta.end_column - 1), "close"))

    def statement(self, statement: Any, pointer: Pointer, doc: DslDocument, out: dict) -> None:
        key_token, *rest = statement.children
        key = str(key_token)
        block = rest[-1] if rest and getattr(rest[-1], "data", None) == "block" else None
        args = rest[:-1] if block is not None else rest
        span = _span(statement)
        if block is not None and key in ITEMS and (args or ITEMS[key][1] is None):
            plural, id_field = ITEMS[key]
            items = out.setdefault(plural, [])
            at = pointer + (plural, len(items))
            doc.source_map.values.setdefault(pointer + (plural,), span)
            doc.source_map.keys.setdefault(pointer + (plural,), _span(key_token))
            item: dict = {}
            if id_field is not None:
                if len(args) != 1:
                    self.fail(f"'{key}' takes one {id_field} before its block", span)
                item[id_field] = self.value(args[0], at + (id_field,), doc)
            elif args:
                self.fail(f"'{key}' takes no argument, only a block", span)
            doc.source_map.values[at] = span
            self.place(doc, at, statement, block)
            self.block(block, at, doc, item)
            items.append(item)
            return
        if key in out:
            first = doc.source_map.keys.get(pointer + (key,))
            where = f" (first at line {first.line})" if first else ""
            self.fail(f"duplicate key '{key}'{where}", _span(key_token))
        doc.source_map.keys[pointer + (key,)] = _span(key_token)
        self.place(doc, pointer + (key,), statement, block)
        if block is not None:
            if args:
                self.fail(f"'{key}' takes either a value or a block, not both", span)
            doc.source_map.values[pointer + (key,)] = span
            out[key] = self.block(block, pointer + (key,), doc)
            return
        if len(args) != 1:
            self.fail(f"'{key}' needs exactly one value" + (" (quote text that has spaces)" if args else ""), span)
        out[key] = self.value(args[0], pointer + (key,), doc)

    def top(self, statement: Any) -> None:
        key_token, *rest = statement.children
        key = str(key_token)
        block = rest[-1] if rest and getattr(rest[-1], "data", None) == "block" else None
        args = rest[:-1] if block is not None else rest
        span = _span(statement)
        if key not in TOP_LEVEL:
            self.fail(
                f"unknown statement '{key}'; a file holds service, operations, sli, slo and sla statements",
                _span(key_token),
            )
        if key == "service":
            if len(args) != 1:
                self.fail("expected a service name after 'service', like: service checkout { ... }", span)
            doc = DslDocument({"apiVersion": "slospec/v1"})
            doc.source_map.values[()] = span
            self.documents.append(doc)
            service: dict = {}
            doc.source_map.values[("service",)] = span
            doc.source_map.keys[("service",)] = _span(key_token)
            service["name"] = self.value(args[0], ("service", "name"), doc)
            self.place(doc, ("service",), statement, block)
            if block is not None:
                self.block(block, ("service",), doc, service)
            doc.data["service"] = service
            return
        if not self.documents:
            self.fail(f"'{key}' before any service; start the file with: service NAME {{ ... }}", span)
        doc = self.documents[-1]
        if key == "operations":
            if args or block is None:
                self.fail("expected a block after 'operations', like: operations { scrapeInterval 15s }", span)
            if "operations" in doc.data:
                self.fail("duplicate 'operations' for this service", span)
            doc.source_map.values[("operations",)] = span
            self.place(doc, ("operations",), statement, block)
            doc.data["operations"] = self.block(block, ("operations",), doc)
            return
        plural = COLLECTIONS[key]
        items = doc.data.setdefault(plural, [])
        at = (plural, len(items))
        doc.source_map.values.setdefault((plural,), span)
        doc.source_map.values[at] = span
        item: dict = {}
        self.place(doc, at, statement, block)
        if not args:
            self.fail(f"expected a name after '{key}', like: {key} availability {{ ... }}", span)
        item["name"] = self.value(args[0], at + ("name",), doc)
        if len(args) > 1:
            self.sentence(key, args[1:], at, doc, item, span)
        if block is not None:
            self.block(block, at, doc, item)
        items.append(item)

    def sentence(self, key: str, args: list, at: Pointer, doc: DslDocument, item: dict, span: Span) -> None:
        """`slo NAME 99.9% of SLI over 28d`: the one-line form of an objective."""
        words = [str(a.children[0]) if hasattr(a, "children") and a.children else "" for a in args]
        kinds = [getattr(a, "data", "") for a in args]
        if key == "slo" and words[-1] in ("over", "of"):
            wanted = "a duration like 30d" if words[-1] == "over" else "an SLI name"
            self.fail(f"expected {wanted} after '{words[-1]}'", _span(args[-1].children[0]))
        if key != "slo" or len(args) != 5 or kinds[0] != "percent" or words[1] != "of" or words[3] != "over":
            self.fail(
                f"expected '{key} NAME {{ ... }}'" + (" or 'slo NAME 99.9% of SLI over 28d'" if key == "slo" else ""),
                span,
            )
        item["target"] = self.value(args[0], at + ("target",), doc)
        item["sli"] = self.value(args[2], at + ("sli",), doc)
        if kinds[4] == "word" and words[4] in CALENDAR:
            item["window"] = {"calendar": self.value(args[4], at + ("window", "calendar"), doc)}
            doc.source_map.values[at + ("window",)] = _span(args[4].children[0])
        elif kinds[4] == "duration":
            item["window"] = self.value(args[4], at + ("window",), doc)
        else:
            self.fail(
                "expected a duration like 30d after 'over', or a calendar period (" + ", ".join(CALENDAR) + ")",
                _span(args[4].children[0]),
            )


# A .slo file whose first statement is a YAML key: the spec was meant for the YAML front end.
_LOOKS_LIKE_YAML = re.compile(r"\A(?:\s*#[^\n]*\n|\s*\n)*\s*(?:apiVersion|kind|service|slis|slos)\s*:")


def _friendly(exc: Exception, text: str) -> ParseError:
    error = _friendly_error(exc, text)
    if _LOOKS_LIKE_YAML.match(text):
        error = ParseError(
            f"{error.message}; this file looks like YAML: a YAML spec's name ends in "
            ".slo.yaml (rename it), a .slo file holds the DSL",
            error.span,
        )
    return error


def _friendly_error(exc: Exception, text: str) -> ParseError:
    from slospec.source.dsl.parser import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

    line = getattr(exc, "line", 1) or 1
    column = getattr(exc, "column", 1) or 1
    if isinstance(exc, UnexpectedToken):
        token = exc.token
        found = {"$END": "end of the file", "_NL": "end of the line"}.get(token.type, f"'{token}'")
        expected = sorted({EXPECTED_WORDS.get(t, t) for t in exc.expected if not t.startswith("__")})
        hint = f"; expected {', '.join(expected[:4])}" if expected else ""
        if token.type == "$END":
            lines = text.splitlines() or [""]
            line, column = len(lines), len(lines[-1]) + 1
        return ParseError(f"unexpected {found}{hint}", Span.point(line, column))
    if isinstance(exc, UnexpectedCharacters):
        pos = exc.pos_in_stream
        char = text[pos] if pos is not None and pos < len(text) else ""
        hint = ""
        if char in "\"'":
            hint = "; a string must end on the same line"
        elif char.isdigit():
            hint = "; numbers are written 99.9, 99.9% or durations like 30d, 1h30m, 300ms"
        elif char in "=~!()*<>^":
            hint = _quote_hint(text.split("\n")[line - 1] if line <= text.count("\n") + 1 else "")
        return ParseError(f"unexpected character {char!r}{hint}", Span.point(line, column))
    if isinstance(exc, UnexpectedEOF):
        return ParseError("unexpected end of the file; a '{' is not closed", Span.point(line, column))
    return ParseError(f"syntax error: {exc}", Span.point(line, column))


def _quote_hint(line: str) -> str:
    """`bad rate(x{code="5.."}[5m])` fails inside the query: suggest the line with it quoted."""
    key, _, rest = line.strip().partition(" ")
    rest = rest.split(" #", 1)[0].strip()
    example = f"{key} '{rest}'" if rest and "'" not in rest else "total 'http_requests_total{code=\"500\"}'"
    return f"; PromQL (and any text with symbols) must be quoted, like: {example}"


def load_all(text: str, layout: bool = False) -> list[DslDocument]:
    """The documents of `text`; with `layout`, each also lists where its statements and `}` sit."""
    from slospec.source.dsl.parser import LarkError

    try:
        tree = parser().parse(text if text.endswith("\n") else text + "\n")
    except LarkError as exc:
        raise _friendly(exc, text) from None
    builder = _Builder(layout)
    for statement in tree.children:
        builder.top(statement)
    return builder.documents


def dump(documents: list[dict], comments: Any = None) -> str:
    """Canonical DSL for schema-valid spec data (the printer lives in `dslout`)."""
    from slospec.source.dsl import printer as dslout

    return dslout.dump(documents, comments)
