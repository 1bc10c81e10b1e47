"""The command line: parses options, calls the pure core, prints, and exits (0, 1 or 2)."""

from __future__ import annotations

import sys
from typing import IO, Any

import click

from slospec import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class Failure(click.ClickException):
    """An error the user can fix (bad config, unreadable file): one line, exit status 2."""

    exit_code = EXIT_ERROR

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"slospec: error: {self.message}", err=True)


def _write_output(text: str, output: str | None, color: bool = False) -> None:
    if output is None or output == "-":
        # click strips ANSI codes from pipes unless told the caller chose colour.
        click.echo(text, nl=False, color=True if color else None)
        return
    from slospec.atomic import write_text

    try:
        write_text(output, text)
    except OSError as exc:
        raise Failure(f"{output}: cannot write: {exc.strerror or exc}") from None


def _require_existing(paths: tuple[str, ...], stdin: bool = True) -> None:
    """Exit 2 naming the first path that is not there (`-`, standard input, where allowed)."""
    from slospec.loader import exists

    for path in paths:
        if not (stdin and path == "-") and not exists(path):
            raise Failure(f"{path}: no such file or directory")


def _is_dir(path: str) -> bool:
    from pathlib import Path

    try:
        return Path(path).is_dir()
    except (OSError, ValueError):
        return False


def _not_a_file(path: str) -> str | None:
    """Why `path` cannot be read as a file, or None (stat errors are not tracebacks)."""
    from pathlib import Path

    try:
        return None if Path(path).is_file() else f"{path}: no such file"
    except (OSError, ValueError) as exc:
        return f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}"


def _load_config(config_path: str | None, paths: tuple[str, ...] = ()):
    """--config, else the configuration the named specs live under (found from each one's
    folder upwards, as lint finds it), else the current directory's."""
    from pathlib import Path

    from slospec.config import ConfigError, discover, load

    try:
        if config_path:
            return load(Path(config_path))
        found: dict = {}
        for path in paths:
            if path == "-":
                continue
            target = Path(path)
            try:
                folder = target if target.is_dir() else target.parent
            except OSError:
                folder = target.parent
            found.setdefault(discover(folder), path)
        if len(found) > 1:
            (first, a), (second, b) = [(str(c) if c else "no configuration file", p) for c, p in found.items()][:2]
            raise Failure(
                f"{a} and {b} are under different configurations ({first}, {second}); "
                "run the command once per project, or pass --config"
            )
        if found:
            return load(next(iter(found)), search=False)
        return load(None)
    except ConfigError as exc:
        raise Failure(str(exc)) from None


def _columns() -> int:
    """shutil.get_terminal_size().columns, without importing shutil (and bz2, lzma) for --help."""
    import os

    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    try:
        lines = int(os.environ["LINES"])
    except (KeyError, ValueError):
        lines = 0
    if columns <= 0 or lines <= 0:
        try:
            size = os.get_terminal_size(sys.__stdout__.fileno())  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            size = os.terminal_size((80, 24))
        if columns <= 0:
            columns = size.columns or 80
    return columns


class _HelpFormatter(click.HelpFormatter):
    """click's formatter, the same width rule (see HelpFormatter.__init__), one import fewer."""

    def __init__(self, indent_increment: int = 2, width: int | None = None, max_width: int | None = None) -> None:
        from click import formatting

        if width is None and formatting.FORCED_WIDTH is None:
            width = max(min(_columns(), 80 if max_width is None else max_width) - 2, 50)
        super().__init__(indent_increment, width, max_width)


class _Context(click.Context):
    formatter_class = _HelpFormatter


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="slospec")
def main() -> None:
    """slospec: service levels as code.

    Lint SLO/SLA specifications (slospec YAML, the .slo DSL, OpenSLO v1) for unrealistic or
    inconsistent targets, and compile them to OpenSLO, Markdown contracts and Prometheus rules.
    """


main.context_class = _Context


