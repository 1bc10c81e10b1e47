"""What the generated Prometheus rules cost a real Prometheus: the raw pattern (every window a
`rate()` over raw counters, `--exact-windows`) against the default (windows over 1h summed from
recorded 5m series), side by side on the same server and data.

    python benchmarks/rule_eval.py        # 40 services, 7d windows and data, 20 series each, 30s scrapes
    python benchmarks/rule_eval.py --services 100 --days 28 --scrape 15 --rounds 3

N services, each with one request SLO (99.9 % over `--days`), scraped every minute from
`--series` counters (instances x codes). The counters are backfilled for the whole window (and
an hour past now, so the short windows keep reading data while the rules run), and so are
the default form's recorded 5m parts, as a server running the rules all along would hold
them, so its long sums read a full window too.
Then each form is loaded alone into the same Prometheus, in turn (`--rounds` times, raw then
recorded), until every rule group has evaluated twice, and the script reads Prometheus's own
figures:

- rule evaluation seconds per minute: the sum over groups of
  `prometheus_rule_group_last_duration_seconds` x evaluations per minute (the cores rule
  evaluation keeps busy);
- samples the queries read per minute, where the server reports it
  (`prometheus_engine_query_samples_total`, Prometheus 2.44 and later; blank before);
- the server's CPU seconds per minute over the measured time (`process_cpu_seconds_total`).

Prints a Markdown table and writes benchmarks/results/rule-eval.json. Needs prometheus and
promtool on PATH."""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from slospec.compile import CompileOptions  # noqa: E402
from slospec.compile import prometheus as rules_backend  # noqa: E402
from slospec.specmodel import model  # noqa: E402
from tests import prometheus_server  # noqa: E402

AHEAD = 3600  # counters written past now, so the 5m..1h windows keep reading data
METRIC_RE = re.compile(r"^(\w+)(?:\{(.*)\})? (\S+)$")


def spec(index: int, days: int, scrape: int) -> model.Spec:
    name = f"svc-{index:04d}"
    return model.build(
        {
            "apiVersion": "slospec/v1",
            "service": {"name": name, "owner": "team"},
            "operations": {"scrapeInterval": f"{scrape}s", "evaluationInterval": "30s"},
            "slis": [
                {
                    "name": "requests",
                    "ratio": {
                        "bad": f'http_requests_total{{job="{name}",code=~"5.."}}',
                        "total": f'http_requests_total{{job="{name}"}}',
                    },
                }
            ],
            "slos": [{"name": "availability", "sli": "requests", "target": "99.9%", "window": f"{days}d"}],
        },
        f"{name}.slo.yaml",
    )


def rates(service: int) -> tuple[int, int]:
    """(requests, errors) per minute of a service's every instance: 0.1 to 0.5 % errors."""
    return 600 + 7 * service % 400, 1 + service % 3


def write_counters(
    path: Path, services: int, series: int, scrape: int, span: tuple[int, int], parts: list[dict]
) -> int:
    """OpenMetrics: `series` counters per service (instances x codes 200/500), and the recorded
    5m parts of the default form (`parts`: the rules), one sample every 30 s, each the value
    its rule records from these steady counters (what a server that had run the rules all
    along holds; promtool's rule backfill writes a block per rule per 2 hours, more than a
    server opens at this size)."""
    instances = max(1, series // 2)
    start, end = span
    count = 0
    with path.open("w") as out:
        out.write("# TYPE http_requests counter\n")
        for s in range(services):
            requests, errors = rates(s)
            for instance in range(instances):
                for code, per_minute in (("200", requests - errors), ("500", errors)):
                    labels = f'job="svc-{s:04d}",instance="i{instance}",code="{code}"'
                    value = 0.0
                    lines = []
                    for ts in range(start, end + 1, scrape):
                        value += per_minute * scrape / 60
                        lines.append(f"http_requests_total{{{labels}}} {value} {ts}\n")
                    out.writelines(lines)
                    count += len(lines)
        for rule in parts:
            service = int(rule["labels"]["slo_service"].removeprefix("svc-"))
            requests, errors = rates(service)
            per_second = (errors if ":sli_bad:" in rule["record"] else requests) * instances / 60
            labels = ",".join(f'{k}="{v}"' for k, v in sorted(rule["labels"].items()))
            lines = [f"{rule['record']}{{{labels}}} {per_second} {ts}\n" for ts in range(start + 300, end + 1, 30)]
            out.writelines(lines)
            count += len(lines)
        out.write("# EOF\n")
    return count


def metrics(port: int) -> list[tuple[str, dict[str, str], float]]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=30) as response:
        text = response.read().decode()
    out = []
    for line in text.splitlines():
        match = METRIC_RE.match(line)
        if match and not line.startswith("#"):
            labels = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', match.group(2) or ""))
            out.append((match.group(1), labels, float(match.group(3))))
    return out


def per_group(sample: list, name: str) -> dict[str, float]:
    return {labels["rule_group"]: value for metric, labels, value in sample if metric == name}


def total(sample: list, name: str) -> float | None:
    values = [value for metric, _, value in sample if metric == name]
    return sum(values) if values else None


