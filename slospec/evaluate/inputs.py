"""Readers for recorded data, streamed into per-interval counts (memory stays flat).

- count CSV: a timestamp and good (or bad) and total counts per interval;
- event CSV: one row per event, with a good/bad flag or a measured value checked against
  the SLI's condition (latency threshold, `first_response_time <= 4h`);
- Prometheus range-query JSON (`/api/v1/query_range`) for the bad (or good) and total
  counters, with counter resets handled as Prometheus does (see `promjson`).

The per-row loops parse with `int`/`float` only; a row they cannot take (an ISO timestamp,
`1.5` events, a duration, a bad value) goes to an exact slow path that either reads it
with Decimal or stops with the file, the line and what to write instead.
"""

from __future__ import annotations

import csv
import math
import operator
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, overload

from slospec.errors import SlospecError
from slospec.specmodel.model import SLI
from slospec.specmodel.quantities import Duration, QuantityError

OPS = {"<=": operator.le, "<": operator.lt, ">=": operator.ge, ">": operator.gt, "==": operator.eq, "!=": operator.ne}
TRUE = {"1", "true", "yes", "good", "ok", "success", "up"}
FALSE = {"0", "false", "no", "bad", "error", "failure", "down"}
# Exact spellings looked up without strip()/lower() in the per-row loop.
FLAGS = {
    **{w: True for t in TRUE for w in (t, t.upper(), t.capitalize())},
    **{w: False for f in FALSE for w in (f, f.upper(), f.capitalize())},
}

# Timestamps from 1970 up to the start of year 9999: calendar periods (and their ends)
# stay inside what datetime can represent in every time zone.
FIRST, LAST = 0.0, 253370764800.0
# A count above 2**53 has no exact float; no interval holds that many events.
MAX_COUNT = 2**53
MAX_FLOAT = sys.float_info.max
# Distinct intervals kept in memory (about 250 MB at the limit): a wider span needs a longer --interval.
MAX_BUCKETS = 2_000_000

PROGRESS_EVERY = 250_000


class DataError(SlospecError):
    """Recorded data that cannot be read: the file, the row and what is wrong."""


class TooManyBuckets(Exception):
    """More distinct intervals than MAX_BUCKETS (the reader adds the file and the advice)."""


@dataclass
class Counts:
    """good and total events per interval (key: interval index), summed over all inputs.

    Sums are exact (int, or Decimal for fractional counts); Series turns them into floats.
    """

    interval: int = 60
    buckets: dict[int, list[int | Decimal]] = field(default_factory=dict)
    max_buckets: int = MAX_BUCKETS

    def key(self, ts: float) -> int:
        return math.floor(ts / self.interval)

    def add(self, ts: float, good, total) -> None:
        self.merge(self.key(ts), good, total)

    def merge(self, key: int, good, total) -> None:
        bucket = self.buckets.get(key)
        if bucket is None:
            if len(self.buckets) >= self.max_buckets:
                raise TooManyBuckets
            self.buckets[key] = [good, total]
        else:
            bucket[0] += good
            bucket[1] += total

    def series(self) -> list[tuple[int, int | Decimal, int | Decimal]]:
        interval = self.interval
        return [(k * interval, g, n) for k, (g, n) in sorted(self.buckets.items())]


def too_many(path: Path | str, counts: Counts) -> DataError:
    span = sorted(counts.buckets)
    first = _day(span[0] * counts.interval) if span else "?"
    last = _day(span[-1] * counts.interval) if span else "?"
    return DataError(
        f"{path}: the data spans at least {first} to {last}, more than {counts.max_buckets:,} intervals of "
        f"{counts.interval} s; pass a longer --interval (such as 3600 or 86400)"
    )


