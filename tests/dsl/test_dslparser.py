"""The generated DSL parser (slospec/source/dsl/parser.py) is the grammar's: fresh, and parsing as lark does."""

from __future__ import annotations

import functools
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grammar import build_parser as dslparser_build
from slospec import resources
from slospec.source.dsl import front as dsl
from tests.conftest import CORPUS, EXAMPLES, examples
from tests.dsl.test_dsl import BITS, SEEDS

GRAMMAR = resources.read_text("grammar/slospec.lark")
FILES = sorted(EXAMPLES.glob("*.slo")) + (sorted(CORPUS.rglob("*.slo")) if CORPUS.is_dir() else [])


def test_the_generated_parser_is_made_from_the_current_grammar() -> None:
    source = dslparser_build.TARGET.read_text(encoding="utf-8")
    made_from = re.search(r"grammar sha256 ([0-9a-f]{64})", source)
    assert made_from is not None
    assert made_from.group(1) == dslparser_build.digest(GRAMMAR), (
        "grammar/slospec.lark changed: run `python grammar/build_parser.py` and commit slospec/source/dsl/parser.py"
    )


@functools.cache
def lark_parser() -> Any:
    lark = pytest.importorskip("lark")
    return lark.Lark(GRAMMAR, **dslparser_build.OPTIONS)


def shape(node: Any) -> Any:
    """A parse tree as plain data: rule names, tokens with their types and every position."""
    if hasattr(node, "children"):
        meta = node.meta
        where = (meta.line, meta.column, meta.end_line, meta.end_column) if not meta.empty else None
        return (node.data, where, [shape(child) for child in node.children])
    return (node.type, str(node), node.line, node.column, node.end_line, node.end_column, node.start_pos)


def outcome(parser: Any, text: str) -> Any:
    """The tree, or what the error says (its kind, place and what was expected)."""
    try:
        return shape(parser.parse(text))
    except Exception as exc:  # noqa: BLE001 - both parsers' errors, compared by what they carry
        expected = getattr(exc, "expected", None)
        return (
            type(exc).__name__,
            getattr(exc, "line", None),
            getattr(exc, "column", None),
            getattr(exc, "pos_in_stream", None),
            sorted(expected) if expected is not None else None,
            str(getattr(exc, "token", "")),
        )


def same(text: str) -> None:
    assert outcome(dsl.parser(), text) == outcome(lark_parser(), text)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_it_parses_every_file_and_every_truncation_as_lark_does(path) -> None:
    text = path.read_text(encoding="utf-8")
    same(text)
    lines = text.splitlines(True)
    for cut in range(len(lines)):
        same("".join(lines[:cut]))
        same("".join(lines[:cut]) + lines[cut][: len(lines[cut]) // 2])


@settings(max_examples=examples(15), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_it_parses_mutated_input_as_lark_does(data) -> None:
    text = list(data.draw(st.sampled_from(SEEDS)))
    for _ in range(data.draw(st.integers(1, 5))):
        at = data.draw(st.integers(0, len(text)))
        if data.draw(st.booleans()):
            text[at:at] = list(data.draw(st.sampled_from(BITS)))
        else:
            del text[at : at + data.draw(st.integers(1, 20))]
    same("".join(text))


def test_parsing_the_dsl_touches_no_cache(tmp_path, monkeypatch) -> None:
    """The parser is code in the package: nothing is built, read or written per user (the
    grammar cache it replaces had to defend a pickle file against planted files)."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    home = tmp_path / "cache"
    home.mkdir()
    code = (
        f"from slospec.source.dsl import front; print(len(front.load_all(open({str(EXAMPLES / 'api.slo')!r}).read())))"
    )
    env = {"XDG_CACHE_HOME": str(home), "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=60)
    assert done.stdout.strip() == "1", done.stderr
    assert list(home.iterdir()) == [] and list(tmp_path.iterdir()) == [home]
