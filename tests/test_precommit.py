"""The real pre-commit runs the shipped hooks from a clone of this repository, on real commits:
a valid multi-file OpenSLO project and .slo files pass when one file changes, planted problems
fail naming the code, and no file is linted twice. The hook environment is built once."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT, need_tool

HOOKS = ("slospec-lint", "slospec-lint-openslo", "slospec-fmt")


def git(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
        cwd=cwd,
        check=check,
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory) -> tuple[Path, str]:
    """A committed copy of the working tree (pre-commit installs hooks from a git repo)."""
    need_tool("git")
    repo = tmp_path_factory.mktemp("hookrepo")
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in files:
        source = ROOT / name
        if source.is_file():
            target = repo / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    git("init", "-q", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-qm", "hooks", cwd=repo)
    rev = git("rev-parse", "HEAD", cwd=repo).stdout.strip()
    return repo, rev


@pytest.fixture(scope="session")
def pre_commit_env(hook_repo, tmp_path_factory) -> dict[str, str]:
    """One pre-commit store for the whole session: the hook environment is installed once."""
    tool = need_tool("pre-commit")
    home = tmp_path_factory.mktemp("pre-commit-home")
    # git runs the installed hook script, which finds pre-commit on PATH: put the one found first.
    path = os.path.dirname(tool) + os.pathsep + os.environ.get("PATH", "")
    return {**os.environ, "PRE_COMMIT_HOME": str(home), "PATH": path}


def make_project(
    tmp_path: Path,
    hook_repo: tuple[Path, str],
    env: dict[str, str],
    files: dict[str, str],
    hooks: tuple[str, ...] = HOOKS,
) -> Path:
    """A git repository with the hooks installed and `files` committed (hooks skipped once)."""
    repo, rev = hook_repo
    project = tmp_path / "project"
    project.mkdir()
    config = f"repos:\n  - repo: {repo}\n    rev: {rev}\n    hooks:\n" + "".join(f"      - id: {h}\n" for h in hooks)
    (project / ".pre-commit-config.yaml").write_text(config)
    for name, text in files.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text)
    git("init", "-q", cwd=project)
    git("add", "-A", cwd=project)
    git("commit", "-qm", "start", "--no-verify", cwd=project)
    subprocess.run([need_tool("pre-commit"), "install"], cwd=project, env=env, check=True, capture_output=True)
    return project


def commit(project: Path, env: dict[str, str], message: str) -> subprocess.CompletedProcess:
    """`git commit` as a user types it: pre-commit runs on the staged files only."""
    subprocess.run(["git", "add", "-A"], cwd=project, check=True)
    return subprocess.run(
        ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", message],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=900,
    )


OPENSLO_PROJECT = {
    "openslo/service.yaml": "apiVersion: openslo/v1\nkind: Service\nmetadata:\n  name: checkout\n"
    "spec:\n  description: Checkout API\n",
    "openslo/sli.yaml": """\
apiVersion: openslo/v1
kind: SLI
metadata:
  name: checkout-ok
spec:
  ratioMetric:
    counter: true
    good:
      metricSource:
        type: Prometheus
        spec:
          query: http_requests_total{job="checkout",code!~"5.."}
    total:
      metricSource:
        type: Prometheus
        spec:
          query: http_requests_total{job="checkout"}
""",
    "openslo/alerting.yaml": """\
apiVersion: openslo/v1
kind: AlertCondition
metadata:
  name: fast-burn
spec:
  severity: page
  condition:
    kind: burnrate
    op: gt
    threshold: 14.4
    lookbackWindow: 1h
    alertAfter: 2m
---
apiVersion: openslo/v1
kind: AlertPolicy
metadata:
  name: checkout-page
spec:
  alertWhenBreaching: true
  conditions:
    - conditionRef: fast-burn
  notificationTargets:
    - targetRef: on-call
---
apiVersion: openslo/v1
kind: AlertNotificationTarget
metadata:
  name: on-call
spec:
  target: pagerduty
""",
    "openslo/slo.yaml": """\
apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-availability
spec:
  description: Checkout requests succeed
  service: checkout
  indicatorRef: checkout-ok
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 28d
      isRolling: true
  objectives:
    - target: 0.999
  alertPolicies:
    - alertPolicyRef: checkout-page
