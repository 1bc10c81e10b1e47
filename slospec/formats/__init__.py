"""Other tools' SLO formats (Sloth, Pyrra, slo-generator): recognise a document, convert it to slospec.

Each format module exposes `detect(data) -> bool` and `convert(doc) -> Imported` and depends on
nothing but the document model; the lint engine and the commands call them through here.
"""

from __future__ import annotations

import importlib
import re
from types import ModuleType
from typing import Any

# format name -> module; the order is the order `detect` tries them in.
FORMATS: dict[str, str] = {
    "sloth": "slospec.formats.sloth",
    "pyrra": "slospec.formats.pyrra",
    "slogen": "slospec.formats.slogen",
    "nobl9": "slospec.formats.nobl9",
}
TITLES = {"sloth": "Sloth", "pyrra": "Pyrra", "slogen": "slo-generator", "nobl9": "Nobl9"}

# Cheap text markers, tried before a file is parsed (the loader reads only files that match).
_KEY = r"""(?:^|[{,])\s*["']?"""  # a key at the start of a line, or inside a JSON object
_MARKERS = (
    ("sloth", re.compile(_KEY + r"""version["']?\s*:\s*["']?prometheus/v\d""", re.M)),
    ("sloth", re.compile(_KEY + r"""apiVersion["']?\s*:\s*["']?sloth\.slok\.dev/""", re.M)),
    ("pyrra", re.compile(_KEY + r"""apiVersion["']?\s*:\s*["']?pyrra\.dev/""", re.M)),
    ("slogen", re.compile(_KEY + r"""apiVersion["']?\s*:\s*["']?sre\.google\.com/""", re.M)),
    # slo-generator v1 configs (one SLO per file) and its shared configuration / policies.
    ("slogen", re.compile(_KEY + r"""slo_target["']?\s*:""", re.M)),
    ("slogen", re.compile(_KEY + r"""error_budget_policies["']?\s*:""", re.M)),
    ("slogen", re.compile(r"""(?:^\s*-\s*|[\[,{]\s*)["']?error_budget_policy_step_name["']?\s*:""", re.M)),
    # Nobl9's own dialect (sloctl); a list item's key too.
    ("nobl9", re.compile(r"""(?:^\s*(?:-\s*)?|[{,]\s*)["']?apiVersion["']?\s*:\s*["']?n9/""", re.M)),
)


def module(name: str) -> ModuleType:
    return importlib.import_module(FORMATS[name])


def detect_text(text: str) -> str | None:
    """The format a file's text looks like, from its markers (apiVersion / version / keys)."""
    for name, marker in _MARKERS:
        if marker.search(text):
            return name
    return None


def detect(data: Any) -> str | None:
    """The format of one parsed document, or None when no importer recognises it."""
    for name in FORMATS:
        if module(name).detect(data):
            return name
    return None


def convert(doc, fmt: str | None = None):
    """Imported spec data for one document (`fmt` when the file's format is known)."""
    from slospec.formats.base import not_slo

    name = detect(doc.data)
    if name is None:
        title = TITLES.get(fmt or "", "SLO")
        return not_slo(doc, f"not an SLO: no {title} (or Sloth, Pyrra, slo-generator) markers in this document")
    found = module(name)
    if name == "slogen":
        return found.convert(doc, found.find_policies(doc.path))
    return found.convert(doc)
