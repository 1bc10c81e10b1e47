"""The lint engine: each file alone (front end, schema, model, rules), then the files together
(OpenSLO names and references, project rules, suppressions). The same two stages run for
every command and every test; `slospec.api` is the door to them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import field
from typing import Any

from slospec.config import Config
from slospec.diagnostics import Diagnostic, Finding, Fix, Pointer, Span
from slospec.records import record
from slospec.source.document import Document, SourceMap
from slospec.source.loader import SourceFile

# Where cross-file (project) rules may point: the service of each spec. Only these spans of a
# native spec's map are kept after its file is checked, so 10,000 files fit in memory; the
# same trimming runs in tests, so a project rule that points elsewhere fails its tests.
PROJECT_POINTERS = frozenset({(), ("service",), ("service", "name")})


@record(frozen=False)
class CheckedDocument:
    """A document that made it to the model: what rules ran on, and how to place findings."""

    spec: Any  # slospec.specmodel.model.Spec
    source_map: SourceMap
    path: str


@record(frozen=False)
class FileResult:
    """What one file's checks found; OpenSLO files keep their source for the joint stage."""

    path: str
    text: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    documents: list[CheckedDocument] = field(default_factory=list)
    source: SourceFile | None = None
    # OpenSLO: the objects that can be imported, as (document index, pointer).
    sound: set[tuple[int, Pointer]] = field(default_factory=set)
    # A bug in slospec met on this file: reported in one line, and the run exits 2.
    crash: str | None = None


def _rules() -> dict[str, Any]:
    from slospec import rules

    return rules.all_rules()


def diagnostic(path: str, rule: Any, config: Config, source_map: SourceMap, finding: Finding) -> Diagnostic:
    """The one place a finding becomes a diagnostic (lint, eval and check alike): its position
    from the source map (or its own span, for text without data), its severity from the
    configuration, else the finding's own level, else the rule's default."""
    span = finding.span if finding.span is not None else source_map.locate(finding.pointer, key=finding.at_key)
    severity = config.severity.get(rule.code) or finding.severity or rule.severity
    fix = Fix(span, finding.fix) if isinstance(finding.fix, str) else finding.fix
    return Diagnostic(path, span, rule.code, rule.name, severity, finding.message, fix)


def _place(result: FileResult, rule: Any, config: Config, source_map: SourceMap, finding: Finding) -> None:
    result.diagnostics.append(diagnostic(result.path, rule, config, source_map, finding))


def _report(result: FileResult, config: Config, code: str, source_map: SourceMap, findings: Iterable[Finding]) -> None:
    rule = _rules()[code]
    if config.enabled(rule):
        for finding in findings:
            _place(result, rule, config, source_map, finding)


def _check_spec(result: FileResult, doc: Document, config: Config) -> None:
    """Schema-validate one native document (SLO002), build its model and run the per-spec rules."""
    from slospec.rules import schema_violation

    spec, broken = None, schema_violation.check_document(doc.data)
    if not broken:
        spec, broken = schema_violation.check_build(doc.data, doc.path)
    _report(result, config, "SLO002", doc.source_map, broken)
    if spec is not None:
        run_rules(result, spec, doc.source_map, config)


# (configuration, rule table, [(rule, its options, whether it has an OpenSLO form)]) of the
# last run: run_rules asks for it once per spec, and both inputs are the same objects all run.
_last_running: list[Any] = [None, None, ()]


def _running(config: Config) -> tuple[tuple[Any, Any, bool], ...]:
    """The enabled per-spec rules of a configuration, with their options."""
    rules = _rules()
    if _last_running[0] is not config or _last_running[1] is not rules:
        running = tuple(
            (rule, config.options_for(rule), rule.check_openslo is not None)
            for rule in rules.values()
            if not rule.framework and config.enabled(rule)
        )
        _last_running[:] = [config, rules, running]
    found: tuple[tuple[Any, Any, bool], ...] = _last_running[2]
    return found


def run_rules(result: FileResult, spec: Any, source_map: SourceMap, config: Config) -> None:
    """Every enabled per-spec rule on one spec (rules with an OpenSLO form skip imported specs)."""
    from slospec.rules.base import Context
    from slospec.slo.facts import resolve

    facts = resolve(spec, config.operations)
    imported = spec.origin == "openslo"
    translate: Callable[[str, str], str] | None = None
    if spec.origin != "slospec":  # advice in the words of the file's own format
        from slospec.interop import vocabulary

        translate = vocabulary.translate
    for rule, options, has_openslo_form in _running(config):
        if imported and has_openslo_form:
            continue
        ctx = Context(options, facts, config.policy)
        for finding in rule.check(spec, ctx):
            if translate is not None:
                finding = finding._replace(message=translate(finding.message, spec.origin))
            # A fix edits the text the spec came from; an imported OpenSLO file says it otherwise.
            _place(result, rule, config, source_map, finding._replace(fix=None) if imported else finding)
    result.documents.append(CheckedDocument(spec, source_map, result.path))


