"""`--target prometheus-rule`: the Prometheus rule groups as Kubernetes PrometheusRule objects.

One `monitoring.coreos.com/v1` PrometheusRule per service, `slospec-<service>`, holding
exactly the groups `--target prometheus` writes (the same packing and intervals). Its
namespace and labels come from `[prometheus] namespace` and `labels` (the labels a
Prometheus Operator's `ruleSelector` matches); without a namespace the object has none and
`kubectl apply -n NS` chooses it.
"""

from __future__ import annotations

from typing import Any

from slospec.compile import Artifact, CompileError, CompileOptions
from slospec.specmodel.model import Spec

JOINER = "---\n"


def compile(specs: list[Spec], options: CompileOptions) -> list[Artifact]:
    from ruamel.yaml import YAML

    from slospec.compile import prometheus, yamlout

    settings = getattr(options.config, "prometheus", None) or {}
    namespace = settings.get("namespace")
    labels = {str(k): str(v) for k, v in (settings.get("labels") or {}).items()}
    artifacts = []
    for artifact in prometheus.compile(specs, options):
        header = "".join(line + "\n" for line in artifact.text.splitlines() if line.startswith("#"))
        groups = YAML(typ="safe").load(artifact.text)["groups"]
        service = artifact.name.removesuffix(".rules.yaml")
        metadata: dict[str, Any] = {"name": _k8s_name(f"slospec-{service}")}
        if namespace:
            metadata["namespace"] = namespace
        metadata["labels"] = {"app.kubernetes.io/managed-by": "slospec", **labels}
        body = {
            "apiVersion": "monitoring.coreos.com/v1",
            "kind": "PrometheusRule",
            "metadata": metadata,
            "spec": {"groups": groups},
        }
        artifacts.append(Artifact(f"{service}.prometheusrule.yaml", header + yamlout.dump(body), artifact.qualifier))
    return artifacts


def _k8s_name(name: str) -> str:
    """A DNS-1123 subdomain: lower case, digits, '-' and '.', at most 253 characters."""
    import re

    cleaned = re.sub(r"[^a-z0-9.-]+", "-", name.lower()).strip("-.")
    if not cleaned:
        raise CompileError(f"{name!r} gives no Kubernetes object name")
    return cleaned[:253]
