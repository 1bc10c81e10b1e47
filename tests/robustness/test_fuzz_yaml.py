"""Property-based fuzzing of the YAML front end and the whole lint pipeline: whatever the bytes,
the result is a list of diagnostics (SLO001/SLO002 or rule findings), never an exception."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from slospec.api import lint_sources
from slospec.config import Config
from slospec.source.document import ParseError
from slospec.source.loader import decode, parse
from tests.conftest import EXAMPLES, assert_well_formed
from tests.fuzz import harness
from tests.fuzz.harness import fuzz_settings

SEEDS = [p.read_bytes() for p in sorted(EXAMPLES.glob("*.slo.yaml"))]
CONFIG = Config()
# The harness's YAML tokens (the whole-CLI fuzz uses the same list).
YAML_BITS = st.sampled_from(harness.YAML_BITS)


def lint_bytes(raw: bytes) -> list:
    """The codes a lint of `raw` reports; no crash, and every diagnostic well formed."""
    try:
        text = decode(raw)
    except ParseError:
        return ["SLO001"]
    source = parse("fuzz.slo.yaml", text, "yaml", CONFIG)
    report = lint_sources([source], CONFIG)
    assert report.crashes == []
    assert_well_formed(report.diagnostics, text)
    return [d.code for d in report.diagnostics]


@st.composite
def mutated_example(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        if action == "insert":
            data[position:position] = draw(YAML_BITS)
        elif action == "delete" and data:
            end = min(len(data), position + draw(st.integers(1, 40)))
            del data[position:end]
        else:
            data[position : position + 1] = bytes([draw(st.integers(0, 255))])
    return bytes(data)


@fuzz_settings(0.75)  # of the profile's total: 1,500 in CI
@given(mutated_example())
def test_mutated_examples_only_ever_give_diagnostics(raw: bytes) -> None:
    lint_bytes(raw)  # asserts: no crash, each diagnostic well formed


@fuzz_settings(0.25)
@given(st.binary(max_size=400) | st.lists(YAML_BITS, max_size=40).map(b"".join))
def test_arbitrary_bytes_only_ever_give_diagnostics(raw: bytes) -> None:
    lint_bytes(raw)  # asserts: no crash, each diagnostic well formed


def test_seeds_exist() -> None:
    assert len(SEEDS) >= 6 and all(isinstance(s, bytes) for s in SEEDS)
    assert Path(EXAMPLES).is_dir()
