"""The catalogue's reading of the CVer digest (claims/cver2023.yaml) and of Hotz's rumour (claims/hotz2023.yaml).

Checks against the published text: claims/documents/000_bb4b112566be49e8.txt, the Chinese digest (July
2023, reposted by the WeChat account CVer) of Yam Peleg's deleted thread on the SemiAnalysis report,
whose opening paragraph also retells George Hotz's "8 x 220B" rumour. Every row below was typed by hand
from that text (the Chinese wording is in the comment), converted by hand into the base unit of the
quantity key (gpt4leak.quantities): parameter, token, FLOP, day, GPU, USD, USD/GPU/hour, USD/token,
dimensionless. 万 = 1e4, 亿 = 1e8, 万亿 = 1e12; 美分 = US cent = 0.01 USD.
"""

from __future__ import annotations

from pathlib import Path
import math

import pytest

import gpt4leak
DOCUMENTS = Path(__file__).resolve().parents[1] / "claims" / "documents"

DOC = "000_bb4b112566be49e8.txt"


@pytest.fixture(scope="module")
def catalogue():
    return gpt4leak.load_catalogue()


@pytest.fixture(scope="module")
def document_text():
    return (DOCUMENTS / DOC).read_text(encoding="utf-8")


# (claim id, quantity, magnitude in the quantity's base unit, qualifier, source, subject, scenario)
# magnitude: the point; the midpoint of a range; the lower bound of "more than" / "at least".
NUMERIC = [
    # 1、GPT-4 的大小是 GPT-3 的 10 倍以上 ... 120 层网络中总共有 1.8 万亿个参数
    ("cver2023.size_ratio_to_gpt3", "size_ratio_to_gpt3", 10, "more_than", "cver2023", "gpt-4", "main"),
    ("cver2023.total_params", "total_params", 1.8e12, "exact", "cver2023", "gpt-4", "main"),
    ("cver2023.n_layers", "n_layers", 120, "exact", "cver2023", "gpt-4", "main"),
    # 2、16 个专家模型, 每个专家模型大约有 111B 个参数; 2 个被路由到每个前向传递
    ("cver2023.n_experts", "n_experts", 16, "exact", "cver2023", "gpt-4", "main"),
    ("cver2023.expert_mlp_params", "expert_mlp_params", 111e9, "approximately", "cver2023", "gpt-4", "main"),
    ("cver2023.experts_per_token", "experts_per_token", 2, "exact", "cver2023", "gpt-4", "main"),
    # 3、大约使用了 550 亿个共享参数来进行注意力计算
    ("cver2023.shared_attention_params", "shared_attention_params", 550e8, "approximately", "cver2023",
     "gpt-4", "main"),
    # 4、约 2800 亿个参数和约 560 TFLOP; 纯密集模型 大约 1.8 万亿个参数和约 3700 TFLOP
    ("cver2023.active_params", "active_params", 2800e8, "approximately", "cver2023", "gpt-4", "main"),
    ("cver2023.forward_flop_per_token", "forward_flop_per_token", 560e12, "approximately", "cver2023",
     "gpt-4", "main"),
    ("cver2023.dense_active_params", "dense_active_params", 1.8e12, "approximately", "cver2023", "gpt-4",
     "main"),
    ("cver2023.dense_forward_flop_per_token", "dense_forward_flop_per_token", 3700e12, "approximately",
     "cver2023", "gpt-4", "main"),
    # 5、约 13 万亿个 token; 文本 2 个 epoch, 代码 4 个 epoch; 数百万行的指令微调数据
    ("cver2023.training_tokens", "training_tokens", 13e12, "approximately", "cver2023", "gpt-4", "main"),
    ("cver2023.epochs_text", "epochs_text", 2, "exact", "cver2023", "gpt-4", "main"),
    ("cver2023.epochs_code", "epochs_code", 4, "exact", "cver2023", "gpt-4", "main"),
    ("cver2023.instruction_rows", "instruction_rows", 1e6, "at_least", "cver2023", "gpt-4", "main"),
    # 6、8k 的上下文长度; 32k 序列长度版本
    ("cver2023.seq_len_pretrain", "seq_len_pretrain", 8192, "exact", "cver2023", "gpt-4", "main"),
    ("cver2023.seq_len_finetune", "seq_len_finetune", 32768, "exact", "cver2023", "gpt-4", "main"),
    # 7、batch size 达到了 6000 万; 每个专家模型处理 750 万个 token
    ("cver2023.batch_tokens", "batch_tokens", 6000e4, "exact", "cver2023", "gpt-4", "main"),
    ("cver2023.tokens_per_expert_batch", "tokens_per_expert_batch", 750e4, "exact", "cver2023", "gpt-4",
     "main"),
    # 8、8 路张量并行 (NVLink 的极限); 15 路流水线并行
    ("cver2023.tensor_parallel", "tensor_parallel", 8, "exact", "cver2023", "gpt-4", "main"),
    ("cver2023.nvlink_limit", "gpus_per_node", 8, "exact", "cver2023", "gpt-4", "main"),
    ("cver2023.pipeline_parallel", "pipeline_parallel", 15, "exact", "cver2023", "gpt-4", "main"),
    # 9、大约 2.15e25 的 FLOPS, 约 25,000 个 A100 GPU, 90 到 100 天, 约为 32% 至 36%,
    #    大约为每小时 1 美元, 约 6300 万美元
    ("cver2023.training_flop", "training_flop", 2.15e25, "approximately", "cver2023", "gpt-4", "main"),
    ("cver2023.n_gpus", "n_gpus", 25000, "approximately", "cver2023", "gpt-4", "main"),
    ("cver2023.training_days", "training_days", 95, "between", "cver2023", "gpt-4", "main"),
    ("cver2023.mfu", "mfu", 0.34, "between", "cver2023", "gpt-4", "main"),
    ("cver2023.gpu_hour_price", "gpu_hour_price", 1, "exact", "cver2023", "gpt-4", "main"),
    ("cver2023.training_cost", "training_cost", 6300e4, "approximately", "cver2023", "gpt-4", "main"),
    #    约 8192 个 H100 GPU, 55 天左右, 2150 万美元, 每小时 2 美元
    ("cver2023.h100_n_gpus", "n_gpus", 8192, "approximately", "cver2023", "gpt-4", "h100_rerun"),
    ("cver2023.h100_training_days", "training_days", 55, "approximately", "cver2023", "gpt-4", "h100_rerun"),
    ("cver2023.h100_training_cost", "training_cost", 2150e4, "exact", "cver2023", "gpt-4", "h100_rerun"),
    ("cver2023.h100_gpu_hour_price", "gpu_hour_price", 2, "exact", "cver2023", "gpt-4", "h100_rerun"),
    # 10、使用 64 到 128 个专家比使用 16 个专家; OpenAI 选择 16 个专家模型
    ("cver2023.research_n_experts", "n_experts", 96, "between", "cver2023", "moe-research", "main"),
    ("cver2023.n_experts_choice", "n_experts", 16, "exact", "cver2023", "gpt-4", "main"),
    # 11、1750 亿参数的 Davinci 模型的 3 倍; 128 个 A100 GPU, 8k 版本, 每 1,000 个 token 0.0049 美分;
    #     128 个 H100 GPU, 每 1,000 个 token 0.0021 美分  (美分 = 0.01 USD, per 1,000 tokens)
    ("cver2023.inference_cost_ratio_to_davinci", "inference_cost_ratio_to_davinci", 3, "exact", "cver2023",
     "gpt-4", "inference"),
    ("cver2023.davinci_total_params", "total_params", 1750e8, "exact", "cver2023", "davinci", "main"),
    ("cver2023.a100_inference_cost", "inference_cost_per_1k_tokens", 0.0049 * 0.01 / 1000, "exact",
     "cver2023", "gpt-4", "inference_a100"),
    ("cver2023.a100_inference_gpus", "inference_gpus", 128, "exact", "cver2023", "gpt-4", "inference_a100"),
    ("cver2023.a100_inference_seq_len", "inference_seq_len", 8192, "exact", "cver2023", "gpt-4",
     "inference_a100"),
    ("cver2023.h100_inference_cost", "inference_cost_per_1k_tokens", 0.0021 * 0.01 / 1000, "exact",
     "cver2023", "gpt-4", "inference_h100"),
    ("cver2023.h100_inference_gpus", "inference_gpus", 128, "exact", "cver2023", "gpt-4", "inference_h100"),
    ("cver2023.h100_inference_seq_len", "inference_seq_len", 8192, "exact", "cver2023", "gpt-4",
     "inference_h100"),
    # 12、MQA 只需要一个注意力头
    ("cver2023.n_kv_heads", "n_kv_heads", 1, "exact", "cver2023", "gpt-4", "main"),
    # 14、GPT-4 的 1.8 万亿个参数之上; 另外约 2 万亿个 token 的微调
    ("cver2023.total_params_vision", "total_params", 1.8e12, "exact", "cver2023", "gpt-4", "main"),
    ("cver2023.multimodal_finetune_tokens", "multimodal_finetune_tokens", 2e12, "approximately", "cver2023",
     "gpt-4", "main"),
    # 16、128 个 GPU; 8 路张量并行和 16 路流水线并行; 8 个 GPU 组成的节点, 约 1300 亿个参数;
    #     120 层, 15 个不同的节点
    ("cver2023.inference_gpus", "inference_gpus", 128, "exact", "cver2023", "gpt-4", "inference"),
    ("cver2023.inference_tensor_parallel", "inference_tensor_parallel", 8, "exact", "cver2023", "gpt-4",
     "inference"),
    ("cver2023.inference_pipeline_parallel", "inference_pipeline_parallel", 16, "exact", "cver2023", "gpt-4",
     "inference"),
    ("cver2023.gpus_per_node", "gpus_per_node", 8, "exact", "cver2023", "gpt-4", "inference"),
    ("cver2023.params_per_node", "params_per_node", 1300e8, "approximately", "cver2023", "gpt-4", "inference"),
    ("cver2023.inference_n_layers", "n_layers", 120, "exact", "cver2023", "gpt-4", "inference"),
    ("cver2023.inference_nodes", "inference_nodes", 15, "exact", "cver2023", "gpt-4", "inference"),
    # chinchilla: token 数量是现在的两倍
    ("cver2023.chinchilla_token_ratio", "chinchilla_token_ratio", 2, "exact", "cver2023", "gpt-4", "main"),
    # Hotz (opening paragraph): 8 个混合专家模型, 每个 2200 亿个参数, 比 GPT-3 的 1750 亿参数量略多
    ("hotz2023.n_experts", "n_experts", 8, "exact", "hotz2023", "gpt-4", "main"),
    ("hotz2023.expert_params", "expert_params", 2200e8, "exact", "hotz2023", "gpt-4", "main"),
    ("hotz2023.gpt3_total_params", "total_params", 1750e8, "exact", "hotz2023", "gpt-3", "main"),
]


