"""Issue 28, case 10: the kept whole-run report is keyed by the bytes its findings came from.

A file saved between the parent's read (which keys the run) and the read its findings come
from must not leave a report of the new bytes under the old bytes' key."""

from __future__ import annotations

from pathlib import Path

from slospec import api
from slospec.config import Config
from tests.core.test_cli import BAD, GOOD


def codes(path: Path) -> set[str]:
    return {d.code for d in api.lint_paths([str(path)], Config(root=path.parent)).diagnostics}


def test_a_file_saved_during_a_run_does_not_poison_the_kept_report(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    spec = tmp_path / "api.slo.yaml"
    spec.write_text(BAD)
    original = api._reads

    def saved_right_after_the_parent_read(jobs):
        reads = original(jobs)
        spec.write_text(GOOD)  # the editor saves the fixed file while lint runs
        return reads

    monkeypatch.setattr(api, "_reads", saved_right_after_the_parent_read)
    assert "SLO101" not in codes(spec)  # the findings of the bytes checked: the saved file's
    monkeypatch.setattr(api, "_reads", original)
    spec.write_text(BAD)  # back to the erroneous bytes the parent had read
    assert "SLO101" in codes(spec)  # the cache must not answer with the clean report
    assert "SLO101" in codes(spec)  # nor on a warm run
    spec.write_text(GOOD)
    assert "SLO101" not in codes(spec)
