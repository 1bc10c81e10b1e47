"""Hostile recorded data: every shape is a clear error at the file and line (exit 2), never an
internal error, and the silently wrong cases (NaN as good, Infinity as nan%, a 1970-9998 span
taking minutes) are gone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slospec.api import eval_paths as run
from slospec.api import load_specs
from slospec.cli import main
from slospec.config import Config
from slospec.evaluate import compute, runner
from slospec.evaluate.session import EvalFailure, EvalOptions
from tests.conftest import EXAMPLES

API = str(EXAMPLES / "api.slo.yaml")
LATENCY_SLI = "requests-fast"
JAN = 1767225600


def cli(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    assert "internal error" not in result.output
    return result


def evaluate(tmp_path: Path, content: bytes | str, *, name="data.csv", sli="requests-ok", fast=None, **kw):
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return run(EvalOptions([API], [str(path)], sli, fast=fast, **kw), Config())


def failure(tmp_path: Path, content: bytes | str, **kw) -> str:
    with pytest.raises(EvalFailure) as caught:
        evaluate(tmp_path, content, **kw)
    return str(caught.value)


COUNT_HEADER = "timestamp,good,total\n"


@pytest.mark.parametrize(
    ("rows", "where", "message"),
    [
        (f"{JAN},NaN,1\n", ":2:", "good 'NaN' is not a finite number"),
        (f"{JAN},sNaN,1\n", ":2:", "'sNaN' is not a finite number"),
        (f"{JAN},1,Infinity\n", ":2:", "total 'Infinity' is not a finite number"),
        (f"{JAN},1,1\nnan,1,1\n", ":3:", "'nan' is not a timestamp; write epoch seconds"),
        ("inf,1,1\n", ":2:", "'inf' is not a timestamp"),
        (f"{JAN},1,1\n{JAN},1\n", ":3:", "2 fields, the header has 3"),
        (f"{JAN},,1\n", ":2:", "the 'good' cell is empty; write a count"),
        (f"{JAN},1,1,9\n", ":2:", "4 fields, the header has 3"),
        (f"{JAN}000,1,1\n", ":2:", "milliseconds? write epoch seconds"),
        ("1e12,1,1\n", ":2:", "after the year 9998"),
        ("-5,1,1\n", ":2:", "outside 1970-01-01 to 9998-12-31"),
        (f"{JAN},1,{2**60}\n", ":2:", "more than 2**53 events"),
        (f'{JAN},"{"1" * 200_000}",1\n', ":2:", "longer than 128 KiB"),
        (f"{JAN},{'9' * 5000},1\n", ":2:", "more than 2**53 events"),
    ],
)
def test_bad_count_rows_name_the_line_and_the_fix(tmp_path: Path, rows: str, where: str, message: str) -> None:
    text = failure(tmp_path, COUNT_HEADER + rows)
    assert f"data.csv{where}" in text and message in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"timestamp,good,total\n1767225600,\xff,1\n", "not UTF-8 text (byte 0xff); save the file as UTF-8 CSV"),
        ("timestamp,good,total\n1767225600,1,1\n".encode("utf-16"), "UTF-16 text; save it as UTF-8"),
        (b"timestamp,good,total\n\x00\x01\x02,\x00\n", "NUL bytes"),
        (b"", "empty file; expected a header row"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "NUL bytes"),
    ],
)
def test_files_that_are_not_utf8_csv(tmp_path: Path, content: bytes, message: str) -> None:
    assert message in failure(tmp_path, content)


def test_a_bom_and_spaces_in_the_header_are_accepted(tmp_path: Path) -> None:
    rows = "".join(f"{JAN + m * 60},{99 if m % 7 == 0 else 100},100\n" for m in range(300))
    plain = evaluate(tmp_path, COUNT_HEADER + rows, name="plain.csv")
    bom = evaluate(tmp_path, "\ufeff" + COUNT_HEADER + rows, name="bom.csv")
    spaced = evaluate(tmp_path, "timestamp, good, total\n" + rows.replace(",", ", "), name="spaced.csv")
    assert plain.text == bom.text == spaced.text
    assert "good of 30000" in plain.text


def test_infinite_and_nan_measurements_are_errors_not_nan_percent(tmp_path: Path) -> None:
    text = failure(tmp_path, f"timestamp,value\n{JAN},0.1\n{JAN + 1},inf\n", sli=LATENCY_SLI)
    assert "data.csv:3: value 'inf' is not a finite number" in text
    text = failure(tmp_path, f"timestamp,value\n{JAN},NaN\n", sli=LATENCY_SLI)
    assert "data.csv:2: value 'NaN' is not a finite number" in text
    text = failure(tmp_path, f"timestamp,good\n{JAN},maybe\n")
    assert "data.csv:2: 'maybe' is not a good/bad flag; write true/false or 1/0" in text


def test_a_span_from_1970_to_9998_follows_the_data_not_three_million_days(tmp_path: Path) -> None:
    outcome = evaluate(tmp_path, f"{COUNT_HEADER}0,100,100\n253370764799,99,100\n")
    assert (
        "99% over 28d" in outcome.text
        and "history: 1 period, target missed in 0; 27 more covered in part" in outcome.text
    )


def test_too_many_intervals_asks_for_a_longer_interval(tmp_path: Path) -> None:
    rows = "".join(f"{JAN + i * 86400},1,1\n" for i in range(50))
    path = tmp_path / "wide.csv"
    path.write_text(COUNT_HEADER + rows)
    from slospec.evaluate import inputs

    counts = inputs.Counts(60, max_buckets=10)
    with pytest.raises(
        inputs.DataError,
        match=r"wide.csv: the data spans at least 2026-01-01 to 2026-01-10, more than 10 "
        r"intervals of 60 s; pass a longer --interval",
    ):
        inputs.read_counts_csv(path, counts, {})


def matrix(values, kind="matrix") -> dict:
    return {
        "status": "success",
        "data": {
            "resultType": kind,
            "result": [{"metric": {"code": "500"}, "values": [[JAN + i * 60, v] for i, v in enumerate(values)]}],
        },
    }


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"status": "success", "data": {"resultType": "scalar", "result": [JAN, "1"]}}, "resultType 'scalar'"),
        ({"status": "success", "data": {"resultType": "string", "result": [JAN, "x"]}}, "resultType 'string'"),
        ({"status": "success", "data": {"resultType": "matrix", "result": [1, 2]}}, "data.result[0] is not a series"),
        (
            {"status": "success", "data": {"resultType": "matrix", "result": [{"values": [None]}]}},
            'values[0] is null; write a [time, "value"] pair',
        ),
        (
            {"status": "success", "data": {"resultType": "matrix", "result": [{"values": [[JAN]]}]}},
            "values[0] is [1767225600]",
        ),
        (
            {"status": "success", "data": {"resultType": "matrix", "result": [{"values": [[JAN, "1", 3]]}]}},
            'values[0] is [1767225600, "1", 3]',
        ),
        (matrix(["0", "NaN", "2"]), "value 'NaN' is not a finite number"),
        (matrix(["0", "+Inf"]), "value '+Inf' is not a finite number"),
        ({"status": "error", "errorType": "bad_data", "error": "parse error"}, "the response is an error (bad_data"),
        ([1, 2], "not a Prometheus query_range response (a JSON list)"),
        ("[" * 100_000, "JSON nested too deeply"),
        ("{", "not JSON"),
    ],
)
def test_bad_prometheus_json(tmp_path: Path, bad, message: str) -> None:
    (tmp_path / "bad.json").write_text(bad if isinstance(bad, str) else json.dumps(bad))
    (tmp_path / "total.json").write_text(json.dumps(matrix([str(i * 100) for i in range(5)])))
    with pytest.raises(EvalFailure, match=None) as caught:
        run(
            EvalOptions([API], [f"bad={tmp_path / 'bad.json'}", f"total={tmp_path / 'total.json'}"], "requests-ok"),
            Config(),
        )
    assert "bad.json" in str(caught.value) and message in str(caught.value)


def test_nan_in_a_bad_counter_is_not_counted_as_good(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text(json.dumps(matrix(["0", "NaN", "NaN", "NaN"])).replace('"NaN"', "NaN"))
    (tmp_path / "total.json").write_text(json.dumps(matrix(["0", "100", "200", "300"])))
    result = cli(
        "eval",
        API,
        "--sli",
        "requests-ok",
        "--data",
        f"bad={tmp_path / 'bad.json'}",
        "--data",
        f"total={tmp_path / 'total.json'}",
    )
    assert result.exit_code == 2 and "100.0000%" not in result.output
    assert "is not a finite number" in result.output


def test_eval_on_a_file_that_is_no_spec(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("just some notes\n")
    (tmp_path / "d.csv").write_text(COUNT_HEADER + f"{JAN},1,1\n")
    result = cli("eval", str(tmp_path / "notes.txt"), "--data", str(tmp_path / "d.csv"))
    assert result.exit_code == 2 and "no spec found; give a slospec YAML" in result.output


@pytest.mark.parametrize("target", ["NaN", "sNaN", "Infinity", "nan%", "inf%"])
def test_budget_of_a_non_number_is_a_usage_error(target: str) -> None:
    result = cli("budget", target, "30d")
    assert result.exit_code == 2
    assert "must be between 0% and 100%" in result.output or "is not a percentage" in result.output


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    st.binary(max_size=300)
    | st.text(alphabet=st.sampled_from(list('0123456789.,-e"\n\r naifNIF:TZ+x\x00')), max_size=200).map(
        lambda t: ("timestamp,good,total\n" + t).encode()
    )
)
def test_any_bytes_are_a_report_or_a_clear_error(tmp_path: Path, content: bytes) -> None:
    try:
        outcome = evaluate(tmp_path, content)
    except EvalFailure as exc:
        assert str(exc) and "Traceback" not in str(exc)
    else:
        assert outcome.exit_status in (0, 1) and "nan%" not in outcome.text.lower()


def test_history_follows_the_data_not_the_span(tmp_path: Path) -> None:
    specs, _ = load_specs([API], Config())
    path = tmp_path / "gap.csv"
    path.write_text(COUNT_HEADER + f"{JAN},100,100\n{JAN + 400 * 86400},90,100\n")
    series, _ = runner.load(specs[0], "requests-ok", {"": [path]}, {}, fast=False)
    result = compute.evaluate(specs[0].slos[0], series)
    assert all(p.total > 0 for p in result.history)
    assert [round(p.attainment, 2) for p in result.history] == [1.0] * 28  # then nothing until the last row


def test_live_options_without_a_server_and_no_data_at_all(tmp_path: Path) -> None:
    (tmp_path / "d.csv").write_text(COUNT_HEADER + f"{JAN},1,1\n")
    result = cli("eval", API, "--data", str(tmp_path / "d.csv"), "--start", "0")
    assert result.exit_code == 2 and "go with --prometheus URL" in result.output
    result = cli("eval", API)
    assert result.exit_code == 2 and "give the data: --data FILE" in result.output
    result = cli("eval", API, "--data", str(tmp_path / "d.csv"), "--prometheus", "http://127.0.0.1:1")
    assert result.exit_code == 2 and "either --data files or --prometheus URL" in result.output
