"""The PaLM 540B control (claims/controls/palm_540b.yaml) against the paper.

Published: Chowdhery et al. 2022, "PaLM: Scaling Language Modeling with Pathways", arXiv:2204.02311
(table numbers of the arXiv v5 text): abstract; Sec. 2 and Table 1 (architecture); Sec. 3 (780B tokens);
Sec. 4 and Table 3 (6144 TPU v4 chips, 12-way model parallelism, MFU 46.2%); Sec. 5 (sequence length,
batch schedule); App. B and Table 22 (2.56 x 10^24 FLOPs, 29600 PF-days; 6144 chips for 1200 hours and
3072 chips for 336 hours); App. F, Table 31 (2527.2 zettaFLOPs). Serving: Pope et al. 2022, "Efficiently
Scaling Transformer Inference", arXiv:2211.05102 (Google): abstract (int8 weight quantization, 2048-token
context) and Sec. 1 (PaLM 540B with int8 weights on 64 TPU v4 chips), scenario inference_int8.
Secondary estimate: Epoch AI, Data on AI Models, notable_ai_models.csv (May 2026 export), row "PaLM (540B)"
(source kind "estimate"; columns as named there).

The table below was typed by hand from the paper, not copied from the YAML: claim id, quantity key,
scenario, the value as the paper writes it in the quantity's base unit, and the qualifier its wording
carries. TPU v4 chips are counted under n_gpus.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import gpt4leak
from control_table import assert_every_number_typed, assert_published

FILE = Path(__file__).resolve().parents[1] / "claims" / "controls" / "palm_540b.yaml"

PF_DAY = 1e15 * 86400  # one petaFLOP/s-day in FLOP

# (claim id, quantity key, scenario, value as written in the base unit, qualifier)
PUBLISHED = [
    ("chowdhery2022.total_params", "total_params", "main", 540.35e9, "approximately"),        # Table 1
    ("chowdhery2022.total_params_headline", "total_params", "main", 540e9, "nominal"),         # abstract
    ("chowdhery2022.n_layers", "n_layers", "main", 118, "exact"),                               # Table 1
    ("chowdhery2022.n_heads", "n_heads", "main", 48, "exact"),                                  # Table 1
    ("chowdhery2022.d_model", "d_model", "main", 18432, "exact"),                               # Table 1
    ("chowdhery2022.d_head", "d_head", "main", 256, "exact"),                                   # Table 1 caption
    ("chowdhery2022.n_kv_heads", "n_kv_heads", "main", 1, "exact"),                             # Sec. 2, MQA [1,h]
    ("chowdhery2022.vocab_size", "vocab_size", "main", 256e3, "approximately"),                 # Sec. 2, "256k"
    ("chowdhery2022.training_tokens", "training_tokens", "main", 780e9, "approximately"),      # Sec. 3
    ("chowdhery2022.seq_len_pretrain", "seq_len_pretrain", "main", 2048, "exact"),              # Sec. 5
    ("chowdhery2022.batch_sequences", "batch_sequences", "main", 2048, "exact"),                # Sec. 5
    ("chowdhery2022.batch_tokens", "batch_tokens", "main", 4e6, "approximately"),               # Sec. 5, "4M"
    ("chowdhery2022.n_gpus", "n_gpus", "main", 6144, "exact"),                                  # abstract
    ("chowdhery2022.tensor_parallel", "tensor_parallel", "main", 12, "exact"),                  # Sec. 4
    ("chowdhery2022.pipeline_parallel", "pipeline_parallel", "main", 1, "exact"),               # Sec. 4
    ("chowdhery2022.mfu", "mfu", "main", 0.462, "approximately"),                               # Table 3
    ("chowdhery2022.training_flop", "training_flop", "main", 2.56e24, "approximately"),         # Table 22
    ("chowdhery2022.training_flop_pf_days", "training_flop", "main", 29600 * PF_DAY, "approximately"),
    ("chowdhery2022.training_flop_6nd_table", "training_flop", "main", 2527.2e21, "approximately"),  # Table 31
    ("chowdhery2022.phase_6144.n_gpus", "n_gpus", "phase_6144_chips", 6144, "exact"),           # App. B
    ("chowdhery2022.phase_6144.training_days", "training_days", "phase_6144_chips", 1200 / 24, "approximately"),
    ("chowdhery2022.phase_3072.n_gpus", "n_gpus", "phase_3072_chips", 3072, "exact"),           # App. B
    ("chowdhery2022.phase_3072.training_days", "training_days", "phase_3072_chips", 336 / 24, "approximately"),
    # Pope et al. 2022: PaLM 540B served with int8 weights
    ("pope2022.inference_int8.total_params", "total_params", "inference_int8", 540e9, "nominal"),     # abstract
    ("pope2022.inference_int8.inference_gpus", "inference_gpus", "inference_int8", 64, "exact"),       # Sec. 1
    ("pope2022.inference_int8.inference_seq_len", "inference_seq_len", "inference_int8", 2048, "exact"),  # abstract
    # Epoch AI database row "PaLM (540B)"
    ("epoch2026_palm.total_params", "total_params", "main", 540.35e9, "approximately"),        # Parameters
    ("epoch2026_palm.training_flop", "training_flop", "main", 2.5272e24, "approximately"),      # Training compute
    ("epoch2026_palm.training_tokens", "training_tokens", "main", 780e9, "approximately"),      # Dataset size
    ("epoch2026_palm.n_gpus", "n_gpus", "main", 6144, "exact"),                                 # Hardware quantity
    ("epoch2026_palm.training_days", "training_days", "main", 1536 / 24, "approximately"),      # Training time (h)
    ("epoch2026_palm.mfu", "mfu", "main", 0.462, "approximately"),                              # Hardware util. (MFU)
    ("epoch2026_palm.amortized_hardware_energy.training_cost", "training_cost", "amortized_hardware_energy",
     3_060_364.5969860666, "approximately"),                                                    # cost (2023 USD)
]

# (claim id, quantity key, label): the qualitative claims
LABELS = [
    ("chowdhery2022.gpu_model", "gpu_model", "TPU v4"),                   # App. E, Hardware
    ("chowdhery2022.attention_kind", "attention_kind", "multi-query"),    # Sec. 2
    ("chowdhery2022.mlp_kind", "mlp_kind", "SwiGLU"),                     # Sec. 2
    ("chowdhery2022.embedding_tying", "embedding_tying", "tied"),         # Sec. 2
    ("chowdhery2022.architecture_kind", "architecture_kind", "dense transformer"),
    ("pope2022.inference_int8.gpu_model", "gpu_model", "TPU v4"),         # Pope et al. Sec. 1
    ("pope2022.inference_int8.weight_dtype", "weight_dtype", "int8"),     # Pope et al. abstract
    ("epoch2026_palm.gpu_model", "gpu_model", "Google TPU v4"),           # Epoch row, Training hardware
]


@pytest.fixture(scope="module")
def control():
    return gpt4leak.load_catalogue(FILE)



def test_loads_alone_about_one_model(control):
    assert {c.subject for c in control.claims} == {"palm-540b"}
    assert any(s.kind == "published" for s in control.sources)
    # the papers, and beside them a secondary estimate (the Epoch AI database row), all cited
    assert all(s.kind in ("published", "estimate") and s.citation and s.url for s in control.sources)


@pytest.mark.parametrize("claim_id, quantity, scenario, expected, qualifier", PUBLISHED,
                         ids=[row[0] for row in PUBLISHED])
def test_published_value(control, claim_id, quantity, scenario, expected, qualifier):
    assert_published(control.claim(claim_id), quantity, scenario, expected, qualifier)


@pytest.mark.parametrize("claim_id, quantity, label", LABELS, ids=[row[0] for row in LABELS])
def test_published_label(control, claim_id, quantity, label):
    c = control.claim(claim_id)
    assert (c.quantity, c.label, c.qualifier) == (quantity, label, "exact")


def test_every_number_is_in_the_table(control):
    assert_every_number_typed(control, PUBLISHED, LABELS)


def test_the_served_weights_are_one_byte_each(control):
    """Pope et al. 2022: "int8 weight quantization", one byte per parameter, in the inference_int8 scenario."""
    c = control.claim("pope2022.inference_int8.weight_dtype")
    assert c.scenario == "inference_int8"
    assert c.interval.mid == 1.0
    assert control.claim("pope2022.inference_int8.gpu_model").scenario == "inference_int8"


def test_the_two_flop_counts_are_two_conventions(control):
    """Table 22 counts 3.28 TFLOPs per token (attention included) x 780B tokens; Table 31 is 6 x 540B x 780B."""
    assert 3.28e12 * 780e9 == pytest.approx(control.claim("chowdhery2022.training_flop").interval.mid, rel=2e-3)
    assert 6 * 540e9 * 780e9 == pytest.approx(
        control.claim("chowdhery2022.training_flop_6nd_table").interval.mid, rel=1e-12)


# ------------------------------------------------------------------ the published count check
# Sec. 2 and Table 1: decoder-only, SwiGLU MLP with d_ff = 4 d_model (three matrices), parallel layers
# (one LayerNorm per layer, no biases anywhere), multi-query attention with heads of width 256, RoPE
# (no position parameters), shared input-output embeddings, a 256k vocabulary (256,000 entries).
def _palm(n_layers, d_model, n_heads, norm="layernorm_no_bias"):
    return gpt4leak.Architecture(
        name="PaLM", n_layers=n_layers, d_model=d_model, n_heads=n_heads, n_kv_heads=1, head_dim=256,
        d_ff=4 * d_model, mlp="gated", vocab_size=256_000, tie_embeddings=True, position="rotary",
        attention_bias=False, mlp_bias=False, norm=norm, norms_per_layer=1, final_norm=True)


def test_shape_gives_the_published_540b(control):
    full = _palm(118, 18432, 48).total_params
    assert full == 540_356_474_880
    headline = control.claim("chowdhery2022.total_params_headline").interval
    assert headline.low <= full <= headline.high
    # Table 1's 540.35 is the count without the 118 + 1 LayerNorm scales (2,193,408 parameters):
    # with them the shape gives 540.3565B, 1.5M above Table 1's +-0.005B; without them 540.3543B.
    table = control.claim("chowdhery2022.total_params").interval
    no_norms = _palm(118, 18432, 48, norm="none").total_params
    assert no_norms == 540_354_281_472
    assert table.low <= no_norms <= table.high
    assert full - no_norms == 119 * 18432


@pytest.mark.parametrize("n_layers, d_model, n_heads, published", [
    (32, 4096, 16, 8.63e9),       # Table 1, PaLM 8B
    (64, 8192, 32, 62.50e9),      # Table 1, PaLM 62B
    (118, 18432, 48, 540.35e9),   # Table 1, PaLM 540B
])
def test_table1_rows_from_shape(n_layers, d_model, n_heads, published):
    """All three rows of Table 1 (two decimals in billions) from the shape, norm scales left out."""
    assert _palm(n_layers, d_model, n_heads, norm="none").total_params == pytest.approx(published, abs=0.005e9)


def test_epoch_training_time_adds_the_two_phases(control):
    """Epoch's "Training time (hours)" 1536 = 1200 h on 6144 chips + 336 h on 3072 chips: wall-clock of two
    phases on different chip counts, 1536 / 1368 = 1.12 times the 6144-chip-equivalent hours its notes give."""
    e = control.claim("epoch2026_palm.training_days").interval.mid * 24
    p6144 = control.claim("chowdhery2022.phase_6144.training_days").interval.mid * 24
    p3072 = control.claim("chowdhery2022.phase_3072.training_days").interval.mid * 24
    assert e == pytest.approx(p6144 + p3072)
    assert e / (p6144 + p3072 * 3072 / 6144) == pytest.approx(1536 / 1368)
