"""The .slo DSL front end and printer: statements -> the same plain data as the YAML format.

`load_all(text)` gives documents (data + source map, 1-based spans on every value) or
raises ParseError; `dump(documents)` prints spec data as canonical DSL. The grammar lives in
grammar/slospec.lark (LALR, built once per process).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from slospec.diagnostics import Pointer, Span
from slospec.document import ParseError, SourceMap

TOP_LEVEL = ("service", "operations", "sli", "slo", "sla")
COLLECTIONS = {"sli": "slis", "slo": "slos", "sla": "slas"}
# Lists of objects are written one item per statement, with the singular word and, where
# the object has one, its identifying field as the argument.
ITEMS = {
    "dependency": ("dependencies", "name"),
    "exclusion": ("exclusions", "name"),
    "credit": ("credits", None),
    "support": ("support", "priority"),
    "tier": ("tiers", "severity"),
}
ITEM_FOR_LIST = {plural: (word, key) for word, (plural, key) in ITEMS.items()}
WORDS = {"true": True, "false": False, "null": None}
_WORD_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_./:+-]*$")
_DURATION_RE = re.compile(r"^(?:\d+(?:\.\d+)?(?:ms|[wdhms]))+$")
_PERCENT_RE = re.compile(r"^-?\d+(?:\.\d+)?%$")
_NUMBER_RE = re.compile(r"^-?\d+(?:\.\d+)?$")

EXPECTED_WORDS = {
    "WORD": "a word", "STRING": 'a "quoted string"', "RAW": "a 'raw string'", "PERCENT": "a percentage like 99.9%",
    "DURATION": "a duration like 30d", "NUMBER": "a number", "LBRACE": "'{'", "RBRACE": "'}'", "LSQB": "'['",
    "RSQB": "']'", "COMMA": "','", "_NL": "the end of the line", "$END": "the end of the file",
}


@dataclass
class DslDocument:
    data: dict
    source_map: SourceMap = field(default_factory=SourceMap)


@functools.cache
def parser():
    """The LALR parser, built once per process (cached per user: slospec/grammar_cache.py)."""
    from slospec import grammar_cache, resources

    options = dict(parser="lalr", propagate_positions=True, maybe_placeholders=False)
    return grammar_cache.load_parser(resources.read_text("grammar/slospec.lark"), options)


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
        return (int(text) if re.fullmatch(r"-?\d+", text) else Decimal(text)), token
    return WORDS.get(text, text) if text in WORDS else text, token


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


class _Builder:
    def __init__(self) -> None:
        self.documents: list[DslDocument] = []

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
        out: dict = into if into is not None else {}
        for statement in block.children:
            self.statement(statement, pointer, doc, out)
        return out

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
            self.block(block, at, doc, item)
            items.append(item)
            return
        if key in out:
            first = doc.source_map.keys.get(pointer + (key,))
            where = f" (first at line {first.line})" if first else ""
            self.fail(f"duplicate key '{key}'{where}", _span(key_token))
        doc.source_map.keys[pointer + (key,)] = _span(key_token)
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
            self.fail(f"unknown statement '{key}'; a file holds service, operations, sli, slo and sla "
                      "statements", _span(key_token))
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
            doc.data["operations"] = self.block(block, ("operations",), doc)
            return
        plural = COLLECTIONS[key]
        items = doc.data.setdefault(plural, [])
        at = (plural, len(items))
        doc.source_map.values.setdefault((plural,), span)
        doc.source_map.values[at] = span
        item: dict = {}
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
            self.fail(f"expected '{key} NAME {{ ... }}'" + (" or 'slo NAME 99.9% of SLI over 28d'" if key == "slo" else ""),
                      span)
        if kinds[4] != "duration":
            self.fail("expected a duration like 30d after 'over'", _span(args[4].children[0]))
        item["target"] = self.value(args[0], at + ("target",), doc)
        item["sli"] = self.value(args[2], at + ("sli",), doc)
        item["window"] = self.value(args[4], at + ("window",), doc)


def _friendly(exc: Exception, text: str) -> ParseError:
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

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
        char = text[exc.pos_in_stream] if exc.pos_in_stream < len(text) else ""
        hint = ""
        if char in "\"'":
            hint = "; a string must end on the same line"
        elif char.isdigit():
            hint = "; numbers are written 99.9, 99.9% or durations like 30d, 1h30m, 300ms"
        return ParseError(f"unexpected character {char!r}{hint}", Span.point(line, column))
    if isinstance(exc, UnexpectedEOF):
        return ParseError("unexpected end of the file; a '{' is not closed", Span.point(line, column))
    return ParseError(f"syntax error: {exc}", Span.point(line, column))


def load_all(text: str) -> list[DslDocument]:
    from lark.exceptions import LarkError

    try:
        tree = parser().parse(text if text.endswith("\n") else text + "\n")
    except LarkError as exc:
        raise _friendly(exc, text) from None
    builder = _Builder()
    for statement in tree.children:
        builder.top(statement)
    return builder.documents


# ---------------------------------------------------------------- printing


def scalar_text(value: Any) -> str:
    from slospec.quantities import format_decimal

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


Comments = dict  # (document index, pointer) -> ([leading comment lines], trailing comment)


class _Printer:
    """Prints data as DSL; `comments` re-attaches comments to the statements they sat on."""

    def __init__(self, comments: Comments | None = None) -> None:
        self.comments = comments or {}
        self.doc = 0

    def emit(self, out: list[str], pad: str, pointer: Pointer, line: str) -> None:
        leading, trailing = self.comments.get((self.doc, pointer), ((), None))
        out += [f"{pad}{c}" for c in leading]
        out.append(f"{line}  {trailing}" if trailing else line)

    def lines(self, mapping: dict, indent: int, pointer: Pointer, skip: tuple = ()) -> list[str]:
        pad = "  " * indent
        out: list[str] = []
        for key, value in mapping.items():
            if key in skip:
                continue
            at = pointer + (key,)
            if isinstance(value, dict):
                if not value:
                    self.emit(out, pad, at, f"{pad}{key} {{}}")
                else:
                    self.emit(out, pad, at, f"{pad}{key} {{")
                    out += self.lines(value, indent + 1, at)
                    out.append(f"{pad}}}")
            elif isinstance(value, list) and key in ITEM_FOR_LIST and value and all(isinstance(v, dict) for v in value):
                word, id_field = ITEM_FOR_LIST[key]
                for index, item in enumerate(value):
                    head = f"{pad}{word}" + (f" {scalar_text(item[id_field])}" if id_field else "")
                    rest = {k: v for k, v in item.items() if k != id_field}
                    if rest:
                        self.emit(out, pad, at + (index,), head + " {")
                        out += self.lines(rest, indent + 1, at + (index,))
                        out.append(f"{pad}}}")
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
        if (sentence and isinstance(obj.get("target"), str) and _PERCENT_RE.match(obj["target"])
                and isinstance(obj.get("window"), str) and isinstance(obj.get("sli"), str)):
            head += f" {obj['target']} of {scalar_text(obj['sli'])} over {obj['window']}"
            skip = ("name", "target", "sli", "window")
        body = self.lines(obj, 1, pointer, skip)
        out: list[str] = []
        self.emit(out, "", pointer, head + (" {" if body else ""))
        if body:
            out += [*body, "}"]
        return out

    def dump(self, documents: list[dict]) -> str:
        chunks = []
        for self.doc, data in enumerate(documents):
            lines = self.object("service", data["service"], ("service",))
            if "operations" in data:
                lines.append("")
                self.emit(lines, "", ("operations",), "operations {")
                lines += [*self.lines(data["operations"], 1, ("operations",)), "}"]
            for key, word in (("slis", "sli"), ("slos", "slo"), ("slas", "sla")):
                for index, obj in enumerate(data.get(key, [])):
                    lines += ["", *self.object(word, obj, (key, index), sentence=word == "slo")]
            end, _ = self.comments.get((self.doc, "end"), ((), None))
            if end:
                lines += ["", *end]
            chunks.append("\n".join(lines) + "\n")
        return "\n".join(chunks)


def dump(documents: list[dict], comments: Comments | None = None) -> str:
    """Canonical DSL for schema-valid spec data (one or more services)."""
    return _Printer(comments).dump(documents)


def comments_of(text: str, documents: list[DslDocument]) -> Comments:
    """Attach each comment to the statement it precedes or ends (by line), per document."""
    starts: list[tuple[int, int, Pointer]] = []  # (line, document, pointer) of every statement
    for index, doc in enumerate(documents):
        for pointer, span in doc.source_map.keys.items():
            starts.append((span.line, index, pointer))
        for pointer, span in doc.source_map.values.items():
            if pointer and (isinstance(pointer[-1], int) or pointer in (("service",), ("operations",))):
                starts.append((span.line, index, pointer))
    first_on_line: dict[int, tuple[int, Pointer]] = {}
    for line, index, pointer in sorted(starts, key=lambda s: (s[0], len(s[2]))):
        first_on_line.setdefault(line, (index, pointer))
    out: Comments = {}
    pending: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("#"):
            pending.append(stripped)
            continue
        if number in first_on_line:
            index, pointer = first_on_line[number]
            leading, trailing = out.get((index, pointer), ([], None))
            leading = leading + pending
            pending = []
            match = re.search(r"\s#.*$", _without_strings(raw))
            if match:
                trailing = raw[match.start():].strip()
            out[(index, pointer)] = (leading, trailing)
    if pending:
        last = max(range(len(documents)), default=0)
        out[(last, "end")] = (pending, None)
    return out


def _without_strings(line: str) -> str:
    """Blank out quoted text so a '#' inside a string is not taken for a comment."""
    return re.sub(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'', lambda m: " " * len(m.group(0)), line)
