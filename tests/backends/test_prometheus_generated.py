"""Every example and a set of varied specs, compiled to rules and promtool tests and judged by
promtool: every rule file loads, every generated test passes, no series is read before it is
recorded, and no range is shorter than two scrapes (issue 17, items 1-5 and 7)."""

from __future__ import annotations

import json
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from slospec import compile as backends
from slospec.api import load_specs
from slospec.compile import CompileOptions
from slospec.config import Config
from slospec.slo import promql
from slospec.specmodel import model
from tests.conftest import EXAMPLES, need_tool

SVC = "svc"


def spec(name: str, slis: list, slos: list, **extra) -> dict:
    return {
        "apiVersion": "slospec/v1",
        "service": {"name": name, "owner": "team", **extra.pop("service", {})},
        "slis": slis,
        "slos": slos,
        **extra,
    }


def ratio(name: str, **queries) -> dict:
    return {"name": name, "ratio": queries}


VARIED = {
    # Two SLOs on one SLI: each scenario feeds the sibling too.
    "shared": spec(
        "shared",
        [ratio("req", bad='req_total{job="shared",code=~"5.."}', total='req_total{job="shared"}')],
        [
            {"name": "tight", "sli": "req", "target": "99.9%", "window": "28d"},
            {"name": "loose", "sli": "req", "target": "99%", "window": "7d"},
        ],
    ),
    # A `good` selector with a negative matcher.
    "negative": spec(
        "negative",
        [ratio("ok", good='req_total{job="neg",code!~"5.."}', total='req_total{job="neg"}')],
        [{"name": "availability", "sli": "ok", "target": "99.5%", "window": "28d"}],
    ),
    # A `for:` on one tier only.
    "pertier": spec(
        "pertier",
        [ratio("req", bad='req_total{job="pt",code="500"}', total='req_total{job="pt"}')],
        [
            {
                "name": "availability",
                "sli": "req",
                "target": "99.9%",
                "window": "30d",
                "alerting": {
                    "tiers": [
                        {"severity": "page", "longWindow": "1h", "shortWindow": "5m", "burnRate": 14.4, "for": "2m"},
                        {"severity": "page", "longWindow": "6h", "shortWindow": "30m", "burnRate": 6},
                        {"severity": "ticket", "longWindow": "3d", "shortWindow": "6h", "burnRate": 1, "for": "10m"},
                    ]
                },
            }
        ],
    ),
    # No alerts at all: the recording rules must still be complete.
    "none": spec(
        "none",
        [ratio("req", bad='req_total{job="none",code="500"}', total='req_total{job="none"}')],
        [{"name": "availability", "sli": "req", "target": "99.9%", "window": "28d", "alerting": {"policy": "none"}}],
    ),
    # One-minute time slices at a 60s scrape.
    "slices": spec(
        "slices",
        [ratio("req", bad='req_total{job="ts",code="500"}', total='req_total{job="ts"}')],
        [
            {
                "name": "availability",
                "sli": "req",
                "target": "99%",
                "window": "28d",
                "budgeting": {"method": "timeslices", "slice": "1m", "sliceTarget": "95%"},
            }
        ],
        operations={"scrapeInterval": "60s", "evaluationInterval": "30s"},
    ),
    # A daily downtime allowance on a probe.
    "downtime": spec(
        "downtime",
        [{"name": "up", "uptime": {"probe": 'probe_success{job="dt"}', "interval": "15s"}}],
        [
            {
                "name": "daily",
                "sli": "up",
                "allowedDowntime": "10m",
                "window": {"calendar": "day"},
                "budgeting": {"method": "timeslices", "slice": "1m", "sliceTarget": "100%"},
            }
        ],
    ),
    # Names at the edge of what people write.
    "long": spec(
        "a-very-long-service-name-that-keeps-going-and-going-for-ever",
        [ratio("req", bad='req_total{job="long",code="500"}', total='req_total{job="long"}')],
        [
            {
                "name": "an-equally-long-objective-name-about-availability-of-requests",
                "sli": "req",
                "target": "99.95%",
                "window": "28d",
            }
        ],
    ),
    # `le="+Inf"` and regex metacharacters in matcher values; template text in the runbook and labels.
    "matchers": spec(
        "matchers",
        [
            ratio("fast", good='h_bucket{job="m",le="0.5"}', total='h_bucket{job="m",le="+Inf"}'),
            ratio(
                "api",
                bad='req_total{path=~"/api/v[12]/.*",code=~"5[0-9]{2}"}',
                total='req_total{path=~"/api/v[12]/.*"}',
            ),
        ],
        [
            {"name": "fast", "sli": "fast", "target": "99%", "window": "28d"},
            {
                "name": "api",
                "sli": "api",
                "target": "99.9%",
                "window": "28d",
                "alerting": {"runbook": 'https://wiki/{{ 7*7 }}/{{ query "up" }}', "labels": {"team": "{{ $value }}"}},
            },
        ],
    ),
    # A latency threshold in whole seconds (Go `le="5"`, Python `le="5.0"`) and a 90 % target,
    # where the 14.4x page tier can never fire.
    "latency": spec(
        "latency",
        [{"name": "lat", "latency": {"histogram": 'lat_seconds{job="lat"}', "threshold": "5s"}}],
        [{"name": "fast", "sli": "lat", "target": "90%", "window": "28d"}],
    ),
}


