"""Generate realistic, varied spec files for the benchmarks.

    python benchmarks/generate.py OUT_DIR COUNT [--format yaml|dsl|openslo] [--slos-per-file N]

Each file is one service with a few SLIs and SLOs whose targets, windows, kinds and
owners vary (seeded, so runs are comparable). DSL and OpenSLO files are produced from the
YAML data by slospec's own converters when those are installed.
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
        slos.append({
            "name": f"objective-{n}",
            "description": f"Objective {n} of {name}.",
            "sli": sli,
            "target": rng.choice(TARGETS),
            "window": rng.choice(WINDOWS),
        })
    return {
        "apiVersion": "slospec/v1",
        "service": {"name": name, "description": f"Service number {i}.", "owner": rng.choice(TEAMS),
                    "tier": rng.choice(["critical", "high", "medium", "low"])},
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--format", choices=["yaml", "dsl", "openslo"], default="yaml")
    parser.add_argument("--slos-per-file", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    for i in range(args.count):
        data = spec_data(i, rng, args.slos_per_file)
        if args.format == "yaml":
            (args.out / f"svc-{i:05d}.slo.yaml").write_text(to_yaml(data))
        elif args.format == "dsl":
            from slospec import dsl

            (args.out / f"svc-{i:05d}.slo").write_text(dsl.dump([data]))
        else:
            from slospec import backends, model

            spec = model.build(data, f"svc-{i:05d}")
            artifacts = backends.load("openslo").compile([spec], backends.CompileOptions())
            text = backends.load("openslo").JOINER.join(a.text for a in artifacts)
            (args.out / f"svc-{i:05d}.yaml").write_text(text)


if __name__ == "__main__":
    main()