@pytest.mark.parametrize("cid, quantity, expected, qualifier, source, subject, scenario", NUMERIC,
                         ids=[r[0] for r in NUMERIC])
def test_numeric_claim_reads_as_the_text_says(catalogue, cid, quantity, expected, qualifier, source, subject,
                                              scenario):
    c = catalogue.claim(cid)
    assert (c.quantity, c.qualifier, c.source, c.subject, c.scenario) == (
        quantity, qualifier, source, subject, scenario)
    assert c.magnitude == pytest.approx(expected, rel=1e-9)


# Intervals the wording implies (uncertainty rules: ± half a unit in the last written digit for 约/大约/左右,
# trailing zeros of whole numbers not significant; "A 到/至 B" as written; 以上 a lower bound).
INTERVALS = [
    ("cver2023.size_ratio_to_gpt3", 10, math.inf),                 # 10 倍以上
    ("cver2023.total_params", 1.8e12, 1.8e12),                     # 1.8 万亿 (no 约: a point)
    ("cver2023.expert_mlp_params", 110.5e9, 111.5e9),              # 大约 111B
    ("cver2023.shared_attention_params", 545e8, 555e8),            # 大约 550 亿: ± 5 亿
    ("cver2023.active_params", 2750e8, 2850e8),                    # 约 2800 亿: ± 50 亿
    ("cver2023.forward_flop_per_token", 555e12, 565e12),           # 约 560 TFLOP
    ("cver2023.dense_active_params", 1.75e12, 1.85e12),            # 大约 1.8 万亿
    ("cver2023.dense_forward_flop_per_token", 3650e12, 3750e12),   # 约 3700 TFLOP
    ("cver2023.training_tokens", 12.5e12, 13.5e12),                # 约 13 万亿
    ("cver2023.instruction_rows", 1e6, math.inf),                  # 数百万行, at least 1 million
    ("cver2023.training_flop", 2.145e25, 2.155e25),                # 大约 2.15e25
    ("cver2023.n_gpus", 24500, 25500),                             # 约 25,000
    ("cver2023.training_days", 90, 100),                           # 90 到 100 天
    ("cver2023.mfu", 0.32, 0.36),                                  # 约为 32% 至 36%
    # cver2023.gpu_hour_price: a premise of a conditional, recorded exact (claims/README.md)
    ("cver2023.training_cost", 6250e4, 6350e4),                    # 约 6300 万美元
    ("cver2023.h100_n_gpus", 8191.5, 8192.5),                      # 约 8192
    ("cver2023.h100_training_days", 54.5, 55.5),                   # 55 天左右
    ("cver2023.research_n_experts", 64, 128),                      # 64 到 128 个专家
    ("cver2023.multimodal_finetune_tokens", 1.5e12, 2.5e12),       # 约 2 万亿
    ("cver2023.params_per_node", 1250e8, 1350e8),                  # 约 1300 亿
]


