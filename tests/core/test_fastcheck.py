"""The fast validator never calls a document valid that jsonschema rejects (and agrees on
valid ones), checked on every example and on thousands of mutated documents."""

from __future__ import annotations

import copy
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from slospec.source import yamlfile
from slospec.specmodel import fastcheck, schema
from tests.conftest import EXAMPLES, examples

SCHEMAS = ["schema/slospec.schema.json", "schema/config.schema.json"]
DOCS = [yamlfile.load_all(p.read_text())[0].data for p in sorted(EXAMPLES.glob("*.slo.yaml"))]
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 200),
    st.sampled_from([Decimal("99.9"), Decimal("0.5"), 1.5]),
    st.sampled_from(
        [
            "",
            "x",
            "99.9%",
            "100%",
            "150%",
            "30d",
            "1M",
            "1h30m",
            "occurrences",
            "page",
            "timeslices",
            "month",
            "Bad Name",
            "checkout",
            "slospec/v1",
            "a" * 70,
        ]
    ),
    st.just({}),
    st.just([]),
    st.just({"calendar": "month"}),
    st.just({"method": "timeslices"}),
)


def paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from paths(value, prefix + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from paths(value, prefix + (index,))


@st.composite
def mutated(draw):
    doc = copy.deepcopy(draw(st.sampled_from(DOCS)))
    for _ in range(draw(st.integers(1, 3))):
        pointer = draw(st.sampled_from(list(paths(doc))))
        if not pointer:
            continue
        parent = doc
        for part in pointer[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[pointer[-1]] = copy.deepcopy(draw(VALUES))
        elif action == "delete":
            del parent[pointer[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "target", "window", "sli", "ratio", "events"]))] = copy.deepcopy(
                draw(VALUES)
            )
    return doc


def jsonschema_valid(data, name) -> bool:
    return schema.validator(name).is_valid(data)


def test_compiles_both_bundled_schemas() -> None:
    for name in SCHEMAS:
        assert fastcheck.checker(name) is not None


def test_examples_agree() -> None:
    check = fastcheck.checker(schema.SPEC_SCHEMA)
    for doc in DOCS:
        assert check(doc) and jsonschema_valid(doc, schema.SPEC_SCHEMA)


@settings(max_examples=examples(30), deadline=None)
@given(mutated())
def test_mutations_agree_with_jsonschema(doc) -> None:
    assert fastcheck.checker(schema.SPEC_SCHEMA)(doc) == jsonschema_valid(doc, schema.SPEC_SCHEMA)