@main.command()
@click.argument("paths", nargs=-1)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "sarif", "github"]),
    default=None,
    help="Output format (default: text, or `format` in the configuration).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Configuration file for every file (default: for each file, the nearest slospec.toml "
    "or pyproject.toml with [tool.slospec] from its folder upwards).",
)
@click.option(
    "--select", default=None, metavar="CODES", help="Only these rules: codes, prefixes or names, comma separated."
)
@click.option("--ignore", default=None, metavar="CODES", help="Skip these rules (wins over --select).")
@click.option("--strict", is_flag=True, help="Exit 1 on any finding, not only on errors.")
@click.option(
    "--exit-zero", is_flag=True, help="Exit 0 even when findings fail the run (2 still means slospec failed)."
)
@click.option("-q", "--quiet", is_flag=True, help="Print only the findings: no summary, nothing at all when clean.")
@click.option("--statistics", is_flag=True, help="Print how many findings each rule reported instead of the findings.")
@click.option("--show-files", is_flag=True, help="Print the files that would be linted, then exit.")
@click.option(
    "--stdin-filename",
    default=None,
    metavar="NAME",
    help="Lint stdin (`-`, the default then) as if it were the file NAME: its format and configuration.",
)
@click.option(
    "--color",
    "color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour the text report; auto: only on a terminal, and never when NO_COLOR is set.",
)
@click.option(
    "--fix", is_flag=True, help="Fix what has one right fix (SLO103, SLO003) in place, then report what remains."
)
@click.option(
    "--diff",
    is_flag=True,
    help="With --fix: print the fixes as a unified diff and write nothing (exit 1 if there are any).",
)
@click.option(
    "-o", "--output", default=None, metavar="FILE", help="Write the report to FILE (atomically) instead of stdout."
)
@click.option("--no-cache", is_flag=True, help="Check every file afresh: neither read nor write the result cache.")
def lint(
    paths,
    fmt,
    config_path,
    select,
    ignore,
    strict,
    exit_zero,
    quiet,
    statistics,
    show_files,
    stdin_filename,
    color,
    fix,
    diff,
    output,
    no_cache,
):
    """Lint spec files and directories (default: the current directory; - reads stdin)."""
    from slospec.api import files_to_lint, lint_paths
    from slospec.config import ConfigError, Finder
    from slospec.loader import InputError
    from slospec.reporters import REPORTERS
    from slospec.reporters import statistics as statistics_report
    from slospec.rules import registry

    def adjust(config):
        try:
            config = config.with_cli(select, ignore, strict)
        except ConfigError as exc:
            raise Failure(str(exc)) from None
        if no_cache:
            from dataclasses import replace

            config = replace(config, cache=False)
        return config

    config = adjust(_load_config(config_path))
    configs = None if config_path else Finder(adjust)
    if diff and not fix:
        raise click.UsageError("--diff shows what --fix would change: use --fix --diff")
    paths = paths or (("-",) if stdin_filename else (".",))
    _require_existing(paths)
    if fix and "-" in paths and not diff:
        raise Failure("--fix cannot write back to stdin; use --fix --diff to see the fixes")
    if show_files:
        try:
            found = files_to_lint(paths, config, configs)
        except (ConfigError, InputError) as exc:
            raise Failure(str(exc)) from None
        for path in found:
            click.echo(stdin_filename or "<stdin>" if path == "-" else path)
        sys.exit(EXIT_OK)
    stdin_text = sys.stdin.read() if "-" in paths else None
    import gc

    # A lint run builds many small objects and frees few: the cyclic collector mostly walks
    # them again and again (a tenth of a 1,000-file run, a third of 10,000). Collect rarely
    # instead of never, so memory stays bounded; results do not depend on it.
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)
    try:
        if fix:
            from slospec.api import fix_paths

            fixed = fix_paths(paths, config, stdin_text, configs=configs, stdin_filename=stdin_filename)
            report = fixed.report
        else:
            report = lint_paths(paths, config, stdin_text, configs=configs, stdin_filename=stdin_filename)
    except (ConfigError, InputError) as exc:
        raise Failure(str(exc)) from None
    if not quiet:
        for notice in report.notices:
            click.echo(f"slospec: {notice}", err=True)
    if report.files == 0 and any(_is_dir(p) for p in paths if p != "-"):
        raise Failure(
            f"no spec files found in {', '.join(paths)} (looked for *.slo, *.slo.yaml and "
            "OpenSLO, Sloth, Pyrra and slo-generator YAML; see include/exclude in the configuration)"
        )
    if fix:
        _write_fixes(fixed, diff, quiet)
    enabled = {code: r for code, r in registry().items() if config.enabled(r)}  # modules imported as read
    fmt = fmt or config.format
    paint = False
    if statistics:
        rendered = statistics_report(report.diagnostics)
    elif fmt == "text":
        paint = color == "always" or (color == "auto" and output in (None, "-") and _terminal())
        rendered = REPORTERS["text"](report.diagnostics, enabled, report.files, summary=not quiet, color=paint)
    else:
        rendered = REPORTERS[fmt](report.diagnostics, enabled, report.files)
    if rendered or output not in (None, "-"):
        _write_output(rendered, output, paint)
    for crash in report.crashes:
        click.echo(f"slospec: error: {crash} (please report this bug)", err=True)
    if report.crashes or any(getattr(n, "error", False) for n in report.notices):
        sys.exit(EXIT_ERROR)  # a bug, or an unreadable folder: after the other files were checked
    if fix and diff and fixed.changes:
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_FINDINGS if report.failing and not exit_zero else EXIT_OK)


