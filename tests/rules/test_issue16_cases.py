"""The five cases of issue 16, as a new user meets them: lint, then compile to Prometheus
rules that promtool loads, with comments saying which tiers were derived and why."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import need_tool

HEAD = """\
apiVersion: slospec/v1
service:
  name: {service}
  owner: team-{service}
  runbook: https://runbooks.example.com/{service}
"""

RATIO_SLI = """\
slis:
  - name: requests
    description: Requests not answered with a server error.
    ratio:
      bad: http_requests_total{job="api",code=~"5.."}
      total: http_requests_total{job="api"}
"""

TICKETS = (
    HEAD.format(service="support")
    + """\
slis:
  - name: first-response
    description: Tickets that got a first human response within 4 hours.
    source: zendesk
    events:
      query: type:ticket
      condition: first_response_time <= 4h
slos:
  - name: first-response-time
    description: 80 % of support tickets get a response within 4 hours.
    sli: first-response
    target: 80%
    window: {calendar: month}
"""
)

NOBL9_LATENCY = """\
apiVersion: openslo/v1
kind: SLO
metadata:
  name: api-latency
  labels:
    team: [team-api]
spec:
  description: Share of API requests answered within 2.5 seconds.
  service: api
  indicator:
    metadata:
      name: api-fast-requests
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: Prometheus
            spec:
              query: sum(http_request_duration_seconds_bucket{job="api",le="2.5"})
        total:
          metricSource:
            type: Prometheus
            spec:
              query: sum(http_request_duration_seconds_count{job="api"})
  timeWindow:
    - duration: 28d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - displayName: acceptable
      target: 0.8
    - displayName: good
      target: 0.9
    - displayName: great
      target: 0.99
---
apiVersion: openslo/v1
kind: Service
metadata:
  name: api
spec:
  description: The public API.
"""

ONE_MINUTE_PER_DAY = (
    HEAD.format(service="gateway")
    + """\
operations:
  scrapeInterval: 5s
  evaluationInterval: 5s
  automatedMitigation: true
"""
    + RATIO_SLI
    + """\
slos:
  - name: daily
    description: At most 1 minute of downtime per day.
    sli: requests
    allowedDowntime: 1m
    window: {calendar: day}
"""
)

FIVE_NINES_WEEKLY = (
    HEAD.format(service="ledger")
    + """\
operations:
  scrapeInterval: 1m
"""
    + RATIO_SLI
    + """\
slos:
  - name: availability
    description: 99.999 % of requests succeed over 7 days.
    sli: requests
    target: 99.999%
    window: 7d
"""
)

RATIO_SLIP = (
    HEAD.format(service="api")
    + RATIO_SLI
    + """\
slos:
  - name: availability
    description: 99.5 % of requests succeed.
    sli: requests
    target: 0.995
    window: 28d
"""
)

SUPPRESSED_ON_TARGET = (
    HEAD.format(service="api")
    + RATIO_SLI
    + """\
slos:
  - name: availability
    description: 99.99 % of requests succeed per day.
    sli: requests
    target: 99.99%  # slospec: disable=SLO307
    window: 1d
    alerting:
      tiers:
        - {severity: page, longWindow: 1h, shortWindow: 5m, burnRate: 14.4}
