"""The events' layout (slospec.format.fast) is only ever ruamel's round trip, answered sooner: on
generated documents in every layout, on mutated specs and on the real corpus, `fmt` with the
fast path gives byte for byte what the round trip alone gives, and it recognises fmt's own
output as canonical."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slospec.format import fast as fmtfast
from slospec.format.run import format_text
from slospec.format.yaml import _layout, format_yaml
from tests.conftest import CORPUS, EXAMPLES, examples

YAML_EXAMPLES = sorted(EXAMPLES.glob("**/*.slo.yaml"))
VALID_EXAMPLES = sorted(EXAMPLES.glob("*.slo.yaml"))
SETTINGS = settings(max_examples=examples(5), deadline=None, suppress_health_check=list(HealthCheck), database=None)


def slow(text: str) -> str | BaseException:
    try:
        return format_yaml(text, fast=False)
    except Exception as exc:  # noqa: BLE001 - both paths must fail alike
        return exc


def fast(text: str) -> str | BaseException:
    try:
        return format_yaml(text)
    except Exception as exc:  # noqa: BLE001
        return exc


def assert_same(text: str) -> None:
    one, other = fast(text), slow(text)
    if isinstance(one, BaseException) or isinstance(other, BaseException):
        assert type(one) is type(other), text
    else:
        assert one == other, text


def assert_sound(document: str) -> None:
    """Whatever the fast path answers for one document is the round trip's answer."""
    answer = fmtfast.layout(document)
    if answer is not None:
        assert answer == _layout(document, fast=False), document


# ------------------------------------------------------------------ generated documents

SCALARS = [
    "a",
    "name",
    "payments-api",
    "99.5%",
    "99.95%",
    "15s",
    "28d",
    "100ms",
    "x:y",
    "a b",
    "1",
    "-1",
    "+1",
    "007",
    "0",
    "-0",
    "1.5",
    "99.50",
    "0.12345678901234567890",
    "12345678901234567890.5",
    "123456789012345.5",
    "0.000000000000001",
    "9007199254740993.0",
    ".5",
    "1.",
    "1e3",
    "1_000",
    "0x1F",
    "true",
    "True",
    "false",
    "yes",
    "no",
    "on",
    "null",
    "Null",
    "~",
    "",
    "2024-01-01",
    "a #b",
    "a# b",
    "a: b",
    "a:",
    "-x",
    "- x",
    "?x",
    "[x]",
    "{x}",
    "x,y",
    "'q'",
    '"d"',
    "it's",
    "é",
    "ü x",
    "≥ 99 %",
    "\u2028",
    "a\\b",
    "<<",
    "=",
    "---",
    "...",
    "--x",
    " lead",
    "trail ",
    "a  b",
    "k" * 130,
    "#",
    "%x",
    "@x",
    'http_requests_total{job="api",code=~"5.."}',
    "sum(rate(x[5m]))",
    "https://example.com/a#b",
    "\t",
    "a\tb",
    "\ufeff",
    "\x85",
    "0o17",
    ".inf",
    "-.inf",
    ".nan",
    "a\nb",
    "*x",
    "&x",
    "!x",
]
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)
VALUE = st.sampled_from(SCALARS) | TEXT
KEY = (
    st.sampled_from(
        ["name", "sli", "target", "window", "description", "a b", "1", "true", "x:y", "", "<<", "k" * 120, "dup"]
    )
    | TEXT
)
# Values and keys of real specs, which the fast path answers: half the documents use only these.
GENTLE_VALUE = st.sampled_from(
    SCALARS[:12]
    + [
        "1",
        "0",
        "1.5",
        "99.50",
        "0.12345678901234567890",
        "9007199254740993.0",
        "true",
        "",
        "it's",
        "é",
        "a: b",
        "sum(rate(x[5m]))",
        SCALARS[-20],
    ]
)
GENTLE_KEY = st.sampled_from(["name", "sli", "target", "window", "description", "a b", "x:y", "k-1"])


def tree(value, key):
    return st.recursive(
        value,
        lambda inner: (
            st.lists(inner, min_size=0, max_size=4) | st.lists(st.tuples(key, inner), min_size=0, max_size=4).map(tuple)
        ),  # a mapping: pairs
        max_leaves=14,
    )


