"""The policy tables as typed records: exact Decimal targets, TOML dates, steps in order;
the schema documents every key; the result cache keys on the policy and the day."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from slospec import config
from slospec.lint import cache
from slospec.specmodel import policy
from tests.conftest import ROOT
from tests.policy.project import CONFIG


def loaded(tmp_path: Path, text: str = CONFIG) -> config.Config:
    (tmp_path / "slospec.toml").write_text(text)
    return config.load(tmp_path / "slospec.toml")


def test_tables_become_typed_records(tmp_path: Path) -> None:
    found = loaded(tmp_path).policy
    [tier1] = found.policies
    assert tier1.min_target == Decimal("99.9") and isinstance(tier1.min_target, Decimal)
    assert tier1.max_target == Decimal("99.99")
    assert tier1.windows == ("28d", "30d", "month")
    assert tier1.require == ("owner", "page-alert")
    assert tier1.when.facts == (("tier", ("critical",)),)
    billing, search = found.waivers
    assert billing.expires == datetime.date(2099, 3, 31) and billing.owner == "team-billing"
    assert search.expired(datetime.date(2020, 2, 1)) and not search.expired(datetime.date(2020, 1, 31))
    [budget] = found.budget_policies
    assert [(s.remaining_below, s.action) for s in budget.steps] == [(Decimal(0), "freeze"), (Decimal(25), "warn")]


def test_steps_pick_the_lowest_threshold_the_budget_is_under(tmp_path: Path) -> None:
    [budget] = loaded(tmp_path).policy.budget_policies
    assert budget.step_for_fraction(Fraction(-1, 10**9)).action == "freeze"
    assert budget.step_for_fraction(Fraction(0)).action == "warn"  # exactly spent: not below 0 %
    assert budget.step_for_fraction(Fraction(2499, 100)).action == "warn"
    assert budget.step_for_fraction(Fraction(25)) is None


def test_no_tables_no_policy(tmp_path: Path) -> None:
    assert loaded(tmp_path, "strict = true\n").policy is None


def test_the_config_schema_documents_every_policy_key() -> None:
    schema = json.loads((ROOT / "schema" / "config.schema.json").read_text())

    def walk(node: dict, where: str) -> list[str]:
        missing = [] if "description" in node or where.endswith(("]", "when.*")) else [where]
        for key, child in node.get("properties", {}).items():
            missing += walk(child, f"{where}.{key}")
        if isinstance(node.get("items"), dict):
            missing += walk(node["items"], f"{where}[]")
        return missing

    missing = []
    for table in ("policy", "waiver", "budget-policy"):
        missing += walk(schema["properties"][table], table)
    assert not missing, missing


def test_the_cache_key_follows_the_policy_and_the_day(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    base = loaded(tmp_path)
    stricter = loaded(tmp_path, CONFIG.replace('min-target = "99.9%"', 'min-target = "99.95%"'))
    assert cache.config_key(base) != cache.config_key(stricter)
    today = cache.config_key(base)
    monkeypatch.setattr(policy, "today", lambda: datetime.date(2099, 4, 1))  # the waiver has expired
    assert cache.config_key(base) != today
    no_waivers = loaded(tmp_path, CONFIG.split("[[waiver]]")[0])
    key = cache.config_key(no_waivers)
    monkeypatch.setattr(policy, "today", lambda: datetime.date(2099, 4, 2))
    assert cache.config_key(no_waivers) == key  # without waivers the day does not matter


def test_the_schema_and_the_judge_know_the_same_requirements() -> None:
    schema = json.loads((ROOT / "schema" / "config.schema.json").read_text())
    listed = schema["properties"]["policy"]["items"]["properties"]["require"]["items"]["enum"]
    assert sorted(listed) == sorted(policy.REQUIREMENTS)


BARE = """\
apiVersion: slospec/v1
service:
  name: bare
  tier: critical
slis:
  - name: requests
    ratio:
      bad: http_requests_total{job="bare",code=~"5.."}
      total: http_requests_total{job="bare"}
slos:
  - name: availability
    sli: requests
    target: 99.9%
    window: 28d
    alerting:
      policy: none
"""


@pytest.mark.parametrize(
    ("requirement", "line", "wanted"),
    [
        ("owner", 3, "requires an owner: service 'bare' names none"),
        ("service-description", 3, "requires a description of the service: 'bare' has none"),
        ("sla", 3, "requires an SLA: service 'bare' states no external commitment"),
        ("latency-sli", 3, "requires a latency SLI: service 'bare' measures none"),
        ("description", 11, "requires a description: SLO 'availability' says nothing"),
        ("runbook", 11, "requires a runbook: neither SLO 'availability' nor service 'bare' links one"),
        ("page-alert", 11, "requires an alert that pages: SLO 'availability' has none"),
    ],
)
def test_each_requirement_is_reported_where_it_is_missing(requirement: str, line: int, wanted: str) -> None:
    from slospec.api import lint_text

    data = {"select": ["SLO6"], "policy": [{"name": "p", "when": {"tier": "critical"}, "require": [requirement]}]}
    found = [(d.span.line, d.message) for d in lint_text(BARE, "bare.slo.yaml", config.from_data(data))]
    assert found == [(line, f"policy 'p' {wanted}")] or (
        len(found) == 1 and found[0][0] == line and found[0][1].startswith(f"policy 'p' {wanted}")
    ), found
    met = BARE.replace("  tier: critical\n", "  tier: low\n")
    assert lint_text(met, "bare.slo.yaml", config.from_data(data)) == []
