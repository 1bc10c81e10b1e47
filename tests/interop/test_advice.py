"""Issue 27, cases 9 and 10: advice in each format's own words, owners read from the labels
each tool uses, and SLO104 on a counter-based SLI does not claim that events are lost."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from slospec.api import lint_paths
from slospec.config import Config
from tests.conftest import need_corpus

# slospec keys a Sloth, Pyrra, OpenSLO or slo-generator file has no place for.
SLOSPEC_WORDS = re.compile(
    r"alerting: \{policy: none\}|alerting\.runbook|service\.owner|alerting\.tiers|automatedMitigation"
)


def lint(*paths: Path) -> list:
    return lint_paths([str(p) for p in paths], Config()).diagnostics


def test_no_finding_on_a_foreign_corpus_file_gives_slospec_advice() -> None:
    corpus = need_corpus()
    found = [d for d in lint(corpus) if SLOSPEC_WORDS.search(d.message)]
    assert not found, "\n".join(f"{d.path}:{d.span.line}: {d.code} {d.message}" for d in found[:5])


SLOGEN = """\
apiVersion: sre.google.com/v2
kind: ServiceLevelObjective
metadata:
  name: prom-metrics-availability
  labels:
    service_name: prom
    feature_name: metrics
    slo_name: availability
    team: observability
spec:
  description: 99.9% of Prometheus requests return a good HTTP code
  backend: prometheus
  method: good_bad_ratio
  exporters: []
  service_level_indicator:
    filter_good: prometheus_http_requests_total{code=~"2..", handler="/metrics"}
    filter_valid: prometheus_http_requests_total{handler="/metrics"}
  goal: 0.999
"""

PYRRA = """\
apiVersion: pyrra.dev/v1alpha1
kind: ServiceLevelObjective
metadata:
  name: api-errors
  labels:
    pyrra.dev/owner: team-api
  annotations:
    pyrra.dev/runbook_url: https://runbooks.example.com/api
spec:
  target: "99.5"
  window: 28d
  description: API requests answered without an error.
  indicator:
    ratio:
      errors:
        metric: http_requests_total{job="api",code=~"5.."}
      total:
        metric: http_requests_total{job="api"}
"""


@pytest.mark.parametrize(("name", "text"), [("slo.yaml", SLOGEN), ("api.yaml", PYRRA)], ids=["slo-generator", "pyrra"])
def test_owner_and_runbook_are_read_from_the_labels_the_tool_uses(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    codes = {d.code for d in lint(path)}
    assert not codes & {"SLO401", "SLO403"}


def test_pyrra_advice_is_in_pyrra_words(tmp_path: Path) -> None:
    path = tmp_path / "api.yaml"
    path.write_text(PYRRA.replace("    pyrra.dev/owner: team-api\n", "    pyrra.dev/repo: api\n"))
    (owner,) = [d for d in lint(path) if d.code == "SLO401"]
    assert "pyrra.dev/owner" in owner.message and "service.owner" not in owner.message


def test_budget_below_resolution_on_counters_does_not_say_events_are_lost(tmp_path: Path) -> None:
    path = tmp_path / "api.yaml"
    path.write_text(PYRRA.replace('target: "99.5"', 'target: "99.99"').replace("window: 28d", "window: 1d"))
    (finding,) = [d for d in lint(path) if d.code == "SLO104"]
    assert "before it is measured" not in finding.message
    assert "record every failure" in finding.message and "SLO307" in finding.message
