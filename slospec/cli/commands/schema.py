"""`slospec schema`: print a bundled JSON Schema."""

from __future__ import annotations

import click


@click.command("schema")
@click.option("--config", "which", flag_value="config", help="Print the configuration schema instead.")
@click.option("--openslo", "which", flag_value="openslo", help="Print slospec's OpenSLO v1 schema instead.")
def schema(which):
    """Print the bundled JSON Schema of the slospec spec format."""
    from slospec import resources

    name = {"config": "config.schema.json", "openslo": "openslo-v1.schema.json"}.get(which or "", "slospec.schema.json")
    click.echo(resources.read_text(f"schema/{name}"), nl=False)
