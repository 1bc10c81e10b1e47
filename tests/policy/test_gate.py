"""`slospec gate`: the budget policy applied to each SLO's budget left, from a data file and
from a real Prometheus (backfilled counters): exit 1 when a freeze applies, 0 otherwise."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from slospec.cli import main
from tests import prometheus_server
from tests.conftest import need_tool

CONFIG = """\
[[budget-policy]]
name = "release freeze"
when = { tier = "critical" }
steps = [
  { remaining-below = "0%", action = "freeze", message = "only fixes and rollbacks ship" },
  { remaining-below = "25%", action = "warn" },
]
"""


def spec(job: str, tier: str = "critical") -> str:
    return f"""\
apiVersion: slospec/v1
service: {{name: {job}, owner: team-{job}, tier: {tier}}}
slis:
  - name: requests
    ratio:
      bad: http_requests_total{{job="{job}",code="500"}}
      total: http_requests_total{{job="{job}"}}
slos:
  - {{name: availability, sli: requests, target: 99.9%, window: 1d}}
"""


def counts(bad_every_other_minute: int, minutes: int = 1440, start: int = 1_700_000_000) -> str:
    """A day of per-minute counts: 1000 requests a minute, `bad` failures every other minute."""
    rows = ["timestamp,good,total"]
    for m in range(minutes):
        bad = bad_every_other_minute if m % 2 == 0 else 0
        rows.append(f"{start + m * 60},{1000 - bad},1000")
    return "\n".join(rows) + "\n"


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "internal error" not in result.output
    return result


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "slospec.toml").write_text(CONFIG)
    (tmp_path / "api.slo.yaml").write_text(spec("api"))
    (tmp_path / "intranet.slo.yaml").write_text(spec("intranet", tier="low"))
    # 0, 0.05 %, 0.1 % and 0.25 % of requests fail against a 0.1 % budget.
    for name, bad in (("healthy", 0), ("half", 1), ("spent", 2), ("exhausted", 5)):
        (tmp_path / f"{name}.csv").write_text(counts(bad))
    return tmp_path


def test_exhausted_budget_freezes_and_names_the_slo_budget_and_step(project: Path) -> None:
    result = run("gate", str(project / "api.slo.yaml"), "--data", str(project / "exhausted.csv"))
    assert result.exit_code == 1, result.output
    first = result.output.splitlines()[0]
    assert first.startswith("FREEZE ")
    assert "api/availability: -150.00% of the error budget left over 1d" in first
    assert "budget policy 'release freeze': freeze (less than 0% of the budget left): only fixes" in first
    assert result.output.splitlines()[-1] == "Deploy blocked: 1 SLO under a freeze."


@pytest.mark.parametrize(
    ("data", "status", "label", "left"),
    [("healthy", 0, "ok", "100.00%"), ("half", 0, "ok", "50.00%"), ("spent", 0, "WARN", "0.00%")],
)
def test_healthy_and_warned_budgets_let_the_deploy_through(
    project: Path, data: str, status: int, label: str, left: str
) -> None:
    result = run("gate", str(project / "api.slo.yaml"), "--data", str(project / f"{data}.csv"))
    assert result.exit_code == status, result.output
    assert result.output.splitlines()[0].startswith(label)
    assert f"{left} of the error budget left" in result.output
    assert result.output.endswith("Deploy allowed.\n")


def test_json_and_github_outputs_one_entry_per_slo(project: Path) -> None:
    args = ("gate", str(project / "api.slo.yaml"), "--data", str(project / "exhausted.csv"))
    data = json.loads(run(*args, "--format", "json").output)
    assert data == [
        {
            "path": str(project / "api.slo.yaml"),
            "line": 9,
            "service": "api",
            "slo": "availability",
            "window": "1d",
            "remaining": "-150.00",
            "action": "freeze",
            "budget_policy": "release freeze",
            "step": {"remaining_below": "0", "action": "freeze", "message": "only fixes and rollbacks ship"},
        }
    ]
    github = run(*args, "--format", "github")
    assert github.exit_code == 1
    assert github.output.startswith(f"::error file={project / 'api.slo.yaml'},line=9,title=slospec gate%3A FREEZE::")
    assert github.output.count("\n") == 1


def test_a_service_outside_every_budget_policy_passes(project: Path) -> None:
    result = run("gate", str(project / "intranet.slo.yaml"), "--data", str(project / "exhausted.csv"))
    assert result.exit_code == 0, result.output
    assert "no budget policy applies" in result.output


def test_without_a_budget_policy_the_gate_says_what_to_write(tmp_path: Path) -> None:
    (tmp_path / "api.slo.yaml").write_text(spec("api"))
    (tmp_path / "d.csv").write_text(counts(0))
    result = run("gate", str(tmp_path / "api.slo.yaml"), "--data", str(tmp_path / "d.csv"))
    assert result.exit_code == 2
    assert "no [[budget-policy]]" in result.output and 'action = "freeze"' in result.output


def test_gate_needs_data(project: Path) -> None:
    result = run("gate", str(project / "api.slo.yaml"))
    assert result.exit_code == 2
    assert "--data FILE" in result.output


MINUTES = 1500


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    promtool, prometheus = need_tool("promtool"), need_tool("prometheus")
    work = tmp_path_factory.mktemp("gate")
    end = int(time.time()) // 3600 * 3600 - 3600
    start = end - MINUTES * 60
    lines = ["# TYPE http_requests counter"]
    # api fails 0.5 % of requests (5x its 0.1 % budget); web fails none.
    for job, bad in (("api", 5), ("web", 0)):
        ok_total, bad_total = 0, 0
        ok_points, bad_points = [], []
        for minute in range(MINUTES + 1):
            if minute:
                ok_total += 1000 - bad
                bad_total += bad
            ok_points.append((start + minute * 60, ok_total))
            bad_points.append((start + minute * 60, bad_total))
        lines += [f'http_requests_total{{job="{job}",code="200"}} {v} {t}' for t, v in ok_points]
        lines += [f'http_requests_total{{job="{job}",code="500"}} {v} {t}' for t, v in bad_points]
    lines.append("# EOF")
    (work / "data.om").write_text("\n".join(lines) + "\n")
    (work / "prometheus.yml").write_text("global:\n  scrape_interval: 1m\n")
    (work / "slospec.toml").write_text(CONFIG)
    (work / "api.slo.yaml").write_text(spec("api"))
    (work / "web.slo.yaml").write_text(spec("web"))
    prometheus_server.backfill(promtool, work)
    with prometheus_server.running(prometheus, work, "--storage.tsdb.retention.time=30d") as port:
        prometheus_server.wait_ready(port)
        yield f"http://127.0.0.1:{port}", work, start, end


def test_real_prometheus_exhausted_freezes_healthy_passes(server) -> None:
    url, work, start, end = server
    window = ["--start", str(end - 86400), "--end", str(end)]
    exhausted = run("gate", str(work / "api.slo.yaml"), "--prometheus", url, *window, "--format", "json")
    assert exhausted.exit_code == 1, exhausted.output
    [verdict] = json.loads(exhausted.output)
    assert verdict["action"] == "freeze" and verdict["slo"] == "availability"
    assert float(verdict["remaining"]) == pytest.approx(-400, abs=1)  # 0.5 % spent of a 0.1 % budget
    healthy = run("gate", str(work / "web.slo.yaml"), "--prometheus", url, *window)
    assert healthy.exit_code == 0, healthy.output
    assert "web/availability: 100.00% of the error budget left" in healthy.output


def test_the_budget_policy_is_in_the_internal_appendix_only(project: Path) -> None:
    spec_path = project / "api.slo.yaml"
    spec_path.write_text(
        spec("api") + "slas:\n  - {name: api-contract, slo: availability, target: 99.5%, window: {calendar: month}}\n"
    )
    internal = run("compile", str(spec_path), "--target", "markdown", "--internal")
    assert internal.exit_code == 0, internal.output
    appendix = internal.output.split("## Appendix C. Error-budget policy", 1)[1]
    assert "The error-budget policy **release freeze** applies." in appendix
    assert "| less than 0% | freeze: deploys stop | only fixes and rollbacks ship |" in appendix
    assert appendix.index("less than 25%") < appendix.index("less than 0%")
    public = run("compile", str(spec_path), "--target", "markdown")
    assert "Error-budget policy" not in public.output
    outside = run("compile", str(project / "intranet.slo.yaml"), "--target", "markdown", "--internal")
    assert "Error-budget policy" not in outside.output
