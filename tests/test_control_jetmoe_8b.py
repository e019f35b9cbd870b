"""Control catalogue claims/controls/jetmoe_8b.yaml: JetMoE-8B as its authors published it.

The table below was typed by hand from the primary texts, not copied from the YAML: Shen, Guo, Cai and Qin
2024, "JetMoE: Reaching Llama2 Performance with 0.1M Dollars", arXiv:2404.07413 (abstract, Sec. 2.2-2.3,
4.1, 4.2 with Table 1, 4.3, 5.3) and the jetmoe/jetmoe-8b model card ("Key Messages" with footnote 1,
"Model Details", "Training Details"). Each row: claim id, quantity key, scenario, the value as written in
the quantity's base unit, and the qualifier its wording carries.

JetMoE has attention experts (a mixture of attention heads with shared key/value projections), which
gpt4leak.Architecture does not model; the published-count check below therefore counts Table 1's shape by
the formulas of the paper's Section 2 by hand instead of building an Architecture.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import gpt4leak
from control_table import assert_every_number_typed, assert_published

FILE = Path(__file__).resolve().parents[1] / "claims" / "controls" / "jetmoe_8b.yaml"
SUBJECT = "jetmoe-8b"
WEEK = 7  # days

# (claim id, quantity key, scenario, value as written in the base unit, qualifier)
PUBLISHED = [
    # --- the paper, Table 1: P_total | P_active | n_layers | D_model | N_experts | Top-k | n_kv_heads | D_head | D_mlp
    ("shen2024.total_params", "total_params", "main", 8e9, "nominal"),                 # "8B"
    ("shen2024.active_params", "active_params", "main", 2e9, "nominal"),               # "2B"
    ("shen2024.n_layers", "n_layers", "main", 24, "exact"),
    ("shen2024.d_model", "d_model", "main", 2048, "exact"),
    ("shen2024.n_experts", "n_experts", "main", 8, "exact"),
    ("shen2024.experts_per_token", "experts_per_token", "main", 2, "exact"),
    ("shen2024.n_kv_heads", "n_kv_heads", "main", 16, "exact"),
    ("shen2024.d_head", "d_head", "main", 128, "exact"),
    ("shen2024.expert_d_ff", "expert_d_ff", "main", 5632, "exact"),
    # --- the paper: the run (abstract, Sec. 4.1, 4.2)
    ("shen2024.training_tokens", "training_tokens", "main", 1.25e12, "approximately"),  # abstract "1.25T"
    ("shen2024.training_gpu_hours", "training_gpu_hours", "main", 30_000, "approximately"),  # "30,000 H100 GPU hours"
    ("shen2024.training_cost", "training_cost", "main", 0.1e6, "less_than"),            # "less than $0.1 million"
    ("shen2024.n_gpus", "n_gpus", "main", 96, "exact"),                                 # Sec. 4.1 "96 H100s"
    ("shen2024.seq_len_pretrain", "seq_len_pretrain", "main", 4096, "exact"),           # Sec. 4.2
    ("shen2024.batch_tokens", "batch_tokens", "main", 4e6, "approximately"),            # Sec. 4.2 "4M tokens"
    ("shen2024.alignment.training_gpu_hours", "training_gpu_hours", "alignment", 60, "approximately"),  # Sec. 5.3
    # --- the model card
    ("myshell2024_jetmoe_model_card.total_params", "total_params", "main", 8e9, "nominal"),     # "8 billion"
    ("myshell2024_jetmoe_model_card.active_params", "active_params", "main", 2.2e9, "approximately"),
    ("myshell2024_jetmoe_model_card.n_gpus", "n_gpus", "main", 96, "exact"),                    # "96×H100"
    ("myshell2024_jetmoe_model_card.training_days", "training_days", "main", 2 * WEEK, "approximately"),
    ("myshell2024_jetmoe_model_card.training_cost", "training_cost", "main", 0.08e6, "approximately"),
    ("myshell2024_jetmoe_model_card.training_tokens", "training_tokens", "main", 1.25e12, "approximately"),
    ("myshell2024_jetmoe_model_card.batch_tokens", "batch_tokens", "main", 4e6, "approximately"),
    ("myshell2024_jetmoe_model_card.phase_1.training_tokens", "training_tokens", "phase_1", 1e12, "approximately"),
    ("myshell2024_jetmoe_model_card.phase_2.training_tokens", "training_tokens", "phase_2", 250e9,
     "approximately"),
]

# (claim id, quantity key, label) for the kinds, as the sources name them
PUBLISHED_LABELS = [
    ("shen2024.mlp_kind", "mlp_kind", "SwiGLU"),                                          # Sec. 2.2
    ("shen2024.gpu_model", "gpu_model", "H100"),                                          # Sec. 4.1
    ("myshell2024_jetmoe_model_card.gpu_model", "gpu_model", "H100"),                     # footnote 1
    ("shen2024.architecture_kind", "architecture_kind", "mixture of experts (attention and MLP experts)"),
    ("shen2024.attention_kind", "attention_kind",
     "mixture of attention heads (MoA), key and value projections shared across experts"),  # Sec. 2.3
]

# Table 1 of the paper, typed in.
TABLE1 = dict(n_layers=24, d_model=2048, n_experts=8, top_k=2, n_kv_heads=16, d_head=128, d_mlp=5632)


@pytest.fixture(scope="module")
def cat():
    return gpt4leak.load_catalogue(FILE)



def test_file_loads_alone_and_is_about_one_model(cat):
    assert {c.subject for c in cat.claims} == {SUBJECT}
    assert all(s.kind == "published" and s.citation and s.url for s in cat.sources)


@pytest.mark.parametrize("claim_id, quantity, scenario, expected, qualifier", PUBLISHED,
                         ids=[row[0] for row in PUBLISHED])
def test_published_value(cat, claim_id, quantity, scenario, expected, qualifier):
    assert_published(cat.claim(claim_id), quantity, scenario, expected, qualifier, subject=SUBJECT)


@pytest.mark.parametrize("claim_id, quantity, label", PUBLISHED_LABELS, ids=[row[0] for row in PUBLISHED_LABELS])
def test_published_label(cat, claim_id, quantity, label):
    c = cat.claim(claim_id)
    assert (c.quantity, c.label, c.qualifier) == (quantity, label, "exact")


def test_every_number_is_in_the_table(cat):
    assert_every_number_typed(cat, PUBLISHED, PUBLISHED_LABELS)


def test_every_claim_says_where_it_is(cat):
    where = ("Table", "Sec", "Abstract", "abstract", "Introduction", "caption", "Figure", "footnote", "Footnote")
    for c in cat.claims:
        assert any(w in c.notes or c.quote.startswith(w) for w in where), c.id


def test_sources_agree_where_they_overlap(cat):
    groups: dict[tuple, list] = {}
    for c in cat.claims:
        if c.is_quantitative:
            groups.setdefault((c.scenario, c.quantity), []).append(c)
    for cs in groups.values():
        for a in cs:
            for b in cs:
                if a.source < b.source:
                    assert max(a.interval.low, b.interval.low) <= min(a.interval.high, b.interval.high), (a.id, b.id)


def _moa_moe_counts(n_layers, d_model, n_experts, top_k, n_kv_heads, d_head, d_mlp):
    """Matrix weights of Table 1's shape by the paper's Section 2 (no embeddings, norms, routers or biases).

    MLP expert (Sec. 2.2): W_in (2 D_ffd, D_emb) and W_out (D_emb, D_ffd), i.e. 3 D_emb D_ffd.
    Attention expert (Sec. 2.3): its own W_q and W_o (D_emb x D_att each, D_att = heads x D_head, here the
    width of the shared key/value projection, n_kv_heads x D_head); W_k and W_v are shared by all experts.
    """
    d_att = n_kv_heads * d_head
    mlp_expert = 3 * d_model * d_mlp
    attn_expert = 2 * d_model * d_att
    shared_kv = 2 * d_model * d_att
    total = n_layers * (n_experts * (mlp_expert + attn_expert) + shared_kv)
    active = n_layers * (top_k * (mlp_expert + attn_expert) + shared_kv)
    return total, active


def test_table1_shape_count_is_inside_the_published_size(cat):
    total, active = _moa_moe_counts(**TABLE1)
    assert total == 8_455_716_864          # 8.46B before the (untied or tied) embedding table
    assert active == 2_264_924_160
    for cid in ("shen2024.total_params", "myshell2024_jetmoe_model_card.total_params"):
        iv = cat.claim(cid).interval
        assert iv.low <= total <= iv.high, cid
        # any embedding table up to a 64K vocabulary, tied or not, keeps it inside "8B"
        assert total + 2 * 65_536 * TABLE1["d_model"] <= iv.high, cid
    assert cat.claim("shen2024.active_params").interval.low <= active <= cat.claim("shen2024.active_params").interval.high
