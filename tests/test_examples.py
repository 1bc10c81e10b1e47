"""The bundled examples: the clean ones lint clean, the broken ones report exactly what they plant."""

from __future__ import annotations

import re
from pathlib import Path

from slospec.api import lint_paths
from slospec.config import Config, load
from tests.conftest import EXAMPLES, ROOT

EXPECT_RE = re.compile(r"#\s*expect:\s*([A-Z0-9,\s]+?)\s*$")


def test_clean_examples_have_no_findings_at_all(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    config = load()  # the repository's slospec.toml excludes examples/broken
    report = lint_paths(["examples"], config)
    assert report.files >= 6
    assert report.diagnostics == []


def test_broken_examples_report_each_planted_problem() -> None:
    expected = set()
    for path in sorted((EXAMPLES / "broken").glob("*")):
        if path.suffix == ".md":
            continue
        text = path.read_bytes().decode("utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            match = EXPECT_RE.search(line)
            if match:
                for code in match.group(1).split(","):
                    expected.add((path.name, number, code.strip()))
    report = lint_paths([str(EXAMPLES / "broken")], Config(root=ROOT))
    found = {(Path(d.path).name, d.span.line, d.code) for d in report.diagnostics}
    assert found == expected
