"""How firm is a verdict? The nearest move of each assumption and each input that flips it.

For one result, each assumption (a point) and each input claim (an interval) is
scaled, one at a time, by a factor s on a logarithmic grid from 1/100 to 100
(steps of 2 %), the derived bounds are recomputed at every grid point at once
(the formula is vectorised over the input corners and the grid), and the first
grid point on each side of s = 1 where the verdict differs is refined by
bisection (a bracketed root search on the monotone formula). The result says
"flips to consistent if price.a100_hour >= 1.02 USD/GPU/h (x1.02)".

A verdict is *robust* when no value of any assumption inside its documented
plausible range (``plausible`` in claims/assumptions.yaml, with its source) gives
another verdict.
"""

from __future__ import annotations


import itertools
import math
from dataclasses import dataclass

import numpy as np

from ..units import format_value, unit_of
from .verdicts import SETTINGS, VerdictSettings, judge_many

__all__ = ["Flip", "robustness"]

_GRID = np.exp(np.arange(1, 234) * math.log(1.02))  # 1.02 .. 100 (x1.02 steps), refined below


@dataclass(frozen=True)
class Flip:
    kind: str          # "assumption" | "input"
    id: str            # assumption id or claim id
    name: str          # the formula's argument name
    factor: float      # the scale that flips the verdict
    new_verdict: str
    value_text: str    # the moved value, with its unit

    @property
    def text(self) -> str:
        rel = "at least" if self.factor > 1 else "at most"
        return f"{self.id} is {rel} {self.value_text} (x{self.factor:.3g})"

    def as_dict(self) -> dict:
        return {"kind": self.kind, "id": self.id, "argument": self.name, "factor": float(f"{self.factor:.6g}"),
                "new_verdict": self.new_verdict, "value": self.value_text}


def _show(x: float, unit: str) -> str:
    return format_value(float(x), unit, None, digits=3)


def _bounds_grid(check, lows, highs, asm, scale_kw, scales):
    """Derived (low, high) for each scale of one argument; lows/highs/asm are dicts of floats."""
    names = list(lows)
    corners = np.array(list(itertools.product(*[(lows[k],) if lows[k] == highs[k] else (lows[k], highs[k])
                                                for k in names])), dtype=float)
    corners = corners.reshape(-1, len(names))
    n_c, n_s = corners.shape[0], scales.size
    kwargs = {}
    for i, k in enumerate(names):
        col = np.repeat(corners[:, i][None, :], n_s, axis=0)
        kwargs[k] = col * scales[:, None] if k == scale_kw else col
    for k, v in asm.items():
        kwargs[k] = np.full((n_s, n_c), v * (scales[:, None] if k == scale_kw else 1.0))
    with np.errstate(all="ignore"):
        out = check.formula(**kwargs)
    derived = np.broadcast_to(np.asarray(out[0] if isinstance(out, tuple) else out, dtype=float), (n_s, n_c))
    return np.nanmin(derived, axis=1), np.nanmax(derived, axis=1)


def _verdicts(lo, hi, c_lo, c_hi, unit, settings, slip_units):
    return judge_many(c_lo, c_hi, lo, hi, unit, settings, slip_units)


def _first_change(check, lows, highs, asm, kw, scales, current, c_lo, c_hi, settings):
    d_lo, d_hi = _bounds_grid(check, lows, highs, asm, kw, scales)
    finite = np.isfinite(d_lo) & np.isfinite(d_hi)
    verdicts = _verdicts(d_lo, d_hi, c_lo, c_hi, check.unit, settings, check.slip_units)
    changed = np.nonzero((verdicts != current) | ~finite)[0]
    if changed.size == 0 or not finite[changed[0]]:
        return None
    i = int(changed[0])
    # bracketed: the verdict is `current` at scales[i-1] (or 1) and differs at scales[i]; refine on a
    # fine log grid inside the bracket (one vectorised call, resolution ~0.005 %)
    a = 1.0 if i == 0 else float(scales[i - 1])
    b = float(scales[i])
    fine = np.exp(np.linspace(math.log(a), math.log(b), 201)[1:])
    f_lo, f_hi = _bounds_grid(check, lows, highs, asm, kw, fine)
    fv = _verdicts(f_lo, f_hi, c_lo, c_hi, check.unit, settings, check.slip_units)
    j = int(np.nonzero(fv != current)[0][0]) if np.any(fv != current) else fine.size - 1
    b, v = float(fine[j]), fv[j] if np.any(fv != current) else verdicts[i]
    return b, str(v)


def robustness(result, check, assumption_table: dict, plausible: dict | None = None,
               settings: VerdictSettings = SETTINGS, max_flips: int = 6) -> tuple[tuple[Flip, ...], bool | None]:
    """(flips nearest first, robust flag) for one evaluated result; (), None for "info" results.

    ``plausible`` maps assumption id -> (low, high) Quantities (Assumption.plausible_range).
    """
    if result.verdict == "info" or result.claimed_low is None:
        return (), None
    lows = {}
    highs = {}
    kw_claims = dict(zip(check.inputs, result.input_claims))
    for kw, c in kw_claims.items():
        lows[kw], highs[kw] = c.interval.low, c.interval.high
    asm: dict[str, float] = {}
    asm_meta: dict[str, tuple[str, str, object]] = {}
    for (kw, (_tmpl, unit)), (aid, _text, _src) in zip(check.assumptions.items(), result.assumptions):
        q = assumption_table[aid][0]
        asm[kw] = float(q.to(unit_of(unit)).magnitude)
        asm_meta[kw] = (aid, unit, assumption_table[aid])
    c_lo, c_hi = result.claimed_low, result.claimed_high
    flips: list[Flip] = []
    for kw in [*kw_claims, *asm]:
        for scales in (_GRID, 1.0 / _GRID):
            found = _first_change(check, lows, highs, asm, kw, scales, result.verdict, c_lo, c_hi, settings)
            if found is None:
                continue
            s, new = found
            if kw in asm:
                aid, unit, _ = asm_meta[kw]
                flips.append(Flip("assumption", aid, kw, s, new, _show(asm[kw] * s, unit)))
            else:
                c = kw_claims[kw]
                lo, hi = c.interval.low * s, c.interval.high * s
                txt = _show(lo, c.interval.unit) if lo == hi else \
                    f"{_show(lo, c.interval.unit)} to {_show(hi, c.interval.unit)}"
                flips.append(Flip("input", c.id, kw, s, new, txt))
    flips.sort(key=lambda f: abs(math.log(f.factor)))
    # robust: no value inside any assumption's plausible range changes the verdict
    robust = True
    for kw, (aid, unit, (q, _t, _s)) in asm_meta.items():
        rng = (plausible or {}).get(aid)
        if rng is None:
            continue
        lo_v, hi_v = (float(x.to(unit_of(unit)).magnitude) for x in rng)
        values = np.linspace(lo_v, hi_v, 101)
        d_lo, d_hi = _bounds_grid(check, lows, highs, asm, kw, values / asm[kw])
        if any(v != result.verdict for v in _verdicts(d_lo, d_hi, c_lo, c_hi, check.unit, settings,
                                                      check.slip_units)):
            robust = False
            break
    return tuple(flips[:max_flips]), robust