@pytest.mark.parametrize("cid, low, high", INTERVALS, ids=[r[0] for r in INTERVALS])
def test_interval_follows_the_wording(catalogue, cid, low, high):
    iv = catalogue.claim(cid).interval
    assert iv.low == pytest.approx(low, rel=1e-9)
    if math.isfinite(high):
        assert iv.high == pytest.approx(high, rel=1e-9)
    else:
        assert iv.high == math.inf


def test_every_numeric_claim_of_these_sources_has_a_row(catalogue):
    in_file = {c.id for s in ("cver2023", "hotz2023") for c in catalogue.by_source(s) if c.is_quantitative}
    assert in_file == {r[0] for r in NUMERIC}


def test_inference_cost_is_in_cents_as_the_chinese_writes_it(catalogue):
    # 每 1,000 个 token 0.0049 美分 = 0.0049 US cents per 1,000 tokens = 4.9e-8 USD per token,
    # 100 times less than the "$0.0049 per 1k tokens" reading; the H100 figure 0.0021 美分 likewise.
    a100 = catalogue.claim("cver2023.a100_inference_cost")
    assert "美分" in a100.value and "美分" in a100.quote
    assert a100.magnitude * 1000 * 100 == pytest.approx(0.0049, rel=1e-9)
    h100 = catalogue.claim("cver2023.h100_inference_cost")
    assert h100.magnitude * 1000 * 100 == pytest.approx(0.0021, rel=1e-9)