def measure(prometheus: str, work: Path, groups: list[dict], limit: float) -> dict:
    """Load `groups` alone, wait until every group has run twice, read the figures."""
    (work / "rules.yaml").write_text(json.dumps({"groups": groups}))
    (work / "prometheus.yml").write_text("global:\n  evaluation_interval: 30s\nrule_files:\n  - rules.yaml\n")
    with prometheus_server.running(prometheus, work, "--storage.tsdb.retention.time=400d") as port:
        prometheus_server.wait_ready(port, tries=3000)
        first = metrics(port)
        began = time.monotonic()
        while True:
            time.sleep(5)
            now = metrics(port)
            runs = per_group(now, "prometheus_rule_group_iterations_total")
            if len(runs) == len(groups) and min(runs.values()) >= 2:
                break
            if time.monotonic() - began > limit:
                raise SystemExit(f"the rule groups did not all run twice in {limit:.0f}s: {runs}")
        minutes = (time.monotonic() - began) / 60
    durations = per_group(now, "prometheus_rule_group_last_duration_seconds")
    intervals = per_group(now, "prometheus_rule_group_interval_seconds")
    samples_read = total(now, "prometheus_engine_query_samples_total")
    samples_before = total(first, "prometheus_engine_query_samples_total")
    cpu = (total(now, "process_cpu_seconds_total") or 0) - (total(first, "process_cpu_seconds_total") or 0)
    return {
        "groups": len(groups),
        "rules": sum(len(g["rules"]) for g in groups),
        "eval_seconds_per_minute": sum(d * 60 / intervals[g] for g, d in durations.items()),
        "slowest_group_seconds": max(durations.values()),
        "samples_read_per_minute": None
        if samples_read is None or samples_before is None
        else (samples_read - samples_before) / minutes,
        "cpu_seconds_per_minute": cpu / minutes,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=40)
    parser.add_argument("--days", type=int, default=7, help="SLO window and days of data")
    parser.add_argument("--series", type=int, default=20, help="raw series per service (instances x 2 codes)")
    parser.add_argument("--scrape", type=int, default=30, help="scrape interval, seconds")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--limit", type=float, default=900, help="seconds to wait for the groups to run twice")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "rule-eval.json")
    args = parser.parse_args()
    promtool, prometheus = shutil.which("promtool"), shutil.which("prometheus")
    if not promtool or not prometheus:
        raise SystemExit("needs promtool and prometheus on PATH")
    work = HERE / "work" / "rule-eval"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    now = int(time.time()) // 3600 * 3600
    start, end = now - args.days * 86400 - 3600, now + AHEAD
    began = time.monotonic()
    specs = [spec(i, args.days, args.scrape) for i in range(args.services)]
    forms = {
        "raw (--exact-windows)": CompileOptions(extra={"long_windows": "raw"}),
        "recorded (default)": CompileOptions(),
    }
    plans = {name: [g for s in specs for g in rules_backend.rule_groups(s, o)[0]] for name, o in forms.items()}
    parts = [
        r
        for g in plans["recorded (default)"]
        for r in g["rules"]
        if re.match(r"slo:sli_(bad|total):rate", r.get("record", ""))
    ]
    assert len(parts) == 2 * args.services, "each SLO records its bad and total 5m parts"
    written = write_counters(work / "data.om", args.services, args.series, args.scrape, (start, end), parts)
    prometheus_server.backfill(promtool, work, timeout=3600)
    (work / "data.om").unlink()
    print(f"backfilled {written:,} samples in {time.monotonic() - began:.0f}s", file=sys.stderr)
    runs: dict[str, list[dict]] = {name: [] for name in plans}
    for round_ in range(args.rounds):
        for name, groups in plans.items():
            result = measure(prometheus, work, groups, args.limit)
            print(f"round {round_ + 1}, {name}: {result}", file=sys.stderr)
            runs[name].append(result)
    rows = []
    for name, results in runs.items():
        row = {"form": name, "groups": results[0]["groups"], "rules": results[0]["rules"]}
        for key in (
            "eval_seconds_per_minute",
            "slowest_group_seconds",
            "samples_read_per_minute",
            "cpu_seconds_per_minute",
        ):
            values = [r[key] for r in results if r[key] is not None]
            row[key] = statistics.median(values) if values else None
        rows.append(row)
    raw, recorded = rows
    ratio = raw["eval_seconds_per_minute"] / recorded["eval_seconds_per_minute"]
    table = [
        f"{args.services} services, one {args.days}d SLO each, {args.series} raw series a service, scraped every "
        f"{args.scrape}s, {args.days}d of data; medians of {args.rounds} rounds",
        "",
        "| form | groups | rules | rule evaluation s/min | slowest group | server CPU s/min |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        table.append(
            f"| {row['form']} | {row['groups']} | {row['rules']} | {row['eval_seconds_per_minute']:.3f} | "
            f"{row['slowest_group_seconds'] * 1000:.1f} ms | {row['cpu_seconds_per_minute']:.2f} |"
        )
    table += ["", f"Rule evaluation: the raw form costs {ratio:.1f}x the default."]
    print("\n".join(table))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps({"args": {k: str(v) for k, v in vars(args).items()}, "rows": rows, "ratio": ratio}, indent=2) + "\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
