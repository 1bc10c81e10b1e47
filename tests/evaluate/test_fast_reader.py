"""The vectorised reader (slospec[fast], DuckDB) gives the same report as the pure reader, to
the last digit, on CSV and Parquet; what it does not take falls back to the pure reader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slospec.api import eval_paths as run
from slospec.config import Config
from slospec.evaluate import inputs
from slospec.evaluate.session import EvalFailure, EvalOptions
from tests.conftest import EXAMPLES

duckdb = pytest.importorskip("duckdb")

API = str(EXAMPLES / "api.slo.yaml")
JAN = 1767225600
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def report(path: Path, fast: bool, sli: str = "requests-ok", interval: int = 60) -> str:
    options = EvalOptions([API], [str(path)], sli, interval=interval, fmt="json", fast=fast)
    return run(options, Config()).text


counts_rows = st.lists(
    st.tuples(st.integers(0, 40 * 86400), st.integers(0, 10**6), st.integers(0, 10**6)).map(
        lambda r: (JAN + r[0], min(r[1], r[2]), max(r[1], r[2]))
    ),
    min_size=1,
    max_size=300,
)


@SETTINGS
@given(rows=counts_rows, interval=st.sampled_from([1, 7, 60, 3600]), bad_column=st.booleans())
def test_count_csv_fast_equals_pure(tmp_path: Path, rows, interval: int, bad_column: bool) -> None:
    path = tmp_path / "counts.csv"
    header = "timestamp,bad,total" if bad_column else "timestamp,good,total"
    path.write_text(header + "\n" + "".join(f"{t},{n - g if bad_column else g},{n}\n" for t, g, n in rows))
    assert report(path, fast=True, interval=interval) == report(path, fast=False, interval=interval)


events_rows = st.lists(
    st.tuples(
        st.floats(0, 30 * 86400, allow_nan=False).map(lambda x: JAN + round(x, 3)),
        st.sampled_from(["1", "0", "true", "false", "OK", "error"]),
    ),
    min_size=1,
    max_size=300,
)


@SETTINGS
@given(rows=events_rows)
def test_event_csv_fast_equals_pure(tmp_path: Path, rows) -> None:
    path = tmp_path / "events.csv"
    path.write_text("timestamp,good\n" + "".join(f"{t!r},{g}\n" for t, g in rows))
    assert report(path, fast=True) == report(path, fast=False)


@SETTINGS
@given(values=st.lists(st.floats(0, 2, allow_nan=False), min_size=1, max_size=200))
def test_latency_values_fast_equals_pure(tmp_path: Path, values) -> None:
    # api.slo.yaml: requests-fast, 300ms; values equal to it included
    path = tmp_path / "latency.csv"
    path.write_text("timestamp,value\n" + "".join(f"{JAN + i},{v!r}\n" for i, v in enumerate(values)))
    pure = report(path, fast=False, sli="requests-fast")
    assert report(path, fast=True, sli="requests-fast") == pure


# Texts whose double is the threshold's: the exact comparison tells them apart.
TIES = ["0.3", "0.300", "0.30000000000000001", "0.29999999999999999", "3e-1"]


@SETTINGS
@given(
    rows=st.lists(
        st.tuples(
            st.floats(0, 3 * 86400, allow_nan=False).map(lambda x: f"{JAN + x:.3f}"),
            st.one_of(st.sampled_from(TIES), st.floats(0, 2, allow_nan=False).map(repr)),
        ),
        min_size=1,
        max_size=200,
    )
)
def test_latency_export_with_fractional_seconds_and_ties_is_read_fast(tmp_path: Path, rows) -> None:
    # Issue 26.7: `timestamp,value` with fractional seconds, values at the threshold included,
    # is the vectorised reader's to read, to the same report as the pure reader's.
    path = tmp_path / "latency.csv"
    path.write_text("timestamp,value\n" + "".join(f"{t},{v}\n" for t, v in rows))
    assert report(path, fast=True, sli="requests-fast") == report(path, fast=False, sli="requests-fast")


def test_parquet_gives_the_csv_report(tmp_path: Path) -> None:
    csv_path = tmp_path / "c.csv"
    csv_path.write_text(
        "timestamp,good,total\n" + "".join(f"{JAN + m * 60},{1000 - (m % 13)},1000\n" for m in range(5000))
    )
    parquet = tmp_path / "c.parquet"
    duckdb.execute(f"COPY (SELECT * FROM read_csv('{csv_path}')) TO '{parquet}' (FORMAT parquet)")
    assert report(parquet, fast=None) == report(csv_path, fast=False)
    assert json.loads(report(parquet, fast=None))["slos"][0]["total"] == 5000 * 1000


def test_rows_the_fast_reader_refuses_get_the_pure_readers_diagnostic(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("timestamp,good,total\n" + "".join(f"{JAN + m * 60},5,10\n" for m in range(50)) + f"{JAN},11,10\n")
    with pytest.raises(EvalFailure, match=r"bad.csv:52: good \(11\) is not between 0 and total \(10\)"):
        report(path, fast=None)


def test_parquet_with_bad_values_names_the_problem(tmp_path: Path) -> None:
    parquet = tmp_path / "bad.parquet"
    duckdb.execute(f"COPY (SELECT {JAN} AS timestamp, 5 AS good, 3 AS total) TO '{parquet}' (FORMAT parquet)")
    with pytest.raises(EvalFailure, match="bad.parquet: holds a value out of range"):
        report(parquet, fast=None)


def test_counts_are_identical_buckets(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("timestamp,good,total\n" + "".join(f"{JAN + s * 7},{s % 5},{5}\n" for s in range(20000)))
    pure, fast = inputs.Counts(60), inputs.Counts(60)
    inputs.read_counts_csv(path, pure, {})
    from slospec.evaluate import fastread

    assert fastread.read(path, fast, None, {}, parquet=False) == 20000
    assert pure.series() == fast.series()


@SETTINGS
@given(flags=st.lists(st.sampled_from(["0", "1", "01", "+1", " 1"]), min_size=1, max_size=200))
def test_numeric_flags_read_alike(tmp_path: Path, flags) -> None:
    path = tmp_path / "flags.csv"
    path.write_text("timestamp,good\n" + "".join(f"{JAN + i * 13},{f}\n" for i, f in enumerate(flags)))
    assert report(path, fast=None) == report(path, fast=False)
