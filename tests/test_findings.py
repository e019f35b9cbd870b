"""Findings (issue "The faces a reader meets", item 1): every result in exactly one finding, alarms first in each
section, claims quoted as their words give them."""

from __future__ import annotations

import pytest

import gpt4leak as gl
from gpt4leak.findings import CLASS_ORDER, VERDICT_ORDER, claimed_as_written, findings
from gpt4leak.records import Claim


@pytest.fixture(scope="module")
def rep():
    return gl.check_all(samples=2_000, robust=False)


def test_every_result_is_in_exactly_one_finding(rep):
    seen = [r.id for f in findings(rep) for r in f.results]
    assert sorted(seen) == sorted(r.id for r in rep.results)


def test_a_finding_groups_only_results_that_say_the_same_thing(rep):
    for f in findings(rep):
        assert {(r.check_id, r.subject, r.scenario, r.verdict, r.result_class) for r in f.results} == \
            {(f.check_id, f.subject, f.scenario, f.verdict, f.result_class)}
        assert len({bool(r.borrowed) for r in f.results}) == 1


def test_sections_in_class_order_and_alarms_first_within_each(rep):
    fs = findings(rep)
    sections = [(2 if f.lent and f.result_class in CLASS_ORDER[:2] else
                 CLASS_ORDER.index(f.result_class) + (CLASS_ORDER.index(f.result_class) >= 2)) for f in fs]
    assert sections == sorted(sections)
    for s in set(sections):
        ranks = [VERDICT_ORDER.index(f.verdict) for f, sec in zip(fs, sections) if sec == s]
        assert ranks == sorted(ranks)


def test_the_headline_findings_each_appear_once_in_the_terminal(rep):
    text = " ".join(rep.to_table(80).split())
    for f in findings(rep, verdicts=("unit_slip", "contradiction", "tension")):
        assert text.count(f"{f.sentence} [{f.check_id}]") == 1


def _claim(value, qualifier, quantity="total_params"):
    return Claim(id="x.c", source="x", quantity=quantity, value=value, qualifier=qualifier, quote="q")


@pytest.mark.parametrize("value, qualifier, quantity, text", [
    ("1.8 trillion parameters", "approximately", "total_params", "~1.8T params"),
    ("90 to 100 days", "between", "training_days", "90 to 100 days"),
    ("$100 million", "more_than", "training_cost", "more than $100M"),
    ("$63 million", "approximately", "training_cost", "~$63M"),
    ("32% to 36%", "between", "mfu", "32 to 36%"),
    ("$0.0049 per 1k tokens", "approximately", "inference_cost_per_1k_tokens", "~$0.0049 per 1k tokens"),
    ("2.15e25 FLOP", "approximately", "training_flop", "~2.15e25 FLOP"),
    ("25000 GPUs", "exact", "n_gpus", "25,000 GPUs"),
    ("2", "exact", "chinchilla_token_ratio", "2x"),
    ("10", "more_than", "size_ratio_to_gpt3", "more than 10x"),
])
def test_claims_are_quoted_as_their_words_give_them(value, qualifier, quantity, text):
    assert claimed_as_written(_claim(value, qualifier, quantity)) == text


def test_a_unit_slip_quotes_the_number_as_written(rep):
    [f] = [f for f in findings(rep, verdicts=("unit_slip",)) if f.check_id == "flops.forward_vs_active"]
    assert f.sentence.startswith("Forward FLOPs per token 560 TFLOP as written (peleg2023) is a unit slip: "
                                 "first principles give 56")
    assert "GFLOP" in f.sentence and "(off by 1000x)" in f.sentence
