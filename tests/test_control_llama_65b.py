"""Control catalogue claims/controls/llama_65b.yaml: LLaMA 65B (version 1).

The table below was typed by hand from the primary texts, not copied from the YAML:
  Touvron et al. 2023a, "LLaMA: Open and Efficient Foundation Language Models", arXiv:2302.13971
  (abstract, Table 2, Sec. 2.2, Sec. 2.4, Table 15); Touvron et al. 2023b (Llama 2), arXiv:2307.09288,
  Table 1 row "Llama 1 65B"; the Hugging Face configuration of the released weights (huggyllama/llama-65b).
Each row: (claim id, quantity key, scenario, value in the key's base unit, qualifier).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import gpt4leak
from control_table import assert_every_number_typed, assert_published

YAML = Path(__file__).resolve().parents[1] / "claims" / "controls" / "llama_65b.yaml"
SUBJECT = "llama-65b"

PUBLISHED = [
    # --- LLaMA paper
    ("touvron2023a.total_params", "total_params", "main", 65.2e9, "nominal"),          # Table 2, "65.2B"
    ("touvron2023a.total_params_name", "total_params", "main", 65e9, "nominal"),       # abstract, "65B"
    ("touvron2023a.n_layers", "n_layers", "main", 80, "exact"),                        # Table 2
    ("touvron2023a.d_model", "d_model", "main", 8192, "exact"),                        # Table 2
    ("touvron2023a.n_heads", "n_heads", "main", 64, "exact"),                          # Table 2
    ("touvron2023a.training_tokens", "training_tokens", "main", 1.4e12, "approximately"),  # Table 2
    ("touvron2023a.batch_tokens", "batch_tokens", "main", 4e6, "approximately"),       # Table 2, Fig. 1
    ("touvron2023a.n_gpus", "n_gpus", "main", 2048, "exact"),                          # Sec. 2.4
    ("touvron2023a.training_days", "training_days", "main", 21, "approximately"),      # Sec. 2.4
    ("touvron2023a.training_gpu_hours", "training_gpu_hours", "main", 1_022_362, "exact"),  # Table 15
    # --- Llama 2 paper, Table 1
    ("touvron2023b.seq_len_pretrain", "seq_len_pretrain", "main", 2048, "approximately"),  # "2k": binary k
    # --- released configuration
    ("huggyllama2023_llama65b_config.n_layers", "n_layers", "main", 80, "exact"),
    ("huggyllama2023_llama65b_config.d_model", "d_model", "main", 8192, "exact"),
    ("huggyllama2023_llama65b_config.n_heads", "n_heads", "main", 64, "exact"),
    ("huggyllama2023_llama65b_config.d_ff", "d_ff", "main", 22016, "exact"),
    ("huggyllama2023_llama65b_config.vocab_size", "vocab_size", "main", 32000, "exact"),
    ("huggyllama2023_llama65b_config.seq_len_pretrain", "seq_len_pretrain", "main", 2048, "exact"),
]

PUBLISHED_LABELS = [
    ("touvron2023a.mlp_kind", "mlp_kind", "SwiGLU"),                                   # Sec. 2.2
    ("touvron2023a.gpu_model", "gpu_model", "A100 80GB"),                              # Sec. 2.4
    ("touvron2023a.attention_kind", "attention_kind", "multi-head"),                   # Sec. 2.4
    ("touvron2023a.architecture_kind", "architecture_kind", "dense transformer"),      # Sec. 2.2
    ("huggyllama2023_llama65b_config.embedding_tying", "embedding_tying", "untied"),   # tie_word_embeddings false
    ("huggyllama2023_llama65b_config.mlp_kind", "mlp_kind", "gated"),                  # hidden_act silu (LlamaMLP)
]

# The released configuration, typed from huggyllama/llama-65b config.json (initial commit).
RELEASED_CONFIG = {
    "architectures": ["LlamaForCausalLM"], "bos_token_id": 1, "eos_token_id": 2, "hidden_act": "silu",
    "hidden_size": 8192, "initializer_range": 0.02, "intermediate_size": 22016, "max_sequence_length": 2048,
    "model_type": "llama", "num_attention_heads": 64, "num_hidden_layers": 80, "pad_token_id": 0,
    "rms_norm_eps": 1e-05, "tie_word_embeddings": False, "torch_dtype": "float16",
    "transformers_version": "4.28.0.dev0", "use_cache": True, "vocab_size": 32000,
}


@pytest.fixture(scope="module")
def cat():
    return gpt4leak.load_catalogue(YAML)


def test_loads_alone_and_is_about_one_model(cat):
    assert {c.subject for c in cat.claims} == {SUBJECT}
    assert all(s.kind == "published" and s.citation and s.url for s in cat.sources)


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


def test_released_config_count_is_inside_the_papers_sizes(cat):
    arch = gpt4leak.Architecture.from_hf_config(RELEASED_CONFIG)
    assert arch.total_params == 65_285_660_672
    for claim_id in ("touvron2023a.total_params", "touvron2023a.total_params_name"):
        iv = cat.claim(claim_id).interval
        assert iv.low <= arch.total_params <= iv.high, claim_id


def test_released_config_matches_table_2(cat):
    arch = gpt4leak.Architecture.from_hf_config(RELEASED_CONFIG)
    assert (arch.n_layers, arch.d_model, arch.n_heads) == tuple(
        cat.claim(f"touvron2023a.{k}").interval.mid for k in ("n_layers", "d_model", "n_heads"))
    assert arch.n_kv_heads == arch.n_heads  # multi-head attention, no num_key_value_heads


def test_gpu_hours_and_days_agree():
    # Table 15's GPU-hours on Section 2.4's 2048 GPUs is 20.8 days, inside "approximately 21 days".
    days = 1_022_362 / 2048 / 24
    assert 20.5 <= days <= 21.5
