"""Checks compose across sources (issue "Any source, any model", item 1).

Before, a relation ran only on one source's own inputs: a source that gave GPUs and days but no FLOPs was never
checked against the leak's FLOPs. Now a source's missing input is lent by the nearest other source (same root
first, then independent ones), named in the result and counted apart from the headline.
"""

from __future__ import annotations

import pytest

import gpt4leak as gl

SAMPLES = 2_000

SOURCES = """\
sources:
  - {id: leak, title: The leak, url: 'https://e.org/leak', language: en, kind: leak}
  - {id: retold, title: A retelling, url: 'https://e.org/retold', language: en, kind: derivative,
     derives_from: [{source: leak, relation: retelling}]}
  - {id: press, title: A press report, url: 'https://e.org/press', language: en, kind: rumour}
  - {id: analyst, title: An analyst, url: 'https://e.org/analyst', language: en, kind: estimate}
"""


def _claim(cid, source, key, value, scenario="main", qualifier="approximately", label=None):
    what = f"label: {label}" if label else f"value: '{value}'"
    return (f"  - {{id: {cid}, source: {source}, quantity: {key}, scenario: {scenario}, {what}, "
            f"qualifier: {'exact' if label else qualifier}, quote: q}}\n")


def _load(tmp_path, claims, extra=""):
    path = tmp_path / "c.yaml"
    path.write_text(SOURCES + extra + "claims:\n" + "".join(claims), encoding="utf-8")
    return gl.load_catalogue(path)


LEAK = [_claim("leak.flop", "leak", "training_flop", "2.15e25 FLOP"),
        _claim("leak.gpus", "leak", "n_gpus", "25,000 GPUs"),
        _claim("leak.days", "leak", "training_days", "90 to 100 days", qualifier="between"),
        _claim("leak.mfu", "leak", "mfu", "32% to 36%", qualifier="between"),
        _claim("leak.gpu", "leak", "gpu_model", None, label="A100")]


def _mfu(cat):
    return gl.check_all(cat, only=["flops.implied_mfu"], samples=SAMPLES).results


def test_a_source_without_flops_is_checked_with_anothers_flops(tmp_path):
    cat = _load(tmp_path, LEAK + [_claim("press.gpus", "press", "n_gpus", "10,000 GPUs", qualifier="exact"),
                                  _claim("press.days", "press", "training_days", "100 days", qualifier="exact")])
    [r] = [r for r in _mfu(cat) if r.id.startswith("flops.implied_mfu/press")]
    assert r.borrowed == ("leak.flop",) and "[leak.flop]" in r.id
    # 2.145e25 / (10,000 x 312e12 x 100 d) = 80 % over all the wall-clock: against the leak's 32-36 %, an alarm
    assert r.derived_low == pytest.approx(2.145e25 / (10_000 * 312e12 * 100 * 86400), rel=1e-3)
    assert r.verdict == "contradiction" and r.result_class == "claim vs other source"
    rep = gl.check_all(cat, samples=SAMPLES)
    assert rep.borrowing()["contradiction"] >= 1
    assert rep.headline() == rep.counts(("claim vs claim", "claim vs other source"), borrowed=False)
    assert "leak.flop" in [s.claim_id for s in r.support]  # independence follows the lent claim


def test_the_same_root_lends_first(tmp_path):
    """A retelling of the leak that lacks FLOPs takes the leak's, not the analyst's independent estimate."""
    cat = _load(tmp_path, LEAK + [_claim("analyst.flop", "analyst", "training_flop", "3e25 FLOP"),
                                  _claim("retold.gpus", "retold", "n_gpus", "20,000 GPUs"),
                                  _claim("retold.days", "retold", "training_days", "100 days")])
    lent = {r.borrowed for r in _mfu(cat) if r.id.startswith("flops.implied_mfu/retold")}
    assert lent == {("leak.flop",)}
    # an independent source lacking FLOPs takes the first in the catalogue's order: the leak, then estimates
    cat = _load(tmp_path, LEAK + [_claim("analyst.flop", "analyst", "training_flop", "3e25 FLOP"),
                                  _claim("press.gpus", "press", "n_gpus", "20,000 GPUs"),
                                  _claim("press.days", "press", "training_days", "100 days")])
    assert {r.borrowed for r in _mfu(cat) if r.id.startswith("flops.implied_mfu/press")} == {("leak.flop",)}


