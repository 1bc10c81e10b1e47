"""Locates the bundled specification files (schema/, grammar/) in a wheel or a checkout."""

from __future__ import annotations

import functools
import json
from pathlib import Path


@functools.cache
def data_root() -> Path:
    """The folder holding `schema/` and `grammar/`.

    A built wheel carries them under `slospec/_data`; an editable install or a source
    checkout does not (hatchling's force-include only applies to wheels), so fall back to
    the repository root next to the package.
    """
    packaged = Path(__file__).resolve().parent / "_data"
    if (packaged / "schema").is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent


def path(relative: str) -> Path:
    return data_root() / relative


def read_text(relative: str) -> str:
    return path(relative).read_text(encoding="utf-8")


@functools.cache
def load_json(relative: str) -> dict:
    return json.loads(read_text(relative))
