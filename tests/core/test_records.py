"""slospec.records gives what @dataclass(frozen=True) gives: every record class is checked
against a real dataclass made from the same fields (init, defaults, repr, ==, hash, order,
frozen errors, dataclasses.replace/fields/asdict)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slospec import config, diagnostics
from slospec.rules import base
from slospec.slo import facts, promql
from slospec.source import document, loader, suppressions
from slospec.specmodel import model, quantities, schema
from tests.conftest import examples

RECORDS = [
    c
    for module in (model, config, diagnostics, quantities, schema, base, loader, promql, facts, document, suppressions)
    for c in vars(module).values()
    if isinstance(c, type)
    and c.__module__ == module.__name__
    and "__dataclass_fields__" in c.__dict__
    and "__dataclass_params__" not in c.__dict__  # a record, not a dataclass
]


def twin(cls: type) -> type:
    """The dataclass the record stands for."""
    namespace: dict = {"__annotations__": {f.name: f.type for f in dataclasses.fields(cls)}}
    for f in dataclasses.fields(cls):
        namespace[f.name] = dataclasses.field(
            default=f.default, default_factory=f.default_factory, compare=f.compare, repr=f.repr
        )
    made = type(cls.__name__, (), namespace)
    made.__qualname__ = cls.__qualname__
    return dataclasses.dataclass(frozen=frozen(cls), order="__lt__" in cls.__dict__)(made)


def frozen(cls: type) -> bool:
    return "__setattr__" in cls.__dict__


VALUES = st.one_of(
    st.none(),
    st.integers(-3, 3),
    st.sampled_from(["a", "b", "", "x'y"]),
    st.tuples(st.integers(0, 2)),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-5, max_value=5).map(Decimal),
)


def test_every_record_is_listed() -> None:
    assert {c.__name__ for c in RECORDS} >= {
        "SLO",
        "Spec",
        "Config",
        "Diagnostic",
        "Duration",
        "Rule",
        "Context",
        "Document",
        "SourceFile",
    }


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: c.__name__)
@settings(max_examples=examples(2), deadline=None)
@given(data=st.data())
def test_a_record_behaves_as_its_dataclass(cls: type, data) -> None:
    real = twin(cls)
    fields = dataclasses.fields(cls)
    required = [f for f in fields if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    optional = [f for f in fields if f not in required]
    # required positionally, a random part of the rest by keyword
    args = [data.draw(VALUES) for _ in required]
    kwargs = {f.name: data.draw(VALUES) for f in optional if data.draw(st.booleans())}
    if cls is config.Config:
        kwargs.setdefault("root", "/r")  # the default is the working directory, read at creation
    mine, theirs = cls(*args, **kwargs), real(*args, **kwargs)
    for f in fields:
        assert getattr(mine, f.name) == getattr(theirs, f.name), f.name
    assert repr(mine) == repr(theirs)
    other_args = [data.draw(VALUES) for _ in required]
    mine2, theirs2 = cls(*other_args, **kwargs), real(*other_args, **kwargs)
    assert (mine == mine2) == (theirs == theirs2)
    assert mine == cls(*args, **kwargs) and mine != theirs
    try:
        expected_hash = hash(theirs)
    except TypeError:
        with pytest.raises(TypeError):
            hash(mine)
    else:
        assert hash(mine) == expected_hash
    if "__lt__" in cls.__dict__:
        try:
            expected = (theirs < theirs2, theirs <= theirs2, theirs > theirs2, theirs >= theirs2)
        except TypeError:
            pass
        else:
            assert (mine < mine2, mine <= mine2, mine > mine2, mine >= mine2) == expected
    name = fields[0].name
    for attempt in (
        ()
        if not frozen(cls)
        else (lambda o: setattr(o, name, 1), lambda o: delattr(o, name), lambda o: setattr(o, "new", 1))
    ):
        with pytest.raises(dataclasses.FrozenInstanceError) as got:
            attempt(mine)
        with pytest.raises(dataclasses.FrozenInstanceError) as want:
            attempt(theirs)
        assert str(got.value) == str(want.value)
    changed = dataclasses.replace(mine, **{name: "changed"})
    assert type(changed) is cls and getattr(changed, name) == "changed"
    assert dataclasses.asdict(changed) == dataclasses.asdict(dataclasses.replace(theirs, **{name: "changed"}))


@pytest.mark.parametrize("cls", RECORDS, ids=lambda c: c.__name__)
def test_wrong_arguments_fail_as_for_a_dataclass(cls: type) -> None:
    real = twin(cls)
    for bad in ({"nonsense": 1},):
        with pytest.raises(TypeError):
            real(**bad)
        with pytest.raises(TypeError):
            cls(**bad)
    with pytest.raises(TypeError):
        cls(*range(len(dataclasses.fields(cls)) + 1))
