"""The real pre-commit runs our hooks from a clone of this repository: good specs pass,
bad specs fail and name the rule."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT, need_tool


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> Path:
    """A committed copy of the working tree (pre-commit installs hooks from a git repo)."""
    need_tool("git")
    repo = tmp_path_factory.mktemp("hookrepo")
    files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split()
    for name in files:
        source = ROOT / name
        if source.is_file():
            target = repo / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    git("init", "-q", cwd=repo)
    git("add", "-A", cwd=repo)
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "hooks", cwd=repo)
    return repo


def run_hook(hook_repo: Path, project: Path, hook: str) -> subprocess.CompletedProcess:
    pre_commit = need_tool("pre-commit")
    env = {**os.environ, "PRE_COMMIT_HOME": str(hook_repo.parent / "pre-commit-home")}
    return subprocess.run([pre_commit, "try-repo", str(hook_repo), hook, "--all-files"], cwd=project,
                          capture_output=True, text=True, env=env, timeout=900)


def make_project(tmp_path: Path, files: dict[str, str]) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    for name, text in files.items():
        (project / name).write_text(text)
    git("init", "-q", cwd=project)
    git("add", "-A", cwd=project)
    return project


def test_lint_hook_passes_good_and_fails_bad(hook_repo: Path, tmp_path: Path) -> None:
    good = (EXAMPLES / "api.slo.yaml").read_text()
    project = make_project(tmp_path, {"api.slo.yaml": good, "docker-compose.yaml": "services: {}\n"})
    result = run_hook(hook_repo, project, "slospec-lint")
    assert result.returncode == 0, result.stdout + result.stderr
    (project / "bad.slo.yaml").write_text(good.replace("target: 99.95%", "target: 100%"))
    git("add", "-A", cwd=project)
    result = run_hook(hook_repo, project, "slospec-lint")
    assert result.returncode == 1
    assert "SLO101" in result.stdout


def test_openslo_hook_checks_openslo_and_skips_other_yaml(hook_repo: Path, tmp_path: Path) -> None:
    valid = (ROOT / "tests" / "openslo" / "fixtures" / "valid.yaml").read_text()
    project = make_project(tmp_path, {"slo.yaml": valid, "values.yaml": "replicas: 3\n"})
    result = run_hook(hook_repo, project, "slospec-lint-openslo")
    assert "SLO002" not in result.stdout and "SLO004" not in result.stdout, result.stdout
    (project / "broken.yaml").write_text(valid.replace("name: api-fast-burn", "name: Api Fast Burn"))
    git("add", "-A", cwd=project)
    result = run_hook(hook_repo, project, "slospec-lint-openslo")
    assert result.returncode == 1
    assert "SLO002" in result.stdout


def test_fmt_hook_rewrites_and_fails_once(hook_repo: Path, tmp_path: Path) -> None:
    messy = "service shop {\n      owner team-shop   # who\n}\nslo a 99.9% of s over 28d\n"
    project = make_project(tmp_path, {"shop.slo": messy})
    result = run_hook(hook_repo, project, "slospec-fmt")
    assert result.returncode == 1  # pre-commit fails when a hook changed files
    fixed = (project / "shop.slo").read_text()
    assert fixed != messy and "# who" in fixed
    git("add", "-A", cwd=project)
    assert run_hook(hook_repo, project, "slospec-fmt").returncode == 0