@st.composite
def written(draw, value: str) -> str:
    """A scalar written plain, quoted, or double-quoted (JSON escapes are YAML's)."""
    style = draw(st.sampled_from(["plain", "plain", "plain", "single", "double"]))
    if style == "plain":
        return value
    if style == "single":
        return "'" + value.replace("'", "''") + "'"
    return json.dumps(value, ensure_ascii=draw(st.booleans()))


@st.composite
def rendered(draw, node, indent: int, flow_ok: bool = True) -> tuple[str, list[str]]:
    """(text after the key or dash, following lines) for one node in a random layout."""
    if isinstance(node, str):
        if draw(st.integers(0, 9)) == 0:
            return "", [" " * (indent + 2) + draw(written(node))]  # the value on the next line
        return " " + draw(written(node)), []
    if flow_ok and (not node or draw(st.booleans())):
        return " " + draw(flow(node)), []
    lines: list[str] = []
    step = draw(st.sampled_from([2, 2, 4]))
    if isinstance(node, list):
        dash_at = indent + draw(st.sampled_from([0, 2, 2, 4]))
        for item in node:
            head, rest = draw(rendered(item, dash_at + 2))
            if isinstance(item, (list, tuple)) and item and rest and draw(st.booleans()):
                lines.append(" " * dash_at + "-")
                lines.extend(rest)
            else:
                lines.append(" " * dash_at + "-" + head)
                lines.extend(rest)
        return "", lines
    for key, value in node:
        head, rest = draw(rendered(value, indent + step))
        lines.append(" " * (indent + step) + draw(written(key)) + ":" + head)
        lines.extend(rest)
    return "", lines


@st.composite
def flow(draw, node) -> str:
    """A flow collection, on one line or spread over several."""
    sep = draw(st.sampled_from([", ", ",", ",\n  ", " , "]))
    if isinstance(node, str):
        return draw(written(node))
    if isinstance(node, list):
        return "[" + sep.join(draw(flow(item)) for item in node) + "]"
    return "{" + sep.join(draw(written(k)) + ": " + draw(flow(v)) for k, v in node) + "}"


@st.composite
def document(draw) -> str:
    value, key = (GENTLE_VALUE, GENTLE_KEY) if draw(st.booleans()) else (VALUE, KEY)
    pairs = draw(st.lists(st.tuples(key, tree(value, key)), min_size=1, max_size=5))
    lines: list[str] = []
    for key, value in pairs:
        head, rest = draw(rendered(value, 0))
        lines.append(draw(written(key)) + ":" + head)
        lines.extend(rest)
    text = "\n".join(lines) + "\n"
    return draw(decorated(text)) if draw(st.booleans()) else text


EXTRAS = ["\ufeff", "# \x85", "# c", "#c", "", "   ", "# c  ", "  # c", "    # c", "#", "# é"]
TAILS = ["\x85", " # \u2028 e", "  # e", " # e", "   # e", " #e", "  ", " ", "\t# e", "#e"]


@st.composite
def decorated(draw, text: str) -> str:
    """`text` with comments, blank lines and trailing blanks put anywhere."""
    lines = text.split("\n")
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(lines) - 1))
        if draw(st.booleans()):
            lines.insert(at, draw(st.sampled_from(EXTRAS)))
        else:
            lines[at] += draw(st.sampled_from(TAILS))
    return "\n".join(lines)


@SETTINGS
@given(document())
def test_fast_layout_of_generated_documents_is_the_round_trips(text: str) -> None:
    assert_sound(text)
    assert_same(text)


@SETTINGS
@given(document())
def test_fmt_output_is_canonical_to_the_fast_path(text: str) -> None:
    result = slow(text)
    if isinstance(result, str):
        assert_sound(result)
        assert_same(result)  # where fmt is stable, its output says canonical on itself (fmt
        # refuses the rare unstable layout, e.g. a NEL after a BOM, as it did before)


@st.composite
def decorated_canonical(draw) -> str:
    """A canonical document with comments and blank lines put anywhere (where ruamel keeps them
    as written, the fast path must say so; where it does not, the fast path must not)."""
    text = slow(draw(document()))
    if not isinstance(text, str) or not text.strip():
        text = "a: 1\nb:\n  - c\n"
    return draw(decorated(text))


@SETTINGS
@given(decorated_canonical())
def test_fast_layout_of_commented_canonical_documents_is_the_round_trips(text: str) -> None:
    assert_sound(text)
    assert_same(text)


NUMBER = st.from_regex(r"\A[-+]?[0-9_]{1,22}(\.[0-9_]{0,22})?([eE][-+]?[0-9]{1,3})?\Z")


