"""Whole-process benchmarks of slospec against peers, measured in one run.

    python benchmarks/run.py [--quick] [--skip-10k] [--skip-eval] [--events N] [--only TEXT] [--write-docs]

Installs slospec (from this checkout, not editable, with the `fast` extra) and the peers
(check-jsonschema with ruamel.yaml.clib, yamllint, duckdb, polars) into throwaway venvs under
benchmarks/work/, generates inputs with benchmarks/generate.py, then times each command as a
whole process: slospec and its peer interleaved run by run, median and min-max wall time,
peak RSS of the child (from wait4).

Every command is checked first: its exit status must be one it gives when it did its job
(lint: 0 or 1 for findings; check-jsonschema: 0, the inputs are valid; the eval peers: 0),
and stderr must hold no traceback. A row whose command or peer fails is reported as invalid
and never written to docs/performance.md. `--write-docs` replaces the table there.
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
import tempfile
import time
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work"
COLD = WORK / "cold-caches"
DOCS = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- benchmark table: begin -->", "<!-- benchmark table: end -->"

DUCKDB_PEER = """
import sys, duckdb
rows = duckdb.execute("SELECT floor(timestamp / 60) AS k, sum(good), count(*) FROM read_csv(?) GROUP BY k",
                      [sys.argv[1]]).fetchall()
good = sum(r[1] for r in rows); total = sum(r[2] for r in rows)
print(f"{len(rows)} buckets, {good} good of {total}")
"""
DUCKDB_LATENCY_PEER = """
import sys, duckdb
rows = duckdb.execute("SELECT floor(timestamp / 60) AS k, sum(CASE WHEN value <= 0.3 THEN 1 ELSE 0 END), count(*) "
                      "FROM read_csv(?) GROUP BY k", [sys.argv[1]]).fetchall()
