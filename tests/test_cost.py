"""Cost formulas against published training-cost and utilisation figures, plus properties.

Published:
* DeepSeek-AI (2024), "DeepSeek-V3 Technical Report", arXiv:2412.19437, section 1 and Table 1:
  H800 GPU-hours per stage and their cost "assuming the rental price of the H800 GPU is $2 per
  GPU hour"; "each trillion tokens requires only 180K H800 GPU hours, i.e., 3.7 days on our
  cluster with 2048 H800 GPUs".
* Chowdhery et al. (2022), "PaLM", section 4 / Appendix B: PaLM 540B at 238.3K tokens/s on 6144
  TPU v4 chips has MFU 45.7% without self-attention (46.2% with); Megatron-Turing NLG 530B at
  65.43K tokens/s on 2240 A100s has 29.7% without self-attention.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gpt4leak import hardware as hw
from gpt4leak.formulas import cost
from gpt4leak.units import Q_, UnitError

DAY = 86_400.0
HOUR = 3_600.0

# ---------------------------------------------------------------- published: DeepSeek-V3 Table 1
# stage: (H800 GPU hours, USD at $2/GPU-hour), as printed
DEEPSEEK_V3_TABLE_1 = {
    "pre-training": (2664e3, 5.328e6),
    "context extension": (119e3, 0.238e6),
    "post-training": (5e3, 0.01e6),
    "total": (2788e3, 5.576e6),
}
DEEPSEEK_GPUS = 2048  # "our cluster with 2048 H800 GPUs" (section 3.1)


@pytest.mark.parametrize("stage", list(DEEPSEEK_V3_TABLE_1))
def test_deepseek_v3_table_1_costs(stage):
    hours, usd = DEEPSEEK_V3_TABLE_1[stage]
    seconds = hours / DEEPSEEK_GPUS * HOUR  # the stage's wall-clock on the 2048-GPU cluster
    assert cost.gpu_hours(DEEPSEEK_GPUS, seconds) == pytest.approx(hours)
    assert cost.run_cost(DEEPSEEK_GPUS, seconds, 2.0) == pytest.approx(usd)
    # and back: the money buys that wall-clock
    assert cost.implied_seconds_from_cost(usd, DEEPSEEK_GPUS, 2.0) == pytest.approx(seconds)


def test_deepseek_v3_180k_gpu_hours_is_3_7_days_on_2048_gpus():
    # "180K H800 GPU hours, i.e., 3.7 days on our cluster with 2048 H800 GPUs": both are rounded,
    # 2048 GPUs x 3.7 days = 181,862 GPU-hours, within the 1% that "3.7" carries.
    assert cost.gpu_hours(DEEPSEEK_GPUS, 3.7 * DAY) == pytest.approx(180e3, rel=0.011)
    seconds = cost.implied_seconds_from_cost(180e3 * 2.0, DEEPSEEK_GPUS, 2.0)
    assert seconds / DAY == pytest.approx(3.7, abs=0.05)
    # "our pre-training stage is completed in less than two months and costs 2664K GPU hours"
    pretrain_days = cost.implied_seconds_from_cost(5.328e6, DEEPSEEK_GPUS, 2.0) / DAY
    assert 50 < pretrain_days < 61


def test_deepseek_v3_with_quantities():
    usd = cost.run_cost(Q_(2048, "GPU"), Q_(2788e3 / 2048, "hour"), Q_(2, "USD/GPU/hour"))
    assert usd.to("MUSD").magnitude == pytest.approx(5.576)
    hours = cost.gpu_hours(Q_(2048, "GPU"), Q_(3.7, "day"))
    assert hours.to("GPU*hour").magnitude == pytest.approx(2048 * 3.7 * 24)


# ---------------------------------------------------------------- published: PaLM Appendix B MFU
def test_palm_540b_mfu_without_self_attention():
    # 238.3K tokens/s x 6 x 540B FLOP/token over 6144 TPU v4 chips at 275 TFLOP/s = 45.7%
    mfu = cost.implied_utilisation(238.3e3, 6 * 540e9, 6144, hw.GPUS["tpu_v4"].peak("bf16"))
    assert mfu == pytest.approx(0.457, abs=0.0005)


def test_palm_540b_mfu_with_self_attention():
    # PaLM Appendix B: model FLOPs per token 6N + 12 L H Q T; Table 1: L=118, H=48, Q=256; T=2048;
    # N = 540.35B (Table 1 of PaLM gives 540.35B parameters). Published: 46.2%.
    flop_per_token = 6 * 540.35e9 + 12 * 118 * 48 * 256 * 2048
    mfu = cost.implied_utilisation(Q_(238.3e3, "token/s"), Q_(flop_per_token, "FLOP"), Q_(6144, "GPU"),
                                   hw.peak_flop_per_s("TPU v4"))
    assert mfu.to("dimensionless").magnitude == pytest.approx(0.462, abs=0.0005)


def test_megatron_turing_530b_mfu_from_palm_appendix_b():
    # 65.43K tokens/s on 2240 A100s at 312 TFLOP/s, 6 x 530B FLOP/token: 29.77%, printed 29.7%.
    mfu = cost.implied_utilisation(65.43e3, 6 * 530e9, 2240, hw.peak_flop_per_s("A100").magnitude)
    assert 0.297 <= mfu < 0.298


# ---------------------------------------------------------------- cost per token
def test_cost_per_token_worked_example():
    # 128 GPUs at $1/GPU-hour cost $128/hour = 0.035556 $/s; at 10,000 tokens/s that is
    # 3.5556e-6 $/token = $0.0035556 per 1k tokens (written out by hand).
    assert cost.cost_per_token(128, 1.0, 10_000) == pytest.approx(128 / 3600 / 10_000)
    assert cost.cost_per_1k_tokens(128, 1.0, 10_000) == pytest.approx(0.0035556, rel=1e-4)
    q = cost.cost_per_1k_tokens(Q_(128, "GPU"), Q_(1, "USD/GPU/hour"), Q_(10, "ktoken/s"))
    assert q.to("USD/ktoken").magnitude == pytest.approx(0.0035556, rel=1e-4)
    assert q.to("USD/token").magnitude == pytest.approx(3.5556e-6, rel=1e-4)


def test_implied_tokens_per_second_reads_a_price_per_1k_tokens():
    # The leak's "$0.0049 per 1k tokens" on 128 GPUs at $1/GPU-hour: 128/3600/4.9e-6 = 7256 tokens/s.
    r = cost.implied_tokens_per_second(Q_(0.0049, "USD/ktoken"), Q_(128, "GPU"), Q_(1, "USD/GPU/hour"))
    assert r.to("token/s").magnitude == pytest.approx(128 / 3600 / 4.9e-6)
    # cents are money too: 0.49 cent per 1k tokens is the same price
    r2 = cost.implied_tokens_per_second(Q_(0.49, "cent/ktoken"), 128, 1.0)
    assert r2.to("token/s").magnitude == pytest.approx(r.to("token/s").magnitude)


# ---------------------------------------------------------------- properties
counts = st.floats(1, 1e6)
durations = st.floats(1, 1e9)
prices = st.floats(0.01, 100)
factors = st.floats(0.01, 100)


@given(counts, durations, prices, factors)
def test_cost_is_linear_in_gpus_and_time(n, t, p, k):
    base = cost.run_cost(n, t, p)
    assert cost.run_cost(k * n, t, p) == pytest.approx(k * base, rel=1e-12)
    assert cost.run_cost(n, k * t, p) == pytest.approx(k * base, rel=1e-12)
    assert cost.run_cost(n, t, k * p) == pytest.approx(k * base, rel=1e-12)


@given(counts, st.floats(0.01, 1000), prices)
def test_days_and_hours_give_the_same_cost(n, days, p):
    a = cost.run_cost(Q_(n, "GPU"), Q_(days, "day"), Q_(p, "USD/GPU/hour"))
    b = cost.run_cost(Q_(n, "GPU"), Q_(24 * days, "hour"), Q_(p, "USD/GPU/hour"))
    c = cost.run_cost(n, days * DAY, p)
    assert a.to("USD").magnitude == pytest.approx(b.to("USD").magnitude, rel=1e-12)
    assert a.to("USD").magnitude == pytest.approx(c, rel=1e-12)


@given(counts, prices, st.floats(1e-3, 1e7))
def test_cost_per_token_and_implied_throughput_round_trip(n, p, tps):
    c = cost.cost_per_token(n, p, tps)
    assert cost.implied_tokens_per_second(c, n, p) == pytest.approx(tps, rel=1e-9)
    assert cost.cost_per_1k_tokens(n, p, tps) == pytest.approx(1000 * c, rel=1e-12)


@given(counts, durations, prices)
def test_cost_and_implied_seconds_round_trip(n, t, p):
    assert cost.implied_seconds_from_cost(cost.run_cost(n, t, p), n, p) == pytest.approx(t, rel=1e-9)


@given(st.lists(st.tuples(counts, durations, prices), min_size=1, max_size=20))
def test_vectorised_equals_scalar(rows):
    n, t, p = (np.array(col) for col in zip(*rows))
    vec = cost.run_cost(n, t, p)
    assert isinstance(vec, np.ndarray) and vec.shape == n.shape
    assert np.allclose(vec, [cost.run_cost(*r) for r in rows], rtol=1e-12, atol=0)
    vec_tok = cost.cost_per_token(n, p, t)
    assert np.allclose(vec_tok, [cost.cost_per_token(a, c, b) for a, b, c in rows], rtol=1e-12, atol=0)


def test_broadcasting_over_a_price_grid():
    prices_grid = np.array([0.5, 1.0, 2.0])
    out = cost.run_cost(25_000, 95 * DAY, prices_grid)
    assert out.shape == (3,)
    assert out[1] == pytest.approx(25_000 * 95 * 24)  # $57M at $1/GPU-hour, by hand


def test_bare_kernels_skip_the_boundary():
    assert cost.run_cost.bare(2, 3600, 1.5) == pytest.approx(3.0)
    assert cost.gpu_hours.bare(np.array([1, 2]), 7200).tolist() == [2.0, 4.0]


# ---------------------------------------------------------------- bad input
def test_wrong_unit_is_named():
    with pytest.raises(UnitError, match=r"run_cost\(seconds=\.\.\.\)"):
        cost.run_cost(Q_(8, "GPU"), Q_(3, "USD"), 1.0)
    with pytest.raises(UnitError, match="price_per_gpu_hour"):
        cost.run_cost(8, 3600, Q_(2, "USD/hour/token"))
    with pytest.raises(UnitError, match="peak_flop_per_s"):
        cost.implied_utilisation(1e3, 1e12, 8, Q_(312, "TFLOP"))


@pytest.mark.parametrize("call, match", [
    (lambda: cost.run_cost(-1, 3600, 1.0), "n_gpus"),
    (lambda: cost.run_cost(8, float("nan"), 1.0), "seconds"),
    (lambda: cost.cost_per_token(8, 1.0, 0), "tokens_per_second"),
    (lambda: cost.implied_tokens_per_second(0, 8, 1.0), "cost_per_token"),
    (lambda: cost.implied_seconds_from_cost(100, 0, 1.0), "n_gpus"),
    (lambda: cost.implied_utilisation(1e3, 1e12, 8, 0), "peak_flop_per_s"),
    (lambda: cost.gpu_hours(np.array([1.0, -2.0]), 10), "n_gpus"),
])
def test_bad_values_are_named(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_text_is_refused_with_a_hint():
    with pytest.raises(UnitError, match=r"n_gpus=.*text"):
        cost.run_cost("25,000", 3600, 1.0)


def test_gross_margin_of_the_leaks_cost_under_the_gpt4_8k_prices():
    """The leak's $0.0049 per 1k tokens against OpenAI's March 2023 GPT-4 (8K) list prices, $0.03 per 1k prompt
    and $0.06 per 1k completion tokens: margins 1 - 0.0049 / 0.03 = 83.7 % and 1 - 0.0049 / 0.06 = 91.8 %."""
    from gpt4leak.formulas import cost as C
    assert C.gross_margin(0.0049e-3, 0.03e-3) == pytest.approx(0.83667, rel=1e-4)
    assert C.gross_margin(Q_(0.0049, "USD/kilotoken"), Q_(0.06, "USD/kilotoken")).to("percent").magnitude \
        == pytest.approx(91.833, rel=1e-4)
    assert C.gross_margin(0.08, 0.06) < 0  # sold below cost


def test_the_margin_relation_through_the_engine(tmp_path):
    import gpt4leak as gl
    text = ("sources:\n  - {id: leak, title: t, url: 'https://e.org/l', language: en, kind: leak}\n"
            "  - {id: openai, title: Pricing, url: 'https://e.org/p', language: en, kind: official}\n"
            "claims:\n"
            "  - {id: leak.cost, source: leak, quantity: inference_cost_per_1k_tokens, scenario: inference,"
            " value: '$0.0049 per 1k tokens', qualifier: exact, quote: q}\n"
            "  - {id: openai.prompt, source: openai, quantity: api_price_prompt_per_1k_tokens,"
            " value: '$0.03 per 1k tokens', qualifier: exact, quote: q}\n"
            "  - {id: openai.completion, source: openai, quantity: api_price_completion_per_1k_tokens,"
            " value: '$0.06 per 1k tokens', qualifier: exact, quote: q}\n")
    path = tmp_path / "c.yaml"
    path.write_text(text)
    rep = gl.check_all(gl.load_catalogue(path), only=["inference.gross_margin_prompt",
                                                       "inference.gross_margin_completion"], samples=500)
    got = {r.check_id: r for r in rep.results}
    assert got["inference.gross_margin_prompt"].derived_median == pytest.approx(1 - 0.0049 / 0.03)
    assert got["inference.gross_margin_completion"].derived_median == pytest.approx(1 - 0.0049 / 0.06)
    assert {r.borrowed for r in rep.results} == {("openai.prompt",), ("openai.completion",)}
    assert {r.verdict for r in rep.results} == {"info"}