@SETTINGS
@given(st.lists(NUMBER, min_size=1, max_size=6))
def test_numbers_are_written_back_as_the_round_trip_writes_them(numbers: list[str]) -> None:
    """ruamel writes a number back through a binary double (longer decimals change): the fast
    path declines exactly what it cannot write the same."""
    assert_sound("".join(f"k{i}: {n}\n" for i, n in enumerate(numbers)))
    assert_sound("k:\n" + "".join(f"  - {n}\n" for n in numbers))


# ------------------------------------------------------------------ mutated real specs

SEEDS = [p.read_text() for p in YAML_EXAMPLES]
BITS = [
    "# c",
    "\n",
    "\n\n",
    "  ",
    " ",
    "- ",
    ": ",
    "'",
    '"',
    "[",
    "]",
    "{",
    "}",
    ",",
    "#",
    "&a ",
    "*a",
    "!t ",
    "|\n",
    "---\n",
    "\t",
    "\r\n",
    "~",
    "é",
    "x",
    "1",
    "  - a\n",
    "b: c\n",
]


@st.composite
def mutated(draw) -> str:
    text = draw(st.sampled_from(SEEDS))
    if draw(st.booleans()):
        text = format_yaml(text, fast=False)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete"]))
        if action == "insert":
            text = text[:at] + draw(st.sampled_from(BITS)) + text[at:]
        else:
            text = text[:at] + text[at + draw(st.integers(1, 12)) :]
    return text


@SETTINGS
@given(mutated())
def test_fast_layout_of_mutated_specs_is_the_round_trips(text: str) -> None:
    assert_same(text)


# ------------------------------------------------------------------ real files


def corpus_texts() -> list[str]:
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    texts = []
    for path in sorted(CORPUS.rglob("*")):
        if path.suffix in (".yaml", ".yml") and path.is_file():
            try:
                texts.append(path.read_text(encoding="utf-8"))
            except (UnicodeDecodeError, OSError):
                continue
    return texts


def test_fast_layout_of_the_corpus_is_the_round_trips() -> None:
    for text in corpus_texts():
        assert_same(text)
        result = slow(text)
        if isinstance(result, str):
            assert format_yaml(result) == result


@pytest.mark.parametrize("path", VALID_EXAMPLES, ids=lambda p: p.name)
def test_examples_formatted_are_answered_by_the_fast_path(path) -> None:
    """The speed-up holds where it matters: a formatted spec (comments, flows, blank lines)
    is recognised as canonical without the round trip."""
    canonical = format_yaml(path.read_text(), fast=False)
    body = "".join(line for line in canonical.splitlines(True) if not line.startswith(("---", "%")))
    if body.strip() and not body.startswith("\n"):
        assert fmtfast.layout(body) == body
    assert format_text(str(path), canonical).text == canonical


def test_comment_free_specs_are_laid_out_by_the_fast_path() -> None:
    text = "apiVersion: slospec/v1\nslis:\n- name: a\n  ratio:\n     bad: x\n     total: y\n  tags: [a,\n   b]\n"
    expected = (
        "apiVersion: slospec/v1\nslis:\n  - name: a\n    ratio:\n      bad: x\n      total: y\n    tags: [a, b]\n"
    )
    assert fmtfast.layout(text) == expected == format_yaml(text, fast=False)


@pytest.mark.parametrize(
    "text",
    [
        "\na: 1\n",  # a leading blank line (ruamel drops it)
        "a: &x 1\nb: *x\n",  # anchors
        "a: !t 1\n",  # tags
        "a: |\n  x\n",  # block scalars
        "a: x\n  y\n",  # multi-line plain scalars
        "a: [x, [y]]\n",  # nested flows
        "a:\n- - x\n",  # a list in a list
        "a: 1\na: 2\n",  # duplicate keys
        "- a\n",  # a list at the root
        "a: 2024-01-01\n",  # timestamps
        "a: +1\n",  # a number ruamel rewrites
        "a: x  \n# c\n",  # trailing blanks where comments are
        "a: 1",  # no final line break
        "a: b\x85\n",  # NEL: a line break to ruamel
        "a: 0.12345678901234567890\n",  # more digits than a double keeps (ruamel changes them)
        "\ufeffa: b\n",  # a byte order mark
    ],
)
def test_shapes_not_modelled_go_to_the_round_trip(text: str) -> None:
    assert fmtfast.layout(text) is None
