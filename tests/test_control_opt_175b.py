"""The OPT-175B control catalogue (claims/controls/pending/opt_175b.yaml) against its sources, typed by hand.

Sources checked:
  paper     Zhang et al. 2022, arXiv:2205.01068 (v4): abstract, Sec. 1, Table 1 (row 175B: #L 96, #H 96,
            d_model 12288, LR 1.2e-4, Batch 2M), Sec. 2.2 (ReLU, sequence length 2048, constant batch),
            Sec. 2.3 (roughly 180B tokens), Sec. 2.4 (992 80GB A100 GPUs, FSDP + Megatron-LM TP),
            Sec. 2.5 (2 months, 35 manual restarts), Sec. 6 (no pipeline parallelism)
  chronicle metaseq projects/OPT/chronicles/final_update.md, 7 Jan 2022: 300B tokens, ~4.30E+23 FLOPs,
            "roughly ~33 days of continuous training on 1024 80GB A100s", a corpus of 180B tokens
  download  metaseq projects/OPT/download_opt175b.md: 124 hosts x 8 = 992 files, 8x tensor parallelism
  code      metaseq/launcher/opt_baselines.py: --share-decoder-input-output-embed, --decoder-learned-pos,
            --activation-fn relu; opt_job_constants.py: ffn_size = 4 * emb_size
  HF card   facebook/opt-* README: GPT-2 byte-level BPE, vocabulary size of 50272

The table is (claim id, quantity key, scenario, the value as written in the key's base unit, qualifier).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import gpt4leak
from control_table import assert_every_number_typed, assert_published, base_value as _base_value

FILE = Path(__file__).resolve().parents[1] / "claims" / "controls" / "pending" / "opt_175b.yaml"
SUBJECT = "opt-175b"
MONTH_DAYS = 365.25 / 12  # pint's month: a twelfth of a Julian year, in days

PUBLISHED = [
    # --- the paper
    ("zhang2022.total_params", "total_params", "main", 175e9, "nominal"),                   # abstract
    ("zhang2022.n_layers", "n_layers", "main", 96, "exact"),                                 # Table 1
    ("zhang2022.n_heads", "n_heads", "main", 96, "exact"),                                   # Table 1
    ("zhang2022.d_model", "d_model", "main", 12288, "exact"),                                # Table 1
    ("zhang2022.batch_tokens", "batch_tokens", "main", 2e6, "approximately"),                # Table 1, "2M"
    ("zhang2022.mlp_kind", "mlp_kind", "main", 2, "exact"),                                  # Sec. 2.2, ReLU
    ("zhang2022.seq_len_pretrain", "seq_len_pretrain", "main", 2048, "exact"),               # Sec. 2.2
    ("zhang2022.unique_tokens", "unique_tokens", "main", 180e9, "approximately"),            # Sec. 2.3
    ("zhang2022.n_gpus", "n_gpus", "main", 992, "exact"),                                    # Sec. 2.4
    ("zhang2022.pipeline_parallel", "pipeline_parallel", "main", 1, "exact"),                # Sec. 6
    ("zhang2022.training_days", "training_days", "main", 2 * MONTH_DAYS, "approximately"),   # Sec. 2.5
    # --- the authors' chronicle (final_update.md)
    ("metaseq2022_opt_final_update.training_tokens", "training_tokens", "main", 300e9, "approximately"),
    ("metaseq2022_opt_final_update.training_flop", "training_flop", "main", 4.30e23, "approximately"),
    ("metaseq2022_opt_final_update.unique_tokens", "unique_tokens", "main", 180e9, "approximately"),
    ("metaseq2022_opt_final_update.continuous_1024.training_flop", "training_flop", "continuous_1024", 4.30e23,
     "approximately"),
    ("metaseq2022_opt_final_update.continuous_1024.training_tokens", "training_tokens", "continuous_1024", 300e9,
     "approximately"),
    ("metaseq2022_opt_final_update.continuous_1024.n_gpus", "n_gpus", "continuous_1024", 1024, "exact"),
    ("metaseq2022_opt_final_update.continuous_1024.training_days", "training_days", "continuous_1024", 33,
     "approximately"),
    # --- metaseq release notes and code
    ("metaseq2022_opt175b_download.tensor_parallel", "tensor_parallel", "main", 8, "exact"),   # "8x tensor"
    ("metaseq2022_opt_code.embedding_tying", "embedding_tying", "main", 1, "exact"),           # tied: 1 table
    # --- Hugging Face model card
    ("huggingface2022_opt_card.vocab_size", "vocab_size", "main", 50272, "exact"),
]

# (claim id, label as written)
LABELS = [
    ("zhang2022.architecture_kind", "dense decoder-only transformer"),
    ("zhang2022.mlp_kind", "ReLU"),
    ("zhang2022.gpu_model", "A100 80GB"),
    ("metaseq2022_opt_final_update.continuous_1024.gpu_model", "A100 80GB"),
    ("metaseq2022_opt_code.embedding_tying", "tied"),
]

# No config.json was released for OPT-175B (weights on request, metaseq format). The shape below is the
# paper's Table 1 row in the form of the released OPT configs (facebook/opt-66b and smaller): ffn_dim is
# 4 x hidden_size as in every one of them and in metaseq's Size.ffn_size; vocab_size from the HF card;
# learned positions for 2048 tokens (OPT keeps 2 extra rows); pre-LayerNorm, biases, tied LM head.
CONFIG_175B = {
    "model_type": "opt",
    "num_hidden_layers": 96,       # Table 1, #L
    "num_attention_heads": 96,     # Table 1, #H
    "hidden_size": 12288,          # Table 1, d_model
    "word_embed_proj_dim": 12288,
    "ffn_dim": 4 * 12288,          # opt_job_constants.py: 4 * self.emb_size
    "vocab_size": 50272,           # HF card
    "max_position_embeddings": 2048,  # Sec. 2.2
    "activation_function": "relu",    # Sec. 2.2
    "do_layer_norm_before": True,
    "enable_bias": True,
    "layer_norm_elementwise_affine": True,
    "_remove_final_layer_norm": False,
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


def test_chronicle_days_are_the_flop_count_at_the_papers_throughput(cat):
    # ~4.30E+23 FLOP on 1024 GPUs at 147 TFLOP/s each (Sec. 1 and 2.4) is the chronicle's ~33 days.
    days = 4.30e23 / (1024 * 147e12) / 86400
    iv = cat.claim("metaseq2022_opt_final_update.continuous_1024.training_days").interval
    assert iv.low <= days <= iv.high


def test_tensor_parallel_times_hosts_is_the_gpu_count(cat):
    # download_opt175b.md: 124 hosts x 8 GPUs = 992 files, one per GPU (8-way TP, 124-way FSDP).
    assert 124 * 8 == _base_value(cat.claim("zhang2022.n_gpus"))
    assert _base_value(cat.claim("zhang2022.n_gpus")) % _base_value(
        cat.claim("metaseq2022_opt175b_download.tensor_parallel")) == 0


def _architecture() -> gpt4leak.Architecture:
    return gpt4leak.Architecture.from_hf_config(CONFIG_175B, name="OPT-175B")


def test_shape_is_read_without_unmapped_fields():
    assert _architecture().unmapped_fields == {}


def test_shape_count():
    # 96 x (12 d^2 + 13 d) + 50272 d + 2050 d + 2 d, d = 12288 (attention and MLP weights and biases,
    # two LayerNorms per layer, token and position tables, final LayerNorm; LM head tied)
    d = 12288
    assert _architecture().total_params == 96 * (12 * d * d + 13 * d) + 50272 * d + 2050 * d + 2 * d
    assert _architecture().total_params == 174_604_468_224


def test_published_count_holds_the_shape(cat):
    iv = cat.claim("zhang2022.total_params").interval
    assert iv.low <= _architecture().total_params <= iv.high
