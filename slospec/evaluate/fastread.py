"""The vectorised reader (`pip install 'slospec[fast]'`): DuckDB counts the buckets.

DuckDB was measured against polars and pyarrow (docs/performance.md): as fast on 2 cores,
the smallest install (one 66 MB library, no numpy), the shortest import of the three,
streams CSV and Parquet in bounded memory, and sums integers exactly. It takes only what
the pure reader would read to the same exact bucket sums: integer counts, integer or
decimal epoch timestamps, the same good/bad flag words; anything else (ISO timestamps,
fractional counts, a bad row) returns None and the pure reader reads the file, with its
file:line diagnostics. The result is the same buckets to the last digit (tested).
"""

from __future__ import annotations

import math
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

from slospec.evaluate import inputs

INTEGER = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"}
NUMBER = INTEGER | {"DOUBLE", "FLOAT"}
MEMORY_LIMIT = "512MB"
SAMPLE = 20480  # rows; DuckDB's CSV sniffer looks at as many
MIN_NORMAL, MAX_DOUBLE = Decimal(sys.float_info.min), Decimal(sys.float_info.max)


def available() -> bool:
    try:
        import duckdb  # noqa: F401
    except ImportError:
        return False
    return True


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class Unsuitable(Exception):
    """The file needs the pure reader (its reason is shown for Parquet, which has no other)."""


def read(
    path: Path, counts: inputs.Counts, sli, columns: dict[str, str], parquet: bool, forced: bool = False
) -> int | None:
    """Rows read into `counts`, or None when the pure reader must read this file. `forced`
    (`--reader fast`): no pure reader takes over, so the reason is the error."""
    try:
        import duckdb
    except ImportError:
        return None
    try:
        return _read(duckdb, path, counts, sli, columns, parquet)
    except Unsuitable as exc:
        if parquet:
            raise inputs.DataError(f"{path}: {exc}") from None
        if forced:
            raise inputs.DataError(
                f"{path}: the vectorised reader cannot take this file: {exc}; use --reader pure"
            ) from None
        return None
    except duckdb.Error as exc:
        first = str(exc).splitlines()[0]
        if parquet:
            raise inputs.DataError(f"{path}: cannot read Parquet ({first})") from None
        if forced:
            raise inputs.DataError(
                f"{path}: the vectorised reader cannot read this file (DuckDB: {first}); "
                "--reader pure reads it row by row and names the row that is wrong"
            ) from None
        return None  # the pure reader finds the row and says what is wrong


