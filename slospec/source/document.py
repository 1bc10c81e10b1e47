"""The front-end-neutral Document: plain data plus a source map from pointers to spans."""

from __future__ import annotations

from dataclasses import field
from typing import Any

from slospec.diagnostics import START, Pointer, Span
from slospec.errors import SlospecError
from slospec.records import FACTORY, record


class ParseError(SlospecError):
    """A file that does not parse (any front end): what is wrong and where."""

    def __init__(self, message: str, span: Span):
        super().__init__(message)
        self.message = message
        self.span = span


@record(frozen=False)
class SourceMap:
    """Maps a JSON pointer to the span of its value (and, for mapping keys, of the key)."""

    values: dict[Pointer, Span] = field(default_factory=dict)
    keys: dict[Pointer, Span] = field(default_factory=dict)

    def __init__(
        self,
        values: dict[Pointer, Span] = FACTORY,
        keys: dict[Pointer, Span] = FACTORY,
    ) -> None:
        self.__dict__.update(
            values={} if values is FACTORY else values,
            keys={} if keys is FACTORY else keys,
        )

    def locate(self, pointer: Pointer, *, key: bool = False) -> Span:
        """Span of the deepest node on `pointer` that exists; the document start otherwise."""
        pointer = tuple(pointer)
        if key and pointer in self.keys:
            return self.keys[pointer]
        while pointer:
            span = self.values.get(pointer)
            if span is not None:
                return span
            pointer = pointer[:-1]
        return self.values.get((), START)


@record(frozen=False)
class Document:
    """One spec document: plain JSON-like data (Decimals for non-integers) and where it came from.

    `kind` tells which format the data follows: "slospec" for native specs, "openslo" for
    OpenSLO objects. `offset` is the index of the document inside a multi-document file.
    """

    path: str
    data: Any
    source_map: SourceMap
    kind: str = "slospec"
    index: int = 0

    def __init__(
        self,
        path: str,
        data: Any,
        source_map: SourceMap,
        kind: str = "slospec",
        index: int = 0,
    ) -> None:
        self.__dict__.update(
            path=path,
            data=data,
            source_map=source_map,
            kind=kind,
            index=index,
        )
