"""The lazy rule registry agrees with the rule modules it stands for."""

from __future__ import annotations

import importlib
import subprocess
import sys

from slospec import rules


def test_registry_codes_names_and_joint_stage_modules_match_the_modules():
    lazy = rules.registry()
    real = rules.all_rules()
    assert list(lazy) == list(real)
    for code, rule in real.items():
        assert (lazy[code].code, lazy[code].name) == (rule.code, rule.name)
        module = importlib.import_module(f"slospec.rules.{lazy[code].module}")
        assert (lazy[code].module in rules.PROJECT_MODULES) == hasattr(module, "check_project")
        assert (lazy[code].module in rules.OPENSLO_MODULES) == hasattr(module, "check_openslo")
        assert (lazy[code].module in rules.DATA_MODULES) == hasattr(module, "check_data")
        assert (lazy[code].module in rules.LIVE_MODULES) == hasattr(module, "check_live")
        assert lazy[code].severity == rule.severity and lazy[code].doc == rule.doc
    assert set(rules.CODES) == set(rules.RULE_MODULES)


def test_get_and_selectors_import_only_the_rule_asked_for():
    probe = (
        "import sys; from slospec import rules; "
        "assert rules.get('perfect-target').code == 'SLO101'; "
        "assert rules.get('slo102').name == 'extreme-target'; "
        "assert rules.valid_selector('SLO3') and not rules.valid_selector('nope'); "
        "print(sorted(m for m in sys.modules if m.startswith('slospec.rules.')))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['slospec.rules.base', 'slospec.rules.extreme_target', 'slospec.rules.perfect_target']"


def test_every_rule_module_on_disk_has_one_row_in_the_table():
    from pathlib import Path

    on_disk = {p.stem for p in Path(rules.__file__).parent.glob("*.py")} - {"__init__", "base"}
    assert on_disk == set(rules.RULE_MODULES)
    assert len(rules.TABLE) == len({code for code, _, _ in rules.TABLE}) == len(on_disk)
    assert [code for code, _, _ in rules.TABLE] == sorted(code for code, _, _ in rules.TABLE)
