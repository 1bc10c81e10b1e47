"""The precision contract of ../shared/corpus: each OpenSLO file its authors meant to be valid,
linted alone as the pre-commit hook does, reports exactly the expected errors and no other."""

from __future__ import annotations

import pytest

from tests.conftest import CORPUS, need_corpus


def _contract() -> tuple[list[str], dict[str, set[tuple[int, str]]], dict[str, set[tuple[int, str]]]]:
    root = need_corpus()
    files = [
        line.strip()
        for line in (root / "valid-files.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    required: dict[str, set[tuple[int, str]]] = {}
    optional: dict[str, set[tuple[int, str]]] = {}
    for line in (root / "expected-errors.txt").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        path, number, code = line.strip().rsplit(":", 2)
        into = optional if code.endswith("?") else required
        into.setdefault(path, set()).add((int(number), code.rstrip("?")))
    return files, required, optional


def _valid_files() -> list[str]:
    listing = CORPUS / "valid-files.txt"
    if not listing.is_file():
        return []
    return [line.strip() for line in listing.read_text().splitlines() if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("name", _valid_files() or ["(corpus absent)"])
def test_each_valid_file_alone_reports_exactly_the_expected_errors(name, tmp_path, monkeypatch) -> None:
    from slospec.api import lint_paths
    from slospec.config import load

    files, required, optional = _contract()
    monkeypatch.chdir(tmp_path)  # no configuration, as in a fresh repository
    report = lint_paths([str(CORPUS / name)], load(None))
    assert report.crashes == []
    errors = {(d.span.line, d.code) for d in report.diagnostics if d.severity == "error"}
    must = required.get(name, set())
    may = optional.get(name, set())
    missing = must - errors
    false = errors - must - may
    described = [
        f"{d.span.line}:{d.code} {d.message}"
        for d in report.diagnostics
        if (d.span.line, d.code) in false and d.severity == "error"
    ]
    assert not missing, f"required errors not reported: {sorted(missing)}"
    assert not false, "false errors:\n" + "\n".join(described)


def test_the_contract_lists_files_that_exist() -> None:
    files, required, optional = _contract()
    root = need_corpus()
    assert len(files) > 50
    for name in files:
        assert (root / name).is_file(), name
    for name in (*required, *optional):
        assert name in files, name
