"""From a claim's wording to an interval and a sampler: one documented rule set.

=================  ===========================================  =====================
qualifier          interval                                     sampler
=================  ===========================================  =====================
exact              the point [v, v]                             constant v
approximately      v ± h, h = half a unit in the last written   uniform on [v-h, v+h]
                   digit ("~1.8T" -> ±0.05T; "25,000" -> ±500),
                   or the claim's own ``half_width``
between            [A, B] as written ("90 to 100 days")         uniform on [A, B]
more_than,         [X, +inf): a lower bound                     none (target only)
at_least
at_most,           [0, X]: an upper bound                       none (target only)
less_than
nominal            a size label (a model's name, a headline     uniform on the interval
                   "405B"): truncated or rounded to its last
                   written digit, so v ± one whole unit of it
                   ("405B" -> [404B, 406B]; "70B" -> [60B, 80B])
denied             the figure as written, which its subject     none: no check uses it
                   rejects ("factually incorrect")
=================  ===========================================  =====================

Whole numbers' trailing zeros are not significant ("60 million" -> ±5 million).
Intervals are in the base unit of the claim's quantity key, as floats. Sampling
takes an explicit ``numpy.random.Generator``; samples lie on the last axis.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Interval", "RULES", "interval_for", "sample_interval"]

RULES = {
    "exact": "exact: a point",
    "denied": "denied by its subject: the figure as written, not evidence (no check uses it)",
    "approximately": "approximately: ± half a unit in the last written digit, uniform",
    "approximately_stated": "approximately: ± the half-width the claim states, uniform",
    "between": "range as written: uniform on [low, high]",
    "more_than": "lower bound: [value, +inf)",
    "at_least": "lower bound: [value, +inf)",
    "at_most": "upper bound: [0, value]",
    "less_than": "upper bound: [0, value]",
    "nominal": "size label: truncated or rounded, ± one unit in the last written digit, uniform",
}


@dataclass(frozen=True)
class Interval:
    """A closed interval [low, high] in ``unit``; ``rule`` says how it was made."""

    low: float
    high: float
    unit: str
    rule: str

    @property
    def bounded(self) -> bool:
        return np.isfinite(self.low) and np.isfinite(self.high)

    @property
    def mid(self) -> float:
        return 0.5 * (self.low + self.high)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Draw ``n`` samples (uniform; a point gives a constant array)."""
        return sample_interval(self, rng, n)


def interval_for(qualifier: str, low: float, high: float, resolution: float,
                 half_width: float | None, unit: str) -> Interval:
    """Apply the rule table above; values in ``unit``."""
    if qualifier == "exact":
        return Interval(low, high, unit, RULES["exact"] if low == high else RULES["between"])
    if qualifier == "approximately":
        if low != high:
            return Interval(low, high, unit, RULES["between"])
        if half_width is not None:
            return Interval(low - half_width, low + half_width, unit, RULES["approximately_stated"])
        return Interval(low - resolution, low + resolution, unit, RULES["approximately"])
    if qualifier == "between":
        return Interval(low, high, unit, RULES["between"])
    if qualifier == "nominal":  # resolution is half a unit in the last digit: a label may be off by a whole one
        return Interval(max(low - 2 * resolution, 0.0), high + 2 * resolution, unit, RULES["nominal"])
    if qualifier == "denied":  # the figure as written, which its subject rejects: shown, never used
        return Interval(low, high, unit, RULES["denied"])
    if qualifier in ("more_than", "at_least"):
        return Interval(low, float("inf"), unit, RULES[qualifier])
    if qualifier in ("at_most", "less_than"):
        return Interval(0.0, high, unit, RULES[qualifier])
    raise ValueError(f"unknown qualifier {qualifier!r}")


def sample_interval(iv: Interval, rng: np.random.Generator, n: int) -> np.ndarray:
    if not iv.bounded:
        raise ValueError(f"cannot sample the unbounded interval [{iv.low}, {iv.high}] ({iv.rule})")
    if iv.low == iv.high:
        return np.full(n, iv.low)
    return rng.uniform(iv.low, iv.high, n)
