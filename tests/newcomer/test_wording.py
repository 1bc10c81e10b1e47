"""Case 12 of issue 29: what contracts, messages and generated files say, said right."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import EXAMPLES, need_tool
from tests.newcomer.helpers import slospec, tree

CALENDAR_DAY = """\
apiVersion: slospec/v1
service:
  name: shop
  owner: team-shop
slis:
  - name: requests
    description: Shop requests not answered with a server error.
    ratio:
      bad: http_requests_total{job="shop",code=~"5.."}
      total: http_requests_total{job="shop"}
slos:
  - name: availability
    description: Nearly every request succeeds each day.
    sli: requests
    target: 99.99%
    window: {calendar: day, timeZone: UTC}
slas:
  - name: gold
    slo: availability
    target: 99.9%
    window: {calendar: month, timeZone: UTC}
    credits:
      - {below: 99.9%, credit: 10%}
      - {below: 99%, credit: 25%}
    support:
      - priority: P1
        response: 1h
"""


def test_contract_credit_and_support_wording(tmp_path: Path) -> None:
    tree(tmp_path, {"shop.slo.yaml": CALENDAR_DAY})
    text = slospec("compile", "shop.slo.yaml", "--target", "markdown", cwd=tmp_path).stdout
    assert "Only the lowest applicable tier" not in text
    assert "only the largest of their credits is due; credits do not add up" in text
    assert "| Priority | First response within |\n" in text and "Meaning" not in text
    described = CALENDAR_DAY.replace("response: 1h", "response: 1h\n        description: Checkout is down")
    (tmp_path / "shop.slo.yaml").write_text(described)
    text = slospec("compile", "shop.slo.yaml", "--target", "markdown", cwd=tmp_path).stdout
    assert "| Priority | First response within | Meaning |" in text and "Checkout is down" in text


def test_a_calendar_window_budget_reads_as_english(tmp_path: Path) -> None:
    tree(tmp_path, {"shop.slo.yaml": CALENDAR_DAY})
    out = slospec("lint", "shop.slo.yaml", cwd=tmp_path).stdout
    assert "the whole budget of a calendar day is 8.64s" in out, out
    assert "the whole a calendar" not in out


def test_budget_of_a_bare_ratio_says_it_looks_like_a_ratio(tmp_path: Path) -> None:
    result = slospec("budget", "0.999", "30d", cwd=tmp_path)
    assert result.returncode == 2 and "looks like a ratio; write it as a percentage: 99.9%" in result.stderr
    assert "1 in 1.01" not in result.stdout
    assert slospec("budget", "0.999%", "30d", cwd=tmp_path).returncode == 0  # said with %: meant


def test_promtool_tests_load_only_their_rule_file_and_assert_nothing_twice(tmp_path: Path) -> None:
    import subprocess

    from ruamel.yaml import YAML

    promtool = need_tool("promtool")
    specs = [str(EXAMPLES / "api.slo"), str(EXAMPLES / "website.slo")]
    for target in ("prometheus", "prometheus-tests"):
        assert slospec("compile", *specs, "--target", target, "-o", "out/", cwd=tmp_path).returncode == 0
    for name, service in (("payments-api.tests.yaml", "payments-api"), ("website.tests.yaml", "website")):
        data = YAML(typ="safe").load((tmp_path / "out" / name).read_text())
        assert data["rule_files"] == [f"{service}.rules.yaml"]
        for test in data["tests"]:
            checks = [json.dumps(a, sort_keys=True) for a in test["alert_rule_test"]]
            assert len(checks) == len(set(checks)), test["name"]
        absent = [t for t in data["tests"] if "SLOMetricsAbsent" in t["name"]]
        assert all(a["exp_labels"]["slo_service"] == service for a in absent[0]["alert_rule_test"][0]["exp_alerts"])
        run = subprocess.run([promtool, "test", "rules", name], cwd=tmp_path / "out", capture_output=True, text=True)
        assert run.returncode == 0, run.stdout + run.stderr
    # Written to one stream, the tests load every rule file together and still pass.
    joined = slospec("compile", *specs, "--target", "prometheus-tests", cwd=tmp_path).stdout
    (tmp_path / "out" / "all.tests.yaml").write_text(joined)
    run = subprocess.run([promtool, "test", "rules", "all.tests.yaml"], cwd=tmp_path / "out", capture_output=True)
    assert run.returncode == 0, run.stdout


def test_eval_times_carry_their_time_zone(tmp_path: Path) -> None:
    rows = ["timestamp,bad,total"]
    for hour in range(200):
        rows.append(f"2026-11-{2 + hour // 24:02d}T{hour % 24:02d}:00:00Z,{5000 if 100 < hour < 103 else 3},50000")
    tree(tmp_path, {"data.csv": "\n".join(rows) + "\n"})
    args = ["eval", str(EXAMPLES / "api.slo"), "--sli", "requests-ok", "--data", "data.csv", "--interval", "3600"]
    out = slospec(*args, cwd=tmp_path).stdout
    assert "fired 2026-11-06 06:00 UTC, resolved 2026-11-06 08:00 UTC" in out, out


def test_schema_refuses_two_schemas_at_once(tmp_path: Path) -> None:
    result = slospec("schema", "--config", "--openslo", cwd=tmp_path)
    assert result.returncode == 2 and "give one of them" in result.stderr
    assert (
        '"$id": "https://slospec.dev/schema/config.schema.json"' in slospec("schema", "--config", cwd=tmp_path).stdout
    )
