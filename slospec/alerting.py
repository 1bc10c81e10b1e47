"""The alert policy of an SLO: declared tiers or the SRE workbook's, scaled to the window.

One function decides the tiers, and both the SLO3xx lint rules and the Prometheus backend
call it, so what the linter judges is exactly what gets generated (domain.md A.5).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from slospec.diagnostics import Pointer
from slospec.model import SLO
from slospec.quantities import Duration

MINUTE = Decimal(60)
REFERENCE_WINDOW = Duration.parse("30d")

# SRE Workbook ch.5, Table 5-8 plus the 24h/2h ticket pair from the chapter's PromQL:
# (severity, long window, short window, burn rate) for a 30-day window.
WORKBOOK = (
    ("page", "1h", "5m", "14.4"),
    ("page", "6h", "30m", "6"),
    ("ticket", "1d", "2h", "3"),
    ("ticket", "3d", "6h", "1"),
)


@dataclass(frozen=True)
class AlertTier:
    """One multi-window burn-rate alert, fully resolved."""

    severity: str
    long_window: Duration
    short_window: Duration
    burn_rate: Decimal
    pointer: Pointer
    for_: Duration | None = None
    declared: bool = False

    def budget_fraction(self, window: Duration) -> Decimal:
        """Share of the window's budget consumed at the threshold: b* x w_L / W."""
        # Multiply before dividing so that exact inputs give exact results (3 x 1d / 30d = 0.1).
        return self.burn_rate * self.long_window.seconds / window.seconds

    def exhaustion(self, window: Duration) -> Duration:
        """Time to spend the whole budget at this burn rate: W / b*."""
        return Duration(window.seconds / self.burn_rate)


def round_minutes(seconds: Decimal) -> Duration:
    """Whole minutes (Prometheus-friendly), at least one."""
    minutes = (seconds / MINUTE).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return Duration(max(minutes, Decimal(1)) * MINUTE)


def default_short(long_window: Duration) -> Duration:
    """The workbook's guideline: the short window is 1/12 of the long one."""
    return round_minutes(long_window.seconds / 12)


def _plain(value: Decimal) -> Decimal:
    """Without trailing zeros, and never in exponent form (20, not 2E+1, in messages and rules)."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def tiers_for(slo: SLO) -> tuple[AlertTier, ...]:
    # Nine rules and two back ends ask for the same SLO's tiers: compute them once per SLO
    # (the model is frozen, so the answer cannot change; stored beside its fields).
    cached = slo.__dict__.get("_alert_tiers")
    if cached is None:
        cached = _tiers_for(slo)
        slo.__dict__["_alert_tiers"] = cached
    return cached


def _tiers_for(slo: SLO) -> tuple[AlertTier, ...]:
    alerting = slo.alerting
    window = slo.window.length
    if alerting.tiers:
        out = []
        for tier in alerting.tiers:
            if tier.burn_rate is not None:
                rate = tier.burn_rate
            else:
                # budget share f consumed in w_L  =>  b* = f x W / w_L
                rate = tier.budget_consumed * window.seconds / (100 * tier.long_window.seconds)
            out.append(
                AlertTier(
                    tier.severity,
                    tier.long_window,
                    tier.short_window or default_short(tier.long_window),
                    _plain(rate),
                    tier.pointer,
                    tier.for_,
                    declared=True,
                )
            )
        return tuple(out)
    if alerting.policy == "none":
        return ()
    # Invariant scaling: keep the burn rates, scale the windows by W / 30d.
    out = []
    for severity, long_text, short_text, rate in WORKBOOK:
        if window == REFERENCE_WINDOW:
            long_window, short_window = Duration.parse(long_text), Duration.parse(short_text)
        else:
            long_seconds = Duration.parse(long_text).seconds * window.seconds
            long_window = round_minutes(long_seconds / REFERENCE_WINDOW.seconds)
            short_window = default_short(long_window)
        out.append(
            AlertTier(severity, long_window, short_window, Decimal(rate), alerting.pointer)
        )
    return tuple(out)


def tier_pointer(slo: SLO, tier: AlertTier, field: str | None = None) -> Pointer:
    """Where a finding about a tier belongs: the declared tier's field, or, for the default
    (scaled) policy, the SLO's window, which is what the default tiers are derived from."""
    if tier.declared:
        return tier.pointer + ((field,) if field else ())
    return slo.pointer + ("window",)


def tier_label(slo: SLO, tier: AlertTier) -> str:
    origin = "tier" if tier.declared else "default workbook tier"
    return (f"SLO {slo.name!r} {tier.severity} {origin} {tier.long_window}/{tier.short_window} "
            f"at {tier.burn_rate}x")
