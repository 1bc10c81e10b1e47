"""The YAML front end: exact values, 1-based spans, and one clear error for each bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest

from slospec.diagnostics import Span
from slospec.source.yamlfile import MAX_DEPTH, YamlError, load_all


def test_values_are_exact_and_json_like() -> None:
    (doc,) = load_all("a: 99.95\nb: 1_000\nc: yes\nd: ~\ne: 2024-01-01\nf: 0o17\ng: '1'\n")
    assert doc.data == {"a": Decimal("99.95"), "b": 1000, "c": "yes", "d": None, "e": "2024-01-01", "f": 15, "g": "1"}
    assert isinstance(doc.data["a"], Decimal)


def test_spans_are_one_based_for_values_and_keys() -> None:
    (doc,) = load_all("service:\n  name: checkout\nslos:\n  - target: 99.9%\n")
    assert doc.source_map.values[("service", "name")] == Span(2, 9, 2, 17)
    assert doc.source_map.keys[("service", "name")] == Span(2, 3, 2, 7)
    assert doc.source_map.values[("slos", 0, "target")] == Span(4, 13, 4, 18)
    # a pointer that does not exist falls back to its nearest ancestor
    assert doc.source_map.locate(("slos", 0, "window")).line == 4


def test_multiple_documents_and_empty_ones() -> None:
    docs = load_all("a: 1\n---\nb: 2\n")
    assert [d.data for d in docs] == [{"a": 1}, {"b": 2}]
    assert docs[1].source_map.values[("b",)].line == 3
    assert load_all("") == []
    assert load_all("# only a comment\n") == []


def test_merge_keys_follow_yaml_semantics() -> None:
    (doc,) = load_all("base: &b {x: 1, y: 2}\nitem:\n  <<: *b\n  y: 3\n")
    assert doc.data["item"] == {"x": 1, "y": 3}


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        ("a: 1\na: 2\n", "duplicate key 'a' (first defined at line 1, column 1)", 2, 1),
        ("a: [1\nb: 2\n", "did not find expected ',' or ']'", 2, 2),
        ("a: !!python/object:os.system {}\n", "never constructs tagged objects", 1, 4),
        ("a: !!python/name:os.system\n", "unsupported YAML tag", 1, 4),
        ("a: !custom x\n", "unsupported YAML tag !custom", 1, 4),
        ("a: b\nc: \x00\n", "control characters are not allowed", 2, 4),
        ("a: *nowhere\n", "unknown alias *nowhere", 1, 4),
        ("a:\tb\n\tc: d\n", "invalid YAML", 2, 1),
    ],
)
def test_bad_yaml_gives_one_positioned_error(text, message, line, column) -> None:
    with pytest.raises(YamlError) as caught:
        load_all(text)
    assert message in caught.value.message
    assert (caught.value.span.line, caught.value.span.column) == (line, column)


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 12)]
    with pytest.raises(YamlError) as caught:
        load_all("\n".join(lines) + "\n")
    assert "expands to more than" in caught.value.message


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 100_000])
def test_deep_nesting_is_refused_without_crashing(depth: int) -> None:
    # The C composer recurses per level and would crash the interpreter; the event-driven
    # builder stops at the limit instead.
    with pytest.raises(YamlError) as caught:
        load_all("[" * depth + "]" * depth)
    assert f"deeper than {MAX_DEPTH}" in caught.value.message


def test_windows_line_endings_and_huge_integers() -> None:
    (doc,) = load_all("a: 1\r\nb: " + "9" * 5000 + "\r\n")
    assert doc.data["a"] == 1
    assert doc.source_map.values[("b",)].line == 2
