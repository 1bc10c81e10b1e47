"""The lint engine: front end -> schema -> model -> rules -> suppressions, per file and across files."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from slospec.config import Config
from slospec.diagnostics import Diagnostic, Finding, Pointer, Span
from slospec.document import Document, SourceMap
from slospec.loader import SourceFile


class InternalError(Exception):
    """A bug in slospec met while checking one file: reported in one line, exit status 2."""

    def __init__(self, path: str, error: BaseException):
        super().__init__(f"{path}: internal error: {type(error).__name__}: {error}")
        self.path = path


@dataclass
class CheckedDocument:
    """A document that made it to the model: what rules ran on, and how to place findings."""

    spec: Any  # slospec.model.Spec
    source_map: SourceMap
    path: str


@dataclass
class FileResult:
    path: str
    text: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    documents: list[CheckedDocument] = field(default_factory=list)


@dataclass
class Report:
    diagnostics: list[Diagnostic]
    files: int
    notices: list = field(default_factory=list)  # loader.Notice: skipped files, unreadable folders

    def count(self, severity: str) -> int:
        return sum(1 for d in self.diagnostics if d.severity == severity)


def _rules():
    from slospec import rules

    return rules.all_rules()


def _diagnostic(path: str, span: Span, rule: Any, config: Config, message: str,
                severity: str | None = None) -> Diagnostic:
    explicit = config.severity.get(rule.code)
    return Diagnostic(path, span, rule.code, rule.name, explicit or severity or rule.severity, message)


def place(result: FileResult, rule: Any, config: Config, source_map: SourceMap,
          finding: Finding) -> None:
    span = source_map.locate(finding.pointer)
    result.diagnostics.append(
        _diagnostic(result.path, span, rule, config, finding.message, finding.severity)
    )


def schema_problem(result: FileResult, config: Config, source_map: SourceMap,
                   pointer: Pointer, message: str, at_key: bool = False, code: str = "SLO002") -> None:
    rule = _rules()[code]
    if config.enabled(rule):
        span = source_map.locate(pointer, key=at_key)
        result.diagnostics.append(_diagnostic(result.path, span, rule, config, message))


def check_spec_document(result: FileResult, doc: Document, config: Config) -> None:
    """Schema-validate one native document, build its model and run the per-spec rules."""
    from slospec import fastcheck, model, schema
    from slospec.quantities import QuantityError

    data = doc.data
    if not isinstance(data, dict):
        what = "empty" if data is None else f"a {type(data).__name__.replace('dict', 'mapping')}"
        schema_problem(result, config, doc.source_map, (),
                       f"document is {what}; a spec is a mapping that starts with "
                       "apiVersion: slospec/v1 and names its service")
        return
    valid = fastcheck.checker(schema.SPEC_SCHEMA)
    if valid is None or not valid(data):
        # Only a document that fails the fast check pays for jsonschema's explanations.
        found = False
        for problem in schema.problems(data):
            found = True
            schema_problem(result, config, doc.source_map, problem.pointer, problem.message,
                           problem.at_key)
        if found:
            return
    try:
        spec = model.build(data, doc.path)
    except QuantityError as exc:  # out of bounds (slospec/bounds.py): at the value's line
        schema_problem(result, config, doc.source_map, getattr(exc, "pointer", ()), str(exc))
        return
    run_rules(result, spec, doc.source_map, config)


def run_rules(result: FileResult, spec: Any, source_map: SourceMap, config: Config,
              skip: tuple[str, ...] = ()) -> None:
    from slospec.facts import resolve
    from slospec.rules.base import Context

    facts = resolve(spec, config.operations)
    for rule in _rules().values():
        if rule.framework or rule.code in skip or not config.enabled(rule):
            continue
        ctx = Context(config.options_for(rule), facts)
        for finding in rule.check(spec, ctx):
            place(result, rule, config, source_map, finding)
    result.documents.append(CheckedDocument(spec, source_map, result.path))


def check_source(source: SourceFile, config: Config) -> FileResult:
    """Everything that can be decided from one file alone."""
    result = FileResult(source.path, source.text)
    try:
        if source.error is not None:
            rule = _rules()["SLO001"]
            result.diagnostics.append(
                _diagnostic(source.path, source.error.span, rule, config, source.error.message)
            )
            return result
        if not source.documents:
            schema_problem(result, config, SourceMap(), (),
                           "file is empty; a spec starts with apiVersion: slospec/v1")
            return result
        if source.format == "openslo":
            # Each object is validated here (in a worker when there are many files); the
            # references between files are checked later, together.
            from slospec.openslo import checker

            checker.validate(source, result, config)
            return result
        for doc in source.documents:
            check_spec_document(result, doc, config)
    except Exception as exc:  # noqa: BLE001 - one line naming the file, never a traceback
        raise InternalError(source.path, exc) from exc
    return result


def check_openslo(sources: list[SourceFile], results: dict[str, FileResult], config: Config) -> None:
    """OpenSLO files are validated and resolved together, then linted as slospec specs."""
    if not sources:
        return
    from slospec.openslo import checker

    checker.check(sources, results, config)


def finish(results: Sequence[FileResult], config: Config) -> list[Diagnostic]:
    """Cross-file rules, then suppressions per file, then one sorted list."""
    from slospec import suppressions
    from slospec.facts import resolve
    from slospec.rules import matches as suppressions_match
    from slospec.rules.base import Context

    rules = _rules()
    by_path = {r.path: r for r in results}
    documents = [d for r in results for d in r.documents]
    for rule in rules.values():
        if rule.check_project is None or not config.enabled(rule):
            continue
        specs = [d.spec for d in documents]
        located = {id(d.spec): d for d in documents}
        facts = resolve(specs[0], config.operations) if specs else None
        for spec, finding in rule.check_project(specs, Context(config.options_for(rule), facts)):
            doc = located[id(spec)]
            place(by_path[doc.path], rule, config, doc.source_map, finding)
    unused_rule = rules["SLO003"]
    for result in results:
        result.diagnostics = _collapse(result.diagnostics)
    out: list[Diagnostic] = []
    for result in results:
        kept, unused = suppressions.apply(result.diagnostics, result.text, rules)
        out.extend(kept)
        if config.enabled(unused_rule):
            for directive in unused:
                # A suppression of a rule that is not running now is not judged.
                if not any(config.enabled(r) and suppressions_match(directive.selector, r)
                           for r in rules.values()):
                    continue
                out.append(_diagnostic(
                    result.path, suppressions.unused_span(directive), unused_rule, config,
                    f"suppression of {directive.selector!r} suppresses nothing here; remove it"))
    return sorted(out, key=lambda d: (d.path, d.span.line, d.span.column, d.code, d.message))


def _collapse(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """One finding per rule and position: the default alert tiers of a too-short window all
    point at the window, and eight copies of one problem bury the others."""
    from dataclasses import replace

    groups: dict[tuple, list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        groups.setdefault((diagnostic.span, diagnostic.code), []).append(diagnostic)
    out = []
    for items in groups.values():
        first = items[0]
        if len(items) > 1:
            first = replace(first, message=f"{first.message} (and {len(items) - 1} more like it here)")
        out.append(first)
    return out


def lint_sources(sources: Iterable[SourceFile], config: Config) -> list[Diagnostic]:
    sources = list(sources)
    results = [check_source(s, config) for s in sources]
    by_path = {r.path: r for r in results}
    check_openslo([s for s in sources if s.format == "openslo" and s.error is None], by_path, config)
    return finish(results, config)


def lint_text(text: str, path: str = "spec.slo.yaml", config: Config | None = None) -> list[Diagnostic]:
    """Lint one in-memory file (tests, docs examples, editors)."""
    from slospec import loader

    config = config or Config()
    fmt = loader.file_format(path, text) or "yaml"
    return lint_sources([loader.parse(path, text, fmt, config)], config)


# Where cross-file (project) rules may point: the service of each spec.
PROJECT_POINTERS = frozenset({(), ("service",), ("service", "name")})

# Below this many files a worker pool costs more than it saves (start-up, pickling).
PARALLEL_THRESHOLD = 200


def _read_and_check(job: tuple[str, Config, str | None]) -> tuple[SourceFile | None, FileResult | None]:
    from slospec import loader

    path, config, stdin_text = job
    source = loader.read(path, config, stdin_text)
    if source is None:
        return None, None
    result = check_source(source, config)
    if "slospec:" not in result.text:
        result.text = ""  # only suppression comments need the text later; keep memory flat
    for document in result.documents:
        # Cross-file rules place their findings on the service; the rest of the map stays here.
        document.source_map = SourceMap(
            {p: s for p, s in document.source_map.values.items() if p in PROJECT_POINTERS},
            {p: s for p, s in document.source_map.keys.items() if p in PROJECT_POINTERS})
    # Only OpenSLO files travel back whole: they are checked together, across files.
    return (source if source.format == "openslo" else _shell(source)), result


def _shell(source: SourceFile) -> SourceFile:
    return SourceFile(source.path, "", source.format, error=source.error)


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
    from slospec import loader

    notices: list[loader.Notice] = []
    files = [path for path, _explicit in loader.discover(paths, config, notices)]
    jobs = [(path, config, stdin_text) for path in files]
    workers = _workers(config, len(files))
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
    sources = [s for s, _ in pairs if s is not None]
    results = [r for _, r in pairs if r is not None]
    by_path = {r.path: r for r in results}
    check_openslo([s for s in sources if s.format == "openslo" and s.error is None], by_path, config)
    return Report(finish(results, config), len(results), notices)


# Rules that make a spec impossible to compile: it does not parse, breaks the schema, or
# names objects that do not exist (or exist twice).
BLOCKING = ("SLO001", "SLO002", "SLO004", "SLO005")


def load_specs(paths: Sequence[str], config: Config, stdin_text: str | None = None
               ) -> tuple[list[Any], list[Diagnostic]]:
    """Specs ready for a back end, or the blocking problems that stop compilation."""
    documents, problems = load_documents(paths, config, stdin_text)
    return [d.spec for d in documents], problems


def load_documents(paths: Sequence[str], config: Config, stdin_text: str | None = None
                   ) -> tuple[list[CheckedDocument], list[Diagnostic]]:
    """Like load_specs, keeping where each spec's values are (for findings about them)."""
    from dataclasses import replace

    from slospec import loader

    strict = replace(config, select=BLOCKING, ignore=())
    sources = []
    for path, _explicit in loader.discover(paths, strict):
        source = loader.read(path, strict, stdin_text)
        if source is not None:
            sources.append(source)
    results = [check_source(s, strict) for s in sources]
    by_path = {r.path: r for r in results}
    check_openslo([s for s in sources if s.format == "openslo" and s.error is None], by_path, strict)
    problems = [d for d in finish(results, strict) if d.severity == "error"]
    return [d for r in results for d in r.documents], problems
