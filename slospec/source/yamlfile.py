"""Fast YAML front end: C-composed nodes -> plain data and a source map, with strict checks.

The lint path never pays for ruamel's round-trip loader (about 4 ms per small file): the
C parser composes nodes that carry positions, and one walk over them builds the plain data
and the source map together. Round-trip loading lives with the formatter, which needs it.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from slospec.diagnostics import Pointer, Span
from slospec.records import record
from slospec.source.document import ParseError, SourceMap

# Limits that keep hostile input cheap (a "billion laughs" alias bomb expands to far more
# than this; real specs hold a few hundred nodes).
MAX_NODES = 200_000
MAX_DEPTH = 200

_TAG = "tag:yaml.org,2002:"


class YamlError(ParseError):
    """A file that is not well-formed YAML (or breaks a limit); carries where and why."""


@record(frozen=False)
class YamlDocument:
    data: Any
    source_map: SourceMap
    span: Span


def _parser_class():
    # Imported here so that commands which never read YAML do not pay for ruamel.
    try:
        from _ruamel_yaml import CParser  # the C extension from ruamel.yaml.clib
    except ImportError:  # pragma: no cover - pure-Python fallback (PyPy, no wheel)
        CParser = None
    from ruamel.yaml.resolver import VersionedResolver

    if CParser is None:  # pragma: no cover
        from ruamel.yaml.composer import Composer
        from ruamel.yaml.parser import Parser
        from ruamel.yaml.reader import Reader
        from ruamel.yaml.scanner import Scanner

        class PureLoader(Reader, Scanner, Parser, Composer, VersionedResolver):
            def __init__(self, stream: str):
                self.loader = self
                Reader.__init__(self, stream, loader=self)
                Scanner.__init__(self, loader=self)
                Parser.__init__(self, loader=self)
                Composer.__init__(self, loader=self)
                VersionedResolver.__init__(self, loader=self)

        return PureLoader

    # Events need no resolver: plain scalars are resolved by _resolve_plain below.
    return CParser


_LOADER = None


def _error_from(exc: Exception, text: str) -> YamlError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).strip().splitlines()[0]
    context = getattr(exc, "context", None)
    message = f"{context}: {problem}" if context and problem else problem or str(exc)
    # ruamel's ReaderError (NUL bytes, control characters) has a position but no mark.
    position = getattr(exc, "position", None)
    if mark is None and position is not None:
        # ruamel's ReaderError (NUL bytes, control characters) gives a character offset.
        before = text[:position]
        line = before.count("\n") + 1
        column = position - (before.rfind("\n") + 1) + 1
        reason = getattr(exc, "reason", "unacceptable character")
        char = getattr(exc, "character", "")
        code = f" #x{ord(char):04x}" if isinstance(char, str) and len(char) == 1 else ""
        return YamlError(f"invalid YAML: {reason}{code}", Span.point(line, column))
    message += _hint(problem or "", text, mark)
    if mark is None:
        return YamlError(f"invalid YAML: {message}", Span.point(1, 1))
    return YamlError(f"invalid YAML: {message}", Span.point(mark.line + 1, mark.column + 1))


def _hint(problem: str, text: str, mark: Any) -> str:
    """What to write instead, for the YAML slips people make most."""
    if "cannot start any token" in problem and mark is not None:
        lines = text.splitlines()
        if mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]:
            return "; YAML indents with spaces, never tabs: replace the tab with spaces"
    if "mapping values are not allowed" in problem:
        return (
            "; a value that holds ': ' must be quoted (description: \"a: b\"), or a key is indented under a plain value"
        )
    if (
        "expected '-' indicator" in problem
        or "expected <block end>" in problem
        or "did not find expected key" in problem
    ):
        return "; check this line's indentation: the entries of one list or mapping start in the same column"
    if text.lstrip().startswith("service ") and "{" in text.split("\n", 1)[0]:
        return "; this file looks like the .slo DSL: a DSL spec's file name ends in .slo (rename it)"
    return ""


def _mark_span(start: Any, end: Any) -> Span:
    return _new_tuple(Span, (start.line + 1, start.column + 1, end.line + 1, end.column + 1))


# A Span straight from its four fields: the NamedTuple's own __new__ is a Python function,
# called once per value and key of every file.
_new_tuple = tuple.__new__


def load_all(text: str, max_values: int = MAX_NODES) -> list[YamlDocument]:
    """Parse every document of a YAML stream; raise YamlError for the first problem."""
    global _LOADER
    if _LOADER is None:
        _LOADER = _parser_class()
    from ruamel.yaml.error import YAMLError

    try:
        return _Builder(_LOADER(text), text, max_values).documents()
    except YAMLError as exc:
        raise _error_from(exc, text) from None


class _Frame:
    """A mapping or sequence being built; `key` holds a mapping key awaiting its value."""

    __slots__ = ("value", "pointer", "start", "is_map", "key", "key_span", "anchor", "size", "merges", "first_keys")

    def __init__(self, value: Any, pointer: Pointer, start: Any, anchor: str | None):
        self.value = value
        self.pointer = pointer
        self.start = start
        self.is_map = isinstance(value, dict)
        self.key: Any = _NO_KEY
        self.key_span: Span | None = None
        self.anchor = anchor
        self.size = 1
        self.merges: list[tuple[Any, Span]] = []
        self.first_keys: dict[str, Span] = {}


_NO_KEY = object()
_MERGE = object()


class _Builder:
    """Builds plain data and the source map straight from C parser events.

    Event-driven and iterative on purpose: the C composer recurses once per nesting level
    and crashes the interpreter on a few thousand levels, and building nodes first would
    walk every value twice. Aliases share the anchored value (so an alias bomb costs no
    memory) and are counted at their expanded size, which is capped.
    """

    def __init__(self, loader: Any, text: str, max_values: int = MAX_NODES) -> None:
        self.loader = loader
        self.text = text
        self.max_values = max_values

    def documents(self) -> list[YamlDocument]:
        # The hot loop of the lint path (one pass per event of every file): events are told
        # apart by class, spans are built inline and the common scalar case comes first.
        loader = self.loader
        check_event, get_event = loader.check_event, loader.get_event
        new_tuple, span_class = _new_tuple, Span
        max_values = self.max_values
        out: list[YamlDocument] = []
        stack: list[_Frame] = []
        anchors: dict[str, tuple[Any, int]] = {}
        source_map = SourceMap()
        values, keys = source_map.values, source_map.keys
        doc_start = None
        root: Any = None
        total = 0
        kinds = _KINDS
        while check_event():
            event = get_event()
            kind = kinds.get(type(event))
            if kind is None:
                kind = kinds[type(event)] = _kind_of(type(event).__name__)
            start = event.start_mark
            parent = stack[-1] if stack else None
            if kind == _SCALAR and parent is not None and parent.is_map and parent.key is _NO_KEY:
                # A mapping key.
                end = event.end_mark
                key_span = new_tuple(span_class, (start.line + 1, start.column + 1, end.line + 1, end.column + 1))
                if event.tag is None and event.value == "<<" and event.implicit[0]:
                    parent.key = _MERGE
                else:
                    key = str(event.value)
                    first = parent.first_keys.get(key)
                    if first is not None:
                        raise YamlError(
                            f"duplicate key {key!r} (first defined at line {first.line}, column {first.column})",
                            key_span,
                        )
                    parent.first_keys[key] = key_span
                    parent.key = key
                    keys[parent.pointer + (key,)] = key_span
                parent.key_span = key_span
                continue
            if kind == _DOC_START:
                source_map, anchors, total, root = SourceMap(), {}, 0, None
                values, keys = source_map.values, source_map.keys
                doc_start = start
                continue
            if kind == _DOC_END:
                out.append(YamlDocument(root, source_map, _mark_span(doc_start, event.end_mark)))
                continue
            if kind == _IGNORED:
                continue
            if kind == _END:
                frame = stack.pop()
                if frame.merges:
                    _apply_merges(frame)
                values[frame.pointer] = _mark_span(frame.start, event.end_mark)
                if frame.anchor is not None:
                    anchors[frame.anchor] = (frame.value, frame.size)
                if stack:
                    _attach(stack[-1], frame.value, frame.size, event.end_mark, frame.start)
                else:
                    root = frame.value
                continue
            if parent is not None and parent.is_map and parent.key is _NO_KEY:
                raise YamlError("a mapping key must be a plain scalar", _mark_span(start, event.end_mark))

            # A value starts: work out its pointer from the enclosing container.
            if parent is None:
                pointer: Pointer = ()
            elif parent.is_map:
                pointer = parent.pointer + (parent.key,) if parent.key is not _MERGE else parent.pointer + ("<<",)
            else:
                pointer = parent.pointer + (len(parent.value),)

            if kind == _SCALAR:
                tag = event.tag
                text = event.value
                if tag is None:
                    tag = _resolve_plain(text) if event.implicit[0] else _STR
                elif tag == "!":
                    tag = _STR
                end = event.end_mark
                span = new_tuple(span_class, (start.line + 1, start.column + 1, end.line + 1, end.column + 1))
                value = text if tag == _STR else _scalar(tag, text, span)
                total += 1
                if total > max_values:
                    self._check_total(total, event)
                values[pointer] = span
                if event.anchor is not None:
                    anchors[event.anchor] = (value, 1)
                if parent is not None:
                    _attach(parent, value, 1, end, start)
                else:
                    root = value
                continue
            if kind == _ALIAS:
                if event.anchor not in anchors:
                    raise YamlError(f"unknown alias *{event.anchor}", _mark_span(start, event.end_mark))
                value, size = anchors[event.anchor]
                total += size
                self._check_total(total, event)
                values[pointer] = _mark_span(start, event.end_mark)
                if parent is not None:
                    _attach(parent, value, size, event.end_mark, start)
                else:
                    root = value
                continue
            # Mapping or sequence start.
            is_map = kind == _MAP_START
            tag = event.tag
            expected = _TAG + ("map" if is_map else "seq")
            if tag not in (None, "!", expected):
                raise YamlError(
                    f"unsupported YAML tag {tag}: slospec reads plain data only and never constructs tagged objects",
                    _mark_span(start, event.end_mark),
                )
            if len(stack) >= MAX_DEPTH:
                raise YamlError(
                    f"document nests deeper than {MAX_DEPTH} levels; refusing to load it",
                    _mark_span(start, event.end_mark),
                )
            total += 1
            self._check_total(total, event)
            stack.append(_Frame({} if is_map else [], pointer, start, event.anchor))
        return out

    def _check_total(self, total: int, event: Any) -> None:
        if total > self.max_values:
            raise YamlError(
                f"document expands to more than {self.max_values} values (through aliases or "
                "sheer size); refusing to load it (max-values in the configuration)",
                _mark_span(event.start_mark, event.end_mark),
            )


def _attach(parent: _Frame, value: Any, size: int, end_mark: Any, start_mark: Any) -> None:
    """A finished value goes into its container (a `<<` value waits for the mapping's end)."""
    parent.size += size
    if parent.is_map:
        if parent.key is _MERGE:
            parent.merges.append((value, _mark_span(start_mark, end_mark)))
        else:
            parent.value[parent.key] = value
        parent.key = _NO_KEY
    else:
        parent.value.append(value)


# Event kinds, told apart by class (the C parser's events are ruamel.yaml.events classes).
_SCALAR, _MAP_START, _SEQ_START, _END, _ALIAS, _DOC_START, _DOC_END, _IGNORED = range(8)
_KIND_BY_NAME = {
    "ScalarEvent": _SCALAR,
    "MappingStartEvent": _MAP_START,
    "SequenceStartEvent": _SEQ_START,
    "MappingEndEvent": _END,
    "SequenceEndEvent": _END,
    "AliasEvent": _ALIAS,
    "DocumentStartEvent": _DOC_START,
    "DocumentEndEvent": _DOC_END,
    "StreamStartEvent": _IGNORED,
    "StreamEndEvent": _IGNORED,
}
_KINDS: dict[type, int] = {}  # filled on first sight of each class


def _kind_of(name: str) -> int:
    kind = _KIND_BY_NAME.get(name)
    if kind is None:  # pragma: no cover - an event class this builder does not know
        raise YamlError(f"unexpected YAML event {name}", Span.point(1, 1))
    return kind


def _apply_merges(frame: _Frame) -> None:
    """YAML `<<` merge keys: explicit keys win, earlier merge sources win over later ones."""
    for value, span in frame.merges:
        sources = value if isinstance(value, list) else [value]
        for source in sources:
            if not isinstance(source, dict):
                raise YamlError("a `<<` merge key needs a mapping or a list of mappings", span)
            for key, item in source.items():
                frame.value.setdefault(key, item)


_STR = _TAG + "str"
# YAML 1.2 core schema for plain scalars (plus `_` digit separators, which ruamel accepts).
_PLAIN = (
    (re.compile(r"^(?:~|null|Null|NULL|)$"), _TAG + "null"),
    (re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), _TAG + "bool"),
    (re.compile(r"^(?:[-+]?[0-9][0-9_]*|0o[0-7_]+|0x[0-9a-fA-F_]+)$"), _TAG + "int"),
    (
        re.compile(
            r"^(?:[-+]?(?:\.[0-9_]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
        ),
        _TAG + "float",
    ),
)
_FIRST = frozenset("~nNtTfF0123456789+-.")


