"""The vectorised reader (slospec[fast], DuckDB) gives the same report as the pure reader, to
the last digit, on CSV and Parquet; what it does not take falls back to the pure reader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slospec.api import eval_paths as run
from slospec.api import load_specs
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


def _events_sli(condition: str):
    from slospec.specmodel.model import SLI

    return SLI("checks", "events", (), source="tickets", query="all", condition=condition)


def _both(path: Path, sli, interval: int = 60) -> tuple[list, list]:
    """(pure series, fast series); the fast reader must take the file itself."""
    from slospec.evaluate import fastread

    pure, fast = inputs.Counts(interval), inputs.Counts(interval)
    rows = inputs.read_events_csv(path, pure, sli, {})
    assert fastread.read(path, fast, sli, {}, parquet=False) == rows
    return pure.series(), fast.series()


# Texts whose double is a threshold's, some only by rounding: the exact comparison tells them
# apart. 1e-400 is a double 0 and above a threshold of 0; 2.5e0 and 00.250 are 0.25 exactly.
EDGE_VALUES = {
    "0.25": ["0.25", "0.250", "00.250", "+0.25", "2.5e-1", "0.25000000000000001", "0.24999999999999999", "0.26"],
    "0": ["0", "0.0", "-0", "0e5", "1e-400", "-1e-400", "0.000", "1"],
    "0.1234567890123456789": ["0.1234567890123456789", "0.12345678901234568", "0.1234567890123457", "0.12"],
    "300": ["300", "300.000", "3e2", "300.00000000000001", "299.99999999999999", "301"],
}


@SETTINGS
@given(
    threshold=st.sampled_from(sorted(EDGE_VALUES)),
    op=st.sampled_from(["<=", "<", ">=", ">", "==", "!="]),
    rows=st.lists(
        st.tuples(st.floats(0, 2 * 3600, allow_nan=False).map(lambda x: f"{JAN + x:.3f}"), st.integers(0, 7)),
        min_size=1,
        max_size=150,
    ),
)
def test_ties_at_every_operator_and_threshold_read_alike(tmp_path: Path, threshold: str, op: str, rows) -> None:
    # Values equal to the threshold as doubles, written exactly or only close: the vectorised
    # reader decides each as the pure reader does (exactly), bucket by bucket, at
    # fractional-second timestamps.
    path = tmp_path / "checks.csv"
    values = EDGE_VALUES[threshold]
    path.write_text("timestamp,x\n" + "".join(f"{t},{values[i % len(values)]}\n" for t, i in rows))
    pure, fast = _both(path, _events_sli(f"x {op} {threshold}"))
    assert fast == pure


def test_long_tie_texts_in_many_buckets_are_decided_exactly(tmp_path: Path) -> None:
    # 0.30000000000000001 is a double 0.3 but above 300ms (bad); 0.300 is on it (good): every
    # minute holds both, so a bucket-by-bucket correction that went wrong shows.
    path = tmp_path / "latency.csv"
    texts = ["0.300", "0.30000000000000001", "0.29999999999999999", "0.3", "0.301"]
    path.write_text(
        "timestamp,value\n" + "".join(f"{JAN + i * 7.25:.2f},{texts[i % len(texts)]}\n" for i in range(5000))
    )
    assert report(path, fast=True, sli="requests-fast") == report(path, fast=False, sli="requests-fast")
    data = json.loads(report(path, fast=True, sli="requests-fast"))["slos"][0]
    assert (data["good"], data["total"]) == (3000, 5000)  # 0.300, 0.29999999999999999, 0.3


def test_timestamps_on_minute_edges_fall_in_the_same_bucket(tmp_path: Path) -> None:
    # Fractional seconds just before, on and (by a double's rounding) past a minute's edge.
    path = tmp_path / "latency.csv"
    stamps = [
        stamp
        for edge in range(JAN + 60, JAN + 200 * 60, 60)
        for stamp in (f"{edge}", f"{edge}.000", f"{edge - 1}.999", f"{edge}.0000001", f"{edge - 1}.9999999999999999")
    ]
    path.write_text("timestamp,value\n" + "".join(f"{t},0.{i % 400:03d}\n" for i, t in enumerate(stamps)))
    assert report(path, fast=True, sli="requests-fast") == report(path, fast=False, sli="requests-fast")


def test_a_bad_row_among_ties_gets_the_pure_readers_diagnostic(tmp_path: Path) -> None:
    path = tmp_path / "latency.csv"
    path.write_text(
        "timestamp,value\n" + "".join(f"{JAN + i}.5,0.30000000000000001\n" for i in range(30)) + f"{JAN + 40},fast\n"
    )
    with pytest.raises(EvalFailure, match=r"latency.csv:32: value 'fast' is neither a number nor a duration"):
        report(path, fast=None, sli="requests-fast")


def test_values_written_as_durations_go_to_the_pure_reader(tmp_path: Path) -> None:
    # 1.5s and 200ms are durations the pure reader takes; the vectorised reader hands the
    # file over after a look at its first rows (not after reading it whole).
    from slospec.evaluate import fastread

    path = tmp_path / "latency.csv"
    path.write_text("timestamp,value\n" + "".join(f"{JAN + i},{('1.5s', '200ms')[i % 2]}\n" for i in range(100)))
    sli = load_specs([API], Config())[0][0].sli("requests-fast")
    assert fastread.read(path, inputs.Counts(60), sli, {}, parquet=False) is None
    data = json.loads(report(path, fast=None, sli="requests-fast"))["slos"][0]
    assert (data["good"], data["total"]) == (50, 100)


def test_reader_fast_forced_on_a_file_it_cannot_take_says_why(tmp_path: Path) -> None:
    # With --reader fast nobody takes over, so the reason is the message: what the file holds
    # that the vectorised reader does not take, and the reader that does.
    iso = tmp_path / "iso.csv"
    iso.write_text("timestamp,good,total\n" + "".join(f"2026-01-01T00:{m:02d}:00Z,5,10\n" for m in range(30)))
    with pytest.raises(
        EvalFailure,
        match=r"iso.csv: the vectorised reader cannot take this file: timestamp column of type TIMESTAMP.*write epoch seconds; use --reader pure",
    ):
        report(iso, fast=True)
    durations = tmp_path / "latency.csv"
    durations.write_text("timestamp,value\n" + "".join(f"{JAN + i},{('1.5s', '200ms')[i % 2]}\n" for i in range(100)))
    with pytest.raises(
        EvalFailure,
        match=r"latency.csv: the vectorised reader cannot take this file: value values that are no numbers \(durations\?\); use --reader pure",
    ):
        report(durations, fast=True, sli="requests-fast")
    # Without --reader the pure reader takes both, as before.
    assert json.loads(report(iso, fast=None))["slos"][0]["total"] == 300
