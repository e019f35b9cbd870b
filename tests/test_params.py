"""Parameter-count formulas (gpt4leak.formulas.params) against published model sizes.

Published truth: PaLM (Chowdhery et al. 2022, Table 1 and section 2: multi-query attention, SwiGLU,
no biases, tied 256k vocabulary), GPT-3 (Brown et al. 2020, Table 2.1), Llama-2-70B and
Mixtral-8x7B (their released config.json; Jiang et al. 2024 for Mixtral's 46.7B / 12.9B),
GPT-2 small (OpenAI's released "124M" checkpoint). Property tests (hypothesis) guard the shapes:
vectorised equals scalar, Quantities equal floats, MQA <= GQA <= MHA, growth with width.
"""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gpt4leak.formulas import params as p
from gpt4leak.units import Q_, UnitError

# --------------------------------------------------------------------------- published numbers


@pytest.mark.parametrize("name, n_layers, n_heads, d_model, published_billions", [
    # Chowdhery et al. 2022 ("PaLM"), Table 1: layers, heads, d_model, parameters (billions).
    # Section 2: d_ff = 4 d_model, SwiGLU, head size 256, multi-query attention, no biases,
    # shared input/output embeddings, 256k vocabulary.
    ("PaLM 8B", 32, 16, 4096, 8.63),
    ("PaLM 62B", 64, 32, 8192, 62.50),
    ("PaLM 540B", 118, 48, 18432, 540.35),
])
def test_palm_table1_multi_query_swiglu(name, n_layers, n_heads, d_model, published_billions):
    head_dim, vocab = 256, 256_000
    attention = p.attention_params(d_model, n_heads, 1, head_dim)  # MQA: one K/V head (Shazeer 2019)
    mlp = p.mlp_params(d_model, 4 * d_model, gated=True)  # SwiGLU: three matrices (Shazeer 2020)
    embeddings = p.embedding_params(vocab, d_model)  # tied: the LM head adds nothing
    assert p.lm_head_params(vocab, d_model, tied=True) == 0
    total = n_layers * (attention + mlp) + embeddings
    # The table gives two decimals in billions: +-0.005B; norms (one per layer) are below that.
    assert total / 1e9 == pytest.approx(published_billions, abs=0.006)


def test_gpt3_175b_kaplan_approximation():
    # Brown et al. 2020, Table 2.1: 96 layers, d_model 12288 ("175.0B"); Kaplan et al. 2020, Table 1:
    # N = 2 d_model n_layer (2 d_attn + d_ff) = 12 n_layer d_model^2 leaves out embeddings.
    n = p.dense_params(96, 12288)
    assert n == 12 * 96 * 12288**2
    assert n / 175e9 == pytest.approx(1, rel=0.01)


def test_gpt3_175b_from_the_pieces():
    # Brown et al. 2020, Table 2.1: n_layers 96, d_model 12288, n_heads 96, d_head 128, n_ctx 2048;
    # vocabulary 50257 (GPT-2's BPE, section 2.1); biases and LayerNorms as GPT-2.
    d, layers = 12288, 96
    per_layer = (p.attention_params(d, 96, 96, 128, bias=True) + p.mlp_params(d, 4 * d, bias=True)
                 + 2 * p.norm_params(d))
    total = layers * per_layer + p.embedding_params(50257, d, 2048) + p.norm_params(d)
    assert total / 175e9 == pytest.approx(1, rel=0.01)


def test_gpt2_small_released_checkpoint():
    # OpenAI's released GPT-2 "124M" (github.com/openai/gpt-2, models 124M/355M/774M/1558M):
    # n_embd 768, 12 layers, 12 heads, n_positions 1024, vocab 50257, biases everywhere, tied head.
    d = 768
    per_layer = p.attention_params(d, 12, 12, 64, bias=True) + p.mlp_params(d, 4 * d, bias=True) + 2 * p.norm_params(d)
    total = 12 * per_layer + p.embedding_params(50257, d, 1024) + p.norm_params(d)
    assert total == 124_439_808  # the count of the released checkpoint
    assert total / 124e6 == pytest.approx(1, rel=0.005)


def test_llama2_70b_grouped_query_layer_from_config():
    # meta-llama/Llama-2-70b-hf config.json: hidden 8192, 64 heads, 8 key/value heads (GQA,
    # Ainslie et al. 2023), intermediate 28672, SwiGLU, no biases: q, o 8192x8192; k, v 8192x1024.
    assert p.attention_params(8192, 64, 8, 128) == 2 * 8192 * 8192 + 2 * 8192 * 1024 == 150_994_944
    assert p.mlp_params(8192, 28672, gated=True) == 3 * 8192 * 28672 == 704_643_072


