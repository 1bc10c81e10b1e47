"""The DSL's LALR parser, cached per user in an authenticated file that is never trusted blindly.

Building the parser costs ~40 ms, loading it ~3 ms, so it is cached in the user's cache
folder. lark's own cache is a pickle with a computable name: anyone who can write there can
run code as the next user of slospec, a symlink there gets its target overwritten, a FIFO
there hangs every DSL command. So this cache:

- lives in a folder owned by the user and writable by nobody else (else: no cache);
- is only unpickled after its HMAC-SHA256 checks out against a per-user secret file
  (32 random bytes, created 0600 with O_EXCL, refused if foreign-owned or readable by others);
- is opened with O_NOFOLLOW | O_NONBLOCK and used only when it is a regular file of the
  user's, of bounded size (a FIFO or device is skipped, never read);
- is written to a fresh temporary file and renamed into place (never written through a link).

Any problem means "build it in memory": the cache can only make slospec faster.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import stat
from typing import Any

MAGIC = b"slospec-grammar-v1\n"
SECRET_NAME = "grammar-secret"
SECRET_SIZE = 32
MAX_CACHE_BYTES = 4 * 1024 * 1024

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)


def cache_folder() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "slospec")


def cache_key(grammar: str, options: dict) -> str:
    import lark

    text = f"{lark.__version__}\n{sorted(options.items())}\n{grammar}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def cache_path(grammar: str, options: dict) -> str:
    return os.path.join(cache_folder(), f"grammar-{cache_key(grammar, options)}.bin")


def load_parser(grammar: str, options: dict) -> Any:
    """A lark parser for `grammar`: from a verified cache file, or built (and cached)."""
    from lark import Lark

    folder = cache_folder()
    key = cache_key(grammar, options)
    path = os.path.join(folder, f"grammar-{key}.bin")
    secret = _secret(folder)
    if secret is not None:
        blob = _read_verified(path, secret, key)
        if blob is not None:
            try:
                return Lark.load(io.BytesIO(blob))
            except Exception:  # noqa: BLE001 - our own file, yet unreadable (another lark?): rebuild
                pass
    parser = Lark(grammar, **options)
    if secret is not None:
        _write(folder, path, secret, key, parser)
    return parser


def _mine(st: os.stat_result) -> bool:
    """Owned by the current user (where the platform has owners)."""
    return not hasattr(os, "geteuid") or st.st_uid == os.geteuid()


def _private_folder(folder: str) -> bool:
    """The folder exists (created 0700 when missing), is ours and nobody else can write in it."""
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        st = os.stat(folder)
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode) or not _mine(st):
        return False
    return os.name == "nt" or not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _open_regular(path: str, limit: int) -> bytes | None:
    """The bytes of `path` if it is a regular file of ours within `limit`; never follows a
    link and never blocks (a FIFO opens at once with O_NONBLOCK and is then refused)."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _BINARY)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or not _mine(st) or st.st_size > limit:
            return None
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                return None
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


def _secret(folder: str) -> bytes | None:
    """The per-user key that authenticates cache files, created on first use."""
    if not _private_folder(folder):
        return None
    path = os.path.join(folder, SECRET_NAME)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY, 0o600)
    except FileExistsError:
        return _read_secret(path)
    except OSError:
        return None
    key = os.urandom(SECRET_SIZE)
    try:
        written = os.write(fd, key)
    except OSError:
        written = 0
    finally:
        os.close(fd)
    if written != SECRET_SIZE:
        try:
            os.unlink(path)
        except OSError:
            pass
        return None
    return key


def _read_secret(path: str) -> bytes | None:
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if os.name != "nt" and st.st_mode & 0o077:
        return None  # readable or writable by others: not a secret
    data = _open_regular(path, SECRET_SIZE)
    return data if data is not None and len(data) == SECRET_SIZE else None


def _mac(secret: bytes, key: str, blob: bytes) -> bytes:
    return hmac.new(secret, MAGIC + key.encode() + b"\n" + blob, hashlib.sha256).digest()


def _read_verified(path: str, secret: bytes, key: str) -> bytes | None:
    data = _open_regular(path, MAX_CACHE_BYTES)
    if data is None or not data.startswith(MAGIC):
        return None
    mac, blob = data[len(MAGIC) : len(MAGIC) + 32], data[len(MAGIC) + 32 :]
    return blob if hmac.compare_digest(mac, _mac(secret, key, blob)) else None


def _write(folder: str, path: str, secret: bytes, key: str, parser: Any) -> None:
    import tempfile

    buffer = io.BytesIO()
    try:
        parser.save(buffer)
    except Exception:  # noqa: BLE001 - a parser lark cannot serialise is simply not cached
        return
    blob = buffer.getvalue()
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".grammar-", dir=folder)  # O_EXCL, mode 0600
        with os.fdopen(fd, "wb") as out:
            out.write(MAGIC + _mac(secret, key, blob) + blob)
        os.replace(tmp, path)  # replaces a link at `path`, never writes through it
        tmp = None
    except OSError:
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
