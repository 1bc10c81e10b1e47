"""The command line: parses options, calls the pure core, prints, and exits (0, 1 or 2)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from slospec import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class Failure(click.ClickException):
    """An error the user can fix (bad config, unreadable file): one line, exit status 2."""

    exit_code = EXIT_ERROR

    def show(self, file=None) -> None:  # type: ignore[override]
        click.echo(f"slospec: error: {self.message}", err=True)


def _write_output(text: str, output: str | None) -> None:
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    from slospec.atomic import write_text

    try:
        write_text(output, text)
    except OSError as exc:
        raise Failure(f"{output}: cannot write: {exc.strerror or exc}") from None


def _load_config(config_path: str | None):
    from slospec.config import ConfigError, load

    try:
        return load(Path(config_path) if config_path else None)
    except ConfigError as exc:
        raise Failure(str(exc)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="slospec")
def main() -> None:
    """slospec: service levels as code.

    Lint SLO/SLA specifications (slospec YAML, the .slo DSL, OpenSLO v1) for unrealistic or
    inconsistent targets, and compile them to OpenSLO, Markdown contracts and Prometheus rules.
    """


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github"]),
              default=None, help="Output format (default: text, or `format` in the configuration).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="Configuration file (default: the nearest slospec.toml or pyproject.toml with [tool.slospec]).")
@click.option("--select", default=None, metavar="CODES", help="Only these rules: codes, prefixes or names, comma separated.")
@click.option("--ignore", default=None, metavar="CODES", help="Skip these rules (wins over --select).")
@click.option("--strict", is_flag=True, help="Exit 1 on any finding, not only on errors.")
@click.option("-o", "--output", default=None, metavar="FILE", help="Write the report to FILE (atomically) instead of stdout.")
@click.option("--no-cache", is_flag=True, help="Check every file afresh: neither read nor write the result cache.")
def lint(paths, fmt, config_path, select, ignore, strict, output, no_cache):
    """Lint spec files and directories (default: the current directory; - reads stdin)."""
    from slospec.api import lint_paths
    from slospec.config import ConfigError
    from slospec.loader import InputError
    from slospec.reporters import REPORTERS
    from slospec.rules import all_rules

    config = _load_config(config_path)
    try:
        config = config.with_cli(select, ignore, strict)
    except ConfigError as exc:
        raise Failure(str(exc)) from None
    paths = paths or (".",)
    stdin_text = None
    if "-" in paths:
        stdin_text = sys.stdin.read()
    for path in paths:
        if path != "-" and not Path(path).exists():
            raise Failure(f"{path}: no such file or directory")
    if no_cache:
        from dataclasses import replace

        config = replace(config, cache=False)
    import gc

    # A lint run builds many small objects and frees few: the cyclic collector mostly walks
    # them again and again (a tenth of a 1,000-file run, a third of 10,000). Collect rarely
    # instead of never, so memory stays bounded; results do not depend on it.
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)
    try:
        report = lint_paths(paths, config, stdin_text)
    except InputError as exc:
        raise Failure(str(exc)) from None
    for notice in report.notices:
        click.echo(f"slospec: {notice}", err=True)
    if report.files == 0 and any(Path(p).is_dir() for p in paths if p != "-"):
        raise Failure(
            f"no spec files found in {', '.join(paths)} (looked for *.slo, *.slo.yaml and "
            "OpenSLO, Sloth, Pyrra and slo-generator YAML; see include/exclude in the configuration)"
        )
    enabled = {code: r for code, r in all_rules().items() if config.enabled(r)}
    rendered = REPORTERS[fmt or config.format](report.diagnostics, enabled, report.files)
    _write_output(rendered, output)
    for crash in report.crashes:
        click.echo(f"slospec: error: {crash} (please report this bug)", err=True)
    if report.crashes:
        sys.exit(EXIT_ERROR)
    failing = report.diagnostics if config.strict else [d for d in report.diagnostics if d.severity == "error"]
    sys.exit(EXIT_FINDINGS if failing else EXIT_OK)


@main.command("compile")
@click.argument("paths", nargs=-1, required=True)
@click.option("--target", "-t", "target", required=True, metavar="TARGET",
              help="What to generate: openslo, markdown, prometheus, prometheus-tests, sloth.")
@click.option("-o", "--output", default=None, metavar="FILE_OR_DIR",
              help="Write to FILE, or one file per artifact into an existing DIR (or a path ending in /).")
@click.option("--internal", is_flag=True, help="markdown: add the internal appendix (SLOs, alerting policy).")
@click.option("--template", type=click.Path(exists=True, dir_okay=False), default=None,
              help="markdown: render with this Jinja2 template (sandboxed).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="Configuration file (operational defaults).")
def compile_command(paths, target, output, internal, template, config_path):
    """Compile specs to another format (OpenSLO, Markdown contract, Prometheus rules, ...)."""
    from slospec import backends
    from slospec.api import InternalError, load_specs
    from slospec.loader import InputError
    from slospec.reporters import text as text_report
    from slospec.rules import all_rules

    if target not in backends.BACKENDS:
        raise click.BadParameter(
            f"{target!r}; choose from {', '.join(sorted(backends.BACKENDS))}", param_hint="--target")
    config = _load_config(config_path)
    stdin_text = sys.stdin.read() if "-" in paths else None
    for path in paths:
        if path != "-" and not Path(path).exists():
            raise Failure(f"{path}: no such file or directory")
    try:
        specs, problems = load_specs(paths, config, stdin_text)
    except InputError as exc:
        raise Failure(str(exc)) from None
    except InternalError as exc:
        raise Failure(f"{exc} (please report this bug)") from None
    if problems:
        click.echo(text_report(problems, all_rules()), err=True, nl=False)
        click.echo("slospec: error: fix the problems above before compiling", err=True)
        sys.exit(EXIT_FINDINGS)
    if not specs:
        raise Failure(f"no specs found in {', '.join(paths)}")
    template_text = Path(template).read_text(encoding="utf-8") if template else None
    module = backends.load(target)
    options = backends.CompileOptions(internal=internal, template=template_text, config=config)
    try:
        artifacts = module.compile(specs, options)
    except backends.CompileError as exc:
        raise Failure(str(exc)) from None
    _write_artifacts(artifacts, output, module.JOINER)


def _write_artifacts(artifacts, output, joiner) -> None:
    from slospec.atomic import safe_child, write_text

    if output is None or output == "-":
        click.echo(joiner.join(a.text for a in artifacts), nl=False)
        return
    target = Path(output)
    if target.is_dir() or output.endswith(("/", "\\")):
        from slospec.backends import CompileError, plan

        try:
            files = plan(artifacts)  # distinct file names, or a clash to report
        except CompileError as exc:
            raise Failure(f"{output}: {exc}") from None
        try:
            target.mkdir(parents=True, exist_ok=True)
            for name, artifact in files:
                path = safe_child(target, name)
                write_text(path, artifact.text)
                click.echo(f"wrote {path}", err=True)
        except OSError as exc:
            raise Failure(f"{output}: cannot write: {exc.strerror or exc}") from None
        return
    _write_output(joiner.join(a.text for a in artifacts), output)


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if a file would be reformatted.")
@click.option("--diff", is_flag=True, help="Change nothing; print a unified diff of what would change.")
def fmt(paths, check, diff):
    """Format .slo and .slo.yaml files canonically, keeping every comment (default: the current directory)."""
    import difflib

    from slospec import loader
    from slospec.atomic import write_text
    from slospec.fmt import FormatError, format_text

    config = _load_config(None)
    targets = []
    for path, _explicit in loader.discover(paths or (".",), config):
        if path.endswith((".slo", ".slo.yaml", ".slo.yml")):
            targets.append(path)
    for path in paths:
        if path != "-" and not Path(path).exists():
            raise Failure(f"{path}: no such file or directory")
    changed = failed = 0
    for path in targets:
        try:
            text = loader.decode(Path(path).read_bytes())
            result = format_text(path, text)
        except FormatError as exc:
            click.echo(f"slospec: error: {exc}", err=True)
            failed += 1
            continue
        except Exception as exc:  # noqa: BLE001 - unreadable or undecodable file
            click.echo(f"slospec: error: {path}: {getattr(exc, 'message', exc)} (not formatted)", err=True)
            failed += 1
            continue
        if not result.changed:
            continue
        changed += 1
        if diff:
            click.echo("".join(difflib.unified_diff(result.original.splitlines(True), result.text.splitlines(True),
                                                    fromfile=path, tofile=path)), nl=False)
        elif check:
            click.echo(f"would reformat {path}")
        else:
            write_text(path, result.text)
            click.echo(f"reformatted {path}")
    verb = "would be reformatted" if (check or diff) else "reformatted"
    click.echo(f"{changed} file{'s' if changed != 1 else ''} {verb}, {len(targets) - changed - failed} unchanged"
               + (f", {failed} not formatted" if failed else ""), err=True)
    if failed:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if changed and (check or diff) else EXIT_OK)


@main.command()
@click.argument("path")
@click.option("--to", "to", type=click.Choice(["yaml", "openslo", "dsl"]), required=True,
              help="Output syntax: slospec YAML, OpenSLO v1, or the DSL.")
@click.option("-o", "--output", default=None, metavar="FILE", help="Write to FILE (atomically) instead of stdout.")
def convert(path, to, output):
    """Convert a spec between syntaxes: the DSL, slospec YAML and OpenSLO (data kept exactly)."""
    from slospec import backends, loader, model, yamlout
    from slospec.config import Config

    if path != "-" and not Path(path).is_file():
        raise Failure(f"{path}: no such file")
    config = Config()
    stdin_text = sys.stdin.read() if path == "-" else None
    try:
        source = loader.read(path, config, stdin_text)
    except loader.InputError as exc:
        raise Failure(str(exc)) from None
    if source is None:
        raise Failure(f"{path}: not a slospec, OpenSLO, Sloth, Pyrra or slo-generator file")
    if source.error is not None:
        span = source.error.span
        raise Failure(f"{path}:{span.line}:{span.column}: {source.error.message}")
    if source.format in ("sloth", "pyrra", "slogen"):  # issue 19: other tools' formats
        datas = _convert_other(path, source)
    elif source.format == "openslo":
        from slospec.openslo.importer import to_slospec

        datas = to_slospec(source)
        if not datas:
            raise Failure(f"{path}: no OpenSLO v1 SLO objects to convert")
    else:
        from slospec.api import InternalError, load_specs

        try:
            specs, problems = load_specs([path], config, stdin_text)
        except InternalError as exc:
            raise Failure(f"{exc} (please report this bug)") from None
        if problems:
            first = problems[0]
            raise Failure(f"{first.path}:{first.span.line}:{first.span.column}: {first.code} {first.message}")
        datas = [s.data for s in specs]
    if to == "yaml":
        text = yamlout.dump_all(datas)
    elif to == "dsl":
        from slospec import dsl

        text = dsl.dump(datas)
    else:
        specs = [model.build(d, path) for d in datas]
        module = backends.load("openslo")
        text = module.JOINER.join(a.text for a in module.compile(specs, backends.CompileOptions()))
    _write_output(text, output)


def _convert_other(path: str, source) -> list[dict]:
    """issue 19: Sloth, Pyrra and slo-generator documents as slospec data; what slospec cannot
    express is named on stderr, documents that are not SLOs are said to be so."""
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
            raise Failure(f"{path}:{span.line}:{span.column}: {problem.code} {problem.message}")
        for notice in imported.notices:
            span = doc.source_map.locate(notice.pointer)
            click.echo(f"slospec: note: {path}:{span.line}:{span.column}: {notice.message}", err=True)
        if imported.data is not None:
            datas.append(imported.data)
    if not datas:
        reason = skipped[0] if skipped else "no SLO in this file"
        raise Failure(f"{path}: nothing to convert: {reason}")
    return datas


@main.command("eval")
@click.argument("paths", nargs=-1, required=True)
@click.option("--data", "data", multiple=True, required=True, metavar="[ROLE=]FILE",
              help="Recorded data: a count or event CSV, or Prometheus query_range JSON as bad=FILE/good=FILE "
                   "with total=FILE. Repeatable.")
@click.option("--sli", "sli_name", default=None, help="The SLI the data measures (needed when a spec has several).")
@click.option("--column", "columns", multiple=True, metavar="NAME=COLUMN",
              help="Map a field to a CSV column: timestamp, good, bad, total, value, or the SLI condition's field.")
@click.option("--interval", type=click.IntRange(min=1), default=60, show_default=True,
              help="Seconds per bucket the data is counted in.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text")
@click.option("-o", "--output", default=None, metavar="FILE", help="Write the report to FILE (atomically).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="Configuration file (rule options for SLO108/SLO109).")
def eval_command(paths, data, sli_name, columns, interval, fmt, output, config_path):
    """Evaluate SLOs and SLAs against recorded data: attainment, budget, credits, alert backtest."""
    from slospec.api import load_documents
    from slospec.evaluate import compute, inputs, report, runner
    from slospec.loader import InputError
    from slospec.reporters import text as text_report
    from slospec.rules import all_rules

    config = _load_config(config_path)
    for path in paths:
        if not Path(path).exists():
            raise Failure(f"{path}: no such file or directory")
    try:
        loaded = load_documents(paths, config)
    except InputError as exc:
        raise Failure(str(exc)) from None
    if loaded.crashes:
        raise Failure(f"{loaded.crashes[0]} (please report this bug)")
    documents, problems = loaded.documents, loaded.problems
    if problems:
        click.echo(text_report(problems, all_rules()), err=True, nl=False)
        raise Failure("fix the problems above before evaluating")
    roles: dict[str, list[Path]] = {}
    for item in data:
        role, _, name = item.rpartition("=") if "=" in item else ("", "", item)
        if role not in ("", "bad", "good", "total"):
            raise click.BadParameter(f"{item!r}: the role is bad, good or total", param_hint="--data")
        if not Path(name).is_file():
            raise Failure(f"{name}: no such file")
        roles.setdefault(role, []).append(Path(name))
    mapping = {}
    for item in columns:
        key, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"{item!r}: write NAME=COLUMN", param_hint="--column")
        mapping[key.strip()] = value.strip()
    results, slas, findings, rows = [], [], [], 0
    rules = all_rules()
    progress = None
    if sys.stderr.isatty():
        # Long inputs: a running row count on the terminal (never in pipes, CI or tests).
        def progress(path, n):
            click.echo(f"\rreading {path.name}: {n:,} rows", err=True, nl=False)
    for document in documents:
        spec = document.spec
        names = [s.name for s in spec.slis]
        chosen = sli_name or (names[0] if len(names) == 1 else None)
        if chosen is None or chosen not in names:
            raise Failure(f"{document.path}: say which SLI the data measures with --sli ({', '.join(names)})")
        try:
            series, count = runner.load(spec, chosen, roles, mapping, interval, progress)
        except inputs.DataError as exc:
            raise Failure(str(exc)) from None
        rows += count
        for slo in spec.slos:
            if slo.sli_name != chosen:
                continue
            result = compute.evaluate(slo, series)
            results.append(result)
            findings += runner.judge(result, rules, document.source_map.locate, document.path, config)
        for sla in spec.slas:
            if sla.sli_name == chosen:
                slas.append((sla, compute.evaluate_sla(sla, series)))
    if progress is not None and rows >= inputs.PROGRESS_EVERY:
        click.echo("", err=True)
    if not results and not slas:
        raise Failure(f"no SLO or SLA measures SLI {sli_name or chosen!r}")
    rendered = {"text": report.text, "json": report.as_json, "markdown": report.markdown}[fmt](results, slas)
    if findings and fmt == "text":
        rendered += text_report(findings, rules).rsplit("\n", 2)[0] + "\n"
    _write_output(rendered, output)
    missed = any(not r.met for r in results) or any(not p.met for _, ps in slas for p in ps[-1:])
    sys.exit(EXIT_FINDINGS if missed or any(f.severity == "error" for f in findings) else EXIT_OK)


@main.command()
@click.argument("target")
@click.argument("window")
@click.option("--events", type=click.IntRange(min=0), default=None,
              help="Expected valid events per window, to count the allowed bad events.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def budget(target, window, events, fmt):
    """Error budget for TARGET over WINDOW, e.g. `slospec budget 99.95% 30d`.

    WINDOW is a duration (28d, 1w, 24h) or a calendar period (day, week, month, quarter, year).
    """
    from slospec.budget import BudgetError, compute, render_json, render_text

    try:
        result = compute(target, window, events)
    except BudgetError as exc:
        raise click.BadParameter(str(exc)) from None
    click.echo(render_json(result) if fmt == "json" else render_text(result), nl=False)


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def rules_command(fmt):
    """List every rule: code, name, default severity and summary."""
    import json

    from slospec.rules import all_rules

    rules = all_rules().values()
    if fmt == "json":
        click.echo(json.dumps([
            {"code": r.code, "name": r.name, "severity": r.severity, "summary": r.summary}
            for r in rules], indent=2))
        return
    for r in rules:
        click.echo(f"{r.code}  {r.name:<30} {r.severity:<8} {r.summary}")


@main.command("rule")
@click.argument("code_or_name")
def rule_command(code_or_name):
    """Print one rule's documentation (by code or name)."""
    from slospec import rules
    from slospec.docgen import rule_page

    found = rules.get(code_or_name)
    if found is None:
        raise Failure(f"no rule {code_or_name!r}; `slospec rules` lists them all")
    click.echo(rule_page(found), nl=False)


@main.command()
@click.option("--config", "which", flag_value="config", help="Print the configuration schema instead.")
@click.option("--openslo", "which", flag_value="openslo", help="Print slospec's OpenSLO v1 schema instead.")
def schema(which):
    """Print the bundled JSON Schema of the slospec spec format."""
    from slospec import resources

    name = {"config": "config.schema.json", "openslo": "openslo-v1.schema.json"}.get(
        which or "", "slospec.schema.json")
    click.echo(resources.read_text(f"schema/{name}"), nl=False)


def run() -> None:
    """Console entry point: never a traceback, even for a bug (one line, exit status 2)."""
    try:
        main(prog_name="slospec")
    except SystemExit:
        raise
    except KeyboardInterrupt:
        click.echo("slospec: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the contract: one line, exit 2
        click.echo(f"slospec: internal error: {type(exc).__name__}: {exc} (please report this bug)", err=True)
        sys.exit(EXIT_ERROR)
