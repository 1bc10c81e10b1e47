"""`slospec rules` and `slospec rule`: the rule catalogue and one rule's page."""

from __future__ import annotations

import click

from slospec.cli.options import format_option
from slospec.cli.output import Failure
from slospec.cli.suggest import complete_rules


@click.command("rules")
@format_option("text", "json")
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


@click.command("rule")
@click.argument("code_or_name", shell_complete=complete_rules)
def rule_command(code_or_name):
    """Print one rule's documentation (by code or name)."""
    from slospec import rules
    from slospec.lint.docgen import rule_page

    found = rules.get(code_or_name)
    if found is None:
        guesses = rules.suggest(code_or_name)
        hint = f"did you mean {' or '.join(guesses)}? " if guesses else ""
        raise Failure(f"no rule {code_or_name!r}; {hint}`slospec rules` lists them all")
    click.echo(rule_page(found), nl=False)