good = sum(r[1] for r in rows); total = sum(r[2] for r in rows)
print(f"{len(rows)} buckets, {good} good of {total}")
"""
POLARS_PEER = """
import sys, polars as pl
df = (pl.scan_csv(sys.argv[1]).group_by((pl.col("timestamp") // 60).alias("k"))
      .agg(pl.col("good").sum(), pl.len().alias("n")).collect())
print(f"{df.height} buckets, {df['good'].sum()} good of {df['n'].sum()}")
"""


def sh(*args: str | Path, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], check=True, capture_output=True, text=True, **kwargs)


def source_digest() -> str:
    """A digest of what a slospec install is built from: a venv built from an older checkout is
    rebuilt, so the figures are always those of the code in this tree."""
    import hashlib

    digest = hashlib.sha256()
    for top in ("slospec", "schema", "grammar", "pyproject.toml"):
        path = ROOT / top
        for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if file.is_file() and "__pycache__" not in file.parts:
                digest.update(str(file.relative_to(ROOT)).encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def make_venv(name: str, *packages: str, stamp: str = "") -> Path:
    path = WORK / "venvs" / name
    marker = path / ".installed"
    wanted = "\n".join([*packages, stamp])
    if marker.exists() and marker.read_text() == wanted:
        return path / "bin"
    if path.exists():
        shutil.rmtree(path)
    venv.EnvBuilder(with_pip=True).create(path)
    sh(path / "bin" / "python", "-m", "pip", "install", "-q", *packages)
    marker.write_text(wanted)
    return path / "bin"


def version(bin_dir: Path, dist: str) -> str:
    try:
        return sh(
            bin_dir / "python", "-c", f"import importlib.metadata as m; print(m.version({dist!r}))"
        ).stdout.strip()
    except subprocess.CalledProcessError:
        return "?"


def cache_env(cold: bool) -> dict[str, str]:
    """The environment of one run: slospec's result cache in a folder of the benchmark's own;
    a cold run gets a fresh empty one (made before the clock starts), a warm run the shared one
    that the check run filled."""
    base = dict(os.environ)
    if cold:
        COLD.mkdir(parents=True, exist_ok=True)
        return {**base, "XDG_CACHE_HOME": tempfile.mkdtemp(dir=COLD)}
    return {**base, "XDG_CACHE_HOME": str(WORK / "warm-cache")}


def check(argv: list[str], ok: set[int], cwd: Path, env: dict[str, str] | None = None) -> str | None:
    """Why the command did not do its job, or None."""
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, env=env)
    if proc.returncode not in ok:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        return f"exit {proc.returncode} (expected {sorted(ok)}): {' | '.join(tail)[:300]}"
    if "Traceback" in proc.stderr or "internal error" in proc.stderr:
        return f"exit {proc.returncode} with a traceback: {proc.stderr.strip().splitlines()[-1][:200]}"
    return None


def once(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float, int]:
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def summary(samples: list[tuple[float, float, int]]) -> dict:
    times = [s[0] for s in samples]
    return {
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "peak_mib": max(s[1] for s in samples),
        "exit_codes": sorted({s[2] for s in samples}),
        "runs": len(samples),
    }


def generate(out: Path, count: int, fmt: str, python: Path, slos_per_file: int = 2) -> Path:
    done = out.with_name(out.name + ".done")
    if done.exists() and done.read_text() == f"{count} {fmt} {slos_per_file}":
        return out
    if out.is_dir():
        shutil.rmtree(out)
    elif out.exists():
        out.unlink()
    sh(python, HERE / "generate.py", out, str(count), "--format", fmt, "--slos-per-file", str(slos_per_file))
    done.write_text(f"{count} {fmt} {slos_per_file}")
    return out


def formatted_copy(source: Path, out: Path, slospec: str) -> Path:
    """A copy of `source` in slospec's canonical layout (`slospec fmt` run once on it)."""
    done = out.with_name(out.name + ".done")
    stamp = f"{source} {sum(1 for _ in source.iterdir())}"
    if done.exists() and done.read_text() == stamp:
        return out
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(source, out)
    env = {**os.environ, "XDG_CACHE_HOME": tempfile.mkdtemp(dir=WORK)}
    subprocess.run([slospec, "fmt", str(out)], check=True, capture_output=True, env=env)
    shutil.rmtree(env["XDG_CACHE_HOME"], ignore_errors=True)
    done.write_text(stamp)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--skip-10k", action="store_true", help="skip the 10,000-file cases")
    parser.add_argument("--skip-eval", action="store_true", help="skip the eval cases")
    parser.add_argument("--events", type=int, default=10_000_000, help="events in the eval CSV")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="TEXT",
        help="time only the rows whose command contains TEXT (repeatable), e.g. --only 'latency events'",
    )
    parser.add_argument("--write-docs", action="store_true", help="replace the table in docs/performance.md")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "latest.json")
    args = parser.parse_args()
    reps = {
        "one": 20 if args.quick else 40,
        "many": 2 if args.quick else 5,
        "huge": 1 if args.quick else 3,
        "eval": 1 if args.quick else 3,
    }

    WORK.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(COLD, ignore_errors=True)
    shutil.rmtree(WORK / "warm-cache", ignore_errors=True)
    print("installing slospec and peers into throwaway venvs ...", file=sys.stderr)
    slo_bin = make_venv("slospec", f"{ROOT}[fast]", stamp=source_digest())
    peer_bin = make_venv("peers", "check-jsonschema", "ruamel.yaml.clib", "yamllint", "duckdb", "polars")
    slospec = str(slo_bin / "slospec")
    py = slo_bin / "python"
    data = WORK / "data"
    data.mkdir(exist_ok=True)
    cjs = str(peer_bin / "check-jsonschema")
    yamllint = str(peer_bin / "yamllint")
    lint_ok, tool_ok = {0, 1}, {0}

    yaml_1k = generate(data / "yaml-1k", 1000, "yaml", py)
    one_yaml = yaml_1k / "svc-00000.slo.yaml"
    rows: list[dict] = []

    def pair(
        group: str,
        name: str,
        argv: list[str],
        runs: int,
        ok: set[int] = lint_ok,
        *peers: tuple[str, list[str], set[int]],
        cold: bool = False,
    ) -> None:
        """Time a command and its peers, interleaved run by run, after checking each does its job.
        `cold`: every run of slospec starts with an empty result cache; else the check run
        fills the cache that the timed runs read (the pre-commit case: unchanged files)."""
        if args.only and not any(text in name for text in args.only):
            return
        print(f"  {name} ...", file=sys.stderr)
        row = {
            "group": group,
            "name": name,
            "argv": argv,
            "cold": cold,
            "invalid": check(argv, ok, data, cache_env(cold)),
            "peers": [{"name": p[0], "argv": p[1], "invalid": check(p[1], p[2], data, cache_env(cold))} for p in peers],
        }
        rows.append(row)
        if row["invalid"] or any(p["invalid"] for p in row["peers"]):
            return
        samples: list = []
        peer_samples: list[list] = [[] for _ in peers]
        for _ in range(runs):
            samples.append(once(argv, data, cache_env(cold)))
            for n, peer in enumerate(peers):
                peer_samples[n].append(once(peer[1], data, cache_env(cold)))
        row.update(summary(samples))
        for peer, got in zip(row["peers"], peer_samples, strict=True):
            peer.update(summary(got))
            peer["ratio"] = row["median"] / peer["median"]

    pair(
        "start-up",
        "slospec --help",
        [slospec, "--help"],
        reps["one"],
        {0},
        ("python -c 'import click'", [str(py), "-c", "import click"], {0}),
    )
    for cold, how in ((True, "cold: empty cache"), (False, "warm cache")):
        pair(
            "one file",
            f"slospec lint (YAML spec, {how})",
            [slospec, "lint", str(one_yaml)],
            reps["one"],
            lint_ok,
            ("yamllint (same file)", [yamllint, str(one_yaml)], lint_ok),
            cold=cold,
        )
    dsl_1k = generate(data / "dsl-1k", 1000, "dsl", py)
    for cold, how in ((True, "cold: empty cache"), (False, "warm cache")):
        pair(
            "one file",
            f"slospec lint (.slo, {how})",
            [slospec, "lint", str(dsl_1k / "svc-00000.slo")],
            reps["one"],
            lint_ok,
            ("yamllint (the YAML spec)", [yamllint, str(one_yaml)], lint_ok),
            cold=cold,
        )
    openslo_1k = generate(data / "openslo-1k", 1000, "openslo", py)
    split_1k = generate(data / "openslo-split-1k", 1000, "openslo-split", py)
    openslo_schema = str(ROOT / "schema" / "openslo-v1.schema.json")
    spec_schema = str(ROOT / "schema" / "slospec.schema.json")
    one_split = sorted(str(p) for p in split_1k.glob("svc-00000-*.yaml"))
    pair(
        "one file",
        "slospec lint (OpenSLO file)",
        [slospec, "lint", str(openslo_1k / "svc-00000.yaml")],
        reps["one"],
        lint_ok,
        ("check-jsonschema (its objects, one per file)", [cjs, "--schemafile", openslo_schema, *one_split], tool_ok),
        cold=True,
    )
    for cold, how in ((True, "cold"), (False, "warm, unchanged files")):
        pair(
            "1,000 files",
            f"slospec lint (1,000 YAML specs, {how})",
            [slospec, "lint", str(yaml_1k)],
            reps["many"],
            lint_ok,
            (
                "check-jsonschema (same files, slospec schema)",
                [cjs, "--schemafile", spec_schema, *sorted(str(p) for p in yaml_1k.iterdir())],
                tool_ok,
            ),
            cold=cold,
        )
    pair(
        "1,000 files",
        "slospec lint (1,000 OpenSLO files)",
        [slospec, "lint", str(openslo_1k)],
        reps["many"],
        lint_ok,
        (
            "check-jsonschema (same objects, one per file)",
            [cjs, "--schemafile", openslo_schema, *sorted(str(p) for p in split_1k.iterdir())],
            tool_ok,
        ),
        cold=True,
    )
    # fmt is timed on files already in slospec's layout (a team that runs the fmt hook: the
    # common case) and on the generator's files, which are not (every file is rewritten).
    formatted_1k = formatted_copy(yaml_1k, data / "yaml-1k-formatted", slospec)
    for files, what in ((formatted_1k, "formatted"), (yaml_1k, "unformatted")):
        for cold, how in ((True, "cold"), (False, "warm, unchanged files")):
            if what == "unformatted" and not cold:
                continue
            pair(
                "1,000 files",
                f"slospec fmt --check (1,000 {what} YAML specs, {how})",
                [slospec, "fmt", "--check", str(files)],
                reps["many"],
                {0} if what == "formatted" else {1},
                ("yamllint (same files)", [yamllint, str(files)], lint_ok),
                cold=cold,
            )
    if not args.skip_10k:
        yaml_10k = generate(data / "yaml-10k", 10_000, "yaml", py)
        pair(
            "10,000 files",
            "slospec lint (10,000 YAML specs, cold)",
            [slospec, "lint", str(yaml_10k)],
            reps["huge"],
            lint_ok,
            ("slospec lint (1,000 YAML specs, cold)", [slospec, "lint", str(yaml_1k)], lint_ok),
            cold=True,
        )
    big = generate(data / "compile-1k", 100, "yaml", py, slos_per_file=10)  # 1,000 SLOs
    for target in ("prometheus", "openslo", "markdown"):
        pair(
            "compile 1,000 SLOs",
            f"slospec compile --target {target}",
            [slospec, "compile", str(big), "--target", target, "-o", str(WORK / f"out-{target}")],
            reps["many"],
            {0},
        )
    fleet = generate(data / "fleet-300", 300, "yaml", py, slos_per_file=2)  # 300 services
    pair(
        "dashboards",
        "slospec compile --target grafana (300 services, 600 SLOs)",
        [slospec, "compile", str(fleet), "--target", "grafana", "-o", str(WORK / "out-grafana") + "/"],
        reps["many"],
        {0},
    )
    if not args.skip_eval:
        events = generate(data / f"events-{args.events}.csv", args.events, "events", py)
        spec = str(ROOT / "examples" / "api.slo.yaml")
        base = [slospec, "eval", spec, "--sli", "requests-ok", "--data", str(events)]
        label = f"{args.events / 1e6:g}M events"
        duck = [str(peer_bin / "python"), "-c", DUCKDB_PEER, str(events)]
        polars = [str(peer_bin / "python"), "-c", POLARS_PEER, str(events)]
        pair(
            "eval",
            f"slospec eval --reader fast ({label})",
            [*base, "--reader", "fast"],
            reps["eval"],
            lint_ok,
            ("duckdb (same buckets)", duck, tool_ok),
            ("polars (same buckets)", polars, tool_ok),
        )
        pair(
            "eval",
            f"slospec eval --reader pure ({label})",
            [*base, "--reader", "pure"],
            reps["eval"],
            lint_ok,
            ("duckdb (same buckets)", duck, tool_ok),
        )
        # The common latency export: fractional-second timestamps, values on the threshold.
        latency = generate(data / f"latency-{args.events}.csv", args.events, "latency", py)
        pair(
            "eval",
            f"slospec eval --reader fast ({args.events / 1e6:g}M latency events)",
            [slospec, "eval", spec, "--sli", "requests-fast", "--data", str(latency), "--reader", "fast"],
            reps["eval"],
            lint_ok,
            ("duckdb (same buckets)", [str(peer_bin / "python"), "-c", DUCKDB_LATENCY_PEER, str(latency)], tool_ok),
        )

    shutil.rmtree(COLD, ignore_errors=True)
    meta = machine(slo_bin, peer_bin, args)
    table = render(rows)
    print("\n" + table)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"meta": meta, "rows": rows}, indent=2) + "\n")
    print(f"\nwrote {args.out}", file=sys.stderr)
    if args.write_docs:
        if args.only:
            print("not writing docs/performance.md from a partial run (--only)", file=sys.stderr)
        else:
            write_docs(table, meta)
    return 1 if any(r["invalid"] or any(p["invalid"] for p in r["peers"]) for r in rows) else 0


