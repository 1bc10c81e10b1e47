"""The YAML pre-commit hook lints Sloth, Pyrra and slo-generator files and skips other YAML."""

from __future__ import annotations

from pathlib import Path

from tests.test_precommit import git, hook_repo, make_project, run_hook  # noqa: F401 - hook_repo is a fixture

SLOTH = """\
version: "prometheus/v1"
service: "api"
labels: {owner: team-a}
slos:
  - name: "requests"
    objective: 99.9
    description: "requests succeed"
    sli:
      events:
        error_query: sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))
        total_query: sum(rate(http_requests_total[{{.window}}]))
    alerting:
      name: Requests
      annotations: {runbook: "https://runbooks.example.com/api"}
"""


def test_yaml_hook_lints_sloth_files_and_skips_kubernetes_manifests(hook_repo: Path, tmp_path: Path) -> None:  # noqa: F811
    manifest = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec: {replicas: 3}\n"
    project = make_project(tmp_path, {"api.sloth.yml": SLOTH, "deployment.yaml": manifest})
    result = run_hook(hook_repo, project, "slospec-lint-openslo")
    assert result.returncode == 0, result.stdout + result.stderr
    (project / "api.sloth.yml").write_text(SLOTH.replace("objective: 99.9", "objective: 100"))
    git("add", "-A", cwd=project)
    result = run_hook(hook_repo, project, "slospec-lint-openslo")
    assert result.returncode == 1
    assert "api.sloth.yml:6:16: SLO101" in result.stdout
    assert "deployment.yaml" not in result.stdout
