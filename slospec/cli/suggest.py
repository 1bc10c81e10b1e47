"""The CLI's did-you-mean and completions: click choices that name the nearest choice, the
command-name hint, and completion for `--target`, rule codes and `--select`/`--ignore`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import click

from slospec.suggest import close, hint


class Choice(click.Choice):
    """click.Choice whose error names the nearest choice (`--format jsn`: did you mean 'json'?).
    Completion offers the choices, as click.Choice does."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as exc:
            near = close(str(value), [str(c) for c in self.choices])
            if not near:
                raise
            message = f"{exc.message.rstrip('.')}; did you mean {near[0]!r}?"
            raise click.BadParameter(message, ctx=ctx, param=param) from None


def command_hint(name: str, commands: Iterable[str]) -> str:
    """For `slospec lnit`: " Did you mean 'init' or 'lint'?" (click's sentence style)."""
    found = close(name, commands, limit=2)
    if not found:
        return ""
    return " Did you mean " + " or ".join(repr(f) for f in found) + "?"


def complete_targets(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """`compile --target` completion: every back end (imported only when completing)."""
    from click.shell_completion import CompletionItem

    from slospec.compile import BACKENDS

    return [CompletionItem(name) for name in sorted(BACKENDS) if name.startswith(incomplete)]


def complete_rules(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """`rule CODE_OR_NAME` completion: codes and names."""
    from click.shell_completion import CompletionItem

    from slospec.rules import registry

    names = sorted({*registry(), *(r.name for r in registry().values())})
    return [CompletionItem(name) for name in names if name.lower().startswith(incomplete.lower())]


def complete_selectors(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """`--select`/`--ignore` completion: the last comma-separated item, as a code or name."""
    from click.shell_completion import CompletionItem

    done, _, last = incomplete.rpartition(",")
    prefix = f"{done}," if done else ""
    return [CompletionItem(prefix + item.value) for item in complete_rules(ctx, param, last)]


def target_error(target: str, targets: Iterable[str]) -> str:
    """The `compile --target` message for a name that is no back end."""
    return f"{target!r}{hint(target, targets)} Choose from {', '.join(sorted(targets))}."
