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
    """One file, read and checked alone: the same function in a worker and in the parent."""
    from slospec import loader
    from slospec.linter import check_file

    path, config, stdin_text, explicit = job
    source = loader.read(path, config, stdin_text)
    if source is None:
        return None, loader.unknown_notice(path, config) if explicit else None
    return check_file(source, config), None


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
    results = [r for r, _ in pairs if r is not None]
    notices = [n for _, n in pairs if n]
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


class UserError(Exception):
    """Something the user can fix (a file that cannot be converted or compiled): one line."""


@dataclass
class Compiled:
    """The artefacts of a back end, or the blocking problems that stopped compilation."""

    artifacts: list[Any]
    # Every artefact in one stream or file (a back end that cannot stack documents, such as
    # Prometheus rule files, merges them into one valid file).
    joined: str = ""
    problems: list[Diagnostic] = field(default_factory=list)


def compile_paths(paths: Sequence[str], target: str, config: Config, *, internal: bool = False,
                  template: str | None = None, stdin_text: str | None = None) -> Compiled:
    """`slospec compile`: load the specs (blocking rules only), then run one back end."""
    from slospec import backends

    if target not in backends.BACKENDS:
        raise UserError(f"unknown target {target!r}; choose from {', '.join(sorted(backends.BACKENDS))}")
    specs, problems = load_specs(paths, config, stdin_text)
    module = backends.load(target)
    if problems:
        return Compiled([], "", problems)
    if not specs:
        raise UserError(f"no specs found in {', '.join(paths)}")
    options = backends.CompileOptions(internal=internal, template=template, config=config)
    try:
        artifacts = module.compile(specs, options)
    except backends.CompileError as exc:
        raise UserError(str(exc)) from None
    join = getattr(module, "join", None)
    return Compiled(artifacts, join(artifacts) if join else module.JOINER.join(a.text for a in artifacts))


@dataclass
class Conversion:
    """`slospec convert`'s text, and notes on what the target syntax cannot express."""

    text: str
    notes: list[str] = field(default_factory=list)


def convert_path(path: str, to: str, config: Config | None = None, stdin_text: str | None = None) -> Conversion:
    """`slospec convert`: one file of any syntax slospec reads to `to` (yaml, dsl, openslo)."""
    from slospec import backends, loader, model, yamlout

    config = config or Config()
    source = loader.read(path, config, stdin_text)
    if source is None:
        raise UserError(f"{path}: not a slospec, OpenSLO, Sloth, Pyrra or slo-generator file")
    if source.error is not None:
        span = source.error.span
        raise UserError(f"{path}:{span.line}:{span.column}: {source.error.message}")
    notes: list[str] = []
    if source.format in ("sloth", "pyrra", "slogen"):
        datas = _convert_other(path, source, notes)
    elif source.format == "openslo":
        from slospec.openslo.importer import to_slospec

        datas = to_slospec(source)
        if not datas:
            raise UserError(f"{path}: no OpenSLO v1 SLO objects to convert")
    else:
        specs, problems = load_specs([path], config, stdin_text)
        if problems:
            first = problems[0]
            raise UserError(f"{first.path}:{first.span.line}:{first.span.column}: {first.code} {first.message}")
        datas = [s.data for s in specs]
    if to == "yaml":
        text = yamlout.dump_all(datas)
    elif to == "dsl":
        from slospec import dsl

        text = dsl.dump(datas)
    elif to == "openslo":
        specs = [model.build(d, path) for d in datas]
        module = backends.load("openslo")
        text = module.JOINER.join(a.text for a in module.compile(specs, backends.CompileOptions()))
    else:
        raise UserError(f"unknown syntax {to!r}; choose from yaml, dsl, openslo")
    return Conversion(text, notes)


def _convert_other(path: str, source: SourceFile, notes: list[str]) -> list[dict]:
    """Sloth, Pyrra and slo-generator documents as slospec data; what slospec cannot express
    becomes a note, documents that are not SLOs are said to be so."""
    from slospec import formats

    datas, skipped = [], []
    for doc in source.documents:
        imported = formats.convert(doc, source.format)
        if imported.not_slo:
            skipped.append(imported.not_slo)
            continue
        if imported.problems:
            problem = imported.problems[0]
            span = doc.source_map.locate(problem.pointer)
            raise UserError(f"{path}:{span.line}:{span.column}: {problem.code} {problem.message}")
        for notice in imported.notices:
            span = doc.source_map.locate(notice.pointer)
            notes.append(f"{path}:{span.line}:{span.column}: {notice.message}")
        if imported.data is not None:
            datas.append(imported.data)
    if not datas:
        reason = skipped[0] if skipped else "no SLO in this file"
        raise UserError(f"{path}: nothing to convert: {reason}")
    return datas
