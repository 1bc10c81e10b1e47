"""The one door to the pipeline: paths or text in, results out. The CLI and the tests call
these functions; each runs the same stages of `slospec.linter` (each file, then together)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from slospec.config import Config
from slospec.diagnostics import Diagnostic
from slospec.loader import SourceFile

# Rules that make a spec impossible to compile: it does not parse, breaks the schema, or
# names objects that do not exist (or exist twice).
BLOCKING = ("SLO001", "SLO002", "SLO004", "SLO005")
# Below this many files a worker pool costs more than it saves (start-up, pickling).
PARALLEL_THRESHOLD = 200


@dataclass
class Report:
    """What a lint run found, the files it read, and what it could not judge."""

    diagnostics: list[Diagnostic]
    files: int
    # One line each: files named on the command line that slospec does not read.
    notices: list[str] = field(default_factory=list)
    # One line each: bugs met on a file; the run still reports the others, then exits 2.
    crashes: list[str] = field(default_factory=list)

    def count(self, severity: str) -> int:
        return sum(1 for d in self.diagnostics if d.severity == severity)


@dataclass
class Loaded:
    """Specs ready for a back end (with where their values are), or what blocks them."""

    documents: list[Any]  # slospec.linter.CheckedDocument
    problems: list[Diagnostic]
    crashes: list[str] = field(default_factory=list)

    @property
    def specs(self) -> list[Any]:
        return [d.spec for d in self.documents]

    def __iter__(self):
        """`documents, problems = load_documents(...)`."""
        return iter((self.documents, self.problems))


def lint_sources(sources: Iterable[SourceFile], config: Config, *, keep_maps: bool = False,
                 project: bool = True) -> Report:
    """Lint parsed files: each alone, then together."""
    from slospec.linter import check_file, check_together

    results = [check_file(s, config, keep_maps=keep_maps) for s in sources]
    diagnostics = check_together(results, config, project=project)
    return Report(diagnostics, len(results), crashes=[r.crash for r in results if r.crash])


def lint_text(text: str, path: str = "spec.slo.yaml", config: Config | None = None) -> list[Diagnostic]:
    """Lint one in-memory file (tests, docs examples, editors). Reads no other file."""
    from slospec import loader

    config = config or Config()
    fmt = loader.file_format(path, text) or "yaml"
    report = lint_sources([loader.parse(path, text, fmt, config)], config, project=False)
    if report.crashes:
        raise RuntimeError(report.crashes[0])
    return report.diagnostics


def _read_and_check(job: tuple[str, Config, str | None, bool]):
    """One file, read and checked alone (or its cached result): the same function in a worker
    and in the parent. Returns (result, notice, whether a cache entry was written)."""
    from slospec import loader
    from slospec.linter import check_file

    path, config, stdin_text, explicit = job
    cached = _cached(path, config) if config.cache and path != "-" else None
    if cached is not None and cached[0] is not None:
        return cached[0], None, False
    source = loader.read(path, config, stdin_text)
    if source is None:
        return None, loader.unknown_notice(path, config) if explicit else None, False
    from slospec import cache

    # Only what the joint stage reads of each spec is kept (10,000 files in little memory).
    result = cache.slim(check_file(source, config))
    stored = False
    if cached is not None and source.text == cached[2]:  # unchanged since it was hashed
        stored = cache.store(cached[1], result)
    return result, None, stored


def _cached(path: str, config: Config):
    """(the cached result or None, its key, the text hashed), or None when not cacheable."""
    import os

    from slospec import cache, loader
    from slospec.document import ParseError

    try:
        if os.path.getsize(path) > config.max_file_size:
            return None
        with open(path, "rb") as handle:
            raw = handle.read()
        text = loader.decode(raw)
    except (OSError, ParseError):
        return None  # the reader reports it
    key = cache.entry_key(path, raw, _config_key(config))
    result = cache.load(key, path)
    if result is not None and "slospec:" in text:
        result.text = text  # suppression comments are applied in the joint stage
    return result, key, text


_last_config_key: list = [None, ""]  # (config, key): workers receive a copy of it per file


def _config_key(config: Config) -> str:
    if _last_config_key[0] is not config and _last_config_key[0] != config:
        from slospec import cache

        _last_config_key[:] = [config, cache.config_key(config)]
    return _last_config_key[1]


def _warm_up() -> None:
    """Import and compile what every worker needs once, before forking, so each inherits it."""
    from slospec import fastcheck, facts, model, schema, yamlfile  # noqa: F401
    from slospec.rules import all_rules

    all_rules()
    fastcheck.checker(schema.SPEC_SCHEMA)
    yamlfile.load_all("warm: up\n")


def _workers(config: Config, count: int) -> int:
    import os

    if config.jobs == 1 or count < PARALLEL_THRESHOLD:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(config.jobs or cores, cores, count // 50))


def lint_paths(paths: Sequence[str], config: Config, stdin_text: str | None = None) -> Report:
    """Lint files and folders (`-` is stdin): the `slospec lint` command."""
    from slospec import loader
    from slospec.linter import check_together

    jobs = [(path, config, stdin_text, explicit) for path, explicit in loader.discover(paths, config)]
    workers = _workers(config, len(jobs))
    if workers > 1:
        import multiprocessing

        # fork: the parent has already imported everything the workers need (Python 3.14
        # changes the default start method, so name it).
        context = multiprocessing.get_context("fork")
        _warm_up()
        with context.Pool(workers) as pool:
            pairs = pool.map(_read_and_check, jobs, chunksize=max(1, len(jobs) // (workers * 8)))
    else:
        pairs = [_read_and_check(job) for job in jobs]
    results = [r for r, _, _ in pairs if r is not None]
    notices = [n for _, n, _ in pairs if n]
    if any(stored for _, _, stored in pairs):
        from slospec import cache

        cache.prune()
    diagnostics = check_together(results, config)
    return Report(diagnostics, len(results), notices, [r.crash for r in results if r.crash])


def load_documents(paths: Sequence[str], config: Config, stdin_text: str | None = None) -> Loaded:
    """Specs for compile, convert and eval: the lint pipeline with only the blocking rules."""
    from slospec import loader

    strict = replace(config, select=BLOCKING, ignore=())
    sources = []
    for path, _explicit in loader.discover(paths, strict):
        source = loader.read(path, strict, stdin_text)
        if source is not None:
            sources.append(source)
    from slospec.linter import check_file, check_together

    results = [check_file(s, strict, keep_maps=True) for s in sources]
    problems = [d for d in check_together(results, strict) if d.severity == "error"]
    return Loaded([d for r in results for d in r.documents], problems, [r.crash for r in results if r.crash])


def load_specs(paths: Sequence[str], config: Config, stdin_text: str | None = None
               ) -> tuple[list[Any], list[Diagnostic]]:
    """Specs ready for a back end, or the blocking problems that stop compilation."""
    loaded = load_documents(paths, config, stdin_text)
    if loaded.crashes:
        raise InternalError(loaded.crashes[0])
    return loaded.specs, loaded.problems


class InternalError(Exception):
    """A bug in slospec met while checking a file: reported in one line, exit status 2."""