def _terminal() -> bool:
    """Colour only for a person at a terminal who has not asked for none (no-color.org)."""
    import os

    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def _write_fixes(fixed, diff: bool, quiet: bool) -> None:
    """--fix writes each changed file atomically; --fix --diff prints the changes instead."""
    import difflib

    from slospec.atomic import write_text

    for change in fixed.changes:
        if diff:
            click.echo(
                "".join(
                    difflib.unified_diff(
                        change.original.splitlines(True),
                        change.fixed.splitlines(True),
                        fromfile=change.path,
                        tofile=change.path,
                    )
                ),
                nl=False,
            )
            continue
        try:
            write_text(change.path, change.fixed)
        except OSError as exc:
            raise Failure(f"{change.path}: cannot write: {exc.strerror or exc}") from None
    count = sum(c.count for c in fixed.changes)
    if count and not quiet:
        files = len(fixed.changes)
        verb = "Would fix" if diff else "Fixed"
        click.echo(
            f"{verb} {count} problem{'s' if count != 1 else ''} in {files} file{'s' if files != 1 else ''}.", err=True
        )


@main.command("compile")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--target",
    "-t",
    "target",
    required=True,
    metavar="TARGET",
    help="What to generate: openslo, markdown, prometheus, prometheus-tests, sloth.",
)
@click.option(
    "-o",
    "--output",
    default=None,
    metavar="FILE_OR_DIR",
    help="Write to FILE, or one file per artifact into an existing DIR (or a path ending in /).",
)
@click.option("--internal", is_flag=True, help="markdown: add the internal appendix (SLOs, alerting policy).")
@click.option(
    "--template",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="markdown: render with this Jinja2 template (sandboxed).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Configuration file (operational defaults).",
)
def compile_command(paths, target, output, internal, template, config_path):
    """Compile specs to another format (OpenSLO, Markdown contract, Prometheus rules, ...)."""
    from slospec import backends
    from slospec.api import InternalError, UserError, compile_paths
    from slospec.loader import InputError
    from slospec.reporters import text as text_report
    from slospec.rules import all_rules

    if target not in backends.BACKENDS:
        raise click.BadParameter(
            f"{target!r}; choose from {', '.join(sorted(backends.BACKENDS))}", param_hint="--target"
        )
    config = _load_config(config_path, paths)
    stdin_text = sys.stdin.read() if "-" in paths else None
    _require_existing(paths)
    try:
        compiled = compile_paths(
            paths, target, config, internal=internal, template_path=template, stdin_text=stdin_text
        )
    except (InputError, UserError) as exc:
        _echo_notices(getattr(exc, "notices", ()))
        raise Failure(str(exc)) from None
    except InternalError as exc:
        raise Failure(f"{exc} (please report this bug)") from None
    _echo_notices(compiled.notices)
    if compiled.problems:
        click.echo(text_report(compiled.problems, all_rules()), err=True, nl=False)
        click.echo("slospec: error: fix the problems above before compiling", err=True)
        sys.exit(EXIT_FINDINGS)
    _write_artifacts(compiled.artifacts, output, compiled.joined)
    if any(getattr(n, "error", False) for n in compiled.notices):
        sys.exit(EXIT_ERROR)  # an unreadable folder: after the others were compiled, as lint does


def _echo_notices(notices) -> None:
    """What discovery skipped, one line each on stderr, as lint prints it."""
    for notice in notices:
        click.echo(f"slospec: {notice}", err=True)


