"""The Gopher 280B control (claims/controls/gopher_280b.yaml) against the papers.

Published: Rae et al. 2021, "Scaling Language Models: Methods, Analysis & Insights from Training Gopher",
arXiv:2112.11446: abstract (280 billion), Sec. 3.1 and Table 1 (80 layers, 128 heads of key/value size 128,
d_model 16,384, batch 3M -> 6M tokens, SentencePiece vocabulary of 32,000), Sec. 3.2 (300 billion tokens,
2048-token context), Sec. 3.3 (TPUv3). Hoffmann et al. 2022, arXiv:2203.15556, Figure 2 caption (the FLOPs
used to train Gopher, 5.76 x 10^23), and for scenario compute_optimal Sec. 4 (the optimal size for the
Gopher compute budget "between 40 and 70 billion parameters") and Table 3 (67 Billion | 5.76e+23 | 1 |
1.5 Trillion). Chowdhery et al. 2022, arXiv:2204.02311, Table 3 and Sec. 4.1
(Gopher on 4096 TPU v3 chips, MFU 32.5%).

The table below was typed by hand from the papers, not copied from the YAML: claim id, quantity key,
scenario, the value as the paper writes it in the quantity's base unit, and the qualifier its wording
carries. TPU v3 chips are counted under n_gpus.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import gpt4leak
from control_table import assert_every_number_typed, assert_published

FILE = Path(__file__).resolve().parents[1] / "claims" / "controls" / "gopher_280b.yaml"

# (claim id, quantity key, scenario, value as written in the base unit, qualifier)
PUBLISHED = [
    ("rae2021.total_params", "total_params", "main", 280e9, "nominal"),                    # abstract
    ("rae2021.n_layers", "n_layers", "main", 80, "exact"),                                  # Table 1
    ("rae2021.n_heads", "n_heads", "main", 128, "exact"),                                   # Table 1
    ("rae2021.d_head", "d_head", "main", 128, "exact"),                                     # Table 1, Key/Value Size
    ("rae2021.d_model", "d_model", "main", 16384, "exact"),                                 # Table 1
    ("rae2021.vocab_size", "vocab_size", "main", 32000, "exact"),                           # Sec. 3.1
    ("rae2021.training_tokens", "training_tokens", "main", 300e9, "approximately"),        # Sec. 3.2
    ("rae2021.seq_len_pretrain", "seq_len_pretrain", "main", 2048, "exact"),                # Sec. 3.2
    ("rae2021.batch_tokens", "batch_tokens", "main", 6e6, "approximately"),                 # Table 1, 3M -> 6M
    ("hoffmann2022_on_gopher.training_flop", "training_flop", "main", 5.76e23, "approximately"),  # Fig. 2
    ("chowdhery2022_on_gopher.n_gpus", "n_gpus", "main", 4096, "exact"),                    # PaLM Table 3
    ("chowdhery2022_on_gopher.mfu", "mfu", "main", 0.325, "approximately"),                 # PaLM Sec. 4.1
    # Hoffmann et al. 2022 on the compute-optimal model for Gopher's budget (for "between": (low, high))
    ("hoffmann2022_on_gopher.compute_optimal.training_flop", "training_flop", "compute_optimal", 5.76e23,
     "approximately"),                                                                     # Fig. 2 caption
    ("hoffmann2022_on_gopher.compute_optimal.total_params", "total_params", "compute_optimal", (40e9, 70e9),
     "between"),                                                                           # Sec. 4
    ("hoffmann2022_on_gopher.compute_optimal.training_tokens", "training_tokens", "compute_optimal", 1.5e12,
     "approximately"),                                                                     # Table 3
]

# (claim id, quantity key, label): the qualitative claims
LABELS = [
    ("rae2021.gpu_model", "gpu_model", "TPU v3"),                          # Sec. 3.3, "TPUv3 chips"
    ("rae2021.mlp_kind", "mlp_kind", "two-matrix"),                        # Sec. 3.1, Radford et al. 2019
    ("rae2021.architecture_kind", "architecture_kind", "dense transformer"),
]


@pytest.fixture(scope="module")
def control():
    return gpt4leak.load_catalogue(FILE)



def test_loads_alone_about_one_model(control):
    assert {c.subject for c in control.claims} == {"gopher-280b"}
    assert all(s.kind == "published" and s.citation and s.url for s in control.sources)


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


# ------------------------------------------------------------------ the published count check
# Sec. 3.1: the GPT-2 architecture (Radford et al. 2019: two-matrix MLP, here 4 x d_model wide), RMSNorm
# instead of LayerNorm, and Transformer-XL relative positions (Dai et al. 2019) instead of absolute ones.
# The paper does not say whether the embeddings are tied, so both are tried.
N_LAYERS, D_MODEL, N_HEADS, KV_SIZE, VOCAB = 80, 16384, 128, 128, 32000   # Table 1, Sec. 3.1


def _gopher(tied: bool):
    return gpt4leak.Architecture(
        name="Gopher", n_layers=N_LAYERS, d_model=D_MODEL, n_heads=N_HEADS, head_dim=KV_SIZE,
        d_ff=4 * D_MODEL, mlp="gelu", vocab_size=VOCAB, tie_embeddings=tied, position="none",
        attention_bias=False, mlp_bias=False, norm="rmsnorm")


# Dai et al. 2019, eq. (4): each layer projects the sinusoidal relative encodings R with its own
# W_{k,R} (d_model -> n_heads x d_head); Architecture has no field for it, so it is added here.
RELATIVE_POSITION_PARAMS = N_LAYERS * D_MODEL * N_HEADS * KV_SIZE


@pytest.mark.parametrize("tied", [True, False])
def test_shape_gives_the_published_280b(control, tied):
    label = control.claim("rae2021.total_params").interval
    blocks = _gopher(tied).total_params
    assert 258.2e9 < blocks < 258.8e9             # attention + MLP + embeddings + RMSNorm gains
    assert not label.low <= blocks <= label.high  # without the relative-position projections: 8% short
    total = blocks + RELATIVE_POSITION_PARAMS     # + 21.5B
    assert label.low <= total <= label.high
    assert total == pytest.approx(280e9, rel=2e-3)  # 279.70B tied, 280.22B untied
