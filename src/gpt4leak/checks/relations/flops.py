"""Compute relations: FLOPs from the model (under the conventions papers use), from the hardware, and the MFU."""

from __future__ import annotations

from ...formulas import flops
from ..core import Check, Span
from ._common import EXPERT_WIDTH, PEAK, SECONDS_PER_DAY, SECONDS_PER_HOUR, d_model_from_expert, seconds

OPTIONAL = (None, "dimensionless")
GOODPUT = {"goodput": ("train.min_goodput", "dimensionless")}
GOODPUT_WHY = "part of the wall-clock was not productive (failures, restarts, repeated steps, phases on fewer GPUs)"


def _forward(active):
    return flops.forward_flop_per_token.bare(active)


def _train_conventions(active, tokens, n_layers=0, d_model=0, seq_len=0, vocab=0):
    """Training compute as papers state it: from Kaplan's 6 N D over non-embedding parameters (kaplan2020
    sec. 2.1), through 6 N D plus the attention scores (chowdhery2022 app. B), to the hardware FLOPs of full
    activation recomputation (narayanan2021 eq. 3; BloombergGPT's Table 4 and Megatron-style reports count
    these)."""
    low = flops.training_flop.bare(active - vocab * d_model, tokens)
    high = flops.hardware_flop.bare(active, tokens, "full", n_layers, seq_len, d_model, logit_params=vocab * d_model)
    return Span(low, high), {"6 N D": (flops.training_flop.bare(active, tokens), "FLOP")}  # no usual end


def _train_palm(active, tokens, n_layers, seq_len, expert_mlp_params, ffn_ratio, head_dim, mlp_kind):
    d = d_model_from_expert(expert_mlp_params, n_layers, ffn_ratio, mlp_kind)
    total = flops.training_flop_palm.bare(active, tokens, n_layers, d / head_dim, head_dim, seq_len)
    return total, {"d_model (from the expert size)": (d, "dimensionless"),
                   "6 N D without the attention term": (flops.training_flop.bare(active, tokens), "FLOP")}


# Wall-clock days count failures, restarts and repeated steps; an MFU is measured on productive steps. Every
# relation between days and MFU therefore spans from all days productive to a share `goodput` of them.


def _train_hw(n_gpus, days, mfu, peak, goodput):
    c = flops.delivered_flop.bare(n_gpus, peak, seconds(days), mfu)
    return Span(c * goodput, c, "high", GOODPUT_WHY), {"GPU-seconds": (n_gpus * seconds(days), "GPU*s")}


def _implied_mfu(training_flop, n_gpus, days, peak, goodput):
    mfu = flops.implied_mfu.bare(training_flop, n_gpus, peak, seconds(days))
    return Span(mfu, mfu / goodput, "low", GOODPUT_WHY), {"MFU over all wall-clock time": (mfu, "dimensionless")}


def _implied_mfu_gpu_hours(training_flop, gpu_hours, peak, goodput):
    """GPU-hours as GPUs running for one hour each; like wall-clock days they may hold downtime (PaLM's phases
    include "some downtime and repeated steps"), so the MFU spans up to a goodput share of them."""
    mfu = flops.implied_mfu.bare(training_flop, gpu_hours, peak, SECONDS_PER_HOUR)
    return Span(mfu, mfu / goodput, "low", GOODPUT_WHY), {"MFU over all GPU-hours": (mfu, "dimensionless")}


def _implied_days(training_flop, n_gpus, mfu, peak, goodput):
    days = flops.implied_seconds.bare(training_flop, n_gpus, peak, mfu) / SECONDS_PER_DAY
    return Span(days, days / goodput, "low", GOODPUT_WHY), {"productive days": (days, "day")}


def _tokens_per_gpu_s(tokens, n_gpus, days):
    return flops.tokens_per_gpu_second.bare(tokens, n_gpus, seconds(days))


def _mfu_from_throughput(active, tokens, n_gpus, days, peak, goodput):
    tps = flops.tokens_per_gpu_second.bare(tokens, n_gpus, seconds(days))
    mfu = flops.mfu.bare(flops.training_flop.bare(active, tokens), n_gpus, peak, seconds(days))
    return Span(mfu, mfu / goodput, "low", GOODPUT_WHY), {"tokens per GPU per second": (tps, "token/s/GPU")}


def _multimodal_share(active, mm_tokens, training_flop):
    return flops.training_flop.bare(active, mm_tokens) / training_flop