def _write_artifacts(artifacts, output, joined: str) -> None:
    from pathlib import Path

    from slospec.atomic import safe_child, write_text

    if output is None or output == "-":
        click.echo(joined, nl=False)
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
    _write_output(joined, output)


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if a file would be reformatted.")
@click.option("--diff", is_flag=True, help="Change nothing; print a unified diff of what would change.")
def fmt(paths, check, diff):
    """Format .slo and .slo.yaml files canonically, keeping every comment (default: the current directory)."""
    import difflib

    from slospec import fmt as formatter

    _require_existing(paths)
    notices: list = []
    config = _load_config(None)
    targets = formatter.targets(paths or (".",), config, notices)
    for notice in notices:
        click.echo(f"slospec: {notice}", err=True)
    changed = failed = 0
    for outcome in formatter.run(targets, write=not (check or diff), cache=config.cache):
        if outcome.status == "error":
            click.echo(f"slospec: error: {outcome.message}", err=True)
            failed += 1
        elif outcome.status == "changed":
            changed += 1
            if diff:
                click.echo(
                    "".join(
                        difflib.unified_diff(
                            outcome.original.splitlines(True),
                            outcome.text.splitlines(True),
                            fromfile=outcome.path,
                            tofile=outcome.path,
                        )
                    ),
                    nl=False,
                )
            elif check:
                click.echo(f"would reformat {outcome.path}")
            else:
                click.echo(f"reformatted {outcome.path}")
    verb = "would be reformatted" if (check or diff) else "reformatted"
    click.echo(
        f"{changed} file{'s' if changed != 1 else ''} {verb}, {len(targets) - changed - failed} unchanged"
        + (f", {failed} not formatted" if failed else ""),
        err=True,
    )
    if failed or any(n.error for n in notices):
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if changed and (check or diff) else EXIT_OK)


@main.command()
@click.argument("path")
@click.option(
    "--to",
    "to",
    type=click.Choice(["yaml", "openslo", "dsl"]),
    required=True,
    help="Output syntax: slospec YAML, OpenSLO v1, or the DSL.",
)
@click.option("-o", "--output", default=None, metavar="FILE", help="Write to FILE (atomically) instead of stdout.")
def convert(path, to, output):
    """Convert a spec between syntaxes: the DSL, slospec YAML and OpenSLO (data kept exactly)."""
    from slospec.api import InternalError, UserError, convert_path
    from slospec.loader import InputError

    problem = _not_a_file(path) if path != "-" else None
    if problem:
        raise Failure(problem)
    stdin_text = sys.stdin.read() if path == "-" else None
    try:
        conversion = convert_path(path, to, stdin_text=stdin_text)
    except (InputError, UserError) as exc:
        raise Failure(str(exc)) from None
    except InternalError as exc:
        raise Failure(f"{exc} (please report this bug)") from None
    for note in conversion.notes:
        click.echo(f"slospec: note: {note}", err=True)
    _write_output(conversion.text, output)


@main.command("eval")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--data",
    "data",
    multiple=True,
    metavar="[ROLE=]FILE",
    help="Recorded data: a count or event CSV (or Parquet with slospec[fast]), or Prometheus "
    "query_range JSON as bad=FILE/good=FILE with total=FILE. Repeatable.",
)
@click.option(
    "--prometheus",
    "prometheus",
    default=None,
    metavar="URL",
    help="Query a live Prometheus-compatible API instead (token from SLOSPEC_PROMETHEUS_TOKEN, "
    "or SLOSPEC_PROMETHEUS_USER/_PASSWORD).",
)
@click.option("--start", default=None, metavar="TIME", help="With --prometheus: start (default: end minus the window).")
@click.option("--end", default=None, metavar="TIME", help="With --prometheus: end (default: now).")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    help="With --prometheus: seconds per HTTP request.",
)
@click.option("--ca-file", default=None, metavar="FILE", help="With --prometheus: CA bundle for HTTPS.")
@click.option("--insecure", is_flag=True, help="With --prometheus: skip TLS certificate verification.")
@click.option("--sli", "sli_name", default=None, help="The SLI the data measures (needed when a spec has several).")
@click.option(
    "--column",
    "columns",
    multiple=True,
    metavar="NAME=COLUMN",
    help="Map a field to a CSV column: timestamp, good, bad, total, value, or the SLI condition's field.",
)
@click.option(
    "--interval",
    type=click.IntRange(min=1),
    default=60,
    show_default=True,
    help="Seconds per bucket the data is counted in (the query step with --prometheus).",
)
@click.option(
    "--reader",
    type=click.Choice(["auto", "fast", "pure"]),
    default="auto",
    show_default=True,
    help="CSV/Parquet reader: fast (DuckDB, slospec[fast]), pure (Python), auto (fast when installed).",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text")
@click.option("-o", "--output", default=None, metavar="FILE", help="Write the report to FILE (atomically).")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Configuration file (rule options for SLO108/SLO109).",
)
def eval_command(
    paths,
    data,
    prometheus,
    start,
    end,
    timeout,
    ca_file,
    insecure,
    sli_name,
    columns,
    interval,
    reader,
    fmt,
    output,
    config_path,
):
    """Evaluate SLOs and SLAs against recorded data: attainment, budget, credits, alert backtest."""
    from slospec.evaluate.command import EvalFailure, EvalOptions, LiveOptions, run

    config = _load_config(config_path, paths)
    progress = None
    if sys.stderr.isatty():
        # Long inputs: a running row count on the terminal (never in pipes, CI or tests).
        def progress(path, n):
            click.echo(f"\rreading {path.name}: {n:,} rows", err=True, nl=False)

    if prometheus is None and (start or end or ca_file or insecure):
        raise click.UsageError("--start, --end, --ca-file and --insecure go with --prometheus URL")
    live = None if prometheus is None else LiveOptions(prometheus, start, end, timeout, ca_file, insecure)
    fast = {"auto": None, "fast": True, "pure": False}[reader]
    options = EvalOptions(list(paths), list(data), sli_name, list(columns), interval, fmt, live, fast, progress)
    try:
        outcome = run(options, config)
    except EvalFailure as exc:
        _echo_notices(exc.notices)
        if exc.details:
            click.echo(exc.details, err=True, nl=False)
        raise Failure(str(exc)) from None
    finally:
        if progress is not None:
            click.echo("\r\033[K", err=True, nl=False)
    _echo_notices(outcome.notices)
    _write_output(outcome.text, output)
    sys.exit(outcome.exit_status)


