"""How firm is a verdict? The nearest move of each assumption and each input that flips it.

For one result, each assumption (a point) and each input claim (an interval) is
scaled, one at a time, by a factor s on a logarithmic grid from about 1/100 to 100
(steps of 5 %), the derived bounds are recomputed at every grid point at once
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

from ..quantities import QUANTITIES
from ..formatting import human
from ..units import unit_of
from .core import call_formula
from .verdicts import SETTINGS, VerdictSettings, judge_many

__all__ = ["Flip", "robustness"]

_GRID = np.exp(np.arange(1, 96) * math.log(1.05))  # 1.05 .. 103 (x1.05 steps), refined below


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
    return human(float(x), unit)


def _bounds_multi(check, lows, highs, asm, plan, fixed=None):
    """Derived (low, high) for every row of a plan [(argument, scales), ...] in one call of the formula.

    Row r of segment (kw, scales) has argument ``kw`` multiplied by scales[r] and every other argument as is;
    the input corners run along the second axis.
    """
    names = list(lows)
    corners = np.array(list(itertools.product(*[(lows[k],) if lows[k] == highs[k] else (lows[k], highs[k])
                                                for k in names])), dtype=float)
    corners = corners.reshape(-1, len(names))
    n_c = corners.shape[0]
    n_s = sum(sc.size for _, sc in plan)
    factor = {k: np.ones(n_s) for k in (*names, *asm)}
    at = 0
    for kw, sc in plan:
        factor[kw][at:at + sc.size] = sc
        at += sc.size
    with np.errstate(all="ignore"):  # scaling a huge input overflows to inf: that row decides nothing
        kwargs = {k: corners[None, :, i] * factor[k][:, None] for i, k in enumerate(names)}
        for k, v in asm.items():
            kwargs[k] = np.broadcast_to((v * factor[k])[:, None], (n_s, n_c))
        kwargs.update(fixed or {})
        lo, hi, _ = call_formula(check.formula, kwargs, (n_s, n_c))
    # a row that is NaN throughout stays NaN (no verdict there); no nanmin, whose warning filter is process-wide
    # state that the two result threads would race on
    d_lo = np.where(np.isnan(lo), np.inf, lo).min(axis=1)
    d_hi = np.where(np.isnan(hi), -np.inf, hi).max(axis=1)
    d_lo[np.isnan(lo).all(axis=1)] = np.nan
    d_hi[np.isnan(hi).all(axis=1)] = np.nan
    out, at = [], 0
    for _, sc in plan:
        out.append((d_lo[at:at + sc.size], d_hi[at:at + sc.size]))
        at += sc.size
    return out


def _bounds_grid(check, lows, highs, asm, scale_kw, scales, fixed=None):
    """Derived (low, high) for each scale of one argument."""
    return _bounds_multi(check, lows, highs, asm, [(scale_kw, scales)], fixed)[0]


def _verdicts(lo, hi, c_lo, c_hi, unit, settings, slip_units):
    return judge_many(c_lo, c_hi, lo, hi, unit, settings, slip_units)


def _first_changes(check, lows, highs, asm, kws, current, c_lo, c_hi, settings, fixed=None):
    """For every argument and both directions: (kw, scale, new verdict) of the nearest flip, two formula calls.

    Coarse: the x1.02 grid to x100 on each side; the first grid point whose verdict differs brackets the flip
    (the verdict is ``current`` one step before, or at 1), and a fine log grid inside each bracket (resolution
    about 0.005 %) refines it.
    """
    plan = [(kw, sc) for kw in kws for sc in (_GRID, 1.0 / _GRID)]
    if not plan:
        return []
    coarse = _bounds_multi(check, lows, highs, asm, plan, fixed)
    brackets = []
    for (kw, sc), (d_lo, d_hi) in zip(plan, coarse):
        finite = np.isfinite(d_lo) & np.isfinite(d_hi)
        verdicts = _verdicts(d_lo, d_hi, c_lo, c_hi, check.unit, settings, check.slip_units)
        changed = np.nonzero((verdicts != current) | ~finite)[0]
        if changed.size == 0 or not finite[changed[0]]:
            continue
        i = int(changed[0])
        a = 1.0 if i == 0 else float(sc[i - 1])
        brackets.append((kw, np.exp(np.linspace(math.log(a), math.log(float(sc[i])), 201)[1:]), str(verdicts[i])))
    if not brackets:
        return []
    fine = _bounds_multi(check, lows, highs, asm, [(kw, f) for kw, f, _ in brackets], fixed)
    out = []
    for (kw, f, coarse_verdict), (f_lo, f_hi) in zip(brackets, fine):
        fv = _verdicts(f_lo, f_hi, c_lo, c_hi, check.unit, settings, check.slip_units)
        hit = np.nonzero(fv != current)[0]
        j = int(hit[0]) if hit.size else f.size - 1
        out.append((kw, float(f[j]), str(fv[j]) if hit.size else coarse_verdict))
    return out


def robustness(result, check, assumption_table: dict, plausible: dict | None = None,
               settings: VerdictSettings = SETTINGS, max_flips: int = 6):
    """(flips nearest first, robust flag, reconciling assumption) for one evaluated result; (), None, None for
    "info" and "undetermined" results. The reconciling assumption is (id, value text): the value inside its
    plausible range nearest the current one under which the claims agree, or None.

    ``plausible`` maps assumption id -> (low, high) Quantities (Assumption.plausible_range).
    """
    if result.verdict in ("info", "undetermined") or result.claimed_low is None:
        return (), None, None
    lows = {}
    highs = {}
    kw_claims = dict(zip(result.input_args, result.input_claims))
    for kw, c in kw_claims.items():
        lows[kw], highs[kw] = c.interval.low, c.interval.high
    asm: dict[str, float] = {}
    asm_meta: dict[str, tuple[str, str, object]] = {}
    units = {**{kw: unit for kw, (_a, unit) in check.assumptions.items()},
             **{kw: unit for kw, (_k, _a, unit) in check.defaults.items()}}
    for kw, (aid, _text, _src) in zip(result.assumption_args, result.assumptions):
        q = assumption_table[aid][0]
        asm[kw] = float(q.to(unit_of(units[kw])).magnitude)
        asm_meta[kw] = (aid, units[kw], assumption_table[aid])
    fixed = {kw: 0.0 for kw in check.defaults if kw not in kw_claims and kw not in asm}  # unstated optional sizes
    c_lo, c_hi = result.claimed_low, result.claimed_high
    flips: list[Flip] = []
    # a zero cannot be scaled; a kind written as a word (SwiGLU, tied, fp8) is a level, not an amount to scale
    movable = [kw for kw in [*kw_claims, *asm] if not (kw in asm and asm[kw] == 0)
               and not (kw in kw_claims and QUANTITIES[kw_claims[kw].quantity].levels is not None)]
    for kw, s, new in _first_changes(check, lows, highs, asm, movable, result.verdict, c_lo, c_hi, settings,
                                     fixed):
        if kw in asm:
            aid, unit, _ = asm_meta[kw]
            value = asm[kw] * s
            rng = (plausible or {}).get(aid)
            note = ""
            if rng is not None:
                lo_v, hi_v = (float(x.to(unit_of(unit)).magnitude) for x in rng)
                note = "" if lo_v <= value <= hi_v else " (outside its plausible range)"
            flips.append(Flip("assumption", aid, kw, s, new, _show(value, unit) + note))
        else:
            c = kw_claims[kw]
            lo, hi = c.interval.low * s, c.interval.high * s
            if QUANTITIES[c.quantity].integer:  # a count moves to the next whole number that flips
                lo = hi = float(math.ceil(lo - 1e-9) if s > 1 else math.floor(hi + 1e-9))
                if lo <= 0 or not c.interval.low:
                    continue  # no whole count above zero flips it
                s = lo / c.interval.low
            txt = _show(lo, c.interval.unit) if _show(lo, c.interval.unit) == _show(hi, c.interval.unit) \
                else f"{_show(lo, c.interval.unit)} to {_show(hi, c.interval.unit)}"
            flips.append(Flip("input", c.id, kw, s, new, txt))
    flips.sort(key=lambda f: abs(math.log(f.factor)))
    # robust: no value inside any assumption's plausible range changes the verdict, and no claimed input
    # flips it by moving less than its own uncertainty (or less than settings.robust_margin)
    robust = True
    reconcile = None
    sweep = []
    for kw, (aid, unit, (q, _t, _s)) in asm_meta.items():
        rng = (plausible or {}).get(aid)
        if rng is None or asm[kw] == 0:
            continue
        lo_v, hi_v = (float(x.to(unit_of(unit)).magnitude) for x in rng)
        sweep.append((kw, aid, unit, np.linspace(lo_v, hi_v, 101)))
    if sweep:
        grids = _bounds_multi(check, lows, highs, asm, [(kw, v / asm[kw]) for kw, _a, _u, v in sweep], fixed)
        for (kw, aid, unit, values), (d_lo, d_hi) in zip(sweep, grids):
            verdicts = _verdicts(d_lo, d_hi, c_lo, c_hi, check.unit, settings, check.slip_units)
            if any(v != result.verdict for v in verdicts):
                robust = False
            ok = np.nonzero(verdicts == "consistent")[0]
            if ok.size and reconcile is None and result.verdict != "consistent":
                best = ok[np.argmin(np.abs(np.log(values[ok] / asm[kw])))]
                reconcile = (aid, _show(values[best], unit))
    for f in flips:
        if f.kind != "input":
            continue
        c = kw_claims[f.name]
        own = (c.interval.high - c.interval.low) / (c.interval.high + c.interval.low) if c.interval.high else 0.0
        # an exact claim (a stated count) does not move; a measured or rounded one may, by its uncertainty and
        # at least settings.robust_margin
        floor = 0.0 if c.qualifier == "exact" and own == 0 else settings.robust_margin
        if abs(f.factor - 1) <= max(own, floor):
            robust = False
    return tuple(flips[:max_flips]), robust, reconcile
