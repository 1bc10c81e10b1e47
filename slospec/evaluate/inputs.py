"""Readers for recorded data, streamed into per-interval counts (memory stays flat).

- count CSV: a timestamp and good (or bad) and total counts per interval;
- event CSV: one row per event, with a good/bad flag or a measured value checked against
  the SLI's condition (latency threshold, `first_response_time <= 4h`);
- Prometheus range-query JSON (`/api/v1/query_range`) for the bad (or good) and total
  counters, with counter resets handled as Prometheus does.
"""

from __future__ import annotations

import csv
import json
import operator
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, UTC
from decimal import Decimal, InvalidOperation
from pathlib import Path

from slospec.model import SLI
from slospec.quantities import Duration, QuantityError

OPS = {"<=": operator.le, "<": operator.lt, ">=": operator.ge, ">": operator.gt, "==": operator.eq,
       "!=": operator.ne}
TRUE = {"1", "true", "yes", "good", "ok", "success", "up"}
FALSE = {"0", "false", "no", "bad", "error", "failure", "down"}


PROGRESS_EVERY = 250_000


def _tick(progress, path: Path, rows: int) -> None:
    """Report every PROGRESS_EVERY rows to the caller's callback (the CLI shows it on a terminal)."""
    if progress is not None and rows % PROGRESS_EVERY == 0:
        progress(path, rows)


class DataError(Exception):
    """Recorded data that cannot be read: the file, the row and what is wrong."""