@main.command("check")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--prometheus",
    "url",
    required=True,
    metavar="URL",
    help="Prometheus HTTP API base URL (Prometheus, Thanos, Mimir, Cortex, VictoriaMetrics).",
)
@click.option(
    "--lookback", default="1h", show_default=True, metavar="DURATION", help="How far back series count as existing."
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="Seconds to wait for each request.",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "github"]), default="text")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Configuration file (select, ignore and severity apply).",
)
def check_command(paths, url, lookback, timeout, fmt, config_path):
    """Check specs against a live Prometheus: SLI series exist, counters are counters, latency
    thresholds are buckets, good/bad events are among the total's (SLO207, SLO211-SLO213)."""
    from slospec.api import check_live
    from slospec.live import LiveError
    from slospec.loader import InputError
    from slospec.quantities import Duration, QuantityError
    from slospec.reporters import REPORTERS
    from slospec.reporters import text as text_report
    from slospec.rules import all_rules

    if not url.startswith(("http://", "https://")):
        raise click.BadParameter(f"{url!r}: give the server's http:// or https:// URL", param_hint="--prometheus")
    try:
        window = Duration.parse(lookback)
    except QuantityError as exc:
        raise click.BadParameter(str(exc), param_hint="--lookback") from None
    config = _load_config(config_path, paths)
    _require_existing(paths, stdin=False)
    try:
        loaded = check_live(paths, config, url, timeout=timeout, lookback_seconds=float(window.seconds))
    except InputError as exc:
        raise Failure(str(exc)) from None
    except LiveError as exc:
        raise Failure(str(exc)) from None
    if loaded.crashes:
        raise Failure(f"{loaded.crashes[0]} (please report this bug)")
    if not loaded.documents and not loaded.problems:
        raise Failure(f"no specs found in {', '.join(paths)}")
    rules = all_rules()
    if loaded.blocked:
        click.echo(text_report(loaded.problems, rules), err=True, nl=False)
        raise Failure("fix the problems above before checking against the server")
    enabled = {code: r for code, r in rules.items() if config.enabled(r)}
    click.echo(REPORTERS[fmt](loaded.problems, enabled, len({d.path for d in loaded.documents})), nl=False)
    sys.exit(EXIT_FINDINGS if loaded.failing else EXIT_OK)


@main.command()
@click.argument("target")
@click.argument("window")
@click.option(
    "--events",
    type=click.IntRange(min=0),
    default=None,
    help="Expected valid events per window, to count the allowed bad events.",
)
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
        click.echo(
            json.dumps(
                [{"code": r.code, "name": r.name, "severity": r.severity, "summary": r.summary} for r in rules],
                indent=2,
            )
        )
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
        guesses = rules.suggest(code_or_name)
        hint = f"did you mean {' or '.join(guesses)}? " if guesses else ""
        raise Failure(f"no rule {code_or_name!r}; {hint}`slospec rules` lists them all")
    click.echo(rule_page(found), nl=False)


@main.command()
@click.option("--config", "which", flag_value="config", help="Print the configuration schema instead.")
@click.option("--openslo", "which", flag_value="openslo", help="Print slospec's OpenSLO v1 schema instead.")
def schema(which):
    """Print the bundled JSON Schema of the slospec spec format."""
    from slospec import resources

    name = {"config": "config.schema.json", "openslo": "openslo-v1.schema.json"}.get(which or "", "slospec.schema.json")
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
