"""Control catalogue claims/controls/llama3_405b.yaml: Llama 3.1 405B.

The table below was typed by hand from the primary texts, not copied from the YAML:
  Llama Team, AI @ Meta 2024, "The Llama 3 Herd of Models", arXiv:2407.21783 (abstract, Sec. 1, 3.2 with
  Table 3, 3.2.1, 3.3.1, 3.3.2 with Table 4, 3.4.1-3.4.3, 6.1-6.2 with the legends of Figures 24 and 27); the Llama 3.1 model card (meta-llama/llama-models,
  models/llama3_1/MODEL_CARD.md); Meta's model arguments for the released 405B checkpoints
  (meta-llama/llama-models, models/sku_list.py) and reference model code (models/llama3/reference_impl/model.py).
Secondary estimate: Epoch AI, Data on AI Models, notable_ai_models.csv (May 2026 export), row "Llama 3.1-405B"
(source kind "estimate"; columns as named there).
Each row: (claim id, quantity key, scenario, value in the key's base unit, qualifier). For "between" the
value is (low, high); for "at_most" it is the upper bound, for "more_than" the lower bound.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import gpt4leak
from control_table import assert_every_number_typed, assert_published

YAML = Path(__file__).resolve().parents[1] / "claims" / "controls" / "llama3_405b.yaml"
SUBJECT = "llama-3.1-405b"

PUBLISHED = [
    # --- the paper: size and shape
    ("dubey2024.total_params", "total_params", "main", 405e9, "nominal"),             # abstract, "405B"
    ("dubey2024.n_layers", "n_layers", "main", 126, "exact"),                         # Sec. 3.2, Table 3
    ("dubey2024.d_model", "d_model", "main", 16384, "exact"),                         # Sec. 3.2, Table 3
    ("dubey2024.n_heads", "n_heads", "main", 128, "exact"),                           # Sec. 3.2, Table 3
    ("dubey2024.n_kv_heads", "n_kv_heads", "main", 8, "exact"),                       # Table 3
    ("dubey2024.d_ff", "d_ff", "main", 53248, "exact"),                               # Table 3, FFN Dimension
    ("dubey2024.vocab_size", "vocab_size", "main", 128000, "approximately"),          # Table 3
    # --- the paper: the run
    ("dubey2024.training_flop", "training_flop", "main", 3.8e25, "approximately"),    # Sec. 1
    ("dubey2024.training_tokens", "training_tokens", "main", 15.6e12, "approximately"),  # Sec. 1
    ("dubey2024.seq_len_pretrain", "seq_len_pretrain", "main", 8192, "exact"),        # Sec. 3.4.1
    ("dubey2024.seq_len_finetune", "seq_len_finetune", "main", 128 * 1024, "approximately"),  # "128K": binary k
    ("dubey2024.batch_tokens", "batch_tokens", "main", 16e6, "approximately"),        # Sec. 3.4.1, "16M"
    ("dubey2024.n_gpus", "n_gpus", "main", 16384, "at_most"),                         # Sec. 3.3.1 "up to 16K"
    ("dubey2024.mfu", "mfu", "main", (0.38, 0.43), "between"),                        # Sec. 3.3.2 "38-43%"
    ("dubey2024.tensor_parallel", "tensor_parallel", "main", 8, "exact"),             # Table 4, TP
    ("dubey2024.pipeline_parallel", "pipeline_parallel", "main", 16, "exact"),        # Table 4, PP
    # --- Table 4, row 1
    ("dubey2024.stage_8k_8192gpus.n_gpus", "n_gpus", "stage_8k_8192gpus", 8192, "exact"),
    ("dubey2024.stage_8k_8192gpus.seq_len_pretrain", "seq_len_pretrain", "stage_8k_8192gpus", 8192, "exact"),
    ("dubey2024.stage_8k_8192gpus.batch_tokens", "batch_tokens", "stage_8k_8192gpus", 16e6, "approximately"),
    ("dubey2024.stage_8k_8192gpus.mfu", "mfu", "stage_8k_8192gpus", 0.43, "approximately"),
    # --- Table 4, row 2
    ("dubey2024.stage_8k_16384gpus.n_gpus", "n_gpus", "stage_8k_16384gpus", 16384, "exact"),
    ("dubey2024.stage_8k_16384gpus.seq_len_pretrain", "seq_len_pretrain", "stage_8k_16384gpus", 8192, "exact"),
    ("dubey2024.stage_8k_16384gpus.batch_tokens", "batch_tokens", "stage_8k_16384gpus", 16e6, "approximately"),
    ("dubey2024.stage_8k_16384gpus.mfu", "mfu", "stage_8k_16384gpus", 0.41, "approximately"),
    # --- Table 4, row 3 and Sec. 3.4.2
    ("dubey2024.long_context.n_gpus", "n_gpus", "long_context", 16384, "exact"),
    ("dubey2024.long_context.seq_len_finetune", "seq_len_finetune", "long_context", 131072, "exact"),
    ("dubey2024.long_context.batch_tokens", "batch_tokens", "long_context", 16e6, "approximately"),
    ("dubey2024.long_context.mfu", "mfu", "long_context", 0.38, "approximately"),
    ("dubey2024.long_context.training_tokens", "training_tokens", "long_context", 800e9, "approximately"),
    # --- Sec. 3.4.3
    ("dubey2024.annealing.training_tokens", "training_tokens", "annealing", 40e6, "approximately"),
    # --- Sec. 3.2.1, the scaling-law prediction: "a 402B parameter model on 16.55T tokens" at 3.8 x 10^25
    ("dubey2024.compute_optimal.training_flop", "training_flop", "compute_optimal", 3.8e25, "approximately"),
    ("dubey2024.compute_optimal.total_params", "total_params", "compute_optimal", 402e9, "approximately"),
    ("dubey2024.compute_optimal.training_tokens", "training_tokens", "compute_optimal", 16.55e12,
     "approximately"),
    # --- Sec. 6.1 with the legend of Fig. 24: BF16 "across 16 GPUs on two machines", TP8/PP2
    ("dubey2024.inference.inference_gpus", "inference_gpus", "inference", 16, "exact"),
    ("dubey2024.inference.inference_nodes", "inference_nodes", "inference", 2, "exact"),
    ("dubey2024.inference.gpus_per_node", "gpus_per_node", "inference", 8, "exact"),
    ("dubey2024.inference.inference_tensor_parallel", "inference_tensor_parallel", "inference", 8, "exact"),
    ("dubey2024.inference.inference_pipeline_parallel", "inference_pipeline_parallel", "inference", 2, "exact"),
    ("dubey2024.inference.inference_seq_len", "inference_seq_len", "inference", 4096, "exact"),
    # --- Sec. 6.2 with the legend of Fig. 27: "TP8 (FP8)", "FP8 fits in one node"
    ("dubey2024.inference_fp8.inference_tensor_parallel", "inference_tensor_parallel", "inference_fp8", 8,
     "exact"),
    ("dubey2024.inference_fp8.inference_nodes", "inference_nodes", "inference_fp8", 1, "exact"),
    ("dubey2024.inference_fp8.gpus_per_node", "gpus_per_node", "inference_fp8", 8, "exact"),
    ("dubey2024.inference_fp8.inference_gpus", "inference_gpus", "inference_fp8", 8, "exact"),
    ("dubey2024.inference_fp8.inference_seq_len", "inference_seq_len", "inference_fp8", 4096, "exact"),
    ("dubey2024.inference_fp8.weight_dtype", "weight_dtype", "inference_fp8", 1, "exact"),  # Sec. 6.2: FP8, 1 byte
    # --- the model card
    ("meta2024_llama31_model_card.training_gpu_hours", "training_gpu_hours", "main", 30.84e6, "approximately"),
    ("meta2024_llama31_model_card.training_tokens", "training_tokens", "main", 15e12, "more_than"),  # "15T+"
    # --- the released model arguments (sku_list.py)
    ("meta2024_llama31_405b_config.n_layers", "n_layers", "main", 126, "exact"),
    ("meta2024_llama31_405b_config.d_model", "d_model", "main", 16384, "exact"),
    ("meta2024_llama31_405b_config.n_heads", "n_heads", "main", 128, "exact"),
    ("meta2024_llama31_405b_config.n_kv_heads", "n_kv_heads", "main", 8, "exact"),
    ("meta2024_llama31_405b_config.vocab_size", "vocab_size", "main", 128256, "exact"),
    # --- Epoch AI database row "Llama 3.1-405B"
    ("epoch2026_llama31_405b.total_params", "total_params", "main", 405e9, "nominal"),           # Parameters, 405B
    ("epoch2026_llama31_405b.training_flop", "training_flop", "main", 3.8e25, "approximately"),  # compute
    ("epoch2026_llama31_405b.training_tokens", "training_tokens", "main", 15.6e12, "approximately"),
    ("epoch2026_llama31_405b.n_gpus", "n_gpus", "main", 16384, "exact"),                         # Hardware qty
    ("epoch2026_llama31_405b.training_days", "training_days", "main", 2142 / 24, "approximately"),
    ("epoch2026_llama31_405b.mfu", "mfu", "main", 0.4042, "approximately"),
    ("epoch2026_llama31_405b.amortized_hardware_energy.training_cost", "training_cost", "amortized_hardware_energy",
     52_885_433.95402246, "approximately"),                                                      # 2023 USD
]

# (claim id, quantity, label): kinds and labels as the sources write them
PUBLISHED_LABELS = [
    ("dubey2024.mlp_kind", "mlp_kind", "SwiGLU"),                                  # Table 3
    ("dubey2024.gpu_model", "gpu_model", "H100"),                                  # Sec. 3.3.1
    ("dubey2024.attention_kind", "attention_kind", "grouped-query"),               # Sec. 3.2
    ("dubey2024.architecture_kind", "architecture_kind", "dense transformer"),     # Sec. 3.2
    ("dubey2024.inference.gpu_model", "gpu_model", "H100"),                        # Sec. 6.1
    ("dubey2024.inference_fp8.gpu_model", "gpu_model", "H100"),                    # Sec. 6.2
    ("meta2024_llama31_model_card.gpu_model", "gpu_model", "H100-80GB"),
    ("epoch2026_llama31_405b.gpu_model", "gpu_model", "NVIDIA H100 SXM5 80GB"),
    ("meta2024_llama3_reference_model.embedding_tying", "embedding_tying", "untied"),
]

# The released model arguments, typed from sku_list.py (dim, n_layers, n_heads, n_kv_heads, vocab_size) with
# the FFN width of the reference FeedForward (ffn_dim_multiplier 1.2, multiple_of 4096 -> 53,248) and the
# untied output layer of the reference Transformer.
RELEASED_SHAPE = dict(n_layers=126, d_model=16384, n_heads=128, n_kv_heads=8, d_ff=53248, mlp="gated",
                      vocab_size=128256, tie_embeddings=False, norm="rmsnorm", position="rotary")


@pytest.fixture(scope="module")
def cat():
    return gpt4leak.load_catalogue(YAML)


def test_loads_alone_and_is_about_one_model(cat):
    assert {c.subject for c in cat.claims} == {SUBJECT}
    assert any(s.kind == "published" for s in cat.sources)
    # the papers, and beside them a secondary estimate (the Epoch AI database row), all cited
    assert all(s.kind in ("published", "estimate") and s.citation and s.url for s in cat.sources)


@pytest.mark.parametrize("claim_id, quantity, scenario, expected, qualifier", PUBLISHED,
                         ids=[row[0] for row in PUBLISHED])
def test_published_value(cat, claim_id, quantity, scenario, expected, qualifier):
    assert_published(cat.claim(claim_id), quantity, scenario, expected, qualifier, subject=SUBJECT)


@pytest.mark.parametrize("claim_id, quantity, label", PUBLISHED_LABELS, ids=[r[0] for r in PUBLISHED_LABELS])
def test_published_label(cat, claim_id, quantity, label):
    c = cat.claim(claim_id)
    assert (c.quantity, c.label, c.qualifier) == (quantity, label, "exact")


def test_every_number_is_in_the_table(cat):
    assert_every_number_typed(cat, PUBLISHED, PUBLISHED_LABELS)


def test_released_shape_count_is_inside_the_papers_405b():
    arch = gpt4leak.Architecture(**RELEASED_SHAPE)
    assert arch.total_params == 405_853_388_800
    c = gpt4leak.load_catalogue(YAML).claim("dubey2024.total_params")
    assert c.interval.low <= arch.total_params <= c.interval.high


def test_released_shape_matches_the_paper(cat):
    for key, field in [("n_layers", "n_layers"), ("d_model", "d_model"), ("n_heads", "n_heads"),
                       ("n_kv_heads", "n_kv_heads"), ("d_ff", "d_ff")]:
        assert cat.claim(f"dubey2024.{key}").interval.mid == RELEASED_SHAPE[field]
    vocab = cat.claim("dubey2024.vocab_size").interval
    assert vocab.low <= RELEASED_SHAPE["vocab_size"] <= vocab.high


def test_epoch_training_time_is_gpu_hours_over_16k_with_downtime(cat):
    """Epoch's 2142 h = 30.84M GPU-hours / 16,000 GPUs / 0.9 ("higher than 90% effective training time"): a
    wall-clock with lost time, so its 16,384 GPUs x 2142 h exceed the card's GPU-hours by 16384/16000/0.9."""
    gpu_hours = cat.claim("meta2024_llama31_model_card.training_gpu_hours").interval.mid
    hours = cat.claim("epoch2026_llama31_405b.training_days").interval.mid * 24
    assert gpu_hours / 16_000 / 0.9 == pytest.approx(hours, abs=0.5)
    gpus = cat.claim("epoch2026_llama31_405b.n_gpus").interval.mid
    assert gpus * hours / gpu_hours == pytest.approx(16384 / 16000 / 0.9, rel=1e-3)
