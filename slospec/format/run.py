"""`slospec fmt`: the canonical layout of .slo and .slo.yaml files, every comment kept.

A file that does not parse is never touched. A formatted result replaces the file only when
it loads back to the same data, holds the same comments and formats to itself again. Each
file's outcome is reported on its own: one file that cannot be read or written does not
stop the others.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from slospec.errors import SlospecError
from slospec.source.document import ParseError
from slospec.source.loader import SPEC_SUFFIXES

SUFFIXES = (".slo", *SPEC_SUFFIXES)


class FormatError(SlospecError):
    """The file cannot be formatted safely (message says where and why)."""


@dataclass
class Formatted:
    path: str
    original: str
    text: str

    @property
    def changed(self) -> bool:
        return self.original != self.text


@dataclass
class Outcome:
    """What fmt did with one file: "unchanged", "changed" (written, or would be) or "error"."""

    path: str
    status: str
    message: str = ""
    original: str = ""
    text: str = ""


def _yaml_data(text: str) -> list:
    from slospec.source import yamlfile

    return [d.data for d in yamlfile.load_all(text)]


def format_yaml(text: str) -> str:
    from slospec.format.yaml import format_yaml as layout

    return layout(text)


def _dsl_round(text: str) -> tuple[list, str]:
    """(data, canonical text) from one parse; a file with no statement (all comments: a
    parked spec) stays as written."""
    from slospec.source.dsl import comments as dslcomments
    from slospec.source.dsl import front as dsl
    from slospec.source.dsl import printer as dslout

    first_break = text.find("\n")
    crlf = first_break > 0 and text[first_break - 1] == "\r"
    documents = dsl.load_all(text, layout=True)
    data = [d.data for d in documents]
    if not documents:
        return data, text
    result = dslout.dump(data, dslcomments.attach(text, documents))
    return data, result.replace("\n", "\r\n") if crlf else result


def format_dsl(text: str) -> str:
    """The canonical layout of a .slo text."""
    return _dsl_round(text)[1]


def _comments(is_dsl: bool, text: str) -> list[str]:
    if is_dsl:
        from slospec.source.dsl import comments as dslcomments

        return [c.text for c in dslcomments.scan(text)]
    from slospec.format.yaml import comments

    return comments(text)


def format_text(path: str, text: str) -> Formatted:
    is_dsl = path.endswith(".slo")

    def round_trip(text: str) -> tuple[list, str]:  # (data, layout): one parse for the DSL
        return _dsl_round(text) if is_dsl else (_yaml_data(text), format_yaml(text))

    try:
        before, result = _dsl_round(text) if is_dsl else (_yaml_data(text), "")
    except ParseError as exc:
        raise FormatError(f"{path}:{exc.span.line}:{exc.span.column}: {exc.message} (not formatted)") from None
    except Exception as exc:  # noqa: BLE001 - the printer could not place everything
        raise FormatError(f"{path}: cannot be formatted safely ({exc}); left unchanged") from None
    try:
        result = result if is_dsl else format_yaml(text)
        if result == text:  # already canonical: the round trip below would repeat this very parse
            return Formatted(path, text, result)
        after, again = round_trip(result)
        kept = Counter(_comments(is_dsl, result)) == Counter(_comments(is_dsl, text))
    except Exception as exc:  # noqa: BLE001 - never write what we cannot verify
        raise FormatError(f"{path}: cannot be formatted safely ({exc}); left unchanged") from None
    if not _same(after, before):
        raise FormatError(f"{path}: formatting would change the data; left unchanged (please report this)")
    if not kept:
        raise FormatError(f"{path}: formatting would lose a comment; left unchanged (please report this)")
    if again != result:
        raise FormatError(f"{path}: formatting is not stable for this file; left unchanged (please report this)")
    return Formatted(path, text, result)


def _same(a: object, b: object) -> bool:
    """Data equality where NaN equals NaN (`.nan` loads back as NaN, never equal to itself,
    and fmt said "would change the data" of a file it laid out correctly)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float) and a != a and b != b:
        return True
    return a == b


def comment_lines(text: str) -> list[str]:
    return [line.split("#", 1)[1].strip() for line in text.splitlines() if "#" in line]


def targets(paths: Iterable[str], config, notices: list | None = None, configs=None) -> list[str]:
    """The .slo and .slo.yaml files under `paths` (the lint discovery, other formats left out;
    `configs`: each folder's configuration, as lint finds it); skipped files and unreadable
    folders are added to `notices`."""
    from slospec.source import loader

    found = []
    for path, explicit in loader.discover(paths, config, notices, configs):
        if path.endswith(SUFFIXES):
            found.append(path)
        elif explicit and path != "-" and notices is not None:  # named: say why nothing happened
            notices.append(
                loader.Notice(path, "not a .slo or .slo.yaml file; fmt lays out slospec specs only, not formatted")
            )
    return found


