"""The one door to the pipeline: paths or text in, results out. The CLI and the tests call
these functions; each runs the same stages of `slospec.lint.engine` (each file, then together)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import field, replace
from typing import TYPE_CHECKING, Any

from slospec.config import Config
from slospec.diagnostics import Diagnostic, Fix
from slospec.errors import InternalError, UserError
from slospec.records import record
from slospec.source.loader import Notice, SourceFile

if TYPE_CHECKING:
    from slospec.evaluate.gate import GateOutcome
    from slospec.evaluate.session import EvalOptions, EvalOutcome
    from slospec.lint.cache import Indexes
    from slospec.lint.engine import FileResult

# Rules that make a spec impossible to compile: it does not parse, breaks the schema, or
# names objects that do not exist (or exist twice).
BLOCKING = ("SLO001", "SLO002", "SLO004", "SLO005")
# Below this many files a worker pool costs more than it saves (start-up, pickling).
PARALLEL_THRESHOLD = 200


@record(frozen=False)
class Report:
    """What a lint run found, the files it read, and what it could not judge."""

    diagnostics: list[Diagnostic]
    files: int
    # One line each: files named on the command line that slospec does not read, and what
    # discovery skipped (loader.Notice).
    notices: list[str | Notice] = field(default_factory=list)
    # One line each: bugs met on a file; the run still reports the others, then exits 2.
    crashes: list[str] = field(default_factory=list)
    # How many findings fail the run: errors, or every finding where `strict` is on.
    failing: int = 0

    def count(self, severity: str) -> int:
        return sum(1 for d in self.diagnostics if d.severity == severity)


@record(frozen=False)
class Loaded:
    """Specs ready for a back end (with where their values are), or what blocks them."""

    documents: list[Any]  # slospec.lint.engine.CheckedDocument
    problems: list[Diagnostic]
    crashes: list[str] = field(default_factory=list)
    # How many problems fail the run: errors, or every problem where `strict` is on.
    failing: int = 0
    # One line each, as lint prints them: files discovery skipped, unreadable folders (an error:
    # the others are still used, then the run exits 2), files of another tool named explicitly.
    notices: list[Any] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        """A problem that stops the specs from being used (parse, schema, references)."""
        return any(d.code in BLOCKING for d in self.problems)

    @property
    def specs(self) -> list[Any]:
        return [d.spec for d in self.documents]

    def __iter__(self) -> Iterator[Any]:
        """`documents, problems = load_documents(...)`."""
        return iter((self.documents, self.problems))


def lint_sources(
    sources: Iterable[SourceFile], config: Config, *, keep_maps: bool = False, project: bool = True
) -> Report:
    """Lint parsed files: each alone, then together."""
    from slospec.lint.engine import check_file, check_together

    results = [check_file(s, config, keep_maps=keep_maps) for s in sources]
    diagnostics = check_together(results, config, project=project)
    failing = len(diagnostics) if config.strict else sum(1 for d in diagnostics if d.severity == "error")
    return Report(diagnostics, len(results), crashes=[r.crash for r in results if r.crash], failing=failing)


def lint_text(text: str, path: str = "spec.slo.yaml", config: Config | None = None) -> list[Diagnostic]:
    """Lint one in-memory file (tests, docs examples, editors). Reads no other file."""
    from slospec.source import loader

    config = config or Config()
    fmt = loader.file_format(path, text) or "yaml"
    report = lint_sources([loader.parse(path, text, fmt, config)], config, project=False)
    if report.crashes:
        raise RuntimeError(report.crashes[0])
    return report.diagnostics


# One file to lint: (path, its configuration, stdin's text, named explicitly, text to use instead).
Job = tuple[str, Config, str | None, bool, str | None]


def _read_and_check(job: Job) -> tuple[FileResult | None, str | None, bytes | None, str | None]:
    """One file, read and checked alone: the same function in a worker and in the parent.
    Returns (result, notice, its cache line, the key of the bytes checked): the line holds
    exactly the bytes checked, and is None when the result is not to be cached
    (`cache.entry_line`); the key is None when the file was not read for the cache.

    `text` replaces what is on disk (stdin under an editor's file name, or a fix not yet
    written); it is parsed as if it were the file `path` and never cached."""
    import gc

    from slospec.lint import cache
    from slospec.lint.engine import check_file
    from slospec.source import loader

    path, config, stdin_text, explicit, text = job
    key = None
    if text is not None:
        fmt = loader.file_format(path, text)
        source = loader.parse(path, text, fmt, config) if fmt else None
    else:
        read = _read_for_cache(path, config) if config.cache and path != "-" else None
        if read is not None:  # the bytes hashed are the bytes checked, whatever happens on disk
            key, text = read
            fmt = loader.file_format(path, text)
            source = loader.parse(path, text, fmt, config) if fmt else None
        else:
            source = loader.read(path, config, stdin_text)
    if source is None:
        if explicit:
            return None, loader.unknown_notice(path) if job[4] is None else None, None, key
        return None, loader.nobl9_notice(path, text) if path.endswith((".yaml", ".yml")) else None, None, key
    # Only what the joint stage reads of each spec is kept (10,000 files in little memory).
    result = cache.slim(check_file(source, config))
    line = None if key is None else cache.entry_line(path, key, result)
    # The run keeps the collector off (lint_paths): this file's cyclic garbage (jsonschema's
    # explanations, exceptions) is freed here, scanning only what this file allocated.
    gc.collect(0)
    return result, None, line, key


def _read_for_cache(path: str, config: Config) -> tuple[str, str] | None:
    """(the file's cache key, its text), or None when it cannot be read (the reader says why)."""
    from slospec.lint import cache
    from slospec.source import loader
    from slospec.source.document import ParseError
    from slospec.source.reading import read_bounded

    try:
        # Bounded and never blocking (a FIFO, /dev/zero): the same read as the reader's.
        raw = read_bounded(path, config.max_file_size)
        text = loader.decode(raw)
    except (OSError, ParseError, loader.InputError):
        return None
    return cache.entry_key(path, raw, _config_key(config)), text


def _reads(jobs: Sequence[Job]) -> list[tuple[str, str] | None]:
    """Each cacheable file's (key, text if it holds suppression comments), read in the parent."""
    out: list[tuple[str, str] | None] = []
    for path, config, _stdin_text, _explicit, text in jobs:
        read = _read_for_cache(path, config) if config.cache and path != "-" and text is None else None
        # Only suppression comments need the text later (memory stays flat in the file count).
        out.append(None if read is None else (read[0], read[1] if "slospec:" in read[1] else ""))
    return out


def _from_cache(jobs: Sequence[Job], reads: list[tuple[str, str] | None], indexes: Indexes) -> list[Any]:
    """Each job's cached (result, notice, line), or None: a miss, or a file not to be cached.
    Read in the parent, before any worker starts: one index per folder and configuration."""
    found: list[Any] = []
    for (path, config, _stdin_text, _explicit, _text), read in zip(jobs, reads, strict=True):
        result = None if read is None else indexes.of(path, _config_key(config)).get(read[0], path)
        if result is not None and read is not None:
            result.text = read[1]  # suppression comments are applied in the joint stage
        found.append(None if result is None else (result, None, None, read[0] if read is not None else None))
    return found


def _run_key(jobs: Sequence[Job], reads: Sequence[tuple[str, str] | str | None]) -> str | None:
    """The key of a whole run's report: every file's key (its path, bytes and configuration,
    and slospec's code), in order, and whether it was named; None unless every file was read.
    A read is (key, text) or the key alone."""
    from slospec.lint import cache

    parts = []
    for (_path, _config, _stdin_text, explicit, _text), read in zip(jobs, reads, strict=True):
        if read is None:
            return None
        parts.append(f"{read if isinstance(read, str) else read[0]}{'!' if explicit else '.'}")
    return cache.text_key("lint-run", "\n".join(parts)) if parts else None


def _memorable(report: Report, pairs: list[Any]) -> bool:
    """A report that depends on nothing but the files of the run: no crash, and no OpenSLO
    reference left for the rest of the project to resolve (the joint stage then reads files
    the run did not name, as `linter._check_openslo_together` does)."""
    if report.crashes or not all(isinstance(n, str) for n in report.notices):
        return False
    homes = [r for r, _n, _l, _k in pairs if r is not None and r.source is not None]
    if not homes:
        return True
    from slospec.interop.openslo.objects import EXTERNAL_KINDS, READ_APIS, objects, references

    given = [obj for r in homes for obj in objects(r.source.documents)]
    known: dict[str, set[str]] = {}
    for obj in given:
        if obj.api in READ_APIS and obj.name:
            known.setdefault(obj.kind, set()).add(obj.name)
    return all(
        name in known.get(kind, ()) for obj in given for _p, kind, name in references(obj) if kind not in EXTERNAL_KINDS
    )


def _remember(jobs: Sequence[Job], checked: list[Any], indexes: Indexes) -> bool:
    """Store the lines of the files just checked, one write per index; True when any was written."""
    for (path, config, _stdin_text, _explicit, text), (_result, _notice, line, _key) in zip(jobs, checked, strict=True):
        if config.cache and path != "-" and text is None:
            indexes.of(path, _config_key(config)).put(path, line)
    return indexes.save()


_last_config_key: list[Any] = [None, ""]  # (config, key): workers receive a copy of it per file


def _config_key(config: Config) -> str:
    if _last_config_key[0] is not config and _last_config_key[0] != config:
        from slospec.lint import cache

        _last_config_key[:] = [config, cache.config_key(config)]
    key: str = _last_config_key[1]
    return key


def _warm_up() -> None:
    """Import and compile what every worker needs once, before forking, so each inherits it."""
    from slospec.rules import all_rules
    from slospec.slo import facts  # noqa: F401
    from slospec.source import yamlfile
    from slospec.specmodel import fastcheck, schema

    all_rules()
    fastcheck.checker(schema.SPEC_SCHEMA)
    yamlfile.load_all("warm: up\n")


def _workers(config: Config, count: int) -> int:
    from slospec import workers

    return workers.count(count, PARALLEL_THRESHOLD, config.jobs)


ConfigFor = Callable[[str], Config]


def discover_files(
    paths: Sequence[str], config: Config, configs: ConfigFor | None = None, notices: list[Notice] | None = None
) -> list[tuple[str, Config, bool]]:
    """(path, its configuration, named explicitly) for every file a lint of `paths` reads.

    With `configs`, each argument is walked with the configuration found from it, and each
    file is linted with the configuration found from its own folder upwards (as ruff does);
    without, `config` applies to everything (`--config FILE`)."""
    import os

    from slospec.source import loader

    if configs is None:
        return [(path, config, explicit) for path, explicit in loader.discover(paths, config, notices)]
    out = []
    by_folder: dict[str, Config] = {}  # a file's configuration is its folder's: found once per folder
    for arg in paths:
        base = configs(arg) if arg != "-" else config
        for path, explicit in loader.discover([arg], base, notices, configs):
            if path == "-":
                out.append((path, base, explicit))
                continue
            folder = os.path.dirname(path)
            found = by_folder.get(folder)
            if found is None:
                found = by_folder[folder] = configs(path)
            out.append((path, found, explicit))
    return out


def files_to_lint(paths: Sequence[str], config: Config, configs: ConfigFor | None = None) -> list[str]:
    """The files `slospec lint` would read as specs (`--show-files`): YAML of other tools is not."""
    from slospec.source import loader
    from slospec.source.reading import read_bounded

    out = []
    for path, file_config, _explicit in discover_files(paths, config, configs):
        if path == "-" or path.endswith(".slo"):
            out.append(path)
            continue
        try:
            text = loader.decode(read_bounded(path, file_config.max_file_size))
        except Exception:  # noqa: BLE001 - unreadable: lint reads it and says why
            out.append(path)
            continue
        if loader.file_format(path, text) is not None:
            out.append(path)
    return out


def lint_paths(
    paths: Sequence[str],
    config: Config,
    stdin_text: str | None = None,
    *,
    configs: ConfigFor | None = None,
    stdin_filename: str | None = None,
    texts: Mapping[str, str] | None = None,
) -> Report:
    """Lint files and folders (`-` is stdin): the `slospec lint` command.

    `configs` finds each file's configuration (see discover_files); `stdin_filename` lints
    stdin as if it were that file (format and configuration by that name); `texts` lints
    those paths with the given text instead of what is on disk (`--fix` before writing)."""
    import gc

    # The cyclic GC walks every live object again and again as results accumulate (10-40 % of
    # a run), and finds little to free: off for the run (workers inherit it off), each file's
    # own garbage collected young (_read_and_check), back as it was afterwards.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _lint_paths(paths, config, stdin_text, configs, stdin_filename, texts)
    finally:
        if collecting:
            gc.enable()


def _lint_paths(
    paths: Sequence[str],
    config: Config,
    stdin_text: str | None,
    configs: ConfigFor | None,
    stdin_filename: str | None,
    texts: Mapping[str, str] | None,
) -> Report:
    texts = dict(texts or {})
    skipped: list[Notice] = []  # non-regular files, unreadable folders
    files = discover_files(paths, config, configs, skipped)
    jobs = []
    for path, file_config, explicit in files:
        name = stdin_filename or "<stdin>"
        if path == "-" and (stdin_filename or name in texts):
            if configs is not None and stdin_filename:
                file_config = configs(stdin_filename)
            path = name
            texts.setdefault(name, stdin_text or "")
        jobs.append((path, file_config, stdin_text, explicit, texts.get(path)))
    from slospec.lint import cache

    reads = _reads(jobs)
    run_key = _run_key(jobs, reads)
    if run_key is not None:  # the same files, unchanged, under the same configurations
        kept = cache.load_report(run_key)
        if kept is not None:
            found, counted, notices, failing = kept
            return Report(found, counted, [*skipped, *notices], [], failing)
    indexes = cache.Indexes()
    pairs = _from_cache(jobs, reads, indexes)
    del reads
    missed = [n for n, found in enumerate(pairs) if found is None]
    todo = [jobs[n] for n in missed]
    workers = _workers(config, len(todo))
    if workers > 1:
        from slospec import workers as pool

        _warm_up()  # imported and compiled once, before the fork, so each worker inherits it
        checked = list(pool.run(_read_and_check, todo, workers))
    else:
        checked = [_read_and_check(job) for job in todo]
    for n, outcome in zip(missed, checked, strict=True):
        pairs[n] = outcome
    written = _remember(todo, checked, indexes)
    report = _together([(r, n) for r, n, _l, _k in pairs], [job[1] for job in jobs])
    # Kept under the keys of the bytes its findings came from: a file saved between the
    # parent's read and a worker's is kept under the worker's bytes, never the parent's.
    checked_key = _run_key(jobs, [k for _r, _n, _l, k in pairs])
    if checked_key is not None and _memorable(report, pairs):
        written = cache.store_report(checked_key, report) or written
    if written:
        cache.prune()  # bounded in size and number
    report.notices[:0] = skipped
    return report


def _together(pairs: list[tuple[FileResult | None, str | None]], configs: list[Config]) -> Report:
    """The joint stage once per configuration: files under different configurations are
    different projects (their rules, options and operational facts differ)."""
    from slospec.lint.engine import check_together

    groups: dict[int, tuple[Config, list[FileResult]]] = {}
    notices: list[str | Notice] = []
    for (result, notice), config in zip(pairs, configs, strict=True):
        if notice:
            notices.append(notice)
        if result is not None:
            groups.setdefault(id(config), (config, []))[1].append(result)
    diagnostics: list[Diagnostic] = []
    failing = 0
    crashes = []
    for config, results in groups.values():
        found = check_together(results, config)
        diagnostics += found
        failing += len(found) if config.strict else sum(1 for d in found if d.severity == "error")
        crashes += [r.crash for r in results if r.crash]
    diagnostics.sort(key=lambda d: (d.path, d.span.line, d.span.column, d.code, d.message))
    files = sum(len(results) for _, results in groups.values())
    return Report(diagnostics, files, notices, crashes, failing)


@record(frozen=False)
class Change:
    """One file's fixes: its text before and after, and how many fixes made the difference."""

    path: str
    original: str
    fixed: str
    count: int


@record(frozen=False)
class Fixed:
    """`lint --fix`: the changes to write, and the report on the fixed texts (what remains)."""

    report: Report
    changes: list[Change]


def fix_paths(
    paths: Sequence[str],
    config: Config,
    stdin_text: str | None = None,
    *,
    configs: ConfigFor | None = None,
    stdin_filename: str | None = None,
    passes: int = 10,
) -> Fixed:
    """Lint, apply every fix the findings carry, re-lint, until nothing is left to fix.

    Nothing is written here. A file whose fixes would stop it from parsing keeps its text."""
    from slospec.lint import fixes, safefix
    from slospec.source import loader
    from slospec.source.reading import read_bounded

    def lint(texts: dict[str, str]) -> Report:
        return lint_paths(paths, config, stdin_text, configs=configs, stdin_filename=stdin_filename, texts=texts)

    texts: dict[str, str] = {}
    originals: dict[str, str] = {}
    counts: dict[str, int] = {}
    frozen: set[str] = set()
    refused: dict[str, str] = {}
    boms: set[str] = set()
    report = lint(texts)
    for _ in range(passes):
        wanted: dict[str, list[Fix]] = {}
        for d in report.diagnostics:
            if d.fix is not None and d.path not in frozen:
                wanted.setdefault(d.path, []).append(d.fix)
        before = dict(texts)
        for path, found in wanted.items():
            if path not in texts:
                if path in (stdin_filename or "<stdin>",) and "-" in paths:
                    texts[path] = stdin_text or ""
                else:
                    raw = read_bounded(path, config.max_file_size)  # as lint read it
                    texts[path] = loader.decode(raw)
                    if raw.startswith(b"\xef\xbb\xbf"):
                        boms.add(path)  # written back as it was read
                originals[path] = texts[path]
            if safefix.is_json(originals[path]):
                found = safefix.for_json(found)  # a JSON spec stays JSON
            # Data a fix does not name would change (an alias, a merge key): not that fix.
            found, why = safefix.keep_safe(path, texts[path], found)
            if why:
                refused.setdefault(path, why)
            edited, applied = fixes.apply(texts[path], found)
            if applied and safefix.refusal(path, texts[path], edited, [f.span for f in found]):
                edited, applied = texts[path], 0  # together they would: none this pass
            texts[path] = edited
            counts[path] = counts.get(path, 0) + applied
            if not applied:
                frozen.add(path)
        if texts == before:
            break
        candidate = lint(texts)
        unparsed = {d.path for d in candidate.diagnostics if d.code == "SLO001"}
        broken = unparsed - {d.path for d in report.diagnostics if d.code == "SLO001"}
        if broken:  # a fix must never make a file unreadable: undo that file's fixes
            for path in broken:
                texts[path] = originals[path]
                counts[path] = 0
                frozen.add(path)
            candidate = lint(texts)
        report = candidate
    report.notices.extend(f"{path}: not fixed: {why}" for path, why in sorted(refused.items()))
    changes = [
        Change(path, bom + originals[path], bom + texts[path], counts[path])
        for path in sorted(texts)
        if texts[path] != originals[path]
        for bom in ["\ufeff" if path in boms else ""]
    ]
    return Fixed(report, changes)


def load_documents(paths: Sequence[str], config: Config, stdin_text: str | None = None) -> Loaded:
    """Specs for compile, convert and eval: the lint pipeline with only the blocking rules."""
    from slospec.source import loader

    strict = replace(config, select=BLOCKING, ignore=())
    sources = []
    notices: list[Any] = []
    for path, explicit in loader.discover(paths, strict, notices):
        source = loader.read(path, strict, stdin_text)
        if source is not None:
            sources.append(source)
        elif explicit and path != "-":
            notice = loader.unknown_notice(path)
            if notice:
                notices.append(notice)
    from slospec.lint.engine import check_file, check_together

    results = [check_file(s, strict, keep_maps=True) for s in sources]
    problems = [d for d in check_together(results, strict) if d.severity == "error"]
    return Loaded(
        [d for r in results for d in r.documents], problems, [r.crash for r in results if r.crash], notices=notices
    )


def load_specs(
    paths: Sequence[str], config: Config, stdin_text: str | None = None
) -> tuple[list[Any], list[Diagnostic]]:
    """Specs ready for a back end, or the blocking problems that stop compilation."""
    loaded = load_documents(paths, config, stdin_text)
    if loaded.crashes:
        raise InternalError(loaded.crashes[0])
    return loaded.specs, loaded.problems


def check_live(
    paths: Sequence[str], config: Config, url: str, *, timeout: float = 10.0, lookback_seconds: float = 3600.0
) -> Loaded:
    """`slospec check --prometheus`: the specs' SLIs against a live server, findings at the
    spec's lines like any rule's. Raises live.LiveError when the server cannot be asked."""
    from slospec.evaluate import check as live
    from slospec.lint.engine import diagnostic
    from slospec.rules import all_rules

    loaded = load_documents(paths, config)
    if loaded.problems or loaded.crashes:
        return loaded
    server = live.Server(live.Client(url, timeout), lookback_seconds)
    rules = all_rules()
    found = []
    for document in loaded.documents:
        for code, finding in live.check_spec(document.spec, server):
            rule = rules[code]
            if config.enabled(rule):
                found.append(diagnostic(document.path, rule, config, document.source_map, finding))
    found.sort(key=lambda d: (d.path, d.span.line, d.span.column, d.code, d.message))
    failing = len(found) if config.strict else sum(1 for d in found if d.severity == "error")
    return Loaded(loaded.documents, found, failing=failing, notices=loaded.notices)


@record(frozen=False)
class Compiled:
    """The artefacts of a back end, or the blocking problems that stopped compilation."""

    artifacts: list[Any]
    # Every artefact in one stream or file (a back end that cannot stack documents, such as
    # Prometheus rule files, merges them into one valid file).
    joined: str = ""
    problems: list[Diagnostic] = field(default_factory=list)
    notices: list[Any] = field(default_factory=list)  # as Loaded.notices
    report: str = ""  # what the back end says about its output (compile --stats), for stderr


def read_template(path: str, config: Config) -> str:
    """A user's Jinja2 template for the Markdown back end (bounded read, UTF-8)."""
    from slospec.source.reading import read_bounded

    try:
        return read_bounded(path, config.max_file_size).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: template is not valid UTF-8 (byte {exc.start + 1}); save it as UTF-8") from None


def compile_paths(
    paths: Sequence[str],
    target: str,
    config: Config,
    *,
    internal: bool = False,
    template: str | None = None,
    stdin_text: str | None = None,
    template_path: str | None = None,
    extra: dict[str, Any] | None = None,
) -> Compiled:
    """`slospec compile`: load the specs (blocking rules only), then run one back end.
    `template` is a template's text, `template_path` a file to read it from; `extra` the
    back end's own options (CompileOptions.extra)."""
    from slospec import compile as backends

    if target not in backends.BACKENDS:
        raise UserError(f"unknown target {target!r}; choose from {', '.join(sorted(backends.BACKENDS))}")
    if template_path is not None:
        template = read_template(template_path, config)
    loaded = load_documents(paths, config, stdin_text)
    if loaded.crashes:
        raise InternalError(loaded.crashes[0])
    specs, problems, notices = loaded.specs, loaded.problems, loaded.notices
    module = backends.load(target)
    if problems:
        return Compiled([], "", problems, notices)
    if not specs:
        raise UserError(f"no specs found in {', '.join(paths)}", notices)
    options = backends.CompileOptions(internal=internal, template=template, config=config, extra=dict(extra or {}))
    stats = getattr(module, "stats", None)
    if options.extra.get("stats") and stats is None:
        raise UserError(f"--stats is not available for --target {target} (use --target prometheus)")
    try:
        artifacts = module.compile(specs, options)
        report = stats(specs, options) if options.extra.get("stats") and stats else ""
    except backends.CompileError as exc:
        raise UserError(str(exc)) from None
    join = getattr(module, "join", None)
    from slospec.interop.notes import import_notes

    notices = [*notices, *import_notes(loaded.documents, config, stdin_text, paths)]
    return Compiled(
        artifacts,
        join(artifacts) if join else module.JOINER.join(a.text for a in artifacts),
        notices=notices,
        report=report,
    )


@record(frozen=False)
class Conversion:
    """`slospec convert`'s text, and notes on what the target syntax cannot express."""

    text: str
    notes: list[str] = field(default_factory=list)


def convert_path(
    path: str, to: str, config: Config | None = None, stdin_text: str | None = None, openslo_version: str = "v1"
) -> Conversion:
    """`slospec convert`: one file of any syntax slospec reads to `to` (yaml, dsl, openslo);
    OpenSLO is written in `openslo_version` (v1, or v2alpha)."""
    from slospec import compile as backends
    from slospec.compile import yamlout
    from slospec.source import loader
    from slospec.specmodel import model

    config = config or Config()
    source = loader.read(path, config, stdin_text)
    if source is None:
        raise UserError(f"{path}: not a slospec, OpenSLO, Sloth, Pyrra or slo-generator file")
    if source.error is not None:
        span = source.error.span
        raise UserError(f"{path}:{span.line}:{span.column}: {source.error.message}")
    notes: list[str] = []
    if source.format in ("sloth", "pyrra", "slogen", "nobl9"):
        datas = _convert_other(path, source, notes)
    elif source.format == "openslo":
        from slospec.interop.openslo.importer import NotImportable, to_slospec

        try:
            datas = to_slospec(source)
        except NotImportable as exc:
            raise UserError(f"{path}:{exc.line}:{exc.column}: SLO002 {exc.message}") from None
        if not datas:
            raise UserError(f"{path}: no OpenSLO SLO objects (openslo/v1 or openslo.com/v2alpha) to convert")
        from slospec.interop.notes import openslo_notes

        notes += openslo_notes(source)
    else:
        specs, problems = load_specs([path], config, stdin_text)
        if problems:
            first = problems[0]
            raise UserError(f"{first.path}:{first.span.line}:{first.span.column}: {first.code} {first.message}")
        datas = [s.data for s in specs]
    if to == "yaml":
        text = yamlout.dump_all(datas)
    elif to == "dsl":
        from slospec.source.dsl import front as dsl

        text = dsl.dump(datas)
    elif to == "openslo":
        specs = [model.build(d, path) for d in datas]
        if openslo_version == "v2alpha":
            from slospec.interop.openslo import export_v2alpha as module
        else:
            module = backends.load("openslo")
        try:
            artifacts = module.compile(specs, backends.CompileOptions())
        except backends.CompileError as exc:  # what OpenSLO cannot say (a window under a minute)
            raise UserError(f"{path}: {exc}") from None
        text = module.JOINER.join(a.text for a in artifacts)
    else:
        raise UserError(f"unknown syntax {to!r}; choose from yaml, dsl, openslo")
    return Conversion(text, notes)


def _convert_other(path: str, source: SourceFile, notes: list[str]) -> list[dict[str, Any]]:
    """Sloth, Pyrra and slo-generator documents as slospec data; what slospec cannot express
    becomes a note, documents that are not SLOs are said to be so."""
    from slospec import interop as formats

    datas, skipped = [], []
    for doc in source.documents:
        imported = formats.convert(doc, source.format)
        if imported.not_slo:
            skipped.append(imported.not_slo)
            continue
        blocking = [p for p in imported.problems if p.code in BLOCKING]
        if blocking:
            problem = blocking[0]
            span = doc.source_map.locate(problem.pointer)
            raise UserError(f"{path}:{span.line}:{span.column}: {problem.code} {problem.message}")
        for problem in imported.problems:  # what the owning tool gets wrong, not slospec's copy
            span = doc.source_map.locate(problem.pointer)
            notes.append(f"{path}:{span.line}:{span.column}: {problem.code} {problem.message} (left out)")
        for notice in imported.notices:
            span = doc.source_map.locate(notice.pointer)
            notes.append(f"{path}:{span.line}:{span.column}: {notice.message}")
        if imported.data is not None:
            datas.append(imported.data)
    if not datas:
        reason = skipped[0] if skipped else "no SLO in this file"
        raise UserError(f"{path}: nothing to convert: {reason}")
    return datas


def eval_paths(options: EvalOptions, config: Config) -> EvalOutcome:
    """`slospec eval`: the specs at `options.paths` against recorded or live data."""
    from slospec.evaluate.session import EvalFailure, check_options, evaluate
    from slospec.source.reading import InputError

    check_options(options)
    try:
        loaded = load_documents(options.paths, config)
    except (InputError, InternalError) as exc:
        raise EvalFailure(str(exc)) from None
    return evaluate(options, loaded, config)


def gate_paths(options: EvalOptions, config: Config) -> GateOutcome:
    """`slospec gate`: each SLO's budget left, as eval computes it, against the budget policy."""
    from slospec.evaluate.gate import check_policy, judge
    from slospec.evaluate.session import EvalFailure, check_options
    from slospec.source.reading import InputError

    check_policy(config)
    check_options(options)
    try:
        loaded = load_documents(options.paths, config)
    except (InputError, InternalError) as exc:
        raise EvalFailure(str(exc)) from None
    return judge(options, loaded, config)