""",
    "values.yaml": "replicas: 3\n",
}


def test_a_multi_file_openslo_project_and_slo_files_pass_ordinary_commits(hook_repo, pre_commit_env, tmp_path) -> None:
    files = dict(OPENSLO_PROJECT)
    files["specs/api.slo"] = (EXAMPLES / "api.slo").read_text()
    files["specs/website.slo.yaml"] = (EXAMPLES / "website.slo.yaml").read_text()
    project = make_project(tmp_path, hook_repo, pre_commit_env, files)

    # An ordinary change to one file of the OpenSLO project: only that file is passed.
    slo = project / "openslo" / "slo.yaml"
    slo.write_text(slo.read_text().replace("Checkout requests succeed", "Checkout requests succeed (HTTP)"))
    result = commit(project, pre_commit_env, "describe the SLO")
    assert result.returncode == 0, result.stdout

    # A typo in a reference to a file that did not change fails, naming the code.
    slo.write_text(slo.read_text().replace("indicatorRef: checkout-ok", "indicatorRef: checkout-okk"))
    result = commit(project, pre_commit_env, "typo")
    assert result.returncode != 0
    assert "SLO004" in result.stdout and "did you mean 'checkout-ok'" in result.stdout
    git("reset", "-q", "--hard", cwd=project)

    # A 100 % target in a .slo file fails, and its findings are printed by one hook only.
    api = project / "specs" / "api.slo"
    api.write_text(api.read_text().replace("99.95%", "100%", 1))
    result = commit(project, pre_commit_env, "perfection")
    assert result.returncode != 0
    assert "SLO101" in result.stdout
    web = project / "specs" / "website.slo.yaml"
    git("reset", "-q", "--hard", cwd=project)
    web.write_text(web.read_text().replace("99.9%", "100%", 1))
    result = commit(project, pre_commit_env, "perfection again")
    assert result.returncode != 0
    assert result.stdout.count("SLO101") == 1, result.stdout


def test_the_fmt_hook_rewrites_and_fails_once(hook_repo, pre_commit_env, tmp_path) -> None:
    project = make_project(
        tmp_path, hook_repo, pre_commit_env, {"shop.slo": "slo a 99.9% of s over 28d\n"}, hooks=("slospec-fmt",)
    )
    messy = "service shop {\n      owner team-shop   # who\n}\nslo a 99.9% of s over 28d\n"
    (project / "shop.slo").write_text(messy)
    result = commit(project, pre_commit_env, "messy")
    # pre-commit fails the commit because the hook changed the file, not because it failed:
    # the hook itself exited 0 after saying what it rewrote.
    assert result.returncode != 0
    assert "- files were modified by this hook" in result.stdout, result.stdout
    assert "- exit code:" not in result.stdout, result.stdout
    assert "reformatted shop.slo" in result.stdout, result.stdout
    fixed = (project / "shop.slo").read_text()
    assert fixed == "service shop {\n  owner team-shop  # who\n}\n\nslo a 99.9% of s over 28d\n", fixed
    result = commit(project, pre_commit_env, "formatted")
    assert result.returncode == 0, result.stdout
    assert git("status", "--porcelain", cwd=project).stdout == ""  # committed as formatted


def test_no_file_is_taken_by_two_lint_hooks() -> None:
    """The hooks' file patterns, as pre-commit applies them, never overlap."""
    import re

    from ruamel.yaml import YAML

    hooks = {h["id"]: h for h in YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    lint, openslo = hooks["slospec-lint"], hooks["slospec-lint-openslo"]
    for name in ("a.slo", "a.slo.yaml", "a.slo.yml", "dir/b.slo.yaml"):
        takes_lint = re.search(lint["files"], name) is not None
        takes_openslo = name.endswith((".yaml", ".yml", ".json")) and not re.search(openslo["exclude"], name)
        assert takes_lint and not takes_openslo, name
    for name in ("slo.yaml", "openslo/slos.yml", "x.json"):
        assert re.search(lint["files"], name) is None and not re.search(openslo["exclude"], name), name


def test_exclude_in_slospec_toml_holds_for_the_files_pre_commit_names(hook_repo, pre_commit_env, tmp_path) -> None:
    """Issue 29 case 1: pre-commit names every changed file; the hooks pass --force-exclude, so
    a legacy folder under `exclude` does not block a commit that touches it."""
    website = (EXAMPLES / "website.slo").read_text()
    project = make_project(
        tmp_path,
        hook_repo,
        pre_commit_env,
        {"slospec.toml": 'exclude = ["legacy"]\n', "legacy/old.slo": website, "specs/web.slo": website},
    )
    old = project / "legacy" / "old.slo"
    old.write_text(old.read_text().replace("99.9% of probe-up", "100% of probe-up") + "# messy   \n\n\n")
    result = commit(project, pre_commit_env, "touch the legacy folder")
    assert result.returncode == 0, result.stdout
    # Outside the excluded folder the same change still fails.
    web = project / "specs" / "web.slo"
    web.write_text(web.read_text().replace("99.9% of probe-up", "100% of probe-up"))
    result = commit(project, pre_commit_env, "perfection")
    assert result.returncode != 0 and "SLO101" in result.stdout, result.stdout


def test_rev_main_as_the_docs_write_it_is_pinned_by_autoupdate(hook_repo, tmp_path) -> None:
    """Issue 29 case 10: README and docs/pre-commit.md write `rev: main` and tell the user to run
    `pre-commit autoupdate`; the real pre-commit then pins the newest commit (no tag exists)."""
    import re

    repo, rev = hook_repo
    text = (ROOT / "docs" / "pre-commit.md").read_text()
    block = re.search(r"```yaml\n(.*?)```", text, re.S).group(1)
    project = tmp_path / "p"
    project.mkdir()
    git("init", "-q", cwd=project)
    (project / ".pre-commit-config.yaml").write_text(block.replace("https://github.com/slospec/slospec", str(repo)))
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [need_tool("pre-commit"), "autoupdate"], cwd=project, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"rev: {rev}" in (project / ".pre-commit-config.yaml").read_text()
