"""Native-histogram latency SLIs (`latency: {native: true}`) through every door that is not a
live server (issue 32): Pyrra's `latencyNative` imports to it, every export keeps it, the
linter judges no bucket on it, and the back ends that cannot take it say so."""

from __future__ import annotations

import subprocess
from pathlib import Path

from click.testing import CliRunner

from slospec.cli import main
from slospec.source import yamlfile
from tests.conftest import need_corpus, need_tool

SPEC = """\
apiVersion: slospec/v1
service:
  name: search
  owner: team-search
  runbook: https://runbooks.example.com/search
slis:
  - name: fast
    description: Searches answered within 250ms.
    latency:
      histogram: http_request_duration_seconds{job="search"}
      threshold: 250ms
      buckets: [100ms, 500ms]   # ignored for a native histogram: it has no le buckets
      native: true
slos:
  - name: latency
    description: Searches fast enough.
    sli: fast
    target: 99%
    window: 28d
"""

PYRRA = """\
apiVersion: pyrra.dev/v1alpha1
kind: ServiceLevelObjective
metadata:
  name: connect-latency
  labels:
    pyrra.dev/owner: team-connect
spec:
  target: "99"
  window: 2w
  indicator:
    latencyNative:
      latency: 200ms
      total:
        metric: connect_server_requests_duration_seconds{job="connect"}
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_native_threshold_between_declared_buckets_is_no_error(tmp_path: Path) -> None:
    result = run("lint", str(write(tmp_path, "search.slo.yaml", SPEC)), "--format", "json")
    assert result.exit_code == 0, result.output
    assert "SLO207" not in result.output


def test_compile_reads_the_histogram_with_histogram_fraction_and_promtool_accepts_it(tmp_path: Path) -> None:
    out = tmp_path / "rules"
    result = run("compile", str(write(tmp_path, "search.slo.yaml", SPEC)), "--target", "prometheus", "-o", f"{out}/")
    assert result.exit_code == 0, result.output
    rules = (out / "search.rules.yaml").read_text()
    assert 'histogram_fraction(0, 0.25, sum(rate(http_request_duration_seconds{job="search"}[5m])))' in rules
    assert "_bucket" not in rules and "le=" not in rules
    check = subprocess.run(
        [need_tool("promtool"), "check", "rules", str(out / "search.rules.yaml")], capture_output=True
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_the_unit_tests_say_a_native_slo_has_no_scenarios_and_pass(tmp_path: Path) -> None:
    source = write(tmp_path, "search.slo.yaml", SPEC)
    out = tmp_path / "rules"
    for target in ("prometheus", "prometheus-tests"):
        result = run("compile", str(source), "--target", target, "-o", f"{out}/")
        assert result.exit_code == 0, result.output
    tests = (out / "search.tests.yaml").read_text()
    assert "No burn scenarios for SLO search/latency: a native histogram" in tests
    ran = subprocess.run(
        [need_tool("promtool"), "test", "rules", "search.tests.yaml"], capture_output=True, text=True, cwd=out
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr


def test_dsl_and_openslo_round_trips_keep_native(tmp_path: Path) -> None:
    source = write(tmp_path, "search.slo.yaml", SPEC)
    dsl = run("convert", str(source), "--to", "dsl")
    assert dsl.exit_code == 0 and "native true" in dsl.stdout
    back = run("convert", str(write(tmp_path, "search.slo", dsl.stdout)), "--to", "yaml")
    assert back.exit_code == 0, back.output
    assert yamlfile.load_all(back.stdout)[0].data["slis"][0]["latency"]["native"] is True
    openslo = run("compile", str(source), "--target", "openslo")
    assert openslo.exit_code == 0, openslo.output
    (sli,) = [d.data for d in yamlfile.load_all(openslo.stdout) if d.data["kind"] == "SLI"]
    ratio = sli["spec"]["ratioMetric"]
    assert ratio["counter"] is False
    assert ratio["good"]["metricSource"]["spec"]["query"].startswith("histogram_fraction(0, 0.25, ")
    assert ratio["total"]["metricSource"]["spec"]["query"].startswith("histogram_count(")
    again = run("convert", str(write(tmp_path, "search.openslo.yaml", openslo.stdout)), "--to", "yaml")
    assert yamlfile.load_all(again.stdout)[0].data["slis"][0]["latency"]["native"] is True


def test_sloth_export_keeps_the_window_template(tmp_path: Path) -> None:
    result = run("compile", str(write(tmp_path, "search.slo.yaml", SPEC)), "--target", "sloth")
    assert result.exit_code == 0, result.output
    assert 'histogram_fraction(0, 0.25, sum(rate(http_request_duration_seconds{job="search"}[{{.window}}])))' in (
        result.stdout
    )


def test_pyrra_latency_native_becomes_a_native_latency_sli(tmp_path: Path) -> None:
    source = write(tmp_path, "connect.yaml", PYRRA)
    lint = run("lint", str(source))
    assert lint.exit_code == 0, lint.output
    converted = run("convert", str(source), "--to", "yaml")
    assert converted.exit_code == 0, converted.output
    latency = yamlfile.load_all(converted.stdout)[0].data["slis"][0]["latency"]
    assert latency == {
        "histogram": 'connect_server_requests_duration_seconds{job="connect"}',
        "threshold": "200ms",
        "native": True,
    }


def test_the_real_pyrra_latency_native_example_compiles_to_rules_promtool_accepts(tmp_path: Path) -> None:
    example = need_corpus() / "pyrra-head" / "examples" / "pyrra-connect-latency.yaml"
    if not example.exists():
        import pytest

        pytest.skip("the Pyrra example is not in the corpus")
    out = tmp_path / "rules"
    result = run("compile", str(example), "--target", "prometheus", "-o", f"{out}/")
    assert result.exit_code == 0, result.output
    (rules,) = out.glob("*.rules.yaml")
    assert "histogram_fraction(0, 0.2, sum(rate(connect_server_requests_duration_seconds" in rules.read_text()
    check = subprocess.run([need_tool("promtool"), "check", "rules", str(rules)], capture_output=True)
    assert check.returncode == 0, check.stdout + check.stderr
