"""`slospec init`: write a first spec, slospec.toml and .pre-commit-config.yaml (asks nothing)."""

from __future__ import annotations

import click

from slospec.cli.output import Failure


@click.command("init")
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("--service", default="my-service", show_default=True, help="The service's name (lowercase, dashes).")
@click.option("--owner", default="my-team", show_default=True, help="The team that owns the service.")
@click.option("--target", default="99.9%", show_default=True, help="The availability target, as a percentage.")
@click.option("--openslo", is_flag=True, help="Write the spec as OpenSLO v1 YAML instead of slospec YAML.")
def init_command(directory, service, owner, target, openslo):
    """Start a project: write a first spec, slospec.toml and .pre-commit-config.yaml.

    Asks nothing; writes into DIRECTORY (default: the current one) and never over an
    existing file.
    """
    from pathlib import Path

    from slospec.atomic import write_text
    from slospec.format.scaffold import ScaffoldError, build

    try:
        scaffold = build(service, owner, target, openslo)
    except ScaffoldError as exc:
        raise Failure(str(exc)) from None
    folder = Path(directory)
    if not folder.is_dir():
        raise Failure(f"{directory}: no such folder")
    there = [name for name in scaffold.files if (folder / name).exists() or (folder / name).is_symlink()]
    if there:
        names = ", ".join(str(folder / name) if directory != "." else name for name in there)
        raise Failure(
            f"{names} already exist{'s' if len(there) == 1 else ''}; init writes nothing over an existing file "
            "(move it away, or run init in another folder)"
        )
    written = []
    for name, text in scaffold.files.items():
        path = folder / name
        try:
            with open(path, "x", encoding="utf-8"):  # claimed: never over a file made meanwhile
                pass
            write_text(str(path), text)
        except FileExistsError:
            raise Failure(f"{path} already exists; init writes nothing over an existing file") from None
        except OSError as exc:
            raise Failure(f"{path}: cannot write: {exc.strerror or exc}") from None
        written.append(str(path) if directory != "." else name)
    click.echo(f"Wrote {', '.join(written[:-1])} and {written[-1]}.")
    click.echo("Next:")
    prefix = f"cd {directory} && " if directory != "." else ""
    for step in scaffold.next_steps:
        click.echo(f"  {prefix if step == scaffold.next_steps[0] else ''}{step}")
