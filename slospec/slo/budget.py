"""The `slospec budget` arithmetic: allowed downtime and bad events for a target and window."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal, localcontext

from slospec.errors import SlospecError
from slospec.specmodel.bounds import MAX_DIGITS
from slospec.specmodel.model import CALENDAR_LENGTH, HUNDRED
from slospec.specmodel.quantities import (
    Duration,
    QuantityError,
    format_compact,
    format_decimal,
    format_percent,
    format_words,
    parse_percent,
)

# Shortest and longest calendar periods, so "a month" can say 40m19s-44m38s honestly.
CALENDAR_RANGE = {
    "day": ("1d", "1d"),
    "week": ("7d", "7d"),
    "month": ("28d", "31d"),
    "quarter": ("90d", "92d"),
    "year": ("365d", "366d"),
}


class BudgetError(SlospecError, ValueError):
    pass


@dataclass(frozen=True)
class BudgetResult:
    target: Decimal
    window: str
    length: Duration
    calendar: str | None
    budget_ratio: Decimal
    budget_time: Duration
    events: int | None
    allowed_bad: Decimal | None

    @property
    def calendar_range(self) -> tuple[Duration, Duration] | None:
        if self.calendar is None:
            return None
        shortest, longest = CALENDAR_RANGE[self.calendar]
        return (Duration.parse(shortest) * self.budget_ratio, Duration.parse(longest) * self.budget_ratio)


def compute(target: str, window: str, events: int | None = None) -> BudgetResult:
    try:
        pct = parse_percent(target)
    except QuantityError as exc:
        raise BudgetError(str(exc)) from None
    if not pct.is_finite() or not 0 <= pct <= HUNDRED:
        raise BudgetError(f"target {target!r} must be between 0% and 100%")
    if pct and pct.adjusted() < -MAX_DIGITS:  # as in a spec: 100% minus it would print as 100%
        raise BudgetError(
            f"target {target!r} is closer to zero than 1e-{MAX_DIGITS}%; its budget would print as 100%: "
            "write a share such as 99.9%"
        )
    if 0 < pct < 1 and not target.strip().endswith("%"):
        from slospec.specmodel.quantities import format_decimal

        # As lint's SLO103: a bare 0.999 is a ratio (OpenSLO's way), not 0.999 %.
        raise BudgetError(
            f"target {target!r} looks like a ratio; write it as a percentage: {format_decimal(pct * HUNDRED)}% "
            f"(or {target.strip()}% if you mean that)"
        )
    mantissa = target.strip().rstrip("%").lower().split("e")[0]
    if len(mantissa.replace(".", "").lstrip("+-0")) > MAX_DIGITS:  # as in a spec: exact arithmetic needs room
        raise BudgetError(
            f"target {target!r} has more than {MAX_DIGITS} significant digits; round it (99.95%, 99.999%)"
        )
    calendar = window.strip().lower()
    if calendar in CALENDAR_LENGTH:
        length = CALENDAR_LENGTH[calendar]
        cal: str | None = calendar
    else:
        try:
            length = Duration.parse(window)
        except QuantityError as exc:
            raise BudgetError(f"{exc}, or a calendar period: day, week, month, quarter, year") from None
        cal = None
        from slospec.specmodel.bounds import MAX_SECONDS, MAX_TEXT, MIN_SECONDS

        # The bounds a spec's window has: below 1ms every budget prints as 0s, and beyond ten
        # years the arithmetic runs out of digits.
        if length.seconds <= 0:
            raise BudgetError("the window must be longer than zero")
        if length.seconds < MIN_SECONDS:
            raise BudgetError(f"the window {window!r} is shorter than a millisecond; write at least 1ms, such as 28d")
        if length.seconds > MAX_SECONDS:
            raise BudgetError(
                f"the window {window!r} is longer than ten years ({MAX_TEXT}); write a shorter one, such as 28d or 365d"
            )
    ratio = (HUNDRED - pct) / HUNDRED
    allowed = None
    if events is not None:
        with localcontext() as exact:  # every digit of a large count (28 rounded 10^35-1 up to 10^35)
            exact.prec = max(exact.prec, len(str(events)) + 2 * MAX_DIGITS)
            allowed = Decimal(events) * ratio
    return BudgetResult(pct, window, length, cal, ratio, length * ratio, events, allowed)


def render_text(r: BudgetResult) -> str:
    period = f"a calendar {r.calendar}" if r.calendar else str(r.length)
    lines = [
        f"Target:        {format_percent(r.target)} over {period}",
        f"Error budget:  {format_percent(r.budget_ratio * 100)} of events or time",
    ]
    if r.calendar and r.calendar_range and r.calendar_range[0] != r.calendar_range[1]:
        low, high = r.calendar_range
        lines.append(
            f"Downtime:      {low} to {high} per {r.calendar} "
            f"({format_words(low.seconds)} to {format_words(high.seconds)})"
        )
    else:
        lines.append(f"Downtime:      {r.budget_time} per {period} ({format_words(r.budget_time.seconds)})")
    if r.budget_ratio > 0:
        one_in = 1 / r.budget_ratio
        lines.append(f"Bad events:    1 in {format_decimal(one_in.quantize(Decimal('0.01')))}")
    else:
        lines.append("Bad events:    none allowed (a 100% target has no error budget)")
    if r.allowed_bad is not None:
        whole = r.allowed_bad.to_integral_value(rounding=ROUND_FLOOR)
        line = f"Of {r.events} events: {format_decimal(r.allowed_bad)} may be bad"
        if whole != r.allowed_bad:  # a fraction of an event: say what that means in events
            line += f" ({format_decimal(whole)} whole event{'' if whole == 1 else 's'})"
        lines.append(line)
    return "\n".join(lines) + "\n"


def render_json(r: BudgetResult) -> str:
    data: dict[str, str | int] = {
        "target_percent": format_decimal(r.target),
        "window": r.window,
        "window_seconds": format_decimal(r.length.seconds),
        "budget_ratio": format_decimal(r.budget_ratio),
        "budget_seconds": format_decimal(r.budget_time.seconds),
        "budget": format_compact(r.budget_time.seconds),
    }
    if r.events is not None and r.allowed_bad is not None:
        data["events"] = r.events
        data["allowed_bad_events"] = format_decimal(r.allowed_bad)
    return json.dumps(data, indent=2) + "\n"