def build(name: str) -> model.Spec:
    return model.build(json.loads(json.dumps(VARIED[name])), f"{name}.slo.yaml")


def example_specs() -> list[model.Spec]:
    paths = sorted(str(p) for p in EXAMPLES.glob("*.slo.yaml")) + sorted(str(p) for p in EXAMPLES.glob("*.slo"))
    specs, problems = load_specs(paths, Config())
    assert not [p for p in problems if p.severity == "error"]
    return specs


def compile_to(specs, target):
    try:
        return backends.load(target).compile(specs, CompileOptions())
    except backends.CompileError:
        return []


def write_all(tmp: Path, specs: list[model.Spec]) -> tuple[list[Path], list[Path]]:
    rules, tests = [], []
    for spec in specs:
        for artifact in compile_to([spec], "prometheus"):
            (tmp / artifact.name).write_text(artifact.text)
            rules.append(tmp / artifact.name)
        for artifact in compile_to([spec], "prometheus-tests"):
            (tmp / artifact.name).write_text(artifact.text)
            tests.append(tmp / artifact.name)
    return rules, tests


def rule_groups(text: str) -> list[dict]:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(text)["groups"]


def static_problems(text: str, scrape_seconds: dict[str, int]) -> list[str]:
    """Series read before they are recorded (earlier in the group, or in an earlier group of
    the file: the tests' group_eval_order, one evaluation old on a server), and ranges
    shorter than two scrapes."""
    problems = []
    recorded: set[str] = set()
    for group in rule_groups(text):
        scrape = scrape_seconds.get(re.sub(r"(\.long)?(\.\d+)?$", "", group["name"]), 15)
        for rule in group["rules"]:
            expr = str(rule["expr"])
            for name in promql.metric_names(expr):
                if name.startswith("slo:") and name not in recorded:
                    problems.append(
                        f"{group['name']}: {rule.get('record') or rule['alert']} reads {name} before it is recorded"
                    )
            for seconds in promql.ranges(expr):
                if seconds < 2 * scrape:
                    problems.append(f"{group['name']}: range of {seconds}s in {expr!r} is under two scrapes")
            if "record" in rule:
                recorded.add(rule["record"])
    return problems


def scrapes(specs) -> dict[str, int]:
    from slospec.slo.facts import resolve

    return {
        f"slospec-{s.service.name}-{slo.name}": int(resolve(s, None).scrape_interval.seconds)
        for s in specs
        for slo in s.slos
    }


ALL_VARIED = sorted(VARIED)


