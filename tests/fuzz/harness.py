"""The whole-CLI fuzz harness: hypothesis strategies for hostile inputs and the invariants every
command must keep, run in-process through click's CliRunner (tests/fuzz/test_cli_fuzz.py in the
suite, tests/fuzz/run_fuzz.py for long runs).

Counts come from the hypothesis profile of the run (HYPOTHESIS_PROFILE, see tests/conftest.py:
`ci`, the default, about 2,000 cases in all; `dev`; `long`), or a total given by SLOSPEC_FUZZ_CASES
(run_fuzz.py sets it). Each test takes its share of the total.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
import traceback
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.conftest import CORPUS, EXAMPLES, ROOT

PROFILES = {"ci": 2_000, "dev": 400, "long": 50_000}
PROFILE = os.environ.get("SLOSPEC_FUZZ_PROFILE") or os.environ.get("HYPOTHESIS_PROFILE", "ci")
TOTAL = int(os.environ.get("SLOSPEC_FUZZ_CASES") or PROFILES.get(PROFILE, PROFILES["ci"]))
CASE_SECONDS = 10  # the bound per case, in CPU seconds (see invoke)
# Wall-clock backstop per case (hypothesis' deadline): on a shared two-core machine a case's
# wall time is several times its CPU time, so the bound itself is checked on CPU time, and
# this catches a case that waits instead of working (a blocking read, a sleep).
WALL_SECONDS = 6 * CASE_SECONDS


def fuzz_settings(share: float) -> settings:
    """Settings for a test that runs `share` of the profile's cases."""
    return settings(
        max_examples=max(1, int(TOTAL * share)),
        deadline=timedelta(seconds=WALL_SECONDS),
        database=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )


# ------------------------------------------------------------------ seeds


def _seeds() -> dict[str, list[bytes]]:
    seeds = {
        "yaml": [p.read_bytes() for p in sorted(EXAMPLES.glob("*.slo.yaml"))],
        "dsl": [p.read_bytes() for p in sorted(EXAMPLES.glob("*.slo"))],
        "broken": [p.read_bytes() for p in sorted((EXAMPLES / "broken").glob("*.slo.yaml"))],
        # The suite's own OpenSLO fixture, so OpenSLO input is fuzzed even without the corpus.
        "openslo": [(ROOT / "tests" / "openslo" / "fixtures" / "valid.yaml").read_bytes()],
    }
    # Real OpenSLO files from the shared corpus when it is there (never copied into the project).
    if CORPUS.is_dir():
        for path in sorted(CORPUS.rglob("*.y*ml"))[:400]:
            try:
                raw = path.read_bytes()
            except OSError:
                continue
            if b"openslo/v1" in raw and len(raw) < 20_000:
                seeds["openslo"].append(raw)
    return seeds


SEEDS = _seeds()
SUFFIX = {"yaml": "spec.slo.yaml", "dsl": "spec.slo", "broken": "spec.slo.yaml", "openslo": "objects.yaml"}

HOSTILE_DURATIONS = [
    "0s",
    "0ms",
    "0.0001ms",
    "0.4ms",
    "1ms",
    "99999999w",
    "3651d",
    "3650d",
    "1h30m",
    "0d0h",
    "1.5s",
    "99999999999999999999999999999w",
    "00000000001s",
    "1M",
    "1y",
    "-1s",
    "1e3s",
    "5",
]
HOSTILE_PERCENTS = [
    "100%",
    "0%",
    "0",
    "100",
    "-1%",
    "99.999999999999999999999999999999%",
    "1e-30",
    "100.0000001%",
    "NaN",
    ".nan",
    ".inf",
    "-.inf",
    "1e30",
    "99.9",
    "50%",
    "0.0001%",
    "'99.9%'",
]
HOSTILE_NUMBERS = [
    "0",
    "-1",
    "1e30",
    "1e400",
    "1000000000000000",
    "1000000000000001",
    ".nan",
    ".inf",
    "NaN",
    "99999999999999999999999999999999999999",
    "0.0000000000001",
    "true",
    "null",
    "0x10",
    "1_000",
]
HOSTILE_ZONES = [
    "Mars/Olympus",
    "../../etc/passwd",
    "/etc/passwd",
    "UTC",
    "Europe/Berlin",
    "America",
    "",
    "zone.tab",
    "posixrules",
    "Etc/GMT+5",
    "a" * 300,
    "Europe/../UTC",
    "\u2028",
    "right/UTC",
]
HOSTILE_TEXT = [
    "\u2028",
    "\u2029",
    "\x85",
    "\x0b",
    "\x00",
    "\ud7ff",
    "\ufeff",
    "#",
    " #",
    "# slospec: disable=SLO101",
    "'",
    '"',
    "{",
    "}",
    "[",
    "]",
    "&a",
    "*a",
    "!!python/object/apply:os.system ['true']",
    "<<: *a",
    "{{ window }}",
    "${x}",
    "\\",
    "\t",
    "\r\n",
    "\r",
    "---\n",
    "...\n",
    "%YAML 1.2\n",
    "?",
    "|",
    ">",
]
DSL_BITS = [
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b"\n",
    b"#",
    b" # c\n",
    b'"',
    b"'",
    b"\\",
    b"slo x {\n",
    b"sli y {\n",
    b"window 0s\n",
    b"target 100%\n",
    b"per 0s\n",
    b"timeZone Mars/Olympus\n",
    b"count 1e30\n",
    b"\xe2\x80\xa8",
    b"\xc2\x85",
    b"\x0b",
    b"30d",
    b"99.9%",
    b"tier page {\n",
    b"}\n",
    b"dependency d {\n",
]
YAML_BITS = [
    b":",
    b"- ",
    b"  ",
    b"\n",
    b"{",
    b"}",
    b"[",
    b"]",
    b"&a ",
    b"*a",
    b"<<: ",
    b"!!str ",
    b"!x ",
    b"'",
    b'"',
    b"#",
    b" # c\n",
    b"---\n",
    b"...\n",
    b"\t",
    b"\x00",
    b"\xff",
    b"99.9%",
    b"30d",
    b"1M",
    b"?",
    b"|",
    b">",
    b"%YAML 1.2\n",
    b"target: ",
    b"window: ",
    b"sli: ",
    b"name: ",
    b"100%",
    b"\r\n",
    b"window: 0s\n",
    b"per: 0s\n",
    b"slice: 0s\n",
    b"timeZone: ../../etc/passwd\n",
    b"count: 1e30\n",
    b"\xe2\x80\xa8",
    b"\xc2\x85",
]