@dataclass
class Counts:
    """good and total events per interval start (epoch seconds), summed over all inputs."""

    interval: int = 60
    buckets: dict[int, list[int]] = field(default_factory=dict)

    def add(self, ts: float, good: float, total: float) -> None:
        start = int(ts // self.interval * self.interval)
        bucket = self.buckets.setdefault(start, [0, 0])
        bucket[0] += good
        bucket[1] += total

    def series(self) -> list[tuple[int, float, float]]:
        return [(t, g, n) for t, (g, n) in sorted(self.buckets.items())]


def parse_time(text: str, where: str) -> float:
    text = text.strip()
    try:
        return float(text)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise DataError(f"{where}: {text!r} is not a timestamp (epoch seconds or ISO 8601)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def _number(text: str, where: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise DataError(f"{where}: {text!r} is not a number") from None
    if value < 0:
        raise DataError(f"{where}: counts cannot be negative ({text})")
    return value


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        handle = path.open(newline="", encoding="utf-8")
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror or exc}") from None
    with handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames:
            raise DataError(f"{path}: empty file; expected a header row")
        yield from enumerate(reader, start=2)


def _need(columns: list[str] | None, wanted: str, path: Path) -> None:
    if columns is None or wanted not in columns:
        raise DataError(f"{path}: no column {wanted!r} (columns: {', '.join(columns or [])}); "
                        "map yours with --column NAME=COLUMN")


def condition_of(sli: SLI) -> tuple[str, callable, Decimal | str] | None:
    """(field, comparison, threshold) for event data, from the SLI."""
    if sli.kind == "latency" and sli.threshold is not None:
        return "value", operator.le, sli.threshold.seconds
    if sli.kind == "events" and sli.condition:
        match = re.match(r"^\s*([A-Za-z_][\w.]*)\s*(<=|<|>=|>|==|!=)\s*(\S+)\s*$", sli.condition)
        if match:
            name, op, raw = match.groups()
            try:
                threshold: Decimal | str = Duration.parse(raw).seconds
            except QuantityError:
                try:
                    threshold = Decimal(raw)
                except InvalidOperation:
                    threshold = raw
            return name, OPS[op], threshold
    return None


def _measure(text: str, where: str) -> Decimal:
    text = text.strip()
    try:
        return Decimal(text)
    except InvalidOperation:
        try:
            return Duration.parse(text).seconds
        except QuantityError:
            raise DataError(f"{where}: {text!r} is neither a number nor a duration") from None


def read_counts_csv(path: Path, counts: Counts, columns: dict[str, str], progress=None) -> int:
    time_col = columns.get("timestamp", "timestamp")
    rows = 0
    header_checked = False
    for number, row in _rows(path):
        if not header_checked:
            _need(list(row), time_col, path)
            _need(list(row), columns.get("total", "total"), path)
            if columns.get("good", "good") not in row and columns.get("bad", "bad") not in row:
                raise DataError(f"{path}: needs a 'good' or a 'bad' column beside 'total'")
            header_checked = True
        where = f"{path}:{number}"
        ts = parse_time(row[time_col], where)
        total = _number(row[columns.get("total", "total")], where)
        if columns.get("good", "good") in row and row[columns.get("good", "good")] not in (None, ""):
            good = _number(row[columns.get("good", "good")], where)
        else:
            good = total - _number(row[columns.get("bad", "bad")], where)
        if good > total or good < 0:
            raise DataError(f"{where}: good ({good}) is not between 0 and total ({total})")
        counts.add(ts, good, total)
        rows += 1
        _tick(progress, path, rows)
    return rows


def read_events_csv(path: Path, counts: Counts, sli: SLI, columns: dict[str, str], progress=None) -> int:
    time_col = columns.get("timestamp", "timestamp")
    rule = condition_of(sli)
    rows = 0
    for number, row in _rows(path):
        where = f"{path}:{number}"
        if rows == 0:
            _need(list(row), time_col, path)
        ts = parse_time(row[time_col], where)
        good_col = columns.get("good", "good")
        if good_col in row and row[good_col] not in (None, ""):
            flag = row[good_col].strip().lower()
            if flag not in TRUE | FALSE:
                raise DataError(f"{where}: {row[good_col]!r} is not a good/bad flag (true/false, 1/0)")
            good = flag in TRUE
        elif rule is not None:
            name, compare, threshold = rule
            column = columns.get(name, name)
            if column not in row:
                raise DataError(f"{path}: no column {column!r} for the condition of SLI {sli.name!r}; "
                                f"map it with --column {name}=COLUMN")
            value = row[column]
            if value in (None, ""):
                good = False  # an event that never met its condition (no response yet) is bad
            else:
                measured = _measure(value, where) if not isinstance(threshold, str) else value.strip()
                good = bool(compare(measured, threshold))
        else:
            raise DataError(f"{path}: needs a 'good' column (SLI {sli.name!r} has no condition to check)")
        counts.add(ts, 1 if good else 0, 1)
        rows += 1
        _tick(progress, path, rows)
    return rows


def _matrix(path: Path) -> list[tuple[float, float]]:
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        result = payload["data"]["result"] if "data" in payload else payload["result"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataError(f"{path}: not a Prometheus query_range response ({exc})") from None
    samples: dict[float, float] = {}
    for series in result:
        values = sorted((float(t), float(v)) for t, v in series.get("values", []))
        # Per series: increases with counter resets handled as Prometheus does (a drop means
        # the counter restarted from zero), then summed over series per timestamp.
        previous = None
        running = 0.0
        for ts, value in values:
            if previous is not None:
                running += value - previous if value >= previous else value
            samples[ts] = samples.get(ts, 0.0) + running
            previous = value
    return sorted(samples.items())


def read_prometheus(part_path: Path, total_path: Path, counts: Counts, part_is_bad: bool) -> int:
    part = dict(_matrix(part_path))
    total = _matrix(total_path)
    previous = None
    rows = 0
    for ts, value in total:
        if previous is not None:
            p_ts, p_total = previous
            delta_total = value - p_total
            delta_part = part.get(ts, part.get(p_ts, 0.0)) - part.get(p_ts, 0.0)
            delta_part = max(0.0, min(delta_part, delta_total))
            good = delta_total - delta_part if part_is_bad else delta_part
            counts.add(p_ts, good, delta_total)  # the increase belongs to the interval it happened in
            rows += 1
        previous = (ts, value)
    return rows
