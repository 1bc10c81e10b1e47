"""`slospec convert`: one spec from one syntax to another."""

from __future__ import annotations

import click

from slospec.cli import Failure, _not_a_file, _write_output


@click.command("convert")
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
    from slospec.config import DEFAULT_MAX_FILE_SIZE
    from slospec.reading import read_stdin

    try:
        stdin_text = read_stdin(DEFAULT_MAX_FILE_SIZE) if path == "-" else None
    except InputError as exc:
        raise Failure(str(exc)) from None
    try:
        conversion = convert_path(path, to, stdin_text=stdin_text)
    except (InputError, UserError) as exc:
        raise Failure(str(exc)) from None
    except InternalError as exc:
        raise Failure(f"{exc} (please report this bug)") from None
    for note in conversion.notes:
        click.echo(f"slospec: note: {note}", err=True)
    _write_output(conversion.text, output)
