"""Tests of gpt4leak.formulas.parallel.

Published: layouts of Korthikanti et al. 2022 Table 3 and Narayanan et al. 2021
Table 1, batch sizes of PaLM and GPT-3, the bubble formulas of Narayanan et al.
2021 sec. 2.2 and GPipe. Regression: the leak's own layout, marked as such.
"""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gpt4leak.formulas import parallel as P
from gpt4leak.units import Q_, UnitError

# Korthikanti et al. 2022, Table 3: model, layers, tensor parallel, pipeline parallel, GPUs
# (no data parallelism in those runs: d = 1).
TABLE3 = [("22B", 48, 8, 1, 8), ("175B", 96, 8, 8, 64), ("530B", 105, 8, 35, 280), ("1T", 128, 8, 64, 512)]


@pytest.mark.parametrize("name,layers,tp,pp,gpus", TABLE3, ids=[r[0] for r in TABLE3])
def test_korthikanti_table3_layouts(name, layers, tp, pp, gpus):
    assert P.world_size(tp, pp) == gpus
    assert P.data_parallel_degree(gpus, tp, pp) == 1
    assert P.is_whole(P.layers_per_stage(layers, pp))


def test_mt_nlg_three_layers_per_device():
    # Korthikanti et al. 2022 sec. 5 (paraphrased): training MT-NLG leaves only three layers per device.
    assert P.layers_per_stage(105, 35) == 3
    assert P.params_per_gpu(530e9, 8, 35) == pytest.approx(530e9 / 280)


def test_narayanan_1t_row():
    # Narayanan et al. 2021 Table 1, 1T row: t = 8, p = 64, 3072 GPUs, so d = 6; 128 layers.
    assert P.data_parallel_degree(3072, 8, 64) == 6
    assert P.world_size(8, 64, 6) == 3072
    assert P.layers_per_stage(128, 64) == 2


def test_palm_batch_in_tokens():
    # Chowdhery et al. 2022 sec. 5 (paraphrased): the final batch is 2048 sequences of 2048 tokens,
    # about 4M tokens.
    assert P.sequences_per_batch(4 * 2**20, 2048) == 2048
    assert P.sequences_per_batch(Q_(4e6, "token"), Q_(2048, "token")).magnitude == pytest.approx(2048, rel=0.05)


def test_gpt3_batch_in_tokens():
    # Brown et al. 2020 Table 2.1: GPT-3 175B batch "3.2M" tokens at n_ctx 2048; Narayanan et al.
    # 2021 sec. 5.1 use the exact 1536 sequences (3.2M is rounded).
    assert P.sequences_per_batch(3.2e6, 2048) == pytest.approx(1536, rel=0.02)


class TestBubble:
    def test_narayanan_ratio_form(self):
        # Narayanan et al. 2021 sec. 2.2.1: bubble time / ideal time = (p - 1)/m;
        # sec. 2.2.2 interleaved with v chunks: (1/v)(p - 1)/m.
        for p, m, v in [(8, 32, 1), (64, 512, 1), (35, 280, 3), (2, 1, 1)]:
            b = P.pipeline_bubble(p, m, v)
            assert b / (1 - b) == pytest.approx((p - 1) / (v * m))

    def test_gpipe_form(self):
        # Huang et al. 2019 sec. 2.3: bubble O((K - 1)/(M + K - 1)); negligible for M >= 4K.
        assert P.pipeline_bubble(4, 16) == 3 / 19
        assert P.pipeline_bubble(4, 16) < 0.2

    def test_no_pipeline_no_bubble(self):
        assert P.pipeline_bubble(1, 7) == 0

    def test_micro_batches(self):
        # Narayanan et al. 2021 sec. 3.1: m = B / (b d); 1T row: B = 3072, d = 6, b = 1 -> 512.
        assert P.micro_batches(3072, 1, 6) == 512


