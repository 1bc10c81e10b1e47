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
    "metadata-a-string": (
        "kind: SLO\nmetadata:\n  name: api-availability\n  labels:\n    team: [payments]",
        "kind: SLO\nmetadata: api-availability",
    ),
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


# (text in the valid fixture, replacement, the value, message): values the OpenSLO schema takes
# but a spec cannot (the fuzz harness found each: lint crashed, convert wrote an invalid spec).
VALUES = {
    "window-0d": ("duration: 4w", "duration: 0d", "0d", "'0d' is zero"),
    "window-99999999d": ("duration: 4w", "duration: 99999999d", "99999999d", "longer than ten years"),
    "threshold-1e400": ("threshold: 14.4", "threshold: 1e400", "1e400", "is more than 10^15"),
    "zone-with-a-colon": (
        "    - duration: 4w\n      isRolling: true",
        "    - duration: 1d\n      calendar:\n        startTime: 2020-01-21 12:30:00\n"
        "        timeZone: ':America/New_York'\n"
        "      isRolling: false",
        "':America/New_York'",
        "is not an IANA time zone",
    ),
}


@pytest.mark.parametrize("case", sorted(VALUES))
def test_a_value_a_spec_cannot_take_is_one_slo002_at_its_field(tmp_path: Path, case: str) -> None:
    old, new, value, message = VALUES[case]
    text = VALID.read_text()
    assert old in text
    text = text.replace(old, new, 1)
    (tmp_path / "objects.yaml").write_text(text)
    line = text[: text.index(value)].count("\n") + 1
    column = text[: text.index(value)].rsplit("\n", 1)[-1].__len__() + 1
    linted = invoke(["lint", "--format", "json", "objects.yaml"], tmp_path)
    assert linted.exit_code == 1, linted.output
    found = [d for d in json.loads(linted.output) if d["code"] == "SLO002"]
    assert [(d["line"], d["column"]) for d in found] == [(line, column)], found
    assert message in found[0]["message"]
    for to in ("yaml", "dsl", "openslo"):
        result = invoke(["convert", "objects.yaml", "--to", to], tmp_path)
        assert result.exit_code == 2 and result.stdout == "", result.output
        assert result.stderr.startswith(f"slospec: error: objects.yaml:{line}:{column}: SLO002 ")
        assert message in result.stderr
