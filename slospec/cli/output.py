"""What the CLI prints and writes: the one-line error, notices, reports to stdout or a file, diffs."""

from __future__ import annotations

from typing import IO, Any

import click

from slospec.errors import EXIT_ERROR, SlospecError


class Failure(click.ClickException):
    """An error the user can fix (bad config, unreadable file): one line, exit status 2."""

    exit_code = EXIT_ERROR

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"slospec: error: {self.message}", err=True)


def echo_error(exc: SlospecError) -> int:
    """What discovery skipped, the details that explain the error, then the one-line error;
    returns the exit status. The one way every command reports a SlospecError."""
    echo_notices(exc.notices)
    if exc.details:
        click.echo(exc.details, err=True, nl=False)
    click.echo(f"slospec: error: {exc.user_message()}", err=True)
    return exc.exit_code


def echo_notices(notices: Any) -> None:
    """What discovery skipped, one line each on stderr, as lint prints it."""
    for notice in notices:
        click.echo(f"slospec: {notice}", err=True)


def write_output(text: str, output: str | None, color: bool = False) -> None:
    """Text to stdout, or atomically to the file `output` (`-o`)."""
    if output is None or output == "-":
        # click strips ANSI codes from pipes unless told the caller chose colour.
        click.echo(text, nl=False, color=True if color else None)
        return
    from slospec.atomic import write_text

    try:
        write_text(output, text)
    except OSError as exc:
        raise Failure(f"{output}: cannot write: {exc.strerror or exc}") from None


def echo_diff(path: str, before: str, after: str) -> None:
    """Print a file's change as a unified diff (`fmt --diff`, `lint --fix --diff`)."""
    import difflib

    lines = difflib.unified_diff(before.splitlines(True), after.splitlines(True), fromfile=path, tofile=path)
    click.echo("".join(lines), nl=False)


def require_existing(paths: tuple[str, ...], stdin: bool = True) -> None:
    """Exit 2 naming the first path that is not there (`-`, standard input, where allowed)."""
    from slospec.source.loader import exists

    for path in paths:
        if not (stdin and path == "-") and not exists(path):
            raise Failure(f"{path}: no such file or directory")


def is_dir(path: str) -> bool:
    from pathlib import Path

    try:
        return Path(path).is_dir()
    except (OSError, ValueError):
        return False


def not_a_file(path: str) -> str | None:
    """Why `path` cannot be read as a file, or None (stat errors are not tracebacks)."""
    from pathlib import Path

    try:
        if Path(path).is_file():
            return None
        import os

        from slospec.source.reading import kind_of

        # A FIFO, a device or a folder is there: say what it is, not "no such file".
        return f"{path}: is {kind_of(os.stat(path).st_mode)}, not a regular file"
    except FileNotFoundError:
        return f"{path}: no such file"
    except (OSError, ValueError) as exc:
        return f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}"


# Everything echoed: control characters and terminal escapes from data (file names, spec
# values, server errors) are shown as escapes, never acted on (slospec.printer).
_click_echo: Any = None


def echo(message: Any = None, file: Any = None, nl: bool = True, err: bool = False, color: bool | None = None) -> None:
    """click.echo, with `printable` applied to text (bytes pass as they are)."""
    if isinstance(message, str):
        from slospec.printer import printable

        message = printable(message)
    _click_echo(message, file=file, nl=nl, err=err, color=color)


def install() -> None:
    """Route the commands' `click.echo` through `echo` (once per process)."""
    global _click_echo

    if _click_echo is None:
        _click_echo = click.echo
        # The commands call click.echo by attribute: this one assignment covers them all.
        click.echo = echo
