"""Pyrra's alert windows (slo/rules.go Windows(): integer division of the SLO window, rounded
to the minute): the 28d row is Pyrra's own Test_windows, the others follow the same arithmetic."""

from __future__ import annotations

import pytest

from slospec.interop.pyrra import parse_duration, pyrra_windows
from slospec.specmodel.quantities import format_prometheus


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        ("28d", [(14, "1h", "5m", "2m"), (7, "6h", "30m", "15m"), (2, "1d", "2h", "1h"), (1, "4d", "6h", "3h")]),
        (
            "30d",
            [
                (14, "1h4m", "5m", "2m"),
                (7, "6h26m", "32m", "16m"),
                (2, "1d1h43m", "2h9m", "1h4m"),
                (1, "4d6h51m", "6h26m", "3h13m"),
            ],
        ),
        ("2w", [(14, "30m", "3m", "1m"), (7, "3h", "15m", "8m"), (2, "12h", "1h", "30m"), (1, "2d", "3h", "1h30m")]),
        ("7d", [(14, "15m", "1m", "1m"), (7, "1h30m", "8m", "4m"), (2, "6h", "30m", "15m"), (1, "1d", "1h30m", "45m")]),
    ],
)
def test_windows_match_pyrra(window: str, expected: list) -> None:
    got = [
        (factor, format_prometheus(long_), format_prometheus(short), format_prometheus(for_))
        for _severity, factor, long_, short, for_ in pyrra_windows(parse_duration(window))
    ]
    assert got == expected


def test_one_day_window_rounds_the_fastest_short_window_to_zero() -> None:
    (_s, _f, long_, short, _for), *_ = pyrra_windows(parse_duration("1d"))
    assert (format_prometheus(long_), short) == ("2m", 0)


@pytest.mark.parametrize("text", ["", "4 weeks", "1.5d", "d", "1d1w", "-1d"])
def test_prometheus_durations_that_pyrra_rejects(text: str) -> None:
    assert parse_duration(text) is None
