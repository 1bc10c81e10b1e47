"""Prometheus range-query results (files or live responses) into per-interval counts.

Per series, increases with counter resets handled as Prometheus does (a drop means the
counter restarted from zero), summed over series per timestamp; the increase between two
samples belongs to the interval it happened in.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from slospec.evaluate.inputs import FIRST, LAST, Counts, DataError, TooManyBuckets, too_many

Samples = dict[tuple, dict[float, float]]  # series labels -> timestamp -> value


def load_file(path: Path) -> Samples:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise DataError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise DataError(f"{path}: not UTF-8 text; save the query_range response as UTF-8 JSON") from None
    try:
        payload = json.loads(text)
    except RecursionError:
        raise DataError(f"{path}: JSON nested too deeply; give a Prometheus query_range response") from None
    except ValueError as exc:
        raise DataError(f"{path}: not JSON ({exc}); give a Prometheus query_range response") from None
    samples: Samples = {}
    add_payload(samples, payload, str(path))
    return samples


def add_payload(samples: Samples, payload: object, where: str) -> None:
    """Check a query_range response and add its series to `samples` (chunks merge by labels)."""
    for key, points in series_of(payload, where):
        into = samples.setdefault(key, {})
        for ts, value in points:
            into[ts] = value


def series_of(payload: object, where: str):
    """Each series of a query_range response as (labels, [(time, value)]), every value checked."""
    want = 'give the JSON of /api/v1/query_range for the counter ({"data": {"resultType": "matrix", ...}})'
    if not isinstance(payload, dict):
        raise DataError(f"{where}: not a Prometheus query_range response (a JSON {type(payload).__name__}); {want}")
    if payload.get("status") == "error":
        raise DataError(
            f"{where}: the response is an error ({payload.get('errorType', '?')}: {payload.get('error', '?')})"
        )
    data = payload.get("data", payload)
    if not isinstance(data, dict) or "result" not in data:
        raise DataError(f"{where}: not a Prometheus query_range response (no data.result); {want}")
    kind = data.get("resultType", "matrix")
    if kind != "matrix":
        raise DataError(
            f"{where}: resultType {kind!r} is not a range result; export a range query "
            "(query_range) of the raw counter, which gives resultType 'matrix'"
        )
    result = data["result"]
    if not isinstance(result, list):
        raise DataError(f"{where}: data.result is not a list of series; {want}")
    for n, series in enumerate(result):
        if not isinstance(series, dict):
            raise DataError(f'{where}: data.result[{n}] is not a series object ({{"metric": ..., "values": ...}})')
        metric = series.get("metric", {})
        if not isinstance(metric, dict):
            raise DataError(f"{where}: data.result[{n}].metric is not an object of labels")
        values = series.get("values", [])
        if not isinstance(values, list):
            raise DataError(f'{where}: data.result[{n}].values is not a list of [time, "value"] pairs')
        key = tuple(sorted((str(k), str(v)) for k, v in metric.items()))
        points = []
        for i, sample in enumerate(values):
            spot = f"{where}: data.result[{n}].values[{i}]"
            if not isinstance(sample, (list, tuple)) or len(sample) != 2:
                raise DataError(f'{spot} is {_show(sample)}; write a [time, "value"] pair')
            ts, value = _number(sample[0], spot, "time"), _number(sample[1], spot, "value")
            if not FIRST <= ts < LAST:
                raise DataError(f"{spot}: time {_show(sample[0])} is outside 1970 to 9998; write epoch seconds")
            if value < 0:
                raise DataError(f"{spot}: counter value {_show(sample[1])} is negative; export the raw counter")
            if value > MAX_COUNTER:
                raise DataError(
                    f"{spot}: counter value {_show(sample[1])} is too large to count (above 1e300); export the raw counter"
                )
            points.append((ts, value))
        yield key, points


# A float64 counter's increases are summed over series and intervals: values near 1.8e308
# would overflow those sums to inf and NaN ("nan% MISSED"); no real counter comes near this.
MAX_COUNTER = 1e300


def _show(value: object) -> str:
    try:
        return json.dumps(value)[:40]
    except (TypeError, ValueError):  # pragma: no cover - JSON-decoded values always dump
        return repr(value)[:40]


class Stream:
    """The cumulative increases of a counter's series, folded answer by answer (live eval):
    per series only its last sample is kept, per timestamp one sum, never every sample."""

    def __init__(self) -> None:
        self.last: dict[tuple, tuple[float, float, float]] = {}  # labels -> (time, value, running)
        self.total: dict[float, float] = {}
        # The samples' own values summed per timestamp: what a per-step count (probe checks)
        # means, where the increases are what a counter means.
        self.values: dict[float, float] = {}
        self.samples = 0

    def add(self, payload: object, where: str) -> int:
        """Fold one answer in; returns its number of series."""
        count = 0
        total, values = self.total, self.values
        for key, points in series_of(payload, where):
            count += 1
            points.sort()
            state = self.last.get(key)
            for ts, value in points:
                if state is not None:
                    previous_ts, previous, running = state
                    if ts <= previous_ts:
                        if ts == previous_ts:
                            continue  # the same sample at a boundary of two answers
                        raise DataError(f"{where}: samples of a series go back in time across answers")
                    running += value - previous if value >= previous else value
                else:
                    running = 0.0
                state = (ts, value, running)
                total[ts] = total.get(ts, 0.0) + running
                values[ts] = values.get(ts, 0.0) + value
                self.samples += 1
            if state is not None:
                self.last[key] = state
        return count

    def increases(self) -> list[tuple[float, float]]:
        return sorted(self.total.items())


def _number(raw: object, spot: str, name: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise DataError(f"{spot}: {name} {json.dumps(raw)[:40]} is not a number")
    try:
        value = float(raw)
    except (ValueError, OverflowError):
        raise DataError(f"{spot}: {name} {str(raw)[:40]!r} is not a number") from None
    if not math.isfinite(value):
        raise DataError(
            f"{spot}: {name} {str(raw)[:40]!r} is not a finite number; a counter is never NaN or "
            "infinite (export the raw counter, not a ratio)"
        )
    return value


def increases(samples: Samples) -> list[tuple[float, float]]:
    """Cumulative increase per timestamp, summed over series, counter resets handled."""
    total: dict[float, float] = {}
    for points in samples.values():
        previous = None
        running = 0.0
        for ts in sorted(points):
            value = points[ts]
            if previous is not None:
                running += value - previous if value >= previous else value
            total[ts] = total.get(ts, 0.0) + running
            previous = value
    return sorted(total.items())


def combine(part: Samples, total: Samples, counts: Counts, part_is_bad: bool, where: str) -> int:
    """Per-interval good/total from the bad (or good) and total counters."""
    return combine_increases(increases(part), increases(total), counts, part_is_bad, where)


def combine_increases(
    part: list[tuple[float, float]], total: list[tuple[float, float]], counts: Counts, part_is_bad: bool, where: str
) -> int:
    """Per-interval good/total from the cumulative increases of the part and total counters."""
    part_at = dict(part)
    previous = None
    rows = 0
    try:
        for ts, value in total:
            if previous is not None:
                p_ts, p_total = previous
                delta_total = value - p_total
                delta_part = part_at.get(ts, part_at.get(p_ts, 0.0)) - part_at.get(p_ts, 0.0)
                delta_part = max(0.0, min(delta_part, delta_total))
                good = delta_total - delta_part if part_is_bad else delta_part
                if not (math.isfinite(good) and math.isfinite(delta_total)):
                    raise DataError(f"{where}: the counters' increases overflow a float; export the raw counters")
                counts.add(p_ts, good, delta_total)  # the increase belongs to the interval it happened in
                rows += 1
            previous = (ts, value)
    except TooManyBuckets:
        raise too_many(where, counts) from None
    return rows


def read_prometheus(part_path: Path, total_path: Path, counts: Counts, part_is_bad: bool) -> int:
    """Count from exported query_range files of the bad (or good) and total counters."""
    return combine(load_file(part_path), load_file(total_path), counts, part_is_bad, str(total_path))