CHECKS = (
    Check("flops.forward_vs_active", "Is the forward FLOPs per token twice the active parameters?",
          "forward = 2 × active (Kaplan et al. 2020, Table 1)", {"active": "active_params"}, _forward, "FLOP",
          target="forward_flop_per_token"),
    Check("flops.dense_forward_vs_total", "Is the dense model's forward FLOPs per token twice its parameters?",
          "forward_dense = 2 × total", {"active": ("dense_active_params", "total_params")}, _forward, "FLOP",
          target="dense_forward_flop_per_token"),
    Check("flops.training_6nd", "Does 6 × active parameters × tokens give the training FLOPs?",
          "C from 6 (N - V d) D (non-embedding, Kaplan et al. 2020 sec. 2.1) to (8 N + 16 L d S) D (hardware "
          "FLOPs with full recomputation, Narayanan et al. 2021 eq. 3); terms the claims do not give are left out",
          {"active": ("active_params", "total_params"), "tokens": "training_tokens"},
          _train_conventions, "FLOP", target="training_flop",
          # a compute-optimal projection comes from separately fitted laws for N and D: not a run, not 6ND
          kinds=("!hypothetical",),
          defaults={"n_layers": (("n_layers",), *OPTIONAL), "d_model": (("d_model",), *OPTIONAL),
                    "seq_len": (("seq_len_pretrain",), *OPTIONAL), "vocab": (("vocab_size",), *OPTIONAL)}),
    Check("flops.training_palm", "With the attention term at the pre-training context, does it still fit?",
          "C = (6 N + 12 L H Q T) D (Chowdhery et al. 2022, app. B), d_model from one expert's size",
          {"active": "active_params", "tokens": "training_tokens", "n_layers": "n_layers",
           "seq_len": "seq_len_pretrain", "expert_mlp_params": "expert_mlp_params"},
          _train_palm, "FLOP", target="training_flop", defaults=EXPERT_WIDTH),
    Check("flops.training_from_hardware", "Do the GPUs, peak, MFU and days give the training FLOPs?",
          "C = GPUs × peak × MFU × seconds", {"n_gpus": "n_gpus", "days": "training_days", "mfu": "mfu"},
          _train_hw, "FLOP", target="training_flop", assumptions={**PEAK, **GOODPUT}, kinds=("run",)),
    Check("flops.implied_mfu", "What MFU do the FLOPs, GPUs and days imply (bf16 peak)?",
          "MFU = C / (GPUs × peak_bf16 × seconds), seconds from all to a goodput share of the wall-clock",
          {"training_flop": "training_flop", "n_gpus": "n_gpus", "days": "training_days"},
          _implied_mfu, "dimensionless", target="mfu", assumptions={**PEAK, **GOODPUT}, target_fallback_main=True,
          display_unit="percent", slip_units=(), fallback_keys=("training_flop",)),
    Check("flops.implied_mfu_from_gpu_hours", "What MFU do the FLOPs over the GPU-hours imply (bf16 peak)?",
          "MFU = C / (GPU-hours × 3600 s × peak_bf16), from all GPU-hours to a goodput share of them",
          {"training_flop": "training_flop", "gpu_hours": "training_gpu_hours"},
          _implied_mfu_gpu_hours, "dimensionless", target="mfu", assumptions={**PEAK, **GOODPUT},
          display_unit="percent", slip_units=(), kinds=("run",)),
    Check("flops.implied_mfu_fp8", "What MFU would the re-run need at the fp8 peak?",
          "MFU = C / (GPUs × peak_fp8 × seconds)",
          {"training_flop": "training_flop", "n_gpus": "n_gpus", "days": "training_days"},
          _implied_mfu, "dimensionless", target="mfu", target_fallback_main=True,
          assumptions={"peak": ("hw.{gpu}.peak_fp8", "FLOP/s/GPU"), **GOODPUT}, kinds=("rerun",),
          display_unit="percent", slip_units=(), fallback_keys=("training_flop",)),
    Check("flops.implied_days", "How many days do the FLOPs, GPUs and MFU imply?",
          "days = C / (GPUs × peak × MFU) / 86400 s",
          {"training_flop": "training_flop", "n_gpus": "n_gpus", "mfu": "mfu"},
          _implied_days, "day", target="training_days", assumptions={**PEAK, **GOODPUT}, kinds=("run",)),
    Check("flops.tokens_per_gpu_second", "How many tokens per GPU per second does the run imply?",
          "tokens / (GPUs × seconds)", {"tokens": "training_tokens", "n_gpus": "n_gpus", "days": "training_days"},
          _tokens_per_gpu_s, "token/GPU/s", kinds=("run",)),
    Check("flops.mfu_from_throughput", "What MFU do tokens, GPUs and days imply through 6N?",
          "MFU = 6 N D / (GPUs × peak × seconds)",
          {"active": "active_params", "tokens": "training_tokens", "n_gpus": "n_gpus", "days": "training_days"},
          _mfu_from_throughput, "dimensionless", target="mfu", assumptions={**PEAK, **GOODPUT},
          display_unit="percent",
          kinds=("run",), slip_units=()),
    Check("flops.multimodal_share", "What share of the pre-training compute is the 2T-token vision fine-tune?",
          "share = 6 N D_mm / C", {"active": "active_params", "mm_tokens": "multimodal_finetune_tokens",
                                   "training_flop": "training_flop"},
          _multimodal_share, "dimensionless", display_unit="percent"),
)