def test_mixtral_total_and_active_jiang2024():
    # Jiang et al. 2024 ("Mixtral of Experts"), section 2.1: 46.7B total, 12.9B active (top-2 of 8).
    # Sizes from Mixtral-8x7B-v0.1 config.json: hidden 4096, 32 layers, 32 heads, 8 KV heads,
    # expert intermediate 14336, vocab 32000, untied head, RMSNorm.
    d, layers, vocab = 4096, 32, 32000
    expert = layers * p.mlp_params(d, 14336, gated=True)
    shared = (layers * (p.attention_params(d, 32, 8, 128) + p.router_params(d, 8) + 2 * p.norm_params(d, bias=False))
              + p.embedding_params(vocab, d) + p.lm_head_params(vocab, d) + p.norm_params(d, bias=False))
    assert p.moe_total_params(8, expert, shared) / 46.7e9 == pytest.approx(1, rel=0.01)
    assert p.moe_active_params(2, expert, shared) / 12.9e9 == pytest.approx(1, rel=0.01)


def test_d_model_from_mlp_params_recovers_gpt3_width():
    # Brown et al. 2020, Table 2.1: d_model 12288, d_ff = 4 d_model; two-matrix MLP.
    per_layer = p.mlp_params(12288, 4 * 12288)
    assert p.d_model_from_mlp_params(per_layer) == pytest.approx(12288)
    # Llama-2-70B: gated, d_ff / d_model = 28672 / 8192 = 3.5
    assert p.d_model_from_mlp_params(p.mlp_params(8192, 28672, gated=True), ffn_ratio=3.5,
                                     gated=True) == pytest.approx(8192)


def test_mla_deepseek_v3_attention_layer():
    # DeepSeek-V3 config.json: hidden 7168, 128 heads, q_lora_rank 1536, kv_lora_rank 512,
    # qk_nope 128, qk_rope 64, v 128; DeepSeek-V2 section 2.1.2, eqs. 9-19, for the projections.
    n = p.mla_attention_params(7168, 128, 1536, 512, 128, 64, 128)
    expected = (7168 * 1536 + 1536 * 128 * 192  # W^DQ; W^UQ and W^QR
                + 7168 * (512 + 64)  # W^DKV and W^KR
                + 512 * 128 * (128 + 128)  # W^UK and W^UV
                + 128 * 128 * 7168)  # W^O
    assert n == expected == 187_105_280


# --------------------------------------------------------------------------- properties

sizes = st.integers(1, 4096)


@given(d=sizes, h=st.integers(1, 64), g=st.integers(1, 64), hd=st.integers(1, 256), bias=st.booleans())
def test_attention_mqa_le_gqa_le_mha(d, h, g, hd, bias):
    g = min(g, h)
    mqa = p.attention_params(d, h, 1, hd, bias=bias)
    gqa = p.attention_params(d, h, g, hd, bias=bias)
    mha = p.attention_params(d, h, h, hd, bias=bias)
    assert mqa <= gqa <= mha
    if h == d // hd and d % hd == 0 and not bias:
        assert mha == 4 * d * d  # Kaplan et al. 2020 Table 1: 4 d^2 per layer


@given(d=sizes, f=sizes, bias=st.booleans())
def test_gated_mlp_has_one_more_matrix(d, f, bias):
    assert p.mlp_params(d, f, gated=True, bias=False) - p.mlp_params(d, f, bias=False) == d * f
    assert p.mlp_params(d, f, bias=bias) >= 2 * d * f


@given(layers=st.integers(1, 200), d=st.integers(1, 20000))
def test_dense_params_grow_with_width_and_depth(layers, d):
    n = p.dense_params(layers, d)
    assert p.dense_params(layers + 1, d) > n
    assert p.dense_params(layers, d + 1) > n


@given(d=st.integers(64, 20000), ratio=st.sampled_from([1, 2, 8 / 3, 3.5, 4]), gated=st.booleans())
def test_d_model_inverse_of_mlp_params(d, ratio, gated):
    got = p.d_model_from_mlp_params(p.mlp_params(d, ratio * d, gated=gated), ffn_ratio=ratio, gated=gated)
    assert got == pytest.approx(d, rel=1e-12)