_DURATION_RE = re.compile(rb"(?<![\w.])\d+(?:\.\d+)?(?:ms|[wdhms])(?![\w%])")
_PERCENT_RE = re.compile(rb"(?<![\w.])\d+(?:\.\d+)?%")
_NUMBER_RE = re.compile(rb"(?<=[: ])\d+(?:\.\d+)?(?=\s*(?:$|[,}\]]|#))", re.M)  # also in flow mappings
_ZONE_RE = re.compile(rb"(?<=timeZone)(:?\s+)\S+")


@st.composite
def mutated(draw, kinds: tuple[str, ...] = ("yaml", "dsl", "broken", "openslo")) -> tuple[str, bytes]:
    """(file name, bytes): an example or corpus file with a few byte-level mutations."""
    kind = draw(st.sampled_from([k for k in kinds if SEEDS[k]]))
    data = bytearray(draw(st.sampled_from(SEEDS[kind])))
    bits = DSL_BITS if kind == "dsl" else YAML_BITS
    for _ in range(draw(st.integers(0, 5))):
        position = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "duplicate"]))
        if action == "insert":
            data[position:position] = draw(st.sampled_from(bits))
        elif action == "delete" and data:
            del data[position : min(len(data), position + draw(st.integers(1, 60)))]
        elif action == "duplicate" and data:
            end = min(len(data), position + draw(st.integers(1, 200)))
            data[position:position] = data[position:end]
        else:
            data[position : position + 1] = bytes([draw(st.integers(0, 255))])
    return SUFFIX[kind], bytes(data)


@st.composite
def hostile_values(draw) -> tuple[str, bytes]:
    """A valid example with durations, percentages, numbers or zones swapped for hostile values."""
    kind = draw(st.sampled_from(["yaml", "dsl", "broken"]))  # broken: declared tiers, burn rates
    data = draw(st.sampled_from(SEEDS[kind]))
    for pattern, values in (
        (_DURATION_RE, HOSTILE_DURATIONS),
        (_PERCENT_RE, HOSTILE_PERCENTS),
        (_NUMBER_RE, HOSTILE_NUMBERS),
        (_ZONE_RE, HOSTILE_ZONES),
    ):
        matches = list(pattern.finditer(data))
        if not matches or not draw(st.booleans()):
            continue
        chosen = draw(st.lists(st.sampled_from(matches), max_size=3, unique_by=lambda m: m.start()))
        for match in sorted(chosen, key=lambda m: -m.start()):
            value = draw(st.sampled_from(values)).encode("utf-8", "surrogatepass")
            if pattern is _ZONE_RE:
                value = match.group(1) + value
            data = data[: match.start()] + value + data[match.end() :]
    if draw(st.booleans()):
        lines = data.split(b"\n")
        at = draw(st.integers(0, len(lines) - 1))
        text = draw(st.sampled_from(HOSTILE_TEXT)).encode("utf-8", "surrogatepass")
        lines[at] = lines[at] + text if draw(st.booleans()) else text + lines[at]
        data = b"\n".join(lines)
    return SUFFIX[kind], data


