"""Domains of claims and assumptions (issue "Bad input never becomes a wrong number", item 3, second pass).

Found by the adversarial sweep: a zero claim became "ratio inf" under a contradiction; 1e300 days became an MFU of
0 %; a negative, zero or absurd --assume ran; "at most 1.5" was read as 1.5.
"""

from __future__ import annotations

import warnings

import pytest

import gpt4leak as gl
from gpt4leak.checks import OverrideError
from gpt4leak.quantities import QUANTITIES, ZERO_ALLOWED

SAMPLES = 300


@pytest.mark.parametrize("cid, value", [
    ("peleg2023.mfu", "0%"), ("peleg2023.epochs_text", "0"), ("peleg2023.n_kv_heads", "0"),
    ("peleg2023.chinchilla_token_ratio", "0"), ("peleg2023.tokens_per_expert_batch", "0 tokens"),
    ("peleg2023.inference_cost_ratio_to_davinci", "0"),
])
def test_a_zero_figure_is_refused_by_name(cid, value):
    with pytest.raises(OverrideError, match=r"of zero says nothing"):
        gl.check_all(claims={cid: value}, samples=SAMPLES)


def test_zero_is_allowed_only_where_it_means_something():
    assert ZERO_ALLOWED <= set(QUANTITIES)
    for key in ZERO_ALLOWED:  # counts of optional parts, shares and margins
        assert "n_" in key or "fraction" in key or "epochs" in key or "margin" in key or "ratio" in key \
            or "target" in key, key


@pytest.mark.parametrize("cid, value", [("peleg2023.training_days", "1e300 days"),
                                        ("peleg2023.training_tokens", "1e308 tokens")])
def test_a_magnitude_beyond_belief_is_refused(cid, value):
    with pytest.raises(OverrideError, match="beyond belief"):
        gl.check_all(claims={cid: value}, samples=SAMPLES)


def test_a_large_but_believable_figure_runs_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rep = gl.check_all(claims={"peleg2023.training_tokens": "1e30 tokens"}, samples=SAMPLES, only=["flops."])
    assert rep.results


@pytest.mark.parametrize("aid, value, words", [
    ("arch.ffn_ratio", "-4", "must be positive"),
    ("price.a100_hour", "-1 USD/GPU/hour", "must be positive"),
    ("hw.a100_40gb_sxm.peak_bf16", "0 TFLOP/s/GPU", "must be positive"),
    ("train.kernel_mfu", -0.5, "must be positive"),
    ("price.a100_hour", "100 USD/GPU/hour", "outside its plausible range"),
    ("arch.ffn_ratio", "1000", "outside its plausible range"),
    ("price.a100_hour", "at most 1.5 USD/GPU/hour", "is a bound"),
    ("price.a100_hour", "more than 1.5 USD/GPU/hour", "is a bound"),
])
def test_an_assumption_override_is_checked_like_an_assumption(aid, value, words):
    with pytest.raises(OverrideError, match=words):
        gl.check_all(assumptions={aid: value}, samples=SAMPLES)


def test_an_override_inside_the_range_runs():
    rep = gl.check_all(assumptions={"price.a100_hour": "2 USD/GPU/hour"}, samples=SAMPLES, only=["inference."])
    assert any(a[0] == "price.a100_hour" and "override" in a[1] for r in rep.results for a in r.assumptions)


def test_a_claim_override_error_reads_as_one_line():
    with pytest.raises(OverrideError) as e:
        gl.check_all(claims={"peleg2023.mfu": "340%"}, samples=SAMPLES)
    assert "\n" not in str(e.value) and "type=" not in str(e.value) and "100 %" in str(e.value)


@pytest.mark.parametrize("qualifier, value, half_width", [
    ("exact", "90 days", "1 day"), ("between", "90 to 100 days", "1 day"),
    ("approximately", "90 days", "1 to 5 days"), ("approximately", "90 days", "more than 1 day"),
])
def test_a_half_width_widens_one_approximate_value_only(tmp_path, qualifier, value, half_width):
    from gpt4leak.catalogue import CatalogueError
    path = tmp_path / "c.yaml"
    path.write_text("sources:\n  - {id: x, title: t, url: 'https://e.org', language: en, kind: rumour}\n"
                    f"claims:\n  - {{id: x.d, source: x, quantity: training_days, value: '{value}', "
                    f"qualifier: {qualifier}, half_width: '{half_width}', quote: q}}\n")
    with pytest.raises(CatalogueError) as e:
        gl.load_catalogue(path)
    assert [p[2] for p in e.value.problems] == ["half_width"]


def test_samples_must_be_a_whole_number_not_a_truth_value():
    with pytest.raises(ValueError, match="positive whole number"):
        gl.check_all(samples=True)
