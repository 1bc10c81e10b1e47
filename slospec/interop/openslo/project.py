"""The OpenSLO objects of the whole project a linted file belongs to, for resolving references.

pre-commit passes only the changed files, in parallel batches: an SLO in `slo.yaml` whose SLI
lives in an unchanged sibling must still pass. Like a type checker following imports, slospec
reads the rest of the project to resolve names, and reports findings only for the files given.
"""

from __future__ import annotations

import os
from pathlib import Path

from slospec.interop.openslo.objects import OpenSloObject, objects

# A folder holding one of these is the root of a project.
ROOT_MARKERS = ("slospec.toml", "pyproject.toml", ".git")
SUFFIXES = (".yaml", ".yml", ".json")
SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache"}
# A bound on the work one lint run spends on files it was not asked about.
MAX_FILES = 5000
MAX_FILE_SIZE = 1 << 20


def root_of(path: str) -> tuple[Path, bool]:
    """(folder, recursive): the nearest folder with a project marker, searched recursively;
    without one, the file's own folder alone (never a whole home folder by accident)."""
    folder = Path(path).resolve().parent
    for candidate in (folder, *folder.parents):
        if any((candidate / marker).exists() for marker in ROOT_MARKERS):
            return candidate, True
    return folder, False


def _files(root: Path, recursive: bool):
    if not recursive:
        try:
            entries = sorted(os.scandir(root), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            if entry.name.endswith(SUFFIXES) and entry.is_file():
                yield Path(entry.path)
        return
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(files):
            if name.endswith(SUFFIXES):
                yield Path(folder) / name


def _objects_of(path: Path) -> list[OpenSloObject]:
    from slospec.source import loader, yamlfile
    from slospec.source.document import Document, ParseError

    try:
        if not path.is_file() or path.stat().st_size > MAX_FILE_SIZE:
            return []
        raw = path.read_bytes()
    except OSError:
        return []
    if b"openslo/" not in raw and b"openslo.com/" not in raw:
        return []
    try:
        text = loader.decode(raw)
        if loader.file_format(str(path), text) != "openslo":
            return []
        parsed = yamlfile.load_all(text)
    except ParseError:
        return []
    documents = [Document(str(path), p.data, p.source_map, kind="openslo", index=i) for i, p in enumerate(parsed)]
    return list(objects(documents))


def unbounded(given: list[str]) -> frozenset[str]:
    """The files of `given` with no project marker above them (their project is unknown)."""
    return frozenset(p for p in given if p != "<stdin>" and not root_of(p)[1])


def project_objects(given: list[str]) -> list[OpenSloObject]:
    """The OpenSLO objects of the projects of `given`, read from the files not among them."""
    skip = {Path(p).resolve() for p in given if p != "<stdin>"}
    roots: dict[Path, bool] = {}
    for path in given:
        if path == "<stdin>":
            continue
        root, recursive = root_of(path)
        roots[root] = roots.get(root, False) or recursive
    found: list[OpenSloObject] = []
    seen: set[Path] = set()
    budget = MAX_FILES
    for root, recursive in sorted(roots.items()):
        for file in _files(root, recursive):
            resolved = file.resolve()
            if resolved in skip or resolved in seen:
                continue
            seen.add(resolved)
            budget -= 1
            if budget < 0:
                return found
            found.extend(_objects_of(file))
    return found
