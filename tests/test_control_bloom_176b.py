"""The BLOOM-176B control catalogue (claims/controls/bloom_176b.yaml) against its sources, typed by hand.

Sources checked:
  paper     BigScience Workshop 2022, arXiv:2211.05100: abstract ("a 176B-parameter open-access language
            model", decoder-only), Sec. 3.4.1 ("about 3.5 months", "1,082,990 compute hours", 48 nodes x 8
            NVIDIA A100 80GB = 384 GPUs)
  card      bigscience/bloom model card v1.3: 176,247,271,424 parameters, 70 layers, 112 heads, 14336 hidden,
            sequence length 2048, GeLU, 366B seen tokens, 350B unique tokens, 384 A100 80GB GPUs
            (48 nodes); its tokenizer vocabulary of 250,680 is not recorded (the table has 250,880 rows)
  config    bigscience/bloom config.json: n_layer 70, hidden_size 14336, n_head 112, vocab_size 250880
  training  bigscience train/tr11-176B-ml README.md and tr11-176B-ml.slurm: TP*PP=4*12, GBS=2048 (4.2M
            tokens), --rampup-batch-size 192 16 9_765_625, tied embeddings, BF16_Optimizer ZeRO stage 1
  blog      bigscience.huggingface.co/blog/bloom: "a final run of 117 days (March 11 - July 6)"
  Epoch     Epoch AI, Data on AI Models, notable_ai_models.csv (May 2026 export), row "BLOOM-176B": a secondary
            estimate (source kind "estimate"), columns as named there

The table is (claim id, quantity key, scenario, the value as written in the key's base unit, qualifier).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import gpt4leak
from control_table import assert_every_number_typed, assert_published, base_value as _base_value

FILE = Path(__file__).resolve().parents[1] / "claims" / "controls" / "bloom_176b.yaml"
SUBJECT = "bloom-176b"
MONTH_DAYS = 365.25 / 12  # pint's month: a twelfth of a Julian year, in days

PUBLISHED = [
    # --- the paper
    ("bigscience2022.total_params", "total_params", "main", 176e9, "nominal"),               # abstract
    ("bigscience2022.training_days", "training_days", "main", 3.5 * MONTH_DAYS, "approximately"),  # 3.4.1
    ("bigscience2022.training_gpu_hours", "training_gpu_hours", "main", 1_082_990, "exact"),  # 3.4.1
    ("bigscience2022.n_gpus", "n_gpus", "main", 384, "exact"),                               # 3.4.1
    # --- the model card
    ("bigscience2022_bloom_card.total_params", "total_params", "main", 176_247_271_424, "exact"),
    ("bigscience2022_bloom_card.n_layers", "n_layers", "main", 70, "exact"),
    ("bigscience2022_bloom_card.n_heads", "n_heads", "main", 112, "exact"),
    ("bigscience2022_bloom_card.d_model", "d_model", "main", 14336, "exact"),
    ("bigscience2022_bloom_card.mlp_kind", "mlp_kind", "main", 2, "exact"),                  # GeLU: 2 matrices
    ("bigscience2022_bloom_card.seq_len_pretrain", "seq_len_pretrain", "main", 2048, "exact"),
    ("bigscience2022_bloom_card.training_tokens", "training_tokens", "main", 366e9, "approximately"),
    ("bigscience2022_bloom_card.unique_tokens", "unique_tokens", "main", 350e9, "approximately"),
    ("bigscience2022_bloom_card.n_gpus", "n_gpus", "main", 384, "exact"),
    # --- config.json
    ("bigscience2022_bloom_config.n_layers", "n_layers", "main", 70, "exact"),
    ("bigscience2022_bloom_config.d_model", "d_model", "main", 14336, "exact"),
    ("bigscience2022_bloom_config.n_heads", "n_heads", "main", 112, "exact"),
    ("bigscience2022_bloom_config.vocab_size", "vocab_size", "main", 250_880, "exact"),      # padded table
    # --- training README and launch script
    ("bigscience2022_tr11_training.tensor_parallel", "tensor_parallel", "main", 4, "exact"),
    ("bigscience2022_tr11_training.pipeline_parallel", "pipeline_parallel", "main", 12, "exact"),
    ("bigscience2022_tr11_training.batch_sequences", "batch_sequences", "main", 2048, "exact"),
    ("bigscience2022_tr11_training.batch_tokens", "batch_tokens", "main", 4.2e6, "approximately"),
    ("bigscience2022_tr11_training.embedding_tying", "embedding_tying", "main", 1, "exact"),  # tied: 1 table
    # --- release blog post
    ("bigscience2022_blog.training_days", "training_days", "main", 117, "approximately"),
    # --- Epoch AI database row "BLOOM-176B"
    ("epoch2026_bloom_176b.total_params", "total_params", "main", 176_247_271_424, "exact"),         # Parameters
    ("epoch2026_bloom_176b.training_flop", "training_flop", "main", 3.65664e23, "approximately"),   # compute
    ("epoch2026_bloom_176b.training_tokens", "training_tokens", "full_training", 379e9, "approximately"),    # 366B + 13B
    ("epoch2026_bloom_176b.n_gpus", "n_gpus", "main", 384, "exact"),                                # Hardware qty
    ("epoch2026_bloom_176b.training_days", "training_days", "main", 2808 / 24, "approximately"),    # 117 d x 24
    ("epoch2026_bloom_176b.amortized_hardware_energy.training_cost", "training_cost", "amortized_hardware_energy",
     995_819.1171, "approximately"),                                                                # 2023 USD
]

# (claim id, label as written)
LABELS = [
    ("bigscience2022.architecture_kind", "dense decoder-only transformer"),
    ("bigscience2022.gpu_model", "A100 80GB"),
    ("bigscience2022_bloom_card.gpu_model", "A100 80GB"),
    ("bigscience2022_bloom_card.mlp_kind", "GELU"),
    ("bigscience2022_tr11_training.embedding_tying", "tied"),
    ("epoch2026_bloom_176b.gpu_model", "NVIDIA A100 SXM4 80 GB"),
]

# bigscience/bloom config.json, the keys that size the model (values as released; no tie_word_embeddings
# key, so BloomConfig's default, tied; no n_inner, so the MLP is 4 x hidden_size)
CONFIG = {
    "model_type": "bloom",
    "architectures": ["BloomForCausalLM"],
    "hidden_size": 14336,
    "n_layer": 70,
    "n_head": 112,
    "n_inner": None,
    "vocab_size": 250880,
    "pretraining_tp": 4,
    "apply_residual_connection_post_layernorm": False,
    "layer_norm_epsilon": 1e-05,
    "offset_alibi": 100,
    "slow_but_exact": False,
}


@pytest.fixture(scope="module")
def cat():
    return gpt4leak.load_catalogue(FILE)



def test_file_loads_alone_and_is_about_one_model(cat):
    assert {c.subject for c in cat.claims} == {SUBJECT}
    assert any(s.kind == "published" for s in cat.sources)
    # the sources, and beside them a secondary estimate (the Epoch AI database row), all cited
    assert all(s.kind in ("published", "estimate") and s.citation and s.url for s in cat.sources)


@pytest.mark.parametrize("claim_id, quantity, scenario, expected, qualifier", PUBLISHED,
                         ids=[row[0] for row in PUBLISHED])
def test_published_value(cat, claim_id, quantity, scenario, expected, qualifier):
    assert_published(cat.claim(claim_id), quantity, scenario, expected, qualifier)


@pytest.mark.parametrize("claim_id, label", LABELS, ids=[row[0] for row in LABELS])
def test_published_label(cat, claim_id, label):
    assert cat.claim(claim_id).label == label


def test_every_number_is_in_the_table(cat):
    assert_every_number_typed(cat, PUBLISHED, LABELS)


def test_replicas_fill_the_gpus(cat):
    # README, Replica setup: one replica is TP x PP = 4 x 12 = 48 GPUs; DP = 8 replicas on 384 GPUs.
    tp = _base_value(cat.claim("bigscience2022_tr11_training.tensor_parallel"))
    pp = _base_value(cat.claim("bigscience2022_tr11_training.pipeline_parallel"))
    assert _base_value(cat.claim("bigscience2022.n_gpus")) == 8 * tp * pp


def test_batch_tokens_are_sequences_times_length(cat):
    # GBS 2048 sequences x 2048 tokens = 4,194,304 tokens, the README's "4.2M tokens/step".
    tokens = (_base_value(cat.claim("bigscience2022_tr11_training.batch_sequences"))
              * _base_value(cat.claim("bigscience2022_bloom_card.seq_len_pretrain")))
    iv = cat.claim("bigscience2022_tr11_training.batch_tokens").interval
    assert iv.low <= tokens <= iv.high


def _released_architecture() -> gpt4leak.Architecture:
    return gpt4leak.Architecture.from_hf_config(CONFIG, name="BLOOM")


def test_released_config_is_read_without_unmapped_fields():
    assert _released_architecture().unmapped_fields == {}


def test_released_count_is_the_card_count(cat):
    # 70 x (12 h^2 + 13 h) + 250880 h + 4 h (embedding LayerNorm and final LayerNorm), h = 14336, LM head tied:
    # the card's 176,247,271,424 to the unit, and its 3,596,615,680 embedding parameters = 250880 x 14336.
    h = 14336
    n = _released_architecture().total_params
    assert 250880 * h == 3_596_615_680
    assert n == 70 * (12 * h * h + 13 * h) + 250880 * h + 4 * h
    assert n == _base_value(cat.claim("bigscience2022_bloom_card.total_params"))


@pytest.mark.parametrize("claim_id", ["bigscience2022.total_params", "bigscience2022_bloom_card.total_params"])
def test_published_count_holds_the_released_model(cat, claim_id):
    iv = cat.claim(claim_id).interval
    assert iv.low <= _released_architecture().total_params <= iv.high


def test_epoch_compute_is_hardware_time_not_6nd(cat):
    """Epoch's 3.65664e23 = 384 GPUs x 314 TFLOP/s x 117 days x 0.3 (assumed utilization), 5.5 % below
    6 x 176,247,271,424 x 366B (card tokens), and its 379B tokens add 13B of finetuning to the 366B."""
    gpus = cat.claim("bigscience2022.n_gpus").interval.mid
    days = cat.claim("bigscience2022_blog.training_days").interval.mid
    flop = cat.claim("epoch2026_bloom_176b.training_flop").interval.mid
    assert gpus * 314e12 * days * 86400 * 0.3 == pytest.approx(flop, rel=1e-5)
    six_nd = 6 * cat.claim("bigscience2022_bloom_card.total_params").interval.mid * 366e9
    assert flop / six_nd == pytest.approx(0.945, abs=0.001)
    assert cat.claim("epoch2026_bloom_176b.training_tokens").interval.mid - 366e9 == pytest.approx(13e9)
