"""Durations and percentages: parsing the spec's text forms into exact Decimals, and printing them."""

from __future__ import annotations

import functools
import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation, localcontext
from fractions import Fraction

from slospec.errors import SlospecError
from slospec.records import record

# Prometheus-style durations, largest unit first: 30d, 1h30m, 300ms, 1.5s. No month unit:
# months are calendar periods, not durations (OpenSLO's `M` vs `m` slip, domain.md B.12).
UNIT_SECONDS: dict[str, Decimal] = {
    "w": Decimal(604800),
    "d": Decimal(86400),
    "h": Decimal(3600),
    "m": Decimal(60),
    "s": Decimal(1),
    "ms": Decimal("0.001"),
}
DURATION_RE = re.compile(r"^(?:(?P<num>\d+(?:\.\d+)?)(?P<unit>ms|[wdhms]))+$")
_PART_RE = re.compile(r"(\d+(?:\.\d+)?)(ms|[wdhms])")
PERCENT_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")

_WORDS = (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))


class QuantityError(SlospecError, ValueError):
    """A duration or percentage that cannot be read; the message says what to write instead."""


@record(order=True)
class Duration:
    """A length of time in exact seconds."""

    seconds: Decimal

    def __init__(
        self,
        seconds: Decimal,
    ) -> None:
        self.__dict__.update(
            seconds=seconds,
        )

    @classmethod
    def parse(cls, text: str) -> Duration:
        return _parse_duration(str(text).strip())

    @classmethod
    def _parse(cls, text: str) -> Duration:
        if not DURATION_RE.match(text):
            raise QuantityError(
                f"{text!r} is not a duration; write a number and a unit such as 30d, 1h30m, "
                "5m, 15s or 300ms (units: w d h m s ms)"
            )
        return cls(sum((Decimal(n) * UNIT_SECONDS[u] for n, u in _PART_RE.findall(text)), Decimal(0)))

    @classmethod
    def of(cls, seconds: Decimal | int | str) -> Duration:
        return cls(Decimal(seconds))

    def __str__(self) -> str:
        return format_compact(self.seconds)

    def __truediv__(self, other: Duration) -> Decimal:
        return self.seconds / other.seconds

    def __mul__(self, factor: Decimal | int) -> Duration:
        return Duration(self.seconds * Decimal(factor))

    __rmul__ = __mul__

    def __add__(self, other: Duration) -> Duration:
        return Duration(self.seconds + other.seconds)

    @property
    def words(self) -> str:
        return format_words(self.seconds)


@functools.lru_cache(maxsize=4096)
def _parse_duration(text: str) -> Duration:
    """Specs repeat the same few durations thousands of times; Durations are immutable."""
    return Duration._parse(text)


def parse_percent(value: object) -> Decimal:
    """Read a target: "99.95%", or a bare number meaning percent (99.95)."""
    if isinstance(value, bool):
        raise QuantityError(f"{value!r} is not a percentage; write it like 99.9%")
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    match = PERCENT_RE.match(str(value))
    if not match:
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise QuantityError(f"{value!r} is not a percentage; write it like 99.9% or 99.95%") from None
    else:
        number = Decimal(match.group(1))
    from slospec.specmodel.numbers import out_of_range, shown

    why = out_of_range(number)
    if why is not None:  # before any arithmetic: 1e-999999 printed is a million zeros
        raise QuantityError(f"{shown(str(value))} {why}; write a percentage such as 99.9%")
    return number


def format_decimal(value: Decimal) -> str:
    """Plain positional notation without trailing zeros: 0.001, 14.4, 100 (never 1E+2).

    No normalize(): it rounds to the context's 28 digits, and every digit must survive.
    """
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_percent(value: Decimal) -> str:
    """Every digit of a percentage, for values people wrote (99.95%); see readable_percent."""
    return f"{format_decimal(value)}%"


def _terminating(value: Fraction) -> Decimal | None:
    """The exact Decimal of a fraction whose denominator has no prime but 2 and 5, else None."""
    den = value.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        return None
    places = max(twos, fives)
    scaled = value * 10**places  # an integer now
    return Decimal(int(scaled)).scaleb(-places)


def format_exact(value: Fraction | Decimal | int) -> str:
    """A number for machines (PromQL, JSON): every digit when it terminates (1/100 -> 0.01),
    otherwise the shortest text that reads back as the nearest float64 (1/240 ->
    0.004166666666666667), which is all the precision Prometheus keeps."""
    exact = Fraction(value)
    decimal = _terminating(exact)
    if decimal is not None:
        return format_decimal(decimal)
    return repr(float(exact))


