"""The catalogue's reading of Yam Peleg's "GPT-4's details are leaked" (July 10, 2023) and its comments.

Checks claims/peleg2023.yaml against the document it transcribes,
claims/documents/001_692e88825a9d1787.txt. Every row below was typed by hand
from the document's text (not generated from the YAML): the number as the post
writes it, converted by hand to the base unit of the claim's quantity key
(gpt4leak.quantities): parameter, FLOP, token, GPU, day, year, USD,
USD/GPU/hour, USD/token, or a plain number.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import gpt4leak

DOCUMENTS = Path(__file__).resolve().parents[1] / "claims" / "documents"

DOCUMENT = "001_692e88825a9d1787.txt"
P, C = "peleg2023", "peleg2023_comments"
CENT = 0.01  # USD
INF = math.inf


@pytest.fixture(scope="module")
def catalogue():
    return gpt4leak.load_catalogue()


@pytest.fixture(scope="module")
def document_text():
    return (DOCUMENTS / DOCUMENT).read_text(encoding="utf-8")


# (claim id, quantity, expected in base unit, qualifier, source, subject, scenario)
# expected: a number (exact point, '~' centre, or lower bound) or (low, high) for "A to B".
NUMERIC = [
    # "GPT-4 is more than 10x the size of GPT-3."
    ("peleg2023.size_ratio_to_gpt3", "size_ratio_to_gpt3", 10, "more_than", P, "gpt-4", "main"),
    # "a total of ~1.8 trillion parameters across 120 layers"
    ("peleg2023.total_params", "total_params", 1.8e12, "approximately", P, "gpt-4", "main"),
    ("peleg2023.n_layers", "n_layers", 120, "exact", P, "gpt-4", "main"),
    # "16 experts within their model, each is about ~111B parameters for MLP"
    ("peleg2023.n_experts", "n_experts", 16, "exact", P, "gpt-4", "main"),
    ("peleg2023.expert_mlp_params", "expert_mlp_params", 111e9, "approximately", P, "gpt-4", "main"),
    # "2 of these experts are routed to per forward pass"
    ("peleg2023.experts_per_token", "experts_per_token", 2, "exact", P, "gpt-4", "main"),
    # "There roughly ~55B shared parameters for attention."
    ("peleg2023.shared_attention_params", "shared_attention_params", 55e9, "approximately", P, "gpt-4", "main"),
    # "only utilizes ~280B parameters and ~560 TFLOPs"
    ("peleg2023.active_params", "active_params", 280e9, "approximately", P, "gpt-4", "main"),
    ("peleg2023.forward_flop_per_token", "forward_flop_per_token", 560e12, "approximately", P, "gpt-4", "main"),
    # "the ~1.8 trillion parameters and ~3,700 TFLOP ... of a purely dense model"
    ("peleg2023.dense_active_params", "dense_active_params", 1.8e12, "approximately", P, "gpt-4", "main"),
    ("peleg2023.dense_forward_flop_per_token", "dense_forward_flop_per_token", 3700e12, "approximately",
     P, "gpt-4", "main"),
    # "One reason for OpenAI choosing 16 experts"; "using 64 to 128 experts achieves better loss"
    ("peleg2023.n_experts_choice", "n_experts", 16, "exact", P, "gpt-4", "main"),
    ("peleg2023.moe_research_n_experts", "n_experts", (64, 128), "between", P, "moe-research", "main"),
    # "GPT-4 is trained on ~13T tokens."; "2 epochs for text-based data and 4 for code-based data"
    ("peleg2023.training_tokens", "training_tokens", 13e12, "approximately", P, "gpt-4", "main"),
    ("peleg2023.epochs_text", "epochs_text", 2, "exact", P, "gpt-4", "main"),
    ("peleg2023.epochs_code", "epochs_code", 4, "exact", P, "gpt-4", "main"),
    # "There is millions of rows of instruction fine-tuning data"
    ("peleg2023.instruction_rows", "instruction_rows", 1e6, "at_least", P, "gpt-4", "main"),
    # "They trained on 13T tokens. CommonCrawl & RefinedWeb are both 5T."
    ("peleg2023.training_tokens_mixture", "training_tokens", 13e12, "approximately", P, "gpt-4", "main"),
    ("peleg2023.commoncrawl_tokens", "dataset_tokens", 5e12, "exact", P, "commoncrawl", "main"),
    ("peleg2023.refinedweb_tokens", "dataset_tokens", 5e12, "exact", P, "refinedweb", "main"),
    # "LibGen (4M+ books)", "Sci-Hub (80M+ papers)"
    ("peleg2023.libgen_books", "dataset_documents", 4e6, "at_least", P, "libgen", "main"),
    ("peleg2023.scihub_papers", "dataset_documents", 80e6, "at_least", P, "sci-hub", "main"),
    # "OpenAI should have trained on 2x the tokens"
    ("peleg2023.chinchilla_token_ratio", "chinchilla_token_ratio", 2, "exact", P, "gpt-4", "main"),
    # "an 8k context length (seqlen) for the pre-training phase"; "The 32k seqlen version"
    ("peleg2023.seq_len_pretrain", "seq_len_pretrain", 8_192, "exact", P, "gpt-4", "main"),
    ("peleg2023.seq_len_finetune", "seq_len_finetune", 32_768, "exact", P, "gpt-4", "main"),
    # "a batch size of 60 million!"; "a batch size of 7.5 million tokens per expert"
    ("peleg2023.batch_tokens", "batch_tokens", 60e6, "exact", P, "gpt-4", "main"),
    ("peleg2023.tokens_per_expert_batch", "tokens_per_expert_batch", 7.5e6, "exact", P, "gpt-4", "main"),
    # "8-way tensor parallelism as that is the limit for NVLink"; "15-way pipeline parallelism"
    ("peleg2023.tensor_parallel", "tensor_parallel", 8, "exact", P, "gpt-4", "main"),
    ("peleg2023.nvlink_limit", "gpus_per_node", 8, "exact", P, "gpt-4", "main"),
    ("peleg2023.pipeline_parallel", "pipeline_parallel", 15, "exact", P, "gpt-4", "main"),
    # "training FLOPS for GPT-4 is ~2.15e25, on ~25,000 A100s for 90 to 100 days at about 32% to 36% MFU"
    ("peleg2023.training_flop", "training_flop", 2.15e25, "approximately", P, "gpt-4", "main"),
    ("peleg2023.n_gpus", "n_gpus", 25_000, "approximately", P, "gpt-4", "main"),
    ("peleg2023.training_days", "training_days", (90, 100), "between", P, "gpt-4", "main"),
    ("peleg2023.mfu", "mfu", (0.32, 0.36), "between", P, "gpt-4", "main"),
    # "about $1 per A100 hour ... would be about $63 million"
    ("peleg2023.gpu_hour_price", "gpu_hour_price", 1.0, "exact", P, "gpt-4", "main"),
    ("peleg2023.training_cost", "training_cost", 63e6, "approximately", P, "gpt-4", "main"),
    # "~8,192 H100 in ~55 days for $21.5 million at $2 per H100 hour"
    ("peleg2023.h100_n_gpus", "n_gpus", 8_192, "approximately", P, "gpt-4", "h100_rerun"),
    ("peleg2023.h100_training_days", "training_days", 55, "approximately", P, "gpt-4", "h100_rerun"),
    ("peleg2023.h100_training_cost", "training_cost", 21.5e6, "exact", P, "gpt-4", "h100_rerun"),
    ("peleg2023.h100_gpu_hour_price", "gpu_hour_price", 2.0, "exact", P, "gpt-4", "h100_rerun"),
    # "GPT-4 costs 3x that of the 175B parameter Davinchi."
    ("peleg2023.inference_cost_ratio_to_davinci", "inference_cost_ratio_to_davinci", 3, "exact",
     P, "gpt-4", "inference"),
    ("peleg2023.davinci_params", "total_params", 175e9, "exact", P, "davinci", "main"),
    # "$0.0049 cents per 1k tokens for 128 A100s to inference GPT-4 8k seqlen": both readings
    ("peleg2023.inference_cost_a100_cents", "inference_cost_per_1k_tokens", 0.0049 * CENT / 1_000, "exact",
     P, "gpt-4", "inference_a100"),
    ("peleg2023.inference_cost_a100_dollars", "inference_cost_per_1k_tokens", 0.0049 / 1_000, "exact",
     P, "gpt-4", "inference_a100"),
    ("peleg2023.inference_gpus_a100", "inference_gpus", 128, "exact", P, "gpt-4", "inference_a100"),
    ("peleg2023.inference_seq_len_a100", "inference_seq_len", 8_192, "exact", P, "gpt-4", "inference_a100"),
    # "$0.0021 cents per 1k tokens for 128 H100's to inference GPT-4 8k seqlen": both readings
    ("peleg2023.inference_cost_h100_cents", "inference_cost_per_1k_tokens", 0.0021 * CENT / 1_000, "exact",
     P, "gpt-4", "inference_h100"),
    ("peleg2023.inference_cost_h100_dollars", "inference_cost_per_1k_tokens", 0.0021 / 1_000, "exact",
     P, "gpt-4", "inference_h100"),
    ("peleg2023.inference_gpus_h100", "inference_gpus", 128, "exact", P, "gpt-4", "inference_h100"),
    ("peleg2023.inference_seq_len_h100", "inference_seq_len", 8_192, "exact", P, "gpt-4", "inference_h100"),
    # "only 1 head is needed"
    ("peleg2023.n_kv_heads", "n_kv_heads", 1, "exact", P, "gpt-4", "main"),
    # "on top of the 1.8T of GPT-4"; "fine-tuned with another ~2 trillion tokens"
    ("peleg2023.total_params_vision", "total_params", 1.8e12, "approximately", P, "gpt-4", "main"),
    ("peleg2023.multimodal_finetune_tokens", "multimodal_finetune_tokens", 2e12, "approximately",
     P, "gpt-4", "main"),
    # "a cluster of 128 GPUs"; "8-way tensor parallelism and 16-way pipeline parallelism"
    ("peleg2023.inference_gpus", "inference_gpus", 128, "exact", P, "gpt-4", "inference"),
    ("peleg2023.inference_tensor_parallel", "inference_tensor_parallel", 8, "exact", P, "gpt-4", "inference"),
    ("peleg2023.inference_pipeline_parallel", "inference_pipeline_parallel", 16, "exact", P, "gpt-4", "inference"),
    # "Each node of 8 GPUs has only ~130B parameters"
    ("peleg2023.inference_gpus_per_node", "gpus_per_node", 8, "exact", P, "gpt-4", "inference"),
    ("peleg2023.params_per_node", "params_per_node", 130e9, "approximately", P, "gpt-4", "inference"),
    # "The model has 120, so it fits in 15 different nodes."
    ("peleg2023.n_layers_inference", "n_layers", 120, "exact", P, "gpt-4", "main"),
    ("peleg2023.inference_nodes", "inference_nodes", 15, "exact", P, "gpt-4", "inference"),
    # "I just paid the 1000$ they wanted."
    ("peleg2023.report_price", "report_price", 1_000, "exact", P, "semianalysis-report", "main"),
    # comments: "a third of the cost"; "like a 3x improvement in a year/year and a half"
    ("peleg2023_comments.cost_ratio_h100_rerun", "cost_ratio_to_previous", 1 / 3, "approximately",
     C, "gpt-4", "h100_rerun"),
    ("peleg2023_comments.cost_improvement_ratio", "cost_improvement_ratio", 3, "approximately",
     C, "gpt-4", "h100_rerun"),
    ("peleg2023_comments.cost_improvement_period", "cost_improvement_period", (1, 1.5), "between",
     C, "gpt-4", "h100_rerun"),
]

# (claim id, quantity, label, scenario): the post's qualitative statements.
QUALITATIVE = [
    ("peleg2023.architecture_kind", "architecture_kind", "mixture of experts (confirmed)", "main"),
    ("peleg2023.routing_algorithm", "routing_algorithm", "simple (allegedly)", "main"),
    ("peleg2023.moe_inference_difficulty", "statement", "MoE is hard to serve; dormant experts hurt utilisation",
     "inference"),
    ("peleg2023.fewer_experts_rationale", "statement",
     "few experts chosen conservatively (generalisation, convergence)", "main"),
    ("peleg2023.training_tokens_not_unique", "statement", "the 13T tokens count epochs (not unique tokens)", "main"),
    ("peleg2023.instruction_data_sources", "data_sources", "instruction fine-tuning data from ScaleAI and internal",
     "main"),
    ("peleg2023.secret_data", "statement",
     "after removing epoch duplicates, unaccounted-for ('secret') tokens remain", "main"),
    ("peleg2023.data_sources_rumoured", "data_sources", "Twitter, Reddit, YouTube (rumoured)", "main"),
    ("peleg2023.data_sources_libgen", "data_sources", "LibGen (speculation)", "main"),
    ("peleg2023.data_sources_scihub", "data_sources", "Sci-Hub (speculation)", "main"),
    ("peleg2023.data_sources_github", "data_sources", "all of GitHub (speculation)", "main"),
    ("peleg2023.data_sources_textbooks", "data_sources", "custom dataset of college textbooks (author's own opinion)",
     "main"),
    ("peleg2023.memorised_books", "statement", "GPT-4 has memorised some books and Project Euler ids", "main"),
    ("peleg2023.data_quality_struggle", "statement", "OpenAI struggles to get enough high-quality data", "main"),
    ("peleg2023.seq_len_note", "seq_len_note", "32k model made by fine-tuning the 8k model after pre-training",
     "main"),
    ("peleg2023.batch_ramp", "batch_ramp", "batch size gradually ramped up over a number of days", "main"),
    ("peleg2023.batch_size_in_tokens", "statement", "the batch size is in tokens; divide by the seq len for sequences",
     "main"),
    ("peleg2023.sharding_zero1", "sharding_strategy", "ZeRO stage 1 (likely)", "main"),
    ("peleg2023.sharding_fsdp", "sharding_strategy", "block-level FSDP (possible)", "main"),
    ("peleg2023.gpu_model", "gpu_model", "A100", "main"),
    ("peleg2023.failures_and_restarts", "failures_and_restarts",
     "an absurd number of failures required restarts from checkpoints (part of the low MFU)", "main"),
    ("peleg2023.h100_gpu_model", "gpu_model", "H100", "h100_rerun"),
    ("peleg2023.inference_cost_reasons", "statement",
     "larger clusters and much lower utilisation make GPT-4 inference costlier", "inference"),
    ("peleg2023.inference_gpu_model_a100", "gpu_model", "A100", "inference_a100"),
    ("peleg2023.inference_gpu_model_h100", "gpu_model", "H100", "inference_h100"),
    ("peleg2023.inference_cost_assumptions", "statement",
     "the cost estimates assume decently high utilisation and high batch sizes", "inference"),
    ("peleg2023.attention_kind", "attention_kind", "multi-query", "main"),
    ("peleg2023.memory_32k_a100_40gb", "memory_limit_statement", "the 32k model cannot run on 40GB A100s",
     "inference"),
    ("peleg2023.memory_8k_capped_bsz", "memory_limit_statement", "the 8k model is capped on max batch size",
     "inference"),
    ("peleg2023.continuous_batching", "inference_batching", "continuous batching", "inference"),
    ("peleg2023.variable_batch_sizes", "inference_batching", "variable batch sizes", "inference"),
    ("peleg2023.vision_architecture", "vision_architecture",
     "separate vision encoder with cross-attention, similar to Flamingo", "main"),
    ("peleg2023.vision_extra_params", "vision_extra_params", "vision adds parameters on top of the 1.8T", "main"),
    ("peleg2023.vision_training_order", "statement",
     "vision was added after text pre-training to derisk, not trained from scratch", "main"),
    ("peleg2023.vision_purpose", "statement",
     "vision is meant for autonomous agents reading web pages, images and video", "main"),
    ("peleg2023.vision_data_sources", "data_sources",
     "rendered LaTeX/text, web page screenshots, YouTube frames with Whisper transcripts", "main"),
    ("peleg2023.speculative_decoding", "speculative_decoding", "possibly used (not sure)", "inference"),
    ("peleg2023.quality_deterioration", "statement",
     "reported quality loss may come from accepting lower-probability draft sequences", "inference"),
    ("peleg2023.inference_clusters", "statement", "multiple 128-GPU clusters in multiple datacenters", "inference"),
    ("peleg2023.first_node_fewer_layers", "statement",
     "possibly fewer layers on the first node, which also computes the embeddings", "inference"),
]


def _ids(rows):
    return [r[0] for r in rows]


@pytest.mark.parametrize("cid, quantity, expected, qualifier, source, subject, scenario", NUMERIC, ids=_ids(NUMERIC))
def test_numeric_claim_reads_as_the_post_writes_it(catalogue, cid, quantity, expected, qualifier, source, subject,
                                                   scenario):
    claim = catalogue.claim(cid)
    assert (claim.quantity, claim.qualifier, claim.source, claim.subject, claim.scenario) == (
        quantity, qualifier, source, subject, scenario)
    iv = claim.interval
    if qualifier == "between":
        low, high = expected
        assert (iv.low, iv.high) == (pytest.approx(low, rel=1e-9), pytest.approx(high, rel=1e-9))
    elif qualifier in ("more_than", "at_least"):
        assert iv.low == pytest.approx(expected, rel=1e-9)
        assert iv.high == INF
        assert claim.magnitude == pytest.approx(expected, rel=1e-9)
    elif qualifier == "exact":
        assert iv.low == iv.high == pytest.approx(expected, rel=1e-9)
        assert claim.magnitude == pytest.approx(expected, rel=1e-9)
    else:  # approximately: centred on the written number, with some width
        assert claim.magnitude == pytest.approx(expected, rel=1e-9)
        assert iv.low < expected < iv.high


@pytest.mark.parametrize("cid, quantity, label, scenario", QUALITATIVE, ids=_ids(QUALITATIVE))
def test_qualitative_claim_has_its_label(catalogue, cid, quantity, label, scenario):
    claim = catalogue.claim(cid)
    assert not claim.is_quantitative
    assert (claim.quantity, claim.label, claim.scenario, claim.source) == (quantity, label, scenario, P)


def test_the_tables_cover_every_claim_of_both_sources(catalogue):
    listed = set(_ids(NUMERIC)) | set(_ids(QUALITATIVE))
    assert len(listed) == len(NUMERIC) + len(QUALITATIVE)  # no row twice
    recorded = {c.id for c in catalogue.by_source(P)} | {c.id for c in catalogue.by_source(C)}
    assert recorded == listed


def test_every_quote_is_in_the_document(catalogue, document_text):
    missing = [c.id for s in (P, C) for c in catalogue.by_source(s) if c.quote not in document_text]
    assert missing == []


def test_the_inference_cost_is_recorded_in_both_readings_100x_apart(catalogue):
    # "$0.0049 cents": the cents reading and the dollars reading differ by exactly 100.
    for gpu in ("a100", "h100"):
        cents = catalogue.claim(f"peleg2023.inference_cost_{gpu}_cents").magnitude
        dollars = catalogue.claim(f"peleg2023.inference_cost_{gpu}_dollars").magnitude
        assert dollars / cents == pytest.approx(100, rel=1e-9)


def test_sources(catalogue):
    post = catalogue.source(P)
    assert (post.kind, post.language, post.document) == ("leak", "en", DOCUMENT)
    assert [(d.source, d.relation) for d in post.derives_from] == [("semianalysis2023", "digest")]
    comments = catalogue.source(C)
    assert (comments.kind, comments.language, comments.document) == ("commentary", "en", DOCUMENT)
    assert [(d.source, d.relation) for d in comments.derives_from] == [(P, "commentary")]
