"""Control catalogue claims/controls/pending/mtnlg_530b.yaml: Megatron-Turing NLG 530B as its authors published it.

The table below was typed by hand from the paper (Smith et al. 2022, arXiv:2201.11990: abstract, Section 2.2
(3D parallelism), Section 2.3 (hardware), the model and training configuration paragraph, the
training-results paragraph) and from the October 2021 announcement post, not copied from the YAML: claim
id, quantity key, scenario, the value as written in the quantity's base unit, and the qualifier.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import gpt4leak
from control_table import assert_every_number_typed, assert_published, base_value as _base_value

FILE = Path(__file__).resolve().parents[1] / "claims" / "controls" / "pending" / "mtnlg_530b.yaml"
SUBJECT = "mt-nlg-530b"

# (claim id, quantity key, scenario, value as written in the base unit, qualifier)
PUBLISHED = [
    ("smith2022.total_params", "total_params", "main", 530e9, "approximately"),         # abstract
    ("smith2022.n_layers", "n_layers", "main", 105, "exact"),                           # model configuration
    ("smith2022.d_model", "d_model", "main", 20480, "exact"),
    ("smith2022.n_heads", "n_heads", "main", 128, "exact"),
    ("smith2022.seq_len_pretrain", "seq_len_pretrain", "main", 2048, "exact"),
    ("smith2022.batch_sequences", "batch_sequences", "main", 1920, "exact"),
    ("smith2022.tensor_parallel", "tensor_parallel", "main", 8, "exact"),
    ("smith2022.pipeline_parallel", "pipeline_parallel", "main", 35, "exact"),
    ("smith2022.training_tokens", "training_tokens", "main", 270e9, "approximately"),   # training results
    ("smith2022.gpus_per_node", "gpus_per_node", "main", 8, "exact"),                   # Sec. 2.3
    ("smith2022.model_replica.n_gpus", "n_gpus", "model_replica", 280, "exact"),        # Sec. 2.2
    ("smith2021_blog.total_params", "total_params", "main", 530e9, "approximately"),    # announcement post
    ("smith2021_blog.n_layers", "n_layers", "main", 105, "exact"),
]

# (claim id, quantity key, label)
PUBLISHED_LABELS = [
    ("smith2022.gpu_model", "gpu_model", "A100 80GB"),                   # Sec. 2.3 "8 NVIDIA 80-GB A100 GPUs"
    ("smith2022.architecture_kind", "architecture_kind", "dense transformer"),  # abstract "monolithic"
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


@pytest.mark.parametrize("claim_id, quantity, label", PUBLISHED_LABELS, ids=[row[0] for row in PUBLISHED_LABELS])
def test_published_label(cat, claim_id, quantity, label):
    c = cat.claim(claim_id)
    assert (c.quantity, c.label, c.qualifier) == (quantity, label, "exact")


def test_every_number_is_in_the_table(cat):
    assert_every_number_typed(cat, PUBLISHED, PUBLISHED_LABELS)


def test_every_claim_says_where_it_is(cat):
    where = ("Table", "Sec", "Appendix", "Abstract", "abstract", "Introduction", "caption", "Figure", "paragraph")
    for c in cat.claims:
        assert any(w in c.notes or c.quote.startswith(w) for w in where), c.id


def test_paper_and_post_agree(cat):
    for key in ("total_params", "n_layers"):
        a = [c for c in cat.claims if c.quantity == key and c.source == "smith2022"]
        b = [c for c in cat.claims if c.quantity == key and c.source == "smith2021_blog"]
        for x in a:
            for y in b:
                assert max(x.interval.low, y.interval.low) <= min(x.interval.high, y.interval.high), (x.id, y.id)


def test_replica_is_tensor_times_pipeline(cat):
    """Section 2.2: one replica spans 280 GPUs = 8-way tensor x 35-way pipeline."""
    tp = _base_value(cat.claim("smith2022.tensor_parallel"))
    pp = _base_value(cat.claim("smith2022.pipeline_parallel"))
    assert tp * pp == _base_value(cat.claim("smith2022.model_replica.n_gpus"))


@pytest.mark.parametrize("vocab_size", [50257, 51200])
def test_published_count_from_the_stated_shape(cat, vocab_size):
    """The paper's 105 x 20480 x 128 shape gives its "530 billion parameters".

    The paper (as far as we read it) states layers, width and heads only. The rest is an assumption, not a
    published value: a GPT-style Megatron decoder (4 x d_model GELU MLP, biases, LayerNorm, 2048 learned
    positions, tied embeddings) with a GPT-2-sized vocabulary (50,257, or 51,200 padded as in Megatron-LM).
    The non-embedding trunk alone (528.5B) already falls inside the claim's interval, so the vocabulary
    assumption does not decide the outcome.
    """
    arch = gpt4leak.Architecture(
        n_layers=105, d_model=20480, n_heads=128, d_ff=4 * 20480, vocab_size=vocab_size, mlp="gelu",
        position="learned", max_positions=2048, tie_embeddings=True, attention_bias=True, mlp_bias=True,
        norm="layernorm")
    total = cat.claim("smith2022.total_params").interval
    assert total.low <= arch.non_embedding_params <= total.high
    assert total.low <= arch.total_params <= total.high
