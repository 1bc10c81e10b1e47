"""The command line: parses options, calls the pure core, prints, and exits (0, 1 or 2)."""

from __future__ import annotations

import sys
from typing import Any

import click

from slospec import __version__
from slospec.cli.output import echo_error
from slospec.errors import EXIT_ERROR, EXIT_INTERRUPTED, SlospecError


def _columns() -> int:
    """shutil.get_terminal_size().columns, without importing shutil (and bz2, lzma) for --help."""
    import os

    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    try:
        lines = int(os.environ["LINES"])
    except (KeyError, ValueError):
        lines = 0
    if columns <= 0 or lines <= 0:
        try:
            size = os.get_terminal_size(sys.__stdout__.fileno())  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            size = os.terminal_size((80, 24))
        if columns <= 0:
            columns = size.columns or 80
    return columns


class _HelpFormatter(click.HelpFormatter):
    """click's formatter, the same width rule (see HelpFormatter.__init__), one import fewer."""

    def __init__(self, indent_increment: int = 2, width: int | None = None, max_width: int | None = None) -> None:
        from click import formatting

        if width is None and formatting.FORCED_WIDTH is None:
            width = max(min(_columns(), 80 if max_width is None else max_width) - 2, 50)
        super().__init__(indent_increment, width, max_width)


class _Context(click.Context):
    formatter_class = _HelpFormatter


# name: (module in slospec.cli.commands, the command's attribute there, its help as the
# command's docstring gives it: the group's --help lists these without importing any
# command, so `slospec --help` never builds the commands' options; tests/core checks the
# table against the commands).
COMMANDS = {
    "budget": (
        "budget",
        "budget",
        "Error budget for TARGET over WINDOW, e.g. `slospec budget 99.95% 30d`.",
    ),
    "check": (
        "check",
        "check_command",
        "Check specs against a live Prometheus: SLI series exist, counters are counters, latency\n"
        "thresholds are buckets, good/bad events are among the total's (SLO207, SLO211-SLO213).",
    ),
    "compile": (
        "compile",
        "compile_command",
        "Compile specs to another format (OpenSLO, Markdown contract, Prometheus rules, ...).",
    ),
    "convert": (
        "convert",
        "convert",
        "Convert a spec between syntaxes: the DSL, slospec YAML and OpenSLO (data kept exactly).",
    ),
    "eval": (
        "eval",
        "eval_command",
        "Evaluate SLOs and SLAs against recorded data: attainment, budget, credits, alert backtest.",
    ),
    "fmt": (
        "fmt",
        "fmt",
        "Format .slo and .slo.yaml files canonically, keeping every comment (default: the current directory).",
    ),
    "gate": (
        "gate",
        "gate_command",
        "Apply the error-budget policy to each SLO's budget left: exit 1 when a freeze step applies.",
    ),
    "init": (
        "init",
        "init_command",
        "Start a project: write a first spec, slospec.toml and .pre-commit-config.yaml.",
    ),
    "lint": ("lint", "lint", "Lint spec files and directories (default: the current directory; - reads stdin)."),
    "rule": ("rules", "rule_command", "Print one rule's documentation (by code or name)."),
    "rules": ("rules", "rules_command", "List every rule: code, name, default severity and summary."),
    "schema": ("schema", "schema", "Print the bundled JSON Schema of the slospec spec format."),
}


