"""ruamel's canonical layout of one YAML document, built from the C parser's events when sure.

The round trip through ruamel (load, dump) costs a few milliseconds per spec; the C parser's
events cost a tenth of that. For the shapes modelled here (a block mapping at the root, block
mappings and sequences below it, one-line scalars of plain text, canonical numbers and
booleans or simple quotes, flat flow collections) the layout ruamel writes is a function of
the events alone, so it is written here directly. Comments and blank lines are only modelled
where ruamel keeps them as written: a document holding any is answered only when its content
is already laid out canonically (the answer is then the document itself). Anything else
(anchors, tags, block scalars, multi-line scalars, nested flows, odd characters, leading blank
lines ...) gives None, and the caller runs the round trip. tests/dsl/test_fmt_fast.py checks
that every answer equals the round trip's, on generated, mutated and real files.
"""

from __future__ import annotations

import re

# Plain scalars ruamel may write differently than read (or resolve to another type) start
# with one of these; they go through the round trip.
_FIRST_BAD = frozenset("-?:,[]{}#&*!|>'\"%@` ")
# Characters ruamel writes as they are, in plain and quoted scalars alike (printable ASCII,
# most of the BMP); anything else (controls, line separators, BOM, astral planes) is declined.
_TEXT = re.compile(r"[\x20-\x7e\xa1-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*")
# A document holding anything else (NEL and the Unicode line separators end lines and
# comments for ruamel, a BOM, tabs, controls) goes to the round trip whole.
_DOCUMENT = re.compile(r"[\n\x20-\x7e\xa1-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*")
_INT = re.compile(r"(?:0|-?[1-9][0-9]*)")  # written back as read: no sign, no leading zero, no _
# ruamel writes a float back through a binary double at the precision it was read with: of
# 15 digits or fewer, a double keeps every one (longer ones come back changed: the round trip's).
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+")
_FLOAT_DIGITS = 15
_COMMENT_TAIL = re.compile(r" +#.*")
_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_MAX_KEY = 100  # ruamel writes keys of 128 characters and more as `? key`
_MAX_LINE = 4000  # ruamel folds lines beyond its width (4096)


class _Decline(Exception):
    """A shape this module does not model: the caller runs the round trip."""


_resolve = None


def _resolver():
    """The round trip's own resolution of a plain scalar (ruamel's VersionedResolver, YAML 1.2
    as it defaults), its tables read once and its answers kept per value."""
    global _resolve
    if _resolve is None:
        from ruamel.yaml.resolver import VersionedResolver

        table = VersionedResolver().versioned_resolver
        anywhere = table.get(None, [])
        known: dict[str, str] = {}

        def resolve(value: str) -> str:
            tag = known.get(value)
            if tag is None:
                tag = _STR
                for suffix, regexp in table.get(value[:1], []) + anywhere:
                    if regexp.match(value):
                        tag = str(suffix)
                        break
                if len(known) < 10_000:
                    known[value] = tag
            return tag

        _resolve = resolve
    return _resolve


def layout(document: str) -> str | None:
    """ruamel's layout of `document` (one YAML document, no markers, `\\n` line ends), or None."""
    if not document.endswith("\n") or not _DOCUMENT.fullmatch(document):
        return None
    lines = document.split("\n")[:-1]
    # Comments and blank (or blank-looking) lines are kept only where written.
    extras = "#" in document or any(not line.strip(" ") for line in lines)
    try:
        canonical = _emit(document)
    except _Decline:
        return None
    except Exception:  # noqa: BLE001 - not well-formed YAML: the round trip reports it
        return None
    if not extras:
        return "\n".join(canonical) + "\n"
    return document if _same_content(lines, canonical) else None


def _same_content(lines: list[str], canonical: list[str]) -> bool:
    """Whether `lines` are `canonical` with comments and blank lines where ruamel keeps them."""
    at = 0
    for line in lines:
        if not line:
            if at == 0:
                return False  # ruamel drops blank lines before the first content line
            continue
        if line[-1] == " ":
            return False  # trailing spaces: ruamel may drop them
        if line.lstrip(" ").startswith("#"):
            continue
        if at == len(canonical):
            return False
        expected = canonical[at]
        at += 1
        if line != expected and not (line.startswith(expected) and _COMMENT_TAIL.fullmatch(line, len(expected))):
            return False
    return at == len(canonical)


def _events(document: str):
    from _ruamel_yaml import CParser

    parser = CParser(document)
    while parser.check_event():
        yield parser.get_event()


def _emit(document: str) -> list[str]:
    """The canonical lines of the document's content (comments aside), or _Decline."""
    events = _events(document)
    next(events)  # the stream's start
    start = next(events)
    if type(start).__name__ != "DocumentStartEvent" or start.explicit or start.version or start.tags:
        raise _Decline
    root = next(events)
    if type(root).__name__ != "MappingStartEvent" or root.flow_style or root.anchor or root.tag:
        raise _Decline
    out: list[str] = []
    _block_map(events, 0, None, out)
    end = next(events)
    if type(end).__name__ != "DocumentEndEvent" or end.explicit or type(next(events)).__name__ != "StreamEndEvent":
        raise _Decline
    return out


