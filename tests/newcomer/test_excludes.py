"""Cases 1 and 2 of issue 29: `exclude` holds for named files with --force-exclude (what the
pre-commit hooks pass), and a nested folder's slospec.toml is honoured when a parent folder
is linted or formatted; fmt finds the configuration as lint does."""

from __future__ import annotations

from pathlib import Path

from tests.newcomer.helpers import CLEAN, PERFECT, slospec, tree

MESSY = "service shop {\n      owner team-shop\n}\nslo a 99.9% of s over 28d\n"


def test_force_exclude_skips_a_named_file_in_an_excluded_folder(tmp_path: Path) -> None:
    tree(tmp_path, {"slospec.toml": 'exclude = ["legacy"]\n', "legacy/old/a.slo": PERFECT, "b.slo": PERFECT})
    # Named without the flag: linted (ruff's rule), so `slospec lint legacy/old/a.slo` still works.
    assert slospec("lint", "legacy/old/a.slo", cwd=tmp_path).returncode == 1
    result = slospec("lint", "--force-exclude", "legacy/old/a.slo", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SLO101" not in result.stdout
    # Other named files are still linted, and named from elsewhere the file's own config decides.
    result = slospec("lint", "--force-exclude", "legacy/old/a.slo", "b.slo", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout.count("SLO101") == 1, result.stdout
    assert slospec("lint", "--force-exclude", "old/a.slo", cwd=tmp_path / "legacy").returncode == 0
    # fmt --force-exclude leaves an excluded file alone.
    (tmp_path / "legacy/old/m.slo").write_text(MESSY)
    result = slospec("fmt", "--force-exclude", "legacy/old/m.slo", cwd=tmp_path)
    assert result.returncode == 0 and (tmp_path / "legacy/old/m.slo").read_text() == MESSY


def test_force_exclude_from_the_configuration(tmp_path: Path) -> None:
    tree(tmp_path, {"slospec.toml": 'exclude = ["legacy"]\nforce-exclude = true\n', "legacy/a.slo": PERFECT})
    assert slospec("lint", "legacy/a.slo", cwd=tmp_path).returncode == 0


def test_a_nested_configuration_excludes_when_the_parent_folder_is_linted(tmp_path: Path) -> None:
    # getting-started's layout: the clone of slospec (with its own slospec.toml excluding its
    # test fixtures) sits beside the user's first spec.
    tree(
        tmp_path,
        {
            "checkout.slo": CLEAN,
            "clone/slospec.toml": 'exclude = ["tests"]\n',
            "clone/tests/fixtures/bad.slo": PERFECT,
            "clone/examples/ok.slo": CLEAN,
            "clone/deep/slospec.toml": 'exclude = ["old"]\nignore = ["SLO101"]\n',
            "clone/deep/old/bad.slo": "not a spec\n",
            "clone/deep/new.slo": PERFECT,
        },
    )
    shown = slospec("lint", "--show-files", cwd=tmp_path).stdout.split()
    assert sorted(shown) == ["checkout.slo", "clone/deep/new.slo", "clone/examples/ok.slo"], shown
    result = slospec("lint", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr  # deep/new.slo: SLO101 ignored there
    # fmt walks the same way, and from a subfolder finds the files' configuration, not the cwd's.
    (tmp_path / "clone/tests/fixtures/m.slo").write_text(MESSY)
    assert slospec("fmt", "--check", cwd=tmp_path).returncode == 0
    assert slospec("fmt", "--check", "..", cwd=tmp_path / "clone" / "examples").returncode == 0


def test_fmt_uses_the_configuration_of_the_files_not_of_the_current_folder(tmp_path: Path) -> None:
    tree(tmp_path, {"project/slospec.toml": 'exclude = ["gen"]\n', "project/gen/m.slo": MESSY, "elsewhere/x": ""})
    result = slospec("fmt", "--check", "../project", cwd=tmp_path / "elsewhere")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 files would be reformatted, 0 unchanged" in result.stderr


def test_getting_started_then_a_bare_lint_skips_the_clones_fixtures(tmp_path: Path) -> None:
    """Case 2 as reported: getting-started clones slospec into the folder where the first spec
    is written; a bare `slospec lint` there must honour the clone's own slospec.toml."""
    import shutil

    from tests.conftest import EXAMPLES, ROOT

    clone = tmp_path / "slospec"
    shutil.copytree(ROOT / "tests" / "rules" / "fixtures" / "SLO101", clone / "tests" / "rules" / "fixtures" / "SLO101")
    shutil.copytree(ROOT / "examples", clone / "examples")
    shutil.copy(ROOT / "slospec.toml", clone / "slospec.toml")
    shutil.copy(EXAMPLES / "website.slo.yaml", tmp_path / "checkout.slo.yaml")
    result = slospec("lint", cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-2000:]
    assert "fixtures" not in result.stdout and "examples/broken" not in result.stdout