def _magnitude(value: Fraction) -> int:
    """floor(log10(value)) for a positive fraction."""
    with localcontext() as ctx:
        ctx.prec = 40
        return (Decimal(value.numerator) / Decimal(value.denominator)).adjusted()


def _rounded(value: Fraction, places: int) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 60
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)


def readable_percent(value: Fraction | Decimal | int, *neighbours: Fraction | Decimal | int) -> str:
    """A percentage people can read: 99.931% for 1 minute per day (1439/1440), never 28 digits.

    What the spec wrote comes back as written (99.95%, 99.9995%). Other values keep two
    significant digits of the error budget (100 - value) and of the value itself, and more
    while they would print like one of `neighbours` (an effective 99.90046...% next to a
    declared 99.9% prints 99.9005%, not 99.9%), or like 0% or 100% when they are neither.
    The one helper for messages, annotations and contracts; machines get format_exact.
    """
    exact = Fraction(value)
    decimal = _terminating(exact)
    if decimal is not None and isinstance(exponent := decimal.as_tuple().exponent, int) and -exponent <= 6:
        return format_percent(decimal)
    budget = 100 - exact
    places = 0
    for part in (budget, exact):
        if part > 0:
            places = max(places, 1 - _magnitude(part))
    others = [Fraction(n) for n in neighbours if Fraction(n) != exact]
    while places < 28:
        shown = _rounded(exact, places)
        clash = any(_rounded(n, places) == shown for n in others)
        edge = (shown == 100 and exact != 100) or (shown == 0 and exact != 0)
        if not clash and not edge:
            break
        places += 1
    return format_percent(_rounded(exact, places))


def format_ratio(value: float | Fraction | Decimal, *neighbours: float | Fraction | Decimal) -> str:
    """A measured share (0.98868...) as people read it: readable_percent of value x 100, with
    the digits that tell it from its neighbours (the target it is compared with)."""
    return readable_percent(Fraction(value) * 100, *(Fraction(n) * 100 for n in neighbours))


def _round_ms(seconds: Decimal) -> Decimal:
    return seconds.quantize(Decimal("0.001"))


def format_compact(seconds: Decimal) -> str:
    """30d, 1h30m, 21m36s, 8.64s, 300ms: Prometheus-style, exact to the millisecond."""
    if type(seconds) is Decimal:
        # Every message prints the same few durations thousands of times; equal Decimals
        # print alike (the text depends on the value rounded to the millisecond only).
        return _compact_decimal(seconds)
    return _format_compact(seconds)


def _format_compact(seconds: Decimal) -> str:
    seconds = _round_ms(Decimal(seconds))
    if seconds == 0:
        return "0s"
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    if seconds < 1:
        return f"{sign}{format_decimal(seconds * 1000)}ms"
    out = []
    whole = int(seconds)
    frac = seconds - whole
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        count, whole = divmod(whole, size)
        if count:
            out.append(f"{count}{unit}")
    rest = whole + frac
    if rest:
        out.append(f"{format_decimal(rest)}s")
    return sign + "".join(out)


@functools.lru_cache(maxsize=4096)
def _compact_decimal(seconds: Decimal) -> str:
    return _format_compact(seconds)


def format_prometheus(seconds: Decimal) -> str:
    """A duration Prometheus accepts in a range selector: whole units, ms for fractions."""
    seconds = _round_ms(Decimal(seconds))
    if seconds != int(seconds):
        return f"{int(seconds * 1000)}ms"
    return format_compact(seconds)


def format_words(seconds: Decimal) -> str:
    """21 minutes 36 seconds; 8.64 seconds; 3 days. Rounded to the millisecond."""
    seconds = _round_ms(Decimal(seconds))
    if seconds == 0:
        return "0 seconds"
    if seconds < 1:
        ms = format_decimal(seconds * 1000)
        return f"{ms} millisecond" + ("" if ms == "1" else "s")
    parts = []
    whole = int(seconds)
    frac = seconds - whole
    for name, size in _WORDS[:-1]:
        count, whole = divmod(whole, size)
        if count:
            parts.append(f"{count} {name}" + ("" if count == 1 else "s"))
    rest = whole + frac
    if rest:
        text = format_decimal(rest)
        parts.append(f"{text} second" + ("" if text == "1" else "s"))
    return " ".join(parts)