def _resolve_plain(value: str) -> str:
    if not value:
        return _TAG + "null"
    if value[0] not in _FIRST:
        return _STR
    for pattern, tag in _PLAIN:
        if pattern.match(value):
            return tag
    return _STR


def _bounded(number: Decimal, text: str, span: Span) -> None:
    """A number too large, small or long for exact arithmetic is refused where it is written."""
    from slospec.specmodel.numbers import out_of_range, shown

    why = out_of_range(number)
    if why is not None:
        raise YamlError(
            f"the number {shown(text)} {why}; slospec reads numbers such as 99.9, 0.001 or 50000000",
            span,
        )


def _scalar(tag: str, value: str, span: Span) -> Any:
    if tag == _TAG + "str" or tag == "" or tag == "!":
        return value
    if tag == _TAG + "null":
        return None
    if tag == _TAG + "bool":
        return value.lower() == "true"
    if tag == _TAG + "int":
        text = value.replace("_", "")
        try:
            return int(text)
        except ValueError:
            try:
                return int(text, 0)
            except ValueError:
                return value
    if tag == _TAG + "float":
        text = value.replace("_", "").lower()
        if text in (".inf", "+.inf"):
            return float("inf")
        if text == "-.inf":
            return float("-inf")
        if text == ".nan":
            return float("nan")
        try:
            # Exact decimals from the start: 99.95 stays 99.95, never 99.9499999.
            number = Decimal(text)
        except InvalidOperation:
            return value
        _bounded(number, value, span)
        return number
    if tag in (_TAG + "timestamp", _TAG + "binary", _TAG + "value", _TAG + "yaml"):
        # JSON has no dates: keep the text, as check-jsonschema does.
        return value
    raise YamlError(
        f"unsupported YAML tag {tag}: slospec reads plain data only and never constructs tagged objects",
        span,
    )
