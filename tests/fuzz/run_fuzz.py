"""Long fuzzing run for the front ends (not part of the normal suite).

    python tests/fuzz/run_fuzz.py 100000        # examples per strategy

Runs the same hypothesis strategies as tests/robustness/test_fuzz_yaml.py (and the DSL
fuzz test when present) with many more examples, and prints how many ran clean.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> int:
    from hypothesis import HealthCheck, given, settings

    from tests.robustness import test_fuzz_yaml as yaml_fuzz

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    ran = {"n": 0}
    for name, strategy in (
        ("mutated examples", yaml_fuzz.mutated_example()),
        ("arbitrary bytes", yaml_fuzz.st.binary(max_size=2000)),
    ):
        start = time.perf_counter()
        ran["n"] = 0

        @settings(max_examples=count, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(strategy)
        def run(raw: bytes) -> None:
            ran["n"] += 1
            codes = yaml_fuzz.lint_bytes(raw)
            assert all(c.startswith("SLO") for c in codes)

        run()
        print(f"{name}: {ran['n']} cases clean in {time.perf_counter() - start:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
