"""Case 8 of issue 29: every name a user types gets a did-you-mean (commands, options,
choices, rule codes and names, configuration keys), every choice completes in the shell, and
a configuration error explains a duration in words instead of printing a regular expression."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.newcomer.helpers import slospec


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["lnit"], "No such command 'lnit'. Did you mean 'lint' or 'init'?"),
        (["lint", "--ignor", "x"], "Did you mean '--ignore'?"),
        (["lint", "--ignore", "perfect-targt"], "did you mean 'perfect-target'?"),
        (["lint", "--select", "SLO1O1"], "did you mean 'SLO101'?"),
        (["lint", "--format", "jsn"], "did you mean 'json'?"),
        (["compile", "x.slo", "--target", "promethues"], "did you mean 'prometheus'?"),
        (["convert", "x.slo", "--to", "opensl"], "did you mean 'openslo'?"),
    ],
)
def test_a_typed_name_gets_the_nearest_one(tmp_path: Path, args: list[str], says: str) -> None:
    result = slospec(*args, cwd=tmp_path)
    assert result.returncode == 2 and says in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("toml", "says"),
    [
        ("exclde = []\n", "exclde: unknown key; did you mean 'exclude'?"),
        (
            '[operations]\nscrap-interval = "30s"\n',
            "operations.scrap-interval: unknown key; did you mean 'scrape-interval'?",
        ),
        (
            '[severity]\nperfect-targt = "error"\n',
            "severity.perfect-targt: no such rule; did you mean 'perfect-target'?",
        ),
        ("[rules.extreme-targt]\nmax-target = 99.9\n", "did you mean 'extreme-target'?"),
        ('ignore = ["perfect-targt"]\n', "did you mean 'perfect-target'?"),
        ('format = "jsn"\n', "did you mean 'json'?"),
        (
            '[operations]\nscrape-interval = "30 s"\n',
            "operations.scrape-interval: '30 s' is not a duration; write a number and a unit with no space",
        ),
    ],
)
def test_configuration_errors_name_the_key_and_what_to_write(tmp_path: Path, toml: str, says: str) -> None:
    (tmp_path / "slospec.toml").write_text(toml)
    result = slospec("lint", cwd=tmp_path)
    assert result.returncode == 2 and says in result.stderr, result.stderr
    assert "^(?:" not in result.stderr  # never the raw regular expression


def complete(words: str) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "_SLOSPEC_COMPLETE": "bash_complete", "COMP_WORDS": words}
    env["COMP_CWORD"] = str(len(words.split()) - (0 if words.endswith(" ") else 1))
    code = "from slospec.cli import main; main(prog_name='slospec')"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    return [line.split(",", 1)[1] for line in done.stdout.split()]


def test_every_choice_completes() -> None:
    from slospec.compile import BACKENDS

    assert complete("slospec compile x --target ") == sorted(BACKENDS)
    assert complete("slospec compile x --target prom") == ["prometheus", "prometheus-rule", "prometheus-tests"]
    assert complete("slospec rule perf") == ["perfect-target"]
    assert complete("slospec lint --ignore SLO101,perf") == ["SLO101,perfect-target"]
    assert complete("slospec lint --format ") == ["text", "json", "sarif", "github"]
    assert complete("slospec in") == ["init"]
