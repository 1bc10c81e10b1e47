"""`slospec fmt`: rewrite .slo and .slo.yaml files in their canonical layout."""

from __future__ import annotations

import sys

import click

from slospec.cli.options import load_config
from slospec.cli.output import echo_diff, echo_notices, require_existing
from slospec.errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK


@click.command("fmt")
@click.argument("paths", nargs=-1)
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if a file would be reformatted.")
@click.option("--diff", is_flag=True, help="Change nothing; print a unified diff of what would change.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Configuration file for every file (default: for each file, the nearest one from its folder upwards, "
    "as lint finds it).",
)
@click.option(
    "--force-exclude",
    is_flag=True,
    help="Apply `exclude` to files named on the command line too (the pre-commit hook passes it).",
)
@click.option(
    "--stdin-filename",
    default=None,
    metavar="NAME",
    help="Format stdin (`-`, the default then) as the file NAME: a .slo name reads the DSL.",
)
def fmt(paths, check, diff, config_path, force_exclude, stdin_filename):
    """Format .slo and .slo.yaml files canonically, keeping every comment (default: the current directory)."""
    from slospec.format import run as formatter

    if stdin_filename and not paths:
        paths = ("-",)
    if "-" in paths:
        if len(paths) > 1:
            raise click.UsageError("`-` (standard input) cannot be formatted together with files")
        _format_stdin(stdin_filename, check, diff)
    require_existing(paths)
    notices: list = []
    config, configs = _fmt_configs(config_path, force_exclude)
    targets = formatter.targets(paths or (".",), config, notices, configs)
    echo_notices(notices)
    changed = failed = 0
    for outcome in formatter.run(targets, write=not (check or diff), cache=config.cache, limit=config.max_file_size):
        if outcome.status == "error":
            click.echo(f"slospec: error: {outcome.message}", err=True)
            failed += 1
        elif outcome.status == "changed":
            changed += 1
            if diff:
                echo_diff(outcome.path, outcome.original, outcome.text)
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


def _fmt_configs(config_path, force_exclude):
    """The configuration lint would use (--config for every file, else each file's nearest),
    with --force-exclude applied."""
    from dataclasses import replace

    from slospec.cli.output import Failure
    from slospec.config import ConfigError, Finder

    def adjust(config):
        return replace(config, force_exclude=True) if force_exclude else config

    config = adjust(load_config(config_path))
    if config_path:
        return config, None
    finder = Finder(adjust)

    def configs(path):
        try:
            return finder(path)
        except ConfigError as exc:
            raise Failure(str(exc)) from None

    return config, configs


def _format_stdin(stdin_filename, check, diff):
    """`slospec fmt -`: the formatted text on stdout (ruff's and black's habit); with --check
    or --diff, what would change. A text that cannot be formatted prints nothing on stdout."""
    from slospec.format import run as formatter
    from slospec.source import loader

    text = sys.stdin.read()
    name = stdin_filename or "-"
    if stdin_filename:
        is_dsl = stdin_filename.endswith(".slo")
    else:
        is_dsl = loader.file_format("<stdin>", text) == "dsl"
    try:
        result = formatter.format_text("<stdin>.slo" if is_dsl else "<stdin>.slo.yaml", text)
    except formatter.FormatError as exc:
        message = str(exc).replace("<stdin>.slo.yaml", name).replace("<stdin>.slo", name)
        click.echo(f"slospec: error: {message}", err=True)
        sys.exit(EXIT_ERROR)
    if diff:
        if result.changed:
            echo_diff(name, text, result.text)
        sys.exit(EXIT_FINDINGS if result.changed else EXIT_OK)
    if check:
        if result.changed:
            click.echo(f"would reformat {name}")
        sys.exit(EXIT_FINDINGS if result.changed else EXIT_OK)
    click.echo(result.text, nl=False)
    sys.exit(EXIT_OK)
