"""--target alertmanager: a page silences the ticket of the same SLO; amtool accepts the file."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from slospec.cli import main
from tests.conftest import EXAMPLES


def compiled(tmp_path: Path) -> Path:
    result = CliRunner().invoke(
        main,
        ["compile", str(EXAMPLES / "api.slo.yaml"), str(EXAMPLES / "website.slo.yaml"), "-t", "alertmanager"],
    )
    assert result.exit_code == 0, result.output
    path = tmp_path / "alertmanager.yml"
    path.write_text(result.stdout)
    return path


def test_a_page_inhibits_the_ticket_of_the_same_slo(tmp_path: Path) -> None:
    data = YAML(typ="safe").load(compiled(tmp_path).read_text())
    (inhibit,) = data["inhibit_rules"]
    assert inhibit["source_matchers"] == ['alertname="SLOBudgetBurnPage"']
    assert inhibit["target_matchers"] == ['alertname="SLOBudgetBurnTicket"']
    assert inhibit["equal"] == ["slo_service", "slo_name"]
    page, ticket = data["route"]["routes"]
    assert 'severity="page"' in page["matchers"] and 'severity="ticket"' in ticket["matchers"]
    assert any(m.startswith("slo_service=~") and "website" in m for m in page["matchers"])


def test_amtool_accepts_the_configuration(tmp_path: Path) -> None:
    amtool = shutil.which("amtool")
    if amtool is None:
        pytest.skip("amtool not installed (Debian: prometheus-alertmanager)")
    path = compiled(tmp_path)
    run = subprocess.run([amtool, "check-config", str(path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 inhibit rules" in run.stdout
