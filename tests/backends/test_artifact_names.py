"""`compile -o DIR` never writes one generated file over another: distinct names, or a
clear error (exit 2) naming the clash."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from slospec.cli import main
from slospec.compile import Artifact, CompileError, plan

SERVICE = """\
apiVersion: openslo/v1
kind: Service
metadata:
  name: api
spec:
  description: Public HTTP API
"""
SLO = """\
apiVersion: openslo/v1
kind: SLO
metadata:
  name: api-{name}
spec:
  description: API requests without a 5xx on {name}.
  service: api
  indicator:
    metadata:
      name: api-{name}-ok
    spec:
      description: API requests without a 5xx on {name}.
      ratioMetric:
        counter: true
        bad:
          metricSource:
            type: Prometheus
            spec:
              query: sum(http_requests_total{{job="api",route="{name}",code=~"5.."}})
        total:
          metricSource:
            type: Prometheus
            spec:
              query: sum(http_requests_total{{job="api",route="{name}"}})
  timeWindow:
    - duration: 4w
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - target: 0.999
"""


def spec(service: str, sla: str | None = None) -> str:
    text = f"""\
apiVersion: slospec/v1
service:
  name: {service}
  description: The {service} service.
  owner: team-{service}
slis:
  - name: requests-ok
    description: Requests that did not fail.
    ratio:
      bad: http_requests_total{{job="{service}",code=~"5.."}}
      total: http_requests_total{{job="{service}"}}
slos:
  - name: availability
    description: Availability of {service}.
    sli: requests-ok
    target: 99.9%
    window: 28d
"""
    if sla:
        text += f"""slas:
  - name: {sla}
    description: The {service} commitment.
    slo: availability
    target: 99.5%
    window: {{calendar: month, timeZone: UTC}}
"""
    return text


def compile_to_dir(tmp_path: Path, target: str, files: dict[str, str]):
    paths = []
    for name, text in files.items():
        path = tmp_path / name
        path.write_text(text)
        paths.append(str(path))
    out = tmp_path / "out"
    out.mkdir()
    result = CliRunner().invoke(main, ["compile", *paths, "--target", target, "-o", f"{out}/"])
    return result, out


def assert_nothing_lost(result, out: Path, needles: list[str]) -> None:
    """Either every input is in some written file, or the run failed with exit 2 naming the clash."""
    if result.exit_code == 2:
        assert "would all be written to" in result.output, result.output
        assert list(out.iterdir()) == []  # nothing half written
        return
    assert result.exit_code == 0, result.output
    texts = [p.read_text() for p in out.iterdir()]
    for needle in needles:
        assert any(needle in t for t in texts), (needle, [p.name for p in out.iterdir()])


@pytest.mark.parametrize("target", ["openslo", "markdown", "prometheus", "sloth"])
def test_one_openslo_service_over_several_files(tmp_path: Path, target: str) -> None:
    files = {"a.yaml": SERVICE + "---\n" + SLO.format(name="checkout"), "b.yaml": SLO.format(name="search")}
    result, out = compile_to_dir(tmp_path, target, files)
    assert_nothing_lost(
        result, out, ['route="checkout"', 'route="search"'] if target != "markdown" else ["checkout", "search"]
    )
    if target in ("markdown", "sloth"):
        assert result.exit_code == 0, result.output
        assert len(list(out.iterdir())) >= 2
    if target == "openslo":  # one file for the service, its Service object once
        assert result.exit_code == 0, result.output
        (written,) = out.iterdir()
        assert written.read_text().count("kind: Service\n") == 1


def test_two_services_with_an_sla_of_the_same_name(tmp_path: Path) -> None:
    files = {"shop.slo.yaml": spec("shop", sla="gold"), "cart.slo.yaml": spec("cart", sla="gold")}
    result, out = compile_to_dir(tmp_path, "markdown", files)
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in out.iterdir())
    assert len(written) == 2, written
    assert_nothing_lost(result, out, ["The shop commitment", "The cart commitment"])


def test_an_sla_named_like_another_services_document(tmp_path: Path) -> None:
    files = {"alpha.slo.yaml": spec("alpha", sla="beta-service-levels"), "beta.slo.yaml": spec("beta")}
    result, out = compile_to_dir(tmp_path, "markdown", files)
    assert result.exit_code == 0, result.output
    assert len(list(out.iterdir())) == 2
    assert_nothing_lost(result, out, ["The alpha commitment", "The beta service."])


def test_plan_names_clashes_it_cannot_resolve() -> None:
    same = [Artifact("x.md", "one"), Artifact("X.md", "two")]  # one file on macOS and Windows
    with pytest.raises(CompileError, match="would all be written to x.md"):
        plan(same)
    assert [n for n, _ in plan([Artifact("x.md", "same"), Artifact("x.md", "same")])] == ["x.md"]
    named = plan([Artifact("gold.md", "a", "shop"), Artifact("gold.md", "b", "cart"), Artifact("x.md", "c")])
    assert [n for n, _ in named] == ["shop-gold.md", "cart-gold.md", "x.md"]
    with pytest.raises(CompileError):
        plan([Artifact("gold.md", "a", "shop"), Artifact("gold.md", "b", "cart"), Artifact("shop-gold.md", "c")])
