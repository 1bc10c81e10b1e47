"""slospec.slo.promql on hostile input: rendered selectors mean what they say to the real parser,
and the promtool-test generator never crashes on a matcher value (issue 17.3, issue 14.4)."""

from __future__ import annotations

from decimal import Decimal

import promql_parser
from hypothesis import given, settings
from hypothesis import strategies as st

from slospec.compile import CompileError, CompileOptions, prometheus_tests
from slospec.slo import promql
from slospec.specmodel import model

VALUES = st.text(st.sampled_from(list('ab5.*+?[](){}|^$\\"/x-:+Inf \n')), max_size=10)
LABELS = st.from_regex(r"[a-z_][a-z0-9_]{0,6}", fullmatch=True).filter(lambda s: s not in ("le", "__name__"))
OPS = st.sampled_from(["=", "!=", "=~", "!~"])


@settings(deadline=None)
@given(st.lists(st.tuples(LABELS, OPS, VALUES), max_size=3, unique_by=lambda m: m[0]))
def test_rendered_selectors_parse_back_to_the_same_matchers(matchers) -> None:
    selector = promql.Selector("req_total", tuple(promql.Matcher(*m) for m in matchers))
    text = selector.render()
    try:
        parsed = promql_parser.parse(text)
    except ValueError:
        # Only an invalid regex may make the text unparseable, never the quoting.
        assert any(op in ("=~", "!~") for _l, op, _v in matchers)
        return
    assert promql.selector(text) == selector or {m.value for m in parsed.matchers.matchers} == {
        v for _l, _o, v in matchers
    }


def test_le_matcher_matches_go_and_python_forms() -> None:
    whole = promql.le_matcher(Decimal(5))
    assert whole.matches("5") and whole.matches("5.0") and not whole.matches("50")
    assert promql.le_matcher(Decimal("0.3")).render() == 'le="0.3"'
    assert promql.bucket('h{job="a"}', Decimal(5)) == 'h_bucket{job="a", le=~"5(\\\\.0)?"}'


def spec_with(bad: str, total: str) -> model.Spec:
    return model.build(
        {
            "apiVersion": "slospec/v1",
            "service": {"name": "s"},
            "slis": [{"name": "r", "ratio": {"bad": bad, "total": total}}],
            "slos": [{"name": "a", "sli": "r", "target": "99%", "window": "1d"}],
        },
        "s.slo.yaml",
    )


@settings(deadline=None)
@given(LABELS, OPS, VALUES)
def test_test_generator_never_crashes_on_matcher_values(label, op, value) -> None:
    bad = promql.Selector("req_total", (promql.Matcher("job", "=", "x"), promql.Matcher(label, op, value))).render()
    if promql.parse_error(bad) is not None:
        return  # SLO006 reports it before compiling
    try:
        (artifact,) = prometheus_tests.compile([spec_with(bad, 'req_total{job="x"}')], CompileOptions())
    except CompileError:
        return
    assert "tests:" in artifact.text