def _block_map(events, indent: int, first: str | None, out: list[str]) -> None:
    """A block mapping whose start event was read; `first` prefixes its first line (`- `)."""
    seen: set[str] = set()
    prefix = first if first is not None else " " * indent
    while True:
        event = next(events)
        kind = type(event).__name__
        if kind == "MappingEndEvent":
            if not seen:
                raise _Decline
            return
        if kind != "ScalarEvent":
            raise _Decline  # a complex key
        key = _scalar(event, flow=False, key=True)
        if event.value in seen:
            raise _Decline  # duplicate keys: the round trip refuses them
        seen.add(event.value)
        head = prefix + key + ":"
        prefix = " " * indent
        value = next(events)
        kind = type(value).__name__
        if kind == "ScalarEvent":
            text = _scalar(value, flow=False, key=False, null_ok=True)
            _line(out, head + " " + text if text else head)
        elif kind == "MappingStartEvent" and not value.flow_style:
            _plain_node(value)
            out.append(head)
            _block_map(events, indent + 2, None, out)
        elif kind == "SequenceStartEvent" and not value.flow_style:
            _plain_node(value)
            out.append(head)
            _block_seq(events, indent + 2, out)
        else:
            _line(out, head + " " + _flow(events, value))


def _block_seq(events, indent: int, out: list[str]) -> None:
    """A block sequence whose start event was read; its dashes in column `indent`."""
    dash = " " * indent + "- "
    count = 0
    while True:
        event = next(events)
        kind = type(event).__name__
        if kind == "SequenceEndEvent":
            if not count:
                raise _Decline
            return
        count += 1
        if kind == "ScalarEvent":
            _line(out, dash + _scalar(event, flow=False, key=False))
        elif kind == "MappingStartEvent" and not event.flow_style:
            _plain_node(event)
            _block_map(events, indent + 2, dash, out)
        elif kind == "SequenceStartEvent" and not event.flow_style:
            raise _Decline  # a list in a list: ruamel's `-   -` layout is not modelled
        else:
            _line(out, dash + _flow(events, event))


def _flow(events, start) -> str:
    """A flow collection of scalars, written on one line as ruamel does (`[a, b]`, `{k: v}`)."""
    kind = type(start).__name__
    if kind not in ("MappingStartEvent", "SequenceStartEvent"):
        raise _Decline  # an alias
    _plain_node(start)
    is_map = kind == "MappingStartEvent"
    items: list[str] = []
    seen: set[str] = set()
    while True:
        event = next(events)
        name = type(event).__name__
        if name in ("MappingEndEvent", "SequenceEndEvent"):
            break
        if name != "ScalarEvent":
            raise _Decline  # nested collections: ruamel rewrites them (`[a, b: c]`)
        text = _scalar(event, flow=True, key=is_map)
        if is_map:
            if event.value in seen:
                raise _Decline
            seen.add(event.value)
            value = next(events)
            if type(value).__name__ != "ScalarEvent":
                raise _Decline
            text += ": " + _scalar(value, flow=True, key=False)
        items.append(text)
    return ("{%s}" if is_map else "[%s]") % ", ".join(items)


def _plain_node(event) -> None:
    if event.anchor is not None or event.tag is not None:
        raise _Decline


def _line(out: list[str], line: str) -> None:
    if len(line) > _MAX_LINE:
        raise _Decline
    out.append(line)


def _scalar(event, flow: bool, key: bool, null_ok: bool = False) -> str:
    """How ruamel writes this scalar back, or _Decline."""
    if event.anchor is not None or event.tag is not None or event.start_mark.line != event.end_mark.line:
        raise _Decline
    value = event.value
    style = event.style
    if not _TEXT.fullmatch(value) or (key and not 0 < len(value) <= _MAX_KEY):
        raise _Decline
    if style == "'":
        if not value or value[0] == " " or value[-1] == " ":
            raise _Decline
        return "'" + value.replace("'", "''") + "'"
    if style == '"':
        if not value or '"' in value or "\\" in value or value[0] == " " or value[-1] == " ":
            raise _Decline
        return '"' + value + '"'
    if style:
        raise _Decline  # a block scalar
    tag = _resolver()(value)
    if tag == _STR:
        if value[0] in _FIRST_BAD or value.startswith(("---", "...")) or ": " in value or value[-1] == ":":
            raise _Decline
        if " #" in value or (flow and any(c in value for c in ",[]{}")):
            raise _Decline
        return value
    if key:
        raise _Decline  # non-text keys (numbers, booleans, null, merge keys)
    if tag == _NULL:
        if null_ok and not flow:
            return ""  # ruamel writes `key:` for every null it reads
        raise _Decline
    if tag == _INT_TAG and _INT.fullmatch(value):
        return value
    if tag == _FLOAT_TAG and _FLOAT.fullmatch(value) and len(value) - 1 - (value[0] == "-") <= _FLOAT_DIGITS:
        return value
    if tag == _BOOL_TAG and value in ("true", "false"):
        return value
    raise _Decline
