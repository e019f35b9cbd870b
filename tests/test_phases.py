"""Phased runs: a run stated only as parts (issue "Any source, any model", item 5).

PaLM 540B, Appendix B: "We trained PaLM-540B on 6144 TPU v4 chips for 1200 hours and 3072 TPU v4 chips for 336
hours including some downtime and repeated steps." The paper states no total. A phase scenario declares
``part_of: main``; the loader sums the run's GPU-hours from each source that gives every part, and the checks
read the sum like any claim of the run (implied MFU, cost, agreement with another source's total).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpt4leak as gl
from gpt4leak.catalogue import CatalogueError, default_catalogue_path

SAMPLES = 2_000
PALM = default_catalogue_path() / "controls" / "palm_540b.yaml"
SOURCE = ("sources:\n  - {id: x, title: t, author: a, outlet: o, date: 2024-01-01, url: 'https://e.org', "
          "citation: c, language: en, kind: published}\n")
PHASES = ("subjects:\n  - {id: model-x, name: Model X}\n"
          "scenarios:\n  - {id: part_a, kind: phase, description: First part., part_of: main}\n"
          "  - {id: part_b, kind: phase, description: Second part., part_of: main}\n")


def _claim(cid, key, value, scenario, qualifier="exact"):
    return (f"  - {{id: {cid}, source: x, subject: model-x, quantity: {key}, value: '{value}', "
            f"qualifier: {qualifier}, scenario: {scenario}, quote: q}}\n")


def _load(tmp_path, claims, head=PHASES):
    path = tmp_path / "c.yaml"
    path.write_text(SOURCE + head + "claims:\n" + "".join(claims), encoding="utf-8")
    return gl.load_catalogue(path)


def _total(cat):
    return [c for c in cat.claims if c.is_phase_total]


# --------------------------------------------------------------------------- PaLM, as the paper states it
def test_palm_gpu_hours_are_the_sum_of_its_two_phases():
    cat = gl.load_catalogue(PALM)
    [total] = _total(cat)
    assert (total.id, total.scenario, total.quantity) == ("chowdhery2022.main.phases_gpu_hours", "main",
                                                          "training_gpu_hours")
    # 6144 x 1200 h + 3072 x 336 h = 8,404,992 chip-hours; "1200 hours" is read as +- 50 h, "336" as +- 0.5 h
    assert total.interval.low == pytest.approx(6144 * 1150 + 3072 * 335.5)
    assert total.interval.high == pytest.approx(6144 * 1250 + 3072 * 336.5)
    assert set(total.derived_from) == {"chowdhery2022.phase_6144.n_gpus", "chowdhery2022.phase_6144.training_days",
                                       "chowdhery2022.phase_3072.n_gpus", "chowdhery2022.phase_3072.training_days"}
    assert "6144 TPU v4 chips for 1200 hours" in total.quote and "states no total" in total.notes
    assert cat.file_of(total.id).endswith("palm_540b.yaml")


def test_palm_mfu_from_its_phases_agrees_with_table_3():
    """Table 3: 46.2 % MFU. 2.56e24 FLOP (Table 22) over 8,404,992 chip-hours at 275 TFLOP/s (TPU v4 bf16) is
    30.8 % of all wall-clock chip-hours, which hold "some downtime and repeated steps": the span up to a goodput
    share (0.55) reaches 56 %, so 46.2 % agrees."""
    rep = gl.check_all(PALM, only=["flops.implied_mfu_from_gpu_hours"], samples=SAMPLES, robust=False)
    [r] = [r for r in rep.results if r.input_claims[0].id == "chowdhery2022.training_flop"
           and r.target_claim.id == "chowdhery2022.mfu"]
    assert r.verdict == "consistent"
    assert "chowdhery2022.main.phases_gpu_hours" in {c.id for c in r.input_claims}
    by_hand = 2.56e24 / (8_404_992 * 3600 * 275e12)
    assert by_hand == pytest.approx(0.3077, abs=1e-4)
    assert r.derived_low < by_hand < r.derived_high and r.derived_high == pytest.approx(
        2.56e24 / ((6144 * 1150 + 3072 * 335.5) * 3600 * 275e12) / 0.55, rel=0.01)


def test_a_mistyped_phase_is_caught_through_the_sum():
    """The guard must break: 12,000 hours instead of 1,200 puts the implied MFU near 3 %, against 46.2 %."""
    cat = gl.load_catalogue(PALM)
    rep = gl.check_all(cat, claims={"chowdhery2022.phase_6144.training_days": "12000 hours"},
                       only=["flops.implied_mfu_from_gpu_hours"], samples=SAMPLES, robust=False)
    palm = [r for r in rep.results if r.input_claims[0].id == "chowdhery2022.training_flop"
            and r.target_claim.id == "chowdhery2022.mfu"]
    assert palm and all(r.verdict == "contradiction" for r in palm)


def test_overriding_a_phase_moves_the_total():
    cat = gl.load_catalogue(PALM)
    new = cat.claim("chowdhery2022.phase_3072.n_gpus").model_copy(update={"value": "6144 GPUs"})
    new = type(new).model_validate(new.model_dump())
    [total] = _total(cat.replace(claims=[new]))
    assert total.interval.low == pytest.approx(6144 * 1150 + 6144 * 335.5)


# --------------------------------------------------------------------------- the schema
def test_a_phase_stating_gpu_hours_counts_them_directly(tmp_path):
    cat = _load(tmp_path, [_claim("x.a_gpus", "n_gpus", "1000 GPUs", "part_a"),
                           _claim("x.a_days", "training_days", "10 days", "part_a"),
                           _claim("x.b_hours", "training_gpu_hours", "50000 GPU hours", "part_b")])
    [total] = _total(cat)
    assert total.interval.low == total.interval.high == 1000 * 240 + 50_000
    assert total.qualifier == "exact" and total.subject == "model-x"


def test_a_source_missing_a_phase_gives_no_total(tmp_path):
    cat = _load(tmp_path, [_claim("x.a_gpus", "n_gpus", "1000 GPUs", "part_a"),
                           _claim("x.a_days", "training_days", "10 days", "part_a"),
                           _claim("x.b_gpus", "n_gpus", "500 GPUs", "part_b")])
    assert _total(cat) == []


def test_bounds_give_no_total(tmp_path):
    cat = _load(tmp_path, [_claim("x.a_gpus", "n_gpus", "1000 GPUs", "part_a", "at_most"),
                           _claim("x.a_days", "training_days", "10 days", "part_a"),
                           _claim("x.b_hours", "training_gpu_hours", "50000 GPU hours", "part_b")])
    assert _total(cat) == []


@pytest.mark.parametrize("scenarios, words", [
    ("  - {id: s, kind: serving, description: d, part_of: main}\n", "only a phase"),
    ("  - {id: s, kind: phase, description: d, part_of: s}\n", "part of itself"),
    ("  - {id: s, kind: phase, description: d, part_of: mian}\n", "did you mean 'main'?"),
    ("  - {id: s, kind: phase, description: d, part_of: t}\n  - {id: t, kind: phase, description: d, part_of: main}\n",
     "is itself part of 'main'"),
])
def test_a_bad_part_of_is_refused_naming_the_scenario(tmp_path, scenarios, words):
    with pytest.raises(CatalogueError) as e:
        _load(tmp_path, [_claim("x.a", "n_layers", "12", "main")], head="subjects:\n  - {id: model-x, name: X}\n"
              "scenarios:\n" + scenarios)
    assert any(rid == "s" and fld == "part_of" and words in msg for _, rid, fld, msg in e.value.problems), \
        e.value.problems


def test_part_of_is_in_the_json_schema():
    props = gl.catalogue_schema()["$defs"]["Scenario"]["properties"]
    assert "part_of" in props and props["part_of"]["description"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 50_000), st.integers(1, 2_000)), min_size=1, max_size=5))
def test_the_total_is_the_sum_of_gpus_times_hours(tmp_path_factory, phases):
    head = "subjects:\n  - {id: model-x, name: X}\nscenarios:\n" + "".join(
        f"  - {{id: p{i}, kind: phase, description: d, part_of: main}}\n" for i in range(len(phases)))
    claims = [c for i, (n, h) in enumerate(phases)
              for c in (_claim(f"x.p{i}_gpus", "n_gpus", f"{n} GPUs", f"p{i}"),
                        _claim(f"x.p{i}_hours", "training_days", f"{h} hours", f"p{i}"))]
    [total] = _total(_load(tmp_path_factory.mktemp("p"), claims, head))
    assert total.interval.low == pytest.approx(sum(n * h for n, h in phases))
    assert total.interval.high == total.interval.low
