"""Verdict rules: the one place where thresholds live.

Given a claimed interval C = [c_lo, c_hi] and a derived interval D = [d_lo, d_hi]
(same unit):

consistent
    C and D overlap.
tension
    they do not overlap, and the gap factor g <= ``tension_factor`` (1.25), where
    g = c_lo / d_hi when the claim lies above, d_lo / c_hi when below.
unit slip
    g > ``tension_factor`` but C divided (or multiplied) by a slip factor F that
    fits the quantity's unit overlaps D widened by ``tension_factor``: the claim
    fits if read in another unit. F comes from :data:`SLIP_FACTORS` (1000 between
    SI prefixes, 100 between dollars and cents or a fraction and a percent, 8 bits
    per byte, 1024/1000, 3 between a forward pass and training, 24 and 3600 for
    time). The smallest |log(g/F)| wins.
contradiction
    further apart than all of that.
info
    a derived number with nothing claimed to compare it with.
undetermined
    the derivation is not finite (a zero where a divisor goes): no verdict, with the reason.

A contradiction or unit slip that rests on an assumption is capped at tension when a value inside the
assumption's documented plausible range makes the claims agree: the claims then disagree only under the
default, and the result names the value under which they agree (``CheckResult.reason``).
"""

from __future__ import annotations

import math

import numpy as np
from dataclasses import dataclass, field

from ..outcomes import VERDICTS  # noqa: F401  (the one list, still importable from here)

__all__ = ["VerdictSettings", "SETTINGS", "SLIP_FACTORS", "Verdict", "judge", "UnitSlip", "gap_factor"]

Verdict = str  # "consistent" | "tension" | "contradiction" | "unit_slip" | "info" | "undetermined"

# (factor, reading when the claim is F times too large, reading when F times too small), by base unit.
SLIP_FACTORS: dict[str, tuple[tuple[float, str, str], ...]] = {
    "FLOP": ((1000.0, "read as the next SI prefix down (for example TFLOP -> GFLOP)",
              "read as the next SI prefix up (for example GFLOP -> TFLOP)"),
             (3.0, "read as training (forward + backward) FLOPs, not forward", "read as forward-only FLOPs")),
    "parameter": ((1000.0, "read with the next SI prefix down (T -> B)", "read with the next SI prefix up (B -> T)"),),
    "token": ((1000.0, "read with the next SI prefix down (T -> B)", "read with the next SI prefix up (B -> T)"),),
    "USD": ((100.0, "read as cents, not dollars", "read as dollars, not cents"),
            (1000.0, "read with the next prefix down (million -> thousand)", "read with the next prefix up")),
    "USD/token": ((100.0, "read as cents, not dollars", "read as dollars, not cents"),
                  (1000.0, "read per token, not per 1k tokens", "read per 1k tokens, not per token")),
    "byte": ((8.0, "read as bits, not bytes", "read as bytes, not bits"),
             (1024.0 ** 3 / 1e9, "read as GiB, not GB", "read as GB, not GiB")),
    "day": ((24.0, "read as hours, not days", "read as days, not hours"),),
    "second": ((3600.0, "read as seconds, not hours", "read as hours, not seconds"),),
    "dimensionless": ((100.0, "read as a percent, not a fraction", "read as a fraction, not a percent"),),
}


@dataclass(frozen=True)
class VerdictSettings:
    """Thresholds of the verdict rules (see the module docstring)."""

    tension_factor: float = 1.25
    #: a verdict is not robust when a claimed input moving by less than this (or its own uncertainty) flips it
    robust_margin: float = 0.05
    slip_factors: dict = field(default_factory=lambda: dict(SLIP_FACTORS))


SETTINGS = VerdictSettings()


@dataclass(frozen=True)
class UnitSlip:
    factor: float
    direction: str  # "claim_too_large" | "claim_too_small"
    reading: str
    corrected_low: float
    corrected_high: float


