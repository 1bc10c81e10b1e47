"""Issue 27, case 5: Pyrra's window arithmetic checked as Pyrra computes it. Pyrra scales its
alert windows from the SLO window and rounds them to the minute; over `window: 1d` the fastest
short window is 0s and Pyrra's own rules read `rate(x[0s])`, which Prometheus rejects."""

from __future__ import annotations

import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from slospec.cli import main
from slospec.interop.base import seconds_text
from slospec.interop.pyrra import pyrra_windows
from tests.conftest import need_tool

PYRRA = """\
apiVersion: pyrra.dev/v1alpha1
kind: ServiceLevelObjective
metadata:
  name: api-errors
  labels:
    pyrra.dev/owner: team-api
spec:
  target: "99"
  window: {window}
  description: API requests answered without an error.
  indicator:
    ratio:
      errors:
        metric: http_requests_total{{job="api",code=~"5.."}}
      total:
        metric: http_requests_total{{job="api"}}
"""


def lint(tmp_path: Path, window: str):
    path = tmp_path / "api.yaml"
    path.write_text(PYRRA.format(window=window))
    return CliRunner().invoke(main, ["lint", str(path)]), path


@pytest.mark.parametrize("window", ["1d", "12h", "2d19h11m"])
def test_a_window_whose_fastest_alert_rounds_to_0s_is_an_error(tmp_path: Path, window: str) -> None:
    result, path = lint(tmp_path, window)
    lines = [line for line in result.output.splitlines() if "SLO306" in line]
    assert len(lines) == 1 and "[error]" in lines[0] and lines[0].startswith(f"{path}:9:"), result.output
    assert "rate(...[0s])" in lines[0] and "at least 2d19h12m" in lines[0]
    # Prometheus does reject what Pyrra would write.
    rules = tmp_path / "pyrra.rules.yaml"
    rules.write_text("groups:\n- name: g\n  rules:\n  - record: x:burnrate0s\n    expr: sum(rate(x[0s]))\n")
    run = subprocess.run([need_tool("promtool"), "check", "rules", str(rules)], capture_output=True, text=True)
    assert run.returncode != 0


@pytest.mark.parametrize("window", ["2d19h12m", "7d", "28d"])
def test_windows_pyrra_can_alert_on_are_not_reported(tmp_path: Path, window: str) -> None:
    result, _ = lint(tmp_path, window)
    assert "SLO306" not in result.output


def test_the_boundary_is_where_pyrra_rounds_the_short_window_up_to_a_minute() -> None:
    shortest = [min(short for _s, _f, _l, short, _for in pyrra_windows(Decimal(s))) for s in (241919, 241920)]
    assert [seconds_text(s) for s in shortest] == ["0s", "1m"]


def test_convert_and_compile_say_it_and_leave_the_tier_out(tmp_path: Path) -> None:
    _, path = lint(tmp_path, "1d")
    for args in (["convert", "--to", "yaml", str(path)], ["compile", str(path), "--target", "prometheus"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        assert "slospec: note:" in result.stderr and "SLO306" in result.stderr
