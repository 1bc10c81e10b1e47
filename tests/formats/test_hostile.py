"""Hostile shapes in Sloth, Pyrra and slo-generator files (any field replaced by any value):
lint only ever answers with diagnostics, convert with a converted spec or one clear error."""

from __future__ import annotations

import copy
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slospec.api import lint_sources
from slospec.config import Config
from slospec.source.loader import file_format, parse
from tests.conftest import assert_well_formed

SEEDS = [
    {
        "version": "prometheus/v1",
        "service": "api",
        "labels": {"owner": "a"},
        "slos": [
            {
                "name": "requests",
                "objective": 99.9,
                "description": "d",
                "sli": {
                    "events": {
                        "error_query": 'sum(rate(x{code="5"}[{{.window}}]))',
                        "total_query": "sum(rate(x[{{.window}}]))",
                    }
                },
                "alerting": {
                    "name": "A",
                    "page_alert": {"labels": {"severity": "p"}},
                    "ticket_alert": {"disable": True},
                },
            },
            {
                "name": "raw",
                "objective": 95,
                "sli": {"raw": {"error_ratio_query": "1 - avg(up[{{.window}}])"}},
                "alerting": {"page_alert": {"disable": True}, "ticket_alert": {"disable": True}},
            },
        ],
    },
    {
        "apiVersion": "sloth.slok.dev/v1",
        "kind": "PrometheusServiceLevel",
        "metadata": {"name": "a"},
        "spec": {
            "service": "api",
            "slos": [
                {
                    "name": "r",
                    "objective": 99,
                    "sli": {
                        "events": {"errorQuery": "sum(rate(e[{{.window}}]))", "totalQuery": "sum(rate(t[{{.window}}]))"}
                    },
                    "alerting": {"name": "A"},
                }
            ],
        },
    },
    {
        "apiVersion": "pyrra.dev/v1alpha1",
        "kind": "ServiceLevelObjective",
        "metadata": {"name": "p"},
        "spec": {
            "target": "99.5",
            "window": "2w",
            "indicator": {
                "latency": {
                    "success": {"metric": 'h_bucket{job="a",le="0.3"}'},
                    "total": {"metric": 'h_count{job="a"}'},
                    "grouping": ["route"],
                }
            },
            "alerting": {"burnrates": True},
        },
    },
    {
        "apiVersion": "pyrra.dev/v1alpha1",
        "kind": "ServiceLevelObjective",
        "metadata": {"name": "b"},
        "spec": {"target": "99", "window": "7d", "indicator": {"bool_gauge": {"metric": "probe_success"}}},
    },
    {
        "apiVersion": "sre.google.com/v2",
        "kind": "ServiceLevelObjective",
        "metadata": {"name": "g", "labels": {"service_name": "s"}},
        "spec": {
            "description": "d",
            "backend": "prometheus",
            "method": "distribution_cut",
            "error_budget_policy": "default",
            "service_level_indicator": {"expression": 'h_bucket{a="b"}', "threshold_bucket": 0.25},
            "goal": 0.999,
        },
    },
    {
        "service_name": "s",
        "feature_name": "f",
        "slo_name": "n",
        "slo_target": 0.99,
        "backend": {
            "class": "Prometheus",
            "method": "good_bad_ratio",
            "measurement": {"filter_good": "g", "filter_valid": "v"},
        },
    },
]

HOSTILE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.sampled_from(["", "{{.window}}", "99.9", "1e400", "-1", "0s", "1ms", "1s", "1m", "4w", "1y", "le"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=6,
)


def _paths(data, at=()):
    yield at
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, at + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, at + (index,))


@st.composite
def mutated(draw) -> dict:
    data = copy.deepcopy(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        if draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(HOSTILE)
    return data


def _source(data: dict):
    text = json.dumps(data)  # JSON is YAML: the markers are the keys themselves
    return parse("hostile.yaml", text, file_format("hostile.yaml", text) or "yaml", Config())


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_hostile_shapes_only_ever_give_diagnostics(data: dict) -> None:
    source = _source(data)
    report = lint_sources([source], Config())
    assert report.crashes == []
    assert_well_formed(report.diagnostics, source.text)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_converted_data_is_valid_slospec_or_nothing(data: dict) -> None:
    from slospec import interop as formats
    from slospec.specmodel import schema

    source = _source(data)
    for doc in source.documents:
        if source.format not in formats.FORMATS:
            continue
        imported = formats.convert(doc, source.format)
        if imported.data is not None and not imported.problems:
            assert list(schema.problems(imported.data)) == []


def test_seeds_convert_cleanly() -> None:
    from slospec import interop as formats

    for seed in SEEDS:
        source = _source(seed)
        assert source.format in formats.FORMATS, seed
        imported = formats.convert(source.documents[0], source.format)
        assert imported.data is not None and imported.problems == [], imported.problems
