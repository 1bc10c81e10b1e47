"""The OpenSLO objects of parsed files: each with its kind, name and where it lives."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from slospec.diagnostics import Pointer
from slospec.document import Document


@dataclass
class OpenSloObject:
    doc: Document
    pointer: Pointer  # of the object inside doc.data (() or (index,) for a list)
    data: Any

    @property
    def api(self) -> str:
        return str(self.data.get("apiVersion", "")) if isinstance(self.data, dict) else ""

    @property
    def kind(self) -> str:
        return str(self.data.get("kind", "")) if isinstance(self.data, dict) else ""

    @property
    def name(self) -> str:
        meta = self.data.get("metadata") if isinstance(self.data, dict) else None
        return str(meta.get("name", "")) if isinstance(meta, dict) else ""

    @property
    def spec(self) -> dict:
        spec = self.data.get("spec") if isinstance(self.data, dict) else None
        return spec if isinstance(spec, dict) else {}

    @property
    def path(self) -> str:
        return self.doc.path


def objects(documents: list[Document]) -> Iterator[OpenSloObject]:
    """One object per document, or one per item when a document is a YAML list of objects."""
    for doc in documents:
        if isinstance(doc.data, list):
            for index, item in enumerate(doc.data):
                yield OpenSloObject(doc, (index,), item)
        else:
            yield OpenSloObject(doc, (), doc.data)
