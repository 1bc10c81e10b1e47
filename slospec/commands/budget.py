"""`slospec budget`: the error budget of a target over a window."""

from __future__ import annotations

import click

from slospec.suggest import Choice


@click.command("budget")
@click.argument("target")
@click.argument("window")
@click.option(
    "--events",
    type=click.IntRange(min=0),
    default=None,
    help="Expected valid events per window, to count the allowed bad events.",
)
@click.option("--format", "fmt", type=Choice(["text", "json"]), default="text")
def budget(target, window, events, fmt):
    """Error budget for TARGET over WINDOW, e.g. `slospec budget 99.95% 30d`.

    WINDOW is a duration (28d, 1w, 24h) or a calendar period (day, week, month, quarter, year).
    """
    from slospec.budget import BudgetError, compute, render_json, render_text

    try:
        result = compute(target, window, events)
    except BudgetError as exc:
        raise click.BadParameter(str(exc)) from None
    click.echo(render_json(result) if fmt == "json" else render_text(result), nl=False)