def _read(duckdb, path: Path, counts: inputs.Counts, sli, columns: dict[str, str], parquet: bool) -> int:
    con = duckdb.connect(":memory:")
    try:
        # No progress bar on our stdout; bounded memory (a query over the limit falls back to
        # the pure reader, which streams).
        con.execute("SET enable_progress_bar = false")
        con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        source = (
            f"read_parquet({_string(str(path))})"
            if parquet
            else f"read_csv({_string(str(path))}, header = true, delim = ',', quote = '\"', escape = '\"', "
            "auto_detect = true)"
        )
        described = con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
        types = {name.strip(): (name, kind.split("(")[0]) for name, kind, *_ in described}

        def column(field: str, required: bool = True) -> tuple[str, str] | None:
            wanted = columns.get(field, field)
            if wanted in types:
                return types[wanted]
            if required:
                raise Unsuitable(
                    f"no column {wanted!r} (columns: {', '.join(types)}); map yours with --column {field}=COLUMN"
                )
            return None

        ts_col = column("timestamp")
        assert ts_col is not None  # a required column: column() raised when it is missing
        ts_name, ts_type = ts_col
        if ts_type not in NUMBER:
            raise Unsuitable(f"timestamp column of type {ts_type}; write epoch seconds")
        ts = f"CAST({_quote(ts_name)} AS DOUBLE)"
        total_col = column("total", required=False)
        # `measured`: the measured value, cast once in an inner query (a cast repeated in
        # each expression that reads it costs a third of the query); `odd`: the rows whose
        # value only its text can judge (see _event_columns).
        measured, odd, value_name = "", "false", None
        if total_col is not None:
            good_sql, total_sql, checks = _count_columns(column, total_col)
        else:
            good_sql, checks, value = _event_columns(column, sli, parquet)
            total_sql = "1"
            if value is not None:
                value_name, measured, odd = value
                if not parquet:  # the values as written, for the exact comparison of ties
                    source = source[:-1] + f", types = {{{_string(value_name)}: 'VARCHAR'}})"
                if types[value_name.strip()][1] == "VARCHAR":
                    # Text to the sniffer: numbers written 00.250, or durations (1.5s) that
                    # only the pure reader takes; a look at the first rows tells which.
                    probe = con.execute(
                        f"SELECT count(*) FILTER (WHERE TRY_CAST(v AS DOUBLE) IS NULL) FROM "
                        f"(SELECT {_quote(value_name)} AS v FROM {source} LIMIT {SAMPLE})"
                    ).fetchone()
                    if probe is not None and probe[0]:
                        raise Unsuitable(f"{value_name} values that are no numbers (durations?)")
        interval = counts.interval
        valid = " AND ".join([f"__ts >= {inputs.FIRST!r}", f"__ts < {inputs.LAST!r}", *checks])
        valid = valid.replace("{good}", "__good").replace("{total}", "__total")
        rows = (
            f"WITH measured AS (SELECT *, {ts} AS __ts{measured} FROM {source}), "
            f"rows AS (SELECT *, {good_sql} AS __good, {total_sql} AS __total FROM measured) "
        )
        flagged = f"NOT coalesce({valid}, false) OR {odd}"
        # One streaming pass: per bucket the good events, the events, the rows and the rows
        # to look at again (out of range, or a tie only the text decides). An event file's
        # events are its rows: one aggregate fewer.
        total_agg = "count(*)" if total_sql == "1" else "CAST(sum(__total) AS BIGINT)"
        groups = con.execute(
            f"{rows}SELECT CAST(floor(__ts / {float(interval)!r}) AS BIGINT) AS __k, CAST(sum(__good) AS BIGINT), "
            f"{total_agg}, count(*), count(*) FILTER (WHERE {flagged}) FROM rows GROUP BY __k ORDER BY __k"
        ).fetchall()
        fix: dict[int, int] = {}
        if any(flags for *_, flags in groups):
            # The rare file with such rows: a second pass finds them (grouped, so its answer
            # stays small). A row out of range has no text here and sends the file to the
            # pure reader; a tie is decided on its text.
            again = con.execute(
                f"{rows}SELECT CAST(floor(__ts / {float(interval)!r}) AS BIGINT), "
                f"CASE WHEN coalesce({valid}, false) THEN CAST({_quote(value_name)} AS VARCHAR) END, "
                f"count(*) FROM rows WHERE {flagged} GROUP BY ALL"
                if value_name is not None
                else f"{rows}SELECT NULL, NULL, count(*) FROM rows WHERE {flagged}"
            ).fetchall()
            fix = _tied_good(again, sli)
    finally:
        con.close()
    if not counts.buckets and len(groups) <= counts.max_buckets:
        # The first (or only) file: its buckets, as merge() would make them, in one go.
        counts.buckets.update((key, [good + fix.get(key, 0), total]) for key, good, total, _n, _flags in groups)
        return sum(n for *_, n, _flags in groups)
    merge = counts.merge
    rows_read = 0
    try:
        for key, good, total, n, _flags in groups:
            merge(key, good + fix.get(key, 0), total)
            rows_read += n
    except inputs.TooManyBuckets:
        raise inputs.too_many(path, counts) from None
    return rows_read


def _tied_good(again: list, sli) -> dict[int, int]:
    """Per bucket, the change to the good count that the exact comparison of ties makes.

    `again` holds (bucket, value text, rows) for the rows the query flagged: a text of None
    is a row out of range (the file goes to the pure reader). The query counted a tie by the
    doubles (value = threshold, so compare(threshold, threshold)); the exact comparison reads
    the value as written, a Decimal, as the pure reader does (0.30000000000000001 is above a
    300ms threshold, 0.300 is not)."""
    if any(text is None for _key, text, _n in again):
        raise Unsuitable(
            "holds a value out of range: a timestamp outside 1970 to 9998, a negative count, "
            "good above total, an empty or NaN cell"
        )
    rule = inputs.condition_of(sli)
    assert rule is not None and not isinstance(rule[2], str)  # only a numeric condition flags ties
    name, compare, threshold = rule
    counted = 1 if compare(threshold, threshold) else 0
    out: dict[int, int] = {}
    for key, text, n in again:
        try:
            exact = Decimal(str(text).strip())
        except InvalidOperation:
            raise Unsuitable(f"a {name} value {text!r} that is no decimal number") from None
        change = ((1 if compare(exact, threshold) else 0) - counted) * n
        if change:
            out[key] = out.get(key, 0) + change
    return out


