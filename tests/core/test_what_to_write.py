"""The slips new users make most get a message that says what to write instead, at the line."""

from __future__ import annotations

import pytest

from slospec.api import lint_text
from tests.conftest import EXAMPLES

CASES = {
    "tab": (
        "apiVersion: slospec/v1\nservice:\n\tname: a\n",
        "spec.slo.yaml",
        3,
        "YAML indents with spaces, never tabs",
    ),
    "colon": (
        "apiVersion: slospec/v1\nservice:\n  name: a\n  description: a: b\n",
        "spec.slo.yaml",
        4,
        "must be quoted",
    ),
    "indent": (
        "apiVersion: slospec/v1\nslis:\n  - name: a\n   kind: b\n",
        "spec.slo.yaml",
        4,
        "check this line's indentation",
    ),
    "dsl-as-yaml": (
        (EXAMPLES / "website.slo").read_text(),
        "website.slo.yaml",
        None,
        "looks like the .slo DSL: a DSL spec's file name ends in .slo",
    ),
    "yaml-as-dsl": (
        (EXAMPLES / "api.slo.yaml").read_text(),
        "api.slo",
        None,
        "this file looks like YAML: a YAML spec's name ends in .slo.yaml",
    ),
    "over-100": (
        (EXAMPLES / "api.slo.yaml").read_text().replace("target: 99.95%", "target: 100.5%"),
        "api.slo.yaml",
        None,
        "'100.5%' is above 100%; a percentage goes from 0 to 100",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_slip_gets_what_to_write(name: str) -> None:
    text, path, line, hint = CASES[name]
    found = [d for d in lint_text(text, path) if d.severity == "error"]
    assert len(found) == 1, found
    assert hint in found[0].message
    if line is not None:
        assert found[0].span.line == line


def test_a_real_dsl_error_is_not_told_to_rename() -> None:
    text = (EXAMPLES / "website.slo").read_text().replace("{", "", 1)
    found = lint_text(text, "website.slo")
    assert found and all("looks like YAML" not in d.message for d in found)
