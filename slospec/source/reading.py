"""Reading one file safely: never blocking on a FIFO, never past a size limit, every failure
a one-line InputError (the lowest floor: the configuration and the loader both read through it)."""

from __future__ import annotations

import os
import stat
from typing import Any

from slospec.errors import SlospecError

__all__ = ["InputError", "TooLarge", "kind_of", "read_bounded", "read_stdin"]


class InputError(SlospecError):
    """A path that cannot be read at all (exit status 2)."""


class TooLarge(InputError):
    """A file over the size limit (lint reports it as SLO001 at 1:1)."""

    def __init__(self, path: str, size: int, limit: int) -> None:
        super().__init__(
            f"{path}: file is {size} bytes, larger than the limit of {limit} (max-file-size in the configuration)"
        )
        self.size, self.limit = size, limit


_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)
_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a directory"),
)


def kind_of(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_bounded(path: str, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes. Never blocks (a FIFO is opened
    non-blocking and refused), never reads past the limit (/dev/zero, a growing file); every
    failure is an InputError with a one-line message."""
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | _BINARY)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file or directory") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"{path}: is {kind_of(st.st_mode)}, not a regular file; not read")
        if st.st_size > limit:
            raise TooLarge(path, st.st_size, limit)
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise TooLarge(path, total, limit)
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def read_stdin(limit: int, stream: Any = None) -> str:
    """Standard input as text, at most `limit` bytes (max-file-size, as for a file): `lint -`
    with `< /dev/zero` stops at the limit instead of filling memory. UTF-8, a BOM dropped."""
    import sys

    source = stream if stream is not None else getattr(sys.stdin, "buffer", None)
    if source is None:  # a text stream without bytes underneath (a test's StringIO)
        text = sys.stdin.read(limit + 1)
        if len(text.encode("utf-8", "surrogatepass")) > limit:
            raise _stdin_too_large(limit)
        return text
    chunks, total = [], 0
    while True:
        chunk = source.read(min(1 << 20, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise _stdin_too_large(limit)
    raw = b"".join(chunks)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"<stdin>: not valid UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start}; give UTF-8 text"
        ) from None


def _stdin_too_large(limit: int) -> InputError:
    return InputError(
        f"<stdin>: more than {limit} bytes, the limit for one file (max-file-size in the configuration); not read"
    )