# (claim id, quantity, scenario, words the label must contain)
QUALITATIVE = [
    ("cver2023.architecture_kind", "architecture_kind", "main", ["mixture of experts", "confirmed"]),
    ("cver2023.routing_algorithm", "routing_algorithm", "main", ["simple"]),
    ("cver2023.tokens_count_epochs", "statement", "main", ["epoch"]),
    ("cver2023.instruction_data_sources", "data_sources", "main", ["ScaleAI"]),
    ("cver2023.seq_len_note", "seq_len_note", "main", ["32k", "8k", "fine-tuned"]),
    ("cver2023.batch_ramp", "batch_ramp", "main", ["gradually"]),
    ("cver2023.batch_size_in_tokens", "statement", "main", ["sequence length"]),
    ("cver2023.gpu_model", "gpu_model", "main", ["A100"]),
    ("cver2023.sharding_strategy", "sharding_strategy", "main", ["ZeRO stage 1", "block-level FSDP"]),
    ("cver2023.failures_and_restarts", "failures_and_restarts", "main", ["failures", "checkpoints"]),
    ("cver2023.h100_gpu_model", "gpu_model", "h100_rerun", ["H100"]),
    ("cver2023.moe_inference_tradeoff", "statement", "inference", ["MoE"]),
    ("cver2023.expert_count_reasons", "statement", "main", ["conservatively"]),
    ("cver2023.inference_cost_reason", "statement", "inference", ["larger clusters", "utilisation"]),
    ("cver2023.a100_inference_gpu_model", "gpu_model", "inference_a100", ["A100"]),
    ("cver2023.h100_inference_gpu_model", "gpu_model", "inference_h100", ["H100"]),
    ("cver2023.inference_cost_assumptions", "statement", "inference", ["utilisation", "batch"]),
    ("cver2023.attention_kind", "attention_kind", "main", ["multi-query"]),
    ("cver2023.mqa_kv_cache", "statement", "main", ["KV-cache"]),
    ("cver2023.memory_32k_40gb", "memory_limit_statement", "inference", ["32k", "40GB A100"]),
    ("cver2023.memory_8k_batch_cap", "memory_limit_statement", "inference", ["8k", "batch size"]),
    ("cver2023.inference_batching", "inference_batching", "inference", ["variable", "continuous batching"]),
    ("cver2023.vision_architecture", "vision_architecture", "main", ["cross-attention", "Flamingo"]),
    ("cver2023.vision_extra_params", "vision_extra_params", "main", ["1.8 trillion"]),
    ("cver2023.vision_derisk", "statement", "main", ["from scratch", "text"]),
    ("cver2023.vision_purpose", "statement", "main", ["autonomous agents"]),
    ("cver2023.vision_data_sources", "data_sources", "main", ["LaTeX", "screenshots", "YouTube", "Whisper"]),
    ("cver2023.speculative_decoding", "speculative_decoding", "inference", ["possibly", "not 100% sure"]),
    ("cver2023.speculative_decoding_method", "statement", "inference", ["draft", "oracle"]),
    ("cver2023.quality_conspiracy", "statement", "inference", ["quality", "lower-probability"]),
    ("cver2023.inference_clusters", "statement", "inference", ["datacenters"]),
    ("cver2023.first_node_layers", "statement", "inference", ["first node", "embeddings"]),
    ("cver2023.high_quality_data_struggle", "statement", "main", ["high-quality data"]),
    ("hotz2023.architecture_kind", "architecture_kind", "main", ["ensemble", "8", "different data"]),
]


