"""Regenerates slospec/source/dsl/parser.py, the DSL's standalone parser, from grammar/slospec.lark.

    python grammar/build_parser.py

A development tool beside the grammar, not part of the installed package: it needs lark (in the
`dev` and `test` extras; nothing imports lark at run time). The generated module
carries the SHA-256 of the grammar and options it was made from; tests/dsl/test_dslparser.py
fails when the grammar changed and the parser was not regenerated, and checks that it parses
every input as lark itself does.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

# The options slospec.source.dsl.front has always built its parser with.
OPTIONS = {"parser": "lalr", "lexer": "contextual", "propagate_positions": True, "maybe_placeholders": False}
TARGET = Path(__file__).resolve().parents[1] / "slospec" / "source" / "dsl" / "parser.py"
DOCSTRING = (
    '"""The .slo DSL\'s LALR parser: lark\'s standalone parser, generated from grammar/slospec.lark.\n\n'
    "Do not edit: `python grammar/build_parser.py` regenerates it (grammar sha256 {digest}).\n"
    '"""\n'
    "# ruff: noqa\n"
    "# mypy: ignore-errors\n"
)


def digest(grammar: str) -> str:
    """What the generated parser was made from: the grammar text and the options."""
    return hashlib.sha256(f"{sorted(OPTIONS.items())}\n{grammar}".encode()).hexdigest()


# Start-up: lark's standalone code imports logging for a logger it leaves at CRITICAL,
# pickle, zlib and base64 for compressed tables and lark's own cache, neither used here,
# and makes its TextSlice a frozen dataclass.
# The generated text is changed in these places only (each must be found, or this fails).
QUIET_LOGGER = '''class _QuietLogger:
    """lark's "lark" logger, which it sets to CRITICAL: nothing it logs is ever shown."""

    def _nothing(self, *args, **kwargs):
        pass

    debug = info = warning = error = exception = _nothing


logger = _QuietLogger()
'''
EDITS = (
    ("import logging\n", ""),
    (
        'logger: logging.Logger = logging.getLogger("lark")\nlogger.addHandler(logging.StreamHandler())\n',
        QUIET_LOGGER,
    ),
    ("logger.setLevel(logging.CRITICAL)\n", ""),
    ("import pickle, zlib, base64\n", ""),
    # A frozen dataclass compiles six methods at import; TextSlice needs only its fields.
    (
        "@dataclass(frozen=True)\nclass TextSlice(Generic[AnyStr]):\n    #--\n    text: AnyStr\n    start: int\n    end: int\n",
        "class TextSlice(Generic[AnyStr]):\n    #--\n    text: AnyStr\n    start: int\n    end: int\n\n"
        "    def __init__(self, text, start, end):\n"
        "        self.text, self.start, self.end = text, start, end\n"
        "        self.__post_init__()\n",
    ),
)


def generate(grammar: str) -> str:
    from lark import Lark
    from lark.tools.standalone import gen_standalone

    out = io.StringIO()
    gen_standalone(Lark(grammar, **OPTIONS), out=out)
    text = out.getvalue()
    for old, new in EDITS:
        if text.count(old) != 1:
            raise RuntimeError(f"lark's standalone code changed: {old!r} is not there once; update EDITS")
        text = text.replace(old, new)
    if "logging." in text:
        raise RuntimeError("lark's standalone code uses logging beyond its logger; update EDITS")
    return DOCSTRING.format(digest=digest(grammar)) + text


def main() -> None:
    grammar = (Path(__file__).resolve().parent / "slospec.lark").read_text(encoding="utf-8")
    TARGET.write_text(generate(grammar), encoding="utf-8")
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
