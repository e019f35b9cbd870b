"""Tests of gpt4leak.units: the registry, the parser of the leak's own wording, and the formatters.

Published: every string in TRICKY is the wording of one of the collected documents
(claims/documents/, file named in the comment; a few are restated in the unit the
catalogue records, which the comment says), with the magnitude and resolution worked
out by hand from the text: resolution is half a unit in the last written digit, trailing
zeros of a whole number not significant (claims/README.md, "Uncertainty from wording").
Property: hypothesis, parse(format(q)) == q. Bad input: named errors.
"""

from __future__ import annotations

import math

import pint
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from gpt4leak.units import (
    Q_,
    UnitError,
    check_dimension,
    format_number,
    format_quantity,
    parse_quantity,
    parse_value,
    to_base,
    ureg,
)

DOC_ZH_DIGEST = "000_bb4b112566be49e8.txt"   # CVer's Chinese digest (and Hotz's rumour)
DOC_PELEG = "001_692e88825a9d1787.txt"       # Yam Peleg's post, archived
DOC_AINLP = "002_7714f0ea85aad2db.txt"       # AINLP's "if I trained GPT-4" essay
DOC_WEIXUE = "003_ee62ff8ffeabcf69.txt"      # partial Chinese translation of SemiAnalysis

# (text, low, high, unit, resolution, qualifier): low/high/resolution in `unit`, typed by hand.
TRICKY = [
    # 001 "This adds more parameters on top of the 1.8T of GPT-4": 1.8 x 1e12, last digit 0.1T -> +-0.05T
    ("1.8T parameters", 1.8e12, 1.8e12, "parameter", 0.05e12, None),
    # 001 "OpenAI's training FLOPS for GPT-4 is ~2.15e25": last digit 0.01e25 -> +-0.005e25
    ("~2.15e25 FLOPs", 2.15e25, 2.15e25, "FLOP", 0.005e25, "approximately"),
    # 001 "the training costs for this run alone would be about $63 million": +-0.5 million
    ("$63 million", 63e6, 63e6, "USD", 0.5e6, None),
    # 001 "$0.0049 cents per 1k tokens" read as dollars: 0.0049 USD / 1000 token; +-0.00005 USD / 1000 token
    ("$0.0049 per 1k tokens", 0.0049 / 1000, 0.0049 / 1000, "USD/token", 0.00005 / 1000, None),
    # 001 "~280B parameters and ~560 TFLOPs": the prefix is SI tera, the count stays in TFLOP
    ("560 TFLOP", 560, 560, "TFLOP", 5, None),
    # the leak writes FLOPS (capital S) for a count, not a rate
    ("560 TFLOPS", 560, 560, "TFLOP", 5, None),
    # 001 "90 to 100 days": uniform range; resolution of the finer end ("90": +-5 days)
    ("90 to 100 days", 90, 100, "day", 5, "between"),
    # 001 "at about 32% to 36% MFU"
    ("32% to 36%", 0.32, 0.36, "dimensionless", 0.005, "between"),
    # 001 "a batch size of 7.5 million tokens per expert": last digit 0.1 million -> +-50,000
    ("7.5 million tokens", 7.5e6, 7.5e6, "token", 0.05e6, None),
    # 000 "总共有 1.8 万亿个参数" (1.8 x 10^12, 万亿 = 10^4 x 10^8)
    ("1.8 万亿个参数", 1.8e12, 1.8e12, "parameter", 0.05e12, None),
    # 000 "每个专家模型都有 2200 亿个参数": 2200 x 10^8 = 220e9; "2200" -> +-50 x 10^8
    ("2200 亿个参数", 220e9, 220e9, "parameter", 5e9, None),
    # 002 "一直到 6000万 tokens": 6000 x 10^4 = 60 million; "6000" -> +-500 x 10^4
    ("6000万 token", 60e6, 60e6, "token", 5e6, None),
    # 000 "每 1,000 个 token 0.0049 美分", restated with the unit last: 0.0049 cent / 1000 token
    ("0.0049 美分 per 1k token", 0.0049e-2 / 1000, 0.0049e-2 / 1000, "USD/token", 0.00005e-2 / 1000, None),
    # 000 "仅此次训练的成本将达到约 6300 万美元": 63 million USD, "6300" -> +-50 x 10^4
    ("6300 万美元", 63e6, 63e6, "USD", 0.5e6, None),
    # 003 "OpenAI在大约13万亿个tokens上对GPT-4进行了训练": 13 x 10^12
    ("13万亿个tokens", 13e12, 13e12, "token", 0.5e12, None),
    # 001 "a third of the cost": one significant figure of 0.333 -> +-0.05 (claims/README.md)
    ("a third", 1 / 3, 1 / 3, "dimensionless", 0.05, None),
    ("1/3", 1 / 3, 1 / 3, "dimensionless", 0.05, None),
    # 002 "将模型的规模扩大十倍": 10, trailing zero not significant -> +-5
    ("十倍", 10, 10, "dimensionless", 5, None),
    # 001 "If their cost in the cloud was about $1 per A100 hour"
    ("$1 per A100 hour", 1, 1, "USD/GPU/hour", 0.5, None),
    # 001 "on ~25,000 A100s": +-500 (README's own example)
    ("25,000 A100s", 25_000, 25_000, "GPU", 500, None),
    # 001 "with ~8,192 H100": every digit significant -> +-0.5
    ("8,192 GPU", 8192, 8192, "GPU", 0.5, None),
    ("8,192 H100", 8192, 8192, "GPU", 0.5, None),
    # 001 "a batch size of 60 million": trailing zero not significant -> +-5 million (README's example)
    ("60 million", 60e6, 60e6, "dimensionless", 5e6, None),
]


