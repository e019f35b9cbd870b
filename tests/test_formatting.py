"""gpt4leak.formatting: numbers written as ML practitioners write them."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gpt4leak.formatting import human, human_quantity, human_range
from gpt4leak.units import Q_

# --------------------------------------------------------------------------- the table
CASES = [
    # the GPT-4 leak and published runs
    (2.15e25, "FLOP", "2.15e25 FLOP"),  # GPT-4 training compute
    (5.6e11, "FLOP", "560 GFLOP"),  # the leak's per-token inference cost
    (1.8e12, "parameter", "1.8T params"),  # GPT-4 total parameters
    (1.11e11, "parameter", "111B params"),  # one expert
    (5.5e10, "parameter", "55B params"),  # shared attention
    (1.3e13, "token", "13T tokens"),  # training tokens
    (63e6, "USD", "$63M"),  # training cost
    (4.9e-6, "USD/token", "$0.0049 per 1k tokens"),  # inference cost
    (93.9, "day", "93.9 days"),
    (80e9, "byte", "80 GB"),  # A100 memory
    (0.342, "percent", "34.2%"),  # MFU
    (25000, "GPU", "25,000 GPUs"),
    (312e12, "FLOP/s/GPU", "312 TFLOP/s per GPU"),  # A100 bf16 peak
    (989e12, "FLOP/s/GPU", "989 TFLOP/s per GPU"),  # H100 SXM bf16 peak
    (8404992, "GPU*hour", "8.4M GPU-hours"),
    # prefixes and plain numbers
    (3.8e25, "FLOP", "3.8e25 FLOP"),  # Llama 3 405B
    (1.2e12, "FLOP", "1.2 TFLOP"),
    (3.5e15, "FLOP", "3.5 PFLOP"),
    (120, "FLOP", "120 FLOP"),
    (312e12, "FLOP/s", "312 TFLOP/s"),
    (1.2e19, "FLOP/s", "1.2e19 FLOP/s"),
    (1.83e12, "parameter", "1.83T params"),
    (7.24e6, "parameter", "7.24M params"),
    (12288, "parameter", "12,288 params"),  # GPT-3's d_model, a whole number kept whole
    (1, "parameter", "1 param"),
    (2.6e9, "token", "2.6B tokens"),
    (8192, "token", "8,192 tokens"),
    (1.3e13, "word", "13T words"),
    (57.1e6, "USD", "$57.1M"),
    (2.15e9, "USD", "$2.15B"),
    (4900, "USD", "$4,900"),
    (1.5, "USD", "$1.50"),
    (0.0049, "USD", "$0.0049"),
    (-3e6, "USD", "-$3M"),
    (1.0, "USD/GPU/hour", "$1.00 per GPU-hour"),
    (2.49, "USD/GPU/hour", "$2.49 per GPU-hour"),
    (21600, "GPU*hour", "21,600 GPU-hours"),
    (1, "GPU*hour", "1 GPU-hour"),
    (1, "GPU", "1 GPU"),
    (128, "GPU", "128 GPUs"),
    (1, "day", "1 day"),
    (1.5, "day", "36 hours"),
    (1200, "hour", "1,200 hours"),
    (12.5, "second", "12.5 s"),
    (12.5, "s", "12.5 s"),
    (2.5, "year", "2.5 years"),
    (3.6e12, "byte", "3.6 TB"),
    (512e6, "byte", "512 MB"),
    (16e3, "byte", "16 kB"),
    (12, "byte", "12 bytes"),
    (2, "byte/parameter", "2 bytes per param"),
    (1234, "token/s", "1,234 tokens/s"),
    (1.2e6, "token/s", "1.2M tokens/s"),
    (3400, "token/s/GPU", "3,400 tokens/s per GPU"),
    (3400, "token/GPU/s", "3,400 tokens/s per GPU"),
    (20, "token/parameter", "20 tokens per param"),  # Chinchilla
    (1.33, "token/word", "1.33 tokens per word"),
    (120, "dimensionless", "120"),
    (16, "dimensionless", "16"),
    (0.983, "dimensionless", "0.983"),
    (1.5e-7, "dimensionless", "1.5e-7"),
    (25000, "dimensionless", "25,000"),
    (2.1e9, "dimensionless", "2.1e9"),
    # signs, zero, specials
    (0, "GPU", "0 GPUs"),
    (0, "USD", "$0"),
    (-1.8e12, "parameter", "-1.8T params"),
    (None, "USD", "-"),
    (math.inf, "FLOP", "∞"),
    (-math.inf, "FLOP", "-∞"),
    (math.nan, "parameter", "nan"),
    (np.float64(1.8e12), "parameter", "1.8T params"),
    (np.int64(25000), "GPU", "25,000 GPUs"),
]


@pytest.mark.parametrize(("x", "unit", "text"), CASES)
def test_human(x, unit, text):
    assert human(x, unit) == text


# Rounding up across a prefix boundary moves to the next prefix: the guard against "1000B params".
@pytest.mark.parametrize(("x", "unit", "text"), [
    (999.96e9, "parameter", "1T params"),
    (999_999.7, "USD", "$1M"),
    (999.96e6, "USD", "$1B"),
    (999.96e12, "FLOP", "1 PFLOP"),
    (999.96e15, "FLOP", "1e18 FLOP"),
    (999.96e9, "byte", "1 TB"),
    (9.9996e24, "FLOP", "1e25 FLOP"),
    (999.96e12, "parameter", "1e15 params"),
])
def test_rounding_carries_to_the_next_prefix(x, unit, text):
    assert human(x, unit) == text


def test_digits():
    assert human(1.8305e12, "parameter", digits=5) == "1.8305T params"
    assert human(2.16e25, "FLOP", digits=2) == "2.2e25 FLOP"
    assert human(1.8e12, "parameter", digits=7) == "1.8T params"  # trailing zeros are dropped


@pytest.mark.parametrize(("x", "unit"), [(3.0, "meter"), (2.15e25, "FLOP/day"), (7.0, "no such unit"), (7.0, "((("), (7.0, "meter**")])
def test_other_units_fall_back_and_never_raise(x, unit):
    text = human(x, unit)
    assert text and "e+" not in text


@pytest.mark.parametrize(("low", "high", "unit", "text"), [
    (1.75e12, 1.85e12, "parameter", "1.75T to 1.85T params"),
    (1.8305e12, 1.8315e12, "parameter", "1.8305T to 1.8315T params"),  # digits added until the ends differ
    (90, 100, "day", "90 to 100 days"),
    (1, 2, "day", "1 to 2 days"),
    (0.32, 0.36, "percent", "32 to 36%"),
    (63e6, 100e6, "USD", "$63M to $100M"),
    (2.1e25, 2.2e25, "FLOP", "2.1e25 to 2.2e25 FLOP"),
    (512e6, 1.2e9, "byte", "512 MB to 1.2 GB"),  # different prefixes: the unit on both ends
    (500e9, 1.2e12, "parameter", "500B to 1.2T params"),  # "0.5T" would hide the low end's own scale
    (63e6, 63e6, "USD", "$63M"),
    (1e12, math.inf, "parameter", "at least 1T params"),
    (0, 5e6, "USD", "at most $5M"),
    (None, 5e6, "USD", "- to $5M"),
    (math.nan, 5e6, "USD", "nan to $5M"),
    (3.0, 4.0, "meter", "3 m to 4 m"),  # a unit without a style: each end by units.format_value
])
def test_human_range(low, high, unit, text):
    assert human_range(low, high, unit) == text


def test_human_range_differs_within_seven_digits():
    text = human_range(1.8305e12, 1.8315e12, "parameter")
    low, high = text.removesuffix(" params").split(" to ")
    assert low != high


@pytest.mark.parametrize(("q", "text"), [
    (Q_(80, "GB"), "80 GB"),
    (Q_(2.15e25, "FLOP"), "2.15e25 FLOP"),
    (Q_(312, "TFLOP/s/GPU"), "312 TFLOP/s per GPU"),
    (Q_(34.2, "percent"), "34.2%"),
    (Q_(63, "MUSD"), "$63M"),
    (Q_(12.5, "second"), "12.5 s"),
    (Q_(90, "minute"), "1.5 hours"),  # time without its own style: days, shown in hours below 2 days
    (Q_(3, "meter"), "3 m"),  # no base unit of the library: units.format_quantity
])
def test_human_quantity(q, text):
    assert human_quantity(q) == text


# --------------------------------------------------------------------------- properties
SUPPORTED = ["FLOP", "FLOP/s", "FLOP/s/GPU", "parameter", "token", "word", "GPU", "GPU*hour", "token/s",
             "token/s/GPU", "token/GPU/s", "USD", "USD/token", "USD/kilotoken", "USD/GPU/hour", "byte", "byte/s",
             "byte/GPU", "byte/s/GPU", "day", "hour", "year", "second", "s", "token/parameter", "token/word",
             "byte/parameter", "dimensionless", "percent"]
# the unit words each unit may be written with (after an SI prefix is taken off), and their factor to the base unit
TAILS = {
    "FLOP": {"FLOP": 1}, "FLOP/s": {"FLOP/s": 1}, "FLOP/s/GPU": {"FLOP/s per GPU": 1},
    "parameter": {"param": 1, "params": 1}, "token": {"token": 1, "tokens": 1}, "word": {"word": 1, "words": 1},
    "GPU": {"GPU": 1, "GPUs": 1}, "GPU*hour": {"GPU-hour": 1, "GPU-hours": 1},
    "token/s": {"token/s": 1, "tokens/s": 1},
    "token/s/GPU": {"token/s per GPU": 1, "tokens/s per GPU": 1},
    "token/GPU/s": {"token/s per GPU": 1, "tokens/s per GPU": 1},
    "USD": {"": 1}, "USD/token": {"per 1k tokens": 1e-3}, "USD/kilotoken": {"per 1k tokens": 1},
    "USD/GPU/hour": {"per GPU-hour": 1},
    "byte": {"B": 1, "byte": 1, "bytes": 1}, "byte/s": {"B/s": 1, "byte/s": 1, "bytes/s": 1},
    "byte/GPU": {"B per GPU": 1, "byte per GPU": 1, "bytes per GPU": 1},
    "byte/s/GPU": {"B/s per GPU": 1, "byte/s per GPU": 1, "bytes/s per GPU": 1},
    "day": {"day": 1, "days": 1, "hours": 1 / 24, "hour": 1 / 24}, "hour": {"hour": 1, "hours": 1},
    "year": {"year": 1, "years": 1}, "second": {"s": 1}, "s": {"s": 1},
    "token/parameter": {"token per param": 1, "tokens per param": 1},
    "token/word": {"token per word": 1, "tokens per word": 1},
    "byte/parameter": {"byte per param": 1, "bytes per param": 1},
    "dimensionless": {"": 1}, "percent": {"%": 1e-2},
}
_NUMBER = re.compile(r"(-?)(\$?)((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?:e(-?\d+))?([MBT]?)(?=\s|%|$)\s?(.*)")
_SI = {"k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15}


def parse_back(text: str, unit: str) -> float:
    """The value a reader takes from ``text``: number, $ sign, glued letter, SI prefix, exponent, unit factor."""
    m = _NUMBER.fullmatch(text)
    assert m, f"unreadable number in {text!r}"
    sign, dollar, digits, exp, letter, tail = m.groups()
    assert bool(dollar) == unit.startswith("USD"), text
    assert "," not in digits or float(digits.replace(",", "")) < 1e6, text  # separators only on plain numbers
    value = float(digits.replace(",", "")) * 10.0 ** int(exp or 0) * {"": 1, "M": 1e6, "B": 1e9, "T": 1e12}[letter]
    tails = TAILS[unit]
    if tail not in tails and tail[:1] in _SI and tail[1:] in tails:
        value, tail = value * _SI[tail[0]], tail[1:]
    assert tail in tails, f"unit words {tail!r} in {text!r} for {unit}"
    return (-1 if sign else 1) * value * tails[tail]


_PREFIX_1000 = re.compile(r"(?<![\d.,])1,?000(?:\.0+)?(?:[MBT]\b| [kMGTP](?:FLOP|B))")
magnitudes = st.one_of(
    st.floats(min_value=-9, max_value=30).map(lambda e: 10.0 ** e),  # every decade equally
    st.floats(min_value=1e-9, max_value=1e30),
    st.sampled_from([999.5, 999.96e9, 999_999.5, 9.995, 1.0, 2.0, 0.001, 1e6, 1e15, 1e18]),
)


@settings(max_examples=600, deadline=None)
@given(x=magnitudes, unit=st.sampled_from(SUPPORTED), digits=st.integers(min_value=2, max_value=7))
def test_human_reads_back_as_the_number(x, unit, digits):
    text = human(x, unit, digits=digits)
    assert isinstance(text, str) and text
    assert "e+" not in text and not re.search(r"e-?0\d", text), text
    assert not _PREFIX_1000.search(text), text
    assert math.isclose(parse_back(text, unit), x, rel_tol=5 * 10.0 ** -digits, abs_tol=0), (text, x)


@settings(max_examples=200, deadline=None)
@given(x=magnitudes, unit=st.sampled_from(SUPPORTED))
def test_negative_numbers_keep_their_sign(x, unit):
    text = human(-x, unit)
    assert text.startswith("-")
    assert parse_back(text, unit) == -parse_back(human(x, unit), unit)


@settings(max_examples=300, deadline=None)
@given(a=magnitudes, b=magnitudes, unit=st.sampled_from(SUPPORTED))
def test_human_range_is_total(a, b, unit):
    low, high = sorted((a, b))
    text = human_range(low, high, unit)
    assert text and "e+" not in text and not _PREFIX_1000.search(text)
    if human(low, unit, digits=7) != human(high, unit, digits=7):
        assert " to " in text