@pytest.mark.parametrize("cid, quantity, scenario, words", QUALITATIVE, ids=[r[0] for r in QUALITATIVE])
def test_qualitative_claim_exists(catalogue, cid, quantity, scenario, words):
    c = catalogue.claim(cid)
    assert not c.is_quantitative
    assert (c.quantity, c.scenario) == (quantity, scenario)
    for w in words:
        assert w in c.label


def test_every_quote_is_in_the_document(catalogue, document_text):
    claims = [c for s in ("cver2023", "hotz2023") for c in catalogue.by_source(s)]
    assert len(claims) == len(NUMERIC) + len(QUALITATIVE)
    missing = [c.id for c in claims if c.quote not in document_text]
    assert missing == []
    assert all(c.gloss for c in claims)  # every Chinese quote has an English gloss


def test_source_record(catalogue):
    s = catalogue.source("cver2023")
    assert (s.kind, s.language, s.document, s.outlet) == ("translation", "zh", DOC, "CVer (WeChat)")
    assert [(d.source, d.relation) for d in s.derives_from] == [("peleg2023", "translation")]
    assert "https://www.semianalysis.com/p/gpt-4-architecture-infrastructure" in s.notes
    assert catalogue.source("hotz2023").kind == "rumour"


def test_per_expert_batch_is_derived_from_the_batch(catalogue):
    # 6000 万 token x 2 experts per token / 16 experts = 750 万 token
    c = catalogue.claim("cver2023.tokens_per_expert_batch")
    assert set(c.derived_from) == {"cver2023.batch_tokens", "cver2023.experts_per_token", "cver2023.n_experts"}
    b, k, n = (catalogue.claim(i).magnitude
               for i in ("cver2023.batch_tokens", "cver2023.experts_per_token", "cver2023.n_experts"))
    assert b * k / n == pytest.approx(c.magnitude, rel=1e-9)
