"""The selector fast path of SLO006: it takes the plain selectors specs are made of (so a
lint of ordinary specs never imports the PromQL parser, about 9 ms of start-up), and it
never accepts what the real parser rejects."""

from __future__ import annotations

import subprocess
import sys

import promql_parser
from hypothesis import given, settings
from hypothesis import strategies as st

from slospec.rules.invalid_query import _plain_selector
from slospec.slo.promql import KEYWORDS
from tests.conftest import EXAMPLES

NAMES = st.from_regex(r"[A-Za-z_:][A-Za-z0-9_:]{0,12}", fullmatch=True)
LABELS = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True)
VALUES = st.text(st.sampled_from(list('ab5.*+?[]()|^$\\"{}x-:/ ')), max_size=8)
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


PLAIN_VALUES = st.from_regex(r"[A-Za-z0-9_./: -]{0,10}", fullmatch=True)
PLAIN_REGEXES = st.sampled_from(["5..", "2..|3..", "GET|POST", "(a|b)", "[0-9]+", "api-.*", ".*"])


@st.composite
def plain_selectors(draw) -> str:
    """What specs are written with: a name and matchers with ordinary values and regexes."""
    matchers = draw(
        st.lists(
            st.one_of(
                st.tuples(LABELS, st.sampled_from(["=", "!="]), PLAIN_VALUES),
                st.tuples(LABELS, st.sampled_from(["=~", "!~"]), PLAIN_REGEXES),
            ),
            max_size=3,
        )
    )
    body = ",".join(f'{label}{op}"{value}"' for label, op, value in matchers)
    return draw(NAMES.filter(lambda n: n not in KEYWORDS)) + (f"{{{body}}}" if matchers else "")


@settings(deadline=None)
@given(plain_selectors())
def test_plain_selectors_take_the_fast_path(query: str) -> None:
    promql_parser.parse(query)  # the generator writes only valid PromQL
    assert _plain_selector(query), query


def test_linting_the_examples_never_imports_the_parser() -> None:
    """In a fresh interpreter, as a pre-commit hook runs: each example linted, then asked."""
    code = (
        "import sys; from pathlib import Path; from slospec.api import lint_text\n"
        "for name in sys.argv[1:]:\n"
        "    lint_text(Path(name).read_text(), Path(name).name)\n"
        "    if 'promql_parser' in sys.modules: print(name)\n"
    )
    examples = sorted(str(p) for p in EXAMPLES.glob("*.slo*"))
    assert len(examples) >= 10
    out = subprocess.run([sys.executable, "-c", code, *examples], capture_output=True, text=True, check=True)
    assert out.stdout == "", f"the first example that needed the parser: {out.stdout}"
