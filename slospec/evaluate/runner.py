"""Load data for each SLO's SLI, evaluate, and judge the targets against history."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slospec.diagnostics import Diagnostic
from slospec.evaluate import compute, inputs


@dataclass
class Outcome:
    results: list[compute.SloResult]
    slas: list[tuple[Any, list[compute.SlaPeriod]]]
    findings: list[Diagnostic]
    rows: int


def load(
    spec: Any,
    sli_name: str,
    data: dict[str, list[Path]],
    columns: dict[str, str],
    interval: int = 60,
    progress=None,
    fast: bool | None = None,
) -> tuple[compute.Series, int]:
    """Read every input for the SLI into one series (the vectorised reader when installed)."""
    from slospec.evaluate import promjson

    sli = spec.sli(sli_name)
    counts = inputs.Counts(interval)
    rows = 0
    for role in ("bad", "good"):
        if role in data:
            if "total" not in data:
                raise inputs.DataError(f"--data {role}=FILE needs --data total=FILE beside it")
            if len(data[role]) != len(data["total"]):
                raise inputs.DataError(f"give one --data total=FILE for each --data {role}=FILE")
            for part, total in zip(data[role], data["total"], strict=True):
                rows += promjson.read_prometheus(part, total, counts, part_is_bad=role == "bad")
    if "total" in data and not ("bad" in data or "good" in data):
        raise inputs.DataError("--data total=FILE needs --data bad=FILE (or good=FILE) beside it")
    for path in data.get("", []):
        if path.suffix.lower() == ".json":
            raise inputs.DataError(f"{path}: Prometheus data needs its role: --data bad={path} --data total=FILE")
        rows += read_table(path, counts, sli, columns, progress, fast)
    if not counts.buckets:
        raise inputs.DataError("the data holds no events")
    return compute.Series(counts.series(), interval), rows


def read_table(
    path: Path, counts: inputs.Counts, sli: Any, columns: dict[str, str], progress=None, fast: bool | None = None
) -> int:
    """One CSV or Parquet file: vectorised when the `fast` extra is installed, else row by row."""
    from slospec.evaluate import fastread

    parquet = path.suffix.lower() == ".parquet"
    if fast and not fastread.available():
        raise inputs.DataError("--reader fast needs DuckDB: pip install 'slospec[fast]'")
    if fast is not False:
        done = fastread.read(path, counts, sli, columns, parquet, forced=bool(fast))
        if done is not None:
            return done
    if parquet:
        raise inputs.DataError(f"{path}: reading Parquet needs the fast reader: pip install 'slospec[fast]'")
    if inputs.is_count_file(path, columns):
        return inputs.read_counts_csv(path, counts, columns, progress)
    return inputs.read_events_csv(path, counts, sli, columns, progress)


def judge(result: compute.SloResult, document: Any, rules: dict, config: Any) -> list[Diagnostic]:
    """The rules that need data (SLO108, SLO109) on one SLO's result, placed in its spec
    (`document`: the linter's CheckedDocument the SLO belongs to)."""
    from slospec.lint.engine import diagnostic
    from slospec.rules.base import Context
    from slospec.slo.facts import resolve

    out = []
    for rule in rules.values():
        if rule.check_data is None or not config.enabled(rule):
            continue
        ctx = Context(config.options_for(rule), resolve(document.spec, config.operations))
        out += [
            diagnostic(document.path, rule, config, document.source_map, finding)
            for finding in rule.check_data(result, ctx)
        ]
    return out
