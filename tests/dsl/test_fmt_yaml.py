"""`slospec fmt` on .slo.yaml files keeps every comment - inside flow collections, on document
markers and directives - keeps line endings, leaves parked specs alone, and is idempotent."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slospec.format.run import format_text, format_yaml
from slospec.format.yaml import comments
from slospec.source import yamlfile
from tests.conftest import EXAMPLES

YAML_EXAMPLES = sorted(EXAMPLES.glob("*.slo.yaml"))
SPEC = """\
apiVersion: slospec/v1
service:
    name: shop
    owner: team-shop
slis:
- name: requests
  ratio: {bad: 'x_total{code="500"}',   # in a flow mapping
     # on its own line in the flow mapping
     total: x_total}
  tags: [a,  # in a flow sequence
     b]
slos:
- name: availability
  sli: requests
  target: 99.9%
  window: 28d
"""


def data(text: str) -> list:
    return [d.data for d in yamlfile.load_all(text)]


def check(text: str) -> str:
    once = format_text("spec.slo.yaml", text).text
    assert comments(once) == comments(text)
    assert data(once) == data(text)
    assert format_yaml(once) == once  # a second run changes nothing
    return once


def test_comments_inside_multi_line_flow_collections_are_kept() -> None:
    out = check(SPEC)
    assert "# in a flow mapping" in out and "# in a flow sequence" in out


def test_a_document_with_commented_flow_collections_is_formatted_around_them() -> None:
    out = check(SPEC)
    assert out.startswith(
        "apiVersion: slospec/v1\nservice:\n  name: shop\n  owner: team-shop\nslis:\n  - name: requests\n"
    )
    # Each flow collection is kept as written, its lines moved as far as its first one.
    assert (
        "    ratio: {bad: 'x_total{code=\"500\"}',   # in a flow mapping\n"
        "       # on its own line in the flow mapping\n       total: x_total}\n"
        "    tags: [a,  # in a flow sequence\n       b]\n"
    ) in out


@pytest.mark.parametrize(
    "text",
    [
        "[a,  # the document is one flow collection\n b]\n",
        "service:\n      name: x\n---\n[a,  # in the second document\n b]\n",
    ],
)
def test_a_document_that_is_one_commented_flow_collection_stays_as_written(text: str) -> None:
    out = check(text)
    assert out.endswith("[a,  # " + text.split("[a,  # ")[1])


def fmt_cli(*args: str, cwd) -> tuple[int, str]:
    from tests.fuzz.harness import invoke

    result = invoke(["fmt", *args], cwd)
    return result.exit_code, result.output


@pytest.mark.parametrize("text, formatted", [(SPEC, True), ("[a,  # kept as written\n b]\n", False)])
def test_fmt_check_and_diff_on_commented_flow_collections(tmp_path, text: str, formatted: bool) -> None:
    spec = tmp_path / "spec.slo.yaml"
    spec.write_text(text)
    code, output = fmt_cli("--check", "spec.slo.yaml", cwd=tmp_path)
    assert code == (1 if formatted else 0), output
    code, output = fmt_cli("--diff", "spec.slo.yaml", cwd=tmp_path)
    assert code == (1 if formatted else 0) and ("+  name: shop" in output) == formatted, output
    assert spec.read_text() == text  # --check and --diff change nothing
    code, output = fmt_cli("spec.slo.yaml", cwd=tmp_path)
    assert code == 0, output
    assert (spec.read_text() != text) == formatted
    assert comments(spec.read_text()) == comments(text)
    assert fmt_cli("--check", "spec.slo.yaml", cwd=tmp_path)[0] == 0  # formatted once is formatted


@st.composite
def flow_collection(draw, indent: int, depth: int = 0) -> str:
    """A flow mapping or sequence written over several lines, comments after some items."""
    mapping = draw(st.booleans())
    items = []
    for number in range(draw(st.integers(1, 4))):
        value = (
            draw(flow_collection(indent + 2, depth + 1))
            if depth < 2 and draw(st.integers(0, 4)) == 0
            else draw(st.sampled_from(["1", "x", "'a b'", '"c: d"', "99.9%", "30d", "''"]))
        )
        items.append(f"k{number}: {value}" if mapping else value)
    notes = [draw(st.sampled_from(["", "", "  # c", " # another"])) for _ in items]
    first = draw(st.sampled_from(["", "  # first"]))
    if not first and not any(notes):
        first = "  # first"
    out = ("{" if mapping else "[") + first
    newline = bool(first) or draw(st.booleans())
    for index, item in enumerate(items):
        out += "\n" + " " * (indent + draw(st.integers(1, 4))) if newline else (" " if index else "")
        out += item + ("," if index < len(items) - 1 or draw(st.booleans()) else "") + notes[index]
        newline = bool(notes[index]) or draw(st.booleans())
    if newline:
        out += "\n" + " " * (indent + draw(st.integers(1, 3)))
    return out + ("}" if mapping else "]")


@st.composite
def document_with_flows(draw) -> str:
    lines = ["apiVersion: slospec/v1", "service:"]
    step = draw(st.integers(2, 6))
    lines.append(" " * step + "name: shop")
    for number in range(draw(st.integers(1, 3))):
        key = f"key{number}:"
        if draw(st.booleans()):
            lines.append(f"{key} {draw(flow_collection(0))}")
        else:
            lines.append(key)
            lines.append(" " * step + "- " + draw(flow_collection(step + 2)))
    return "\n".join(lines) + "\n"


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document_with_flows())
def test_generated_commented_flow_collections_are_kept_and_the_rest_formatted(text: str) -> None:
    out = check(text)
    assert "service:\n  name: shop\n" in out  # the rest of the document is laid out


def test_comments_on_markers_and_directives_are_kept() -> None:
    text = (
        "%YAML 1.2   # the version\n# before the start\n--- # on the start\n"
        + (EXAMPLES / "api.slo.yaml").read_text()
        + "... # on the end\n# after the end\n"
    )
    out = check(text)
    for comment in ("# the version", "# before the start", "# on the start", "# on the end", "# after the end"):
        assert comment in out


def test_documents_are_laid_out_one_by_one() -> None:
    text = "# one\n---\napiVersion: slospec/v1\nservice:\n      name: x\n--- # two\napiVersion: slospec/v1\nservice:\n      name: y\n"
    out = check(text)
    assert "service:\n  name: x\n--- # two\n" in out and out.endswith("service:\n  name: y\n")


@pytest.mark.parametrize(
    "text",
    [
        "# parked\n# apiVersion: slospec/v1\n# service:\n#   name: x\n",
        "    # a lone indented comment without a final newline",
        "---\n# only a comment\n...\n",
    ],
)
def test_a_parked_spec_is_left_as_it_is(text: str) -> None:
    assert format_text("parked.slo.yaml", text).text == text


def test_crlf_files_stay_crlf() -> None:
    messy = (EXAMPLES / "api.slo.yaml").read_text().replace("\n  ", "\n      ").replace("\n", "  # end\r\n", 3)
    messy = messy.replace("\r\n", "\n").replace("\n", "\r\n")
    out = check(messy)
    assert out != messy
    assert out.count("\r\n") == out.count("\n") and "\r\r" not in out


@st.composite
def commented_example(draw) -> str:
    path = draw(st.sampled_from(YAML_EXAMPLES))
    lines = path.read_text().split("\n")
    text = st.text(
        st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\x85"), max_size=10
    )
    odd = st.sampled_from(["", "", "", "\u2028", "\u2029", "\x85"])  # YAML breaks a line there too
    out = []
    for line in lines:
        if draw(st.integers(0, 5)) == 0:
            out.append(" " * draw(st.integers(0, 4)) + "# " + draw(text) + draw(odd))
        if line.strip() and not line.rstrip().endswith(("|", ">", "|-", ">-")) and draw(st.integers(0, 4)) == 0:
            line = f"{line}  # {draw(text)}{draw(odd)}"
        out.append(line)
    return draw(st.sampled_from(["\n", "\r\n"])).join(out)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(commented_example())
def test_generated_comment_placements_are_kept(text: str) -> None:
    check(text)
