"""Defaults written in two places (the configuration schema users read, the code that runs
without a configuration) say the same thing."""

from __future__ import annotations

import json

from slospec.slo import facts
from tests.conftest import ROOT


def test_fact_defaults_are_the_configuration_schema_defaults() -> None:
    schema = json.loads((ROOT / "schema" / "config.schema.json").read_text())
    found: dict[str, object] = {}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.get("properties", {}).items():
                if isinstance(value, dict) and "default" in value and key in facts.DEFAULTS:
                    found[key] = value["default"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    assert found == facts.DEFAULTS


def test_sloth_defaults_are_the_workbook_tiers() -> None:
    from slospec.interop.sloth.export import SLOTH_DEFAULT

    assert [(s, lw, sw, str(rate)) for s, lw, sw, rate in SLOTH_DEFAULT] == [
        ("page", "1h", "5m", "14.4"),
        ("page", "6h", "30m", "6"),
        ("ticket", "1d", "2h", "3"),
        ("ticket", "3d", "6h", "1"),
    ]
