"""The options several commands share, each declared once with one help text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def config_option(f: F) -> F:
    """`--config FILE`: one configuration for the whole run."""
    return click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False),
        default=None,
        help="Configuration file (default: the nearest slospec.toml or pyproject.toml with "
        "[tool.slospec], from the specs' folders upwards).",
    )(f)


def output_option(
    metavar: str = "FILE", help: str = "Write to FILE (atomically) instead of stdout."
) -> Callable[[F], F]:
    """`-o/--output`: where the command's text goes."""
    return click.option("-o", "--output", default=None, metavar=metavar, help=help)


def format_option(*choices: str, default: str | None = "text", help: str = "Output format.") -> Callable[[F], F]:
    """`--format`: one of the command's reporters."""
    from slospec.cli.suggest import Choice  # names the nearest choice: `--format jsn` -> 'json'

    return click.option(
        "--format", "fmt", type=Choice(list(choices)), default=default, show_default=bool(default), help=help
    )


def load_config(config_path: str | None, paths: tuple[str, ...] = ()) -> Any:
    """slospec.config.for_paths: a ConfigError reaches the group, which says it."""
    from slospec.config import for_paths

    return for_paths(config_path, paths)
