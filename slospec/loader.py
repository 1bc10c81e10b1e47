"""Reading files: discovery under directories, decoding, and picking the front end by kind."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING

from slospec.diagnostics import Pointer, Span
from slospec.document import Document, ParseError
from slospec.reading import InputError as InputError  # the commands catch it from here
from slospec.reading import TooLarge, kind_of, read_bounded
from slospec.records import FACTORY, record

if TYPE_CHECKING:  # the loader only reads a Config; the configuration sits above it
    from slospec.config import Config
    from slospec.dsl import DslDocument
    from slospec.yamlfile import YamlDocument

SPEC_SUFFIXES = (".slo.yaml", ".slo.yml")
YAML_SUFFIXES = (".yaml", ".yml", ".json")
SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache"}


@record
class Notice:
    """Something discovery skipped: a non-regular file (info) or an unreadable folder (error:
    the run goes on with the other files, then exits 2). The CLI prints `slospec: {notice}`."""

    path: str
    message: str
    error: bool = False

    def __init__(
        self,
        path: str,
        message: str,
        error: bool = False,
    ) -> None:
        self.__dict__.update(
            path=path,
            message=message,
            error=error,
        )

    def __str__(self) -> str:
        return f"{'error' if self.error else 'notice'}: {self.path}: {self.message}"


def exists(path: str) -> bool:
    """False only when nothing is there; other problems (a name too long, no permission) are
    left for the read to report with its own message."""
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except (OSError, ValueError):
        return True
    return True


@record(frozen=False)
class SourceFile:
    """One input file after its front end ran: documents, or the parse error that stopped it."""

    path: str
    text: str
    format: str  # dsl | yaml | openslo | sloth | pyrra | slogen
    documents: list[Document] = field(default_factory=list)
    error: ParseError | None = None
    # OpenSLO: the objects that passed validation, as (document index, pointer); filled
    # where the file is checked (a worker), used where files are checked together.
    valid: list[tuple[int, Pointer]] | None = None

    def __init__(
        self,
        path: str,
        text: str,
        format: str,
        documents: list[Document] = FACTORY,
        error: ParseError | None = None,
        valid: list[tuple[int, Pointer]] | None = None,
    ) -> None:
        self.__dict__.update(
            path=path,
            text=text,
            format=format,
            documents=[] if documents is FACTORY else documents,
            error=error,
            valid=valid,
        )


def file_format(path: str, text: str) -> str | None:
    """dsl, yaml (native spec), openslo, sloth, pyrra, slogen, or None for a YAML file that is not ours."""
    name = path.lower()
    if name.endswith(".slo"):
        return "dsl"
    if name.endswith(SPEC_SUFFIXES):
        return "openslo" if _mentions_openslo(text) and "slospec/v1" not in text else "yaml"
    if name.endswith(YAML_SUFFIXES) or path == "<stdin>":
        if _mentions_openslo(text):
            return "openslo"
        if "slospec/v1" in text and re.search(_SLOSPEC_RE, text):
            return "yaml"
        # issue 19: Sloth, Pyrra and slo-generator files, by their own markers.
        from slospec.formats import detect_text

        other = detect_text(text)
        if other is not None:
            return other
        if path == "<stdin>":
            return "dsl" if "apiVersion" not in text else "yaml"
        return None
    return None


# Patterns as text, compiled by `re` on first use (and cached there): most runs need few.
_OPENSLO_RE = r"""apiVersion["']?\s*:\s*["']?openslo/(?P<version>[\w.-]*)"""
OPENSLO_VERSIONS = ("v1", "v1alpha")
_SLOSPEC_RE = r"""apiVersion["']?\s*:\s*["']?slospec/"""


def _mentions_openslo(text: str) -> bool:
    """Some document declares an OpenSLO version slospec reads (v2alpha files are not ours)."""
    return "openslo/" in text and any(m.group("version") in OPENSLO_VERSIONS for m in re.finditer(_OPENSLO_RE, text))


# SLO files of other tools that reach this point were not read: marker -> why. (Sloth, Pyrra
# and slo-generator SLOs are read by slospec.formats; what is left is their other files.)
NOBL9 = (
    r"""apiVersion["']?\s*:\s*["']?n9/""",
    "a Nobl9 file (apiVersion n9/...): slospec reads OpenSLO (openslo/v1), not Nobl9's own dialect, "
    "so nothing in it was checked",
)
_FOREIGN = (
    NOBL9,
    (
        r"""apiVersion["']?\s*:\s*["']?openslo/""",
        "an OpenSLO file of a version slospec does not read (it reads openslo/v1 and openslo/v1alpha)",
    ),
    (r"""version["']?\s*:\s*["']?prometheus/v1""", "a Sloth file that holds no SLO slospec can read"),
    (r"""apiVersion["']?\s*:\s*["']?sloth\.slok\.dev/""", "a Sloth file that holds no SLO slospec can read"),
    (r"""apiVersion["']?\s*:\s*["']?pyrra\.dev/""", "a Pyrra file that holds no SLO slospec can read"),
    (r"""apiVersion["']?\s*:\s*["']?sre\.google\.com/""", "an slo-generator file that holds no SLO"),
    (r"""(?m)^\s*(slo_name|service_name)\s*:""", "an slo-generator file that holds no SLO"),
)


def unknown_notice(path: str, config: Config) -> str | None:
    """One line for a file named explicitly that slospec did not read although it looks like
    an SLO file of another tool; None for other YAML (pre-commit passes every YAML file)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(65536).decode("utf-8", "replace")
    except OSError:
        return None
    for marker, name in _FOREIGN:
        if re.search(marker, head):
            return f"{path}: skipped: {name}"
    return None


def nobl9_notice(path: str, text: str | None = None) -> str | None:
    """One line for a Nobl9 file met in a folder (files named explicitly get unknown_notice):
    without it a folder of them reads as holding no SLO at all."""
    if text is None:
        try:
            with open(path, "rb") as handle:
                text = handle.read(4096).decode("utf-8", "replace")
        except OSError:
            return None
    return f"{path}: skipped: {NOBL9[1]}" if "n9/" in text and re.search(NOBL9[0], text) else None


def decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM); invalid bytes raise ParseError at their position."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise ParseError(
            f"file is not valid UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded; save the file as UTF-8",
            Span.point(line, column),
        ) from None


def parse(path: str, text: str, fmt: str, config: Config | None = None) -> SourceFile:
    """Run the front end for `fmt`; a ParseError becomes the file's error (SLO001)."""
    source = SourceFile(path, text, fmt)
    parsed: list[DslDocument | YamlDocument]
    try:
        if fmt == "dsl":
            from slospec import dsl

            parsed = list(dsl.load_all(text))
        else:
            from slospec import yamlfile

            parsed = list(yamlfile.load_all(text, config.max_values if config else yamlfile.MAX_NODES))
    except ParseError as exc:
        source.error = exc
        return source
    kind = fmt if fmt in ("openslo", "sloth", "pyrra", "slogen", "nobl9") else "slospec"
    source.documents = [Document(path, p.data, p.source_map, kind=kind, index=i) for i, p in enumerate(parsed)]
    return source


def read(path: str, config: Config, stdin_text: str | None = None) -> SourceFile | None:
    """Read and parse one file; None when it is a YAML file that is not a spec."""
    if path == "-":
        text = stdin_text if stdin_text is not None else ""
        display = "<stdin>"
    else:
        display = path
        try:
            raw = read_bounded(path, config.max_file_size)
        except TooLarge as exc:
            return SourceFile(
                display,
                "",
                "yaml",
                error=ParseError(
                    f"file is {exc.size} bytes, larger than the limit of {exc.limit} "
                    "(max-file-size in the configuration)",
                    Span.point(1, 1),
                ),
            )
        try:
            text = decode(raw)
        except ParseError as exc:
            return SourceFile(display, "", "yaml", error=exc)
    fmt = file_format(display, text)
    if fmt is None:
        return None
    return parse(display, text, fmt, config)


def _glob_regex(pattern: str) -> re.Pattern[str]:
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
        elif pattern.startswith("**", i):
            out += ".*"
            i += 2
        elif pattern[i] == "*":
            out += "[^/]*"
            i += 1
        elif pattern[i] == "?":
            out += "[^/]"
            i += 1
        else:
            out += re.escape(pattern[i])
            i += 1
    return re.compile(out + "/?$")


def _matches(patterns: Iterable[re.Pattern[str]], rel: str) -> bool:
    return any(p.match(rel) for p in patterns)


def discover(paths: Iterable[str], config: Config, notices: list[Notice] | None = None) -> Iterator[tuple[str, bool]]:
    """Yield (path, explicit) for every file to read. Paths named explicitly are never excluded.

    Under folders, non-regular files (FIFOs, devices, sockets) are skipped and unreadable
    folders are passed over; each becomes a Notice in `notices` when a list is given."""
    include = [_glob_regex(p) for p in config.include]
    exclude = [_glob_regex(p.rstrip("/")) for p in config.exclude]
    root = config.root
    report = notices.append if notices is not None else (lambda notice: None)
    for arg in paths:
        if arg == "-":
            yield arg, True
            continue
        p = Path(arg)
        try:
            is_dir = p.is_dir()
        except (OSError, ValueError):
            is_dir = False  # the read reports the real problem (a name too long, ...)
        if not is_dir:
            yield arg, True
            continue
        base = p.resolve()

        def unreadable(exc: OSError, arg: str = arg) -> None:  # bound now: os.walk calls it in this pass
            report(
                Notice(
                    exc.filename or arg,
                    f"cannot read folder: {exc.strerror or exc}; its files were not checked",
                    error=True,
                )
            )

        for folder, dirs, files in os.walk(p, onerror=unreadable):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
            folder_path = Path(folder)
            kept_dirs = []
            for d in dirs:
                rel = _relative(folder_path / d, root) if exclude else None  # resolving costs syscalls
                if rel is not None and _matches(exclude, rel) and (folder_path / d).resolve() != base:
                    continue
                kept_dirs.append(d)
            dirs[:] = kept_dirs
            # What pathlib would make of folder / name, joined as strings once per folder (a
            # Path per file is a third of a cached run).
            prefix = str(folder_path)
            prefix = "" if prefix == "." else prefix if prefix.endswith("/") else prefix + "/"
            rel_folder = folder_path.relative_to(p).as_posix()
            rel_folder = "" if rel_folder == "." else rel_folder + "/"
            for name in sorted(files):
                file_path = prefix + name
                rel_to_arg = rel_folder + name
                if not _matches(include, rel_to_arg) and not _matches(include, name):
                    continue
                rel = _relative(Path(file_path), root) if exclude else None
                if rel is not None and _matches(exclude, rel):
                    continue
                try:
                    mode = os.stat(file_path).st_mode
                except OSError as exc:
                    if not os.path.islink(file_path):
                        report(Notice(file_path, f"cannot read: {exc.strerror or exc}", error=True))
                    continue  # a dangling link: nothing to check
                if not stat.S_ISREG(mode):
                    report(Notice(file_path, f"skipped: {kind_of(mode)}, not a regular file"))
                    continue
                yield file_path, False


def _relative(path: Path, root: Path) -> str | None:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return None
