"""Inference formulas against published numbers, a hand-computed roofline, and properties.

Published:
* Leviathan, Kalman & Matias (2023), "Fast Inference from Transformers via Speculative Decoding",
  ICML: eq. (1), Theorem 3.8, Corollary 3.9, Theorem 3.11, Table 1 (speed and operations for
  alpha/gamma pairs at c = c_hat = 0) and section 3.6 (bigram draft, alpha ~ 0.2, gamma = 3: 1.25X).
* Pope et al. (2022), "Efficiently Scaling Transformer Inference": PaLM 540B with int8 weights on
  64 TPU v4 chips decodes at 29 ms per token at low batch (abstract); a roofline is a lower bound.
* Llama-2-70B's config.json (meta-llama/Llama-2-70b-hf: hidden 8192, intermediate 28672, 80 layers,
  64 heads, 8 key-value heads, vocab 32000) on 8 x A100-80GB (A100 datasheet: 2,039 GB/s, 312 TF
  bf16): the roofline is worked out by hand below.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gpt4leak import hardware as hw
from gpt4leak.formulas import inference as inf
from gpt4leak.units import Q_, UnitError

# ---------------------------------------------------------------- Leviathan et al. (2023)
# Table 1: (alpha, gamma, operations, speed), "assuming c = c_hat = 0", printed to 2 decimals.
LEVIATHAN_TABLE_1 = [
    (0.6, 2, 1.53, 1.96),
    (0.7, 3, 1.58, 2.53),
    (0.8, 2, 1.23, 2.44),
    (0.8, 5, 1.63, 3.69),
    (0.9, 2, 1.11, 2.71),
    (0.9, 10, 1.60, 6.86),
]


@pytest.mark.parametrize("alpha, gamma, operations, speed", LEVIATHAN_TABLE_1)
def test_leviathan_table_1(alpha, gamma, operations, speed):
    assert inf.speculative_speedup(alpha, gamma, 0.0) == pytest.approx(speed, abs=0.005)
    assert inf.speculative_operations_factor(alpha, gamma, 0.0) == pytest.approx(operations, abs=0.005)
    # with c = 0 the speed-up is eq. (1), the expected tokens per run
    assert inf.speculative_expected_tokens(alpha, gamma) == pytest.approx(speed, abs=0.005)


def test_leviathan_eq_1_at_alpha_0_8_gamma_5():
    # (1 - 0.8^6) / (1 - 0.8) = (1 - 0.262144) / 0.2 = 3.68928, by hand
    assert inf.speculative_expected_tokens(0.8, 5) == pytest.approx(3.68928, rel=1e-12)


def test_leviathan_bigram_draft_section_3_6():
    # "with M_q being a trivial bigram model, we get alpha ~ 0.2 which leads to an inference speed
    # improvement factor of 1.25X with gamma = 3" (negligible-cost draft, c ~ 0)
    assert inf.speculative_speedup(0.2, 3, 0.0) == pytest.approx(1.25, abs=0.005)


@given(st.floats(0, 1), st.floats(0, 1))
def test_leviathan_corollary_3_9_gamma_1(alpha, c):
    # Theorem 3.8 at gamma = 1: (1 - alpha^2) / ((1 - alpha)(c + 1)) = (1 + alpha) / (1 + c)
    assert inf.speculative_speedup(alpha, 1, c) == pytest.approx((1 + alpha) / (1 + c), rel=1e-9)


def test_speculative_limits():
    assert inf.speculative_expected_tokens(1.0, 4) == 5.0  # every guess accepted: gamma + 1 tokens
    assert inf.speculative_expected_tokens(0.0, 4) == 1.0  # none accepted: the target's own token
    assert inf.speculative_expected_tokens(0.7, 0) == pytest.approx(1.0)  # no speculation
    # the negligible-cost bound 1/(1-alpha) of section 3.6, approached for large gamma
    assert inf.speculative_speedup(0.8, 200, 0.0) == pytest.approx(1 / (1 - 0.8), rel=1e-9)
    assert inf.speculative_speedup(0.0, 3, 0.05) == pytest.approx(1 / (1 + 3 * 0.05))


alphas = st.floats(0, 1)
gammas = st.integers(0, 32)
cs = st.floats(0, 1)


@given(alphas, alphas, gammas, cs)
def test_speculative_speedup_is_monotone_in_alpha(a1, a2, gamma, c):
    lo, hi = sorted((a1, a2))
    assert inf.speculative_speedup(lo, gamma, c) <= inf.speculative_speedup(hi, gamma, c) * (1 + 1e-12)


@given(alphas, gammas)
def test_expected_tokens_between_1_and_gamma_plus_1(alpha, gamma):
    e = inf.speculative_expected_tokens(alpha, gamma)
    assert 1 - 1e-12 <= e <= gamma + 1 + 1e-9


@given(st.lists(st.tuples(alphas, gammas, cs), min_size=1, max_size=20))
def test_speculative_vectorised_equals_scalar(rows):
    a, g, c = (np.array(col) for col in zip(*rows))
    vec = inf.speculative_speedup(a, g, c)
    assert np.allclose(vec, [inf.speculative_speedup(*r) for r in rows], rtol=1e-12, atol=0)
    assert np.allclose(inf.speculative_speedup.bare(a, g, c), vec, rtol=1e-12, atol=0)


@pytest.mark.parametrize("call, match", [
    (lambda: inf.speculative_speedup(1.2, 3, 0), "alpha"),
    (lambda: inf.speculative_speedup(-0.1, 3, 0), "alpha"),
    (lambda: inf.speculative_expected_tokens(0.5, 2.5), "gamma"),
    (lambda: inf.speculative_speedup(0.5, 3, float("nan")), "cost_ratio"),
    (lambda: inf.speculative_operations_factor(np.array([0.5, 1.5]), 3), "alpha"),
])
def test_speculative_bad_input_is_named(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# ---------------------------------------------------------------- roofline, Llama-2-70B by hand
# Parameters from config.json, counted by hand:
#   embeddings + untied LM head: 2 x 32000 x 8192                     =    524,288,000
#   per layer: q, o 8192x8192 each; k, v 8192x1024 each              =    150,994,944
#              SwiGLU 3 x 8192 x 28672                                =    704,643,072
#              two RMSNorms 2 x 8192                                  =         16,384
#   80 layers x 855,654,400                                           = 68,452,352,000
#   + final norm 8192                     total N                     = 68,976,648,192
LLAMA2_70B_PARAMS = 2 * 32000 * 8192 + 80 * (2 * 8192 * 8192 + 2 * 8192 * 1024 + 3 * 8192 * 28672 + 2 * 8192) + 8192
WEIGHT_BYTES = 2 * LLAMA2_70B_PARAMS            # bf16 weights: 137,953,296,384 bytes
KV_BYTES_PER_TOKEN = 2 * 80 * 8 * 128 * 2      # K and V x layers x kv heads x head dim x 2 bytes = 327,680
A100_80 = hw.GPUS["a100_80gb_sxm"]


def _flop_per_token(context):
    # 2 FLOP per weight, plus QK^T and AV over the context: 2 x 2 x layers x context x (64 x 128)
    return 2 * LLAMA2_70B_PARAMS + 4 * 80 * context * 64 * 128


def test_llama2_70b_numbers_written_out():
    assert LLAMA2_70B_PARAMS == 68_976_648_192
    assert WEIGHT_BYTES == 137_953_296_384
    assert KV_BYTES_PER_TOKEN == 327_680
    assert _flop_per_token(4096) == 148_690_714_624


def test_llama2_70b_batch_1_on_8_a100_80gb_is_memory_bound_at_8_54_ms():
    # bytes = 137,953,296,384 + 4096 x 327,680 = 139,295,473,664
    # memory time  = 139,295,473,664 / (8 x 2.039e12) = 8.5394 ms
    # compute time = 148,690,714,624 / (8 x 312e12)   = 0.0596 ms
    kv = 4096 * KV_BYTES_PER_TOKEN
    args = (WEIGHT_BYTES, kv, _flop_per_token(4096), 8, A100_80.hbm_bandwidth, A100_80.peak("bf16"))
    assert inf.decode_step_seconds(*args) == pytest.approx(139_295_473_664 / 16.312e12, rel=1e-12)
    assert inf.decode_step_seconds(*args) == pytest.approx(8.5394e-3, rel=1e-4)
    assert inf.decode_bound(*args) == "memory"
    # 1 / 8.5394 ms = 117.1 tokens/s for one sequence
    r = inf.decode_tokens_per_second(1, WEIGHT_BYTES, kv, _flop_per_token(4096), 8,
                                     A100_80.hbm_bandwidth, A100_80.peak("bf16"))
    assert r == pytest.approx(117.106, rel=1e-4)


def test_llama2_70b_turns_compute_bound_above_batch_160_at_context_128():
    # ridge: 312e12 / 2.039e12 = 153.02 FLOP/byte. At context 128 a sequence adds K = 41,943,040 bytes
    # and F = 138,288,840,704 FLOP per step. Balance: (W + bK) / bw = bF / peak
    #   b* = W / (F bw/peak - K) = 137,953,296,384 / (903,753,033 - 41,943,040) = 160.07
    ridge = inf.ridge_point(A100_80.hbm_bandwidth, A100_80.peak("bf16"))
    assert ridge == pytest.approx(153.016, rel=1e-5)
    k, f = 128 * KV_BYTES_PER_TOKEN, _flop_per_token(128)
    b_star = WEIGHT_BYTES / (f / ridge - k)
    assert b_star == pytest.approx(160.07, abs=0.01)

    def bound(b):
        return inf.decode_bound(WEIGHT_BYTES, b * k, b * f, 8, A100_80.hbm_bandwidth, A100_80.peak("bf16"))

    assert bound(160) == "memory" and bound(161) == "compute"
    # throughput flattens at n x peak / F once compute-bound
    r = inf.decode_tokens_per_second(np.array([1, 160, 10_000]), WEIGHT_BYTES, k, f, 8,
                                     A100_80.hbm_bandwidth, A100_80.peak("bf16"))
    assert r[2] == pytest.approx(8 * 312e12 / f, rel=1e-12)
    assert r[0] < r[1] < r[2]


def test_llama2_70b_at_4k_context_never_leaves_the_memory_roof():
    # A 4096-token sequence reads 1,342,177,280 KV bytes per step but brings only
    # 148.69e9 / 153.02 = 971.7e6 bytes' worth of FLOPs: adding sequences adds more memory time than
    # compute time, so no batch turns the step compute-bound.
    k, f = 4096 * KV_BYTES_PER_TOKEN, _flop_per_token(4096)
    batches = np.array([1, 64, 1024, 100_000])
    bounds = inf.decode_bound(WEIGHT_BYTES, batches * k, batches * f, 8, A100_80.hbm_bandwidth,
                              A100_80.peak("bf16"))
    assert list(bounds) == ["memory"] * 4


def test_llama2_70b_kv_capacity_on_8_a100_80gb():
    # 8 x 80 GB = 640e9 bytes; minus weights 137,953,296,384 leaves 502,046,703,616 bytes;
    # / 1,342,177,280 bytes per 4k-token sequence = 374.05 -> 374 sequences
    free = 8 * A100_80.hbm_bytes - WEIGHT_BYTES
    assert inf.max_batch_for_memory(free, 4096 * KV_BYTES_PER_TOKEN) == 374
    # weights alone on one 80 GB device: nothing fits
    assert inf.max_batch_for_memory(A100_80.hbm_bytes - WEIGHT_BYTES, KV_BYTES_PER_TOKEN) == 0


def test_palm_540b_int8_roofline_is_below_popes_29_ms():
    # Pope et al. (2022): 29 ms per token at low batch, PaLM 540B, int8 weights, 64 TPU v4 chips.
    # Roofline: 540.35e9 bytes / (64 x 1.2e12 byte/s) = 7.04 ms. A lower bound must not exceed
    # the measured latency, and should explain its order of magnitude (within 10x).
    tpu = hw.get_gpu("TPU v4")
    t = inf.decode_step_seconds(Q_(540.35e9, "byte"), Q_(0, "byte"), Q_(2 * 540.35e9, "FLOP"), Q_(64, "GPU"),
                                hw.memory_bandwidth(tpu), hw.peak_flop_per_s(tpu))
    ms = t.to("ms").magnitude
    assert ms == pytest.approx(540.35e9 / (64 * 1.2e12) * 1e3, rel=1e-12)
    assert 29 / 10 < ms < 29


# ---------------------------------------------------------------- properties of the roofline
pos = st.floats(1e3, 1e15)
step_args = st.tuples(pos, st.floats(0, 1e12), pos, st.floats(1, 1e4), st.floats(1e11, 1e13), st.floats(1e13, 1e16))


@given(step_args)
def test_step_time_is_the_larger_roof(args):
    w, k, f, n, bw, peak = args
    t = inf.decode_step_seconds(w, k, f, n, bw, peak)
    mem, comp = (w + k) / (n * bw), f / (n * peak)
    assert t == pytest.approx(max(mem, comp), rel=1e-12)
    assert inf.decode_bound(w, k, f, n, bw, peak) == ("memory" if mem >= comp else "compute")


@given(step_args, st.integers(1, 10_000), st.integers(1, 10_000))
def test_throughput_grows_with_batch_and_is_capped_by_peak(args, b1, b2):
    w, k, f, n, bw, peak = args
    lo, hi = sorted((b1, b2))
    r_lo, r_hi = (inf.decode_tokens_per_second(b, w, k, f, n, bw, peak) for b in (lo, hi))
    assert r_lo <= r_hi * (1 + 1e-12)
    assert r_hi <= n * peak / f * (1 + 1e-12)


@given(st.lists(step_args, min_size=1, max_size=20))
def test_roofline_vectorised_equals_scalar(rows):
    cols = [np.array(c) for c in zip(*rows)]
    vec = inf.decode_step_seconds(*cols)
    assert np.allclose(vec, [inf.decode_step_seconds(*r) for r in rows], rtol=1e-12, atol=0)
    assert list(inf.decode_bound(*cols)) == [inf.decode_bound(*r) for r in rows]


@given(st.floats(-1e12, 1e13), st.floats(1, 1e10))
def test_max_batch_is_the_floor(free, per_seq):
    b = inf.max_batch_for_memory(free, per_seq)
    assert isinstance(b, int) and b >= 0
    assert b * per_seq <= max(free, 0) * (1 + 1e-12)
    assert (b + 1) * per_seq > max(free, 0) * (1 - 1e-12)


def test_max_batch_vectorised():
    out = inf.max_batch_for_memory(np.array([10.0, 2.0, -5.0]), 3.0)
    assert out.dtype.kind == "i" and out.tolist() == [3, 0, 0]


def test_pipeline_token_latency():
    # 120 layers over 15 stages of 8 layers, 2 ms a stage, 0.1 ms per hand-off: 15 x 2 + 14 x 0.1 = 31.4 ms
    assert inf.pipeline_token_latency(2e-3, 15, 1e-4) == pytest.approx(31.4e-3)
    assert inf.pipeline_token_latency(Q_(2, "ms"), 15).to("ms").magnitude == pytest.approx(30)
    assert inf.pipeline_token_latency(2e-3, 1, 1.0) == pytest.approx(2e-3)  # one stage: no hand-off


# ---------------------------------------------------------------- bad input
def test_roofline_wrong_units_are_named():
    with pytest.raises(UnitError, match="hbm_bandwidth"):
        inf.decode_step_seconds(1e9, 0, 1e9, 8, Q_(2, "TB"), 312e12)
    with pytest.raises(UnitError, match="weight_bytes_read"):
        inf.decode_step_seconds(Q_(70e9, "parameter"), 0, 1e9, 8, 2e12, 312e12)


@pytest.mark.parametrize("call, match", [
    (lambda: inf.decode_step_seconds(1e9, 0, 1e9, 0, 2e12, 312e12), "n_gpus"),
    (lambda: inf.decode_step_seconds(-1e9, 0, 1e9, 8, 2e12, 312e12), "weight_bytes_read"),
    (lambda: inf.decode_tokens_per_second(0, 1e9, 1e6, 1e9, 8, 2e12, 312e12), "batch"),
    (lambda: inf.max_batch_for_memory(1e9, 0), "kv_bytes_per_sequence"),
    (lambda: inf.pipeline_token_latency(1e-3, 0), "pp"),
])
def test_roofline_bad_values_are_named(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_the_32k_limit_applies_only_where_a_source_states_it():
    """"The 32k model cannot run on 40GB A100s" is a limit the leak sets; a catalogue that never says it (another
    MoE served with TP and PP) must not get a contradiction against it, while the what-ifs still run."""
    import gpt4leak as gl
    cat = gl.load_catalogue()
    only = ["inference.kv_mqa_32k_a100_40gb", "inference.kv_mqa_32k_a100_80gb"]
    stated = gl.check_all(cat, only=only, samples=2_000, robust=False)
    assert {r.check_id for r in stated.results if r.is_bound} == {"inference.kv_mqa_32k_a100_40gb"}
    silent = type(cat)(cat.sources, tuple(c for c in cat.claims if c.quantity != "memory_limit_statement"),
                       cat.assumptions, cat.pinned, cat.files, cat.path, cat.subjects, cat.scenarios)
    rep = gl.check_all(silent, only=only, samples=2_000, robust=False)
    assert [r for r in rep.results if r.check_id == "inference.kv_mqa_32k_a100_40gb"] == []
    assert any(r.check_id == "inference.kv_mqa_32k_a100_80gb" for r in rep.results)