def machine(slo_bin: Path, peer_bin: Path, args) -> dict:
    cpu = "?"
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    return {
        "date": time.strftime("%Y-%m-%d"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "quick": args.quick,
        "versions": {
            "slospec": version(slo_bin, "slospec"),
            "duckdb (fast extra)": version(slo_bin, "duckdb"),
            "check-jsonschema": version(peer_bin, "check-jsonschema"),
            "yamllint": version(peer_bin, "yamllint"),
            "duckdb": version(peer_bin, "duckdb"),
            "polars": version(peer_bin, "polars"),
        },
    }


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def render(rows: list[dict]) -> str:
    lines = [
        "| group | command | median | min-max | peak RSS | peer | peer median | ratio |",
        "|---|---|---|---|---|---|---|---|",
    ]
    invalid = []
    for r in rows:
        failed = [(r["name"], r["invalid"])] if r["invalid"] else []
        failed += [(p["name"], p["invalid"]) for p in r["peers"] if p["invalid"]]
        if failed:
            invalid += [f"- {r['name']}: not published, {who} failed: {why}" for who, why in failed]
            continue
        own = (
            f"| {r['group']} | {r['name']} | {_ms(r['median'])} | {_ms(r['min'])}-{_ms(r['max'])} | "
            f"{r['peak_mib']:.0f} MiB |"
        )
        if not r["peers"]:
            lines.append(own + " | | |")
        for p in r["peers"]:
            lines.append(f"{own} {p['name']} | {_ms(p['median'])} | {p['ratio']:.2f}x |")
    return "\n".join(lines + ([""] + invalid if invalid else []))


def write_docs(table: str, meta: dict) -> None:
    text = DOCS.read_text()
    versions = ", ".join(f"{k} {v}" for k, v in meta["versions"].items())
    block = (
        f"{BEGIN}\n{table}\n\nMeasured {meta['date']} on {meta['cpu']} ({meta['cores']} cores, shared), "
        f"{meta['os']}, Python {meta['python']}; {versions}. "
        f"{'Quick run: ' if meta['quick'] else ''}each pair interleaved run by run, medians.\n{END}"
    )
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    DOCS.write_text(text)


if __name__ == "__main__":
    raise SystemExit(main())
