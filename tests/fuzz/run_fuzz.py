"""Long fuzzing runs (not part of the normal suite): the suite's whole-CLI harness with more cases.

    python tests/fuzz/run_fuzz.py 50000           # total CLI cases, shared like the suite's 2,000
    python tests/fuzz/run_fuzz.py 50000 --front   # plus the front-end fuzzers of tests/robustness
    python tests/fuzz/run_fuzz.py 50000 --only=mutated   # only the tests whose name holds a word

Runs every test of tests/fuzz/test_cli_fuzz.py with its share of N cases (the same
strategies and invariants as in CI), then prints per test whether it stayed clean and how long
it took, and the number of CLI cases and cases per second in all.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 50_000
    os.environ["SLOSPEC_FUZZ_CASES"] = str(count)  # read when the harness is imported
    from tests.fuzz import harness, test_cli_fuzz

    failures = 0
    began = time.perf_counter()
    only = [arg.split("=", 1)[1] for arg in sys.argv if arg.startswith("--only=")]
    tests = [
        (name, fn)
        for name, fn in vars(test_cli_fuzz).items()
        if name.startswith("test_") and callable(fn) and (not only or any(word in name for word in only))
    ]
    if len(tests) > 1 and "--front" not in sys.argv:
        return _one_process_per_test([name for name, _test in tests], count)
    for name, test in tests:
        start = time.perf_counter()
        try:
            test()
            status = "clean"
        except Exception:  # noqa: BLE001 - report every failing test, then go on
            failures += 1
            status = "FAILED\n" + traceback.format_exc()
        print(f"{name}: {status} in {time.perf_counter() - start:.0f}s", flush=True)
    seconds = time.perf_counter() - began
    cases = harness.COUNT["cases"]
    print(
        f"{cases} CLI cases in all in {seconds:.0f}s ({cases / max(seconds, 1e-9):.1f} cases/s), "
        f"{failures} failing test(s)"
    )
    if "--front" in sys.argv:
        failures += _front_ends(count)
    return 1 if failures else 0


def _one_process_per_test(names: list[str], count: int) -> int:
    """Each test in a process of its own: hypothesis keeps state for every case it ran, and a
    50,000-case run in one process outgrew 6 GB (MemoryError in hypothesis, not in slospec)."""
    import subprocess

    failed = 0
    for name in names:
        args = [sys.executable, __file__, str(count), f"--only={name}"]
        failed += subprocess.run(args, check=False).returncode != 0
    print(f"{len(names)} tests in separate processes, {failed} failing")
    return 1 if failed else 0


def _front_ends(count: int) -> int:
    from tests.robustness import test_fuzz_yaml as yaml_fuzz

    for name, strategy in (
        ("mutated examples", yaml_fuzz.mutated_example()),
        ("arbitrary bytes", yaml_fuzz.st.binary(max_size=2000)),
    ):
        _front_end(name, strategy, count)
    return 0


def _front_end(name: str, strategy, count: int) -> None:
    from hypothesis import HealthCheck, given, settings

    from tests.robustness import test_fuzz_yaml as yaml_fuzz

    start = time.perf_counter()
    ran = {"n": 0}

    @settings(max_examples=count, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def run(raw: bytes) -> None:
        ran["n"] += 1
        yaml_fuzz.lint_bytes(raw)  # asserts: no crash, each diagnostic well formed

    run()
    print(f"front end, {name}: {ran['n']} cases clean in {time.perf_counter() - start:.1f}s")


if __name__ == "__main__":
    raise SystemExit(main())
