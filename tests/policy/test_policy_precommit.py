"""The organisation policy in the real pre-commit: the shipped hooks, on commits that change
one file of a multi-format project under a slospec.toml policy."""

from __future__ import annotations

from pathlib import Path

from tests.policy.project import CONFIG, OPENSLO, SLOTH, native
from tests.test_precommit import commit, hook_repo, make_project, pre_commit_env  # noqa: F401 - fixtures


def test_policy_in_pre_commit(hook_repo, pre_commit_env, tmp_path: Path) -> None:  # noqa: F811 - fixtures
    files = {
        "slospec.toml": CONFIG,
        "specs/checkout.slo.yaml": native("checkout", "critical", "99.95%"),
        "specs/intranet.slo.yaml": native("intranet", "low", "99.5%"),
        "specs/legacy-billing.slo.yaml": native("legacy-billing", "critical", "99.5%"),
        "openslo/api.yaml": OPENSLO.replace("target: 0.995", "target: 0.999"),
        "sloth/payments.yaml": SLOTH.replace(
            "        disable: true\n      ticket_alert:\n", "        labels: {}\n      ticket_alert:\n"
        ),
    }
    project = make_project(tmp_path, hook_repo, pre_commit_env, files)

    # A service outside the policy may loosen its target.
    intranet = project / "specs" / "intranet.slo.yaml"
    intranet.write_text(intranet.read_text().replace("99.5%", "99%"))
    result = commit(project, pre_commit_env, "intranet is fine at 99 %")
    assert result.returncode == 0, result.stdout

    # A critical service may not: the slospec spec and the OpenSLO file alike.
    checkout = project / "specs" / "checkout.slo.yaml"
    checkout.write_text(checkout.read_text().replace("99.95%", "99.5%"))
    result = commit(project, pre_commit_env, "loosen checkout")
    assert result.returncode != 0
    assert "specs/checkout.slo.yaml:14:13: SLO601" in result.stdout
    assert "policy 'tier-1' (Customer-facing critical services) requires a target of at least 99.9%" in result.stdout
    (project / "specs" / "checkout.slo.yaml").write_text(native("checkout", "critical", "99.95%"))
    api = project / "openslo" / "api.yaml"
    api.write_text(api.read_text().replace("target: 0.999", "target: 0.99"))
    result = commit(project, pre_commit_env, "loosen api")
    assert result.returncode != 0
    assert "openslo/api.yaml:32:15: SLO601" in result.stdout and "promises 99%" in result.stdout
    api.write_text(api.read_text().replace("target: 0.99", "target: 0.999"))

    # The waived service commits, its waiver shown as information.
    billing = project / "specs" / "legacy-billing.slo.yaml"
    billing.write_text(billing.read_text().replace("99.5%", "99.6%"))
    result = commit(project, pre_commit_env, "legacy billing, still waived")
    assert result.returncode == 0, result.stdout
