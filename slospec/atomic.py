"""Atomic file writes: a temporary file in the target folder, flushed, then renamed over the target."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def write_text(path: str | Path, text: str) -> None:
    """Write `text` to `path` so that readers see the old file or the new one, never a part.

    A symbolic link is written through (the link stays, its target gets the text). A file
    the new one cannot stand in for exactly - hard-linked, or owned by another user or group
    (as when root formats a user's file) - is rewritten in place instead, keeping its inode,
    owner, links and mode, with a copy of the old text beside it until the write is done.
    """
    target = Path(os.path.realpath(path))
    folder = target.parent
    try:
        info = target.stat()
    except FileNotFoundError:
        info = None
    if info is not None and (info.st_nlink > 1 or info.st_uid != os.geteuid()):
        _rewrite_in_place(target, text)
        return
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:100]}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if info is not None:
            # The kernel drops set-user/group-ID bits when a file's content changes; so do we.
            os.chmod(tmp, info.st_mode & 0o7777 & ~(stat.S_ISUID | stat.S_ISGID))
            if os.stat(tmp).st_gid != info.st_gid:
                try:
                    os.chown(tmp, -1, info.st_gid)
                except OSError:
                    os.unlink(tmp)
                    _rewrite_in_place(target, text)
                    return
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _rewrite_in_place(target: Path, text: str) -> None:
    """Overwrite the file's content through its own inode. A backup copy is written first (so
    a full disk or a read-only folder fails before the file is touched), space is reserved
    before writing, and a failed write puts the old content back."""
    data = text.encode("utf-8")
    old = target.read_bytes()
    fd, backup = tempfile.mkstemp(prefix=f".{target.name[:100]}.", suffix=".bak", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(old)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        os.unlink(backup)
        raise
    try:
        _overwrite(target, data, reserve=True)
    except BaseException:
        try:
            _overwrite(target, old, reserve=False)
        except OSError:  # the backup stays beside the file for the user
            raise
        os.unlink(backup)
        raise
    os.unlink(backup)


def _overwrite(target: Path, data: bytes, reserve: bool) -> None:
    out = os.open(target, os.O_WRONLY)
    try:
        if reserve and hasattr(os, "posix_fallocate") and data:
            try:
                os.posix_fallocate(out, 0, len(data))
            except OSError as exc:
                if exc.errno not in (95, 22):  # EOPNOTSUPP / EINVAL: the file system cannot reserve
                    raise
        view = memoryview(data)
        while view:
            view = view[os.write(out, view) :]
        os.ftruncate(out, len(data))
        mode = os.fstat(out).st_mode
        if reserve and mode & (stat.S_ISUID | stat.S_ISGID):  # as the kernel does for non-root writers
            os.fchmod(out, mode & 0o7777 & ~(stat.S_ISUID | stat.S_ISGID))
        os.fsync(out)
    finally:
        os.close(out)


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
    candidate = (base / cleaned[:200]).resolve()
    if candidate.parent != base:  # pragma: no cover - the cleaning above already prevents it
        raise ValueError(f"refusing to write {name!r} outside {base}")
    return candidate
