"""Values the schema's patterns accept but arithmetic cannot take: zero or astronomically long
durations, unknown time zones. Checked before the model is built; each is an SLO002 at its line."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from slospec.diagnostics import Pointer, pointer_text
from slospec.specmodel.quantities import Duration, QuantityError

# Ten years: longer than any compliance window people write (a year is the longest in
# practice), short enough that generated rules and promtool tests stay small and quick
# (a 99999999w window made prometheus-tests run for minutes and gigabytes).
MAX_SECONDS = Decimal(3650 * 86400)
MAX_TEXT = "3650d"
# Below a millisecond every printed duration rounds to 0s (and 0s divides by zero).
MIN_SECONDS = Decimal("0.001")
# Significant digits of a number or percentage: exact arithmetic runs at 28 digits, and a
# target like 99.999999999999999999999999999999% leaves no room for the budget's digits.
MAX_DIGITS = 20
# No number of a spec is larger (expected events are at most this many; a burn rate of 1e30
# ran exact arithmetic out of its 28 digits).
MAX_MAGNITUDE = Decimal(10**15)
_PERCENT_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")
# IANA names: Area/Location[/Sub], letters, digits, _ + -. Nothing path-like ("..", "/etc").
_ZONE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_+-]{0,30}(?:/[A-Za-z0-9][A-Za-z0-9_+-]{0,30}){0,2}$")


class BoundsError(QuantityError):
    """A value out of bounds, with the pointer of the value (the finding goes at its line)."""

    def __init__(self, pointer: Pointer, message: str) -> None:
        super().__init__(message)
        self.pointer = pointer


def check(data: Any) -> None:
    """Raise BoundsError for the first out-of-bounds value of a schema-valid spec."""
    for pointer, message in problems(data):
        raise BoundsError(pointer, message)


def problems(data: Any) -> Iterator[tuple[Pointer, str]]:
    if not isinstance(data, dict):
        return
    yield from _numbers(data, ())
    ops = data.get("operations")
    if isinstance(ops, dict):
        yield from _traffic(ops.get("expectedEvents"), ("operations", "expectedEvents"))
        # An interval of 0s samples nothing (and divides by zero downstream).
        for key in ("scrapeInterval", "evaluationInterval"):
            yield from _duration(ops.get(key), ("operations", key), positive=True)
        for key in ("timeToDetect", "timeToMitigate", "requestTimeout"):
            yield from _duration(ops.get(key), ("operations", key), positive=False)
    for i, sli in enumerate(_items(data, "slis")):
        at = ("slis", i)
        yield from _traffic(sli.get("expectedEvents"), at + ("expectedEvents",))
        body = sli.get("latency")
        if isinstance(body, dict):
            yield from _duration(body.get("threshold"), at + ("latency", "threshold"), positive=True)
            for j, bucket in enumerate(body.get("buckets") or ()):
                yield from _duration(bucket, at + ("latency", "buckets", j), positive=False)
        body = sli.get("uptime")
        if isinstance(body, dict):
            yield from _duration(body.get("interval"), at + ("uptime", "interval"), positive=True)
    for kind in ("slos", "slas"):
        for i, item in enumerate(_items(data, kind)):
            at = (kind, i)
            yield from _window(item.get("window"), at + ("window",))
            yield from _duration(item.get("allowedDowntime"), at + ("allowedDowntime",), positive=False)
            budgeting = item.get("budgeting")
            if isinstance(budgeting, dict):
                yield from _duration(budgeting.get("slice"), at + ("budgeting", "slice"), positive=True)
            alerting = item.get("alerting")
            if isinstance(alerting, dict):
                for j, tier in enumerate(alerting.get("tiers") or ()):
                    if not isinstance(tier, dict):
                        continue
                    where = at + ("alerting", "tiers", j)
                    yield from _duration(tier.get("longWindow"), where + ("longWindow",), positive=True)
                    yield from _duration(tier.get("shortWindow"), where + ("shortWindow",), positive=True)
                    yield from _duration(tier.get("for"), where + ("for",), positive=False)
            for j, exclusion in enumerate(item.get("exclusions") or ()):
                if isinstance(exclusion, dict):
                    for key in ("maxPerWindow", "notice"):
                        yield from _duration(exclusion.get(key), at + ("exclusions", j, key), positive=False)
            for j, support in enumerate(item.get("support") or ()):
                if isinstance(support, dict):
                    yield from _duration(support.get("response"), at + ("support", j, "response"), positive=False)


_ROOT = object()  # the key of the value _numbers starts from (its pointer is the root's)


def _numbers(data: Any, root: Pointer) -> Iterator[tuple[Pointer, str]]:
    """NaN and infinities pass the schema's minimum/maximum (every comparison with NaN is
    false); numbers past 10^15 or 20 significant digits overflow the exact arithmetic."""
    # A loop, not recursive generators: this runs on every linted document. Each entry holds
    # its parent's pointer and its key: a value's own pointer is built only when needed.
    stack: list[tuple[Any, Pointer, Any]] = [(data, root, _ROOT)]
    while stack:
        value, parent, key = stack.pop()
        if isinstance(value, str):
            if not (value.endswith("%") and len(value) > MAX_DIGITS):
                continue
            pointer = parent if key is _ROOT else parent + (key,)
            match = _PERCENT_RE.match(value)
            if match and Decimal(match.group(1)) and Decimal(match.group(1)).adjusted() < -MAX_DIGITS:
                yield (
                    pointer,
                    f"{pointer_text(pointer)}: '{_shown(value)}' is closer to zero than 1e-{MAX_DIGITS}%; "
                    "write a share such as 99.9%",
                )
            elif match and len(match.group(1).replace(".", "").lstrip("0")) > MAX_DIGITS:
                yield (
                    pointer,
                    f"{pointer_text(pointer)}: '{_shown(value)}' has more than {MAX_DIGITS} "
                    "significant digits; round it (99.95%, 99.999%)",
                )
        elif isinstance(value, dict):
            pointer = parent if key is _ROOT else parent + (key,)
            stack.extend((item, pointer, k) for k, item in value.items())
        elif isinstance(value, list):
            pointer = parent if key is _ROOT else parent + (key,)
            stack.extend((item, pointer, index) for index, item in enumerate(value))
        elif isinstance(value, (float, Decimal, int)) and not isinstance(value, bool):
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
            tiny = number.is_finite() and number and number.adjusted() < -MAX_DIGITS
            if (
                number.is_finite()
                and not tiny
                and abs(number) <= MAX_MAGNITUDE
                and len(number.as_tuple().digits) <= MAX_DIGITS
            ):
                continue
            pointer = parent if key is _ROOT else parent + (key,)
            if tiny:
                yield (
                    pointer,
                    f"{pointer_text(pointer)}: {_shown(value)} is closer to zero than 1e-{MAX_DIGITS}; "
                    "write 0 or a number such as 0.001",
                )
            elif not number.is_finite():
                yield pointer, f"{pointer_text(pointer)}: {value} is not a finite number; write a number such as 99.9"
            elif abs(number) > MAX_MAGNITUDE:
                yield (
                    pointer,
                    f"{pointer_text(pointer)}: {_shown(value)} is more than 10^15; write a smaller number "
                    "(a burn rate such as 14.4)",
                )
            else:
                yield (
                    pointer,
                    f"{pointer_text(pointer)}: {_shown(value)} has more than {MAX_DIGITS} significant "
                    "digits; round it (99.95, 99.999)",
                )


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _items(data: dict[str, Any], key: str) -> Iterator[dict[str, Any]]:
    for item in data.get(key) or ():
        yield item if isinstance(item, dict) else {}


def _duration(value: Any, pointer: Pointer, positive: bool) -> Iterator[tuple[Pointer, str]]:
    if not isinstance(value, str):
        return
    try:
        seconds = Duration.parse(value).seconds
    except QuantityError:
        return  # the schema reports malformed text
    if positive and seconds < MIN_SECONDS:
        what = "zero" if seconds == 0 else "shorter than a millisecond"
        yield (
            pointer,
            f"{pointer_text(pointer)}: '{value}' is {what}; write a positive duration of at least 1ms, such as 28d or 5m",
        )
    elif seconds > MAX_SECONDS:
        yield (
            pointer,
            f"{pointer_text(pointer)}: '{value}' is longer than ten years ({MAX_TEXT}); write a shorter duration, "
            "such as 28d or 365d",
        )


def _traffic(value: Any, pointer: Pointer) -> Iterator[tuple[Pointer, str]]:
    if isinstance(value, dict):
        yield from _duration(value.get("per"), pointer + ("per",), positive=True)


def _window(value: Any, pointer: Pointer) -> Iterator[tuple[Pointer, str]]:
    if isinstance(value, str):
        yield from _duration(value, pointer, positive=True)
    elif isinstance(value, dict) and isinstance(value.get("timeZone"), str):
        zone = value["timeZone"]
        if not known_zone(zone):
            shown = zone if len(zone) <= 60 else zone[:57] + "..."
            yield (
                pointer + ("timeZone",),
                (
                    f"{pointer_text(pointer + ('timeZone',))}: '{shown}' is not an IANA time zone; "
                    "write a name from the tz database such as UTC, Europe/Berlin or America/New_York"
                ),
            )


@functools.lru_cache(maxsize=256)
def known_zone(name: str) -> bool:
    """An IANA zone the tz database here knows (path-like names are refused unread)."""
    if not _ZONE_RE.match(name) or any(part in (".", "..") for part in name.split("/")):
        return False
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

    try:
        ZoneInfo(name)
        return True
    except (ZoneInfoNotFoundError, ValueError, OSError):
        # Without any tz database (some Windows installs) nothing can be judged.
        return name in ("UTC", "Etc/UTC") or not available_timezones()
