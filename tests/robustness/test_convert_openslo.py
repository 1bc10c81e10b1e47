"""`slospec convert` imports only OpenSLO objects that pass the checks lint makes: an object of a
shape the importer cannot take is the same SLO002 lint reports, at the same file:line:col, one
line and exit 2 (never "internal error"; tests.fuzz.harness.invoke asserts that on every run)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.fuzz.harness import invoke

VALID = ROOT / "tests" / "openslo" / "fixtures" / "valid.yaml"

# (text in the valid fixture, replacement): shapes the published schema refuses.
SHAPES = {
    "alert-policy-a-string": ("    - alertPolicyRef: api-fast-burn", "    - page-me"),
    "objective-a-string": ("    - displayName: non-5xx responses\n      target: 0.999", "    - 0.999"),
    # fuzz: the importer read a missing window as "0", which no duration parser takes
    "time-window-missing": ("  timeWindow:\n    - duration: 4w\n      isRolling: true\n", ""),
    "time-window-a-string": ("  timeWindow:\n    - duration: 4w\n      isRolling: true", "  timeWindow: 4w"),
    "indicator-a-list": ("  indicator:\n", "  indicator: [x]\n  extra:\n"),
    "metadata-a-string": ("kind: SLO\nmetadata:\n  name: api-availability\n  labels:\n    team: [payments]",
                          "kind: SLO\nmetadata: api-availability"),
    "target-a-string": ("      target: 0.999", "      target: high"),
}


def planted(tmp_path: Path, case: str) -> str:
    old, new = SHAPES[case]
    text = VALID.read_text()
    assert old in text, f"the fixture no longer has {old!r}"
    (tmp_path / "objects.yaml").write_text(text.replace(old, new, 1))
    return "objects.yaml"


def test_the_valid_fixture_converts(tmp_path: Path) -> None:
    (tmp_path / "objects.yaml").write_bytes(VALID.read_bytes())
    result = invoke(["convert", "objects.yaml", "--to", "yaml"], tmp_path)
    assert result.exit_code == 0, result.output
    assert "apiVersion: slospec/v1" in result.output


@pytest.mark.parametrize("to", ["yaml", "dsl", "openslo"])
@pytest.mark.parametrize("case", sorted(SHAPES))
def test_an_object_that_fails_validation_is_the_finding_lint_reports(tmp_path: Path, case: str, to: str) -> None:
    name = planted(tmp_path, case)
    linted = invoke(["lint", "--format", "json", name], tmp_path)
    assert linted.exit_code == 1, linted.output
    first = next(d for d in json.loads(linted.output) if d["code"] == "SLO002")
    result = invoke(["convert", name, "--to", to], tmp_path)
    assert result.exit_code == 2, result.output
    message = re.sub(r" \(and \d+ more like it here\)$", "", first["message"])  # lint folds repeats
    assert f"{name}:{first['line']}:{first['column']}: SLO002 {message}" in result.output
    assert "apiVersion" not in result.output  # nothing half-converted on stdout
