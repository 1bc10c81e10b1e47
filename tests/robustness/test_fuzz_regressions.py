"""Failures the whole-CLI fuzz harness (tests/fuzz) found, each reproduced from its shape so it
stays fixed. Every run goes through tests.fuzz.harness.invoke, which fails on an escaped
exception, an exit status outside 0/1/2 or "internal error"."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.fuzz.harness import invoke


@pytest.mark.parametrize("example", ["api.slo.yaml", "api.slo"])
def test_convert_to_openslo_of_a_window_openslo_cannot_write_is_one_line(tmp_path: Path, example: str) -> None:
    # A window under a minute has no OpenSLO duration: CompileError escaped `convert --to openslo`.
    text = (EXAMPLES / example).read_text()
    old = "window: 28d" if example.endswith(".yaml") else "over 28d {"
    assert old in text
    (tmp_path / example).write_text(text.replace(old, old.replace("28d", "1ms")))
    result = invoke(["convert", example, "--to", "openslo"], tmp_path)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"slospec: error: {example}: SLO 'availability': the window is 1ms, but OpenSLO durations have no "
        "seconds unit (m is the smallest); use whole minutes"]
