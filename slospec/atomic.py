"""The one output writer: every file slospec writes (`-o`, `compile -o DIR`, `fmt`, `--fix`).

- A regular file is replaced atomically: a temporary file in the same folder, flushed, then
  renamed over it (readers see the old file or the new one, never a part; a kill leaves the
  old one). Its mode stays, and its owner where slospec can give the new file that owner.
- Anything that is not a regular file is written in place, never replaced: `/dev/stdout`
  (and `/dev/fd/N`) write to that descriptor, so a log it is redirected to is appended to,
  not renamed over; a FIFO is opened and written; a device is written, never replaced.
- Refused, with a one-line reason (an OSError whose strerror says why), rather than done
  wrongly: a hard-linked file (renaming would split the links, rewriting in place is not
  atomic: the file is left as it was, never copied-on-write silently), a file slospec cannot
  give back its owner, and in an output folder (`compile -o DIR`) a symbolic link.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path


class Refused(OSError):
    """A write slospec will not do (a link, a hard-linked file): `strerror` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.strerror = message


# /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N: a descriptor this process holds.
_DESCRIPTOR = re.compile(r"^/(?:dev/(?:std(?P<std>out|err)|fd/(?P<fd>[0-9]+))|proc/self/fd/(?P<proc>[0-9]+))$")


def _descriptor(path: str) -> int | None:
    match = _DESCRIPTOR.match(os.path.normpath(os.path.abspath(path)))
    if match is None:
        return None
    if match.group("std"):
        return 1 if match.group("std") == "out" else 2
    return int(match.group("fd") or match.group("proc"))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def write_text(path: str | Path, text: str, *, in_folder: bool = False) -> None:
    """Write `text` to `path` so that readers see the old file or the new one, never a part.

    A symbolic link is written through (the link stays, its target gets the text), except
    with `in_folder` (a file slospec names inside an output folder), where it is refused.
    """
    data = text.encode("utf-8")
    fd = _descriptor(str(path))
    if fd is not None:  # the caller's own stdout, stderr or descriptor: written, never replaced
        _write_all(fd, data)
        return
    try:
        link = os.lstat(path)
    except FileNotFoundError:
        link = None
    if in_folder and link is not None and stat.S_ISLNK(link.st_mode):
        raise Refused("it is a symbolic link, and slospec does not write through links in an output folder (remove it)")
    target = Path(os.path.realpath(path))
    try:
        info = target.stat()
    except FileNotFoundError:
        info = None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(21, "is a directory")
    if info is not None and not stat.S_ISREG(info.st_mode):
        _write_in_place(target, data)  # a FIFO, a terminal, a device: never replaced
        return
    if info is not None and info.st_nlink > 1:
        raise Refused(
            f"it has {info.st_nlink} hard links: replacing it would split them and rewriting it in "
            "place is not atomic (write to a copy, or remove the other links)"
        )
    _replace(target, data, info)


def _write_in_place(target: Path, data: bytes) -> None:
    out = os.open(target, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
    try:
        _write_all(out, data)
    finally:
        os.close(out)


def _replace(target: Path, data: bytes, info: os.stat_result | None) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:100]}.", suffix=".tmp", dir=target.parent)
    try:
        try:
            _write_all(fd, data)
            if info is not None:
                if (info.st_uid, info.st_gid) != (os.geteuid(), os.fstat(fd).st_gid):
                    try:
                        os.fchown(fd, info.st_uid, info.st_gid)
                    except OSError:
                        raise Refused(
                            f"it belongs to user {info.st_uid}, group {info.st_gid}, and slospec "
                            "cannot give the rewritten file that owner"
                        ) from None
                # The kernel drops set-user/group-ID bits when a file's content changes; so do we.
                os.fchmod(fd, info.st_mode & 0o7777 & ~(stat.S_ISUID | stat.S_ISGID))
            else:
                umask = os.umask(0)
                os.umask(umask)
                os.fchmod(fd, 0o666 & ~umask)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def safe_child(folder: str | Path, name: str) -> Path:
    """A file name derived from spec data, made safe and kept inside `folder`."""
    import re

    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip(".-") or "unnamed"
    if cleaned.upper().split(".")[0] in {
        "CON",
        "PRN",
        "AUX",
        "NUL",
        *(f"COM{i}" for i in range(1, 10)),
        *(f"LPT{i}" for i in range(1, 10)),
    }:
        cleaned = f"_{cleaned}"
    base = Path(folder).resolve()
    # The name itself is not resolved: a link there is refused by write_text(in_folder=True).
    candidate = base / cleaned[:200]
    if candidate.parent != base:  # pragma: no cover - the cleaning above already prevents it
        raise ValueError(f"refusing to write {name!r} outside {base}")
    return candidate
