"""Tests of gpt4leak.formulas.memory.

Published: ZeRO (Rajbhandari et al. 2020), activation memory (Korthikanti et al.
2022), KV cache (Kwon et al. 2023; Llama 2 70B config). Pitfalls peer calculators
get wrong. Property tests and bad input.
"""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gpt4leak.formulas import memory as M
from gpt4leak.units import Q_, UnitError

GB = 1e9


# =========================================================================== ZeRO
class TestZeROFigure1:
    """Rajbhandari et al. 2020, Fig. 1: Psi = 7.5B, N_d = 64, K = 12 (mixed-precision Adam).
    Per-device model states: baseline (2+2+K)Psi = 120GB; P_os 2Psi+2Psi+K Psi/N_d = 31.4GB;
    P_os+g 2Psi+(2+K)Psi/N_d = 16.6GB; P_os+g+p (2+2+K)Psi/N_d = 1.9GB."""

    @pytest.mark.parametrize("stage,published_gb", [(0, 120), (1, 31.4), (2, 16.6), (3, 1.9)])
    def test_per_device_memory(self, stage, published_gb):
        got = M.training_state_bytes_per_gpu(7.5e9, dp=64, zero_stage=stage)
        assert round(got / GB, 1) == published_gb

    def test_intermediates_of_stage_1(self):
        mem = M.training_memory_per_gpu(7.5e9, 80 * GB, dp=64, zero_stage=1)
        assert mem.weights == 15 * GB  # 2 Psi
        assert mem.gradients == 15 * GB  # 2 Psi
        assert mem.optimizer == pytest.approx(12 * 7.5e9 / 64)  # K Psi / N_d = 1.406 GB


class TestZeROSection31:
    """Rajbhandari et al. 2020, sec. 3.1 (paraphrased): a 1.5B-parameter GPT-2 has 3GB of fp16
    weights but needs at least 24 GB for mixed-precision Adam training (16 bytes per parameter)."""

    def test_weights_3_gb(self):
        assert M.weight_bytes(1.5e9) == 3 * GB

    def test_model_states_24_gb(self):
        total = M.weight_bytes(1.5e9) + M.gradient_bytes(1.5e9) + M.adam_state_bytes(1.5e9)
        assert total == 24 * GB
        assert M.training_state_bytes_per_gpu(1.5e9) == 24 * GB


# =========================================================================== activations
class TestKorthikanti:
    """Korthikanti et al. 2022 (Reducing Activation Recomputation), sec. 4-5, Tables 2-3."""

    @pytest.mark.parametrize("name,a,h,saved", [("GPT-3 175B", 96, 12288, 0.70), ("MT-NLG 530B", 128, 20480, 0.65)])
    def test_selective_recompute_saving(self, name, a, h, saved):
        # sec. 5 (paraphrased): for GPT-3 5as/h = 80 and selective recomputation saves 70% of the
        # activation memory; for MT-NLG 5as/h = 64 and it saves 65%.
        full = M.activation_bytes_per_layer(2048, 1, h, a)
        selective = M.activation_bytes_per_layer(2048, 1, h, a, recompute="selective")
        assert 1 - selective / full == pytest.approx(saved, abs=0.005)

    def test_table2_rows_for_gpt3_at_t8(self):
        # Table 2 worked by hand for s = 2048, b = 1, h = 12288, a = 96, t = 8: sbh = 25,165,824,
        # 5as/h = 80.
        sbh = 2048 * 12288
        kw = dict(seq_len=2048, micro_batch=1, d_model=12288, n_heads=96)
        assert M.activation_bytes_per_layer(**kw, tp=1) == sbh * 114  # 34 + 80
        assert M.activation_bytes_per_layer(**kw, tp=8) == sbh * 23  # 10 + 24/8 + 80/8
        assert M.activation_bytes_per_layer(**kw, tp=8, sequence_parallel=True) == pytest.approx(sbh * 114 / 8)
        assert M.activation_bytes_per_layer(**kw, tp=8, recompute="selective") == sbh * 13  # 10 + 3
        assert M.activation_bytes_per_layer(**kw, tp=8, sequence_parallel=True,
                                            recompute="selective") == pytest.approx(sbh * 34 / 8)
        assert M.activation_bytes_per_layer(**kw, tp=8, recompute="full") == 2 * sbh

    @pytest.mark.parametrize("a,h", [(64, 6144), (96, 12288), (128, 20480), (160, 25600)],
                             ids=["22B", "175B", "530B", "1T"])
    def test_about_5x_reduction(self, a, h):
        # Abstract (paraphrased): sequence parallelism + selective recomputation reduce activation
        # memory by 5x against the tensor-parallel baseline (Table 3 models, t = 8).
        baseline = M.activation_bytes_per_layer(2048, 1, h, a, tp=8)
        ours = M.activation_bytes_per_layer(2048, 1, h, a, tp=8, sequence_parallel=True, recompute="selective")
        assert 4.5 <= baseline / ours <= 6.5

    def test_first_stage_stores_all_layers(self):
        # sec. 4.2.3: with 1F1B the first stage holds p micro-batches of L/p layers = L layers,
        # whatever p is (175B config of Table 3: L = 96, t = 8, p = 8).
        kw = dict(seq_len=2048, micro_batch=1, d_model=12288, n_heads=96, n_layers=96, tp=8,
                  sequence_parallel=True, recompute="selective")
        one_stage = M.activation_bytes_per_gpu(**kw, pp=1)
        eight = M.activation_bytes_per_gpu(**kw, pp=8)
        assert eight == pytest.approx(one_stage)
        assert eight == pytest.approx(96 * 34 * 2048 * 12288 / 8)  # eq. (6): 34 sbhL/t
        # with fewer micro-batches than stages, fewer are in flight
        assert M.activation_bytes_per_gpu(**kw, pp=8, micro_batches=2) == pytest.approx(eight / 4)
        # interleaved schedule: L (1 + (p-1)/(p m)) layers
        assert M.activation_bytes_per_gpu(**kw, pp=8, interleave=3) == pytest.approx(eight * (1 + 7 / 24))


