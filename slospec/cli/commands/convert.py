"""`slospec convert`: one spec from one syntax to another."""

from __future__ import annotations

import click

from slospec.cli.options import output_option
from slospec.cli.output import Failure, not_a_file, write_output
from slospec.cli.suggest import Choice


@click.command("convert")
@click.argument("path")
@click.option(
    "--to",
    "to",
    type=Choice(["yaml", "openslo", "dsl"]),
    required=True,
    help="Output syntax: slospec YAML, OpenSLO v1, or the DSL.",
)
@click.option(
    "--openslo-version",
    type=Choice(["v1", "v2alpha"]),
    default="v1",
    show_default=True,
    help="openslo: the OpenSLO version written (v2alpha: apiVersion openslo.com/v2alpha).",
)
@output_option()
def convert(path, to, openslo_version, output):
    """Convert a spec between syntaxes: the DSL, slospec YAML and OpenSLO (data kept exactly)."""
    from slospec.api import convert_path

    if openslo_version != "v1" and to != "openslo":
        raise click.UsageError("--openslo-version applies to --to openslo")
    problem = not_a_file(path) if path != "-" else None
    if problem:
        raise Failure(problem)
    from slospec.config import DEFAULT_MAX_FILE_SIZE
    from slospec.source.reading import read_stdin

    stdin_text = read_stdin(DEFAULT_MAX_FILE_SIZE) if path == "-" else None
    conversion = convert_path(path, to, stdin_text=stdin_text, openslo_version=openslo_version)
    for note in conversion.notes:
        click.echo(f"slospec: note: {note}", err=True)
    write_output(conversion.text, output)
