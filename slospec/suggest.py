"""Did-you-mean for every name a user types: commands, option choices (`--target`,
`--format`, ...), rule codes and names, configuration keys. One wording everywhere:
`...; did you mean 'prometheus'?`. difflib is imported only when a name is wrong."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import click


def close(word: str, choices: Iterable[str], limit: int = 1) -> list[str]:
    """The choices nearest to `word` (case-insensitive), best first; [] when none is near."""
    import difflib

    options = list(choices)
    lowered = {c.lower(): c for c in options}
    found = difflib.get_close_matches(word.lower(), list(lowered), n=limit, cutoff=0.6)
    if not found:  # a prefix or a fragment: `prom` -> prometheus
        found = [c for c in lowered if word and word.lower() in c][:limit]
    return [lowered[f] for f in found]


def hint(word: str, choices: Iterable[str]) -> str:
    """`; did you mean 'x'?`, or "" when nothing is near."""
    found = close(word, choices)
    return f"; did you mean {found[0]!r}?" if found else ""


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

    from slospec.backends import BACKENDS

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