def test_leak_layout_is_not_whole():
    # Regression (our own reading, not a publication): 25,000 A100s over 8-way tensor and
    # 15-way pipeline parallelism leave 208.33 data-parallel replicas.
    d = P.data_parallel_degree(Q_(25000, "GPU"), 8, 15)
    assert d.magnitude == pytest.approx(208.333, rel=1e-5)
    assert P.is_whole(d) is False
    assert P.is_whole(P.data_parallel_degree(24960, 8, 15)) is True


def test_is_whole_vectorised():
    assert P.is_whole(np.array([1.0, 2.5, 3.0000000000001])).tolist() == [True, False, True]


# =========================================================================== errors / units
def test_ep_cannot_exceed_dp():
    with pytest.raises(ValueError, match="ep"):
        P.world_size(8, 8, dp=4, ep=8)
    assert P.world_size(8, 8, dp=16, ep=8) == 1024  # experts reuse the data-parallel ranks


@pytest.mark.parametrize("bad", [0.0, -2.0, math.nan])
def test_bad_degrees_named(bad):
    with pytest.raises(ValueError, match="pp"):
        P.pipeline_bubble(bad, 8)
    with pytest.raises(ValueError, match="tp"):
        P.data_parallel_degree(1024, bad, 8)


def test_wrong_unit():
    with pytest.raises(UnitError, match="n_gpus"):
        P.data_parallel_degree(Q_(1024, "token"), 8, 8)
    assert P.world_size(8, 8, 16) == 1024  # bare in, bare out
    assert P.world_size(Q_(8, "dimensionless"), 8, 16).to("GPU").magnitude == 1024


# =========================================================================== properties
deg = st.integers(min_value=1, max_value=1024)


@given(p=deg, m=deg, v=st.integers(1, 8))
def test_bubble_in_unit_interval(p, m, v):
    b = P.pipeline_bubble(p, m, v)
    assert 0 <= b < 1


@given(p=st.integers(2, 512), m=deg)
def test_bubble_falls_with_micro_batches_and_rises_with_stages(p, m):
    assert P.pipeline_bubble(p, m + 1) < P.pipeline_bubble(p, m)
    assert P.pipeline_bubble(p + 1, m) > P.pipeline_bubble(p, m)


@given(tp=deg, pp=deg, dp=deg)
def test_world_size_round_trip(tp, pp, dp):
    n = P.world_size(tp, pp, dp)
    assert P.data_parallel_degree(n, tp, pp) == pytest.approx(dp)
    assert P.is_whole(P.data_parallel_degree(n, tp, pp))


@given(st.lists(st.tuples(deg, deg), min_size=1, max_size=8))
def test_vectorised_equals_scalar(rows):
    p = np.array([r[0] for r in rows], dtype=float)
    m = np.array([r[1] for r in rows], dtype=float)
    vec = P.pipeline_bubble(p, m)
    for i, r in enumerate(rows):
        assert vec[i] == P.pipeline_bubble(r[0], r[1])


@pytest.mark.parametrize("n_layers, pp, v_max, source", [
    (105, 35, 3, "MT-NLG 530B: 105 layers over 35 pipeline stages, 3 per stage (smith2022 sec. 2.2)"),
    (126, 16, 7.875, "Llama 3.1 405B: 126 layers, PP 16 (dubey2024 Table 3 and Table 4)"),
    (96, 8, 12, "GPT-3 175B shape, 96 layers, PP 8"),
    (0, 16, 1, "layer count unknown: no interleaving assumed"),
    (8, 16, 1, "fewer layers than stages: at least one virtual stage"),
])
def test_max_interleave_is_one_layer_per_virtual_stage(n_layers, pp, v_max, source):
    assert P.max_interleave(n_layers, pp) == pytest.approx(v_max), source


def test_interleaving_shrinks_the_bubble_by_v():
    """Narayanan et al. 2021 sec. 2.2.2: the bubble relative to the ideal time is (p-1)/(v m); p=4, m=8, v=2
    (their Figure 4) gives 3/16 of the ideal time, 3/19 of the step."""
    assert P.pipeline_bubble(4, 8, 2) == pytest.approx(3 / 19)
    v = P.max_interleave(126, 16)
    assert P.pipeline_bubble(16, 16, v) < P.pipeline_bubble(16, 16) / 4