random_bytes = st.tuples(
    st.sampled_from(["spec.slo.yaml", "spec.slo", "objects.yaml"]),
    st.binary(max_size=600) | st.lists(st.sampled_from(YAML_BITS + DSL_BITS), max_size=40).map(b"".join),
)

TARGETS = ["openslo", "markdown", "prometheus", "prometheus-tests", "sloth", "grafana"]


def spec_command(name: str) -> st.SearchStrategy[list[str]]:
    """Arguments for one command over the spec file `name`."""
    return st.one_of(
        st.sampled_from(["text", "json", "sarif", "github"]).map(lambda f: ["lint", "--format", f, name]),
        st.sampled_from(TARGETS).map(lambda t: ["compile", "--target", t, name]),
        st.just(["compile", "--target", "markdown", "--internal", name]),
        st.sampled_from(["yaml", "dsl", "openslo"]).map(lambda to: ["convert", name, "--to", to]),
        st.just(["fmt", "--check", name]),
        st.just(["fmt", "--diff", name]),
        st.just(["fmt", name]),
    )


# ------------------------------------------------------------------ running and invariants


@dataclass
class Outcome:
    args: list[str]
    exit_code: int
    output: str  # stdout and stderr as they came
    stdout: str = ""
    stderr: str = ""


COUNT = {"cases": 0}  # CLI invocations so far (run_fuzz.py prints it)


class Workspace:
    """One temporary folder per test, emptied between cases (in-process: no start-up cost)."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="slospec-fuzz-"))

    def fresh(self, files: dict[str, bytes]) -> Path:
        for child in self.root.iterdir():
            if child.is_dir():
                import shutil

                shutil.rmtree(child)
            else:
                child.unlink()
        for name, content in files.items():
            (self.root / name).write_bytes(content)
        return self.root


def invoke(args: list[str], cwd: Path, stdin: bytes | None = None) -> Outcome:
    """Run the CLI in-process and assert the contract: no exception escapes, exit 0/1/2, no
    "internal error" (the entry point's last resort for bugs)."""
    from click.testing import CliRunner

    from slospec.cli import main

    COUNT["cases"] += 1
    old = os.getcwd()
    os.chdir(cwd)
    began = _cpu_seconds()
    try:
        result = CliRunner().invoke(main, args, input=stdin, catch_exceptions=True)
    finally:
        os.chdir(old)
    spent = _cpu_seconds() - began
    output = result.output
    where = f"slospec {' '.join(a[:80] for a in args)}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        trace = "".join(traceback.format_exception(result.exception))
        raise AssertionError(f"{where}: exception escaped the CLI:\n{trace}")
    assert result.exit_code in (0, 1, 2), f"{where}: exit status {result.exit_code}\n{output}"
    assert "internal error" not in output, f"{where}: {output[-2000:]}"
    assert "Traceback" not in output, f"{where}: {output[-2000:]}"
    assert spent <= CASE_SECONDS, f"{where}: took {spent:.1f} CPU seconds (more than {CASE_SECONDS})"
    return Outcome(args, result.exit_code, output, result.stdout, result.stderr)


def _cpu_seconds() -> float:
    """CPU time of this process and of the children it waited for (the template sandbox)."""
    try:
        import resource
    except ImportError:  # not on Windows: this process alone
        return time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def comments(text: str) -> list[str]:
    """Full-line comments (what fmt must keep whatever else it changes)."""
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


def check_fmt(cwd: Path, name: str) -> None:
    """fmt's invariants on one file: unchanged on error, comments and data kept, idempotent."""
    path = cwd / name
    before = path.read_bytes()
    first = invoke(["fmt", name], cwd)
    after = path.read_bytes()
    if first.exit_code != 0:
        assert after == before, f"fmt failed (exit {first.exit_code}) yet changed {name}"
        return
    if after == before:
        return
    text_before, text_after = before.decode("utf-8", "replace"), after.decode("utf-8", "replace")
    kept = comments(text_after)
    lost = [c for c in comments(text_before) if c not in kept and c.lstrip("#").strip()]
    assert not lost, f"fmt lost comments {lost[:3]} of {name}"
    from slospec.format.run import _same  # data equality where NaN (a `.nan` value) equals NaN

    assert _same(_data(name, text_before), _data(name, text_after)), f"fmt changed the data of {name}"
    second = invoke(["fmt", "--check", name], cwd)
    assert second.exit_code == 0, f"fmt is not idempotent on {name}:\n{second.output}"


def _data(name: str, text: str) -> list:
    from slospec.config import Config
    from slospec.source import loader

    fmt = loader.file_format(name, text) or "yaml"
    source = loader.parse(name, text.lstrip("\ufeff"), fmt, Config())
    return [d.data for d in source.documents]
