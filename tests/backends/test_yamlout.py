"""The YAML writer: whatever plain data it is given, a YAML reader gets the same data back."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slospec.compile import yamlout


def load(text: str):
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).load(text)


def test_multi_line_text_whose_first_line_is_indented_keeps_its_spaces() -> None:
    for text in ("  indented first line\nsecond", "\n   after a blank line\nx\n", "   \nx"):
        out = yamlout.dump({"description": text, "items": [text]})
        assert load(out) == {"description": text, "items": [text]}, out


def test_line_separators_and_c1_controls_are_escaped_not_written_raw() -> None:
    for char in ("\x85", "\u2028", "\u2029", "\x80", "\x9f", "\x7f", "\ufeff"):
        text = f"one{char}two"
        out = yamlout.dump({"a": text, "b": f"line\n{text}\n"})
        assert char not in out
        assert load(out) == {"a": text, "b": f"line\n{text}\n"}


def test_carriage_returns_and_trailing_newlines_survive() -> None:
    data = {"crlf": "one\r\ntwo\r\n", "cr": "a\rb", "blank-tail": "a\nb\n\n\n", "lone": "\r"}
    assert load(yamlout.dump(data)) == data


scalars = st.text() | st.booleans() | st.none() | st.integers() | st.decimals(allow_nan=False, allow_infinity=False)
keys = st.text(max_size=40)
data = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4), max_leaves=12
)


def _plain(value):
    """What a YAML reader gives back for a value (Decimals come back as numbers)."""
    if isinstance(value, Decimal):
        return (
            float(value) if value != value.to_integral_value() or "E" in str(value) or "." in str(value) else int(value)
        )
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_any_string_loads_back_equal(text: str) -> None:
    out = yamlout.dump({"key": text, "list": [text, {"nested": text}]})
    assert load(out) == {"key": text, "list": [text, {"nested": text}]}, out


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(keys, data, max_size=5))
def test_any_mapping_loads_back_equal(value: dict) -> None:
    out = yamlout.dump(value)
    loaded = load(out) if out else {}
    assert _numbers(loaded) == _numbers(_plain(value)), out


def _numbers(value):
    """Compare numbers by value (1.0 == 1) but strings exactly."""
    if isinstance(value, dict):
        return {k: _numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers(v) for v in value]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return ("number", Decimal(repr(value)).normalize() if isinstance(value, float) else Decimal(value))
    return value
