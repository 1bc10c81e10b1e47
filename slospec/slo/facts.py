"""Operational facts: what the spec declares, else the configured defaults (scrape interval etc.)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from slospec.records import record
from slospec.specmodel.quantities import Duration

if TYPE_CHECKING:  # the model's import is not needed to resolve facts (a cached run skips it)
    from slospec.specmodel.model import Operations, Spec

# Defaults when neither the spec nor the configuration says otherwise. The 17 minutes of
# detection + mitigation are the human-in-the-loop split of "The Calculus of Service
# Availability" (about 2 min to alert, 5 to start investigating, 10 to mitigate).
DEFAULTS: dict[str, Any] = {
    "scrape-interval": "15s",
    # The Prometheus back end writes this as every rule group's `interval:`, so it is the
    # real evaluation interval of the generated rules (Sloth and Pyrra use 30s too).
    "evaluation-interval": "30s",
    "time-to-detect": "7m",
    "time-to-mitigate": "10m",
    "expected-incidents": 1,
}


@record
class Facts:
    """The operational facts the rules judge a spec by: declared, else defaults."""

    scrape_interval: Duration
    evaluation_interval: Duration
    time_to_detect: Duration
    time_to_mitigate: Duration
    expected_incidents: Decimal
    automated_mitigation: bool
    request_timeout: Duration | None
    # Which facts the spec itself declared (for messages: "declared" vs "default").
    declared: frozenset[str] = frozenset()

    def __init__(
        self,
        scrape_interval: Duration,
        evaluation_interval: Duration,
        time_to_detect: Duration,
        time_to_mitigate: Duration,
        expected_incidents: Decimal,
        automated_mitigation: bool,
        request_timeout: Duration | None,
        declared: frozenset[str] = frozenset(),
    ) -> None:
        self.__dict__.update(
            scrape_interval=scrape_interval,
            evaluation_interval=evaluation_interval,
            time_to_detect=time_to_detect,
            time_to_mitigate=time_to_mitigate,
            expected_incidents=expected_incidents,
            automated_mitigation=automated_mitigation,
            request_timeout=request_timeout,
            declared=declared,
        )

    @property
    def resolution(self) -> Duration:
        """The smallest outage the pipeline can see: max(scrape, evaluation interval)."""
        return max(self.scrape_interval, self.evaluation_interval)

    @property
    def response_time(self) -> Duration:
        return self.time_to_detect + self.time_to_mitigate


class _NothingDeclared:
    """What for_operations reads of an `operations` block that declares nothing."""

    scrape_interval = evaluation_interval = time_to_detect = time_to_mitigate = None
    expected_incidents = automated_mitigation = request_timeout = None


_NOTHING_DECLARED: Any = _NothingDeclared()


def resolve(spec: Spec, defaults: dict[str, Any] | None = None) -> Facts:
    return for_operations(spec.operations, defaults)


def for_operations(ops: Operations | None, defaults: dict[str, Any] | None = None) -> Facts:
    """The facts of one spec's `operations` (None: nothing declared), else the defaults."""
    merged = {**DEFAULTS, **(defaults or {})}
    if ops is None:
        ops = _NOTHING_DECLARED
    declared = {
        name
        for name, value in (
            ("scrape-interval", ops.scrape_interval),
            ("evaluation-interval", ops.evaluation_interval),
            ("time-to-detect", ops.time_to_detect),
            ("time-to-mitigate", ops.time_to_mitigate),
            ("expected-incidents", ops.expected_incidents),
        )
        if value is not None
    }
    return Facts(
        scrape_interval=ops.scrape_interval or Duration.parse(merged["scrape-interval"]),
        evaluation_interval=ops.evaluation_interval or Duration.parse(merged["evaluation-interval"]),
        time_to_detect=ops.time_to_detect or Duration.parse(merged["time-to-detect"]),
        time_to_mitigate=ops.time_to_mitigate or Duration.parse(merged["time-to-mitigate"]),
        expected_incidents=ops.expected_incidents
        if ops.expected_incidents is not None
        else Decimal(str(merged["expected-incidents"])),
        automated_mitigation=bool(ops.automated_mitigation),
        request_timeout=ops.request_timeout,
        declared=frozenset(declared),
    )