def _day(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d")


def check_time(ts: float, text: str, where: str) -> float:
    if ts != ts or ts in (math.inf, -math.inf):
        raise DataError(
            f"{where}: {text!r} is not a timestamp; write epoch seconds (1767225600) or ISO 8601 (2026-01-01T00:00:00Z)"
        )
    if ts >= 1e12:
        raise DataError(
            f"{where}: timestamp {text.strip()} is after the year 9998; milliseconds? "
            "write epoch seconds (divide by 1000)"
        )
    if not FIRST <= ts < LAST:
        raise DataError(
            f"{where}: timestamp {text.strip()} is outside 1970-01-01 to 9998-12-31; "
            "write epoch seconds or ISO 8601 in that range"
        )
    return ts


def parse_time(text: str, where: str) -> float:
    text = text.strip()
    try:
        return check_time(float(text), text, where)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        shown = text if len(text) <= 40 else text[:40] + "..."
        raise DataError(
            f"{where}: {shown!r} is not a timestamp; write epoch seconds (1767225600) or "
            "ISO 8601 (2026-01-01T00:00:00Z)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return check_time(moment.timestamp(), text, where)
    except (OverflowError, ValueError):
        raise DataError(f"{where}: {text!r} is outside 1970-01-01 to 9998-12-31") from None


def count_of(text: str | None, where: str, name: str) -> int | Decimal:
    """An exact event count: a whole or decimal number, 0 <= n <= 2**53."""
    if text is None or not text.strip():
        raise DataError(f"{where}: the {name!r} cell is empty; write a count (0 or more)")
    shown = text.strip() if len(text.strip()) <= 40 else text.strip()[:40] + "..."
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise DataError(f"{where}: {name} {shown!r} is not a number; write a count such as 42") from None
    if not value.is_finite():
        raise DataError(f"{where}: {name} {shown!r} is not a finite number; write a count such as 42")
    if value < 0:
        raise DataError(f"{where}: counts cannot be negative ({name} {shown})")
    if value > MAX_COUNT:
        raise DataError(
            f"{where}: {name} {shown} is more than 2**53 events in one interval; "
            "write counts per interval, not running totals"
        )
    return int(value) if value == value.to_integral_value() else value


def _shown(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "..."


class _Csv:
    """A CSV file opened for streaming: the header (names stripped, BOM dropped) and the rows."""

    def __init__(self, path: Path):
        self.path = path
        try:
            with path.open("rb") as probe:
                start = probe.read(8192)
        except OSError as exc:
            raise DataError(f"{path}: cannot read: {exc.strerror or exc}") from None
        if start[:2] in (b"\xff\xfe", b"\xfe\xff"):
            raise DataError(f"{path}: the file is UTF-16 text; save it as UTF-8 CSV")
        if b"\x00" in start:
            raise DataError(f"{path}: the file holds NUL bytes (binary data?); give a CSV text file")
        try:
            self.handle = path.open(newline="", encoding="utf-8-sig")
        except OSError as exc:
            raise DataError(f"{path}: cannot read: {exc.strerror or exc}") from None
        self.reader = csv.reader(self.handle)
        try:
            header = next(self.reader, None)
        except (csv.Error, UnicodeDecodeError, OSError) as exc:
            self.handle.close()
            raise self.error(exc) from None
        if not header:
            self.handle.close()
            raise DataError(f"{path}: empty file; expected a header row such as timestamp,good,total")
        self.header = [name.strip() for name in header]

    def __enter__(self) -> _Csv:
        return self

    def __exit__(self, *exc) -> None:
        self.handle.close()

    @property
    def line(self) -> int:
        return self.reader.line_num

    def where(self) -> str:
        return f"{self.path}:{self.line}"

    def error(self, exc: Exception) -> DataError:
        """csv/encoding errors met while reading, as a DataError at the line."""
        line = self.reader.line_num + 1 if isinstance(exc, UnicodeDecodeError) else self.reader.line_num
        where = f"{self.path}:{line}" if line else str(self.path)
        if isinstance(exc, UnicodeDecodeError):
            return DataError(
                f"{self.path}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x}); save the file as UTF-8 CSV"
            )
        text = str(exc)
        if "field larger than field limit" in text:
            return DataError(
                f"{where}: a field is longer than 128 KiB (an unclosed quote?); check the quoting of this row"
            )
        if "NUL" in text:
            return DataError(f"{where}: the file holds NUL bytes (binary data?); give a CSV text file")
        return DataError(f"{where}: not valid CSV ({text})")

    @overload
    def column(self, columns: dict[str, str], name: str) -> int: ...
    @overload
    def column(self, columns: dict[str, str], name: str, required: bool) -> int | None: ...

    def column(self, columns: dict[str, str], name: str, required: bool = True) -> int | None:
        wanted = columns.get(name, name)
        if wanted in self.header:
            return self.header.index(wanted)
        if required:
            shown = ", ".join(_shown(h) for h in self.header[:20])
            raise DataError(
                f"{self.path}: no column {wanted!r} (columns: {shown}); map yours with --column {name}=COLUMN"
            )
        return None

    def width_error(self, row: list[str]) -> DataError:
        return DataError(
            f"{self.where()}: {len(row)} fields, the header has {len(self.header)}; "
            f"write one value per column ({', '.join(_shown(h) for h in self.header[:20])})"
        )


def is_count_file(path: Path, columns: dict[str, str]) -> bool:
    """A count CSV has a `total` column; anything else is read as one event per row."""
    with _Csv(path) as data:
        return columns.get("total", "total") in data.header


def read_counts_csv(path: Path, counts: Counts, columns: dict[str, str], progress=None) -> int:
    with _Csv(path) as data:
        ti = data.column(columns, "timestamp")
        ni = data.column(columns, "total")
        gi = data.column(columns, "good", required=False)
        bi = data.column(columns, "bad", required=False)
        if gi is None and bi is None:
            raise DataError(
                f"{path}: needs a 'good' or a 'bad' column beside 'total' (or map yours with --column good=COLUMN)"
            )
        width = len(data.header)
        interval = counts.interval
        floor = math.floor
        rows = 0
        current: int | None = None
        good_sum: int | Decimal = 0
        total_sum: int | Decimal = 0
        good: int | Decimal
        total: int | Decimal
        merge = counts.merge
        try:
            for row in data.reader:
                try:
                    if len(row) != width:
                        raise ValueError
                    ts = float(row[ti])
                    if not FIRST <= ts < LAST:
                        raise ValueError
                    total = int(row[ni])
                    # bi is set when gi is not (checked above); a cast would cost a call per row
                    good = int(row[gi]) if gi is not None else total - int(row[bi])  # type: ignore[index]
                    if not 0 <= good <= total <= MAX_COUNT:
                        raise ValueError
                except ValueError:
                    if not row:
                        continue  # a blank line
                    ts, good, total = _count_row(data, row, ti, ni, gi, bi)
                key = floor(ts / interval)
                if key != current:
                    if current is not None:
                        merge(current, good_sum, total_sum)
                    current, good_sum, total_sum = key, good, total
                else:
                    good_sum += good
                    total_sum += total
                rows += 1
                if progress is not None and rows % PROGRESS_EVERY == 0:
                    progress(path, rows)
            if current is not None:
                merge(current, good_sum, total_sum)
        except TooManyBuckets:
            raise too_many(path, counts) from None
        except (csv.Error, UnicodeDecodeError) as exc:
            raise data.error(exc) from None
    return rows


def _count_row(
    data: _Csv, row: list[str], ti: int, ni: int, gi: int | None, bi: int | None
) -> tuple[float, int | Decimal, int | Decimal]:
    """The exact reading of a row the fast loop could not take, or the reason it is wrong."""
    where = data.where()
    if len(row) != len(data.header):
        raise data.width_error(row)
    ts = parse_time(row[ti], where)
    total = count_of(row[ni], where, data.header[ni])
    if gi is not None and (row[gi].strip() or bi is None):
        good = count_of(row[gi], where, data.header[gi])
    else:
        assert bi is not None  # a 'good' or a 'bad' column: checked when the header was read
        good = total - count_of(row[bi], where, data.header[bi])
    if good > total or good < 0:
        raise DataError(
            f"{where}: good ({good}) is not between 0 and total ({total}); write good <= total (or bad <= total)"
        )
    return ts, good, total


def condition_of(sli: SLI) -> tuple[str, Callable[[Any, Any], Any], Decimal | str] | None:
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
            if isinstance(threshold, Decimal) and not threshold.is_finite():
                threshold = raw
            return name, OPS[op], threshold
    return None


def _measure(text: str, where: str, name: str) -> Decimal:
    text = text.strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        try:
            return Duration.parse(text).seconds
        except QuantityError:
            raise DataError(
                f"{where}: {name} {_shown(text)!r} is neither a number nor a duration; "
                "write seconds (1.5) or a duration (2h30m)"
            ) from None
    if not value.is_finite():
        raise DataError(
            f"{where}: {name} {_shown(text)!r} is not a finite number; write seconds (1.5) or a duration (2h30m)"
        )
    return value


def read_events_csv(path: Path, counts: Counts, sli: SLI, columns: dict[str, str], progress=None) -> int:
    with _Csv(path) as data:
        ti = data.column(columns, "timestamp")
        gi = data.column(columns, "good", required=False)
        rule = condition_of(sli)
        vi = None
        if rule is not None:
            name = rule[0]
            vi = data.column(columns, name, required=False)
            if vi is None and gi is None:
                raise DataError(
                    f"{path}: no column {columns.get(name, name)!r} for the condition of SLI "
                    f"{sli.name!r}; map it with --column {name}=COLUMN"
                )
        elif gi is None:
            raise DataError(
                f"{path}: needs a 'good' column (SLI {sli.name!r} has no condition to check); "
                "write true/false or 1/0 per event"
            )
        width = len(data.header)
        interval = counts.interval
        floor = math.floor
        merge = counts.merge
        compare = threshold = None
        threshold_f = 0.0
        if rule is not None:
            _, compare, threshold = rule
            if not isinstance(threshold, str):
                threshold_f = float(threshold)
        numeric = rule is not None and not isinstance(threshold, str)
        rows = 0
        current, good_sum, total_sum = None, 0, 0
        try:
            for row in data.reader:
                try:
                    if len(row) != width:
                        raise ValueError
                    ts = float(row[ti])
                    if not FIRST <= ts < LAST:
                        raise ValueError
                    if gi is not None:
                        good = FLAGS[row[gi]]
                    elif numeric:
                        # numeric: vi and compare are set (a cast would cost a call per row)
                        value = float(row[vi])  # type: ignore[index]
                        if not -MAX_FLOAT <= value <= MAX_FLOAT:
                            raise ValueError
                        if value == threshold_f:
                            raise ValueError  # a tie in floats: compare exactly
                        good = compare(value, threshold_f)  # type: ignore[misc]
                    else:
                        raise ValueError
                except (ValueError, KeyError):
                    if not row:
                        continue
                    ts, good = _event_row(data, row, ti, gi, vi, compare, threshold)
                key = floor(ts / interval)
                if key != current:
                    if current is not None:
                        merge(current, good_sum, total_sum)
                    current, good_sum, total_sum = key, 1 if good else 0, 1
                else:
                    if good:
                        good_sum += 1
                    total_sum += 1
                rows += 1
                if progress is not None and rows % PROGRESS_EVERY == 0:
                    progress(path, rows)
            if current is not None:
                merge(current, good_sum, total_sum)
        except TooManyBuckets:
            raise too_many(path, counts) from None
        except (csv.Error, UnicodeDecodeError) as exc:
            raise data.error(exc) from None
    return rows


def _whole(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def _event_row(data: _Csv, row: list[str], ti: int, gi: int | None, vi: int | None, compare, threshold):
    where = data.where()
    if len(row) != len(data.header):
        raise data.width_error(row)
    ts = parse_time(row[ti], where)
    if gi is not None and row[gi].strip():
        flag = row[gi].strip().lower()
        if flag not in FLAGS and _whole(flag) in (0, 1):
            flag = str(_whole(flag))  # 01, +1: the number one, as a database reads it
        if flag not in FLAGS:
            raise DataError(f"{where}: {_shown(row[gi])!r} is not a good/bad flag; write true/false or 1/0")
        return ts, FLAGS[flag]
    if vi is None:
        assert gi is not None  # a 'good' column or the condition's column: checked when the header was read
        raise DataError(f"{where}: the {data.header[gi]!r} cell is empty; write true/false or 1/0")
    value = row[vi]
    if not value.strip():
        return ts, False  # an event that never met its condition (no response yet) is bad
    if isinstance(threshold, str):
        return ts, bool(compare(value.strip(), threshold))
    return ts, bool(compare(_measure(value, where, data.header[vi]), threshold))