def test_lending_never_crosses_scenarios_for_a_runs_totals(tmp_path):
    """A phase on other GPUs does not take the main run's FLOPs from another source (nor from its own)."""
    extra = "scenarios:\n  - {id: stage_2, kind: phase, description: d}\n"
    cat = _load(tmp_path, LEAK + [_claim("press.gpus", "press", "n_gpus", "10,000 GPUs", scenario="stage_2"),
                                  _claim("press.days", "press", "training_days", "10 days", scenario="stage_2"),
                                  _claim("press.mfu", "press", "mfu", "40%", scenario="stage_2")], extra)
    assert [r.id for r in _mfu(cat) if r.scenario == "stage_2"] == []


def test_a_source_with_none_of_the_inputs_gets_no_instance(tmp_path):
    cat = _load(tmp_path, LEAK + [_claim("press.mfu", "press", "mfu", "50%")])
    assert [r.id for r in _mfu(cat) if r.id.split("/")[1].startswith("press")] == []
    # its MFU is still a target of the leak's own inputs
    assert any(r.target_claim.id == "press.mfu" and not r.borrowed for r in _mfu(cat))


def test_identities_and_what_ifs_do_not_borrow(tmp_path):
    cat = _load(tmp_path, LEAK + [_claim("press.gpus", "press", "n_gpus", "10,000 GPUs")])
    rep = gl.check_all(cat, samples=SAMPLES)
    assert all(not r.borrowed for r in rep.results if r.check_id.startswith("agree.") or r.result_class == "what-if")


def test_the_shipped_catalogue_checks_epochs_compute_against_the_leaks_run(tmp_path):
    """Epoch AI gives compute but no GPUs or days: its FLOPs meet the leak's 25,000 A100s for 90-100 days."""
    rep = gl.check_all(gl.load_catalogue(), only=["flops.implied_mfu"], samples=SAMPLES)
    lent = [r for r in rep.results if r.id.startswith("flops.implied_mfu/epoch_ai_models_gpt4") and r.scenario == "main"]
    assert lent and all(set(r.borrowed) == {"peleg2023.n_gpus", "peleg2023.training_days"} for r in lent)


def test_explain_and_json_name_the_lent_claims(tmp_path):
    import json

    from gpt4leak.report import explain
    cat = _load(tmp_path, LEAK + [_claim("press.gpus", "press", "n_gpus", "10,000 GPUs", qualifier="exact"),
                                  _claim("press.days", "press", "training_days", "100 days", qualifier="exact")])
    rep = gl.check_all(cat, only=["flops.implied_mfu"], samples=SAMPLES)
    [r] = [r for r in rep.results if r.borrowed]
    assert "lent by another source" in explain(r.id, cat, samples=SAMPLES) and "leak.flop" in explain(
        r.id, cat, samples=SAMPLES)
    [d] = [d for d in json.loads(rep.to_json()) if d["id"] == r.id]
    assert d["borrowed"] == ["leak.flop"] and d["keys"] == list(r.keys)


def test_a_family_name_is_read_as_its_default_part_and_says_so(tmp_path):
    """"8,000 Hopper GPUs" (NVIDIA's words): the figures are the H100 SXM's, and the result notes the Hopper range
    (H100 PCIe 756 to H100 SXM/H200/H800 989.4 TFLOP/s bf16)."""
    cat = _load(tmp_path, [_claim("press.flop", "press", "training_flop", "2.15e25 FLOP"),
                           _claim("press.gpus", "press", "n_gpus", "8,000 GPUs", qualifier="exact"),
                           _claim("press.days", "press", "training_days", "90 days", qualifier="exact"),
                           _claim("press.mfu", "press", "mfu", "40%"),
                           _claim("press.gpu", "press", "gpu_model", None, label="Hopper")])
    [r] = gl.check_all(cat, only=["flops.implied_mfu"], samples=SAMPLES).results
    assert r.assumptions[0][0] == "hw.h100_sxm.peak_bf16"
    assert any("the Hopper family" in n and "756 to 989.4 TFLOP/s (bf16)" in n for n in r.notes)
    # a part named as a part gets no such note
    cat = _load(tmp_path, [_claim("press.flop", "press", "training_flop", "2.15e25 FLOP"),
                           _claim("press.gpus", "press", "n_gpus", "8,000 GPUs", qualifier="exact"),
                           _claim("press.days", "press", "training_days", "90 days", qualifier="exact"),
                           _claim("press.mfu", "press", "mfu", "40%"),
                           _claim("press.gpu", "press", "gpu_model", None, label="H100 SXM")])
    [r] = gl.check_all(cat, only=["flops.implied_mfu"], samples=SAMPLES).results
    assert not any("family" in n for n in r.notes)
