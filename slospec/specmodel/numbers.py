"""How large a number slospec reads: checked where text becomes a number (the YAML and DSL
front ends, percentages, the CLI), before any exact arithmetic.

Exact Decimal arithmetic costs time and memory in the exponent: `1e999999` is one digit,
but turning it into an integer, quantizing it or printing it makes a million, and
`1e-999999` printed positionally is a million zeros (lint, convert and compile ran for
minutes, Ctrl-C could not stop them inside the C library). No value of a spec comes near
these bounds; the tighter limits of what a spec means are SLO002's (slospec.specmodel.bounds).
"""

from __future__ import annotations

from decimal import Decimal

# |exponent| of the leading digit, and significant digits, of any number read. Generous on
# purpose: what lies between these and a spec's own limits (1e400, 1e-30) is read, and
# SLO002 says at its field why a spec cannot take it (slospec.specmodel.bounds).
MAX_EXPONENT = 1000
MAX_DIGITS = 1000


def out_of_range(number: Decimal) -> str | None:
    """Why `number` is too large, too small or too long to read, or None."""
    if not number.is_finite() or not number:
        return None
    if number.adjusted() > MAX_EXPONENT:
        return f"is larger than 1e{MAX_EXPONENT}"
    if number.adjusted() < -MAX_EXPONENT:
        return f"is closer to zero than 1e-{MAX_EXPONENT}"
    if len(number.as_tuple().digits) > MAX_DIGITS:
        return f"has more than {MAX_DIGITS} digits"
    return None


def shown(text: str) -> str:
    """At most 40 characters of a number's text, for a message."""
    text = text.strip()
    return text if len(text) <= 40 else text[:37] + "..."


__all__ = ["MAX_DIGITS", "MAX_EXPONENT", "out_of_range", "shown"]
