"""Every quantity with a number is compared source against source (issue "Any source, any model", item 2).

Before, only training compute, training cost and total parameters were: two sources' GPU counts, days, layer
counts or expert counts were never set side by side.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

import gpt4leak as gl
from gpt4leak.checks import CHECKS
from gpt4leak.quantities import MODEL_KEYS, QUANTITIES

NUMERIC = sorted(k for k, s in QUANTITIES.items() if s.unit is not None and s.levels is None)
SOURCES = ("sources:\n"
           "  - {id: a, title: t, url: 'https://e.org/a', language: en, kind: published}\n"
           "  - {id: b, title: t, url: 'https://e.org/b', language: en, kind: estimate}\n"
           "subjects:\n  - {id: m, name: M}\n")


def test_every_numeric_key_has_an_agreement_check():
    agree = {c.target for c in CHECKS if c.id.startswith("agree.")}
    assert agree == set(NUMERIC)


def _value(key, x):
    unit = QUANTITIES[key].unit
    return f"{x:g} {'' if unit == 'dimensionless' else unit}".strip()


def _catalogue(tmp_path, key, xa, xb, scenario_a="main", scenario_b="main", name="c.yaml"):
    claim = ("  - {{id: {s}.x, source: {s}, subject: m, quantity: {k}, scenario: {scen}, value: '{v}', "
             "qualifier: exact, quote: q}}\n")
    text = SOURCES + "claims:\n" + claim.format(s="a", k=key, scen=scenario_a, v=_value(key, xa)) + claim.format(
        s="b", k=key, scen=scenario_b, v=_value(key, xb))
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return gl.load_catalogue(path)


def _agree(cat, key):
    return gl.check_all(cat, only=[f"agree.{key}"], samples=500, robust=False).results


# shares are fractions of a whole: keep them under 100 %; counts stay whole at every factor (64 x 1.5, 1.1 -> 70)
def _base(key):
    return 0.3 if QUANTITIES[key].share else 640.0


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(NUMERIC), st.sampled_from([1.0, 1.1, 1.5, 3.0]))
def test_two_sources_on_any_key_are_judged_by_the_identity(tmp_path_factory, key, factor):
    """Same figure: one reading both sources give (merged, no alarm); 10 %: consistent or tension; x1.5 or x3: an
    alarm (tension or contradiction)."""
    tmp = tmp_path_factory.mktemp("agree")
    x = _base(key)
    results = _agree(_catalogue(tmp, key, x, round(x * factor, 6)), key)
    if factor == 1.0:
        assert results == ()
        return
    [r] = results
    assert r.result_class == "claim vs other source"
    assert r.derived_median == pytest.approx(x)
    if factor == 1.1:
        assert r.verdict in ("consistent", "tension")
    else:  # an alarm; a FLOP figure 3x off may read as a slip of convention (forward vs training)
        assert r.is_alarm, r.verdict


def test_a_thousand_fold_gap_is_a_unit_slip_where_the_key_has_units(tmp_path):
    [r] = _agree(_catalogue(tmp_path, "training_flop", 2.15e25, 2.15e22), "training_flop")
    assert r.verdict == "unit_slip"


@pytest.mark.parametrize("key", ["n_gpus", "mfu", "batch_tokens", "training_days"])
def test_a_phase_is_not_compared_with_the_runs_setup(tmp_path, key):
    """A stage on 8,192 GPUs is not a disagreement with a run on 16,384: the run's setup is not the phase's."""
    x = _base(key)
    assert key not in MODEL_KEYS
    assert _agree(_catalogue(tmp_path, key, x, 2 * x, scenario_b="annealing"), key) == ()


@pytest.mark.parametrize("key", ["total_params", "n_layers", "d_model"])
def test_the_model_is_the_same_in_every_scenario(tmp_path, key):
    """The breaking case: a serving scenario's 530B model against the run's 540B model is still compared."""
    x = _base(key)
    assert key in MODEL_KEYS
    [r] = _agree(_catalogue(tmp_path, key, x, 2 * x, scenario_b="inference"), key)
    assert r.verdict in ("tension", "contradiction")
