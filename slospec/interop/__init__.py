"""Other tools' SLO formats (Sloth, Pyrra, slo-generator): recognise a document, convert it to slospec.

Each format module exposes `detect(data) -> bool` and `convert(doc) -> Imported` and depends on
nothing but the document model; the lint engine and the commands call them through here.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from slospec.source.detect import detect_text as detect_text  # the one table of markers

# format name -> module; the order is the order `detect` tries them in.
FORMATS: dict[str, str] = {
    "sloth": "slospec.interop.sloth.reader",
    "pyrra": "slospec.interop.pyrra",
    "slogen": "slospec.interop.slogen",
    "nobl9": "slospec.interop.nobl9",
}
TITLES = {"sloth": "Sloth", "pyrra": "Pyrra", "slogen": "slo-generator", "nobl9": "Nobl9"}


def module(name: str) -> ModuleType:
    return importlib.import_module(FORMATS[name])


def detect(data: Any) -> str | None:
    """The format of one parsed document, or None when no importer recognises it."""
    for name in FORMATS:
        if module(name).detect(data):
            return name
    return None


def convert(doc, fmt: str | None = None):
    """Imported spec data for one document (`fmt` when the file's format is known)."""
    from slospec.interop.base import not_slo

    name = detect(doc.data)
    if name is None:
        title = TITLES.get(fmt or "", "SLO")
        return not_slo(doc, f"not an SLO: no {title} (or Sloth, Pyrra, slo-generator) markers in this document")
    found = module(name)
    if name == "slogen":
        return found.convert(doc, found.find_policies(doc.path))
    return found.convert(doc)