"""
)


def line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.strip().startswith(start))


def severities(diagnostics, *levels):
    return [(d.code, d.span.line) for d in diagnostics if d.severity in levels]


def test_ticket_slo_without_alerting_is_not_an_error(lint) -> None:
    found = lint(TICKETS, select=["ALL"])
    assert severities(found, "error", "warning") == []
    assert not [d for d in found if d.code.startswith("SLO3")]


def test_nobl9_style_latency_objectives_are_not_errors(lint) -> None:
    found = lint(NOBL9_LATENCY, "api-latency.yaml", select=["ALL"])
    assert severities(found, "error") == [], [d.message for d in found]
    assert not [d for d in found if d.code.startswith("SLO3")]


def test_one_minute_per_day_reads_as_people_write_it(lint) -> None:
    found = lint(
        ONE_MINUTE_PER_DAY.replace(
            "allowedDowntime: 1m",
            "allowedDowntime: 1m\n    budgeting: {method: timeslices, slice: 7m, sliceTarget: 99%}",
        ),
        select=["ALL"],
    )
    texts = [d.message for d in found]
    assert any("99.931%" in t for t in texts), texts  # SLO107 about 7-minute slices
    assert not any("99.9305" in t for t in texts)
    assert severities(lint(ONE_MINUTE_PER_DAY, select=["ALL"]), "error", "warning") == []


def test_five_nines_weekly_at_one_minute_scrape_gets_no_generated_short_window(lint) -> None:
    found = lint(FIVE_NINES_WEEKLY, select=["ALL"])
    assert "SLO306" not in {d.code for d in found}
    alerts = [d for d in found if d.code.startswith("SLO3")]
    # No tier can fire before 6s of budget is gone: none is derived, and one info says so
    # on the target line, with the fix.
    assert [(d.code, d.severity, d.span.line) for d in alerts] == [
        ("SLO307", "info", line_of(FIVE_NINES_WEEKLY, "target:"))
    ]
    assert "policy: none" in alerts[0].message


def test_ratio_slip_is_one_finding(lint) -> None:
    found = lint(RATIO_SLIP, select=["ALL"])
    assert [(d.code, d.span.line) for d in found] == [("SLO103", line_of(RATIO_SLIP, "target:"))]
    assert "write 99.5%" in found[0].message


def test_slo307_is_suppressed_on_the_target_line(lint) -> None:
    found = lint(SUPPRESSED_ON_TARGET, select=["ALL"])
    assert not {"SLO307", "SLO003"} & {d.code for d in found}, [(d.code, d.message) for d in found]
    unsuppressed = lint(SUPPRESSED_ON_TARGET.replace("  # slospec: disable=SLO307", ""), select=["ALL"])
    assert [(d.code, d.span.line) for d in unsuppressed if d.code == "SLO307"] == [
        ("SLO307", line_of(SUPPRESSED_ON_TARGET, "target:"))
    ]


def compile_prometheus(tmp_path: Path, name: str, text: str) -> str:
    source = tmp_path / name
    source.write_text(text)
    out = tmp_path / f"{name}.rules.yaml"
    result = subprocess.run(
        [sys.executable, "-m", "slospec", "compile", str(source), "--target", "prometheus", "-o", str(out)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return str(out)


@pytest.mark.parametrize(
    ("name", "text", "says"),
    [
        ("api-latency.yaml", NOBL9_LATENCY, "burn rate lowered to 2.5x: 14.4x can never fire at 80%"),
        ("gateway.slo.yaml", ONE_MINUTE_PER_DAY, "alert tiers derived by slospec from 99.931% over a calendar day"),
        ("ledger.slo.yaml", FIVE_NINES_WEEKLY, "no alert tiers: SLO 'availability'"),
        ("api.slo.yaml", SUPPRESSED_ON_TARGET, "alert tiers as declared in the spec"),
    ],
)
def test_compiled_rules_pass_promtool_and_say_why(tmp_path: Path, name: str, text: str, says: str) -> None:
    promtool = need_tool("promtool")
    path = compile_prometheus(tmp_path, name, text)
    checked = subprocess.run([promtool, "check", "rules", path], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    rules = Path(path).read_text()
    assert says in rules
    assert "0.0099999" not in rules and "9999999999" not in rules


def test_one_minute_per_day_thresholds_are_exact(tmp_path: Path) -> None:
    rules = Path(compile_prometheus(tmp_path, "gateway.slo.yaml", ONE_MINUTE_PER_DAY)).read_text()
    assert "> 0.01 and" in rules  # the 14.4x page: 14.4 x 1/1440, exactly
    assert '"0.9993055555555556"' in rules  # the objective 1439/1440, as the nearest float64
    assert "SLO daily (99.931% over a calendar day" in rules


def test_ticket_slo_is_refused_by_prometheus_clearly(tmp_path: Path) -> None:
    source = tmp_path / "support.slo.yaml"
    source.write_text(TICKETS)
    result = subprocess.run(
        [sys.executable, "-m", "slospec", "compile", str(source), "--target", "prometheus"],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "comes from zendesk, not Prometheus" in result.stderr
    assert "Traceback" not in result.stderr


BUDGETS = (
    HEAD.format(service="edge")
    + """\
  dependencies:
    - {name: db, availability: 99.99%, critical: true}
