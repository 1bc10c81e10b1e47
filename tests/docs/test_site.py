"""The documentation site builds with --strict, has a page per rule, and documents every
command and option of the CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest

from slospec.cli import main
from slospec.rules import all_rules
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_every_rule_has_a_generated_page(site: Path) -> None:
    for rule in all_rules().values():
        page = site / "rules" / rule.name / "index.html"
        assert page.is_file(), rule.name
        html = page.read_text()
        assert rule.code in html and "Why is this bad?" in html


def test_nines_table_is_generated(site: Path) -> None:
    html = (site / "arithmetic" / "index.html").read_text()
    assert "<!-- nines-table -->" not in html
    assert "43m12s" in html  # 99.9 % over 30 days


def commands(group: click.Group, prefix: str = "slospec"):
    for name, command in sorted(group.commands.items()):
        yield f"{prefix} {name}", command
        if isinstance(command, click.Group):
            yield from commands(command, f"{prefix} {name}")


def test_every_command_and_option_is_documented() -> None:
    docs = "\n".join(p.read_text() for p in (ROOT / "docs").rglob("*.md"))
    missing = []
    for name, command in commands(main):
        if name not in docs:
            missing.append(name)
        for param in command.params:
            if isinstance(param, click.Option):
                for flag in param.opts:
                    if flag.startswith("--") and flag not in ("--help",) and flag not in docs:
                        missing.append(f"{name} {flag}")
    assert not missing, f"undocumented: {missing}"


def test_help_output_matches_the_documented_commands() -> None:
    from click.testing import CliRunner

    help_text = CliRunner().invoke(main, ["--help"]).output
    documented = (ROOT / "docs" / "cli.md").read_text()
    for line in help_text.split("Commands:")[1].strip().splitlines():
        command = line.split()[0]
        assert f"## slospec {command}" in documented or f"slospec {command}" in documented
