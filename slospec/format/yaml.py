"""Canonical layout of .slo.yaml text, document by document, never dropping a comment.

ruamel's round-trip dumper gives the layout and keeps most comments, but not those inside
a flow collection written over several lines, nor those on document markers (`---`, `...`)
or directives (`%YAML`). So the stream is cut at its markers, which are kept as written, and
each document is laid out alone. A flow collection holding a comment is set aside while the
rest of its document is laid out, then put back as written (its lines moved with it); a
document that still would not keep its comments, data and layout is kept exactly as written.
"""

from __future__ import annotations

import io
import re

# YAML ends a comment at any of these (ruamel follows YAML 1.1 here).
_BREAKS = re.compile(r"[\r\n\x85\u2028\u2029]")
_MARKER = re.compile(r"^(?:---|\.\.\.)(?=[ \t]|$)")
_NOT_CONTENT = re.compile(r"^(?:[ \t]*(?:#.*)?|%.*)$")


def comments(text: str) -> list[str]:
    """Every comment of a YAML text, in order: a `#` outside every token the scanner reads."""
    if "#" not in text:
        return []
    spans = []
    for token in _tokens(text):
        start, end = token.start_mark.index, token.end_mark.index
        if end > start:
            spans.append((start, end))
    out: list[str] = []
    at = index = 0
    while True:
        hash_at = text.find("#", at)
        if hash_at < 0:
            return out
        while index < len(spans) and spans[index][1] <= hash_at:
            index += 1
        if index < len(spans) and spans[index][0] <= hash_at:
            at = spans[index][1]
            continue
        end = _BREAKS.search(text, hash_at)
        stop = end.start() if end else len(text)
        out.append(text[hash_at:stop].rstrip(" \t"))
        at = stop


def _tokens(text: str):
    """The scanner's tokens (libyaml's when installed: its marks count characters, as ours do)."""
    try:
        from _ruamel_yaml import CParser
    except ImportError:  # pragma: no cover - ruamel.yaml.clib is a dependency, but optional upstream
        from ruamel.yaml import YAML

        yield from YAML(typ="safe", pure=True).scan(text)
        return
    parser = CParser(text)
    while (token := parser.get_token()) is not None:
        yield token


def _ruamel(document: str) -> str | None:
    """ruamel's layout of one document; None when it holds no data (a parked, commented-out
    spec) or ruamel refuses it."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    try:
        data = yaml.load(document)
        if data is None:
            return None
        out = io.StringIO()
        yaml.dump(data, out)
    except Exception:  # noqa: BLE001 - ruamel refuses odd shapes; the document stays as written
        return None
    return out.getvalue()


def _layout(document: str, fast: bool = True) -> str:
    """One document (no markers) laid out, keeping every comment; as written when it cannot be.
    The events' layout (fmtfast) answers first when it is sure; else ruamel's round trip."""
    if fast:
        from slospec.format.fast import layout

        result = layout(document)
        if result is not None:
            return result
    if _commented_flows(document):
        # ruamel drops or misplaces comments inside flow collections (at best unstably).
        held = _with_flows_held(document)
        if held is None or held != document and _with_flows_held(held) != held:
            return document  # a layout that would change again on the next run is not kept
        return held
    result = _ruamel(document)
    if result is None or comments(result) != comments(document):
        return document
    return result


_FLOW_START = ("FlowMappingStartToken", "FlowSequenceStartToken")
_FLOW_END = ("FlowMappingEndToken", "FlowSequenceEndToken")
_HOLD = "slospec-held-flow-{}"


def _with_flows_held(document: str) -> str | None:
    """The document laid out with each outermost flow collection that holds a comment and
    spans lines set aside (a plain placeholder in its place), then put back as written, its
    continuation lines moved as far as its first one moved. None unless that keeps the
    comments and the data."""
    regions = _commented_flows(document)
    if not regions or _HOLD.format("") in document:
        return None
    held, at = [], 0
    for number, (start, end) in enumerate(regions):
        held.append(document[at:start] + _HOLD.format(number))
        at = end
    laid = _ruamel("".join(held) + document[at:])
    if laid is None:
        return None
    for number, (start, end) in enumerate(regions):
        placeholder = _HOLD.format(number)
        where = laid.find(placeholder)
        if where < 0 or laid.count(placeholder) != 1:
            return None
        shift = _column(laid, where) - _column(document, start)
        flow = document[start:end].split("\n")
        flow[1:] = [_shifted(line, shift) for line in flow[1:]]
        laid = laid[:where] + "\n".join(flow) + laid[where + len(placeholder) :]
    if any(_MARKER.match(line) for line in laid.split("\n")):
        return None  # ruamel ends a document that is one scalar with `...`: the stream would split
    if comments(laid) != comments(document) or not _same_data(laid, document):
        return None
    return laid


def _commented_flows(document: str) -> list[tuple[int, int]]:
    """(start, end) of each outermost flow collection written over several lines with a comment."""
    if "#" not in document or ("[" not in document and "{" not in document):
        return []
    regions, depth, start = [], 0, 0
    try:
        for token in _tokens(document):
            name = type(token).__name__
            if name in _FLOW_START:
                if depth == 0:
                    start = token.start_mark.index
                depth += 1
            elif name in _FLOW_END and depth:
                depth -= 1
                end = token.end_mark.index
                if depth == 0 and "\n" in document[start:end] and comments(document[start:end]):
                    regions.append((start, end))
    except Exception:  # noqa: BLE001 - a scanner error: nothing is held
        return []
    return regions


def _column(text: str, index: int) -> int:
    return index - (text.rfind("\n", 0, index) + 1)


def _shifted(line: str, shift: int) -> str:
    if shift >= 0:
        return " " * shift + line if line.strip() else line
    indent = len(line) - len(line.lstrip(" "))
    return line[min(indent, -shift) :]


def _same_data(one: str, other: str) -> bool:
    from slospec.source import yamlfile

    try:
        return [d.data for d in yamlfile.load_all(one)] == [d.data for d in yamlfile.load_all(other)]
    except Exception:  # noqa: BLE001 - not loadable: not the same
        return False


def format_yaml(text: str, fast: bool = True) -> str:
    """The canonical layout of a YAML stream; line endings stay as the file has them.
    `fast=False` always takes ruamel's round trip (the reference the fast path is tested against)."""
    first_break = text.find("\n")
    crlf = first_break > 0 and text[first_break - 1] == "\r"
    if crlf:
        text = text.replace("\r\n", "\n")
    parts: list[str] = []
    body: list[str] = []
    verbatim = False  # a document opened by a marker line with content (`--- |`) stays as written

    def flush() -> None:
        chunk = "".join(body)
        content = any(not _NOT_CONTENT.match(line.rstrip("\n")) for line in body)
        parts.append(_layout(chunk, fast) if content and not verbatim else chunk)
        body.clear()

    for line in re.findall(r"[^\n]*\n|[^\n]+$", text):
        if _MARKER.match(line):
            flush()
            rest = line[3:].strip(" \t\n")
            verbatim = bool(rest) and not rest.startswith("#")
            parts.append(line)
        else:
            body.append(line)
    flush()
    result = "".join(parts)
    return result.replace("\n", "\r\n") if crlf else result
