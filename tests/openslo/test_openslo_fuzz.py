"""Property tests of the OpenSLO lane: any shape of object (wrong types where mappings, lists
or strings belong, missing parts, references to nothing) gives diagnostics, never a crash."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slospec.api import lint_sources
from slospec.config import Config
from slospec.source.loader import parse
from tests.conftest import assert_well_formed

CONFIG = Config()
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**6),
    st.floats(allow_nan=True),
    st.sampled_from(["", "28d", "1M", "x", "my-sli", "0.999", "gt", "burnrate", "prometheus"]),
)
ANY = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["spec", "name", "query", "duration", "target", "x"]), inner, max_size=3)
    ),
    max_leaves=8,
)

VALID_SLO = {
    "apiVersion": "openslo/v1",
    "kind": "SLO",
    "metadata": {"name": "availability"},
    "spec": {
        "service": "web",
        "indicatorRef": "ok-requests",
        "budgetingMethod": "Occurrences",
        "timeWindow": [{"duration": "28d", "isRolling": True}],
        "objectives": [{"target": 0.999}],
        "alertPolicies": [{"alertPolicyRef": "page"}],
    },
}
VALID_SLI = {
    "apiVersion": "openslo/v1",
    "kind": "SLI",
    "metadata": {"name": "ok-requests"},
    "spec": {
        "ratioMetric": {
            "counter": True,
            "good": {"metricSource": {"type": "Prometheus", "spec": {"query": "ok_total"}}},
            "total": {"metricSource": {"type": "Prometheus", "spec": {"query": "all_total"}}},
        }
    },
}
PATHS = [
    ("spec",),
    ("spec", "indicatorRef"),
    ("spec", "timeWindow"),
    ("spec", "timeWindow", 0),
    ("spec", "objectives"),
    ("spec", "objectives", 0),
    ("spec", "objectives", 0, "target"),
    ("spec", "alertPolicies"),
    ("spec", "alertPolicies", 0),
    ("metadata",),
    ("metadata", "name"),
    ("spec", "indicator"),
    ("spec", "ratioMetric"),
    ("spec", "ratioMetric", "good"),
    ("kind",),
]


def _set(data, path, value):
    import copy

    data = copy.deepcopy(data)
    node = data
    for key in path[:-1]:
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
        else:
            return data
    if isinstance(node, dict):
        node[path[-1]] = value
    elif isinstance(node, list) and isinstance(path[-1], int) and path[-1] < len(node):
        node[path[-1]] = value
    return data


def _lint(objects) -> list:
    from slospec.compile import yamlout

    text = yamlout.dump_all(objects)
    report = lint_sources([parse("fuzz.yaml", text, "openslo", CONFIG)], CONFIG, project=False)
    assert report.crashes == []
    return report.diagnostics


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from([VALID_SLO, VALID_SLI]), st.lists(st.tuples(st.sampled_from(PATHS), ANY), min_size=1, max_size=3)
)
def test_any_broken_object_gives_diagnostics_not_a_crash(base, edits) -> None:
    obj = base
    for path, value in edits:
        obj = _set(obj, path, value)
    diagnostics = _lint([obj, VALID_SLI if obj is not VALID_SLI else VALID_SLO])
    assert_well_formed(diagnostics)


def test_the_realistic_slips_of_the_issue_are_schema_errors_at_their_lines() -> None:
    for path, value, line_of in (
        (("spec", "indicator"), "my-sli", "indicator:"),
        (("spec", "timeWindow"), ["28d"], "- 28d"),
        (("spec", "objectives"), 0.999, "objectives:"),
    ):
        from slospec.compile import yamlout

        obj = _set(VALID_SLO, path, value)
        text = yamlout.dump_all([obj])
        diagnostics = _lint([obj])
        errors = [d for d in diagnostics if d.code == "SLO002"]
        assert errors, (path, diagnostics)
        expected_line = next(n for n, line in enumerate(text.splitlines(), 1) if line_of in line)
        assert expected_line in {d.span.line for d in errors}, (path, text, errors)
