"""`slospec schema`: print a bundled JSON Schema."""

from __future__ import annotations

import click


@click.command("schema")
@click.option("--config", "config", is_flag=True, help="Print the configuration schema instead.")
@click.option("--openslo", "openslo", is_flag=True, help="Print slospec's OpenSLO v1 schema instead.")
def schema(config, openslo):
    """Print the bundled JSON Schema of the slospec spec format."""
    from slospec import resources

    if config and openslo:
        raise click.UsageError("--config and --openslo each print one schema: give one of them")
    name = "config.schema.json" if config else "openslo-v1.schema.json" if openslo else "slospec.schema.json"
    click.echo(resources.read_text(f"schema/{name}"), nl=False)
