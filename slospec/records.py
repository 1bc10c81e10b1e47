"""Frozen records: what @dataclass(frozen=True) gives, without compiling code at import.

`dataclass()` writes each class's __init__, __eq__, __hash__, __repr__, __setattr__ and
__delattr__ as source text and compiles it when the module is imported: about 5 million
instructions per class, most of a one-file lint's start-up. `record` gives the same
behaviour from shared methods instead; a class that is built often writes its own
`__init__` (checked here against its fields). The result is a dataclass to the standard
library: dataclasses.fields(), replace() and asdict() work on it.
"""

from __future__ import annotations

import dataclasses
import reprlib
from dataclasses import MISSING, Field, FrozenInstanceError
from typing import TYPE_CHECKING, Any

# A default_factory field's default in a hand-written __init__: `labels=FACTORY`, then
# `{} if labels is FACTORY else labels` (None stays a value the caller may pass).
FACTORY: Any = object()


def _record(cls: Any = None, /, *, order: bool = False, frozen: bool = True) -> Any:
    """@dataclass(frozen=True[, order=True]) for `cls` (or a mutable one with frozen=False),
    its methods shared rather than compiled."""

    def wrap(cls: Any) -> Any:
        return _process(cls, order, frozen)

    return wrap if cls is None else wrap(cls)


if TYPE_CHECKING:  # type checkers see the dataclass a record is (fields, __init__, replace())
    from dataclasses import dataclass as record
else:
    record = _record


def _process(cls: Any, order: bool, frozen: bool) -> Any:
    fields: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        fields.update(getattr(base, "__dataclass_fields__", {}))
    for name, kind in cls.__dict__.get("__annotations__", {}).items():
        default = cls.__dict__.get(name, MISSING)
        if isinstance(default, Field):
            item = default
            if item.default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, item.default)
        else:
            item = dataclasses.field(default=default)
        item.name, item.type = name, kind
        item._field_type = dataclasses._FIELD  # type: ignore[attr-defined] # what fields() lists
        fields[name] = item
    names = tuple(fields)
    cls.__dataclass_fields__ = fields
    cls.__match_args__ = tuple(n for n, f in fields.items() if f.init)  # type: ignore[misc]
    compared = tuple(n for n, f in fields.items() if f.compare)
    shown = tuple(n for n, f in fields.items() if f.repr)

    if "__init__" in cls.__dict__:
        code = cls.__init__.__code__
        if code.co_varnames[1 : code.co_argcount + code.co_kwonlyargcount] != names:
            raise TypeError(f"{cls.__qualname__}.__init__ must take the fields in order: {', '.join(names)}")
    else:
        cls.__init__ = _generic_init(fields)

    def values(self: Any) -> tuple:
        return tuple([getattr(self, n) for n in compared])

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash(values(self))

    @reprlib.recursive_repr()
    def __repr__(self: Any) -> str:
        inner = ", ".join(f"{n}={getattr(self, n)!r}" for n in shown)
        return f"{self.__class__.__qualname__}({inner})"

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in fields:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in fields:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    methods: dict[str, Any] = {"__eq__": __eq__, "__repr__": __repr__}
    if frozen:
        methods |= {"__hash__": __hash__, "__setattr__": __setattr__, "__delattr__": __delattr__}
    elif "__hash__" not in cls.__dict__:
        cls.__hash__ = None  # mutable and compared by value: unhashable, as a dataclass is
    if order:

        def compare(test: Any) -> Any:
            def method(self: Any, other: Any) -> Any:
                if other.__class__ is self.__class__:
                    return test(values(self), values(other))
                return NotImplemented

            return method

        methods |= {
            "__lt__": compare(tuple.__lt__),
            "__le__": compare(tuple.__le__),
            "__gt__": compare(tuple.__gt__),
            "__ge__": compare(tuple.__ge__),
        }
    for name, method in methods.items():
        if name not in cls.__dict__ or (name == "__hash__" and cls.__dict__[name] is None):
            method.__qualname__ = f"{cls.__qualname__}.{name}"
            setattr(cls, name, method)
    return cls


def _generic_init(fields: dict[str, Field]) -> Any:
    """An __init__ binding positional and keyword arguments to the fields, as dataclass's does."""
    names = tuple(fields)

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if len(args) > len(names):
            raise TypeError(f"__init__() takes {len(names) + 1} positional arguments but {len(args) + 1} were given")
        given = dict(zip(names, args, strict=False))
        for name, value in kwargs.items():
            if name not in fields:
                raise TypeError(f"__init__() got an unexpected keyword argument {name!r}")
            if name in given:
                raise TypeError(f"__init__() got multiple values for argument {name!r}")
            given[name] = value
        state = self.__dict__
        for name, item in fields.items():
            if name in given:
                state[name] = given[name]
            elif item.default is not MISSING:
                state[name] = item.default
            elif item.default_factory is not MISSING:
                state[name] = item.default_factory()
            else:
                raise TypeError(f"__init__() missing 1 required positional argument: {name!r}")

    return __init__
