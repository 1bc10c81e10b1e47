"""What every format importer returns, and the helpers they share to record where values came from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from slospec.diagnostics import Pointer
from slospec.source.document import Document, SourceMap


class Problem(NamedTuple):
    """A structural error by the owning tool's own rules, at a pointer into the original data."""

    pointer: Pointer
    message: str
    code: str = "SLO002"  # SLO004 for a reference to something that does not exist


class Notice(NamedTuple):
    """Something the format says that slospec cannot express (or assumed): never dropped silently."""

    pointer: Pointer
    message: str


@dataclass
class Imported:
    """One original document as slospec/v1 spec data.

    `data` is None when the document is not an SLO at all (then `not_slo` says what it is) or
    when its problems leave nothing to build. `source_map` maps slospec pointers to the spans of
    the original fields, so findings land on the lines people wrote.
    """

    data: dict[str, Any] | None
    source_map: SourceMap
    problems: list[Problem] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    not_slo: str | None = None


class Recorder:
    """Builds an Imported: spec data plus, for each slospec pointer, the original pointer."""

    def __init__(self, doc: Document, base: Pointer = ()):
        self.doc = doc
        self.base = base
        self.map = SourceMap()
        self.problems: list[Problem] = []
        self.notices: list[Notice] = []
        self.map.values[()] = doc.source_map.locate(base)

    def at(self, pointer: Pointer, original: Pointer) -> None:
        """slospec `pointer` came from `original` (relative to the document's base). A block
        (mapping or list) is located at its key: the line people read as the field's name."""
        full = self.base + tuple(original)
        block = isinstance(_value(self.doc.data, full), (dict, list))
        self.map.values[tuple(pointer)] = self.doc.source_map.locate(full, key=block)

    def problem(self, original: Pointer, message: str, code: str = "SLO002") -> None:
        self.problems.append(Problem(self.base + tuple(original), message, code))

    def notice(self, original: Pointer, message: str) -> None:
        self.notices.append(Notice(self.base + tuple(original), message))

    def result(self, data: dict[str, Any] | None) -> Imported:
        return Imported(data, self.map, self.problems, self.notices)


def _value(data: Any, pointer: Pointer) -> Any:
    for part in pointer:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def mapping(value: Any) -> dict[str, Any]:
    """`value` when it is a mapping, else an empty one (a field of the wrong shape reads as absent)."""
    return value if isinstance(value, dict) else {}


def not_slo(doc: Document, what: str) -> Imported:
    return Imported(None, SourceMap({(): doc.source_map.locate(())}), not_slo=what)


NAME_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


def slug(text: Any, fallback: str = "slo") -> str:
    """A slospec name (DNS label) from a free name: lowercase, dashes, at most 63 characters."""
    out = re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")[:63].strip("-")
    return out or fallback


def percent_text(value: Decimal) -> str:
    from slospec.specmodel.quantities import format_decimal

    return f"{format_decimal(value)}%"


def decimal_of(value: Any) -> Decimal | None:
    """An exact number from YAML data (int, Decimal, float or numeric string); None otherwise."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        out = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return out if out.is_finite() else None


def label_map(labels: Any) -> dict[str, str]:
    """Labels slospec can carry: string keys of the allowed shape, values as text."""
    out: dict[str, str] = {}
    if isinstance(labels, dict):
        for key, value in labels.items():
            if (
                isinstance(key, str)
                and re.match(r"^[A-Za-z_][A-Za-z0-9_./-]*$", key)
                and value is not None
                and not isinstance(value, (dict, list))
            ):
                out[key] = value if isinstance(value, str) else _scalar_text(value)
    return out


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        from slospec.specmodel.quantities import format_decimal

        return format_decimal(value)
    return str(value)


def seconds_text(seconds: Decimal) -> str:
    """A slospec duration for a number of seconds (3600 -> 1h, 604800 -> 7d)."""
    from slospec.specmodel.quantities import format_prometheus

    return format_prometheus(seconds)
