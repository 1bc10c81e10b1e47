"""One root cause, one finding: the target slip (0.995 meant as 99.5 %) that SLO103 reports
and every other rule and derived default leaves alone."""

from __future__ import annotations

from typing import Any


def looks_like_ratio(objective: Any) -> bool:
    """A target that SLO103 reports as a ratio slip (0.995 meant as 99.5%).

    One root cause, one finding: every other rule that reads the target stays silent about
    such a target (SLO or SLA), since its findings would only be consequences of the slip.
    """
    if getattr(objective, "allowed_downtime", None) is not None:
        return False
    return bool(0 < objective.target <= 1)
