"""The one unit registry of gpt4leak, and the parser for the leak's own wording.

Own dimensions keep unlike things apart (pint's plain counts would add silently):

========== ============ =====================================================
unit        dimension    notes
========== ============ =====================================================
FLOP        [flop]       a floating-point operation (a count, not a rate);
                         prefixes work: GFLOP, TFLOP, PFLOP, EFLOP
token       [token]
word        [word]       a word of text; tokens per word is an assumption (data.tokens_per_word)
parameter   [parameter]  alias ``param``
GPU         [gpu]        a device; ``GPU * hour`` is a GPU-hour
USD         [currency]   alias ``dollar``; ``cent`` = 0.01 USD
byte        [information] pint's own, with SI (kB, GB) and IEC (KiB, GiB) prefixes
layer, expert, node, epoch, sequence, head: dimensionless counts
========== ============ =====================================================

Base units used inside every formula: FLOP, byte, second, USD, token,
parameter, GPU. Strings are parsed only here (by the claim loader and by users
at the REPL); formulas take numbers or Quantities.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from decimal import Decimal

import pint

__all__ = [
    "ureg",
    "Q_",
    "UnitError",
    "ParsedValue",
    "parse_value",
    "parse_quantity",
    "format_quantity",
    "to_base",
    "check_dimension",
]

def _make_registry() -> pint.UnitRegistry:
    """pint's own definitions, with one change: ``bit`` gets a dimension of its own, [information].

    pint defines ``bit = []`` (dimensionless), so "40 GB" would convert silently to
    a plain number, to a percentage or to a count. We read pint's installed
    definition files, give bit the dimension [information], and load them.
    If a future pint lays its files out otherwise, we fall back to its default
    registry (bytes then stay dimensionless; a test guards this).
    """
    from pathlib import Path

    folder = Path(pint.__file__).parent
    try:
        text = (folder / "default_en.txt").read_text(encoding="utf-8")
        consts = (folder / "constants_en.txt").read_text(encoding="utf-8")
    except OSError:
        text = ""
    if "bit = []" in text and "@import constants_en.txt" in text:
        text = text.replace("@import constants_en.txt", consts).replace("bit = []", "bit = [information]", 1)
        cached = _cached_registry(text)
        if cached is not None:
            return cached
        reg = pint.UnitRegistry(None, on_redefinition="raise", autoconvert_offset_to_baseunit=False,
                                cache_folder=None)
        reg.load_definitions(text.splitlines())
        return reg
    return pint.UnitRegistry(on_redefinition="raise", autoconvert_offset_to_baseunit=False, cache_folder=None)


def _cached_registry(text: str) -> pint.UnitRegistry | None:
    """The same registry through pint's own definition cache (10x faster to build: 25 ms, not 270 ms).

    The patched definitions are written once to ``$GPT4LEAK_CACHE`` (default
    ``$XDG_CACHE_HOME/gpt4leak`` or ``~/.cache/gpt4leak``), named by a hash of their
    text, and pint caches its parse beside them. Any failure (a read-only home, say)
    returns None and the registry is built in memory instead.
    """
    import hashlib
    import os
    from pathlib import Path

    try:
        base = os.environ.get("GPT4LEAK_CACHE") or os.path.join(
            os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache"), "gpt4leak")
        root = Path(base)
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        defs = root / f"units-{digest}.txt"
        # never trusted: a file whose content no longer has the hash in its name ("day = 25 * hour", a line
        # missing, empty) is written again before use
        if not defs.exists() or hashlib.sha256(defs.read_bytes()).hexdigest()[:16] != digest:
            root.mkdir(parents=True, exist_ok=True)
            tmp = defs.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(defs)  # atomic: a concurrent process sees the whole file or none
        reg = pint.UnitRegistry(str(defs), on_redefinition="raise", autoconvert_offset_to_baseunit=False,
                                cache_folder=str(root / "pint-cache"))
        if not _sane(reg):
            raise ValueError("the cached unit registry fails its sanity check")
        return reg
    except Exception:  # the cache is an optimisation only: drop pint's parse cache, build in memory
        import shutil
        try:
            shutil.rmtree(Path(base) / "pint-cache", ignore_errors=True)
        except Exception:
            pass
        return None


def _sane(reg: pint.UnitRegistry) -> bool:
    """The few facts every result rests on: a day of 24 hours, a percent of 1/100, bytes as information."""
    try:
        return (reg.Quantity(1, "day").to("hour").magnitude == 24
                and reg.Quantity(1, "percent").to("dimensionless").magnitude == 0.01
                and reg.Quantity(1, "kilobyte").to("byte").magnitude == 1000
                and str(reg.Quantity(1, "byte").dimensionality) == "[information]")
    except Exception:
        return False


ureg = _make_registry()
ureg.define("FLOP = [flop] = _ = flop")
ureg.define("token = [token] = _ = tok")
ureg.define("word = [word]")  # a word of text is not a token: a tokenizer turns one into about 1.3
ureg.define("parameter = [parameter] = _ = param")
ureg.define("GPU = [gpu] = _ = gpu")
ureg.define("USD = [currency] = _ = dollar")
ureg.define("cent = 0.01 USD = ¢")
ureg.define("GPU_hour = GPU * hour = GPUh")
for _count in ("layer", "expert", "node", "epoch", "sequence", "head"):
    ureg.define(f"{_count} = 1")
ureg.formatter.default_format = "~P"
pint.set_application_registry(ureg)
Q_ = ureg.Quantity


class UnitError(ValueError):
    """A value with the wrong unit or dimension, or text that cannot be parsed."""


# --------------------------------------------------------------------------- parsing
# Multipliers written after a number ("1.8T", "7.5 million", "1.8 万亿").
# Order matters: longer words first.
_WORD_MULTIPLIERS = {
    "万亿": Decimal("1e12"),
    "亿": Decimal("1e8"),
    "万": Decimal("1e4"),
    "千": Decimal("1e3"),
    "quadrillion": Decimal("1e15"),
    "trillion": Decimal("1e12"),
    "billion": Decimal("1e9"),
    "million": Decimal("1e6"),
    "thousand": Decimal("1e3"),
}
# A single letter glued to the number: "1.8T", "111B", "1k", "60M".
_LETTER_MULTIPLIERS = {
    "k": Decimal("1e3"),
    "K": Decimal("1e3"),
    "M": Decimal("1e6"),
    "B": Decimal("1e9"),
    "T": Decimal("1e12"),
}
# Words of the leak and its translations, mapped to registry units.
_UNIT_WORDS = [
    # "petaflop/s-days" (OpenAI, "AI and Compute"), "petaflop-days", "PF-days": 1e15 FLOP/s for a day
    (r"\b(?:peta[fF][lL][oO][pP][sS]?(?:/s)?|PF(?:LOP)?(?:/s)?)[\s-]days?\b", " PFLOP / second * day "),
    (r"FLOPS\b|FLOPs\b", "FLOP"),  # the leak writes FLOPS for a count, not a rate ("560 TFLOPS")
    (r"个?\s*parameters\b|\bparams\b", " parameter "),
    (r"个?\s*tokens?\b", " token "),
    (r"\bwords\b", " word "),
    (r"\bcents\b", "cent"),
    (r"\bdollars\b", "USD"),
    (r"\bA100s?\b|\bH100s?\b|\bGPUs\b", "GPU"),
    (r"\bGPU[\s-]hours?\b", "GPU_hour"),
    (r"美分|¢", " cent "),  # pint's tokenizer cannot read "¢", the symbol format_quantity writes
    (r"美元", " USD "),
    (r"个参数|参数量|参数", " parameter "),
    (r"小时", " hour "),
    (r"天", " day "),
    (r"层", " layer "),
    (r"个专家|位专家|专家", " expert "),
    (r"^\s*的", " "),  # "280B 的参数": the particle between number and unit
    (r"个|位", " "),
]

# A number: digits, or digits grouped by threes with commas ("25,000"; "1,8" is not a number), an optional decimal
# part and exponent. Signed: records reject negatives by name.
_NUMBER = r"[-+]?(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?"
# Thousands grouped by a space, a no-break or thin space, or an apostrophe: "25 000", "25'000".
# Only in a whole number's digits: "1.8 125" is not 1.8125.
_GROUPED = re.compile(r"(?<![0-9.,])[0-9]{1,3}(?:[ \u00a0\u2009\u202f'][0-9]{3})+(?![0-9])")
#: The longest value text read: a claim's number and unit, never a paragraph (and no unit lookup of 100 KB).
MAX_VALUE_CHARS = 200
# "3 x 10^22", "3 × 10^22": a power of ten written out
_TIMES_TEN = re.compile(r"\s*[x×]\s*10\^([+-]?[0-9]{1,3})(?![0-9])")
# What is left for a unit: names joined by * and /, nothing else (no numbers, powers or brackets: pint's
# expression evaluator never sees user text)
_UNIT_TEXT = re.compile(r"[A-Za-z_¢µ]+(?:\s*[*/]\s*[A-Za-z_¢µ]+)*")
_QUALIFIER_WORDS = [
    (re.compile(r"^\s*(?:~|about|approximately|approx\.?|around|roughly|约|大约|大概)\s*", re.I),
     "approximately"),
    (re.compile(r"^\s*(?:more than|over|>|超过)\s*", re.I), "more_than"),
    (re.compile(r"^\s*(?:at least|>=|≥|至少)\s*", re.I), "at_least"),
    (re.compile(r"^\s*(?:at most|<=|≤|至多|最多)\s*", re.I), "at_most"),
    (re.compile(r"^\s*(?:less than|under|<|少于)\s*", re.I), "less_than"),
]
_RANGE = re.compile(r"\s+(?:to|-|–|至|到)\s+|\s*(?:至|到|–)\s*|(?<=[0-9%])-(?=[0-9])")  # "38-43%" too


@dataclass(frozen=True)
class ParsedValue:
    """A number as written: point or range, its unit, and the resolution its digits imply.

    ``low`` and ``high`` are Quantities in the written unit. ``resolution`` is
    half a unit in the last written digit, scaled like the number (for "1.8T"
    it is 0.05T): the precision the significant figures imply.
    """

    low: pint.Quantity
    high: pint.Quantity
    resolution: pint.Quantity
    qualifier: str | None
    text: str

    @property
    def is_range(self) -> bool:
        return self.low.magnitude != self.high.magnitude or self.low.units != self.high.units


def _number_and_resolution(token: str) -> tuple[Decimal, Decimal]:
    digits = token.replace(",", "")
    value = Decimal(digits)
    mantissa, _, exponent = digits.lower().lstrip("+-").partition("e")
    exp = int(exponent) if exponent else 0
    if "." in mantissa:
        last = -len(mantissa.split(".")[1])
    else:
        # Trailing zeros of a whole number are not significant: "25,000" -> +-500.
        stripped = mantissa.rstrip("0")
        last = len(mantissa) - len(stripped) if stripped else 0
    resolution = Decimal(5) * Decimal(10) ** (last + exp - 1)
    return value, resolution


def _normalise(text: str) -> str:
    s = text.strip()
    s = s.replace("\u00a0", " ").replace("，", ",")
    for pattern, repl in _UNIT_WORDS:
        s = re.sub(pattern, repl, s)
    s = s.replace("%", " percent ").replace("·", " * ")  # "GPU·h", as the formatter writes it
    s = re.sub(r"\bper\b", "/", s)
    return re.sub(r"\s+", " ", s).strip()


_CN_DIGITS = {"两": "2", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8",
              "九": "9", "一": "1"}
_FRACTION_WORDS = {"a third": "1/3", "one third": "1/3", "a half": "1/2", "half": "1/2", "a quarter": "1/4",
                   "三分之一": "1/3", "一半": "1/2"}


_EN_ONES = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_EN_TENS = {w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
_EN_NUMBER = re.compile(
    r"(?:(a|" + "|".join(_EN_ONES) + r")\s+hundred(?:\s+and)?\s*)?"
    r"(?:(" + "|".join(_EN_TENS) + r")(?:[\s-](" + "|".join(w for w in _EN_ONES if _EN_ONES[w] < 10) + r"))?"
    r"|(" + "|".join(sorted(_EN_ONES, key=len, reverse=True)) + r"))?(?![A-Za-z-])", re.I)


def _english_number(s: str) -> str:
    """Spelled-out English numbers up to 999 ("eight thousand" -> "8 thousand", "twenty-five" -> "25")."""
    m = _EN_NUMBER.match(s)
    if not m or not m.group(0).strip():
        return s
    hundreds = m.group(1)
    value = (1 if hundreds and hundreds.lower() == "a" else _EN_ONES.get((hundreds or "").lower(), 0)) * 100
    if m.group(2):
        value += _EN_TENS[m.group(2).lower()] + (_EN_ONES[m.group(3).lower()] if m.group(3) else 0)
    elif m.group(4):
        value += _EN_ONES[m.group(4).lower()]
    return f"{value} {s[m.end():].strip()}".strip()


def _number_words(s: str) -> str:
    """Chinese digit words ("十倍" -> "10 倍", "两个" -> "2 个"), fraction words ("a third" -> "1/3") and English
    number words ("eight thousand" -> "8 thousand")."""
    for word, frac in _FRACTION_WORDS.items():
        if s.lower().startswith(word):
            return frac + s[len(word):]
    s = _english_number(s)
    m = re.match(r"([一二两三四五六七八九])?十([一二三四五六七八九])?", s)
    if m and m.group(0):
        tens = int(_CN_DIGITS[m.group(1)]) if m.group(1) else 1
        ones = int(_CN_DIGITS[m.group(2)]) if m.group(2) else 0
        return str(10 * tens + ones) + " " + s[m.end():]
    if s[:1] in _CN_DIGITS:
        return _CN_DIGITS[s[0]] + " " + s[1:]
    return s


def _parse_one(text: str, default_unit: str | None) -> tuple[Decimal, Decimal, str]:
    s = _number_words(text.strip())
    frac = re.match(r"([0-9]+)\s*/\s*([0-9]+)(?![0-9])", s)
    if frac:  # "1/3", "a third": the precision of one significant figure of its decimal (0.3 -> ±0.05)
        if int(frac.group(1)) == 0 or int(frac.group(2)) == 0:
            raise UnitError(f"{text!r}: a fraction needs a positive numerator and denominator")
        value = Decimal(frac.group(1)) / Decimal(frac.group(2))
        resolution = Decimal(5) * Decimal(10) ** (math.floor(math.log10(float(value))) - 1)
        unit = _normalise(s[frac.end():]).strip() or (default_unit or "dimensionless")
        return value, resolution, unit
    dollars = s.startswith("$")
    if dollars:
        s = s[1:].strip()
    m = re.match(_NUMBER, s)
    if not m:
        if re.match(r"[-+]?(?:nan|inf(?:inity)?)\b", s, re.I):
            raise UnitError(f"{text!r} is not a finite number")
        raise UnitError(f"no number at the start of {text!r}")
    value, resolution = _number_and_resolution(m.group(0))
    rest = s[m.end():]
    # one scale per number: "1.8T trillion", "$63m million", "1e3k", "3 x 10^22k" multiply twice
    scaled = ["an exponent"] if re.search(r"[eE]", m.group(0)) else []

    def once(what: str) -> None:
        if scaled:
            raise UnitError(f"{text!r}: {what} after {scaled[0]}: one number takes one multiplier")
        scaled.append(what)
    tm = _TIMES_TEN.match(rest)
    if tm:  # "3 x 10^22": the power belongs to the number
        once("a power of ten")
        scale = Decimal(10) ** int(tm.group(1))
        value, resolution, rest = value * scale, resolution * scale, rest[tm.end():]
    # glued letter multiplier ("1.8T parameters", "1k tokens") — never a unit prefix,
    # which always follows a space ("560 TFLOP").
    lm = re.match(r"([kKMBT])(?![A-Za-z])", rest)
    if lm:
        once(f"the multiplier {lm.group(1)!r}")
        value *= _LETTER_MULTIPLIERS[lm.group(1)]
        resolution *= _LETTER_MULTIPLIERS[lm.group(1)]
        rest = rest[lm.end():]
    rest = rest.strip()
    if dollars:  # "$225m", "$1.5bn", "$63mn": money writes million and billion as letters
        dm = re.match(r"(mn|m|bn|b)(?![A-Za-z])", rest)
        if dm:
            once(f"the multiplier {dm.group(1)!r}")
            mult = Decimal("1e6") if dm.group(1).startswith("m") else Decimal("1e9")
            value, resolution, rest = value * mult, resolution * mult, rest[dm.end():].strip()
    for word, mult in _WORD_MULTIPLIERS.items():
        if rest.startswith(word):
            once(f"the multiplier {word!r}")
            value *= mult
            resolution *= mult
            rest = rest[len(word):].strip()
            break
    if rest.endswith("$"):
        dollars, rest = True, rest[:-1].strip()
    unit = _normalise(rest)
    unit = re.sub(r"^(倍|x|×|times)\b\s*", "", unit).strip()  # "10 倍", "3x": a ratio
    # "per 1k tokens": the count goes into the number ("$0.0049 per 1k tokens" = 4.9e-6 USD / token)
    pm = re.search(r"/\s*(" + _NUMBER + r")\s*([kKMBT])?\s+([A-Za-z_]+)", unit)
    if pm:
        per = Decimal(pm.group(1).replace(",", "")) * _LETTER_MULTIPLIERS.get(pm.group(2) or "", 1)
        if per <= 0:
            raise UnitError(f"{text!r}: a rate 'per {pm.group(1)}' needs a positive count")
        value, resolution = value / per, resolution / per
        unit = unit[:pm.start()] + "/ " + pm.group(3) + unit[pm.end():]
    if dollars:
        if unit.startswith("cent"):
            pass  # "$0.0049 cents": the cents word wins, the $ is decoration
        elif unit.startswith("/") or not unit:
            unit = "USD " + unit
        else:
            unit = "USD * " + unit if not unit.startswith("USD") else unit
    if not unit:
        unit = default_unit or "dimensionless"
    return value, resolution, unit


def parse_value(text: str, default_unit: str | None = None) -> ParsedValue:
    """Parse a value as the leak writes it (see :func:`_parse_value`); anything else is a :class:`UnitError`."""
    try:
        return _parse_value(text, default_unit)
    except UnitError:
        raise
    except (ArithmeticError, ValueError, TypeError, pint.errors.PintError) as exc:  # never a traceback
        raise UnitError(f"cannot read {text!r} as a value ({type(exc).__name__})") from None


def _parse_value(text: str, default_unit: str | None = None) -> ParsedValue:
    """Parse a value as the leak writes it: a point or a range, with qualifier and unit.

    Understands "1.8T parameters", "~2.15e25 FLOPs", "$63 million",
    "$0.0049 per 1k tokens", "560 TFLOP", "90 to 100 days", "32% to 36%",
    "7.5 million tokens", "1.8 万亿个参数", "6000 万美元", "0.0049 美分".

    Raises
    ------
    UnitError
        when no number or no known unit can be read.
    """
    if not isinstance(text, str) or not text.strip():
        raise UnitError(f"expected a value as text, got {text!r}")
    if len(text) > MAX_VALUE_CHARS:
        raise UnitError(f"a value of {len(text):,} characters ({text[:40]!r}...): a value is a number and its unit, "
                        f"at most {MAX_VALUE_CHARS} characters")
    s = _GROUPED.sub(lambda m: re.sub(r"[ \u00a0\u2009\u202f']", "", m.group(0)), text.strip())
    qualifier = None
    for pattern, name in _QUALIFIER_WORDS:
        m = pattern.match(s)
        if m:
            qualifier, s = name, s[m.end():]
            break
    parts = _RANGE.split(s, maxsplit=1)
    if len(parts) == 2 and re.match(r"\s*[\$~]?\s*" + _NUMBER, parts[1]):
        a_txt, b_txt = parts
        b_val, b_res, b_unit = _parse_one(b_txt.lstrip("~ "), default_unit)
        # "90 to 100 days": the first number borrows the second's multiplier and unit.
        a_val, a_res, a_unit = _parse_one(a_txt, None)
        # "90 to 110 trillion", "1-2 million", "3 to 4k": the first number takes the second's multiplier, unless it
        # has its own ("1.8T to 2T"), and its unit when it has none
        if _trailing_multiplier(a_txt) == 1:
            mult = _trailing_multiplier(b_txt)
            a_val, a_res = a_val * mult, a_res * mult
        if a_unit == "dimensionless" and b_unit != "dimensionless":
            a_unit = b_unit
        low, high = _to_q(a_val, a_unit, text), _to_q(b_val, b_unit, text)
        # The finer end's digit: in "90 to 100 days" the "90" shows the writer counts in tens (±5),
        # which the trailing zeros of "100" alone (±50) would hide.
        res = _to_q(min(a_res, b_res), b_unit, text)
        if qualifier is None:
            qualifier = "between"
    else:
        v, r, u = _parse_one(s, default_unit)
        low = high = _to_q(v, u, text)
        res = _to_q(r, u, text)
    if low.to(high.units).magnitude > high.magnitude:
        raise UnitError(f"range {text!r} has low > high")
    return ParsedValue(low=low, high=high.to(low.units), resolution=res.to(low.units),
                       qualifier=qualifier, text=text)


def _trailing_multiplier(text: str) -> Decimal:
    s = text.strip().lstrip("$~ ")
    m = re.match(_NUMBER, s)
    rest = s[m.end():] if m else ""
    lm = re.match(r"([kKMBT])(?![A-Za-z])", rest)
    if lm:
        return _LETTER_MULTIPLIERS[lm.group(1)]
    rest = rest.strip()
    for word, mult in _WORD_MULTIPLIERS.items():
        if rest.startswith(word):
            return mult
    return Decimal(1)


def _to_q(value: Decimal, unit: str, text: str) -> pint.Quantity:
    if unit == "dimensionless":
        return Q_(float(value), ureg.dimensionless)
    u = unit.strip()
    comma = re.search(r"[0-9],[0-9]", text)
    if comma and not _UNIT_TEXT.fullmatch(u):
        raise UnitError(f"{text!r}: a decimal comma at character {comma.start() + 2} is not read (write "
                        f"{comma.group(0).replace(',', '.')!r}; thousands are grouped by threes: '25,000')")
    if not _UNIT_TEXT.fullmatch(u):
        raise UnitError(f"{text!r}: cannot read {u!r} as a unit (expected unit names joined by * or /, "
                        f"such as 'GPU', 'USD / GPU / hour'; a number, a power or arithmetic is not a unit)")
    names = [n.strip() for n in re.split(r"[*/]", u)]
    try:
        parsed = ureg.parse_units(u)
        parts = [ureg.parse_units(n) for n in names]
    except Exception as exc:  # pint raises several kinds
        raise UnitError(f"unknown unit {u!r} in {text!r}") from exc
    if len(parts) > 1 and any(p.dimensionless for p in parts):  # "90 days * percent", "1 day * pi": arithmetic
        bare = [n for n, p in zip(names, parts) if p.dimensionless]
        raise UnitError(f"{text!r}: {bare[0]!r} is a number, not a unit: a unit is names of units joined by * or /")
    return Q_(float(value), parsed)


def parse_quantity(text: str, default_unit: str | None = None) -> pint.Quantity:
    """Parse one value ("~2.15e25 FLOPs", "$63 million") into a Quantity (ranges: the midpoint)."""
    p = parse_value(text, default_unit)
    if not p.is_range:
        return p.low
    return (p.low + p.high) / 2


# --------------------------------------------------------------------------- formatting
_PREFIXES = [(1e24, "Y"), (1e21, "Z"), (1e18, "E"), (1e15, "P"), (1e12, "T"), (1e9, "G"),
             (1e6, "M"), (1e3, "k")]
_PREFIXABLE = {"FLOP": 1e15, "parameter": 1e12, "token": 1e12, "byte": 1e15, "USD": 1e9, "FLOP/s": 1e18,
               "token/s": 1e9}  # unit -> largest prefix used (beyond: scientific notation, "2.15e+25 FLOP")


def auto_unit(unit: str, reference: float) -> str:
    """A display unit with the SI prefix that puts ``reference`` in [1, 1000): "parameter" -> "Tparameter"."""
    if unit not in _PREFIXABLE or not math.isfinite(reference) or reference == 0:
        return unit
    for factor, prefix in _PREFIXES:
        if factor > _PREFIXABLE[unit]:
            continue
        if abs(reference) >= factor:
            if unit == "byte":
                return {"k": "kB", "M": "MB", "G": "GB", "T": "TB", "P": "PB"}.get(prefix, unit)
            return prefix + unit
    return unit


def format_number(x: float, digits: int = 3) -> str:
    """3 significant digits, thousands separators below 1e6, scientific notation beyond."""
    if x is None:
        return "-"
    if not math.isfinite(x):
        return "∞" if x > 0 else "-∞"
    ax = abs(x)
    if ax == 0:
        return "0"
    if ax >= 1e6 or ax < 1e-3:
        return f"{x:.{digits}g}"
    if ax >= 10 ** digits:
        return f"{x:,.0f}"
    return f"{x:.{digits}g}"


@functools.lru_cache(maxsize=None)
def unit_of(unit: str) -> pint.Unit:
    """The registry unit named by ``unit`` ("dimensionless", "" and "1" mean no unit), cached."""
    return ureg.dimensionless if unit in ("dimensionless", "", "1") else ureg.parse_units(unit)


@functools.lru_cache(maxsize=None)
def conversion(unit: str, display_unit: str) -> tuple[float, str]:
    """(factor from ``unit`` to ``display_unit``, the display unit's symbol, "" for none), cached."""
    src, dst = unit_of(unit), unit_of(display_unit)
    symbol = "" if dst == ureg.dimensionless else f"{dst:~P}"
    return float(Q_(1.0, src).to(dst).magnitude), symbol


def format_value(x: float, unit: str, display_unit: str | None = None, digits: int = 3) -> str:
    """Format a bare number in ``unit`` for people, in ``display_unit`` (default: the SI prefix that fits).

    The fast path of :func:`format_quantity` for the engine, which formats thousands of numbers.
    """
    if x is None or not math.isfinite(x):
        return format_number(x)
    factor, symbol = conversion(unit, display_unit or auto_unit(unit, float(x)))
    return f"{format_number(float(x) * factor, digits)} {symbol}".strip()


def format_quantity(q: pint.Quantity, digits: int = 3) -> str:
    """Format a Quantity for people: "560 GFLOP", "1.83 Tparameter", "7,500", "33.6 %"."""
    unit = "" if q.units == ureg.dimensionless else f"{q.units:~P}"
    return f"{format_number(float(q.magnitude), digits)} {unit}".strip()


# --------------------------------------------------------------------------- boundary helpers
def check_dimension(q: pint.Quantity, unit: str, what: str) -> None:
    """Raise UnitError naming ``what`` when ``q`` cannot be converted to ``unit``."""
    target = ureg.parse_units(unit) if unit != "dimensionless" else ureg.dimensionless
    if q.dimensionality != target.dimensionality:
        raise UnitError(
            f"{what}: expected a quantity convertible to {unit!r} "
            f"({target.dimensionality}), got {q.units:~P} ({q.dimensionality})"
        )


def to_base(x, unit: str, what: str = "value"):
    """Strip units once at a formula's boundary.

    A pint Quantity is checked and converted to ``unit``; a plain float or
    ndarray is taken to be in ``unit`` already. Returns a float or ndarray.
    """
    if isinstance(x, pint.Quantity):
        check_dimension(x, unit, what)
        target = ureg.parse_units(unit) if unit != "dimensionless" else ureg.dimensionless
        return x.to(target).magnitude
    if isinstance(x, str):
        raise UnitError(f"{what}: got the text {x!r}; parse it with gpt4leak.units.parse_quantity")
    return x

