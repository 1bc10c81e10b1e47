"""Issue 28, cases 1-3 and 17 (BOM): `lint --fix` never loses data, and suppressions are
found among the parser's comments, never in data."""

from __future__ import annotations

import json
from pathlib import Path

from slospec.source import yamlfile
from tests.core.test_cli import slospec

HEAD = """apiVersion: slospec/v1
service:
  name: payments-api
  owner: team-payments
slis:
  - name: requests-ok
    description: Share of requests not answered with a server error.
    ratio:
      bad: http_requests_total{code=~"5.."}
      total: http_requests_total
"""

MERGED = (
    HEAD
    + """slos:
  - &base
    name: a
    description: first
    sli: requests-ok
    target: 0.999
    window: 28d
  - <<: *base
    name: b
    description: second
    target: 0.99
  - <<: *base
    name: c
    description: third
"""
)


def data(path: Path) -> list:
    return [d.data for d in yamlfile.load_all(path.read_text(encoding="utf-8-sig"))]


def test_case1_fix_never_rewrites_a_value_that_comes_through_a_merge_key(tmp_path: Path) -> None:
    path = tmp_path / "merge.slo.yaml"
    path.write_text(MERGED)
    result = slospec("lint", "--fix", "--no-cache", path.name, cwd=tmp_path)
    slos = data(path)[0]["slos"]
    # Every SLO is still there, each a mapping; b's own target was fixed on its own line.
    assert [s["name"] for s in slos] == ["a", "b", "c"]
    assert all(isinstance(s, dict) for s in slos)
    assert str(slos[1]["target"]) == "99%"
    # The anchored target (shared by c through the merge) was refused, with a reason.
    assert str(slos[0]["target"]) == "0.999" and str(slos[2]["target"]) == "0.999"
    assert "merge.slo.yaml: not fixed: line 17:" in result.stderr or "not fixed: line" in result.stderr
    assert "merge key" in result.stderr


def test_case1_an_anchored_scalar_shared_by_an_alias_is_not_fixed(tmp_path: Path) -> None:
    text = MERGED.replace("target: 0.999", "target: &t 0.999").replace("    target: 0.99\n", "    target: *t\n")
    path = tmp_path / "alias.slo.yaml"
    path.write_text(text)
    slospec("lint", "--fix", "--no-cache", path.name, cwd=tmp_path)
    slos = data(path)[0]["slos"]
    assert [s["name"] for s in slos] == ["a", "b", "c"]
    assert str(slos[0]["target"]) == str(slos[1]["target"])  # the alias still shares the anchor


def test_case2_directive_text_inside_data_is_data(tmp_path: Path) -> None:
    block = HEAD.replace(
        "    description: Share of requests not answered with a server error.\n",
        "    description: |\n      first line\n      # slospec: disable=SLO101\n      last line\n",
    ).replace("  owner: team-payments\n", '  owner: team-payments\n  description: "a\n    # slospec: disable=SLO999"\n')
    text = block + "slos:\n  - name: a\n    description: x\n    sli: requests-ok\n    target: 99.9%\n    window: 28d\n"
    path = tmp_path / "block.slo.yaml"
    path.write_text(text)
    result = slospec("lint", "--fix", "--no-cache", path.name, cwd=tmp_path)
    assert path.read_text() == text, result.stderr  # nothing deleted from the data
    assert "SLO003" not in result.stdout


def test_case2_data_cannot_suppress_a_real_finding(tmp_path: Path) -> None:
    text = (
        HEAD.replace(
            "  owner: team-payments\n", "  owner: team-payments\n  description: |\n    # slospec: disable-file=SLO101\n"
        )
        + "slos:\n  - name: a\n    description: x\n    sli: requests-ok\n    target: 100%\n    window: 28d\n"
    )
    path = tmp_path / "hide.slo.yaml"
    path.write_text(text)
    result = slospec("lint", "--no-cache", path.name, cwd=tmp_path)
    assert result.returncode == 1 and "SLO101" in result.stdout
    # A real comment still suppresses, as before.
    path.write_text("# slospec: disable-file=SLO101\n" + text)
    assert slospec("lint", "--no-cache", path.name, cwd=tmp_path).returncode == 0


def test_case2_dsl_strings_are_data_and_dsl_comments_suppress(tmp_path: Path) -> None:
    from tests.conftest import EXAMPLES

    text = (EXAMPLES / "api.slo").read_text()
    assert "99.95%" in text
    bad = text.replace("99.95%", "100%", 1)
    path = tmp_path / "api.slo"
    path.write_text(bad)
    assert slospec("lint", "--no-cache", path.name, cwd=tmp_path).returncode == 1
    path.write_text("# slospec: disable-file=SLO101\n" + bad)
    assert slospec("lint", "--no-cache", path.name, cwd=tmp_path).returncode == 0


def test_case3_fix_keeps_a_json_spec_json(tmp_path: Path) -> None:
    spec = {
        "apiVersion": "slospec/v1",
        "service": {"name": "payments-api", "owner": "team-payments"},
        "slis": [{"name": "ok", "ratio": {"bad": 'x{code=~"5.."}', "total": "x"}}],
        "slos": [{"name": "availability", "sli": "ok", "target": 0.999, "window": "28d"}],
    }
    path = tmp_path / "spec.slo.json"
    path.write_text(json.dumps(spec))
    result = slospec("lint", "--fix", "--no-cache", path.name, cwd=tmp_path)
    assert "Fixed 1 problem" in result.stderr
    assert json.loads(path.read_text())["slos"][0]["target"] == "99.9%"


def test_case17_fix_and_fmt_keep_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.slo.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MERGED.replace("target: 0.99\n", "target: 0.98\n").encode())
    slospec("lint", "--fix", "--no-cache", path.name, cwd=tmp_path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfapiVersion") and b"target: 98%" in path.read_bytes()
    messy = tmp_path / "messy.slo.yaml"
    messy.write_bytes(b"\xef\xbb\xbfapiVersion:   slospec/v1\nservice:\n    name: a\n    owner: b\nslos: []\n")
    assert slospec("fmt", messy.name, cwd=tmp_path).returncode == 0
    assert messy.read_bytes() == b"\xef\xbb\xbfapiVersion: slospec/v1\nservice:\n  name: a\n  owner: b\nslos: []\n"


def test_case15_fmt_has_the_same_size_limit_as_lint(tmp_path: Path) -> None:
    (tmp_path / "slospec.toml").write_text("max-file-size = 100\n")
    path = tmp_path / "big.slo.yaml"
    text = "apiVersion: slospec/v1\nservice:\n  name: a\n  owner: b\n" + "# pad\n" * 100
    path.write_text(text)
    result = slospec("fmt", path.name, cwd=tmp_path)
    assert result.returncode == 2 and "larger than the limit of 100" in result.stderr
    assert path.read_text() == text


def test_a_directive_on_its_own_line_skips_other_comment_lines(tmp_path: Path) -> None:
    text = (
        HEAD
        + "slos:\n  - name: a\n    description: x\n    sli: requests-ok\n"
        + "    # slospec: disable=SLO101 -- agreed\n    # another comment\n    target: 100%\n    window: 28d\n"
    )
    path = tmp_path / "next.slo.yaml"
    path.write_text(text)
    result = slospec("lint", "--no-cache", path.name, cwd=tmp_path)
    assert result.returncode == 0 and "SLO003" not in result.stdout, result.stdout
