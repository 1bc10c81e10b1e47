"""`slospec fmt` keeps every comment and is idempotent; `slospec convert` is lossless."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from slospec.format.run import FormatError, comment_lines, format_text
from slospec.source import yamlfile
from slospec.source.dsl import front as dsl
from tests.conftest import EXAMPLES, ROOT

MESSY_YAML = """\
# header comment
apiVersion: slospec/v1
service:
    name: shop    # the shop
    owner: team-shop
slis:
- name: requests
  ratio:
      bad: x_total{code="500"}   # errors
      total: x_total
slos:
# the only objective
- name: availability
  sli: requests
  target: 99.9%
  window: {calendar: month}
"""
MESSY_DSL = """\
# header comment
service shop {   # trailing on the header
      owner team-shop
}
  # before the SLO
slo availability 99.9% of requests over 28d
sli requests { ratio { bad 'x_total{code="500"}'; total x_total } }   # one line
# at the end
"""


def slospec(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "slospec", *args], cwd=cwd, capture_output=True, text=True, env=env)


@pytest.mark.parametrize(("name", "text"), [("a.slo.yaml", MESSY_YAML), ("a.slo", MESSY_DSL)])
def test_format_keeps_comments_and_is_idempotent(name: str, text: str) -> None:
    once = format_text(name, text)
    assert once.changed
    assert sorted(comment_lines(once.text)) == sorted(comment_lines(text))
    twice = format_text(name, once.text)
    assert not twice.changed


def test_yaml_layout_is_canonical() -> None:
    out = format_text("a.slo.yaml", MESSY_YAML).text
    assert any(line.startswith("  name: shop ") and line.endswith("# the shop") for line in out.splitlines())
    assert "  - name: requests" in out


@pytest.mark.parametrize("name", ["a.slo", "a.slo.yaml"])
def test_unparsable_files_are_refused(name: str) -> None:
    with pytest.raises(FormatError, match="not formatted"):
        format_text(name, "service x {\n" if name.endswith(".slo") else "a: [1\n")


def test_fmt_check_diff_and_write(tmp_path: Path) -> None:
    (tmp_path / "a.slo").write_text(MESSY_DSL)
    (tmp_path / "b.slo.yaml").write_text(format_text("b.slo.yaml", MESSY_YAML).text)
    (tmp_path / "broken.slo").write_text("service x {\n")
    result = slospec("fmt", "--check", "a.slo", "b.slo.yaml", cwd=tmp_path)
    assert result.returncode == 1 and "would reformat a.slo" in result.stdout
    result = slospec("fmt", "--diff", "a.slo", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout.startswith("--- a.slo")
    assert (tmp_path / "a.slo").read_text() == MESSY_DSL  # --check and --diff change nothing
    result = slospec("fmt", "a.slo", "b.slo.yaml", cwd=tmp_path)
    assert result.returncode == 0 and "reformatted a.slo" in result.stdout
    assert slospec("fmt", "--check", "a.slo", "b.slo.yaml", cwd=tmp_path).returncode == 0
    result = slospec("fmt", "broken.slo", cwd=tmp_path)
    assert result.returncode == 2 and "not formatted" in result.stderr
    assert (tmp_path / "broken.slo").read_text() == "service x {\n"


def test_fmt_says_why_a_named_file_of_another_kind_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello\n")
    (tmp_path / "a.slo").write_text(MESSY_DSL)
    result = slospec("fmt", "notes.txt", "a.slo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "notes.txt: not a .slo or .slo.yaml file" in result.stderr and "not formatted" in result.stderr
    assert "reformatted a.slo" in result.stdout and (tmp_path / "notes.txt").read_text() == "hello\n"
    assert "notes.txt" not in slospec("fmt", ".", cwd=tmp_path).stderr  # found in a folder: silently skipped


def test_examples_are_formatted() -> None:
    result = slospec("fmt", "--check", "examples/", cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def all_specs() -> list[Path]:
    fixtures = [p for p in (ROOT / "tests" / "rules" / "fixtures").glob("*/pass_*.slo.yaml")]
    return sorted(EXAMPLES.glob("*.slo.yaml")) + sorted(fixtures)


@pytest.mark.parametrize("path", all_specs(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_yaml_to_dsl_to_yaml_is_lossless(path: Path) -> None:
    data = [d.data for d in yamlfile.load_all(path.read_text())]
    as_dsl = dsl.dump(data)
    assert [d.data for d in dsl.load_all(as_dsl)] == data


def test_convert_command_round_trip(tmp_path: Path) -> None:
    to_dsl = slospec("convert", "examples/checkout-sla.slo.yaml", "--to", "dsl", cwd=ROOT)
    assert to_dsl.returncode == 0, to_dsl.stderr
    (tmp_path / "c.slo").write_text(to_dsl.stdout)
    back = slospec("convert", str(tmp_path / "c.slo"), "--to", "yaml", cwd=ROOT)
    assert back.returncode == 0, back.stderr
    assert [d.data for d in yamlfile.load_all(back.stdout)] == [
        d.data for d in yamlfile.load_all((EXAMPLES / "checkout-sla.slo.yaml").read_text())
    ]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("parked.slo", b"# service shop {\n#   owner team-shop\n# }\n"),
        ("parked.slo.yaml", b"# apiVersion: slospec/v1\n# service:\n#   name: shop\n"),
        ("lone.slo", b"    # a lone indented comment"),
        ("lone.slo.yaml", b"    # a lone indented comment"),
    ],
)
def test_fmt_leaves_a_parked_spec_byte_for_byte(tmp_path: Path, name: str, content: bytes) -> None:
    (tmp_path / name).write_bytes(content)
    result = slospec("fmt", name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / name).read_bytes() == content


@pytest.mark.parametrize("name", ["a.slo", "a.slo.yaml"])
def test_fmt_keeps_crlf_line_endings_on_disk(tmp_path: Path, name: str) -> None:
    messy = (MESSY_DSL if name == "a.slo" else MESSY_YAML).replace("\n", "\r\n").encode()
    (tmp_path / name).write_bytes(messy)
    result = slospec("fmt", name, cwd=tmp_path)
    assert result.returncode == 0 and "reformatted" in result.stdout, result.stderr
    written = (tmp_path / name).read_bytes()
    assert written != messy
    assert written.count(b"\r\n") == written.count(b"\n") and b"\r\r" not in written
    assert slospec("fmt", "--check", name, cwd=tmp_path).returncode == 0
