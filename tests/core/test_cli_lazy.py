"""The lazily loaded commands: `slospec --help` lists them as click would, without importing one."""

from __future__ import annotations

import inspect
import subprocess
import sys

import click
import pytest

from slospec import cli
from tests.conftest import ROOT


def _real_group() -> click.Group:
    """A stock click group holding the real commands (each module imported)."""
    group = click.Group("slospec")
    for name in cli.COMMANDS:
        group.add_command(cli.main.get_command(click.Context(cli.main), name), name)
    return group


def test_the_table_names_every_command_with_its_own_help() -> None:
    for name, (module, attribute, help_text) in cli.COMMANDS.items():
        command = cli.main.get_command(click.Context(cli.main), name)
        assert command.name == name, (module, attribute)
        assert inspect.cleandoc(command.help).partition("\n\n")[0] == help_text.partition("\n\n")[0]


@pytest.mark.parametrize("width", range(10, 130))
def test_the_listing_is_clicks_at_every_width(width: int) -> None:
    """The fast listing (and its fallback) write what click's Group.format_commands writes."""
    real = _real_group()
    expected = click.HelpFormatter(width=width)
    real.format_commands(click.Context(real), expected)
    fresh = cli._LazyGroup("slospec")  # nothing loaded: the table alone
    got = click.HelpFormatter(width=width)
    fresh.format_commands(click.Context(fresh), got)
    assert got.getvalue() == expected.getvalue()
    assert not fresh.commands


def test_help_imports_no_command_and_completion_still_finds_them() -> None:
    code = (
        "import sys\n"
        "from slospec.cli import main\n"
        "try:\n    main(['--help'], prog_name='slospec')\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('slospec.cli.commands.')), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.stderr.strip() == "[]", result.stderr
    assert "lint     Lint spec files and directories" in result.stdout
    env = {"_SLOSPEC_COMPLETE": "bash_complete", "COMP_WORDS": "slospec lint --form", "COMP_CWORD": "2"}
    import os

    done = subprocess.run(
        [sys.executable, "-c", "from slospec.cli import main; main(prog_name='slospec')"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **env},
        timeout=60,
    )
    assert done.stdout.split() == ["plain,--format"], done.stdout + done.stderr
