"""The BloombergGPT control catalogue (claims/controls/bloomberggpt.yaml) against the paper, typed by hand.

Publication checked: Wu et al. 2023, "BloombergGPT: A Large Language Model for Finance", arXiv:2303.17564 (v3):
abstract, Table 4, Sections 3.1-3.4, Section 4, Appendix A.1-A.5.

The table is (claim id, quantity key, scenario, the value as written in the key's base unit, qualifier).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import gpt4leak
from control_table import assert_every_number_typed, assert_published

FILE = Path(__file__).resolve().parents[1] / "claims" / "controls" / "bloomberggpt.yaml"
SUBJECT = "bloomberggpt"

PUBLISHED = [
    ("wu2023.total_params", "total_params", "main", 50.6e9, "approximately"),             # Table 4
    ("wu2023.total_params_exact", "total_params", "main", 50_558_868_480, "exact"),       # App. A.5 total
    ("wu2023.total_params_headline", "total_params", "main", 50e9, "nominal"),           # abstract
    ("wu2023.n_layers", "n_layers", "main", 70, "exact"),                                 # Table 4
    ("wu2023.n_heads", "n_heads", "main", 40, "exact"),                                   # Table 4
    ("wu2023.d_model", "d_model", "main", 7680, "exact"),                                 # Table 4
    ("wu2023.d_head", "d_head", "main", 192, "exact"),                                    # Sec. 3.2
    ("wu2023.d_ff", "d_ff", "main", 30720, "exact"),                                      # App. A.5, D' = 4D
    ("wu2023.vocab_size", "vocab_size", "main", 131072, "exact"),                         # Table 4, 2^17
    ("wu2023.mlp_kind", "mlp_kind", "main", 2, "exact"),                                  # Sec. 3.1, GELU
    ("wu2023.embedding_tying", "embedding_tying", "main", 1, "exact"),                    # Sec. 3.1, tied
    ("wu2023.training_tokens", "training_tokens", "main", 569e9, "approximately"),       # Table 4, Sec. 4
    ("wu2023.seq_len_pretrain", "seq_len_pretrain", "main", 2048, "exact"),              # Sec. 3.3
    ("wu2023.batch_sequences", "batch_sequences", "main", 2048, "exact"),                # Sec. 3.3
    ("wu2023.batch_tokens", "batch_tokens", "main", 4.2e6, "approximately"),             # Sec. 3.3
    ("wu2023.n_gpus", "n_gpus", "main", 512, "exact"),                                    # Sec. 3.3, 64 x 8
    ("wu2023.training_days", "training_days", "main", 53, "approximately"),              # Sec. 4, ~53 days
    ("wu2023.training_flop", "training_flop", "main", 2.36e23, "approximately"),         # Table 4
    ("wu2023.compute_budget.training_gpu_hours", "training_gpu_hours", "compute_budget", 1.3e6,
     "approximately"),                                                                     # Sec. 3.2
]

LABELS = [
    ("wu2023.architecture_kind", "dense transformer"),
    ("wu2023.attention_kind", "multi-head"),
    ("wu2023.mlp_kind", "GELU"),
    ("wu2023.embedding_tying", "tied"),
    ("wu2023.gpu_model", "A100 40GB"),
]


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


def test_budget_is_kept_apart_from_the_run(cat):
    # 1.3M GPU hours is the Section 3.2 budget; 512 GPUs x ~53 days is ~0.65M. Never in the main scenario.
    assert [c.id for c in cat.claims if c.quantity == "training_gpu_hours" and c.scenario == "main"] == []


def _paper_architecture() -> gpt4leak.Architecture:
    # Appendix A: tied W_em (no LM-head bias), LayerNorm after the embedding (LN_em), per layer LN_in and
    # LN_at (gain and bias), Q/K/V with biases and U with bias c, FFN W_f/U_f (GELU) with biases, final LN_f;
    # ALiBi, no position embedding.
    return gpt4leak.Architecture(
        name="BloombergGPT", n_layers=70, d_model=7680, n_heads=40, head_dim=192, d_ff=30720,
        vocab_size=131072, mlp="gelu", tie_embeddings=True, position="alibi", attention_bias=True,
        mlp_bias=True, norm="layernorm", norms_per_layer=2, final_norm=True, embedding_norm=True)


def test_paper_shape_gives_the_appendix_total():
    assert _paper_architecture().total_params == 50_558_868_480


@pytest.mark.parametrize("claim_id", ["wu2023.total_params", "wu2023.total_params_exact",
                                      "wu2023.total_params_headline"])
def test_published_count_holds_the_model(cat, claim_id):
    iv = cat.claim(claim_id).interval
    assert iv.low <= _paper_architecture().total_params <= iv.high