# Other tools' formats, read by slospec.interop into slospec specs.
FORMAT_NAMES = ("sloth", "pyrra", "slogen", "nobl9")


def _check_imported(result: FileResult, source: SourceFile, config: Config) -> None:
    """Convert each document (slospec.interop), report the owning tool's structure errors at
    their original spans, then build the model and run every rule, as for a native spec."""
    from dataclasses import replace

    from slospec import interop as formats
    from slospec.rules import duplicate_name, schema_violation

    seen: dict[tuple[str, str], int] = {}  # Sloth SLO IDs (service-name) are unique in a run
    for doc in source.documents:
        imported = formats.convert(doc, source.format)
        if imported.data is not None and source.format == "sloth":
            _report(
                result,
                config,
                "SLO005",
                imported.source_map,
                duplicate_name.check_sloth(doc.index, imported.data, seen),
            )
        for problem in imported.problems:
            _report(result, config, problem.code, doc.source_map, [Finding(problem.pointer, problem.message)])
        if imported.data is None:
            continue
        spec, broken = None, schema_violation.check_document(imported.data, foreign=True)
        if not broken:
            spec, broken = schema_violation.check_build(imported.data, doc.path, foreign=True)
        _report(result, config, "SLO002", imported.source_map, broken)
        if spec is not None:
            run_rules(result, replace(spec, origin=source.format), imported.source_map, config)


def _check_openslo_file(result: FileResult, source: SourceFile, config: Config) -> None:
    """Per file: the schema and go-sdk rules of each object; remembers which can be imported."""
    from slospec.interop.openslo.objects import objects
    from slospec.rules import schema_violation

    for obj in objects(source.documents):
        broken, sound = schema_violation.check_object(obj)
        _report(result, config, "SLO002", obj.doc.source_map, broken)
        if sound:
            result.sound.add((obj.doc.index, obj.pointer))
    result.source = source


def check_file(source: SourceFile, config: Config, *, keep_maps: bool = False) -> FileResult:
    """Everything that can be decided from one file alone.

    `keep_maps` keeps every span of native specs (compile and eval place their own findings);
    lint trims them to what the joint stage needs, in the CLI, its workers and the tests alike.
    """
    result = FileResult(source.path, source.text)
    try:
        if source.error is not None:
            from slospec.rules import syntax_error

            # Never ignored: nothing else can be said about a file that does not parse.
            for finding in syntax_error.check_source(source.error):
                _place(result, _rules()["SLO001"], config, SourceMap(), finding)
        elif not source.documents:
            from slospec.rules import schema_violation

            _report(result, config, "SLO002", SourceMap(), [schema_violation.check_empty_file()])
        elif source.format in FORMAT_NAMES:  # Sloth, Pyrra, slo-generator
            _check_imported(result, source, config)
        elif source.format == "openslo":
            _check_openslo_file(result, source, config)
        else:
            for doc in source.documents:
                _check_spec(result, doc, config)
    except Exception as exc:  # noqa: BLE001 - a bug: one line naming the file, the others go on
        result.crash = f"{source.path}: internal error: {type(exc).__name__}: {exc}"
        result.documents = []
    if not keep_maps:
        if "slospec:" not in result.text:
            result.text = ""  # only suppression comments need the text later; keep memory flat
        for document in result.documents:
            values, keys = document.source_map.values, document.source_map.keys
            document.source_map = SourceMap(
                {p: s for p, s in values.items() if p in PROJECT_POINTERS},
                {p: s for p, s in keys.items() if p in PROJECT_POINTERS},
            )
    return result