class _LazyGroup(click.Group):
    """A group that imports a command's module only when that command is run (or completed)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; every error a user can see reaches here as a SlospecError and is
        said once, the same way for every command (stages below the CLI never print)."""
        try:
            return super().invoke(ctx)
        except SlospecError as exc:
            ctx.exit(echo_error(exc))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            import importlib

            module, attribute, _ = COMMANDS[cmd_name]
            self.commands[cmd_name] = getattr(importlib.import_module(f"slospec.cli.commands.{module}"), attribute)
        return self.commands.get(cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """click's, with the nearest command named when the one typed does not exist."""
        name = args[0] if args else ""
        if name and not name.startswith("-") and not ctx.resilient_parsing and self.get_command(ctx, name) is None:
            from slospec.cli.suggest import command_hint

            ctx.fail(f"No such command {name!r}.{command_hint(name, self.list_commands(ctx))}")
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """click's listing (Group.format_commands) from the table, without importing a command."""
        names = self.list_commands(ctx)
        rows = None
        if all(name in COMMANDS for name in names):
            rows = _listing(names, formatter.width)
        if rows is None:  # what the fast path does not cover: click's own, with stand-ins
            stand_ins = {name: click.Command(name, help=help) for name, (_, _, help) in COMMANDS.items()}
            commands = [(name, self.commands.get(name) or stand_ins[name]) for name in names]
            commands = [(name, cmd) for name, cmd in commands if not cmd.hidden]
            if not commands:
                return
            limit = formatter.width - 6 - max(len(name) for name, _ in commands)
            with formatter.section(_gettext("Commands")):
                formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in commands])
            return
        with formatter.section(_gettext("Commands")):
            for row in rows:
                formatter.write(f"{'':>{formatter.current_indent}}{row}\n")


def _listing(names: list[str], width: int) -> list[str] | None:
    """The rows click's write_dl gives for the commands' short help, when each fits on its
    line (so click would neither wrap it nor break a word), else None. The short help is
    click's: the first sentence, or as many words as fit followed by "..."."""
    longest = max(len(name) for name in names)
    limit = width - 6 - longest  # Group.format_commands
    first_col = longest + 2  # write_dl, for names within its 30 columns
    if longest > 30 or limit < 10 or max(width - first_col - 2, 10) < limit:
        return None
    rows = []
    for name in names:
        words = COMMANDS[name][2].partition("\n\n")[0].split()
        for i, word in enumerate(words):  # click's _make_default_short_help
            if word.endswith(".") and (i == len(words) - 1 or not words[i + 1][0].islower()):
                words = words[: i + 1]
                break
        text = " ".join(words)
        if len(text) > limit:  # textwrap.shorten(text, limit, placeholder="...")
            if any(len(word) > limit for word in words):
                return None
            kept, length = [], -1
            for word in words:
                if length + 1 + len(word) > limit:
                    break
                kept.append(word)
                length += 1 + len(word)
            while kept and length + 3 > limit:
                length -= len(kept.pop()) + 1
            text = " ".join(kept) + "..."
        rows.append(f"{name}{' ' * (first_col - len(name))}{text}")
    return rows


def _gettext(text: str) -> str:
    from gettext import gettext

    return gettext(text)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="slospec")
def main() -> None:
    """slospec: service levels as code.

    Lint SLO/SLA specifications (slospec YAML, the .slo DSL, OpenSLO v1) for unrealistic or
    inconsistent targets, and compile them to OpenSLO, Markdown contracts and Prometheus rules.
    """
    from slospec.cli import output

    output.install()  # no control character from data acts on the terminal


main.context_class = _Context


class Interrupted(BaseException):
    """Ctrl-C, raised past click (which would turn KeyboardInterrupt into exit status 1)."""


_MAIN_PID: list[int] = []


def _interrupt(signum: int, frame: Any) -> None:
    import os

    if _MAIN_PID and os.getpid() != _MAIN_PID[0]:
        return  # a forked worker: the parent stops the pool (and says so once)
    raise Interrupted


def run() -> None:
    """Console entry point: never a traceback, even for a bug (one line, exit status 2);
    Ctrl-C exits 130, as shells expect of a program stopped by SIGINT (1 means findings)."""
    import os
    import signal

    _MAIN_PID[:] = [os.getpid()]
    try:
        if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:  # a background job keeps ignoring it
            signal.signal(signal.SIGINT, _interrupt)
    except ValueError:  # not the main thread: the default handler stays
        pass
    try:
        main(prog_name="slospec")
    except SystemExit:
        raise
    except (KeyboardInterrupt, Interrupted):
        sys.stderr.write("slospec: interrupted\n")
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:  # noqa: BLE001 - the contract: one line, exit 2
        click.echo(f"slospec: internal error: {type(exc).__name__}: {exc} (please report this bug)", err=True)
        sys.exit(EXIT_ERROR)