# =========================================================================== KV cache
class TestKVCache:
    def test_opt13b_vllm_section3(self):
        # Kwon et al. 2023 sec. 3: OPT-13B "the KV cache of a single token demands 800 KB of space,
        # calculated as 2 (key and value vectors) x 5120 (hidden state size) x 40 (number of layers)
        # x 2 (bytes per FP16) ... sequences up to 2048 tokens ... can be as much as 1.6 GB".
        per_token = M.kv_cache_bytes_per_token(40, 40, 128)  # 40 heads x 128 = 5120
        assert per_token == 2 * 5120 * 40 * 2 == 800 * 1024
        per_request = M.kv_cache_bytes(40, 40, 128, 2048)
        assert per_request == 2048 * per_token
        assert per_request / GB == pytest.approx(1.6, rel=0.05)

    def test_llama2_70b_gqa(self):
        # Llama 2 70B config.json: num_hidden_layers 80, num_attention_heads 64,
        # num_key_value_heads 8, hidden_size 8192 (head_dim 128), max_position_embeddings 4096.
        gqa = M.kv_cache_bytes(80, 8, 128, 4096)
        assert gqa == 2 * 80 * 8 * 128 * 4096 * 2 == 1_342_177_280
        assert Q_(gqa, "byte").to("GB").magnitude == pytest.approx(1.34, abs=0.005)
        assert Q_(gqa, "byte").to("GiB").magnitude == 1.25
        mha = M.kv_cache_bytes(80, 64, 128, 4096)
        assert mha == 8 * gqa

    def test_counts_k_and_v(self):
        assert M.kv_cache_bytes(1, 1, 1, 1, bytes_per_element=1) == 2

    def test_mqa_le_gqa_le_mha(self):
        mqa, gqa, mha = (M.kv_cache_bytes(80, k, 128, 4096, batch=8) for k in (1, 8, 64))
        assert mqa < gqa < mha
        assert gqa == 8 * mqa

    def test_single_kv_head_is_replicated_under_tp(self):
        # Pope et al. 2022 sec. 3.3: sharding multi-query attention over heads replicates its one
        # K/V head on every chip, so per-chip KV memory does not shrink with tp.
        whole = M.kv_cache_bytes(80, 1, 128, 4096)
        assert M.kv_cache_bytes(80, 1, 128, 4096, tp=8) == whole
        # GQA with 8 KV heads: split 8 ways, then replicated beyond 8 ranks
        g1 = M.kv_cache_bytes(80, 8, 128, 4096)
        assert M.kv_cache_bytes(80, 8, 128, 4096, tp=8) == g1 / 8
        assert M.kv_cache_bytes(80, 8, 128, 4096, tp=16) == g1 / 8
        # pipeline stages hold L/p layers each
        assert M.kv_cache_bytes(80, 8, 128, 4096, pp=4) == g1 / 4


