"""Scaling-law formulas against Hoffmann et al. (2022) and Besiroglu et al. (2024), plus properties.

Published:
* Hoffmann et al. (2022), "Training Compute-Optimal Large Language Models", arXiv:2203.15556:
  Table 3 (Approach 1: FLOPs and tokens for model sizes), section 4 (Chinchilla: 70B on 1.4T
  tokens, the Gopher budget 5.76e23 FLOPs), Table 2 (Approach 3 exponents a = 0.46, b = 0.54),
  Figure 4 ("We project the optimal model size given the Gopher FLOP budget to be 40B parameters"),
  Appendix D.3 Table A3 (Approach 3 projections).
* Besiroglu, Erdil, Barnett & You (2024), "Chinchilla Scaling: A replication attempt",
  arXiv:2404.10102: refit a = beta/(alpha+beta) = 0.5126; their estimates are "consistent with the
  scaling policy used for Chinchilla" (~20 tokens per parameter), Hoffmann's printed fit is not.
"""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gpt4leak.formulas import scaling
from gpt4leak.units import Q_, UnitError

GOPHER_BUDGET = 5.76e23  # Hoffmann et al. (2022) section 4 / Figure 2 caption: Gopher's (and Chinchilla's) FLOPs

# Table 3 (Approach 1): parameters -> (FLOPs, tokens), as printed
HOFFMANN_TABLE_3 = [
    (400e6, 1.92e19, 8.0e9),
    (1e9, 1.21e20, 20.2e9),
    (10e9, 1.23e22, 205.1e9),
    (67e9, 5.76e23, 1.5e12),
    (175e9, 3.85e24, 3.7e12),
    (280e9, 9.90e24, 5.9e12),
    (520e9, 3.43e25, 11.0e12),
    (1e12, 1.27e26, 21.2e12),
    (10e12, 1.30e28, 216.2e12),
]

# Table A3 (Approach 3 column): parameters -> tokens, as printed
HOFFMANN_TABLE_A3_APPROACH_3_TOKENS = [
    (400e6, 9.2e9), (1e9, 27.1e9), (10e9, 410.1e9), (67e9, 4.1e12), (175e9, 12.0e12),
    (280e9, 20.1e12), (520e9, 43.5e12), (1e12, 94.1e12), (10e12, 1425.5e12),
]


# ---------------------------------------------------------------- the ~20 tokens-per-parameter rule
@pytest.mark.parametrize("params, flop, tokens", HOFFMANN_TABLE_3)
def test_twenty_tokens_per_param_matches_table_3(params, flop, tokens):
    # Table 3 gives 20.0 to 22.4 tokens per parameter; the rule of thumb is its lower edge.
    ratio = tokens / scaling.chinchilla_tokens(params)
    assert 1.0 <= ratio < 1.125
    # and the table's FLOPs column is 6 N D (to the rounding of its token column, 5%)
    assert scaling.FLOP_PER_PARAM_TOKEN * params * tokens == pytest.approx(flop, rel=0.05)


def test_chinchilla_70b_on_1_4t_tokens():
    # Section 4: "a model on the larger end of this range -- 70B parameters -- for 1.4T tokens"
    assert scaling.chinchilla_tokens(70e9) == pytest.approx(1.4e12)
    q = scaling.chinchilla_tokens(Q_(70, "Gparameter"))
    assert q.to("Ttoken").magnitude == pytest.approx(1.4)
    assert scaling.chinchilla_tokens(70e9, 25) == pytest.approx(1.75e12)


# ---------------------------------------------------------------- Approach 3, closed form
def _exponent_a(method):
    n1, _ = scaling.compute_optimal(1e22, method)
    n2, _ = scaling.compute_optimal(1e23, method)
    return math.log10(n2 / n1)


def test_table_2_approach_3_exponents_need_the_unrounded_constants():
    # Table 2, Approach 3: a = 0.46, b = 0.54. The unrounded fit gives 0.4565 -> 0.46; the printed,
    # rounded constants give 0.28/0.62 = 0.4516 -> 0.45 (Besiroglu et al.'s rounding point).
    assert round(_exponent_a("hoffmann2022_unrounded"), 2) == 0.46
    assert round(1 - _exponent_a("hoffmann2022_unrounded"), 2) == 0.54
    assert round(_exponent_a("hoffmann2022"), 2) == 0.45
    assert _exponent_a("hoffmann2022") == pytest.approx(0.28 / 0.62, rel=1e-9)


def test_besiroglu_2024_exponent_a():
    # Besiroglu et al. (2024): a = beta / (alpha + beta) = 0.5126
    assert _exponent_a("besiroglu2024") == pytest.approx(0.5126, abs=5e-5)


