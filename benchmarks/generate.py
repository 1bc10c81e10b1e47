"""Generate realistic, varied spec files for the benchmarks.

    python benchmarks/generate.py OUT_DIR COUNT [--format yaml|dsl|openslo|openslo-split] [--slos-per-file N]
    python benchmarks/generate.py OUT.csv ROWS --format events

Each file is one service with a few SLIs and SLOs whose targets, windows, kinds and
owners vary (seeded, so runs are comparable). DSL files come from slospec's converter.
OpenSLO files are written here as a team would write them by hand (Service, SLIs, SLOs,
an AlertPolicy per SLO with its condition, a notification target; no slospec annotations):
`openslo` puts a service's objects in one multi-document file, `openslo-split` writes the
same objects one per file (for validators that read single documents only). `events`
writes an event CSV (timestamp,good) of ROWS events, four a second; `latency` a latency
export (timestamp with milliseconds, value in seconds).
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

TARGETS = ["99%", "99.5%", "99.9%", "99.95%", "95%", "98%", "99.9%", "99.99%"]
WINDOWS = ["28d", "7d", "14d", "28d", "30d"]
TEAMS = ["team-payments", "team-search", "team-web", "team-data", "team-platform"]


def spec_data(i: int, rng: random.Random, slos_per_file: int) -> dict:
    name = f"svc-{i:05d}"
    slis = [
        {
            "name": "requests-ok",
            "description": f"Requests to {name} answered without a 5xx.",
            "ratio": {
                "bad": f'http_requests_total{{job="{name}",code=~"5.."}}',
                "total": f'http_requests_total{{job="{name}"}}',
            },
        },
        {
            "name": "requests-fast",
            "description": f"Requests to {name} served within the threshold.",
            "latency": {
                "histogram": f'http_request_duration_seconds{{job="{name}"}}',
                "threshold": rng.choice(["100ms", "300ms", "1s"]),
                "buckets": ["100ms", "300ms", "1s", "5s"],
            },
        },
    ]
    slos = []
    for n in range(slos_per_file):
        sli = slis[n % 2]["name"]
        slos.append(
            {
                "name": f"objective-{n}",
                "description": f"Objective {n} of {name}.",
                "sli": sli,
                "target": rng.choice(TARGETS),
                "window": rng.choice(WINDOWS),
            }
        )
    return {
        "apiVersion": "slospec/v1",
        "service": {
            "name": name,
            "description": f"Service number {i}.",
            "owner": rng.choice(TEAMS),
            "tier": rng.choice(["critical", "high", "medium", "low"]),
        },
        "operations": {"scrapeInterval": "15s", "evaluationInterval": "30s"},
        "slis": slis,
        "slos": slos,
    }


def to_yaml(data: dict) -> str:
    import io

    from ruamel.yaml import YAML

    out = io.StringIO()
    yaml = YAML()
    yaml.default_flow_style = False
    yaml.dump(data, out)
    return out.getvalue()


def openslo_objects(data: dict, rng: random.Random) -> list[dict]:
    """The service as hand-written OpenSLO v1 objects (no slospec annotations)."""
    name = data["service"]["name"]
    team = data["service"]["owner"]
    objects: list[dict] = [
        {
            "apiVersion": "openslo/v1",
            "kind": "Service",
            "metadata": {"name": name, "displayName": name.replace("-", " ").title(), "labels": {"team": [team]}},
            "spec": {"description": data["service"]["description"]},
        },
        {
            "apiVersion": "openslo/v1",
            "kind": "AlertNotificationTarget",
            "metadata": {"name": f"{name}-oncall"},
            "spec": {"description": f"Pager of {team}", "target": "pagerduty"},
        },
    ]
    queries = {
        "requests-ok": (
            "bad",
            f'http_requests_total{{job="{name}",code=~"5.."}}',
            f'http_requests_total{{job="{name}"}}',
        ),
        "requests-fast": (
            "good",
            f'http_request_duration_seconds_bucket{{job="{name}",le="{rng.choice(["0.1", "0.3", "1"])}"}}',
            f'http_request_duration_seconds_count{{job="{name}"}}',
        ),
    }
    for sli in data["slis"]:
        role, part, total = queries[sli["name"]]
        objects.append(
            {
                "apiVersion": "openslo/v1",
                "kind": "SLI",
                "metadata": {"name": f"{name}-{sli['name']}"},
                "spec": {
                    "description": sli["description"],
                    "ratioMetric": {
                        "counter": True,
                        role: {"metricSource": {"type": "Prometheus", "spec": {"query": part}}},
                        "total": {"metricSource": {"type": "Prometheus", "spec": {"query": total}}},
                    },
                },
            }
        )
    for slo in data["slos"]:
        policy = f"{name}-{slo['name']}-fast-burn"
        target = float(slo["target"].rstrip("%")) / 100
        objects.append(
            {
                "apiVersion": "openslo/v1",
                "kind": "SLO",
                "metadata": {"name": f"{name}-{slo['name']}", "displayName": slo["description"]},
                "spec": {
                    "description": slo["description"],
                    "service": name,
                    "indicatorRef": f"{name}-{slo['sli']}",
                    "timeWindow": [{"duration": slo["window"], "isRolling": True}],
                    "budgetingMethod": "Occurrences",
                    "objectives": [{"displayName": slo["name"], "target": round(target, 6)}],
                    "alertPolicies": [{"alertPolicyRef": policy}],
                },
            }
        )
        objects.append(
            {
                "apiVersion": "openslo/v1",
                "kind": "AlertPolicy",
                "metadata": {"name": policy},
                "spec": {
                    "description": f"Fast burn of {slo['name']}",
                    "alertWhenBreaching": True,
                    "alertWhenResolved": False,
                    "alertWhenNoData": False,
                    "conditions": [
                        {
                            "kind": "AlertCondition",
                            "metadata": {"name": f"{policy}-condition"},
                            "spec": {
                                "severity": "page",
                                "condition": {
                                    "kind": "burnrate",
                                    "op": "gte",
                                    "threshold": 14.4,
                                    "lookbackWindow": "1h",
                                    "alertAfter": "5m",
                                },
                            },
                        }
                    ],
                    "notificationTargets": [{"targetRef": f"{name}-oncall"}],
                },
            }
        )
    return objects


def events_csv(path: Path, rows: int, seed: int) -> None:
    """timestamp,good: four events a second from 2026-01-01, about 0.1 % bad."""
    rng = random.Random(seed)
    start = 1767225600
    with path.open("w") as handle:
        handle.write("timestamp,good\n")
        chunk = []
        for i in range(rows):
            chunk.append(f"{start + i // 4},{0 if rng.random() < 0.001 else 1}\n")
            if len(chunk) == 100_000:
                handle.write("".join(chunk))
                chunk.clear()
        handle.write("".join(chunk))


def latency_csv(path: Path, rows: int, seed: int) -> None:
    """timestamp,value: a latency export, four requests a second from 2026-01-01 with
    millisecond timestamps and values in seconds to the millisecond (so some sit exactly on a
    300ms threshold), about 1 % slower than 300 ms."""
    rng = random.Random(seed)
    start = 1767225600
    with path.open("w") as handle:
        handle.write("timestamp,value\n")
        chunk = []
        for i in range(rows):
            value = rng.randint(300, 2000) if rng.random() < 0.01 else rng.randint(5, 300)
            chunk.append(f"{start + i // 4}.{rng.randint(0, 999):03d},{value / 1000:.3f}\n")
            if len(chunk) == 100_000:
                handle.write("".join(chunk))
                chunk.clear()
        handle.write("".join(chunk))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument(
        "--format", choices=["yaml", "dsl", "openslo", "openslo-split", "events", "latency"], default="yaml"
    )
    parser.add_argument("--slos-per-file", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    if args.format == "events":
        events_csv(args.out, args.count, args.seed)
        return
    if args.format == "latency":
        latency_csv(args.out, args.count, args.seed)
        return
    args.out.mkdir(parents=True, exist_ok=True)
    for i in range(args.count):
        data = spec_data(i, rng, args.slos_per_file)
        if args.format == "yaml":
            (args.out / f"svc-{i:05d}.slo.yaml").write_text(to_yaml(data))
        elif args.format == "dsl":
            from slospec.source.dsl import front as dsl

            (args.out / f"svc-{i:05d}.slo").write_text(dsl.dump([data]))
        elif args.format == "openslo":
            text = "---\n".join(to_yaml(o) for o in openslo_objects(data, rng))
            (args.out / f"svc-{i:05d}.yaml").write_text(text)
        else:
            for n, obj in enumerate(openslo_objects(data, rng)):
                (args.out / f"svc-{i:05d}-{n:02d}-{obj['kind'].lower()}.yaml").write_text(to_yaml(obj))


if __name__ == "__main__":
    main()
