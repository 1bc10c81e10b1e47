"""--target prometheus-rule: Kubernetes PrometheusRule objects holding the rule groups."""

from __future__ import annotations

import subprocess
from pathlib import Path

from click.testing import CliRunner
from ruamel.yaml import YAML

from slospec.cli import main
from tests.conftest import EXAMPLES, need_tool


def test_prometheus_rule_objects_hold_the_same_groups(tmp_path: Path) -> None:
    config = tmp_path / "slospec.toml"
    config.write_text('[prometheus]\nnamespace = "monitoring"\nlabels = { release = "prometheus" }\n')
    paths = [str(EXAMPLES / "api.slo.yaml"), str(EXAMPLES / "website.slo.yaml")]
    objects = CliRunner().invoke(main, ["compile", *paths, "-t", "prometheus-rule", "--config", str(config)])
    rules = CliRunner().invoke(main, ["compile", *paths, "-t", "prometheus", "--config", str(config)])
    assert objects.exit_code == rules.exit_code == 0, objects.output
    docs = list(YAML(typ="safe").load_all(objects.stdout))
    assert [d["metadata"]["name"] for d in docs] == ["slospec-payments-api", "slospec-website"]
    for doc in docs:
        assert doc["apiVersion"] == "monitoring.coreos.com/v1" and doc["kind"] == "PrometheusRule"
        assert doc["metadata"]["namespace"] == "monitoring"
        assert doc["metadata"]["labels"]["release"] == "prometheus"
    groups = [g for d in docs for g in d["spec"]["groups"]]
    assert groups == YAML(typ="safe").load(rules.stdout)["groups"]
    # The groups are a valid rule file as the Operator hands them to Prometheus.
    promtool = need_tool("promtool")
    from slospec.compile import yamlout

    path = tmp_path / "extracted.rules.yaml"
    path.write_text(yamlout.dump({"groups": groups}))
    check = subprocess.run([promtool, "check", "rules", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_prometheus_rule_files_in_a_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["compile", str(EXAMPLES / "api.slo.yaml"), "-t", "prometheus-rule", "-o", f"{tmp_path}/"]
    )
    assert result.exit_code == 0, result.output
    (doc,) = YAML(typ="safe").load_all((tmp_path / "payments-api.prometheusrule.yaml").read_text())
    assert "namespace" not in doc["metadata"]  # kubectl apply -n chooses it