# =========================================================================== pitfalls
def test_model_parallel_divides_before_zero():
    # 175B with t = 8, p = 8, d = 16, ZeRO-1: weights and gradients 2 Psi/(tp) each, optimizer
    # 12 Psi/(t p d). Dividing only by d (ignoring t p) would overstate it 64-fold.
    mem = M.training_memory_per_gpu(175e9, 80 * GB, tp=8, pp=8, dp=16, zero_stage=1)
    assert mem.weights == pytest.approx(2 * 175e9 / 64)
    assert mem.gradients == pytest.approx(2 * 175e9 / 64)
    assert mem.optimizer == pytest.approx(12 * 175e9 / 64 / 16)
    assert mem.total == pytest.approx(12.988e9, rel=1e-3)


def test_adam_training_memory_is_weights_plus_gradients_plus_states():
    mem = M.training_memory_per_gpu(70e9, 80 * GB)
    assert mem.total == mem.weights + mem.gradients + mem.optimizer == 16 * 70e9
    assert mem.total == 8 * M.weight_bytes(70e9)


def test_over_capacity_does_not_fit():
    # 175B on one 8-GPU node (t = 8), no ZeRO: 16 x 175e9 / 8 = 350 GB per GPU > 80 GB.
    mem = M.training_memory_per_gpu(175e9, Q_(80, "GB"), tp=8)
    assert mem.fits is False
    assert mem.utilisation == pytest.approx(350 / 80)
    fit = M.training_memory_per_gpu(175e9, Q_(80, "GB"), tp=8, pp=8)
    assert fit.fits is True


def test_activations_count_toward_fit():
    # 7B with t = 2: 16 x 7e9 / 2 = 56 GB of model states fits in 80 GB; 30 GB of activations do not.
    states_only = M.training_memory_per_gpu(7e9, 80 * GB, tp=2)
    assert states_only.fits is True
    with_act = M.training_memory_per_gpu(7e9, 80 * GB, tp=2, activation_bytes=30 * GB)
    assert with_act.total == 56 * GB + 30 * GB
    assert with_act.fits is False


def test_experts_divide_by_ep_and_shard_over_dp_over_ep():
    # 1.8T total with 1.2T in experts (illustrative): t = 8, p = 15, d = 16, ep = 16, ZeRO-1.
    mem = M.training_memory_per_gpu(1.8e12, 80 * GB, tp=8, pp=15, dp=16, ep=16, expert_params=1.2e12,
                                    zero_stage=1)
    dense, expert = 0.6e12 / 120, 1.2e12 / (120 * 16)
    assert mem.weights == pytest.approx(2 * (dense + expert))
    assert mem.optimizer == pytest.approx(12 * (dense / 16 + expert / 1))


# =========================================================================== units / errors
def test_gb_and_gib_capacity_agree():
    a = M.training_memory_per_gpu(13e9, Q_(80, "GB"), tp=2)
    b = M.training_memory_per_gpu(13e9, Q_(80e9 / 2**30, "GiB"), tp=2)
    assert a.fits == b.fits and a.capacity == pytest.approx(b.capacity)


def test_as_quantities():
    q = M.training_memory_per_gpu(7.5e9, 80 * GB, dp=64, zero_stage=3).as_quantities("GB")
    assert q["total"].magnitude == pytest.approx(1.875)
    assert q["fits"] is True


def test_quantity_output_and_wrong_unit():
    out = M.kv_cache_bytes(80, 8, 128, Q_(4096, "token"))
    assert out.to("GiB").magnitude == 1.25
    with pytest.raises(UnitError, match="seq_len"):
        M.kv_cache_bytes(80, 8, 128, Q_(4096, "s"))
    with pytest.raises(UnitError, match="capacity_bytes"):
        M.training_memory_per_gpu(7e9, Q_(80, "GPU"))


@pytest.mark.parametrize("bad", [-1.0, 0.0, math.nan])
def test_bad_sizes_named(bad):
    with pytest.raises(ValueError, match="n_kv_heads"):
        M.kv_cache_bytes(80, bad, 128, 4096)
    with pytest.raises(ValueError, match="params"):
        M.weight_bytes(bad)
    with pytest.raises(ValueError, match="dp"):
        M.training_state_bytes_per_gpu(1e9, dp=bad)


@pytest.mark.parametrize("bad", [4, -1, 1.5, True, "1"])
def test_bad_zero_stage(bad):
    with pytest.raises(ValueError, match="zero_stage"):
        M.training_state_bytes_per_gpu(1e9, dp=8, zero_stage=bad)


