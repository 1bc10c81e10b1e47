"""The per-file result cache: an unchanged file's own findings, read back instead of recomputed.

An entry is keyed by the file's path and bytes, the configuration, and slospec's version and
code, so a hit is exactly what `slospec.linter.check_file` would return again. Only files that
the joint stage needs nothing more from are cached: native specs and other tools' formats
(OpenSLO files keep their parsed objects for the joint stage and are always read afresh).
For the one project rule (duplicate service names), an entry keeps a stand-in of each spec:
its origin, service name, path, the spans of `service.name`, and a digest of its data that
compares equal exactly when the data would.

Safety, as for the grammar cache: entries are JSON (never pickle), live in a private 0700
folder this user owns (opened once, without following links, and used through its file
descriptor), are read only when they are regular files (O_NOFOLLOW, O_NONBLOCK: a planted
link or FIFO is a miss, never a hang), are written to a fresh temporary name and renamed into
place, and are bounded in size and number. Anything unexpected is a miss, never an error.
"""

from __future__ import annotations

import functools
import json
import os
import stat
from decimal import Decimal
from fractions import Fraction
from typing import Any

try:  # the built-in SHA-256: the same digests, without loading OpenSSL (a tenth of a cached run)
    from _sha256 import sha256
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import sha256

FOLDER = "results-v1"
MAX_ENTRY_BYTES = 1 << 20  # a file with more findings than this is cheaper to recompute
MAX_ENTRIES = 20_000  # past this many, the oldest quarter is removed
FORMAT = 2  # 2: each diagnostic carries its fix


def _base() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "slospec")


_folder_fd: dict[str, int | None] = {}


def _folder() -> int | None:
    """A descriptor of the private results folder, or None (then nothing is cached)."""
    where = os.path.join(_base(), FOLDER)
    if where in _folder_fd:
        return _folder_fd[where]
    fd = None
    try:
        os.makedirs(os.path.dirname(where), mode=0o700, exist_ok=True)
        try:
            os.mkdir(where, 0o700)
        except FileExistsError:
            pass
        fd = os.open(where, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        info = os.fstat(fd)
        # Someone else's folder, or one others may write into, is not ours to trust.
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
            os.close(fd)
            fd = None
    except OSError:
        fd = None
    _folder_fd[where] = fd
    return fd


@functools.cache
def _code_fingerprint() -> str:
    """slospec's version and its code as installed: an edited checkout never reads stale entries."""
    from slospec import __version__

    digest = sha256(__version__.encode())
    root = os.path.dirname(os.path.abspath(__file__))
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".json", ".lark")):
                info = os.stat(os.path.join(folder, name))
                digest.update(f"{folder}/{name}:{info.st_size}:{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def config_key(config: Any) -> str:
    """Everything in the configuration that can change one file's findings."""
    from dataclasses import fields

    skip = {"jobs", "format", "cache"}
    data = {f.name: _jsonable(getattr(config, f.name)) for f in fields(config) if f.name not in skip}
    return sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def entry_key(path: str, raw: bytes, config_digest: str) -> str:
    digest = sha256()
    for part in (_code_fingerprint(), config_digest, path):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    digest.update(raw)
    return digest.hexdigest()


class _Unequal(Exception):
    """Data that equals nothing else (it holds a NaN)."""


def _canonical(value: Any) -> Any:
    """A JSON form that two values share exactly when they compare equal (1 == 1.0 == True)."""
    if isinstance(value, (bool, int, Decimal, float, Fraction)):
        if isinstance(value, (Decimal, float)) and value != value:
            raise _Unequal
        if isinstance(value, (Decimal, float)) and value in (Decimal("Infinity"), Decimal("-Infinity")):
            return ["n", "inf" if value > 0 else "-inf"]
        return ["n", str(Fraction(value))]
    if isinstance(value, str):
        return ["s", value]
    if value is None:
        return ["z"]
    if isinstance(value, list):
        return ["l", [_canonical(v) for v in value]]
    if isinstance(value, dict):
        items = sorted((json.dumps(_canonical(k)), _canonical(v)) for k, v in value.items())
        return ["d", items]
    raise TypeError(f"no canonical form for {type(value).__name__}")


def data_digest(data: Any) -> str | None:
    """None: the data holds a NaN and equals no other data."""
    try:
        return sha256(json.dumps(_canonical(data)).encode()).hexdigest()
    except _Unequal:
        return None


class DataDigest:
    """Stands in for a cached spec's data: equal to data (or a digest) exactly when it would be."""

    __slots__ = ("digest",)

    def __init__(self, digest: str | None) -> None:
        self.digest = digest

    def __eq__(self, other: object) -> bool:
        if self.digest is None:
            return False
        if isinstance(other, DataDigest):
            return other.digest == self.digest
        try:
            return data_digest(other) == self.digest
        except TypeError:
            return False

    # Equal by content, so not hashable (typeshed declares __hash__ a method, hence the ignore).
    __hash__ = None  # type: ignore[assignment]


class _Service:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


class SpecStandIn:
    """What the joint stage reads of a cached spec (`duplicate_name.check_project`)."""

    __slots__ = ("service", "path", "origin", "data", "operations")

    def __init__(self, service: str, path: str, origin: str, digest: str | None) -> None:
        self.service = _Service(service)
        self.path = path
        self.origin = origin
        self.data = DataDigest(digest)
        self.operations = None  # the project facts; no project rule reads them


def _read(fd: int, name: str) -> bytes | None:
    try:
        handle = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=fd)
    except OSError:
        return None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES:
            return None
        chunks = []
        while True:
            chunk = os.read(handle, MAX_ENTRY_BYTES + 1)
            if not chunk:
                break
            chunks.append(chunk)
            if sum(map(len, chunks)) > MAX_ENTRY_BYTES:
                return None
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(handle)


