"""The selector fast path of SLO006 never accepts what the real PromQL parser rejects."""

from __future__ import annotations

import promql_parser
from hypothesis import given, settings
from hypothesis import strategies as st

from slospec.rules.invalid_query import _plain_selector

NAMES = st.from_regex(r"[A-Za-z_:][A-Za-z0-9_:]{0,12}", fullmatch=True)
LABELS = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True)
VALUES = st.text(st.sampled_from(list("ab5.*+?[]()|^$\\\"{}x-:/ ")), max_size=8)
OPS = st.sampled_from(["=", "!=", "=~", "!~"])


@st.composite
def selectors(draw) -> str:
    matchers = draw(st.lists(st.tuples(LABELS, OPS, VALUES), max_size=3))
    body = ",".join(f'{label}{op}"{value}"' for label, op, value in matchers)
    text = draw(NAMES) + (f"{{{body}}}" if matchers or draw(st.booleans()) else "")
    return text + draw(st.sampled_from(["", " ", ",", "}", "{"]))


@settings(deadline=None)
@given(selectors())
def test_fast_path_only_accepts_what_promql_accepts(query: str) -> None:
    if _plain_selector(query):
        promql_parser.parse(query)  # raises if the fast path was wrong
