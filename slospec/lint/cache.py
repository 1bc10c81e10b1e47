"""The per-file result cache: an unchanged file's own findings, read back instead of recomputed.

An entry is keyed by the file's path and bytes, the configuration, and slospec's version and
code, so a hit is exactly what `slospec.lint.engine.check_file` would return again. Only files that
the joint stage needs nothing more from are cached: native specs and other tools' formats
(OpenSLO files keep their parsed objects for the joint stage: only a whole run's report,
below, spares reading them again).
For the one project rule (duplicate service names), an entry keeps a stand-in of each spec:
its origin, service name, path, the spans of `service.name`, and a digest of its data that
compares equal exactly when the data would.

Lint's entries for the files of one folder under one configuration live in one index file
(`Index`), read once per run: an unchanged file costs a read, a hash and a dictionary look-up.
A hit is always confirmed by the hash of the file's bytes, never by its size and time alone
(a file rewritten within the same clock tick keeps both, which git's index must work around).
A whole run's report is kept too (`store_report`), under the keys of all its files: the next
run over the same unchanged files prints it without reading an index or the joint stage.

Safety: entries are JSON (never pickle), live in a private 0700
folder this user owns (opened once, without following links, and used through its file
descriptor), are read only when they are regular files (O_NOFOLLOW, O_NONBLOCK: a planted
link or FIFO is a miss, never a hang), are written to a fresh temporary name and renamed into
place (two runs at once: the last rename wins, each index whole), and are bounded in size and
number. Anything unexpected is a miss, never an error.
"""

from __future__ import annotations

import functools
import json
import os
import stat
from typing import Any

try:  # the built-in SHA-256: the same digests, without loading OpenSSL (a tenth of a cached run)
    from _sha256 import sha256
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import sha256

FOLDER = "results-v1"
MAX_ENTRY_BYTES = 1 << 20  # a file with more findings than this is cheaper to recompute
MAX_INDEX_BYTES = 64 << 20  # one folder's index; past this, other files' lines are left out
MAX_ENTRIES = 20_000  # past this many files in the folder, the oldest quarter is removed
MAX_TOTAL_BYTES = 512 << 20  # past this many bytes in the folder, the oldest go until 3/4 remain
FORMAT = 3  # 2: each diagnostic carries its fix; 3: lint's entries in one index per folder
STALE_TEMPORARY_NS = 3600 * 10**9  # a temporary file this old was left by a run that died


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

    skip = {"jobs", "format", "cache", "force_exclude"}
    data = {f.name: _jsonable(getattr(config, f.name)) for f in fields(config) if f.name not in skip}
    policies = getattr(config, "policy", None)
    if policies is not None and policies.waivers:  # a waiver expires: yesterday's result is not today's
        from slospec.specmodel.policy import today

        data["today"] = today().isoformat()
    return sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def entry_key(path: str, raw: bytes, config_digest: str) -> str:
    digest = sha256()
    for part in (_code_fingerprint(), config_digest, path):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    digest.update(raw)
    return digest.hexdigest()


class _Unequal(Exception):
    """Data that equals nothing else (it holds a NaN)."""


def _feed(value: Any, out: list[str]) -> None:
    """Append a canonical form of `value`: two values share it exactly when they compare
    equal (1 == 1.0 == True == Decimal("1.0")). Every part is self-delimiting (strings carry
    their length, numbers end in `;`), so distinct data never runs together into one form."""
    kind = type(value)
    if kind is str:
        out.append(f"s{len(value)}:{value}")
    elif kind is dict:
        _feed_dict(value, out)
    elif kind is list:
        out.append(f"l{len(value)}:")
        for item in value:
            _feed(item, out)
    elif kind is int or kind is bool:
        out.append(f"n{int(value)};")
    elif value is None:
        out.append("z")
    else:
        _feed_other(value, out)


def _feed_dict(value: dict, out: list[str]) -> None:
    items = []
    for key, item in value.items():
        if type(key) is str:
            items.append((f"s{len(key)}:{key}", item))
        else:
            form: list[str] = []
            _feed(key, form)
            items.append(("".join(form), item))
    # Keys that compare equal cannot share a dict, so their forms are distinct: a total order.
    items.sort(key=lambda pair: pair[0])
    out.append(f"d{len(items)}:")
    for form_of_key, item in items:
        out.append(form_of_key)
        _feed(item, out)


