"""The one root of every error a user can see, and the exit statuses the CLI maps them to."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# The exit statuses of design.md's contract: no error-level finding, findings, usage /
# configuration / I/O errors; 130 for an interrupt, as shells report SIGINT.
EXIT_OK, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130


class SlospecError(Exception):
    """Something the user can act on (a bad configuration, an unreadable file, a spec a back end
    cannot express, data eval cannot read). The CLI prints what discovery skipped on the way
    (`notices`), then `details` (findings that explain it), then `slospec: error: {message}`,
    and exits with `exit_code`; nothing below the CLI prints or exits."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str = "", notices: Sequence[Any] = (), details: str = "") -> None:
        super().__init__(message)
        self.notices = list(notices)
        self.details = details

    def user_message(self) -> str:
        """The one line the CLI prints after `slospec: error: `."""
        return str(self)


class InternalError(SlospecError):
    """A bug in slospec met while checking a file: one line asking for a report, exit status 2."""

    def user_message(self) -> str:
        return f"{self} (please report this bug)"


class UserError(SlospecError):
    """A file that cannot be converted or compiled, said after the notices of what was skipped
    on the way (which may say why)."""