def _ids(rows):
    return [r[0] for r in rows]


@pytest.mark.parametrize("text, low, high, unit, resolution, qualifier", TRICKY, ids=_ids(TRICKY))
def test_parse_the_leak_wording(text, low, high, unit, resolution, qualifier):
    p = parse_value(text)
    u = ureg.parse_units(unit) if unit != "dimensionless" else ureg.dimensionless
    # the dimension first (a wrong unit must fail here, not as a stray pint error)
    assert p.low.dimensionality == u.dimensionality, (text, p.low)
    assert p.low.to(u).magnitude == pytest.approx(low, rel=1e-12)
    assert p.high.to(u).magnitude == pytest.approx(high, rel=1e-12)
    assert p.resolution.to(u).magnitude == pytest.approx(resolution, rel=1e-9)
    assert p.qualifier == qualifier
    assert p.is_range == (low != high)
    assert p.text == text


@pytest.mark.parametrize("text, written_unit", [
    ("1.8T parameters", "parameter"),
    ("560 TFLOP", "TFLOP"),           # the prefix the text wrote is kept, not converted
    ("90 to 100 days", "day"),
    ("$0.0049 per 1k tokens", "USD/token"),
    ("0.0049 美分 per 1k token", "cent/token"),  # 美分 is cents, not dollars: the slip a check must see
    ("$1 per A100 hour", "USD/GPU_hour"),  # the GPU-hour of units.py
    ("25,000 A100s", "GPU"),
])
def test_the_written_unit_is_kept(text, written_unit):
    assert parse_value(text).low.units == ureg.parse_units(written_unit)


def test_dollars_and_cents_differ_by_a_hundred():
    # The English post writes "$0.0049 cents per 1k tokens"; the Chinese digest 0.0049 美分 (cents).
    dollars = parse_quantity("$0.0049 per 1k tokens").to("USD/token").magnitude
    cents = parse_quantity("0.0049 美分 per 1k token").to("USD/token").magnitude
    assert dollars / cents == pytest.approx(100)


