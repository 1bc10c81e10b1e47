"""`slospec fmt` on .slo.yaml files keeps every comment - inside flow collections, on document
markers and directives - keeps line endings, leaves parked specs alone, and is idempotent."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slospec import yamlfile
from slospec.fmt import format_text, format_yaml
from slospec.fmtyaml import comments
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


def test_comments_on_markers_and_directives_are_kept() -> None:
    text = ("%YAML 1.2   # the version\n# before the start\n--- # on the start\n"
            + (EXAMPLES / "api.slo.yaml").read_text() + "... # on the end\n# after the end\n")
    out = check(text)
    for comment in ("# the version", "# before the start", "# on the start", "# on the end", "# after the end"):
        assert comment in out


def test_documents_are_laid_out_one_by_one() -> None:
    text = "# one\n---\napiVersion: slospec/v1\nservice:\n      name: x\n--- # two\napiVersion: slospec/v1\nservice:\n      name: y\n"
    out = check(text)
    assert "service:\n  name: x\n--- # two\n" in out and out.endswith("service:\n  name: y\n")


@pytest.mark.parametrize("text", [
    "# parked\n# apiVersion: slospec/v1\n# service:\n#   name: x\n",
    "    # a lone indented comment without a final newline",
    "---\n# only a comment\n...\n",
])
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
    text = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\x85"),
                   max_size=10)
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
