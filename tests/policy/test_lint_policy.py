"""Organisation policy on a multi-format project (slospec, OpenSLO, Sloth, Pyrra,
slo-generator): violations at the offending line, a waiver's info, an expired waiver's
error, nothing for services outside the policy; named files, pre-commit, the cache."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.policy.project import CONFIG, build


def slospec(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(cwd / ".cache")}
    return subprocess.run(
        [sys.executable, "-m", "slospec", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=120
    )


def findings(result: subprocess.CompletedProcess) -> list[tuple[str, int, str, str]]:
    return [(Path(d["path"]).name, d["line"], d["code"], d["message"]) for d in json.loads(result.stdout)]


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return build(tmp_path)


def test_policy_findings_on_every_format_at_the_offending_line(project: Path) -> None:
    result = slospec("lint", "--select", "SLO6", "--format", "json", cwd=project)
    assert result.returncode == 1, result.stderr
    found = findings(result)
    services = project / "services"
    by_file: dict[str, list[tuple[int, str, str]]] = {}
    for name, line, code, message in found:
        by_file.setdefault(name, []).append((line, code, message))
    # OpenSLO: `tier: [critical]` on the SLO; the target 0.995 at its own line.
    api = services / "api.yaml"
    assert (line_of(api, "target: 0.995"), "SLO601") in {(l, c) for l, c, _ in by_file["api.yaml"]}
    message = next(m for l, c, m in by_file["api.yaml"] if l == line_of(api, "target: 0.995"))
    assert "policy 'tier-1' (Customer-facing critical services) requires a target of at least 99.9%" in message
    assert "promises 99.5%" in message
    # Sloth: its page alert is disabled.
    sloth = services / "payments.sloth.yaml"
    assert [(l, c) for l, c, _ in by_file["payments.sloth.yaml"]] == [(line_of(sloth, '- name: "requests"'), "SLO601")]
    assert "requires an alert that pages" in by_file["payments.sloth.yaml"][0][2]
    # slospec: a 7d window and no owner.
    weekly = services / "weekly.slo.yaml"
    got = {(l, c): m for l, c, m in by_file["weekly.slo.yaml"]}
    assert (
        "allows the windows 28d, 30d, month: SLO 'availability' uses 7d"
        in got[(line_of(weekly, "window: 7d"), "SLO601")]
    )
    assert "requires an owner" in got[(line_of(weekly, "name: weekly"), "SLO601")]
    # Pyrra (pyrra.dev/tier) and slo-generator (metadata.labels.tier) are judged too.
    assert any("promises 99%" in m for _, _, m in by_file["prometheus.pyrra.yaml"])
    assert any("promises 95%" in m for _, _, m in by_file["prom.slogen.yaml"])


def test_waiver_expired_waiver_and_services_outside_the_policy(project: Path) -> None:
    found = findings(slospec("lint", "--select", "SLO6", "--format", "json", cwd=project))
    billing = [(c, m) for name, _, c, m in found if name == "legacy-billing.slo.yaml"]
    assert billing == [
        (
            "SLO603",
            "policy 'tier-1' (Customer-facing critical services) is waived for service 'legacy-billing' until "
            "2099-03-31 (owner team-billing: being replaced by billing-v2 in Q1); it excuses 1 finding (min-target)",
        )
    ]
    search = {c: m for name, _, c, m in found if name == "search.slo.yaml"}
    assert set(search) == {"SLO601", "SLO602"}
    assert "expired on 2020-01-31 (owner team-search; reason: new index)" in search["SLO602"]
    names = {name for name, *_ in found}
    assert "intranet.slo.yaml" not in names  # tier low: outside the policy
    assert "checkout.slo.yaml" not in names  # meets it


def test_severities_and_exit_status(project: Path) -> None:
    services = project / "services"
    waived = slospec("lint", "services/legacy-billing.slo.yaml", "--select", "SLO6", cwd=project)
    assert waived.returncode == 0, waived.stdout  # an info does not fail the commit
    assert "SLO603 [info]" in waived.stdout
    expired = slospec("lint", "services/search.slo.yaml", "--select", "SLO6", cwd=project)
    assert expired.returncode == 1 and "SLO602 [error]" in expired.stdout
    outside = slospec("lint", str(services / "intranet.slo.yaml"), "--select", "SLO6", cwd=project)
    assert outside.returncode == 0 and outside.stdout.startswith("All checks passed")


def test_without_policy_nothing_changes(tmp_path: Path) -> None:
    project = build(tmp_path, config="")
    result = slospec("lint", "--select", "SLO6", cwd=project)
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("All checks passed")


def test_precommit_style_named_files_and_the_cache_follows_the_policy(project: Path) -> None:
    args = ("lint", "services/checkout.slo.yaml", "services/intranet.slo.yaml", "--select", "SLO6")
    first = slospec(*args, cwd=project)
    assert first.returncode == 0, first.stdout
    again = slospec(*args, cwd=project)  # from the cache
    assert again.stdout == first.stdout
    config = project / "slospec.toml"
    config.write_text(CONFIG.replace('min-target = "99.9%"', 'min-target = "99.99%"'))
    stricter = slospec(*args, cwd=project)  # the policy changed: the cached result is stale
    assert stricter.returncode == 1
    assert "checkout.slo.yaml" in stricter.stdout and "at least 99.99%" in stricter.stdout
    assert "intranet" not in stricter.stdout


def test_pyproject_table_and_sarif_carries_policy_help(tmp_path: Path) -> None:
    project = build(tmp_path, config="")
    (project / "slospec.toml").unlink()
    table = CONFIG.replace("[[policy]]", "[[tool.slospec.policy]]").replace("[[waiver]]", "[[tool.slospec.waiver]]")
    table = table.replace("[[budget-policy]]", "[[tool.slospec.budget-policy]]")
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n\n' + table)
    result = slospec("lint", "--select", "SLO6", "--format", "sarif", cwd=project)
    assert result.returncode == 1, result.stderr
    log = json.loads(result.stdout)
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert "policy" in rules["SLO601"]["help"]["markdown"].lower()
    results = [r for r in log["runs"][0]["results"] if r["ruleId"] == "SLO601"]
    assert results and all(r["properties"]["policy"] == "tier-1" for r in results)
    assert all(r["properties"]["policyDescription"] == "Customer-facing critical services" for r in results)


@pytest.mark.parametrize(
    ("config", "wanted"),
    [
        ('[[policy]]\nname = "a"\nmin-target = "99.9%"\ncolour = "red"\n', "policy.0.colour: unknown key"),
        (
            '[[policy]]\nname = "a"\n\n[[waiver]]\npolicy = "b"\nservice = "s"\nreason = "r"\nowner = "o"\n'
            "expires = 2027-01-01\n",
            "waiver[0].policy: no policy named 'b' (policies: a)",
        ),
        ('[[policy]]\nname = "a"\n\n[[waiver]]\npolicy = "a"\nservice = "s"\nreason = "r"\nowner = "o"\n', "expires"),
        ('[[policy]]\nname = "a"\nmin-target = "99.9"\n', "min-target"),
        ('[[policy]]\nname = "a"\nwindows = ["fortnight"]\n', "windows"),
        ('[[policy]]\nname = "a"\nrequire = ["blessing"]\n', "blessing"),
        (
            '[[policy]]\nname = "a"\nmin-target = "99.9%"\nmax-target = "99%"\n',
            "min-target 99.9% is above max-target 99%",
        ),
        ('[[policy]]\nname = "a"\n\n[[policy]]\nname = "a"\n', "a second policy named 'a'"),
        ('[[budget-policy]]\nsteps = [{ remaining-below = "0%", action = "panic" }]\n', "panic"),
        ('[[waiver]]\npolicy = "a"\nservice = "s"\nreason = "r"\nowner = "o"\nexpires = 2027-02-30\n', "invalid TOML"),
    ],
)
def test_bad_policy_configuration_is_a_clear_error(tmp_path: Path, config: str, wanted: str) -> None:
    (tmp_path / "slospec.toml").write_text(config)
    (tmp_path / "a.slo.yaml").write_text("apiVersion: slospec/v1\nservice:\n  name: a\n")
    result = slospec("lint", cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert wanted in result.stderr and "slospec.toml" in result.stderr