@given(e=st.integers(1, 256), k=st.integers(1, 256), x=st.floats(0, 1e12), s=st.floats(0, 1e12))
def test_moe_active_le_total(e, k, x, s):
    k = min(k, e)
    assert p.moe_active_params(k, x, s) <= p.moe_total_params(e, x, s) * (1 + 1e-15)
    assert p.moe_total_params(1, x, s) == p.moe_active_params(1, x, s)


@given(st.lists(st.tuples(sizes, st.integers(1, 32), st.integers(1, 32), st.integers(1, 256)),
                min_size=1, max_size=6))
def test_vectorised_equals_scalar(rows):
    d, h, g, hd = (np.array(c, dtype=float) for c in zip(*rows))
    g = np.minimum(g, h)
    vec = p.attention_params(d, h, g, hd, bias=True)
    assert np.shape(vec) == (len(rows),)
    assert list(vec) == [p.attention_params(*map(float, r), bias=True) for r in zip(d, h, g, hd)]
    vec_mlp = p.mlp_params(d, 4 * d, gated=True)
    assert list(vec_mlp) == [p.mlp_params(float(x), 4 * float(x), gated=True) for x in d]
    q = np.where(h > 2, 3 * h, 0)
    vec_mla = p.mla_attention_params(d, h, q, 2 * h, hd, hd, hd)
    assert list(vec_mla) == [p.mla_attention_params(*map(float, r)) for r in zip(d, h, q, 2 * h, hd, hd, hd)]


@given(d=sizes, h=st.integers(1, 32), hd=st.integers(1, 128))
def test_quantity_inputs_equal_float_inputs(d, h, hd):
    q = p.attention_params(Q_(d, "dimensionless"), Q_(h, "head"), Q_(h, "head"), hd)
    assert q.units == Q_(1, "parameter").units
    assert q.magnitude == p.attention_params(d, h, h, hd)
    total = p.moe_total_params(8, Q_(d, "Mparam"), Q_(hd, "kparam"))
    assert total.to("parameter").magnitude == pytest.approx(8 * d * 1e6 + hd * 1e3)


@given(d=sizes, h=st.integers(1, 32), hd=st.integers(1, 64), q=st.integers(1, 64))
def test_mla_without_query_compression_is_a_direct_projection(d, h, hd, q):
    direct = p.mla_attention_params(d, h, 0, 8, hd, 4, hd)
    compressed = p.mla_attention_params(d, h, q, 8, hd, 4, hd)
    assert direct - compressed == d * h * (hd + 4) - (d * q + q * h * (hd + 4))


# --------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("call, argument", [
    (lambda: p.attention_params(-8, 2, 2, 4), "d_model"),
    (lambda: p.attention_params(8, 0, 1, 4), "n_heads"),
    (lambda: p.attention_params(8, 2, float("nan"), 4), "n_kv_heads"),
    (lambda: p.mlp_params(8, -1), "d_ff"),
    (lambda: p.moe_total_params(0, 1e9, 1e9), "n_experts"),
    (lambda: p.moe_active_params(2, -1e9, 1e9), "expert_params"),
    (lambda: p.d_model_from_mlp_params(1e9, ffn_ratio=0), "ffn_ratio"),
    (lambda: p.router_params(4096, np.array([8, -1])), "n_experts"),
])
def test_bad_sizes_name_the_argument(call, argument):
    with pytest.raises(ValueError, match=argument):
        call()


def test_wrong_unit_names_the_argument():
    with pytest.raises(UnitError, match="expert_params"):
        p.moe_total_params(8, Q_(1, "GB"), Q_(1, "Gparam"))
    with pytest.raises(UnitError, match="d_model"):
        p.mlp_params("4096", 16384)


def test_bare_kernels_skip_the_checks_and_units():
    assert p.attention_params.bare(16, 4, 2, 4) == p.attention_params(16, 4, 2, 4)
    assert math.isclose(p.d_model_from_mlp_params.bare(2 * 4 * 100**2), 100)


def test_head_width_where_stated_else_d_over_h():
    """PaLM 540B (Chowdhery et al. 2022 Table 1): 48 heads of 256 on d_model 18432, not 18432 / 48 = 384;
    GPT-3 175B (Brown et al. 2020 Table 2.1): 96 heads of 128 = 12288 / 96."""
    from gpt4leak.formulas import params as P
    assert float(P.head_dim_or_default(18432, 48, 256)) == 256
    assert float(P.head_dim_or_default(18432, 48)) == 384
    assert float(P.head_dim_or_default(12288, 96)) == 128
    assert float(P.stated_or(0, 96)) == 96 and float(P.stated_or(8, 96)) == 8  # GQA kv heads where stated