def gap_factor(c_lo: float, c_hi: float, d_lo: float, d_hi: float) -> float:
    """1 when the intervals overlap, else how many times apart their nearest edges are."""
    if c_hi >= d_lo and d_hi >= c_lo:
        return 1.0
    if c_lo > d_hi:
        return math.inf if d_hi <= 0 else c_lo / d_hi
    return math.inf if c_hi <= 0 else d_lo / c_hi


def _slip_fits(c_lo, c_hi, lo, hi, band_lo, band_hi):
    """The corrected claim [lo, hi] meets the derivation's tension band. A bound ("more than X", "at most X")
    moved by any large enough factor meets everything, so its finite end must land inside the band: "more than
    1.8T" for 1.8B derived is a slip of 1000; "more than $100M" for $63M derived is no slip of 100."""
    if c_lo > 0 and math.isfinite(c_hi):
        return gap_factor(lo, hi, band_lo, band_hi) == 1.0
    end = lo if math.isfinite(c_hi) is False else hi
    return band_lo <= end <= band_hi


def judge(c_lo: float, c_hi: float, d_lo: float, d_hi: float, unit: str,
          settings: VerdictSettings = SETTINGS, slip_units: tuple[str, ...] | None = None
          ) -> tuple[Verdict, float, UnitSlip | None]:
    """Verdict, gap factor and (for a unit slip) the corrected reading."""
    g = gap_factor(c_lo, c_hi, d_lo, d_hi)
    if g == 1.0:
        return "consistent", g, None
    if g <= settings.tension_factor:
        return "tension", g, None
    t = settings.tension_factor
    best = None
    for key in (slip_units if slip_units is not None else (unit,)):
        for factor, too_large, too_small in settings.slip_factors.get(key, ()):
            above = c_lo > d_hi
            lo, hi = (c_lo / factor, c_hi / factor) if above else (c_lo * factor, c_hi * factor)
            if _slip_fits(c_lo, c_hi, lo, hi, d_lo / t, d_hi * t):
                dist = abs(math.log(g / factor)) if math.isfinite(g) else math.inf
                if best is None or dist < best[0]:
                    best = (dist, UnitSlip(factor, "claim_too_large" if above else "claim_too_small",
                                           too_large if above else too_small, lo, hi))
    if best is not None:
        return "unit_slip", g, best[1]
    return "contradiction", g, None


def judge_many(c_lo: float, c_hi: float, d_lo: np.ndarray, d_hi: np.ndarray, unit: str,
               settings: VerdictSettings = SETTINGS, slip_units: tuple[str, ...] | None = None) -> np.ndarray:
    """:func:`judge` for many derived intervals at once: an array of verdict strings (no slip details)."""
    d_lo = np.asarray(d_lo, dtype=float)
    d_hi = np.asarray(d_hi, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        above = c_lo > d_hi
        below = c_hi < d_lo
        g = np.where(above, np.where(d_hi > 0, c_lo / d_hi, np.inf),
                     np.where(below, np.where(c_hi > 0, d_lo / c_hi, np.inf), 1.0))
        out = np.where(g == 1.0, "consistent", np.where(g <= settings.tension_factor, "tension", "contradiction"))
        t = settings.tension_factor
        slip = np.zeros(d_lo.shape, dtype=bool)
        two_sided = c_lo > 0 and math.isfinite(c_hi)
        end = c_lo if not math.isfinite(c_hi) else c_hi  # a bound's finite end (see _slip_fits)
        for key in (slip_units if slip_units is not None else (unit,)):
            for factor, _a, _b in settings.slip_factors.get(key, ()):
                lo = np.where(above, c_lo / factor, c_lo * factor)
                hi = np.where(above, c_hi / factor, c_hi * factor)
                if two_sided:
                    slip |= (hi >= d_lo / t) & (d_hi * t >= lo)
                else:
                    e = np.where(above, end / factor, end * factor)
                    slip |= (e >= d_lo / t) & (e <= d_hi * t)
    return np.where((out == "contradiction") & slip, "unit_slip", out).astype(object)
