"""Batch and parallel-layout relations: data-parallel degree, stages, and the pipeline bubble's share of MFU."""

from __future__ import annotations

from ...formulas import parallel
from ..core import Check, Span


def _per_expert_batch(batch, k, n_experts):
    return batch * k / n_experts  # each token visits k of the E experts (fedus2022 sec. 2.1)


def _sequences(batch, seq_len):
    return parallel.sequences_per_batch.bare(batch, seq_len)


def _dp(n_gpus, tp, pp):
    return parallel.data_parallel_degree.bare(n_gpus, tp, pp)


def _layers_per_stage(n_layers, pp):
    return parallel.layers_per_stage.bare(n_layers, pp)


def _mfu_after_bubble(batch, seq_len, n_gpus, tp, pp, micro_batch, kernel_mfu, best_mfu, n_layers):
    dp = parallel.data_parallel_degree.bare(n_gpus, tp, pp)
    m = parallel.micro_batches.bare(parallel.sequences_per_batch.bare(batch, seq_len), micro_batch, dp)
    bubble = parallel.pipeline_bubble.bare(pp, m)  # plain 1F1B
    v = parallel.max_interleave.bare(n_layers, pp)
    least = parallel.pipeline_bubble.bare(pp, m, v)  # interleaved, one layer per virtual stage
    return Span(kernel_mfu * (1 - bubble), best_mfu * (1 - least)), {
        "data-parallel degree": (dp, "dimensionless"), "micro-batches per step": (m, "dimensionless"),
        "pipeline bubble, 1F1B (p-1)/(m+p-1)": (bubble, "dimensionless"),
        "virtual stages per GPU, at most L/p": (v, "dimensionless"),
        "pipeline bubble, interleaved (p-1)/(v m+p-1)": (least, "dimensionless")}


CHECKS = (
    Check("batch.tokens_per_expert", "Is the per-expert batch the batch × top-k / experts?",
          "per_expert = batch × k / E", {"batch": "batch_tokens", "k": "experts_per_token",
                                          "n_experts": "n_experts"},
          _per_expert_batch, "token", target="tokens_per_expert_batch"),
    Check("batch.sequences", "How many sequences is the batch at the pre-training context?",
          "sequences = batch / seq_len", {"batch": "batch_tokens", "seq_len": "seq_len_pretrain"},
          _sequences, "dimensionless"),
    Check("parallel.data_parallel", "What data-parallel degree do the GPUs and TP × PP give (whole?)",
          "DP = GPUs / (TP × PP)", {"n_gpus": "n_gpus", "tp": "tensor_parallel", "pp": "pipeline_parallel"},
          _dp, "dimensionless", kinds=("run",)),
    Check("parallel.layers_per_stage", "How many layers per training pipeline stage?",
          "layers / PP", {"n_layers": "n_layers", "pp": "pipeline_parallel"}, _layers_per_stage, "dimensionless",
          kinds=("run",)),
    Check("parallel.bubble_mfu", "How much of the MFU shortfall does the pipeline bubble explain?",
          "MFU ≈ bubble-free MFU (0.44 to 0.55) × (1 - bubble), bubble from plain 1F1B (p-1)/(m+p-1) to the "
          "interleaved schedule (p-1)/(v m+p-1) with v up to L/p; m = sequences / DP",
          {"batch": "batch_tokens", "seq_len": "seq_len_pretrain", "n_gpus": "n_gpus", "tp": "tensor_parallel",
           "pp": "pipeline_parallel"}, _mfu_after_bubble, "dimensionless", target="mfu",
          defaults={"n_layers": (("n_layers",), None, "dimensionless")},
          assumptions={"micro_batch": ("train.micro_batch_sequences", "dimensionless"),
                       "kernel_mfu": ("train.kernel_mfu", "dimensionless"),
                       "best_mfu": ("train.kernel_mfu_best", "dimensionless")},
          display_unit="percent", kinds=("run",), slip_units=(),
          citation="Narayanan et al. 2021 sec. 2.2.1, 2.2.2 and Table 1"),
)