def test_bad_recompute_and_expert_share():
    with pytest.raises(ValueError, match="recompute"):
        M.activation_bytes_per_layer(2048, 1, 4096, 32, recompute="some")
    with pytest.raises(ValueError, match="expert_params"):
        M.training_state_bytes_per_gpu(1e9, expert_params=2e9)


# =========================================================================== properties
params_st = st.floats(min_value=1e6, max_value=1e13)
degree = st.integers(min_value=1, max_value=64)


@given(p=params_st, tp=degree, pp=degree, dp=degree)
def test_zero_stages_are_monotone(p, tp, pp, dp):
    m = [M.training_state_bytes_per_gpu(p, tp, pp, dp, zero_stage=z) for z in (0, 1, 2, 3)]
    eps = 1e-12
    assert m[3] <= m[2] * (1 + eps) and m[2] <= m[1] * (1 + eps) and m[1] <= m[0] * (1 + eps)


@given(L=st.integers(1, 200), h=st.integers(1, 128), d=st.sampled_from([64, 128, 256]),
       s=st.integers(1, 200_000))
def test_kv_ordering(L, h, d, s):
    mqa = M.kv_cache_bytes(L, 1, d, s)
    gqa = M.kv_cache_bytes(L, max(1, h // 8), d, s)
    mha = M.kv_cache_bytes(L, h, d, s)
    assert mqa <= gqa <= mha


@given(s=st.integers(1, 65536), b=st.integers(1, 16), heads=st.integers(1, 128), hd=st.sampled_from([64, 128]),
       t=st.sampled_from([1, 2, 4, 8, 16]))
def test_sequence_parallel_and_selective_never_increase(s, b, heads, hd, t):
    h = heads * hd
    kw = dict(seq_len=s, micro_batch=b, d_model=h, n_heads=heads, tp=t)
    base = M.activation_bytes_per_layer(**kw)
    assert M.activation_bytes_per_layer(**kw, sequence_parallel=True) <= base * (1 + 1e-12)
    assert M.activation_bytes_per_layer(**kw, recompute="selective") <= base
    assert M.activation_bytes_per_layer(**kw, recompute="full") <= base


@given(st.lists(st.tuples(params_st, degree, degree), min_size=1, max_size=6))
def test_vectorised_equals_scalar(rows):
    p = np.array([r[0] for r in rows])
    tp = np.array([r[1] for r in rows], dtype=float)
    dp = np.array([r[2] for r in rows], dtype=float)
    vec = M.training_memory_per_gpu(p, 80 * GB, tp=tp, dp=dp, zero_stage=2)
    assert vec.total.shape == p.shape and vec.fits.shape == p.shape
    for i, r in enumerate(rows):
        one = M.training_memory_per_gpu(r[0], 80 * GB, tp=r[1], dp=r[2], zero_stage=2)
        assert vec.total[i] == pytest.approx(one.total) and bool(vec.fits[i]) == one.fits
    kv = M.kv_cache_bytes(80, tp, 128, 4096, tp=dp)
    for i in range(len(rows)):
        assert kv[i] == M.kv_cache_bytes(80, tp[i], 128, 4096, tp=dp[i])


def test_moe_activations_count_the_routed_experts():
    """Korthikanti et al. 2022 sec. 4.1: of a layer's 34 sbh, the 4h MLP stores 19 sbh (2 input, 8 + 8 of the
    4h hidden, 1 dropout mask). A top-k MoE layer with experts of width r h stores k (2 + 4r) + 1 instead:
    k = 1, r = 4 is the dense layer; top-2 of 4h experts adds 18 sbh."""
    from gpt4leak.formulas import memory as M
    s, b, h, a = 2048, 1, 12288, 96
    dense = M.activation_bytes_per_layer(s, b, h, a, 8, True, "selective")
    assert dense == pytest.approx(34 * s * b * h / 8)                                  # Table 2, TP+SP+selective
    assert M.activation_bytes_per_layer(s, b, h, a, 8, True, "selective", experts_per_token=1, ffn_ratio=4) == dense
    top2 = M.activation_bytes_per_layer(s, b, h, a, 8, True, "selective", experts_per_token=2, ffn_ratio=4)
    assert top2 == pytest.approx((34 + 18) * s * b * h / 8)
    gated_small = M.activation_bytes_per_layer(s, b, h, a, 8, True, "selective", experts_per_token=2, ffn_ratio=2)
    assert gated_small == pytest.approx((34 - 19 + 2 * (2 + 8) + 1) * s * b * h / 8)