def _feed_other(value: Any, out: list[str]) -> None:
    """Subclasses (ruamel's scalars), and the numbers that need exact arithmetic."""
    from decimal import Decimal
    from fractions import Fraction

    if isinstance(value, int):  # bool included
        out.append(f"n{int(value)};")
    elif isinstance(value, (Decimal, float, Fraction)):
        if value != value:
            raise _Unequal
        if value in (float("inf"), float("-inf")):
            out.append("ninf;" if value > 0 else "n-inf;")
        else:
            out.append(f"n{Fraction(value)};")  # 2.5 == Decimal("2.50") == Fraction(5, 2)
    elif isinstance(value, str):
        out.append(f"s{len(value)}:{value}")
    elif isinstance(value, list):
        out.append(f"l{len(value)}:")
        for item in value:
            _feed(item, out)
    elif isinstance(value, dict):
        _feed_dict(value, out)
    else:
        raise TypeError(f"no canonical form for {type(value).__name__}")


def data_digest(data: Any) -> str | None:
    """None: the data holds a NaN and equals no other data."""
    out: list[str] = []
    try:
        _feed(data, out)
    except _Unequal:
        return None
    return sha256("".join(out).encode("utf-8", "surrogatepass")).hexdigest()


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


def _read(fd: int, name: str, limit: int = MAX_ENTRY_BYTES) -> bytes | None:
    try:
        handle = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=fd)
    except OSError:
        return None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        chunks, total = [], 0
        while True:
            chunk = os.read(handle, max(info.st_size + 1, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                return None
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(handle)


def _write(fd: int, name: str, data: bytes) -> bool:
    """Write `name` atomically: a fresh temporary file (never a link's target), then a rename."""
    temporary = f".{name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
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
        os.replace(temporary, name, src_dir_fd=fd, dst_dir_fd=fd)
        return True
    except OSError:
        try:
            os.unlink(temporary, dir_fd=fd)
        except OSError:
            pass
        return False


def _span(items: list) -> Any:
    from slospec.diagnostics import Span

    line, column, end_line, end_column = items
    if type(line) is not int or type(column) is not int or type(end_line) is not int or type(end_column) is not int:
        raise ValueError("bad span")
    return Span(line, column, end_line, end_column)


def _decode(entry: dict, path: str) -> Any:
    from slospec.diagnostics import Diagnostic, Fix
    from slospec.lint.engine import CheckedDocument, FileResult
    from slospec.source.document import SourceMap

    result = FileResult(path, "")
    for span, code, name, severity, message, fix in entry["diagnostics"]:
        if not all(isinstance(x, str) for x in (code, name, severity, message)):
            raise ValueError("bad diagnostic")
        # The fix travels with the finding: `lint --fix` after a cached lint must still fix.
        edit = None if fix is None else Fix(_span(fix[0]), str(fix[1]))
        result.diagnostics.append(Diagnostic(path, _span(span), code, name, severity, message, fix=edit))
    for doc in entry["documents"]:
        digest = doc["data"]
        if digest is not None and not isinstance(digest, str):
            raise ValueError("bad digest")
        spec = SpecStandIn(str(doc["service"]), path, str(doc["origin"]), digest)
        values = {tuple(p): _span(s) for p, s in doc["values"]}
        keys = {tuple(p): _span(s) for p, s in doc["keys"]}
        result.documents.append(CheckedDocument(spec, SourceMap(values, keys), path))
    return result


def slim(result: Any) -> Any:
    """The result with each spec replaced by its stand-in: what a cache hit returns, so a
    cold run keeps (and its workers send back) as little as a warm one."""
    if not cacheable(result):
        return result
    from slospec.lint.engine import CheckedDocument

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


def _encode(result: Any) -> dict:
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
        "diagnostics": [_finding(d) for d in result.diagnostics],
        "documents": documents,
    }


def cacheable(result: Any) -> bool:
    """Files whose joint-stage needs an entry can stand in for (not OpenSLO, no crash)."""
    return result.crash is None and result.source is None and not result.sound


def entry_line(path: str, key: str, result: Any) -> bytes | None:
    """The index line of a file's result (None: not cacheable): made where the file was checked
    (a worker), stored by the parent. Tabs and newlines only separate: JSON escapes its own."""
    if not cacheable(result):
        return None
    try:
        where = json.dumps(path, ensure_ascii=False)
        entry = json.dumps(_encode(result), ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError):
        return None
    line = f"{key}\t{where}\t{entry}".encode("utf-8", "surrogatepass")
    return line if len(line) <= MAX_ENTRY_BYTES else None


def _header() -> bytes:
    return f"slospec-lint-index {FORMAT} {_code_fingerprint()}\n".encode()


def _parse(raw: bytes | None) -> dict[bytes, tuple[bytes, bytes]]:
    """key -> (path as JSON, entry as JSON) of an index; anything damaged reads as no line.
    Another version of slospec (another header) has nothing this one can use."""
    lines: dict[bytes, tuple[bytes, bytes]] = {}
    header = _header()
    if raw is None or not raw.startswith(header):
        return lines
    for line in raw[len(header) :].split(b"\n"):
        parts = line.split(b"\t", 2)
        if len(parts) == 3 and len(parts[0]) == 64:
            lines[parts[0]] = (parts[1], parts[2])
    return lines


class Index:
    """Lint's entries for the files of one folder under one configuration: one file, read once
    (the first look-up) and written once (`save`), whatever the number of files."""

    def __init__(self, name: str, folder: str) -> None:
        self.name = name
        self.folder = folder  # absolute: where the files of its lines are looked for
        self._lines: dict[bytes, tuple[bytes, bytes]] | None = None
        self._paths: set[bytes] = set()
        self._changes: dict[bytes, bytes | None] = {}  # path as JSON -> its new line, or None

    def _loaded(self) -> dict[bytes, tuple[bytes, bytes]]:
        if self._lines is None:
            fd = _folder()
            self._lines = _parse(None if fd is None else _read(fd, self.name, MAX_INDEX_BYTES))
            self._paths = {where for where, _entry in self._lines.values()}
        return self._lines

    def get(self, key: str, path: str) -> Any | None:
        """The cached FileResult of this key, or None (a miss)."""
        found = self._loaded().get(key.encode())
        if found is None:
            return None
        try:
            return _decode(json.loads(found[1]), path)
        except Exception:  # noqa: BLE001 - a damaged or foreign line is a miss
            return None

    def put(self, path: str, line: bytes | None) -> None:
        """Record a file's new line (None: it has none now) for `save`."""
        where = json.dumps(path, ensure_ascii=False).encode("utf-8", "surrogatepass")
        if line is None and where not in self._paths:
            return  # nothing to forget
        self._changes[where] = line

    def save(self) -> bool:
        """Write the index with this run's changes (atomically); False when nothing was written.
        What another run wrote meanwhile is kept, except lines of files that no longer exist."""
        if not self._changes:
            return False
        fd = _folder()
        if fd is None:
            return False
        current = _parse(_read(fd, self.name, MAX_INDEX_BYTES))
        header = _header()
        out = [header]
        size = len(header)
        for line in self._changes.values():
            if line is not None and size + len(line) + 1 <= MAX_INDEX_BYTES:
                out += (line, b"\n")
                size += len(line) + 1
        for key, (where, entry) in current.items():
            if where in self._changes or not self._exists(where):
                continue
            size += len(key) + len(where) + len(entry) + 3
            if size > MAX_INDEX_BYTES:
                break
            out += (key, b"\t", where, b"\t", entry, b"\n")
        self._changes.clear()
        self._lines = None
        return _write(fd, self.name, b"".join(out))

    def _exists(self, where: bytes) -> bool:
        try:
            path = json.loads(where)
            return isinstance(path, str) and os.path.lexists(os.path.join(self.folder, os.path.basename(path)))
        except (ValueError, OSError):
            return False


class Indexes:
    """The indexes one lint run reads and writes, one per (configuration, folder)."""

    def __init__(self) -> None:
        self._by_folder: dict[tuple[str, str], Index] = {}

    def of(self, path: str, config_digest: str) -> Index:
        where = os.path.dirname(path)
        found = self._by_folder.get((config_digest, where))
        if found is None:
            folder = os.path.abspath(where)
            digest = sha256(f"{config_digest}\0{folder}".encode("utf-8", "surrogatepass")).hexdigest()
            found = self._by_folder[(config_digest, where)] = Index(f"lint-{digest}.idx", folder)
        return found

    def save(self) -> bool:
        """Write every index this run changed; True when any was written (then prune)."""
        written = False
        for index in self._by_folder.values():
            written = index.save() or written
        return written


def _finding(d: Any) -> list[Any]:
    """One diagnostic as stored (its path aside): span, code, name, severity, message, fix."""
    fix = None if d.fix is None else [list(d.fix.span), d.fix.replacement]
    return [list(d.span), d.code, d.name, d.severity, d.message, fix]


def store_report(key: str, report: Any) -> bool:
    """Keep a whole lint run's report (`api._run_key`): an unchanged project's next run prints
    it without reading one index or running the joint stage. False when nothing was written."""
    fd = _folder()
    if fd is None:
        return False
    try:
        entry = {
            "format": FORMAT,
            "key": key,
            "files": report.files,
            "failing": report.failing,
            "notices": list(report.notices),
            "diagnostics": [[d.path, *_finding(d)] for d in report.diagnostics],
        }
        data = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
    except (TypeError, ValueError):
        return False
    if len(data) > MAX_INDEX_BYTES:
        return False
    return _write(fd, f"run-{key}.json", data)


def load_report(key: str) -> tuple[list[Any], int, list[str], int] | None:
    """The report kept under `key` as (diagnostics, files, notices, failing), or None: a miss,
    never an error. (The caller builds its Report: the cache does not import the api.)"""
    fd = _folder()
    if fd is None:
        return None
    raw = _read(fd, f"run-{key}.json", MAX_INDEX_BYTES)
    if raw is None:
        return None
    try:
        from slospec.diagnostics import Diagnostic, Fix

        entry = json.loads(raw)
        if entry["format"] != FORMAT or entry["key"] != key:
            return None
        files, failing, notices = entry["files"], entry["failing"], entry["notices"]
        if type(files) is not int or type(failing) is not int or not all(type(n) is str for n in notices):
            return None
        diagnostics = []
        for path, span, code, name, severity, message, fix in entry["diagnostics"]:
            if not all(type(x) is str for x in (path, code, name, severity, message)):
                return None
            edit = None if fix is None else Fix(_span(fix[0]), str(fix[1]))
            diagnostics.append(Diagnostic(path, _span(span), code, name, severity, message, fix=edit))
        return diagnostics, files, list(notices), failing
    except Exception:  # noqa: BLE001 - a damaged or foreign entry is a miss
        return None


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
    return _write(fd, key + ".json", data)


def text_key(kind: str, text: str) -> str:
    """The key of a result that depends on a text alone (and slospec's code): `fmt`'s."""
    digest = sha256()
    for part in (_code_fingerprint(), kind):
        digest.update(part.encode() + b"\0")
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def prune(limit: int = MAX_ENTRIES, limit_bytes: int = MAX_TOTAL_BYTES) -> None:
    """Keep the folder bounded: past `limit` entries (fmt's entries, lint's indexes and kept
    reports) or `limit_bytes`, remove the oldest until three quarters remain; temporary files
    left by a run that died are removed after an hour."""
    fd = _folder()
    if fd is None:
        return
    try:
        import time

        entries = []
        stale = time.time_ns() - STALE_TEMPORARY_NS
        with os.scandir(fd) as found:
            for entry in found:
                if not entry.is_file(follow_symlinks=False):
                    continue
                info = entry.stat(follow_symlinks=False)
                if entry.name.endswith((".json", ".idx")):
                    entries.append((info.st_mtime_ns, info.st_size, entry.name))
                elif entry.name.endswith(".tmp") and info.st_mtime_ns < stale:
                    _unlink(fd, entry.name)
        total = sum(size for _mtime, size, _name in entries)
        if len(entries) <= limit and total <= limit_bytes:
            return
        entries.sort()
        count = len(entries)
        for _mtime, size, name in entries:
            if count <= limit * 3 // 4 and total <= limit_bytes * 3 // 4:
                break
            _unlink(fd, name)
            count -= 1
            total -= size
    except OSError:
        return


def _unlink(fd: int, name: str) -> None:
    try:
        os.unlink(name, dir_fd=fd)
    except OSError:
        pass
