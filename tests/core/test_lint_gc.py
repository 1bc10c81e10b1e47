"""A lint runs with the cyclic GC off (issue 21): the caller's collector comes back as it
was, even when the lint fails, and the run is the same either way."""

from __future__ import annotations

import gc

import pytest

from slospec import api
from slospec.api import lint_paths
from slospec.config import Config
from tests.conftest import EXAMPLES


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_comes_back_as_it_was(enabled: bool) -> None:
    (gc.enable if enabled else gc.disable)()
    try:
        lint_paths([str(EXAMPLES)], Config(root=EXAMPLES, jobs=1, cache=False))
        assert gc.isenabled() is enabled
    finally:
        gc.enable()


def test_the_collector_comes_back_after_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(api, "_lint_paths", broken)
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        lint_paths([str(EXAMPLES)], Config(root=EXAMPLES, jobs=1, cache=False))
    assert gc.isenabled()


def test_a_run_without_the_collector_equals_one_with_it() -> None:
    # The same files through the pipeline's stages with the collector on (calling the
    # stages directly) and through lint_paths (collector off): the same findings.
    from slospec.lint.engine import check_file, check_together
    from slospec.source.loader import read

    config = Config(root=EXAMPLES, jobs=1, cache=False)
    report = lint_paths([str(EXAMPLES)], config)
    assert gc.isenabled()
    sources = [read(path, c) for path, c, _explicit in api.discover_files([str(EXAMPLES)], config)]
    results = [check_file(s, config) for s in sources if s is not None]
    assert report.diagnostics and check_together(results, config) == report.diagnostics