@pytest.mark.parametrize("text, qualifier", [
    ("~1.8T parameters", "approximately"),
    ("about $63 million", "approximately"),
    ("约 6300 万美元", "approximately"),
    ("more than 10", "more_than"),
    ("超过 10", "more_than"),
    ("at least 8 GPU", "at_least"),
    ("at most 8 GPU", "at_most"),
    ("less than 8 GPU", "less_than"),
    ("120 layers", None),
])
def test_qualifier_words(text, qualifier):
    assert parse_value(text).qualifier == qualifier


@pytest.mark.parametrize("text, low, high, unit", [
    # "1 to 1.5 trillion": the first number borrows the second's multiplier and unit
    ("1 to 1.5 trillion parameters", 1e12, 1.5e12, "parameter"),
    ("64 to 128 experts", 64, 128, "dimensionless"),
    ("90 至 100 天", 90, 100, "day"),
    ("8.2e24 to 4.4e25 FLOP", 8.2e24, 4.4e25, "FLOP"),   # estimates.yaml, Epoch AI's 90 % CI
])
def test_ranges(text, low, high, unit):
    p = parse_value(text)
    assert p.qualifier == "between"
    assert p.low.to(unit).magnitude == pytest.approx(low)
    assert p.high.to(unit).magnitude == pytest.approx(high)


def test_range_resolution_is_the_finer_end():
    # "90" counts in tens (+-5); "100" alone would be +-50. "1 to 1.5 trillion": 1.5 gives +-0.05T.
    assert parse_value("90 to 100 days").resolution.to("day").magnitude == 5
    assert parse_value("1 to 1.5 trillion parameters").resolution.to("parameter").magnitude \
        == pytest.approx(0.05e12)


def test_parse_quantity_gives_the_midpoint_of_a_range():
    assert parse_quantity("90 to 100 days").to("day").magnitude == 95
    assert parse_quantity("32% to 36%").to("dimensionless").magnitude == pytest.approx(0.34)


@pytest.mark.parametrize("text, resolution", [
    ("25,000", 500), ("25000", 500), ("25,001", 0.5), ("120", 5), ("16", 0.5), ("0.0049", 0.00005),
    ("2.15e25", 0.005e25), ("1.0", 0.05), ("100", 50),
])
def test_resolution_is_half_the_last_significant_digit(text, resolution):
    assert parse_value(text).resolution.magnitude == pytest.approx(resolution)


# =========================================================================== bad input
@pytest.mark.parametrize("text, words", [
    ("", "expected a value as text"),
    ("   ", "expected a value as text"),
    ("parameters", "no number"),
    ("nan parameter", "not a finite number"),
    ("inf FLOP", "not a finite number"),
    ("100 to 90 days", "low > high"),
    ("5 furlongs per fortnight per wombat", "unknown unit"),
])
def test_bad_text_raises_unit_error(text, words):
    with pytest.raises(UnitError, match=words):
        parse_value(text)


def test_not_text_raises_unit_error():
    with pytest.raises(UnitError, match="expected a value as text"):
        parse_value(1.8e12)  # type: ignore[arg-type]


def test_a_sign_is_read_so_records_can_refuse_it_by_name():
    # Parsing is neutral (an assumption may be negative, a scaling exponent say); records reject
    # negative claims with "negative" and the field (tests/test_records.py).
    assert parse_value("-25,000 GPU").low.magnitude == -25_000
    assert parse_value("-25,000 GPU").resolution.magnitude == 500


# =========================================================================== registry
def test_own_dimensions_do_not_add():
    for a, b in [("FLOP", "token"), ("parameter", "token"), ("GPU", "parameter"), ("USD", "FLOP")]:
        with pytest.raises(pint.DimensionalityError):
            Q_(1, a) + Q_(1, b)


def test_bytes_are_not_a_plain_number():
    # pint's own bit is dimensionless; ours has the dimension [information], so "40 GB" never
    # converts silently to a count or a percentage.
    assert Q_(40, "GB").dimensionality != ureg.dimensionless.dimensionality
    with pytest.raises(pint.DimensionalityError):
        Q_(40, "GB").to("dimensionless")
    assert Q_(1, "byte").to("bit").magnitude == 8


