"""Reading files: discovery under directories, decoding, and picking the front end by kind."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from slospec.diagnostics import Span
from slospec.records import FACTORY, record
from slospec.source.document import Document, ParseError
from slospec.source.reading import InputError as InputError  # the commands catch it from here
from slospec.source.reading import TooLarge, kind_of, read_bounded

if TYPE_CHECKING:
    from slospec.source.dsl.front import DslDocument
    from slospec.source.yamlfile import YamlDocument

from slospec.source.detect import SPEC_SUFFIXES as SPEC_SUFFIXES
from slospec.source.detect import file_format as file_format
from slospec.source.detect import nobl9_notice as nobl9_notice
from slospec.source.detect import unknown_notice as unknown_notice


class Config(Protocol):
    """What reading and discovery take from the configuration (slospec.config.Config, which
    sits above the source stage, has these and more)."""

    @property
    def root(self) -> Path: ...
    @property
    def include(self) -> tuple[str, ...]: ...
    @property
    def exclude(self) -> tuple[str, ...]: ...
    @property
    def max_file_size(self) -> int: ...
    @property
    def max_values(self) -> int: ...
    @property
    def force_exclude(self) -> bool: ...


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

    def __init__(
        self,
        path: str,
        text: str,
        format: str,
        documents: list[Document] = FACTORY,
        error: ParseError | None = None,
    ) -> None:
        self.__dict__.update(
            path=path,
            text=text,
            format=format,
            documents=[] if documents is FACTORY else documents,
            error=error,
        )


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
            from slospec.source.dsl import front as dsl

            parsed = list(dsl.load_all(text))
        else:
            from slospec.source import yamlfile

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


def discover(
    paths: Iterable[str],
    config: Config,
    notices: list[Notice] | None = None,
    configs: Callable[[str], Config] | None = None,
) -> Iterator[tuple[str, bool]]:
    """Yield (path, explicit) for every file to read. Paths named explicitly are not excluded,
    unless the configuration has force_exclude (`--force-exclude`, as pre-commit hooks pass).

    With `configs` (each folder's configuration, slospec.config.Finder), a folder that holds
    its own slospec.toml is walked with that file's include and exclude (as ruff does with
    nested configurations); without, `config` rules every folder.
    Under folders, non-regular files (FIFOs, devices, sockets) are skipped and unreadable
    folders are passed over; each becomes a Notice in `notices` when a list is given."""
    patterns = _Patterns()
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
        named = configs(arg) if configs is not None else config
        if named.force_exclude and named.exclude and _force_excluded(p, named, patterns):
            continue
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

        by_folder: dict[str, Config] = {}
        for folder, dirs, files in os.walk(p, onerror=unreadable):
            here = by_folder.pop(folder, named)
            if configs is not None and folder != str(p):  # the named folder's own is `named`
                here = _nested(folder, here, configs)
            include, exclude = patterns.of(here)
            root = here.root
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
            folder_path = Path(folder)
            kept_dirs = []
            for d in dirs:
                rel = _relative(folder_path / d, root) if exclude else None  # resolving costs syscalls
                if rel is not None and _matches(exclude, rel) and (folder_path / d).resolve() != base:
                    continue
                kept_dirs.append(d)
                if here is not named:
                    by_folder[os.path.join(folder, d)] = here
            dirs[:] = kept_dirs
            # What pathlib would make of folder / name, joined as strings once per folder (a
            # Path per file is a third of a cached run).
            prefix = str(folder_path)
            prefix = "" if prefix == "." else prefix if prefix.endswith("/") else prefix + "/"
            if here is named:
                rel_folder = folder_path.relative_to(p).as_posix()
            else:  # a nested configuration's include is relative to its own folder
                rel_folder = _relative(folder_path, root) or ""
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


class _Patterns:
    """A configuration's include and exclude globs, compiled once per configuration."""

    def __init__(self) -> None:
        self._compiled: dict[int, tuple[Config, list[re.Pattern[str]], list[re.Pattern[str]]]] = {}

    def of(self, config: Config) -> tuple[list[re.Pattern[str]], list[re.Pattern[str]]]:
        found = self._compiled.get(id(config))
        if found is None or found[0] is not config:
            include = [_glob_regex(p) for p in config.include]
            exclude = [_glob_regex(p.rstrip("/")) for p in config.exclude]
            found = self._compiled[id(config)] = (config, include, exclude)
        return found[1], found[2]


def _nested(folder: str, inherited: Config, configs: Callable[[str], Config]) -> Config:
    """The configuration of a folder met while walking: its own, when it holds one (a
    slospec.toml, or a pyproject.toml that `configs` finds to hold [tool.slospec]), else the
    folder's above. Two stats per folder; the lookup upwards only where a file is there."""
    for name in ("slospec.toml", "pyproject.toml"):
        if os.path.isfile(os.path.join(folder, name)):
            return configs(folder)
    return inherited


def _force_excluded(path: Path, config: Config, patterns: _Patterns) -> bool:
    """--force-exclude: the named path, or a folder it lies in, matches `exclude`."""
    rel = _relative(path, config.root)
    if rel is None:
        return False
    _, exclude = patterns.of(config)
    parts = rel.split("/")
    return any(_matches(exclude, "/".join(parts[: i + 1])) for i in range(len(parts)))


def _relative(path: Path, root: Path) -> str | None:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return None
