"""The YAML pre-commit hook lints Sloth, Pyrra and slo-generator files and skips other YAML."""

from __future__ import annotations

from pathlib import Path

from tests.test_precommit import commit, hook_repo, make_project, pre_commit_env  # noqa: F401 - fixtures

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


def test_yaml_hook_lints_sloth_files_and_skips_kubernetes_manifests(
    hook_repo,  # noqa: F811 - the fixture imported above
    pre_commit_env,  # noqa: F811
    tmp_path: Path,
) -> None:
    manifest = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec: {replicas: 3}\n"
    project = make_project(
        tmp_path, hook_repo, pre_commit_env, {"api.sloth.yml": SLOTH}, hooks=("slospec-lint-openslo",)
    )
    (project / "deployment.yaml").write_text(manifest)
    (project / "api.sloth.yml").write_text(SLOTH.replace("requests succeed", "requests succeed (HTTP)"))
    result = commit(project, pre_commit_env, "describe")
    assert result.returncode == 0, result.stdout
    (project / "api.sloth.yml").write_text(SLOTH.replace("objective: 99.9", "objective: 100"))
    result = commit(project, pre_commit_env, "perfection")
    assert result.returncode != 0
    assert "api.sloth.yml:6:16: SLO101" in result.stdout
    assert "deployment.yaml" not in result.stdout