def load(key: str, path: str) -> Any | None:
    """The cached FileResult of this key, or None (a miss)."""
    fd = _folder()
    if fd is None:
        return None
    raw = _read(fd, key + ".json")
    if raw is None:
        return None
    try:
        return _decode(json.loads(raw), key, path)
    except Exception:  # noqa: BLE001 - a damaged or foreign entry is a miss
        return None


def _span(items: list) -> Any:
    from slospec.diagnostics import Span

    line, column, end_line, end_column = (int(x) for x in items)
    return Span(line, column, end_line, end_column)


def _decode(entry: dict, key: str, path: str) -> Any:
    from slospec.diagnostics import Diagnostic, Fix
    from slospec.document import SourceMap
    from slospec.linter import CheckedDocument, FileResult

    if entry["format"] != FORMAT or entry["key"] != key:
        raise ValueError("not this entry")
    result = FileResult(path, "")
    for span, code, name, severity, message, fix in entry["diagnostics"]:
        if not all(isinstance(x, str) for x in (code, name, severity, message)):
            raise ValueError("bad diagnostic")
        # The fix travels with the finding: `lint --fix` after a cached lint must still fix.
        edit = None if fix is None else Fix(_span(fix[0]), str(fix[1]))
        result.diagnostics.append(Diagnostic(path, _span(span), code, name, severity, message, fix=edit))
    for doc in entry["documents"]:
        spec = SpecStandIn(str(doc["service"]), path, str(doc["origin"]), doc["data"])
        values = {tuple(p): _span(s) for p, s in doc["values"]}
        keys = {tuple(p): _span(s) for p, s in doc["keys"]}
        result.documents.append(CheckedDocument(spec, SourceMap(values, keys), path))
    return result


def slim(result: Any) -> Any:
    """The result with each spec replaced by its stand-in: what a cache hit returns, so a
    cold run keeps (and its workers send back) as little as a warm one."""
    if not cacheable(result):
        return result
    from slospec.linter import CheckedDocument

    result.documents = [
        CheckedDocument(
            SpecStandIn(doc.spec.service.name, doc.spec.path, doc.spec.origin, _digest_of(doc.spec.data)),
            doc.source_map,
            doc.path,
        )
        for doc in result.documents
    ]
    return result


def _digest_of(data: Any) -> str | None:
    return data.digest if isinstance(data, DataDigest) else data_digest(data)


def _encode(result: Any, key: str) -> dict | None:
    documents = []
    for doc in result.documents:
        spec = doc.spec
        documents.append(
            {
                "service": spec.service.name,
                "origin": spec.origin,
                "data": _digest_of(spec.data),
                "values": [[list(p), list(s)] for p, s in doc.source_map.values.items()],
                "keys": [[list(p), list(s)] for p, s in doc.source_map.keys.items()],
            }
        )
    return {
        "format": FORMAT,
        "key": key,
        "diagnostics": [
            [
                list(d.span),
                d.code,
                d.name,
                d.severity,
                d.message,
                None if d.fix is None else [list(d.fix.span), d.fix.replacement],
            ]
            for d in result.diagnostics
        ],
        "documents": documents,
    }


def cacheable(result: Any) -> bool:
    """Files whose joint-stage needs an entry can stand in for (not OpenSLO, no crash)."""
    return result.crash is None and result.source is None and not result.sound


def store(key: str, result: Any) -> bool:
    """Write the entry (atomically, never through a link); False when nothing was written."""
    if not cacheable(result):
        return False
    try:
        entry = _encode(result, key)
    except (TypeError, ValueError):
        return False
    return write_entry(key, entry)


def read_entry(key: str) -> Any | None:
    """The JSON entry stored under `key` (a hex digest), or None: a miss, never an error."""
    fd = _folder()
    if fd is None:
        return None
    raw = _read(fd, key + ".json")
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def write_entry(key: str, entry: Any) -> bool:
    """Store a JSON entry under `key` (atomically, never through a link); False when not written."""
    fd = _folder()
    if fd is None:
        return False
    try:
        data = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
    except (TypeError, ValueError):
        return False
    if len(data) > MAX_ENTRY_BYTES:
        return False
    temporary = f".{key}.{os.getpid()}.tmp"
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600, dir_fd=fd)
    except OSError:
        return False
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view) :]
        finally:
            os.close(handle)
        os.replace(temporary, key + ".json", src_dir_fd=fd, dst_dir_fd=fd)
        return True
    except OSError:
        try:
            os.unlink(temporary, dir_fd=fd)
        except OSError:
            pass
        return False


def text_key(kind: str, text: str) -> str:
    """The key of a result that depends on a text alone (and slospec's code): `fmt`'s."""
    digest = sha256()
    for part in (_code_fingerprint(), kind):
        digest.update(part.encode() + b"\0")
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def prune(limit: int = MAX_ENTRIES) -> None:
    """Keep the folder bounded: past `limit` entries, remove the oldest quarter."""
    fd = _folder()
    if fd is None:
        return
    try:
        entries = []
        with os.scandir(fd) as found:
            for entry in found:
                if entry.name.endswith(".json") and entry.is_file(follow_symlinks=False):
                    entries.append((entry.stat(follow_symlinks=False).st_mtime_ns, entry.name))
        if len(entries) <= limit:
            return
        entries.sort()
        for _mtime, name in entries[: len(entries) - limit * 3 // 4]:
            try:
                os.unlink(name, dir_fd=fd)
            except OSError:
                pass
    except OSError:
        return
