"""Tests of gpt4leak.records and gpt4leak.uncertainty: typed records and the wording -> interval rules.

Published: the intervals below are the rule table of claims/README.md ("Uncertainty from wording")
applied by hand to the leak's own wording (Yam Peleg's post, claims/documents/001_692e88825a9d1787.txt,
and its Chinese digest 000_bb4b112566be49e8.txt): "~1.8 trillion" -> [1.75T, 1.85T], "~25,000 A100s"
-> [24,500, 25,500], "90 to 100 days" -> [90, 100] days, "more than 10x" -> [10, inf).
Regression: the round trip of every catalogue record through model_dump / model_validate.
Bad input: each rule names the field at fault (the loader prints it as file: id: field: message).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from pydantic import ValidationError

import gpt4leak
from gpt4leak.catalogue import CatalogueFile
from gpt4leak.records import Assumption, Claim, Source
from gpt4leak.uncertainty import RULES, Interval, interval_for, sample_interval

INF = math.inf


def claim(**kw) -> Claim:
    base = dict(id="peleg2023.x", source="peleg2023", quote="q")
    return Claim.model_validate({**base, **kw})


def errors_of(fn, *a, **kw) -> list[dict]:
    with pytest.raises(ValidationError) as info:
        fn(*a, **kw)
    return info.value.errors()


@pytest.fixture(scope="module")
def catalogue():
    return gpt4leak.load_catalogue()


# =========================================================================== wording -> interval
# (quantity, value, qualifier, half_width, low, high [base unit of the quantity], rule key), by hand.
INTERVALS = [
    # 001 "a total of ~1.8 trillion parameters": +-0.05T
    ("total_params", "1.8 trillion parameters", "approximately", None, 1.75e12, 1.85e12, "approximately"),
    # 001 "on ~25,000 A100s": +-500
    ("n_gpus", "25,000 A100s", "approximately", None, 24_500, 25_500, "approximately"),
    # 001 "a batch size of 60 million": +-5 million
    ("batch_tokens", "60 million tokens", "approximately", None, 55e6, 65e6, "approximately"),
    # 001 "~2.15e25": +-0.005e25
    ("training_flop", "2.15e25 FLOP", "approximately", None, 2.145e25, 2.155e25, "approximately"),
    # 001 "$0.0049 cents per 1k tokens" read as dollars: 4.9e-6 +- 0.05e-6 USD/token
    ("inference_cost_per_1k_tokens", "$0.0049 per 1k tokens", "approximately", None, 4.85e-6, 4.95e-6,
     "approximately"),
    # 000 "每 1,000 个 token 0.0049 美分": cents, 100 times less
    ("inference_cost_per_1k_tokens", "0.0049 美分 per 1k token", "approximately", None, 4.85e-8, 4.95e-8,
     "approximately"),
    # a stated half-width wins over the digits
    ("total_params", "1.8 trillion parameters", "approximately", "0.2 trillion parameters", 1.6e12, 2.0e12,
     "approximately_stated"),
    # 001 "120 layers": a point
    ("n_layers", "120 layers", "exact", None, 120, 120, "exact"),
    # 001 "for 90 to 100 days": uniform on the range as written, in days
    ("training_days", "90 to 100 days", "between", None, 90, 100, "between"),
    # 001 "at about 32% to 36% MFU": "about" a range is the range
    ("mfu", "32% to 36%", "approximately", None, 0.32, 0.36, "between"),
    # 001 "GPT-4 is more than 10x the size of GPT-3": a lower bound
    ("size_ratio_to_gpt3", "10", "more_than", None, 10, INF, "more_than"),
    ("n_gpus", "8 GPU", "at_least", None, 8, INF, "at_least"),
    # an upper bound
    ("training_cost", "$63 million", "at_most", None, 0, 63e6, "at_most"),
    ("training_cost", "$63 million", "less_than", None, 0, 63e6, "less_than"),
]


@pytest.mark.parametrize("quantity, value, qualifier, half_width, low, high, rule", INTERVALS,
                         ids=[f"{r[2]}:{r[1]}" for r in INTERVALS])
def test_each_qualifier_gives_the_documented_interval(quantity, value, qualifier, half_width, low, high, rule):
    c = claim(quantity=quantity, value=value, qualifier=qualifier, half_width=half_width)
    iv = c.interval
    assert iv.low == pytest.approx(low, rel=1e-12)
    assert iv.high == pytest.approx(high, rel=1e-12)
    assert iv.rule == RULES[rule] == c.rule
    assert iv.unit == gpt4leak.quantities.QUANTITIES[quantity].unit
    assert iv.bounded == (math.isfinite(low) and math.isfinite(high))


@pytest.mark.parametrize("qualifier, magnitude", [
    ("exact", 120), ("more_than", 120), ("at_least", 120), ("at_most", 120), ("less_than", 120),
])
def test_magnitude_is_the_written_number_for_points_and_bounds(qualifier, magnitude):
    assert claim(quantity="n_layers", value="120 layers", qualifier=qualifier).magnitude == magnitude


def test_magnitude_of_a_range_is_its_midpoint():
    c = claim(quantity="training_days", value="90 to 100 days", qualifier="between")
    assert c.magnitude == 95
    assert c.quantity_value.to("day").magnitude == 95
    assert c.written.to("day").magnitude == 90  # the low end, in the unit the text wrote


def test_interval_for_directly():
    assert interval_for("exact", 5, 5, 0.5, None, "GPU") == Interval(5, 5, "GPU", RULES["exact"])
    assert interval_for("approximately", 5, 5, 0.5, None, "GPU") == Interval(4.5, 5.5, "GPU",
                                                                             RULES["approximately"])
    assert interval_for("approximately", 5, 5, 0.5, 2, "GPU") == Interval(3, 7, "GPU",
                                                                          RULES["approximately_stated"])
    assert interval_for("between", 1, 2, 0.5, None, "day").rule == RULES["between"]
    assert interval_for("more_than", 1, 1, 0.5, None, "day") == Interval(1, INF, "day", RULES["more_than"])
    assert interval_for("at_most", 3, 3, 0.5, None, "day") == Interval(0.0, 3, "day", RULES["at_most"])
    with pytest.raises(ValueError, match="unknown qualifier 'roughly'"):
        interval_for("roughly", 1, 1, 0.5, None, "day")


# =========================================================================== samplers
def test_seeded_generator_gives_identical_draws():
    iv = claim(quantity="training_days", value="90 to 100 days", qualifier="between").interval
    a = iv.sample(np.random.default_rng(2023), 1000)
    b = iv.sample(np.random.default_rng(2023), 1000)
    c = iv.sample(np.random.default_rng(2024), 1000)
    assert a.tobytes() == b.tobytes()
    assert not np.array_equal(a, c)


@pytest.mark.parametrize("row", [r for r in INTERVALS if math.isfinite(r[5])], ids=lambda r: f"{r[2]}:{r[1]}")
def test_samples_lie_inside_the_interval(row):
    quantity, value, qualifier, half_width, *_ = row
    iv = claim(quantity=quantity, value=value, qualifier=qualifier, half_width=half_width).interval
    s = iv.sample(np.random.default_rng(7), 2000)
    assert s.shape == (2000,)
    assert np.all(s >= iv.low) and np.all(s <= iv.high)
    if iv.low == iv.high:
        assert np.all(s == iv.low)
    else:  # uniform: the sample spreads over the whole interval
        assert s.min() < iv.low + 0.05 * (iv.high - iv.low) and s.max() > iv.high - 0.05 * (iv.high - iv.low)


@pytest.mark.parametrize("qualifier", ["more_than", "at_least"])
def test_unbounded_intervals_refuse_to_sample(qualifier):
    iv = claim(quantity="size_ratio_to_gpt3", value="10", qualifier=qualifier).interval
    with pytest.raises(ValueError, match="cannot sample the unbounded interval"):
        sample_interval(iv, np.random.default_rng(0), 10)


# =========================================================================== bad records: the field is named
# (fields of a claim, error location, words of the message)
TP = dict(quantity="total_params", value="1.8T parameters")
BAD_CLAIMS = [
    (dict(TP, value="1.8T tokens", qualifier="approximately"), "value", "convertible to 'parameter'"),
    (dict(TP, quantity="total_parameters", qualifier="approximately"), "quantity", "unknown quantity key"),
    (dict(quantity="attention_kind", value="1", label="multi-query", qualifier="exact"), "value", "qualitative"),
    (dict(quantity="attention_kind", qualifier="exact"), "label", "needs a 'label'"),
    (dict(quantity="total_params", label="about 1.8T", qualifier="approximately"), "value", "needs a 'value'"),
    (dict(quantity="n_gpus", value="-25,000 GPU", qualifier="exact"), "value", "negative"),
    (dict(TP, value="nan parameter", qualifier="exact"), "value", "not a finite number"),
    (dict(quantity="training_flop", value="1e400 FLOP", qualifier="exact"), "value", "not finite"),
    (dict(quantity="training_days", value="100 to 90 days", qualifier="between"), "value", "low > high"),
    (dict(quantity="training_days", value="90 to 100 days", qualifier="more_than"), "qualifier",
     "needs qualifier 'between'"),
    (dict(quantity="training_days", value="90 days", qualifier="between"), "qualifier", "needs a range"),
    (dict(TP, value="~1.8T parameters", qualifier="exact"), "qualifier", "the value says 'approximately'"),
    (dict(quantity="n_experts", value="16.5 experts", qualifier="exact"), "value", "must be whole"),
    (dict(TP, qualifier="approximately", half_width="5 days"), "half_width", "convertible to 'parameter'"),
    (dict(TP, qualifier="roughly"), "qualifier", "Input should be"),
    (dict(TP, qualifier="exact", unit="parameter"), "unit", "Extra inputs"),
    (dict(TP, qualifier="exact", quote=""), "quote", "at least 1 character"),
    (dict(TP, qualifier="exact", id="Peleg 2023"), "id", "pattern"),
]


@pytest.mark.parametrize("fields, loc, words", BAD_CLAIMS, ids=[f"{r[1]}:{r[2]}" for r in BAD_CLAIMS])
def test_bad_claim_names_the_field(fields, loc, words):
    errs = errors_of(claim, **fields)
    assert [e["loc"] for e in errs] == [(loc,)], errs
    assert words in errs[0]["msg"]


def test_the_field_is_located_inside_a_file_too():
    # The schema model of a whole file keeps the path to the record: claims -> 1 -> value.
    good = dict(id="peleg2023.a", source="peleg2023", quantity="n_layers", value="120", qualifier="exact", quote="q")
    bad = {**good, "id": "peleg2023.b", "value": "1.8T tokens"}
    errs = errors_of(CatalogueFile.model_validate, {"claims": [good, bad]})
    assert [e["loc"] for e in errs] == [("claims", 1, "value")]


def test_source_needs_a_locator():
    errs = errors_of(Source.model_validate, dict(id="x2023", title="t", language="en", kind="leak"))
    assert [e["loc"] for e in errs] == [("url",)]
    assert "url, a citation or a document" in errs[0]["msg"]


@pytest.mark.parametrize("fields, loc", [
    (dict(value="several USD"), "value"),
    (dict(value="1 USD/GPU/hour", plausible="0.6 to 4.1 GPU"), "plausible"),
    (dict(value="1e400 USD/GPU/hour"), "value"),
])
def test_bad_assumption_names_the_field(fields, loc):
    base = dict(id="price.a100_hour", description="d", source="s")
    errs = errors_of(Assumption.model_validate, {**base, **fields})
    assert [e["loc"] for e in errs] == [(loc,)]


def test_assumption_plausible_range_in_the_value_unit():
    a = Assumption(id="price.a100_hour", value="1 USD/GPU/hour", description="d", source="s",
                   plausible="0.6 to 4.1 USD/GPU/hour")
    low, high = a.plausible_range
    assert (low.magnitude, high.magnitude) == (0.6, 4.1)
    assert a.quantity_value.to("USD/GPU/hour").magnitude == 1


def test_records_are_frozen():
    c = claim(quantity="n_layers", value="120 layers", qualifier="exact")
    with pytest.raises(ValidationError):
        c.value = "96 layers"


def test_qualitative_claim_has_no_interval():
    c = claim(quantity="attention_kind", label="multi-query", qualifier="exact")
    assert not c.is_quantitative and c.rule is None
    with pytest.raises(ValueError, match="'peleg2023.x' is qualitative"):
        c.interval
    assert c.describe() == "peleg2023.x: multi-query"


def test_describe_and_html_repr():
    c = claim(quantity="training_days", value="90 to 100 days", qualifier="between", quote="90 <to> 100 days")
    assert c.describe() == f"peleg2023.x: training_days = 90 to 100 days ({RULES['between']})"
    assert str(c) == c.describe()
    html = c._repr_html_()
    assert "90 &lt;to&gt; 100 days" in html and "<to>" not in html


# =========================================================================== round trip of every record
def test_every_record_round_trips_through_model_dump(catalogue):
    records = (*catalogue.sources, *catalogue.claims, *catalogue.assumptions)
    assert len(records) > 250
    broken = [r.id for r in records if type(r).model_validate(r.model_dump()).model_dump() != r.model_dump()]
    assert broken == []


def test_every_record_round_trips_through_json(catalogue):
    records = (*catalogue.sources, *catalogue.claims, *catalogue.assumptions)
    broken = [r.id for r in records
              if type(r).model_validate_json(r.model_dump_json()).model_dump_json() != r.model_dump_json()]
    assert broken == []


def test_round_trip_keeps_the_interval(catalogue):
    """A record alone keeps its wording's interval; in a catalogue, a claim computed from others is widened to
    their precision (gpt4leak.catalogue._inherit_precision), so its interval contains the record's own."""
    for c in catalogue.claims:
        back = Claim.model_validate(c.model_dump())
        if c.is_quantitative and not c.derived_from:
            assert back.interval == c.interval, c.id
        elif c.is_quantitative:
            assert c.interval.low <= back.interval.low and back.interval.high <= c.interval.high, c.id
