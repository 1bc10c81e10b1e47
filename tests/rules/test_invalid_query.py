"""SLO006 judges the PromQL slospec actually generates (issue 15 item 2): regex syntax inside
matcher strings is valid, expressions that cannot be wrapped are reported, and OpenSLO queries
are parsed only when their data source is explicitly Prometheus, without `{{window}}`."""

from __future__ import annotations

import subprocess
import textwrap

import pytest
from ruamel.yaml import YAML

from slospec import compile as backends
from slospec.compile import CompileOptions
from slospec.specmodel import model
from tests.conftest import need_tool


def native(bad: str, total: str = 'http_requests_total{job="api"}') -> str:
    return textwrap.dedent(f"""\
        apiVersion: slospec/v1
        service:
          name: api
          owner: team-api
        slis:
          - name: requests
            ratio:
              bad: '{bad}'
              total: '{total}'
        slos:
          - name: availability
            sli: requests
            target: 99.9%
            window: 28d
        """)


def slo006(diagnostics) -> list[str]:
    return [d.message for d in diagnostics if d.code == "SLO006"]


VALID = [
    'http_requests_total{job="api",code=~"5[0-9]{2}"}',
    'http_requests_total{job="api",code=~"[45].."}',
    'http_requests_total{job="api",path=~"/api/v[12]/.*",code=~"5.."}',
    'http_requests_total{job="api",code=~"5..|429"}',
    'sum(rate(http_requests_total{job="api",code=~"5.."}[{{window}}]))',
    'label_replace(sum(rate(http_requests_total{code=~"5.."}[{{window}}])), "x", "$1", "job", "(.*)")',
]


@pytest.mark.parametrize("bad", VALID)
def test_valid_queries_pass(lint, bad: str) -> None:
    assert slo006(lint(native(bad))) == []


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        ('http_requests_total{job="api"} unless http_requests_total{code="200"}', "expression without {{window}}"),
        ('label_replace(http_requests_total{code=~"5.."}, "x", "$1", "job", "(.*)")', "expression without {{window}}"),
        ('rate(http_requests_total{code=~"5.."}[5m])', "expression without {{window}}"),
        ('http_requests_total{code=~"5.."} offset 5m', "offset"),
        ('http_requests_total{code=~"5.."}[{{window}}]', "which Prometheus rejects"),
        ('sum(rate(http_requests_total{job="api"}[{{window}}])', "does not parse"),
    ],
)
def test_queries_whose_rules_would_not_load_are_reported(lint, bad: str, says: str) -> None:
    (message,) = slo006(lint(native(bad)))
    assert says in message


def test_what_passes_lint_compiles_to_rules_promtool_accepts(tmp_path, lint) -> None:
    promtool = need_tool("promtool")
    for index, bad in enumerate(VALID):
        text = native(bad)
        assert slo006(lint(text)) == []
        spec = model.build(YAML(typ="safe").load(text), "api.slo.yaml")
        (rules,) = backends.load("prometheus").compile([spec], CompileOptions())
        path = tmp_path / f"{index}.rules.yaml"
        path.write_text(rules.text)
        result = subprocess.run([promtool, "check", "rules", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, bad + "\n" + result.stdout + result.stderr


def openslo(source: str, good: str, total: str, key: str = "query", counter: str = "false") -> str:
    def metric(query: str) -> str:
        return f"          metricSource:\n{source}            spec:\n              {key}: '{query}'\n"

    return (
        "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: api-availability\n"
        "spec:\n  service: api\n  budgetingMethod: Occurrences\n  timeWindow:\n"
        "    - duration: 28d\n      isRolling: true\n  indicator:\n    metadata:\n      name: api-ok\n"
        f"    spec:\n      ratioMetric:\n        counter: {counter}\n        good:\n{metric(good)}"
        f"        total:\n{metric(total)}  objectives:\n    - target: 0.999\n"
    )


PROMETHEUS = "            type: Prometheus\n"


def test_openslo_prometheus_queries_never_need_window(lint) -> None:
    text = openslo(PROMETHEUS, 'sum(rate(http_requests_total{code!~"5.."}[5m]))', "sum(rate(http_requests_total[5m]))")
    assert slo006(lint(text, "slo.yaml")) == []


def test_openslo_prometheus_queries_are_still_parsed(lint) -> None:
    text = openslo(PROMETHEUS, 'sum(rate(http_requests_total{code!~"5.."}[5m])', "sum(rate(http_requests_total[5m]))")
    (message,) = slo006(lint(text, "slo.yaml"))
    assert "does not parse as PromQL" in message


def test_nobl9_promql_key_is_a_query_string(lint) -> None:
    source = "            metricSourceRef: my-prometheus\n            type: Prometheus\n"
    text = openslo(
        source, 'sum(http_requests_total{code!~"5.."})', "sum(http_requests_total)", key="promql", counter="true"
    )
    assert slo006(lint(text, "slo.yaml")) == []
    broken = openslo(source, 'sum(http_requests_total{code!~"5.."}', "sum(http_requests_total)", key="promql")
    assert len(slo006(lint(broken, "slo.yaml"))) == 1


@pytest.mark.parametrize(
    "source",
    [
        "            type: Datadog\n",
        "            metricSourceRef: datadog-in-another-file\n",
    ],
)
def test_queries_of_other_or_unknown_sources_are_not_promql(lint, source: str) -> None:
    text = openslo(
        source,
        "sum:trace.http.request.hits{service:web,!http.status_code:5*}.as_count()",
        "sum:trace.http.request.hits{service:web}.as_count()",
    )
    assert slo006(lint(text, "slo.yaml")) == []
