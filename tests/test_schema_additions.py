"""Schema additions for sources the leak catalogue did not need (issue "Any source, any model", item 5).

Each addition loads, refuses its bad forms and round-trips through the loader.
"""

from __future__ import annotations

import datetime as dt

import pytest
from pint.errors import DimensionalityError

import gpt4leak as gl
from gpt4leak.catalogue import CatalogueError
from gpt4leak.units import UnitError, parse_quantity, parse_value


# ---- the parser: money in letters, big words, petaflop-days, spelled-out numbers ----------------------------------
@pytest.mark.parametrize("text, value, unit", [
    ("$225m", 225e6, "USD"),                          # press style
    ("$1.5bn", 1.5e9, "USD"),
    ("$63mn", 63e6, "USD"),
    ("2 quadrillion FLOP", 2e15, "FLOP"),
    # OpenAI, "AI and Compute" (2018) and Brown et al. 2020 Table D.1: GPT-3 175B took 3.64e3 petaflop/s-days,
    # 3.14e23 FLOP
    ("3,640 petaflop/s-days", 3640 * 1e15 * 86400, "FLOP"),
    ("3640 PF-days", 3640 * 1e15 * 86400, "FLOP"),
    ("3640 petaflop-days", 3640 * 1e15 * 86400, "FLOP"),
    ("eight thousand GPUs", 8000, "GPU"),             # Huang, GTC 2024, spoken
    ("twenty-five thousand GPUs", 25000, "GPU"),
    ("ninety days", 90, "day"),
    ("one hundred million tokens", 1e8, "token"),
    ("a hundred days", 100, "day"),
])
def test_more_ways_to_write_a_number(text, value, unit):
    assert parse_quantity(text).to(unit).magnitude == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("text, low, high", [("1.8T to 2T parameters", 1.8e12, 2e12),
                                             ("90 to 110 trillion parameters", 90e12, 110e12),
                                             ("$60M to $65M", 60e6, 65e6)])
def test_a_range_whose_ends_carry_their_own_multiplier(text, low, high):
    """Before, "1.8T to 2T" multiplied the first end twice (1.8e24) and was refused as low > high."""
    v = parse_value(text)
    assert (v.low.magnitude, v.high.magnitude) == (pytest.approx(low), pytest.approx(high))


def test_gpt3_compute_in_petaflop_days_matches_its_flop():
    """Brown et al. 2020 Table D.1: 3.64E+03 PF-days = 3.14E+23 FLOP for GPT-3 175B."""
    assert parse_quantity("3.64e3 petaflop/s-days").to("FLOP").magnitude == pytest.approx(3.14e23, rel=2e-3)


@pytest.mark.parametrize("text", ["$225 m parameters per GPU s", "225m", "tenfold GPUs", "twentyfive GPUs",
                                  "eight-thousand-ish GPUs", "petaflops"])
def test_what_is_still_refused(text):
    with pytest.raises((UnitError, DimensionalityError)):
        q = parse_value(text)
        q.low.to("USD")  # "225m" alone is metres, never money: a dimension error where money is expected


# ---- month-only dates ------------------------------------------------------------------------------------------
def _source(tmp_path, date):
    path = tmp_path / "s.yaml"
    path.write_text(f"source: {{id: s, title: t, url: 'https://e.org', language: en, kind: press, date: '{date}'}}\n")
    return gl.load_catalogue(path).source("s")


@pytest.mark.parametrize("written, date, precision", [("2023-07", dt.date(2023, 7, 1), "month"),
                                                      ("2023", dt.date(2023, 1, 1), "year"),
                                                      ("2023-07-11", dt.date(2023, 7, 11), "day")])
def test_a_month_or_a_year_is_a_date_with_its_precision(tmp_path, written, date, precision):
    s = _source(tmp_path, written)
    assert (s.date, s.date_precision) == (date, precision)
    again = gl.records.Source.model_validate(s.model_dump())  # round trip
    assert (again.date, again.date_precision) == (date, precision)


@pytest.mark.parametrize("written", ["2023-13", "2023-7-1x", "July 2023"])
def test_a_bad_partial_date_is_refused(tmp_path, written):
    with pytest.raises(CatalogueError) as e:
        _source(tmp_path, written)
    assert any(p[2] == "date" for p in e.value.problems)


# ---- denied figures ----------------------------------------------------------------------------------------------
DENIED = """\
sources:
  - {id: rumour, title: A rumour, url: 'https://e.org/r', language: en, kind: rumour}
  - {id: maker, title: The maker's answer, url: 'https://e.org/m', language: en, kind: official}
  - {id: paper, title: The paper, url: 'https://e.org/p', language: en, kind: published}
claims:
  - {id: rumour.total, source: rumour, quantity: total_params, value: 100T parameters, qualifier: approximately,
     quote: 100 trillion}
  - {id: maker.total, source: maker, quantity: total_params, value: 100T parameters, qualifier: denied,
     quote: "complete bullshit", notes: the maker denies the rumour's figure}
  - {id: paper.total, source: paper, quantity: total_params, value: 1.8T parameters, qualifier: approximately,
     quote: 1.8T}
"""


def test_a_denied_figure_loads_and_is_never_evidence(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text(DENIED)
    cat = gl.load_catalogue(path)
    c = cat.claim("maker.total")
    assert c.qualifier == "denied" and c.interval.low == c.interval.high == 100e12 and "denied" in c.interval.rule
    rep = gl.check_all(cat, samples=500)
    assert all("maker.total" not in r.compared_claims for r in rep.results)
    # the rumour and the paper are still compared: the denial takes nothing else away
    assert any({"rumour.total", "paper.total"} <= r.compared_claims for r in rep.results)


def test_denied_reads_the_written_range(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text(DENIED.replace("value: 100T parameters, qualifier: denied", "value: 90T to 110T parameters, "
                                                                              "qualifier: denied"))
    c = gl.load_catalogue(path).claim("maker.total")
    assert (c.interval.low, c.interval.high) == (90e12, 110e12)


# ---- words are not tokens ----------------------------------------------------------------------------------------
WORDS = """\
sources:
  - {id: x, title: t, url: 'https://e.org', language: en, kind: rumour}
claims:
  - {id: x.words, source: x, quantity: training_words, value: 9.8 trillion words, qualifier: approximately, quote: q}
  - {id: x.tokens, source: x, quantity: training_tokens, value: 13T tokens, qualifier: approximately, quote: q}
"""


def test_a_word_count_becomes_tokens_through_the_tokenizer_assumption(tmp_path):
    """OpenAI's rule of thumb, 1 token ~ 3/4 words: 9.8T words (+-0.05T) x 1.33 = 13.0T tokens, against 13T."""
    path = tmp_path / "w.yaml"
    path.write_text(WORDS)
    [r] = gl.check_all(gl.load_catalogue(path), only=["data.tokens_from_words"], samples=2000).results
    assert r.derived_low == pytest.approx(9.75e12 * 1.33) and r.derived_high == pytest.approx(9.85e12 * 1.33)
    assert r.verdict == "consistent" and ("data.tokens_per_word", "1.33 token/word") == r.assumptions[0][:2]


def test_words_are_never_read_as_tokens(tmp_path):
    path = tmp_path / "w.yaml"
    path.write_text(WORDS.replace("quantity: training_words, value: 9.8 trillion words",
                                  "quantity: training_tokens, value: 9.8 trillion words"))
    with pytest.raises(CatalogueError) as e:
        gl.load_catalogue(path)
    assert [p[2] for p in e.value.problems] == ["value"] and "word" in e.value.problems[0][3]
