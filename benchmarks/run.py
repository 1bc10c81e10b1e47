"""Whole-process benchmarks of slospec against peers, measured in one run.

    python benchmarks/run.py [--quick] [--skip-10k] [--out benchmarks/results/latest.json]

Installs slospec (from this checkout, not editable) and the peers (check-jsonschema with
ruamel.yaml.clib, yamllint) into throwaway venvs under benchmarks/work/, generates inputs
with benchmarks/generate.py, then times each command as a whole process: repeated runs,
median and min-max wall time, and peak RSS of the child (from wait4). Prints a table with
ratios to the peer measured in the same run and writes JSON for tracking.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work"
SHARED = ROOT.parent / "shared"


def sh(*args: str | Path, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], check=True, capture_output=True, text=True, **kwargs)


def make_venv(name: str, *packages: str) -> Path:
    path = WORK / "venvs" / name
    marker = path / ".installed"
    wanted = "\n".join(packages)
    if marker.exists() and marker.read_text() == wanted:
        return path / "bin"
    if path.exists():
        shutil.rmtree(path)
    venv.EnvBuilder(with_pip=True).create(path)
    sh(path / "bin" / "python", "-m", "pip", "install", "-q", *packages)
    marker.write_text(wanted)
    return path / "bin"


def measure(argv: list[str], runs: int, cwd: Path) -> dict:
    """Median/min/max wall seconds and max peak RSS (MiB) over `runs` whole-process runs."""
    times, peaks, codes = [], [], set()
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss / 1024)
        codes.add(os.waitstatus_to_exitcode(status))
    return {
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "peak_mib": max(peaks),
        "exit_codes": sorted(codes),
        "runs": runs,
    }


def generate(out: Path, count: int, fmt: str, python: Path, slos_per_file: int = 2) -> Path:
    if out.exists() and len(list(out.iterdir())) == count:
        return out
    if out.exists():
        shutil.rmtree(out)
    sh(python, HERE / "generate.py", out, str(count), "--format", fmt, "--slos-per-file", str(slos_per_file))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--skip-10k", action="store_true", help="skip the 10,000-file cases")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "latest.json")
    args = parser.parse_args()
    reps = {"one": 5 if args.quick else 15, "many": 2 if args.quick else 5, "huge": 1 if args.quick else 3}

    WORK.mkdir(parents=True, exist_ok=True)
    print("installing slospec and peers into throwaway venvs ...", file=sys.stderr)
    slo_bin = make_venv("slospec", str(ROOT))
    peer_bin = make_venv("peers", "check-jsonschema", "ruamel.yaml.clib", "yamllint")
    slospec = str(slo_bin / "slospec")
    py = slo_bin / "python"
    data = WORK / "data"

    yaml_1k = generate(data / "yaml-1k", 1000, "yaml", py)
    one_yaml = yaml_1k / "svc-00000.slo.yaml"
    cases: list[dict] = []

    def case(group: str, name: str, argv: list[str], runs: int, peer: str | None = None, cwd: Path = data):
        print(f"  {name} ...", file=sys.stderr)
        result = measure(argv, runs, cwd)
        cases.append({"group": group, "name": name, "argv": argv, "peer": peer, **result})

    openslo_schema = ROOT / "schema" / "openslo-v1.schema.json"
    have_openslo = openslo_schema.exists()
    have_dsl = (ROOT / "slospec" / "dsl.py").exists()

    case("start-up", "slospec --help", [slospec, "--help"], reps["one"])
    case("one file", "slospec lint (YAML spec)", [slospec, "lint", str(one_yaml)], reps["one"],
         peer="yamllint (same file)")
    case("one file", "yamllint (same file)", [str(peer_bin / "yamllint"), str(one_yaml)], reps["one"])
    if have_dsl:
        dsl_dir = generate(data / "dsl-1k", 1000, "dsl", py)
        case("one file", "slospec lint (DSL)", [slospec, "lint", str(dsl_dir / "svc-00000.slo")], reps["one"],
             peer="yamllint (same file)")
    if have_openslo:
        openslo_1k = generate(data / "openslo-1k", 1000, "openslo", py)
        one_openslo = openslo_1k / "svc-00000.yaml"
        cjs = [str(peer_bin / "check-jsonschema"), "--schemafile", str(openslo_schema)]
        case("one file", "slospec lint (OpenSLO)", [slospec, "lint", str(one_openslo)], reps["one"],
             peer="check-jsonschema (OpenSLO file)")
        case("one file", "check-jsonschema (OpenSLO file)", cjs + [str(one_openslo)], reps["one"])
        files = sorted(str(p) for p in openslo_1k.iterdir())
        case("1,000 files", "slospec lint (1,000 OpenSLO files)", [slospec, "lint", str(openslo_1k)], reps["many"],
             peer="check-jsonschema (1,000 OpenSLO files)")
        case("1,000 files", "check-jsonschema (1,000 OpenSLO files)", cjs + files, reps["many"])
    case("1,000 files", "slospec lint (1,000 YAML specs)", [slospec, "lint", str(yaml_1k)], reps["many"],
         peer="check-jsonschema (1,000 OpenSLO files)" if have_openslo else None)
    case("1,000 files", "yamllint (1,000 YAML specs)", [str(peer_bin / "yamllint"), str(yaml_1k)], reps["many"])
    if not args.skip_10k:
        yaml_10k = generate(data / "yaml-10k", 10_000, "yaml", py)
        case("10,000 files", "slospec lint (10,000 YAML specs)", [slospec, "lint", str(yaml_10k)], reps["huge"],
             peer="slospec lint (1,000 YAML specs)")
    big = generate(data / "compile-1k", 100, "yaml", py, slos_per_file=10)  # 1,000 SLOs
    for target in ("prometheus", "openslo", "markdown"):
        try:
            sh(slospec, "compile", big / "svc-00000.slo.yaml", "--target", target)
        except subprocess.CalledProcessError:
            continue
        case("compile 1,000 SLOs", f"slospec compile --target {target}",
             [slospec, "compile", str(big), "--target", target, "-o", str(WORK / f"out-{target}")], reps["many"])

    by_name = {c["name"]: c for c in cases}
    for c in cases:
        peer = by_name.get(c["peer"]) if c["peer"] else None
        c["ratio"] = c["median"] / peer["median"] if peer else None

    print("\n| group | command | median | min-max | peak RSS | ratio to peer |")
    print("|---|---|---|---|---|---|")
    for c in cases:
        ratio = f"{c['ratio']:.2f}x {c['peer']}" if c["ratio"] is not None else ""
        print(f"| {c['group']} | {c['name']} | {c['median'] * 1000:.0f} ms | "
              f"{c['min'] * 1000:.0f}-{c['max'] * 1000:.0f} ms | {c['peak_mib']:.0f} MiB | {ratio} |")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    meta = {"python": sys.version.split()[0], "machine": platform.machine(), "cores": os.cpu_count(),
            "date": time.strftime("%Y-%m-%d")}
    args.out.write_text(json.dumps({"meta": meta, "cases": cases}, indent=2) + "\n")
    print(f"\nwrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
