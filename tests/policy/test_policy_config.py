"""The policy tables as typed records: exact Decimal targets, TOML dates, steps in order;
the schema documents every key; the result cache keys on the policy and the day."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from slospec import cache, config, policy
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
