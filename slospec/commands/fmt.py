"""`slospec fmt`: rewrite .slo and .slo.yaml files in their canonical layout."""

from __future__ import annotations

import sys

import click

from slospec.cli import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, _echo_diff, _load_config, _require_existing


@click.command("fmt")
@click.argument("paths", nargs=-1)
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if a file would be reformatted.")
@click.option("--diff", is_flag=True, help="Change nothing; print a unified diff of what would change.")
def fmt(paths, check, diff):
    """Format .slo and .slo.yaml files canonically, keeping every comment (default: the current directory)."""
    from slospec import fmt as formatter

    _require_existing(paths)
    notices: list = []
    config = _load_config(None)
    targets = formatter.targets(paths or (".",), config, notices)
    for notice in notices:
        click.echo(f"slospec: {notice}", err=True)
    changed = failed = 0
    for outcome in formatter.run(targets, write=not (check or diff), cache=config.cache, limit=config.max_file_size):
        if outcome.status == "error":
            click.echo(f"slospec: error: {outcome.message}", err=True)
            failed += 1
        elif outcome.status == "changed":
            changed += 1
            if diff:
                _echo_diff(outcome.path, outcome.original, outcome.text)
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