def _count_columns(column, total_col):
    total_name, total_type = total_col
    good_col, bad_col = column("good", required=False), column("bad", required=False)
    if good_col is None and bad_col is None:
        raise Unsuitable("needs a 'good' or a 'bad' column beside 'total'")
    for _, kind in (c for c in (total_col, good_col, bad_col) if c is not None):
        if kind not in INTEGER:
            raise Unsuitable(f"count column of type {kind}; the vectorised reader takes whole numbers")
    total = f"CAST({_quote(total_name)} AS BIGINT)"
    if good_col is not None and bad_col is not None:
        good = f"coalesce(CAST({_quote(good_col[0])} AS BIGINT), {total} - CAST({_quote(bad_col[0])} AS BIGINT))"
    elif good_col is not None:
        good = f"CAST({_quote(good_col[0])} AS BIGINT)"
    else:
        good = f"{total} - CAST({_quote(bad_col[0])} AS BIGINT)"
    checks = ["{good} >= 0", "{good} <= {total}", f"{{total}} <= {inputs.MAX_COUNT}"]
    return good, total, checks


def _event_columns(column, sli, parquet: bool):
    """(good, checks, value): value is None for a flag column, else (the value column, the
    inner query's cast of it, the test of a row whose tie only its text decides)."""
    good_col = column("good", required=False)
    rule = inputs.condition_of(sli)
    if good_col is not None and good_col[1] in INTEGER:
        # 0/1 columns (the common case) compare as numbers; the pure reader reads 0 and 1 the same
        flag = _quote(good_col[0])
        return f"(CASE WHEN {flag} = 1 THEN 1 WHEN {flag} = 0 THEN 0 END)", ["{good} IS NOT NULL"], None
    if good_col is not None:
        words_true = ", ".join(_string(w) for w, v in inputs.FLAGS.items() if v)
        words_false = ", ".join(_string(w) for w, v in inputs.FLAGS.items() if not v)
        flag = f"CAST({_quote(good_col[0])} AS VARCHAR)"
        good = f"(CASE WHEN {flag} IN ({words_true}) THEN 1 WHEN {flag} IN ({words_false}) THEN 0 END)"
        return good, ["{good} IS NOT NULL"], None
    if rule is None:
        raise Unsuitable(f"needs a 'good' column (SLI {sli.name!r} has no condition to check)")
    name, compare, threshold = rule
    if isinstance(threshold, str):
        raise Unsuitable("a condition on text values")
    value_col = column(name)
    # A CSV column is read as text (00.250 makes the sniffer call it one) and cast below.
    if value_col[1] not in NUMBER and (parquet or value_col[1] != "VARCHAR"):
        raise Unsuitable(f"{name} column of type {value_col[1]}; the vectorised reader takes numbers")
    if not math.isfinite(float(threshold)):
        raise Unsuitable(f"a threshold beyond a double ({threshold})")
    op = {v: k for k, v in inputs.OPS.items()}[compare]
    limit = repr(float(threshold))
    # A CSV column is read as text; cast once (TRY_: a cell that is no number is NULL, and
    # the file goes to the pure reader, which names the row).
    measured = f", TRY_CAST({_quote(value_col[0])} AS DOUBLE) AS __v"
    # Compared as doubles. Rounding to the nearest double keeps order, so a value whose
    # double differs from the threshold's compares as its exact decimal does. A tie (equal
    # doubles) is exact too when both the value as written and the threshold have at most 15
    # significant digits (DBL_DIG: two such decimals never round to one double; a text of at
    # most 15 characters has at most 15 digits): 0.300 at a 300ms threshold, the common
    # millisecond export. Any other tie (0.30000000000000001, or a threshold of 0 that
    # 1e-400 rounds to) is flagged and decided on its text (_tied_good).
    odd = f"(CASE WHEN __v = {limit} THEN "
    odd += f"length(CAST({_quote(value_col[0])} AS VARCHAR)) > 15" if _short(threshold) else "true"
    odd += " ELSE false END)"
    good = f"(CASE WHEN __v {op} {limit} THEN 1 ELSE 0 END)"
    return good, ["__v IS NOT NULL", "isfinite(__v)"], (value_col[0], measured, odd)


def _short(threshold: Decimal) -> bool:
    """At most 15 significant digits, in the range of normal doubles (or the DBL_DIG promise
    does not hold)."""
    if threshold.is_zero() or not MIN_NORMAL <= abs(threshold) <= MAX_DOUBLE:
        return False
    return len(threshold.normalize().as_tuple().digits) <= 15
