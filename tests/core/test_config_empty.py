"""An empty or blank configuration file is read without the TOML parser, with the same result."""

from __future__ import annotations

import tomllib
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from slospec.config import ConfigError, from_data, load
from tests.conftest import examples

BLANKS = st.lists(st.sampled_from([" ", "\t", "\n", "\r\n", "\r", "\ufeff", "\x0c", "# note\n", "\u00a0"]), max_size=6)


@settings(max_examples=examples(3), deadline=None)
@given(BLANKS)
def test_a_blank_file_loads_as_toml_says(tmp_path_factory, parts: list[str]) -> None:
    text = "".join(parts)
    path = Path(tmp_path_factory.mktemp("cfg")) / "slospec.toml"
    path.write_bytes(text.encode("utf-8"))
    try:
        expected = from_data(tomllib.loads(text), path)
    except tomllib.TOMLDecodeError as exc:
        try:
            load(path, search=False)
        except ConfigError as got:
            assert str(got) == f"{path}: invalid TOML: {exc}"
            return
        raise AssertionError(f"{text!r} is invalid TOML but loaded") from None
    assert load(path, search=False) == expected