def _write_refusal(real: str, info: os.stat_result) -> str | None:
    """Why the file cannot be written, said as the user can fix it, or None when it can."""
    if not info.st_mode & 0o222:
        return f"the file is read-only (mode {info.st_mode & 0o7777:04o})"
    if os.access(real, os.W_OK):
        return None
    try:
        if os.statvfs(real).f_flag & os.ST_RDONLY:
            return "the file system is mounted read-only"
    except OSError:
        pass
    return f"you may not write this file (mode {info.st_mode & 0o7777:04o}, owner uid {info.st_uid})"


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


FORMAT = 1  # of fmt's cache entries
# files; fewer are formatted in this process. Lower than lint's (api.PARALLEL_THRESHOLD): a
# file's round-trip layout costs several times its lint, so a pool pays off sooner.
PARALLEL_THRESHOLD = 100


def _cached_format(path: str, text: str, cache: bool) -> Formatted:
    """format_text, or its cached result for this very text (fmt's work depends on nothing else).
    Only successes are cached: an error message names the file, and is cheap to find again."""
    if not cache:
        return format_text(path, text)
    from slospec.lint import cache as store

    kind = "fmt-dsl" if path.endswith(".slo") else "fmt-yaml"
    key = store.text_key(kind, text)
    entry = store.read_entry(key)
    if isinstance(entry, dict) and entry.get("format") == FORMAT and entry.get("key") == key:
        formatted = entry.get("text")
        if formatted is None:
            return Formatted(path, text, text)
        if isinstance(formatted, str):
            return Formatted(path, text, formatted)
    result = format_text(path, text)
    store.write_entry(key, {"format": FORMAT, "key": key, "text": None if not result.changed else result.text})
    return result


def run(paths: Iterable[str], write: bool, cache: bool = True, limit: int | None = None) -> Iterator[Outcome]:
    """Format each file; with `write`, replace the changed ones (in place, through links).
    Outcomes come in the order of `paths`; many files are formatted by a pool of processes.
    `limit` is the largest file read, in bytes (max-file-size, as for lint)."""
    from slospec import workers as pool
    from slospec.config import DEFAULT_MAX_FILE_SIZE

    paths = list(paths)
    limit = DEFAULT_MAX_FILE_SIZE if limit is None else limit
    workers = pool.count(len(paths), PARALLEL_THRESHOLD)
    if workers == 1:
        for path in paths:
            yield _one(path, write, cache, limit)
        return
    from slospec.format import yaml as fmtyaml  # noqa: F401 - imported once, before the fork

    yield from pool.run(_one_job, [(path, write, cache, limit) for path in paths], workers)


def _one_job(job: tuple[str, bool, bool, int]) -> Outcome:
    return _one(*job)


def _one(path: str, write: bool, cache: bool, limit: int | None = None) -> Outcome:
    """One file's outcome: read (at most `limit` bytes), format, and with `write` replace it
    when it changed (a UTF-8 byte order mark it began with stays)."""
    import os
    import stat

    from slospec.atomic import write_text
    from slospec.config import DEFAULT_MAX_FILE_SIZE
    from slospec.source import loader
    from slospec.source.reading import InputError, read_bounded

    try:
        real = os.path.realpath(path)
        info = os.stat(real)
        if not stat.S_ISREG(info.st_mode):
            return Outcome(path, "error", f"{path}: not a regular file (not formatted)")
        try:
            raw = read_bounded(real, DEFAULT_MAX_FILE_SIZE if limit is None else limit)
        except InputError as exc:
            return Outcome(path, "error", f"{str(exc).replace(real, path, 1)} (not formatted)")
        text = loader.decode(raw)
        result = _cached_format(path, text, cache)
        if raw.startswith(b"\xef\xbb\xbf") and result.changed:
            result = Formatted(path, "\ufeff" + text, "\ufeff" + result.text)
    except FormatError as exc:
        return Outcome(path, "error", str(exc))
    except ParseError as exc:
        return Outcome(path, "error", f"{path}:{exc.span.line}:{exc.span.column}: {exc.message} (not formatted)")
    except OSError as exc:
        return Outcome(path, "error", f"{path}: cannot read: {_why(exc)} (not formatted)")
    if not result.changed:
        return Outcome(path, "unchanged", original=text, text=text)
    if write:
        refusal = _write_refusal(real, info)
        if refusal:
            return Outcome(path, "error", f"{path}: {refusal}; not formatted (make it writable, or run fmt --check)")
        try:
            write_text(real, result.text)
        except OSError as exc:
            return Outcome(path, "error", f"{path}: cannot write: {_why(exc)}; the file is left as it was")
    return Outcome(path, "changed", original=result.original, text=result.text)
