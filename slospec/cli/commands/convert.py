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
@output_option()
def convert(path, to, output):
    """Convert a spec between syntaxes: the DSL, slospec YAML and OpenSLO (data kept exactly)."""
    from slospec.api import convert_path

    problem = not_a_file(path) if path != "-" else None
    if problem:
        raise Failure(problem)
    from slospec.config import DEFAULT_MAX_FILE_SIZE
    from slospec.source.reading import read_stdin

    stdin_text = read_stdin(DEFAULT_MAX_FILE_SIZE) if path == "-" else None
    conversion = convert_path(path, to, stdin_text=stdin_text)
    for note in conversion.notes:
        click.echo(f"slospec: note: {note}", err=True)
    write_output(conversion.text, output)
