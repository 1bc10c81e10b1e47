"""SLO108 and SLO109 judge recorded data (`slospec eval`): message, position, options and
severity as a user sees them in eval's report, with the judging in the rule modules."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from slospec.api import eval_paths as run
from slospec.config import from_data
from slospec.evaluate.session import EvalOptions
from tests.conftest import EXAMPLES

JAN = 1767225600  # 2026-01-01T00:00:00Z


def spec(tmp_path: Path, target: str) -> Path:
    """examples/api.slo.yaml over a 1-day window; its availability target is on line 41."""
    text = (EXAMPLES / "api.slo.yaml").read_text().replace("window: 28d", "window: 1d")
    path = tmp_path / "s.slo.yaml"
    path.write_text(text.replace("target: 99.95%", f"target: {target}"))
    assert path.read_text().splitlines()[40].strip() == f"target: {target}"
    return path


def week(tmp_path: Path, bad_share: float) -> Path:
    """Hourly counts for a week, `bad_share` of the events bad in every hour."""
    path = tmp_path / "data.csv"
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["timestamp", "good", "total"])
        for hour in range(7 * 24):
            writer.writerow([JAN + hour * 3600, round(100_000 * (1 - bad_share)), 100_000])
    return path


def findings(tmp_path: Path, target: str, bad_share: float, **config) -> list[str]:
    options = EvalOptions([str(spec(tmp_path, target))], [str(week(tmp_path, bad_share))], "requests-ok", interval=3600)
    text = run(options, from_data(config)).text
    return [line.split("s.slo.yaml:", 1)[1] for line in text.splitlines() if "s.slo.yaml:" in line]


def test_slo108_at_the_target_with_its_counts(tmp_path: Path) -> None:
    assert findings(tmp_path, "99.95%", 0.001) == [
        "41:13: SLO108 [warning] SLO 'availability': the data misses 99.95% in 7 of 7 complete "
        "non-overlapping windows of 1d (best 99.9%)"
    ]


def test_slo108_max_missed_share_lets_misses_pass(tmp_path: Path) -> None:
    assert findings(tmp_path, "99.95%", 0.001, rules={"history-misses-target": {"max-missed-share": 1}}) == []


def test_slo109_says_how_much_better_the_service_does(tmp_path: Path) -> None:
    assert findings(tmp_path, "99%", 0.00001) == [
        "41:13: SLO109 [info] SLO 'availability': the worst of 7 complete windows in the data failed 0.001% of events, "
        "less "
        "than a tenth of the 1% budget; the service could promise more"
    ]


@pytest.mark.parametrize(("factor", "found"), [(2000, False), (4, True)])
def test_slo109_min_factor(tmp_path: Path, factor: int, found: bool) -> None:
    # the worst hour fails 0.001 % of events; the 1 % budget is 1,000 times that
    got = findings(tmp_path, "99%", 0.00001, rules={"target-below-history": {"min-factor": factor}})
    assert got == (
        [
            "41:13: SLO109 [info] SLO 'availability': the worst of 7 complete windows in the data failed "
            f"0.001% of events, less than 1/{factor} of the 1% budget; the service could promise more"
        ]
        if found
        else []
    )


def test_severity_and_selection_come_from_the_configuration(tmp_path: Path) -> None:
    got = findings(tmp_path, "99%", 0.00001, severity={"SLO109": "error"})
    assert [line.split(" SLO 'availability'")[0] for line in got] == ["41:13: SLO109 [error]"]
    assert findings(tmp_path, "99%", 0.00001, ignore=["target-below-history"]) == []
