"""Case 9 of issue 29: `slospec init` starts a project without asking anything: a spec that
lints clean (slospec YAML or OpenSLO), slospec.toml and a .pre-commit-config.yaml the real
pre-commit accepts, the next three commands printed; it never writes over a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT, need_tool
from tests.newcomer.helpers import slospec

FILES = ("slospec.toml", ".pre-commit-config.yaml")


def test_init_writes_a_project_that_lints_clean_and_says_what_next(tmp_path: Path) -> None:
    result = slospec("init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Wrote my-service.slo.yaml, slospec.toml and .pre-commit-config.yaml.\n"
        "Next:\n"
        "  slospec lint\n"
        "  slospec compile my-service.slo.yaml --target markdown\n"
        "  pre-commit autoupdate && pre-commit install\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(("my-service.slo.yaml", *FILES))
    lint = slospec("lint", "--strict", cwd=tmp_path)
    assert lint.returncode == 0 and lint.stdout == "All checks passed in 1 file.\n", lint.stdout
    compiled = slospec("compile", "my-service.slo.yaml", "--target", "markdown", cwd=tmp_path)
    assert compiled.returncode == 0 and "my-service" in compiled.stdout
    assert slospec("fmt", "--check", cwd=tmp_path).returncode == 0  # written in the canonical layout


@pytest.mark.parametrize("openslo", [False, True])
def test_flags_name_the_service_owner_and_target(tmp_path: Path, openslo: bool) -> None:
    args = ["init", "--service", "checkout", "--owner", "team-checkout", "--target", "99.95%", "project"]
    (tmp_path / "project").mkdir()
    result = slospec(*args, *(["--openslo"] if openslo else []), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    name = "checkout.openslo.yaml" if openslo else "checkout.slo.yaml"
    assert f"  slospec compile {name} --target markdown" in result.stdout
    assert "  cd project && slospec lint\n" in result.stdout
    spec = (tmp_path / "project" / name).read_text()
    assert ("target: 0.9995" if openslo else "target: 99.95%") in spec and "team-checkout" in spec
    lint = slospec("lint", "--strict", "--format", "json", cwd=tmp_path / "project")
    assert lint.returncode == 0 and lint.stdout.strip() == "[]", lint.stdout
    hooks = (tmp_path / "project" / ".pre-commit-config.yaml").read_text()
    assert ("slospec-lint-openslo" in hooks) == openslo
    compiled = slospec("compile", name, "--target", "prometheus", cwd=tmp_path / "project")
    assert compiled.returncode == 0 and "0.0005" in compiled.stdout


def test_the_pre_commit_configuration_is_valid_and_names_shipped_hooks(tmp_path: Path) -> None:
    import subprocess

    from ruamel.yaml import YAML

    assert slospec("init", cwd=tmp_path).returncode == 0
    tool = need_tool("pre-commit")
    checked = subprocess.run([tool, "validate-config", ".pre-commit-config.yaml"], cwd=tmp_path, capture_output=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    shipped = {h["id"] for h in YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    config = YAML(typ="safe").load((tmp_path / ".pre-commit-config.yaml").read_text())
    assert {h["id"] for h in config["repos"][0]["hooks"]} <= shipped


def test_init_refuses_to_overwrite_any_file_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "slospec.toml").write_text("# mine\n")
    result = slospec("init", cwd=tmp_path)
    assert result.returncode == 2
    assert "slospec.toml already exists" in result.stderr and "Traceback" not in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["slospec.toml"]
    assert (tmp_path / "slospec.toml").read_text() == "# mine\n"


@pytest.mark.parametrize(
    ("flag", "value", "says"),
    [
        ("--target", "0.999", "looks like a ratio; write it as a percentage (99.9%)"),
        ("--target", "100%", "leaves no error budget"),
        ("--target", "fast", "write a percentage like 99.9%"),
        ("--service", "Check Out", "e.g. 'check-out'"),
    ],
)
def test_bad_flags_exit_2_and_say_what_to_write(tmp_path: Path, flag: str, value: str, says: str) -> None:
    result = slospec("init", flag, value, cwd=tmp_path)
    assert result.returncode == 2 and says in result.stderr, result.stderr
    assert list(tmp_path.iterdir()) == []