def test_every_example_and_varied_spec_loads_and_its_tests_pass(tmp_path: Path) -> None:
    promtool = need_tool("promtool")
    specs = example_specs() + [build(n) for n in ALL_VARIED]
    # .slo and .slo.yaml examples describe the same services: one directory each.
    rules, tests = [], []
    for index, spec in enumerate(specs):
        folder = tmp_path / str(index)
        folder.mkdir()
        r, t = write_all(folder, [spec])
        rules += r
        tests += t
    assert len(rules) >= len(ALL_VARIED) + 8
    check = subprocess.run([promtool, "check", "rules", *map(str, rules)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    seen = set()
    for path in tests:
        texts = (path.read_text(), *(p.read_text() for p in path.parent.glob("*.rules.yaml")))
        if texts in seen:
            continue  # the .slo and .slo.yaml forms of an example compile to the same files
        seen.add(texts)
        run = subprocess.run(
            [promtool, "test", "rules", path.name], capture_output=True, text=True, cwd=path.parent, timeout=600
        )
        assert run.returncode == 0, f"{path}\n{run.stdout}{run.stderr}"
    problems = []
    for path in rules:
        problems += static_problems(path.read_text(), scrapes(specs))
    assert problems == []


def test_several_specs_make_one_rule_file_holding_every_group(tmp_path: Path) -> None:
    # Issue 17.1: `compile a b -o all.rules.yaml` wrote several YAML documents into one file.
    from click.testing import CliRunner

    from slospec.cli import main

    paths = []
    for name in ("shared", "negative", "pertier", "none"):
        path = tmp_path / f"{name}.slo.yaml"
        path.write_text(json.dumps(VARIED[name]))
        paths.append(str(path))
    out = tmp_path / "all.rules.yaml"
    result = CliRunner().invoke(main, ["compile", *paths, "--target", "prometheus", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "\n---" not in text
    names = [g["name"] for g in rule_groups(text)]
    # One group per SLO (5), plus a slower `.long` group where the ticket windows move.
    assert len({n.removesuffix(".long") for n in names}) == 5 and len(set(names)) == len(names)
    stdout = CliRunner().invoke(main, ["compile", *paths, "--target", "prometheus"]).output
    assert [g["name"] for g in rule_groups(stdout)] == names
    promtool = need_tool("promtool")
    check = subprocess.run([promtool, "check", "rules", str(out)], capture_output=True, text=True)
    assert check.returncode == 0 and "SUCCESS: 5" not in check.stdout or "rules found" in check.stdout


def test_two_specs_with_the_same_group_name_are_refused() -> None:
    first, second = build("none"), model.build(json.loads(json.dumps(VARIED["none"])), "copy.slo.yaml")
    with pytest.raises(backends.CompileError, match="both define rule group 'slospec-none-availability'"):
        backends.load("prometheus").compile([first, second], CompileOptions())


def test_policy_none_records_every_series_it_reads() -> None:
    # Issue 17.2: slo:burn_rate:ratio read slo:sli_error:ratio_rate5m, never recorded.
    (artifact,) = compile_to([build("none")], "prometheus")
    assert static_problems(artifact.text, {}) == []
    assert "record: slo:sli_error:ratio_rate5m" in artifact.text
    (uptime,) = compile_to([s for s in example_specs() if s.service.name == "trading-gateway"][:1], "prometheus")
    assert static_problems(uptime.text, {"slospec-trading-gateway-daily-uptime": 5}) == []


def generated_tests(name: str) -> str:
    (artifact,) = compile_to([build(name)], "prometheus-tests")
    return artifact.text


def test_shared_sli_scenarios_expect_the_sibling_alerts() -> None:
    # Issue 17.3: the outage of one SLO pages its sibling on the same SLI too.
    text = generated_tests("shared")
    assert "No burn scenarios" not in text
    from ruamel.yaml import YAML

    tests = YAML(typ="safe").load(text)["tests"]
    loose = next(t for t in tests if t["name"].startswith("shared/loose: a total outage"))
    paged = {a["exp_labels"]["slo_name"] for check in loose["alert_rule_test"] for a in check["exp_alerts"]}
    assert paged == {"tight", "loose"}  # the tighter sibling pages first on the same outage


def test_negative_matcher_series_stay_inside_the_total() -> None:
    text = generated_tests("negative")
    assert "No burn scenarios" not in text
    series = re.findall(r"series: (.+)", text)
    total = promql.selector('req_total{job="neg"}')
    for line in series:
        if "unrelated" in line:
            continue
        sel = promql.selector(line.strip("'\""))
        assert total.matches(sel.name, {m.label: m.value for m in sel.matchers})


def test_per_tier_for_gets_its_own_rule() -> None:
    (artifact,) = compile_to([build("pertier")], "prometheus")
    alerts = [r for g in rule_groups(artifact.text) for r in g["rules"] if r.get("alert") == "SLOBudgetBurnPage"]
    assert sorted(str(a.get("for")) for a in alerts) == ["2m", "None"]
    assert sorted(a["labels"]["slo_for"] for a in alerts) == ["0s", "2m"]  # distinct alert series


def test_matcher_values_are_never_python_regexes() -> None:
    # Issue 17.3: le="+Inf" (and `[12]`, `{2}`) in matcher values made an internal error.
    text = generated_tests("matchers")
    assert "No burn scenarios" not in text
    assert 'le=\\"+Inf\\"' in text or 'le="+Inf"' in text


def test_outage_claims_name_the_tier_that_fires_and_the_scrape_interval() -> None:
    # Issue 17.4: a 90 % target's 14.4x tier cannot fire (threshold 1.44); the claim used it.
    text = generated_tests("latency")
    claims = re.findall(r"a total outage pages ([\d.]+)s after it starts \(tier ([\d.]+)x", text)
    assert claims and all(Decimal(rate) * Decimal("0.1") < 1 for _s, rate in claims)
    assert "scrape every 15s" in text


def test_time_slice_ranges_cover_two_scrapes() -> None:
    # Issue 17.5: slice 1m at a 60s scrape gave rate(...[1m]), which returns nothing.
    (artifact,) = compile_to([build("slices")], "prometheus")
    assert "[1m]" not in artifact.text
    assert static_problems(artifact.text, {"slospec-slices-availability": 60}) == []


def test_template_text_in_labels_and_annotations_is_printed_not_run(tmp_path: Path) -> None:
    # Issue 17.7: `{{ 7*7 }}` made the file unloadable; `{{ query "..." }}` would run at alert time.
    (artifact,) = compile_to([build("matchers")], "prometheus")
    alert = next(
        r
        for g in rule_groups(artifact.text)
        for r in g["rules"]
        if r.get("alert") == "SLOBudgetBurnPage" and r["labels"]["slo_name"] == "api"
    )
    assert alert["annotations"]["runbook_url"] == ('https://wiki/{{ "{{" }} 7*7 }}/{{ "{{" }} query "up" }}')
    promtool = need_tool("promtool")
    path = tmp_path / "rules.yaml"
    path.write_text(artifact.text)
    check = subprocess.run([promtool, "check", "rules", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    # The generated promtool test expects the text exactly as written in the spec.
    from ruamel.yaml import YAML

    tests = YAML(typ="safe").load(generated_tests("matchers"))["tests"]
    expected = [
        a["exp_annotations"].get("runbook_url")
        for t in tests
        for c in t["alert_rule_test"]
        for a in c["exp_alerts"]
        if a["exp_labels"]["slo_name"] == "api"
    ]
    assert 'https://wiki/{{ 7*7 }}/{{ query "up" }}' in expected


def test_lint_warns_where_a_slice_is_under_two_scrapes(lint) -> None:
    import io

    from ruamel.yaml import YAML

    buffer = io.StringIO()
    YAML().dump(VARIED["slices"], buffer)
    found = [d for d in lint(buffer.getvalue()) if d.code == "SLO306"]
    assert len(found) == 1 and found[0].severity == "warning"
    assert "1m time slice holds fewer than two scrapes" in found[0].message and "over 2m" in found[0].message
    assert found[0].span.line == buffer.getvalue().splitlines().index("    slice: 1m") + 1


def test_several_specs_make_one_test_file_that_passes(tmp_path: Path) -> None:
    # Issue 17.1 for the tests: one file, one document, every spec's scenarios, all passing
    # with every spec's rules loaded (a scenario of one service is expected to page only it).
    promtool = need_tool("promtool")
    specs = [build(n) for n in ("negative", "matchers")]
    for artifact in backends.load("prometheus").compile(specs, CompileOptions()):
        (tmp_path / artifact.name).write_text(artifact.text)
    module = backends.load("prometheus-tests")
    text = module.join(module.compile(specs, CompileOptions()))
    assert "\n---" not in text
    (tmp_path / "all.tests.yaml").write_text(text)
    run = subprocess.run(
        [promtool, "test", "rules", "all.tests.yaml"], capture_output=True, text=True, cwd=tmp_path, timeout=600
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert text.count("missing SLI data raises SLOMetricsAbsent") == 1


def test_one_test_file_says_how_to_point_it_at_one_rule_file(tmp_path: Path) -> None:
    # `-o all.rules.yaml` and `-o all.tests.yaml`: the tests name each service's rule file, so
    # the header says so once, and following it (list all.rules.yaml instead) passes promtool.
    promtool = need_tool("promtool")
    from ruamel.yaml import YAML

    specs = [build(n) for n in ("negative", "matchers")]
    rules = backends.load("prometheus")
    (tmp_path / "all.rules.yaml").write_text(rules.join(rules.compile(specs, CompileOptions())))
    module = backends.load("prometheus-tests")
    text = module.join(module.compile(specs, CompileOptions()))
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert sum(line.startswith("# Generated by slospec from ") for line in header) == 1
    assert sum("list that file under rule_files instead" in line for line in header) == 1
    data = YAML(typ="safe").load(text)
    data["rule_files"] = ["all.rules.yaml"]
    with (tmp_path / "all.tests.yaml").open("w") as out:
        YAML().dump(data, out)
    run = subprocess.run(
        [promtool, "test", "rules", "all.tests.yaml"], capture_output=True, text=True, cwd=tmp_path, timeout=600
    )
    assert run.returncode == 0, run.stdout + run.stderr