@pytest.mark.parametrize("a, b", [
    ("1 GiB", "1073741824 byte"),       # IEC: 2**30
    ("1 GB", "1e9 byte"),               # SI
    ("1 TFLOP", "1e12 FLOP"),
    ("1 PFLOP", "1e15 FLOP"),
    ("1 cent", "0.01 USD"),
    ("1 GPU_hour", "1 GPU * hour"),
    ("1 GPUh", "3600 GPU * second"),
    ("1 param", "1 parameter"),
    ("1 dollar", "1 USD"),
])
def test_unit_definitions(a, b):
    qa, qb = ureg.Quantity(a), ureg.Quantity(b)
    assert qa.to(qb.units).magnitude == pytest.approx(qb.magnitude, rel=1e-15)


def test_check_dimension_names_the_argument():
    check_dimension(Q_(3, "TFLOP"), "FLOP", "forward")
    with pytest.raises(UnitError, match=r"total_params: expected a quantity convertible to 'parameter'"):
        check_dimension(Q_(1.8e12, "token"), "parameter", "total_params")


def test_to_base_strips_units_once():
    assert to_base(Q_(560, "TFLOP"), "FLOP") == pytest.approx(560e12)
    assert to_base(Q_(90, "day"), "second") == 90 * 86400
    assert to_base(3.0, "FLOP") == 3.0  # a plain number is taken to be in the base unit
    with pytest.raises(UnitError, match="n_gpus"):
        to_base(Q_(1, "token"), "GPU", "n_gpus")
    with pytest.raises(UnitError, match="n_gpus: got the text"):
        to_base("25,000 A100s", "GPU", "n_gpus")


# =========================================================================== formatting
@pytest.mark.parametrize("q, text", [
    (Q_(560, "TFLOP"), "560 TFLOP"),
    (Q_(1.83e12, "parameter").to("Tparameter"), "1.83 Tparameter"),
    (Q_(7500, "dimensionless"), "7,500"),
    (Q_(33.6, "percent"), "33.6 %"),
    (Q_(2.15e25, "FLOP"), "2.15e+25 FLOP"),
    (Q_(1, "USD/GPU/hour"), "1 USD/GPU/h"),
])
def test_format_quantity_for_people(q, text):
    assert format_quantity(q) == text


@pytest.mark.parametrize("x, text", [
    (None, "-"), (math.inf, "∞"), (-math.inf, "-∞"), (0.0, "0"), (1234.0, "1,234"), (0.3333, "0.333"),
    (1.8e12, "1.8e+12"), (0.0001, "0.0001"),
])
def test_format_number(x, text):
    assert format_number(x) == text


ROUND_TRIP_UNITS = ["FLOP", "TFLOP", "parameter", "token", "USD", "byte", "GiB", "day", "hour", "GPU",
                    "USD/GPU/hour", "GPU*hour", "cent/token", "dimensionless"]


@given(magnitude=st.floats(min_value=0, max_value=1e300, allow_nan=False, allow_infinity=False),
       unit=st.sampled_from(ROUND_TRIP_UNITS))
@example(magnitude=0.0049, unit="USD")
@example(magnitude=3.0, unit="cent/token")   # "3 ¢/token": pint cannot read the symbol it writes
@example(magnitude=1234.5, unit="byte")      # "1234.5 B": B after a space is a byte, not a billion
@example(magnitude=5e-324, unit="FLOP")
def test_parse_of_format_round_trips(magnitude, unit):
    # 17 significant digits identify every double; the parser reads what format_quantity writes.
    q = Q_(magnitude, unit)
    text = format_quantity(q, digits=17)
    back = parse_value(text).low
    assert back.units == q.units, text
    assert back.magnitude == q.magnitude, text
