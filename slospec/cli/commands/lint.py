"""`slospec lint`: check spec files and report findings (text, JSON, SARIF, GitHub)."""

from __future__ import annotations

import sys

import click

from slospec.cli.options import config_option, format_option, load_config, output_option
from slospec.cli.output import Failure, echo_diff, is_dir, require_existing, write_output
from slospec.cli.suggest import Choice, complete_selectors
from slospec.errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK


@click.command("lint")
@click.argument("paths", nargs=-1)
@format_option(
    "text",
    "json",
    "sarif",
    "github",
    default=None,
    help="Output format (default: text, or `format` in the configuration).",
)
@config_option
@click.option(
    "--select",
    default=None,
    metavar="CODES",
    shell_complete=complete_selectors,
    help="Only these rules: codes, prefixes or names, comma separated.",
)
@click.option(
    "--ignore",
    default=None,
    metavar="CODES",
    shell_complete=complete_selectors,
    help="Skip these rules (wins over --select).",
)
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
    type=Choice(["auto", "always", "never"]),
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
@output_option()
@click.option("--no-cache", is_flag=True, help="Check every file afresh: neither read nor write the result cache.")
@click.option(
    "--force-exclude",
    is_flag=True,
    help="Apply `exclude` to files named on the command line too (the pre-commit hooks pass it).",
)
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
    force_exclude,
):
    """Lint spec files and directories (default: the current directory; - reads stdin)."""
    from slospec.api import files_to_lint, lint_paths
    from slospec.config import Finder
    from slospec.lint.reporters import REPORTERS
    from slospec.lint.reporters import statistics as statistics_report
    from slospec.rules import registry
    from slospec.source.reading import read_stdin

    def adjust(config):
        config = config.with_cli(select, ignore, strict)
        if no_cache or force_exclude:
            from dataclasses import replace

            config = replace(
                config, cache=config.cache and not no_cache, force_exclude=config.force_exclude or force_exclude
            )
        return config

    config = adjust(load_config(config_path))
    configs = None if config_path else Finder(adjust)
    if diff and not fix:
        raise click.UsageError("--diff shows what --fix would change: use --fix --diff")
    paths = paths or (("-",) if stdin_filename else (".",))
    require_existing(paths)
    if fix and "-" in paths and not diff:
        raise Failure("--fix cannot write back to stdin; use --fix --diff to see the fixes")
    if show_files:
        found = files_to_lint(paths, config, configs)
        for path in found:
            click.echo(stdin_filename or "<stdin>" if path == "-" else path)
        sys.exit(EXIT_OK)
    stdin_text = read_stdin(config.max_file_size) if "-" in paths else None
    import gc

    # A lint run builds many small objects and frees few: the cyclic collector mostly walks
    # them again and again (a tenth of a 1,000-file run, a third of 10,000). Collect rarely
    # instead of never, so memory stays bounded; results do not depend on it.
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)
    if fix:
        from slospec.api import fix_paths

        fixed = fix_paths(paths, config, stdin_text, configs=configs, stdin_filename=stdin_filename)
        report = fixed.report
    else:
        report = lint_paths(paths, config, stdin_text, configs=configs, stdin_filename=stdin_filename)
    if not quiet:
        for notice in report.notices:
            click.echo(f"slospec: {notice}", err=True)
    if report.files == 0 and any(is_dir(p) for p in paths if p != "-"):
        raise Failure(_nothing_found(paths, config))
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
        write_output(rendered, output, paint)
    for crash in report.crashes:
        click.echo(f"slospec: error: {crash} (please report this bug)", err=True)
    if report.crashes or any(getattr(n, "error", False) for n in report.notices):
        sys.exit(EXIT_ERROR)  # a bug, or an unreadable folder: after the other files were checked
    if fix and diff and fixed.changes:
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_FINDINGS if report.failing and not exit_zero else EXIT_OK)


def _nothing_found(paths, config) -> str:
    """Why a folder gave no file: what was looked for, as the configuration says it."""
    from slospec.config import DEFAULT_INCLUDE

    where = ", ".join(paths)
    if tuple(config.include) == DEFAULT_INCLUDE:
        looked = "*.slo, *.slo.yaml and OpenSLO, Sloth, Pyrra and slo-generator YAML"
    else:
        source = f"`include` in {config.path}" if config.path else "`include`"
        looked = f"files matching {', '.join(config.include)} ({source})"
    return f"no spec files found in {where} (looked for {looked}; see include/exclude in the configuration)"


def _terminal() -> bool:
    """Colour only for a person at a terminal who has not asked for none (no-color.org)."""
    import os

    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def _write_fixes(fixed, diff: bool, quiet: bool) -> None:
    """--fix writes each changed file atomically; --fix --diff prints the changes instead."""
    from slospec.atomic import write_text

    for change in fixed.changes:
        if diff:
            echo_diff(change.path, change.original, change.fixed)
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