operations:
  scrapeInterval: 5s
  evaluationInterval: 5s
"""
    + RATIO_SLI
    + """\
slos:
  - name: budgeted
    description: A time budget.
    sli: requests
    allowedDowntime: {downtime}
    window: {window}
    budgeting: {budgeting}
slas:
  - name: contract
    slo: budgeted
    target: 99.9%
    window: {calendar: month}
"""
)

LONG_NUMBER = r"\d{10,}|\d\.\d{8,}%"


@pytest.mark.parametrize("downtime", ["1m", "7m", "13s", "1h"])
@pytest.mark.parametrize("window", ["{calendar: day}", "7d", "{calendar: month}"])
@pytest.mark.parametrize("budgeting", ["occurrences", "{method: timeslices, slice: 7s, sliceTarget: 99%}"])
def test_time_budgets_print_readable_numbers(lint, downtime: str, window: str, budgeting: str) -> None:
    """Messages, annotations and contracts never print 28 digits for a time budget."""
    import re

    from slospec import compile as backends
    from slospec.api import lint_text
    from slospec.compile import CompileOptions
    from slospec.config import Config

    text = BUDGETS.replace("{downtime}", downtime).replace("{window}", window).replace("{budgeting}", budgeting)
    diagnostics = lint_text(text, "edge.slo.yaml", Config())
    for d in diagnostics:
        assert not re.search(LONG_NUMBER, d.message), d.message
    from slospec.source import yamlfile
    from slospec.specmodel import model

    spec = model.build(yamlfile.load_all(text)[0].data, "edge.slo.yaml")
    for target in ("markdown", "prometheus"):
        for artifact in backends.load(target).compile([spec], CompileOptions(internal=True)):
            readable = [
                line
                for line in artifact.text.splitlines()
                if "description" in line or line.startswith(("#", "|", "**"))
            ]
            for line in readable:
                assert not re.search(LONG_NUMBER, line), line


@pytest.mark.parametrize(
    ("percent", "neighbours", "shown"),
    [
        ("143900/1440", (), "99.931%"),  # 1 minute per day: 1439/1440
        ("99.95", (), "99.95%"),  # as written
        ("99.9995", (), "99.9995%"),
        ("4315700/43200", ("99.9",), "99.9005%"),  # 43 bad minutes of 30 days, next to 99.9%
        ("4315700/43200", (), "99.9%"),
        ("1/3", (), "0.33%"),
    ],
)
def test_readable_percent(percent: str, neighbours: tuple, shown: str) -> None:
    from fractions import Fraction

    from slospec.specmodel.quantities import readable_percent

    assert readable_percent(Fraction(percent), *(Fraction(n) for n in neighbours)) == shown


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("144/14400", "0.01"),
        ("1/240", "0.004166666666666667"),
        ("1439/1440", "0.9993055555555556"),
        ("1/1000", "0.001"),
    ],
)
def test_machine_numbers_are_exact(value: str, text: str) -> None:
    from fractions import Fraction

    from slospec.specmodel.quantities import format_exact

    assert format_exact(Fraction(value)) == text
    assert float(text) == float(Fraction(value))
