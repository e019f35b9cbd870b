"""Control catalogue claims/controls/olmoe_1b_7b.yaml: OLMoE-1B-7B as its authors published it.

The table below was typed by hand from the paper (Muennighoff et al. 2024, arXiv:2409.02060v2: abstract,
Sections 1-2, Table 1, Section 4.1.2 with footnote 4, Appendix B with its Hardware paragraph and Table 10)
and from the released allenai/OLMoE-1B-7B-0924 config.json, not copied from the YAML: claim id, quantity
key, scenario, the value as written in the quantity's base unit, and the qualifier its wording carries.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import gpt4leak
from control_table import assert_every_number_typed, assert_published

FILE = Path(__file__).resolve().parents[1] / "claims" / "controls" / "olmoe_1b_7b.yaml"
SUBJECT = "olmoe-1b-7b"
HOUR = 1 / 24  # days

# (claim id, quantity key, scenario, value as written in the base unit, qualifier)
PUBLISHED = [
    ("muennighoff2024.total_params", "total_params", "main", 6.9e9, "approximately"),        # Sec. 2
    ("muennighoff2024.active_params", "active_params", "main", 1.3e9, "approximately"),      # Sec. 2
    ("muennighoff2024.total_params_abstract", "total_params", "main", 7e9, "nominal"),       # abstract
    ("muennighoff2024.active_params_abstract", "active_params", "main", 1e9, "nominal"),     # abstract
    ("muennighoff2024.n_experts", "n_experts", "main", 64, "exact"),                         # Table 10
    ("muennighoff2024.experts_per_token", "experts_per_token", "main", 8, "exact"),          # Table 10
    ("muennighoff2024.n_shared_experts", "n_shared_experts", "main", 0, "exact"),            # Table 1
    ("muennighoff2024.n_layers", "n_layers", "main", 16, "exact"),                           # Table 10
    ("muennighoff2024.d_model", "d_model", "main", 2048, "exact"),                           # Table 10
    ("muennighoff2024.n_heads", "n_heads", "main", 16, "exact"),                             # Table 10
    ("muennighoff2024.expert_d_ff", "expert_d_ff", "main", 1024, "exact"),                   # Table 10
    ("muennighoff2024.vocab_size", "vocab_size", "main", 50304, "exact"),                    # Table 10
    ("muennighoff2024.training_tokens", "training_tokens", "main", 5.133e12, "approximately"),  # Sec. 2
    ("muennighoff2024.training_tokens_abstract", "training_tokens", "main", 5e12, "approximately"),
    ("muennighoff2024.seq_len_pretrain", "seq_len_pretrain", "main", 4096, "exact"),         # Table 10
    ("muennighoff2024.batch_sequences", "batch_sequences", "main", 1024, "exact"),           # Table 10
    ("muennighoff2024.batch_tokens", "batch_tokens", "main", 4e6, "approximately"),          # Table 10 "~4M"
    ("muennighoff2024.training_flop", "training_flop", "main", 3e22, "approximately"),       # Sec. 4.1.2, fn. 4
    ("muennighoff2024.n_gpus", "n_gpus", "main", 256, "exact"),                              # App. B, Hardware
    ("muennighoff2024.training_days", "training_days", "main", 10, "approximately"),         # App. B, Hardware
    ("muennighoff2024.sft.n_gpus", "n_gpus", "sft", 32, "exact"),                            # App. B, Hardware
    ("muennighoff2024.sft.training_days", "training_days", "sft", 33 * HOUR, "exact"),
    ("muennighoff2024.dpo.n_gpus", "n_gpus", "dpo", 32, "exact"),
    ("muennighoff2024.dpo.training_days", "training_days", "dpo", 14 * HOUR, "exact"),
    # the released config.json
    ("allenai2024_olmoe_config.n_layers", "n_layers", "main", 16, "exact"),
    ("allenai2024_olmoe_config.d_model", "d_model", "main", 2048, "exact"),
    ("allenai2024_olmoe_config.n_heads", "n_heads", "main", 16, "exact"),
    ("allenai2024_olmoe_config.n_kv_heads", "n_kv_heads", "main", 16, "exact"),
    ("allenai2024_olmoe_config.expert_d_ff", "expert_d_ff", "main", 1024, "exact"),
    ("allenai2024_olmoe_config.n_experts", "n_experts", "main", 64, "exact"),
    ("allenai2024_olmoe_config.experts_per_token", "experts_per_token", "main", 8, "exact"),
    ("allenai2024_olmoe_config.vocab_size", "vocab_size", "main", 50304, "exact"),
]

# (claim id, quantity key, label) for the kinds, as the sources name them
PUBLISHED_LABELS = [
    ("muennighoff2024.gpu_model", "gpu_model", "H100"),                      # App. B, Hardware
    ("muennighoff2024.mlp_kind", "mlp_kind", "SwiGLU"),                      # Table 10
    ("muennighoff2024.embedding_tying", "embedding_tying", "untied"),        # Table 10 "Weight tying | no"
    ("allenai2024_olmoe_config.mlp_kind", "mlp_kind", "gated"),              # "hidden_act": "silu"
    ("allenai2024_olmoe_config.embedding_tying", "embedding_tying", "untied"),  # "tie_word_embeddings": false
]

# The fields of allenai/OLMoE-1B-7B-0924's config.json that size the model, typed in.
OLMOE_CONFIG = {
    "model_type": "olmoe",
    "hidden_act": "silu",
    "hidden_size": 2048,
    "intermediate_size": 1024,
    "num_hidden_layers": 16,
    "num_attention_heads": 16,
    "num_key_value_heads": 16,
    "num_experts": 64,
    "num_experts_per_tok": 8,
    "vocab_size": 50304,
    "tie_word_embeddings": False,
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


@pytest.mark.parametrize("claim_id, quantity, label", PUBLISHED_LABELS, ids=[row[0] for row in PUBLISHED_LABELS])
def test_published_label(cat, claim_id, quantity, label):
    c = cat.claim(claim_id)
    assert (c.quantity, c.label, c.qualifier) == (quantity, label, "exact")


def test_every_number_is_in_the_table(cat):
    assert_every_number_typed(cat, PUBLISHED, PUBLISHED_LABELS)


def test_every_claim_says_where_it_is(cat):
    where = ("Table", "Sec", "Appendix", "Abstract", "abstract", "Introduction", "caption", "Figure", "paragraph")
    for c in cat.claims:
        if c.source.endswith("_config"):
            assert c.quote.startswith('"') and '": ' in c.quote, c.id
        else:
            assert any(w in c.notes or c.quote.startswith(w) for w in where), c.id


def test_derived_claims_derive_from_their_own_source(cat):
    for c in cat.claims:
        for d in c.derived_from:
            assert cat.claim(d).source == c.source, (c.id, d)


def test_paper_and_config_agree(cat):
    for c in cat.claims:
        if c.source != "allenai2024_olmoe_config" or not c.is_quantitative:
            continue
        paper = [p for p in cat.claims if p.source == "muennighoff2024" and p.quantity == c.quantity
                 and p.scenario == c.scenario]
        for p in paper:
            assert max(p.interval.low, c.interval.low) <= min(p.interval.high, c.interval.high), (p.id, c.id)


def test_published_count_from_the_released_config(cat):
    """The released shape has the paper's 6.9B total and 1.3B active parameters."""
    arch = gpt4leak.Architecture.from_hf_config(OLMOE_CONFIG)
    assert arch.unmapped_fields == {}
    total = cat.claim("muennighoff2024.total_params").interval
    active = cat.claim("muennighoff2024.active_params").interval
    assert total.low <= arch.total_params <= total.high
    assert active.low <= arch.active_params <= active.high
    # Table 10: "# Vocab params | 103M": the 50,304 x 2,048 embedding table
    assert arch.param_breakdown["embeddings"] == 50304 * 2048


def test_paper_shape_alone_gives_the_published_count(cat):
    """Table 10's shape, with the library's OLMoE defaults for what the table does not list."""
    arch = gpt4leak.Architecture(
        n_layers=16, d_model=2048, n_heads=16, d_ff=1024, mlp="gated", vocab_size=50304,
        tie_embeddings=False, norm="rmsnorm", qk_norm="full", n_experts=64, experts_per_token=8)
    total = cat.claim("muennighoff2024.total_params").interval
    assert total.low <= arch.total_params <= total.high
