"""Case 11 of issue 29: what the docs say is what the tool does."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import EXAMPLES, ROOT
from tests.newcomer.helpers import CLEAN, slospec, tree


def test_the_canonical_dsl_example_is_in_canonical_layout(tmp_path: Path) -> None:
    text = (ROOT / "docs" / "dsl.md").read_text()
    example = re.search(r"^```text\n(.*?)^```", text, re.M | re.S).group(1)
    (tmp_path / "checkout.slo").write_text(example)
    result = slospec("fmt", "--check", "checkout.slo", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert slospec("lint", "checkout.slo", cwd=tmp_path).returncode == 0


def test_limits_describes_no_parser_cache_that_is_gone() -> None:
    text = (ROOT / "docs" / "limits.md").read_text()
    assert "HMAC" not in text and "parser is cached" not in text
    assert not (ROOT / "slospec" / "source" / "dsl" / "parser.py").read_text().count("hmac")


def test_the_readme_command_table_lists_every_command() -> None:
    from slospec.cli import COMMANDS

    text = (ROOT / "README.md").read_text()
    table = text.split("## Commands", 1)[1].split("\n## ", 1)[0]
    for name in COMMANDS:
        assert f"`slospec {name}" in table, name


def test_edit_links_point_at_the_default_branch() -> None:
    text = (ROOT / "mkdocs.yml").read_text()
    assert re.search(r"^edit_uri: edit/main/docs/$", text, re.M), "the site's Edit links"
    assert "master" not in text


def test_exit_statuses_are_as_the_command_line_page_says(tmp_path: Path) -> None:
    cli = (ROOT / "docs" / "cli.md").read_text()
    assert "or a compile was refused" not in cli
    typo = CLEAN.replace("of probe-up", "of probe-upp")
    tree(tmp_path, {"typo.slo": typo, "values.yaml": "replicas: 3\n", "empty/.keep": ""})
    # A compile stopped by findings: 1, as lint's errors.
    assert slospec("compile", "typo.slo", "--target", "openslo", cwd=tmp_path).returncode == 1
    # A compile the target cannot express: 2.
    support = slospec("compile", str(EXAMPLES / "support.slo"), "--target", "prometheus", cwd=tmp_path)
    assert support.returncode == 2 and "nothing to compile to Prometheus rules" in support.stderr
    # A named file that is no spec: 0; a named folder with no spec: 2.
    named = slospec("lint", "values.yaml", cwd=tmp_path)
    assert named.returncode == 0 and named.stdout.startswith("Nothing was checked")
    folder = slospec("lint", "empty", cwd=tmp_path)
    assert folder.returncode == 2 and "no spec files found in empty" in folder.stderr
