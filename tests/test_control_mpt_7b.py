"""The MPT-7B control catalogue (claims/controls/mpt_7b.yaml) against its sources, typed by hand.

Sources checked:
  blog    MosaicML NLP Team 2023, "Introducing MPT-7B" (www.mosaicml.com/blog/mpt-7b): lead paragraph,
          "MPT-7B Base", "Tokenizer", "Training Compute" with the Table 3 caption, Figure 5 caption
  card    Hugging Face model card mosaicml/mpt-7b: Model Description table, Data Mix, Training Configuration
  config  mosaicml/mpt-7b config.json (d_model 4096, n_heads 32, n_layers 32, expansion_ratio 4,
          vocab_size 50432, no_bias true, norm_type low_precision_layernorm, attn_config.alibi true)
  code    blocks.py (MPTMLP: up_proj d_model -> 4 d_model, GELU, down_proj) and modeling_mpt.py
          (MPTForCausalLM "only supports tied word embeddings")

The table is (claim id, quantity key, scenario, the value as written in the key's base unit, qualifier).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import gpt4leak
from control_table import assert_every_number_typed, assert_published

FILE = Path(__file__).resolve().parents[1] / "claims" / "controls" / "mpt_7b.yaml"
SUBJECT = "mpt-7b"

PUBLISHED = [
    # --- blog post
    ("mosaicml2023_mpt7b.total_params", "total_params", "main", 6.7e9, "nominal"),         # "MPT-7B Base"
    ("mosaicml2023_mpt7b.training_tokens", "training_tokens", "main", 1e12, "approximately"),  # lead
    ("mosaicml2023_mpt7b.vocab_size", "vocab_size", "main", 50432, "exact"),                 # "Tokenizer"
    ("mosaicml2023_mpt7b.training_days", "training_days", "main", 9.5, "approximately"),     # "Training Compute"
    ("mosaicml2023_mpt7b.n_gpus", "n_gpus", "main", 440, "exact"),                           # 440xA100-40GB
    ("mosaicml2023_mpt7b.training_cost", "training_cost", "main", 200e3, "approximately"),   # ~$200k
    ("mosaicml2023_mpt7b.gpu_hour_price", "gpu_hour_price", "main", 2.0, "exact"),           # Table 3 caption
    ("mosaicml2023_mpt7b.tensor_parallel", "tensor_parallel", "main", 1, "exact"),           # "without tensor-"
    ("mosaicml2023_mpt7b.pipeline_parallel", "pipeline_parallel", "main", 1, "exact"),       # "or pipeline-"
    # --- model card
    ("mosaicml2023_mpt7b_card.total_params", "total_params", "main", 6.7e9, "nominal"),     # n_parameters 6.7B
    ("mosaicml2023_mpt7b_card.n_layers", "n_layers", "main", 32, "exact"),
    ("mosaicml2023_mpt7b_card.n_heads", "n_heads", "main", 32, "exact"),
    ("mosaicml2023_mpt7b_card.d_model", "d_model", "main", 4096, "exact"),
    ("mosaicml2023_mpt7b_card.vocab_size", "vocab_size", "main", 50432, "exact"),
    ("mosaicml2023_mpt7b_card.seq_len_pretrain", "seq_len_pretrain", "main", 2048, "exact"),
    ("mosaicml2023_mpt7b_card.batch_sequences", "batch_sequences", "main", 1760, "exact"),
    ("mosaicml2023_mpt7b_card.training_tokens", "training_tokens", "main", 1e12, "approximately"),
    ("mosaicml2023_mpt7b_card.n_gpus", "n_gpus", "main", 440, "exact"),
    ("mosaicml2023_mpt7b_card.training_days", "training_days", "main", 9.5, "approximately"),
    # --- config.json
    ("mosaicml2023_mpt7b_config.n_layers", "n_layers", "main", 32, "exact"),
    ("mosaicml2023_mpt7b_config.d_model", "d_model", "main", 4096, "exact"),
    ("mosaicml2023_mpt7b_config.n_heads", "n_heads", "main", 32, "exact"),
    ("mosaicml2023_mpt7b_config.vocab_size", "vocab_size", "main", 50432, "exact"),
    # --- released code: kinds, read as their levels (GELU: 2 matrices; tied: 1 table)
    ("mosaicml2023_mpt7b_code.mlp_kind", "mlp_kind", "main", 2, "exact"),
    ("mosaicml2023_mpt7b_code.embedding_tying", "embedding_tying", "main", 1, "exact"),
]

# (claim id, label as written)
LABELS = [
    ("mosaicml2023_mpt7b.architecture_kind", "dense transformer"),
    ("mosaicml2023_mpt7b.gpu_model", "A100-40GB"),
    ("mosaicml2023_mpt7b_card.gpu_model", "A100-40GB"),
    ("mosaicml2023_mpt7b_config.attention_kind", "multi-head"),
    ("mosaicml2023_mpt7b_code.mlp_kind", "GELU"),
    ("mosaicml2023_mpt7b_code.embedding_tying", "tied"),
]

# mosaicml/mpt-7b config.json, the keys that size the model (values as released)
CONFIG = {
    "d_model": 4096,
    "n_heads": 32,
    "n_layers": 32,
    "expansion_ratio": 4,
    "max_seq_len": 2048,
    "vocab_size": 50432,
    "no_bias": True,
    "norm_type": "low_precision_layernorm",
    "attn_config": {"alibi": True, "attn_type": "multihead_attention"},
}


@pytest.fixture(scope="module")
def cat():
    return gpt4leak.load_catalogue(FILE)



def test_file_loads_alone_and_is_about_one_model(cat):
    assert {c.subject for c in cat.claims} == {SUBJECT}
    assert all(s.kind == "published" and s.citation and s.url for s in cat.sources)


@pytest.mark.parametrize("claim_id, quantity, scenario, expected, qualifier", PUBLISHED,
                         ids=[row[0] for row in PUBLISHED])
def test_published_value(cat, claim_id, quantity, scenario, expected, qualifier):
    assert_published(cat.claim(claim_id), quantity, scenario, expected, qualifier)


@pytest.mark.parametrize("claim_id, label", LABELS, ids=[row[0] for row in LABELS])
def test_published_label(cat, claim_id, label):
    assert cat.claim(claim_id).label == label


def test_every_number_is_in_the_table(cat):
    assert_every_number_typed(cat, PUBLISHED, LABELS)


def test_cost_is_price_times_gpu_hours_as_published(cat):
    # Blog: ~9.5 days on 440 A100-40GB at $2/A100-40GB/hr, "cost ~$200k": 440 x 9.5 x 24 x 2 = $200,640.
    cost = 440 * 9.5 * 24 * 2.0
    iv = cat.claim("mosaicml2023_mpt7b.training_cost").interval
    assert iv.low <= cost <= iv.high


def _released_architecture() -> gpt4leak.Architecture:
    # MPTMLP: up_proj d_model -> expansion_ratio * d_model, GELU, down_proj back (two matrices);
    # no_bias: no biases anywhere, LayerNorm without shift; ALiBi: no position table; LM head tied to wte.
    return gpt4leak.Architecture(
        name="MPT-7B", n_layers=CONFIG["n_layers"], d_model=CONFIG["d_model"], n_heads=CONFIG["n_heads"],
        d_ff=CONFIG["expansion_ratio"] * CONFIG["d_model"], vocab_size=CONFIG["vocab_size"], mlp="gelu",
        tie_embeddings=True, position="alibi", attention_bias=False, mlp_bias=False,
        norm="layernorm_no_bias", norms_per_layer=2, final_norm=True)


def test_released_count():
    # 32 x (4 x 4096^2 + 2 x 4096 x 16384 + 2 x 4096) + 50432 x 4096 + 4096
    assert _released_architecture().total_params == 6_649_286_656


@pytest.mark.parametrize("claim_id", ["mosaicml2023_mpt7b.total_params", "mosaicml2023_mpt7b_card.total_params"])
def test_published_count_holds_the_released_model(cat, claim_id):
    iv = cat.claim(claim_id).interval
    assert iv.low <= _released_architecture().total_params <= iv.high
