"""Docs a new user can follow to the letter: the getting-started page runs as written in an
empty folder, installs name what exists (a clone, a real commit), schema modelines resolve,
rule pages are in the navigation and cite public sources only."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import EXAMPLES, ROOT, need_tool

PAGE = ROOT / "docs" / "getting-started.md"
BLOCK_RE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)
# Installing is what this test cannot repeat: it runs inside the venv the suite was installed
# into (pip install -e '.[test]'), whose `slospec` it puts first on PATH. Every other line runs.
INSTALL = ("git clone ", "python3 -m venv ", "pip install ", "pipx install ")


def steps(text: str):
    """("file", name, content), ("sh", command, None) or ("console", command, expected) in order."""
    for match in BLOCK_RE.finditer(text):
        lang, body = match.group(1), match.group(2)
        before = text[: match.start()].rstrip().rsplit("\n\n", 1)[-1]
        saved = re.search(r"[Ss]ave this as `([^`]+)`", before)
        if saved and lang in ("yaml", "text", "csv", "toml", ""):
            yield "file", saved.group(1), body
        elif lang == "sh":
            for line in body.splitlines():
                if line.strip() and not line.lstrip().startswith("#"):
                    yield "sh", line, None
        elif lang == "console":
            command, expected = None, []
            for line in body.splitlines():
                if line.startswith("$ "):
                    if command:
                        yield "console", command, expected
                    command, expected = line[2:], []
                else:
                    expected.append(line)
            if command:
                yield "console", command, expected


def test_getting_started_runs_as_written(tmp_path: Path) -> None:
    need_tool("promtool")
    bin_dir = Path(sys.executable).parent
    assert (bin_dir / "slospec").is_file(), "the suite runs in a venv where slospec is installed"
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", "NO_COLOR": "1"}
    ran = []
    for kind, what, expected in steps(PAGE.read_text()):
        if kind == "file":
            (tmp_path / what).write_text(expected)
            continue
        if what.startswith(INSTALL):
            continue
        result = subprocess.run(
            ["bash", "-c", what], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, f"{what}\n{result.stdout}{result.stderr}"
        if kind == "console" and expected:
            assert result.stdout.rstrip("\n").splitlines() == expected, what
        ran.append(what.split()[:2])
    # The page reaches a linted, compiled and evaluated spec.
    for command in (["slospec", "lint"], ["slospec", "compile"], ["slospec", "eval"], ["promtool", "test"]):
        assert command in ran, command
    # The modeline the page writes names a file the page created.
    first = (tmp_path / "checkout.slo.yaml").read_text().splitlines()[0]
    schema = first.split("$schema=", 1)[1]
    assert (tmp_path / schema).is_file()


def docs_texts() -> dict[str, str]:
    pages = {p.relative_to(ROOT).as_posix(): p.read_text() for p in (ROOT / "docs").rglob("*.md")}
    pages["README.md"] = (ROOT / "README.md").read_text()
    return pages


def test_installs_name_what_exists() -> None:
    for name, text in docs_texts().items():
        # slospec is not on PyPI: every install is from a clone (a path), never by name.
        assert not re.search(r"pipx? install (-U )?slospec\b", text), name


def test_schema_modelines_resolve() -> None:
    for name, text in docs_texts().items():
        for target in re.findall(r"\$schema=(\S+)", text):
            assert not target.startswith(("http://", "https://")), f"{name}: {target} is not served anywhere"
            if target.startswith("../"):  # a path inside the repository, from a spec in examples/
                assert (ROOT / "examples" / target).resolve().is_file(), f"{name}: {target}"
            else:  # saved by a command the same page gives
                assert f"> {target}" in text, f"{name}: nothing writes {target}"


def test_pre_commit_docs_pin_nothing_stale_and_name_shipped_hooks() -> None:
    """Issue 29 case 10: no commit SHA that goes stale; `rev: main` and `pre-commit autoupdate`
    explained (tests/test_precommit.py runs autoupdate on it); every hook named is shipped."""
    shipped = (ROOT / ".pre-commit-hooks.yaml").read_text()
    for name in ("README.md", "docs/pre-commit.md"):
        text = (ROOT / name).read_text()
        revs = re.findall(r"^\s*rev:\s*(\S+)", text, re.M)
        assert revs == ["main"], f"{name}: {revs}"
        assert not re.search(r"\b[0-9a-f]{40}\b", text), f"{name}: a pinned commit goes stale"
        assert "pre-commit autoupdate" in text, name
        for hook in re.findall(r"- id: (\S+)", text):
            assert f"id: {hook}\n" in shipped, f"{name}: no hook {hook}"


def test_navigation_lists_every_rule_page_and_the_schema_reference() -> None:
    import importlib.util

    from ruamel.yaml import YAML

    from slospec.rules import all_rules

    config = YAML(typ="safe").load((ROOT / "mkdocs.yml").read_text())
    spec = importlib.util.spec_from_file_location("docs_hooks", ROOT / "docs" / "hooks.py")
    hooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hooks)
    nav = hooks.on_config(config)["nav"]

    def paths(items):
        for item in items:
            for value in item.values() if isinstance(item, dict) else [item]:
                yield from (paths(value) if isinstance(value, list) else [value])

    listed = set(paths(nav))
    assert "reference/schema.md" in listed
    assert {f"rules/{r.name}.md" for r in all_rules().values()} <= listed


def test_rule_pages_cite_public_sources_only() -> None:
    from slospec.rules import all_rules

    for rule in all_rules().values():
        references = rule.section("References")
        assert "domain notes" not in references, rule.code
        assert not re.search(r"\b[A-D]\.\d+\b", references), f"{rule.code}: internal section reference"


def test_exclusion_without_description_has_no_dangling_colon() -> None:
    from slospec import compile as backends
    from slospec.api import lint_text, load_specs
    from slospec.config import Config

    text = (EXAMPLES / "checkout-sla.slo.yaml").read_text()
    text = text.replace(
        "        description: Maintenance announced at least 72 hours ahead, at most 4 hours per month.\n", ""
    )
    text = text.replace(
        "        description: Events beyond reasonable control, as defined in the master agreement.\n", ""
    )
    assert "SLO002" not in {d.code for d in lint_text(text)}
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        spec_path = Path(folder) / "sla.slo.yaml"
        spec_path.write_text(text)
        specs, problems = load_specs([str(spec_path)], Config())
    assert not problems
    document = "".join(a.text for a in backends.load("markdown").compile(specs, backends.CompileOptions()))
    lines = [
        line for line in document.splitlines() if "**force-majeure**" in line or "**scheduled-maintenance**" in line
    ]
    assert "- **force-majeure**" in lines
    assert lines[0] == "- **scheduled-maintenance**: At most 4 hours per month, announced at least 3 days ahead."
