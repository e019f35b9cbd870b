"""The one formatter for numbers people read, written as ML practitioners write them.

``human(x, unit)`` takes a number in one of the library's base units and writes it
the way papers and model cards do: "2.15e25 FLOP", "560 GFLOP", "1.8T params",
"$63M", "$0.0049 per 1k tokens", "93.9 days", "80 GB", "34.2%", "25,000 GPUs".

Rules (3 significant digits by default; whole numbers shown plain get thousands separators):

================ ======================================================================
unit             text
================ ======================================================================
FLOP, FLOP/s     "120 FLOP", "560 GFLOP", "3.5 PFLOP", from 1e18 "2.15e25 FLOP";
FLOP/s/GPU       "312 TFLOP/s", "989 TFLOP/s per GPU", "1.2e19 FLOP/s"
parameter        "12,288 params", "7.24M params", "111B params", "1.8T params", "1 param"
token, word      "8,192 tokens", "2.6B tokens", "13T tokens" (same for words)
token/s(/GPU)    "1,234 tokens/s", "1.2M tokens/s", "3,400 tokens/s per GPU" (also token/GPU/s)
GPU, GPU*hour    "25,000 GPUs", "1 GPU", "8.4M GPU-hours", "1 GPU-hour"
USD              "$1.50" (below $10: two decimals at least), "$4,900", "$57.1M", "$2.15B", "-$3M"
USD/token        per 1k tokens: 4.9e-6 -> "$0.0049 per 1k tokens" (USD/kilotoken likewise)
USD/GPU/hour     "$2.49 per GPU-hour"
byte             decimal prefixes: "12 bytes", "16 kB", "512 MB", "80 GB", "3.6 TB"
                 (byte/s, byte/GPU, byte/s/GPU: "2 TB/s", "80 GB per GPU", "3.35 TB/s per GPU")
day              "93.9 days", "1 day"; below 2 days (other than exactly 1) in hours: "36 hours"
hour, year, s    "1,200 hours", "2.5 years", "12.5 s"
ratios           "20 tokens per param", "1.33 tokens per word", "2 bytes per param"
dimensionless    "0.983", "120", "25,000"; from 1e6 and below 1e-3 scientific: "2.1e9", "1.5e-7"
percent          the value is a *fraction* shown as a percentage: human(0.342, "percent") -> "34.2%"
anything else    :func:`gpt4leak.units.format_value` (never raises)
================ ======================================================================

Beyond the largest prefix every unit goes to powers of ten ("1.2e15 params"), as do
numbers below 1e-3 ("$4.9e-7"). Rounding moves across a prefix boundary: 999.96e9
parameters is "1T params", never "1000B params". None is "-", infinity "∞", NaN "nan".
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

__all__ = ["human", "human_quantity", "human_range"]

_COUNT = ((12, "T"), (9, "B"), (6, "M"))  # glued to the number: "1.8T params"
_AUTO = -1  # _parts: choose the prefix
_SI = ((15, "P"), (12, "T"), (9, "G"), (6, "M"), (3, "k"))  # before the unit: "560 GFLOP"


class _Style(NamedTuple):
    one: str  # the unit after a count of one: " param"
    many: str  # after any other number: " params"
    scales: tuple[tuple[int, str], ...] = ()
    si: str | None = None  # SI prefixes go before this ("FLOP", "B"); None: scale letters glue to the number
    dollar: bool = False
    mult: float = 1.0  # display factor: 100 for percent, 1000 for "per 1k tokens"


def _si(noun: str, plain: str | None = None, plural: str | None = None) -> _Style:
    return _Style(" " + (plain or noun), " " + (plural or plain or noun), _SI, noun)


_STYLES: dict[str, _Style] = {
    "FLOP": _si("FLOP"), "FLOP/s": _si("FLOP/s"), "FLOP/s/GPU": _si("FLOP/s per GPU"),
    "parameter": _Style(" param", " params", _COUNT), "token": _Style(" token", " tokens", _COUNT),
    "word": _Style(" word", " words", _COUNT), "GPU": _Style(" GPU", " GPUs", _COUNT),
    "GPU*hour": _Style(" GPU-hour", " GPU-hours", _COUNT), "token/s": _Style(" token/s", " tokens/s", _COUNT),
    "token/s/GPU": _Style(" token/s per GPU", " tokens/s per GPU", _COUNT),
    "USD": _Style("", "", _COUNT, dollar=True),
    "USD/token": _Style(" per 1k tokens", " per 1k tokens", _COUNT, dollar=True, mult=1000.0),
    "USD/kilotoken": _Style(" per 1k tokens", " per 1k tokens", _COUNT, dollar=True),
    "USD/GPU/hour": _Style(" per GPU-hour", " per GPU-hour", _COUNT, dollar=True),
    "byte": _si("B", "byte", "bytes"), "byte/s": _si("B/s", "byte/s", "bytes/s"),
    "byte/GPU": _si("B per GPU", "byte per GPU", "bytes per GPU"),
    "byte/s/GPU": _si("B/s per GPU", "byte/s per GPU", "bytes/s per GPU"),
    "day": _Style(" day", " days"), "hour": _Style(" hour", " hours"),
    "year": _Style(" year", " years"), "second": _Style(" s", " s"),
    "token/parameter": _Style(" token per param", " tokens per param"),
    "token/word": _Style(" token per word", " tokens per word"),
    "byte/parameter": _Style(" byte per param", " bytes per param"),
    "dimensionless": _Style("", ""), "percent": _Style("%", "%", mult=100.0),
}
_ALIASES = {"s": "second", "param": "parameter", "GPU_hour": "GPU*hour", "token/GPU/s": "token/s/GPU",
            "FLOP/GPU/s": "FLOP/s/GPU", "": "dimensionless", "1": "dimensionless"}


def _key(unit: str) -> str:
    u = unit.replace(" ", "")
    return _ALIASES.get(u, u)


def _sig(ax: float, digits: int) -> tuple[float, int]:
    """``ax`` rounded to ``digits`` significant digits, and the decimal exponent of that rounded value."""
    mant, _, exp = f"{ax:.{digits - 1}e}".partition("e")
    return float(f"{mant}e{exp}"), int(exp)


def _trim(s: str, keep: int = 0) -> str:
    """Drop trailing zeros after the point, keeping at least ``keep`` decimals."""
    if "." not in s:
        return s
    whole, frac = s.split(".")
    frac = frac.rstrip("0").ljust(keep, "0")
    return f"{whole}.{frac}" if frac else whole


def _scale_of(ax: float, st: _Style, digits: int) -> int | None:
    """The exponent of the prefix ``ax`` is shown with (0: plain, None: powers of ten)."""
    r, e = _sig(ax, digits)
    top = st.scales[0][0] + 3 if st.scales else 6
    bottom = st.scales[-1][0] if st.scales else 6
    if e >= top or r < (1e-4 if st.dollar else 1e-3):  # "$0.00049 per 1k tokens", "1.5e-7"
        return None
    if ax < 10.0 ** bottom and (ax.is_integer() or r < 10.0 ** bottom):
        return 0
    return next(s for s, _ in st.scales if e >= s)


def _parts(x: float, st: _Style, digits: int, scale: int | None = _AUTO) -> tuple[str, str]:
    """(the number with sign, "$" and a glued letter; the unit text after it)."""
    ax = abs(float(x)) * st.mult
    sign = "-" if x < 0 else ""
    if ax == 0:
        return sign + ("$0" if st.dollar else "0"), st.many
    if scale == _AUTO:
        scale = _scale_of(ax, st, digits)
    if scale is None:
        mant, _, exp = f"{ax:.{digits - 1}e}".partition("e")
        num, unit = f"{_trim(mant)}e{int(exp)}", st.many
    else:
        _, e = _sig(ax, digits)
        cents = st.dollar and scale == 0 and e < 1  # "$1.50", "$0.0049"
        dec = max(2 if cents else 0, digits - 1 - e + scale)
        num = _trim(f"{ax / 10.0 ** scale:,.{dec}f}", 2 if cents else 0)
        letter = dict(st.scales).get(scale, "")
        if st.si is not None and letter:
            unit = f" {letter}{st.si}"
        else:
            unit = st.one if num == "1" and not letter else st.many
            num += letter
    return sign + ("$" if st.dollar else "") + num, unit


def _fallback(x: float, unit: str, digits: int) -> str:
    try:
        from .units import format_value
        text = format_value(x, unit, None, digits)
    except Exception:  # noqa: BLE001 -- pint raises many kinds (AssertionError, TokenError): print as given
        text = f"{_parts(x, _STYLES['dimensionless'], digits)[0]} {unit}".strip()
    return re.sub(r"(?<=\d)e\+?(-?)0*(?=\d)", r"e\1", text)  # "2.15e+25" -> "2.15e25"


def _day_style(x: float, key: str) -> tuple[float, str]:
    if key == "day" and abs(x) < 2 and abs(x) not in (0.0, 1.0):
        return x * 24, "hour"  # "36 hours", not "1.5 days"
    return x, key


def human(x: float | None, unit: str, *, digits: int = 3) -> str:
    """``x`` (a float, numpy scalar or None, in the base unit ``unit``) as practitioners write it: "1.8T params".

    ``unit="percent"`` means ``x`` is a fraction (0.342) to show as a percentage ("34.2%").
    """
    if x is None:
        return "-"
    if not math.isfinite(x := float(x)):
        return "nan" if math.isnan(x) else "∞" if x > 0 else "-∞"
    x, key = _day_style(x, _key(unit))
    if key not in _STYLES:
        return _fallback(x, unit, digits)
    num, tail = _parts(x, _STYLES[key], digits)
    return num + tail


def human_range(low: float | None, high: float | None, unit: str, *, digits: int = 3) -> str:
    """"1.75T to 1.85T params": the unit once, digits added (up to 7) until the ends differ.

    Equal ends give ``human(low)``; an infinite high end "at least X"; a low end of 0 "at most X".
    """
    both = f"{human(low, unit, digits=digits)} to {human(high, unit, digits=digits)}"
    if low is None or high is None:
        return both
    low, high = float(low), float(high)
    if low == high:
        return human(low, unit, digits=digits)
    if math.isinf(high) and math.isfinite(low):
        return "at least " + human(low, unit, digits=digits)
    if low == 0 or (low == -math.inf and math.isfinite(high)):
        return "at most " + human(high, unit, digits=digits)
    (lo, lkey), (hi, hkey) = _day_style(low, _key(unit)), _day_style(high, _key(unit))
    if lkey not in _STYLES or hkey not in _STYLES or not math.isfinite(low + high):  # nan, -inf to inf
        return both
    lst, hst = _STYLES[lkey], _STYLES[hkey]
    for d in range(digits, max(digits, 7) + 1):
        scale = _scale_of(abs(hi) * hst.mult, hst, d)
        same = lst is hst and scale and abs(lo) * lst.mult >= 10.0 ** scale  # the high end's prefix fits
        a, a_unit = _parts(lo, lst, d, scale if same else _AUTO)
        b, b_unit = _parts(hi, hst, d, scale)
        if a + a_unit != b + b_unit:
            break
    if a_unit == b_unit or (lst is hst and a_unit == lst.one and b_unit == hst.many):
        return f"{a} to {b}{b_unit}"  # the unit once: "1.75T to 1.85T params", "1 to 2 days", "32 to 36%"
    return f"{a}{a_unit} to {b}{b_unit}"  # "512 MB to 1.2 GB", "36 hours to 3 days"


def human_quantity(q, digits: int = 3) -> str:
    """A pint Quantity in the nearest known base unit ("80 GB"); else :func:`units.format_quantity`."""
    from .units import format_quantity, unit_of

    keys = [k for k in _STYLES if k != "percent"]
    if q.units == unit_of("percent"):
        return human(float(q.to("dimensionless").magnitude), "percent", digits=digits)
    for same in (lambda k: unit_of(k) == q.units, lambda k: unit_of(k).dimensionality == q.dimensionality):
        for k in keys:
            if same(k):
                return human(float(q.to(unit_of(k)).magnitude), k, digits=digits)
    return format_quantity(q, digits)
