"""What `compile` says about a file of another tool: the same notes `convert` prints (what the
import could not keep, or assumed), so that a migration changes nothing silently."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

FOREIGN = ("sloth", "pyrra", "slogen", "nobl9", "openslo")


def import_notes(
    documents: Sequence[Any], config: Any, stdin_text: str | None = None, given: Sequence[str] = ()
) -> list[str]:
    """`note: PATH:LINE:COL: message` for each import notice of the foreign files compiled
    (`given`: the paths compile was given, where OpenSLO references are looked up)."""
    from slospec import interop as formats
    from slospec.source import loader

    origins = {d.path: getattr(d.spec, "origin", "slospec") for d in documents}
    paths = [path for path, origin in origins.items() if origin in FOREIGN]
    if "openslo" in origins.values():  # references resolve across every OpenSLO file given
        paths += [p for p, _explicit in loader.discover(given, config, []) if p not in origins]
    notes: list[str] = []
    openslo = []
    for path in dict.fromkeys(paths):
        source = loader.read("-" if path == "<stdin>" else path, config, stdin_text)
        if source is None or source.error is not None:
            continue
        if source.format == "openslo":
            openslo.append(source)
            continue
        if source.format not in ("sloth", "pyrra", "slogen", "nobl9"):
            continue
        for doc in source.documents:
            imported = formats.convert(doc, source.format)
            for notice in imported.notices:
                span = doc.source_map.locate(notice.pointer)
                notes.append(f"note: {path}:{span.line}:{span.column}: {notice.message}")
            for problem in imported.problems:  # non-blocking ones (compile stops at the others)
                span = doc.source_map.locate(problem.pointer)
                notes.append(f"note: {path}:{span.line}:{span.column}: {problem.code} {problem.message} (left out)")
    if openslo:
        notes += [f"note: {n}" for n in openslo_notes(*openslo)]
    return notes


def openslo_notes(*sources: Any) -> list[str]:
    """`PATH:LINE:COL: message` for what the OpenSLO importer says about these files."""
    from slospec.interop.openslo.importer import notices
    from slospec.interop.openslo.objects import objects

    out = []
    for obj, pointer, message in notices([o for source in sources for o in objects(source.documents)]):
        span = obj.doc.source_map.locate(obj.pointer + pointer)
        out.append(f"{obj.doc.path}:{span.line}:{span.column}: {message}")
    return out