def test_figure_4_forty_billion_at_the_gopher_budget():
    # Figure 4: "We project the optimal model size given the Gopher FLOP budget to be 40B parameters."
    n, d = scaling.compute_optimal(GOPHER_BUDGET, "hoffmann2022_unrounded")
    assert round(n / 1e9) == 40
    # the printed constants put it at 32B instead (Besiroglu et al.: the rounding biases predictions)
    n_rounded, _ = scaling.compute_optimal(GOPHER_BUDGET, "hoffmann2022")
    assert n_rounded / 1e9 == pytest.approx(32.2, abs=0.1)


def test_besiroglu_refit_agrees_with_chinchilla_at_its_budget():
    # The refit is "consistent with the scaling policy used for Chinchilla": at 5.76e23 FLOPs it
    # puts the optimum near Table 3's 67B / Chinchilla's 70B, at about 20 tokens per parameter.
    n, d = scaling.compute_optimal(GOPHER_BUDGET, "besiroglu2024")
    assert n == pytest.approx(70e9, rel=0.1)
    assert n == pytest.approx(67e9, rel=0.1)
    assert 15 < d / n < 25
    # Hoffmann's printed Approach-3 fit does not: it wants far more tokens per parameter
    n_h, d_h = scaling.compute_optimal(GOPHER_BUDGET, "hoffmann2022")
    assert d_h / n_h > 50


@pytest.mark.parametrize("params, tokens", HOFFMANN_TABLE_A3_APPROACH_3_TOKENS)
def test_table_a3_approach_3_from_the_unrounded_constants(params, tokens):
    # Table A3 was computed with constants more precise than any the paper prints. The unrounded fit
    # reproduces its token column within 20% over five orders of magnitude of model size; the printed
    # constants miss by 50% or more from 1B parameters up.
    flop = scaling.optimal_flop_for_params(params, "hoffmann2022_unrounded")
    d = flop / (scaling.FLOP_PER_PARAM_TOKEN * params)
    assert d == pytest.approx(tokens, rel=0.20)
    if params >= 1e9:
        flop_r = scaling.optimal_flop_for_params(params, "hoffmann2022")
        assert flop_r / (6 * params) > 1.5 * tokens


def test_table_a3_flop_column_where_it_is_not_a_typo():
    # Table A3 prints 1.71e+24 FLOPs for 67B (4.1T tokens): 6 x 67e9 x 4.1e12 = 1.65e24. Its 175B row
    # prints 1.26e+24 next to 12.0T tokens, where 6 N D = 1.26e25: a typo by a factor of 10.
    assert scaling.optimal_flop_for_params(67e9, "hoffmann2022_unrounded") == pytest.approx(1.71e24, rel=0.05)


def test_chinchilla_beats_gopher_at_the_same_budget_under_every_fit():
    # Section 4: Chinchilla (70B, 1.4T tokens) outperforms Gopher (280B, 300B tokens), same FLOPs.
    for method in scaling.FITS:
        assert scaling.chinchilla_loss(70e9, 1.4e12, method) < scaling.chinchilla_loss(280e9, 300e9, method)


def test_chinchilla_loss_by_hand():
    # eq. (10): 1.69 + 406.4 / (70e9)^0.34 + 410.7 / (1.4e12)^0.28
    by_hand = 1.69 + 406.4 / 70e9 ** 0.34 + 410.7 / 1.4e12 ** 0.28
    assert scaling.chinchilla_loss(70e9, 1.4e12) == pytest.approx(by_hand, rel=1e-12)
    assert 1.69 < by_hand < 2.0
    loss = scaling.chinchilla_loss(Q_(70e9, "parameter"), Q_(1.4, "Ttoken"))
    assert loss.to("dimensionless").magnitude == pytest.approx(by_hand, rel=1e-12)


# ---------------------------------------------------------------- properties
budgets = st.floats(1e18, 1e28)
methods = st.sampled_from(sorted(scaling.FITS))


@given(budgets, methods)
def test_compute_optimal_spends_the_budget(c, method):
    n, d = scaling.compute_optimal(c, method)
    assert 6 * n * d == pytest.approx(c, rel=1e-12)


@given(budgets, methods, st.floats(0.5, 2.0).filter(lambda x: abs(x - 1) > 1e-3))
def test_compute_optimal_minimises_loss_on_the_iso_flop_curve(c, method, k):
    n, d = scaling.compute_optimal(c, method)
    best = scaling.chinchilla_loss(n, d, method)
    other = scaling.chinchilla_loss(k * n, d / k, method)  # same 6ND = C, other split
    assert other > best