def _check_openslo_together(results: list[FileResult], config: Config, project: bool) -> None:
    """Across OpenSLO files: unique names, references (reading the rest of the project only
    when a name does not resolve among the files given), then every rule on the imports."""
    from dataclasses import replace

    homes = [r for r in results if r.source is not None and r.crash is None]
    if not homes:
        return  # no OpenSLO file: the importer is not even imported (start-up time)
    from slospec.interop.openslo import checker
    from slospec.interop.openslo.importer import convert_all, out_of_bounds
    from slospec.interop.openslo.objects import EXTERNAL_KINDS, READ_APIS, objects, references
    from slospec.specmodel import model
    from slospec.specmodel.quantities import QuantityError

    by_path = {r.path: r for r in homes}
    given: list[Any] = []
    sound: list[Any] = []  # the objects that can be imported
    for r in homes:
        if r.source is not None:
            for obj in objects(r.source.documents):
                given.append(obj)
                if (obj.doc.index, obj.pointer) in r.sound:
                    sound.append(obj)
    rules = _rules()

    def place(rule: Any, obj: Any, finding: Finding) -> None:
        _place(by_path[obj.path], rule, config, obj.doc.source_map, finding)

    known: dict[str, set[str]] = {}
    for obj in given:
        if obj.api in READ_APIS and obj.name:
            known.setdefault(obj.kind, set()).add(obj.name)
    dangling = any(
        name not in known.get(kind, ())
        for obj in given
        for _p, kind, name in references(obj)
        if kind not in EXTERNAL_KINDS
    )
    extra: list[Any] = []
    alone: frozenset[str] = frozenset()
    if dangling and project:
        from slospec.interop.openslo.project import project_objects, unbounded

        extra = project_objects(sorted(by_path))
        alone = unbounded(sorted(by_path))
        for obj in extra:
            if obj.api in READ_APIS and obj.name:
                known.setdefault(obj.kind, set()).add(obj.name)
    for rule in rules.values():
        if rule.check_openslo is not None and config.enabled(rule):
            for obj, finding in rule.check_openslo(given, known, alone):
                place(rule, obj, finding)

    helpers = [obj for obj in extra if not any(p.blocking for p in checker.problems(obj))]
    for converted in convert_all(sound, helpers):
        result = by_path[converted.home.path]
        try:
            try:
                spec = model.build(converted.data, converted.home.path)
            except QuantityError as exc:  # a value the model refuses (a 0d window): SLO002 at its field
                pointer, message = out_of_bounds(converted, exc)
                _report(result, config, "SLO002", converted.source_map(), [Finding(pointer, message)])
                continue
            run_rules(result, replace(spec, origin="openslo"), converted.source_map(), config)
        except Exception as exc:  # noqa: BLE001 - a shape the importer did not foresee
            result.crash = f"{result.path}: internal error: {type(exc).__name__}: {exc}"


def check_together(results: Sequence[FileResult], config: Config, *, project: bool = True) -> list[Diagnostic]:
    """OpenSLO across files, project rules, then suppressions per file: one sorted list."""
    from slospec.rules import registry, unused_suppression
    from slospec.rules.base import Context
    from slospec.slo.facts import resolve
    from slospec.source import suppressions

    results = list(results)
    _check_openslo_together(results, config, project)
    rules = registry()  # codes and names; a rule's module is imported only if it must run
    by_path = {r.path: r for r in results}
    documents = [d for r in results for d in r.documents]
    for rule in rules.values():
        if rule.check_project is None or not config.enabled(rule):
            continue
        specs = [d.spec for d in documents]
        located = {id(d.spec): d for d in documents}
        if not specs:
            continue  # nothing to judge together
        facts = resolve(specs[0], config.operations)
        for spec, finding in rule.check_project(specs, Context(config.options_for(rule), facts)):
            doc = located[id(spec)]
            _place(by_path[doc.path], rule, config, doc.source_map, finding)
    unused_rule = rules["SLO003"]
    running = [r for r in rules.values() if config.enabled(r)]
    out: list[Diagnostic] = []
    for result in results:
        kept, unused = suppressions.apply(_collapse(result.diagnostics), result.text, rules, result.path)
        out.extend(kept)
        if config.enabled(unused_rule):
            out.extend(
                diagnostic(result.path, unused_rule, config, SourceMap(), finding)
                for finding in unused_suppression.check_text(result.text, unused, running)
            )
    return sorted(out, key=lambda d: (d.path, d.span.line, d.span.column, d.code, d.message))


def _collapse(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """One finding per rule and position: eight copies of one problem bury the others."""
    from dataclasses import replace

    groups: dict[tuple[Span, str], list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        groups.setdefault((diagnostic.span, diagnostic.code), []).append(diagnostic)
    out = []
    for items in groups.values():
        first = items[0]
        if len(items) > 1:
            first = replace(first, message=f"{first.message} (and {len(items) - 1} more like it here)")
        out.append(first)
    return out


__all__ = [
    "CheckedDocument",
    "FileResult",
    "PROJECT_POINTERS",
    "Span",
    "check_file",
    "check_together",
    "diagnostic",
    "run_rules",
]
