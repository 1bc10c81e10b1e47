"""Canonical layout of .slo.yaml text, document by document, never dropping a comment.

ruamel's round-trip dumper gives the layout and keeps most comments, but not those inside
a flow collection written over several lines, nor those on document markers (`---`, `...`)
or directives (`%YAML`). So the stream is cut at its markers, which are kept as written, and
each document is laid out alone; a document whose comments ruamel would not carry is kept
exactly as written.
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


def _layout(document: str) -> str:
    """One document (no markers) laid out by ruamel, or as written when that would drop a
    comment or it holds no data (a parked, commented-out spec)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    try:
        data = yaml.load(document)
        if data is None:
            return document
        out = io.StringIO()
        yaml.dump(data, out)
        result = out.getvalue()
        if comments(result) != comments(document):
            return document
    except Exception:  # noqa: BLE001 - ruamel refuses odd shapes; the document stays as written
        return document
    return result


def format_yaml(text: str) -> str:
    """The canonical layout of a YAML stream; line endings stay as the file has them."""
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
        parts.append(_layout(chunk) if content and not verbatim else chunk)
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