@given(budgets, methods)
def test_optimal_flop_inverts_compute_optimal(c, method):
    n, _ = scaling.compute_optimal(c, method)
    assert scaling.optimal_flop_for_params(n, method) == pytest.approx(c, rel=1e-9)


@given(st.lists(budgets, min_size=1, max_size=20), methods)
def test_vectorised_equals_scalar(cs, method):
    arr = np.array(cs)
    n, d = scaling.compute_optimal(arr, method)
    for i, c in enumerate(cs):
        ns, ds = scaling.compute_optimal(c, method)
        assert n[i] == pytest.approx(ns, rel=1e-12) and d[i] == pytest.approx(ds, rel=1e-12)
    loss = scaling.chinchilla_loss(n, d, method)
    assert np.allclose(loss, [scaling.chinchilla_loss(a, b, method) for a, b in zip(n, d)], rtol=1e-12)
    bare_n, _ = scaling.compute_optimal.bare(arr, method)
    assert np.allclose(bare_n, n, rtol=1e-12)


def test_quantities_in_and_out():
    n, d = scaling.compute_optimal(Q_(2.15e25, "FLOP"), "besiroglu2024")
    assert n.units == Q_(1, "parameter").units and d.units == Q_(1, "token").units
    assert (6 * n.magnitude * d.magnitude) == pytest.approx(2.15e25)
    assert scaling.optimal_flop_for_params(Q_(1.8, "Tparameter")).to("FLOP").magnitude > 0


def test_custom_fit_is_accepted():
    mine = scaling.ScalingLawFit("equal_exponents", E=1.8, A=400.0, B=400.0, alpha=0.3, beta=0.3,
                                 citation="a toy fit with alpha = beta")
    n, d = scaling.compute_optimal(6e20, mine)
    # alpha = beta and A = B: G = 1, N = D = sqrt(C/6) = 1e10
    assert n == pytest.approx(1e10) and d == pytest.approx(1e10)


# ---------------------------------------------------------------- bad input
def test_unknown_method_lists_the_known_ones():
    with pytest.raises(ValueError, match="besiroglu2024"):
        scaling.compute_optimal(1e24, "kaplan2020")


@pytest.mark.parametrize("call, exc, match", [
    (lambda: scaling.compute_optimal(0), ValueError, "flop_budget"),
    (lambda: scaling.compute_optimal(-1e24), ValueError, "flop_budget"),
    (lambda: scaling.compute_optimal(Q_(1e24, "token")), UnitError, "flop_budget"),
    (lambda: scaling.chinchilla_tokens(Q_(70e9, "token")), UnitError, "params"),
    (lambda: scaling.chinchilla_loss(70e9, 0), ValueError, "tokens"),
    (lambda: scaling.chinchilla_loss(np.array([1e9, np.nan]), 1e12), ValueError, "params"),
    (lambda: scaling.ScalingLawFit("bad", E=1, A=1, B=1, alpha=-0.3, beta=0.3, citation=""), ValueError, "alpha"),
])
def test_bad_input_is_named(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_compute_optimal_by_ratio_is_chinchilla():
    """Hoffmann et al. 2022: Chinchilla, 70B parameters on 1.4T tokens, is compute-optimal for Gopher's budget
    of 5.76e23 FLOP (Table 1 and sec. 4); at 20 tokens per parameter, N = sqrt(C / 120)."""
    from gpt4leak.formulas import scaling as S
    n, d = S.compute_optimal_by_ratio(5.76e23)
    assert n == pytest.approx(69.3e9, rel=0.01) and d == pytest.approx(1.39e12, rel=0.01)
    assert 6 * n * d == pytest.approx(5.76e23, rel=1e-12)
    n, d = S.compute_optimal_by_ratio(Q_(5.76e23, "FLOP"))
    assert n.to("parameter").magnitude == pytest.approx(69.3e9, rel=0.01)


def test_compute_optimal_range_over_the_published_fits():
    """Chinchilla's budget (5.76e23 FLOP, Hoffmann et al. 2022 Table 1) gives 70B inside the range; the leak's
    2.15e25 spans about 210B (Approach 3, unrounded) to 462B (Besiroglu et al. 2024)."""
    from gpt4leak.formulas import scaling as S
    lo, hi = S.compute_optimal_params_range(5.76e23)
    assert lo < 70e9 < hi
    lo, hi = S.compute_optimal_params_range(2.15e25)
    assert float(lo) == pytest.approx(210e9, rel=0.02) and float(hi) == pytest.approx(462e9, rel=0.02)
