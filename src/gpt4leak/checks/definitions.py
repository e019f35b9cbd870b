"""The checks the catalogue carries: relations over quantity keys.

Ids are stable once published. Each formula works on bare numpy arrays in the
units of the quantity keys (gpt4leak.quantities: parameter, token, FLOP, GPU,
day, USD, USD/GPU/hour, USD/token) and of the assumptions it declares, and calls
the kernels of :mod:`gpt4leak.formulas` (``.bare``) for the physics, so the checks
and the formulas cannot drift apart.
"""

from __future__ import annotations

import numpy as np

from ..formulas import cost, flops, memory, parallel, params, scaling
from ..units import Q_
from .core import Check

__all__ = ["CHECKS", "check_by_id"]

SECONDS_PER_DAY = float(Q_(1, "day").to("second").magnitude)  # 86400 by definition of the day
SECONDS_PER_HOUR = float(Q_(1, "hour").to("second").magnitude)

PEAK = {"peak": ("hw.{gpu}.peak_bf16", "FLOP/s/GPU")}
GPT3 = {"gpt3_params": ("ref.gpt3_params", "parameter")}
MOE_SHAPE = {"n_layers": "n_layers", "d_model": "d_model", "n_heads": "n_heads", "n_kv_heads": "n_kv_heads",
             "expert_d_ff": "expert_d_ff", "n_experts": "n_experts", "k": "experts_per_token", "vocab": "vocab_size"}
ARCH = {"ffn_ratio": ("arch.ffn_ratio", "dimensionless"), "head_dim": ("arch.head_dim", "dimensionless")}


def _d_model(expert_mlp_params, n_layers, ffn_ratio):
    """d_model from one expert's MLP summed over layers: 2 d (r d) per layer (two-matrix MLP)."""
    return params.d_model_from_mlp_params.bare(expert_mlp_params / n_layers, ffn_ratio=ffn_ratio, gated=False)


def _seconds(days):
    return days * SECONDS_PER_DAY


# ----------------------------------------------------------------------------- parameters
def _total(n_experts, expert_params, shared):
    return params.moe_total_params.bare(n_experts, expert_params, shared)


def _active(k, expert_params, shared):
    return params.moe_active_params.bare(k, expert_params, shared)


def _total_no_shared(n_experts, expert_params):
    return params.moe_total_params.bare(n_experts, expert_params, 0.0)


def _attention(kind):
    def f(expert_mlp_params, n_layers, ffn_ratio, head_dim):
        d = _d_model(expert_mlp_params, n_layers, ffn_ratio)
        n_heads = d / head_dim
        n_kv = np.ones_like(d) if kind == "mqa" else n_heads
        per_layer = params.attention_params.bare(d, n_heads, n_kv, head_dim)
        return per_layer * n_layers, {"d_model (from the expert size)": (d, "dimensionless"),
                                      "attention parameters per layer": (per_layer, "parameter")}
    return f


def _gated_total(n_layers, d_model, n_heads, n_kv_heads, d_ff, vocab):
    """Llama-style: GQA attention, SwiGLU MLP, two RMSNorms per layer, one final, untied embeddings."""
    attn = params.attention_params.bare(d_model, n_heads, n_kv_heads, d_model / n_heads)
    mlp = params.mlp_params.bare(d_model, d_ff, gated=True)
    return n_layers * (attn + mlp + 2 * d_model) + 2 * vocab * d_model + d_model


def _moe_gated(active: bool):
    def f(n_layers, d_model, n_heads, n_kv_heads, expert_d_ff, n_experts, k, vocab):
        """Mixtral-style: the gated MLP replaced by E experts and a router (d x E) per layer."""
        attn = params.attention_params.bare(d_model, n_heads, n_kv_heads, d_model / n_heads)
        expert = params.mlp_params.bare(d_model, expert_d_ff, gated=True)
        per_layer = attn + (k if active else n_experts) * expert + params.router_params.bare(d_model, n_experts)
        return n_layers * (per_layer + 2 * d_model) + 2 * vocab * d_model + d_model
    return f


# ----------------------------------------------------------------------------- compute
def _forward(active):
    return flops.forward_flop_per_token.bare(active)


def _train_6nd(active, tokens):
    return flops.training_flop.bare(active, tokens)


def _train_palm(active, tokens, n_layers, seq_len, expert_mlp_params, ffn_ratio, head_dim):
    d = _d_model(expert_mlp_params, n_layers, ffn_ratio)
    total = flops.training_flop_palm.bare(active, tokens, n_layers, d / head_dim, head_dim, seq_len)
    return total, {"d_model (from the expert size)": (d, "dimensionless"),
                   "attention share of the FLOPs": (1 - 6 * active * tokens / total, "dimensionless")}


def _train_hw(n_gpus, days, mfu, peak):
    return n_gpus * peak * _seconds(days) * mfu, {"GPU-seconds": (n_gpus * _seconds(days), "GPU*s")}


def _implied_mfu(training_flop, n_gpus, days, peak):
    return flops.implied_mfu.bare(training_flop, n_gpus, peak, _seconds(days))


def _implied_days(training_flop, n_gpus, mfu, peak):
    return flops.implied_seconds.bare(training_flop, n_gpus, peak, mfu) / SECONDS_PER_DAY


def _tokens_per_gpu_s(tokens, n_gpus, days):
    return flops.tokens_per_gpu_second.bare(tokens, n_gpus, _seconds(days))


def _mfu_from_throughput(active, tokens, n_gpus, days, peak):
    tps = flops.tokens_per_gpu_second.bare(tokens, n_gpus, _seconds(days))
    return tps * 6 * active / peak, {"tokens per GPU per second": (tps, "token/s/GPU")}  # 6N FLOP per token


def _multimodal_share(active, mm_tokens, training_flop):
    return flops.training_flop.bare(active, mm_tokens) / training_flop


# ----------------------------------------------------------------------------- cost
def _cost_from_gpu_hours(gpu_hours, price):
    return gpu_hours * price


def _gpu_hours(n_gpus, days):
    return cost.gpu_hours.bare(n_gpus, _seconds(days))


def _mfu_from_gpu_hours(active, tokens, gpu_hours, peak):
    return flops.training_flop.bare(active, tokens) / (gpu_hours * SECONDS_PER_HOUR * peak)


def _run_cost(n_gpus, days, price):
    hours = cost.gpu_hours.bare(n_gpus, _seconds(days))
    return hours * price, {"GPU-hours": (hours, "GPU*hour")}


def _days_from_cost(training_cost, n_gpus, price):
    return cost.implied_seconds_from_cost.bare(training_cost, n_gpus, price) / SECONDS_PER_DAY


def _cost_ratio(cost_new, cost_old):
    return cost_new / cost_old


# ----------------------------------------------------------------------------- batch and layout
def _per_expert_batch(batch, k, n_experts):
    return batch * k / n_experts


def _sequences(batch, seq_len):
    return parallel.sequences_per_batch.bare(batch, seq_len)


def _dp(n_gpus, tp, pp):
    return parallel.data_parallel_degree.bare(n_gpus, tp, pp)


def _layers_per_stage(n_layers, pp):
    return parallel.layers_per_stage.bare(n_layers, pp)


def _mfu_after_bubble(batch, seq_len, n_gpus, tp, pp, micro_batch, kernel_mfu):
    dp = parallel.data_parallel_degree.bare(n_gpus, tp, pp)
    m = parallel.micro_batches.bare(parallel.sequences_per_batch.bare(batch, seq_len), micro_batch, dp)
    bubble = parallel.pipeline_bubble.bare(pp, m)
    return kernel_mfu * (1 - bubble), {"data-parallel degree": (dp, "dimensionless"),
                                       "micro-batches per step": (m, "dimensionless"),
                                       "pipeline bubble (p-1)/(m+p-1)": (bubble, "dimensionless")}


def _train_memory(zero_stage, recompute="selective"):
    def f(total, tp, pp, n_gpus, seq_len, expert_mlp_params, n_layers, ffn_ratio, head_dim, micro_batch):
        dp = parallel.data_parallel_degree.bare(n_gpus, tp, pp)
        states = memory.training_state_bytes_per_gpu.bare(total, tp, pp, np.floor(dp), zero_stage)
        d = _d_model(expert_mlp_params, n_layers, ffn_ratio)
        # 1F1B: the first stage keeps pp micro-batches in flight = L layers' activations (Korthikanti sec. 4.2.3)
        act = memory.activation_bytes_per_gpu.bare(seq_len, micro_batch, d, d / head_dim, n_layers, tp, pp, True,
                                                   recompute)
        return states + act, {"model states per GPU (weights, gradients, Adam)": (states, "byte"),
                              f"activations on the first stage ({recompute} recompute, TP+SP)": (act, "byte")}
    return f


# ----------------------------------------------------------------------------- inference
def _gpus_from_layout(tp, pp):
    return parallel.world_size.bare(tp, pp)


def _gpus_from_nodes(nodes, gpus_per_node):
    return nodes * gpus_per_node


def _params_per_node_nodes(total, nodes):
    return total / nodes


def _params_per_node_gpus(total, gpus, gpus_per_node):
    return total / (gpus / gpus_per_node)


def _weight_bytes_per_gpu(total, gpus, bytes_per_param):
    return memory.weight_bytes.bare(total, bytes_per_param) / gpus


def _kv_fit(kind):
    def f(total, gpus, tp, pp, n_layers, seq_len, expert_mlp_params, ffn_ratio, head_dim, hbm, bytes_per_param):
        d = _d_model(expert_mlp_params, n_layers, ffn_ratio)
        n_heads = d / head_dim
        n_kv = np.ones_like(d) if kind == "mqa" else n_heads
        weights = memory.weight_bytes.bare(total, bytes_per_param) / gpus
        kv_seq = memory.kv_cache_bytes.bare(n_layers, n_kv, head_dim, seq_len, 1, bytes_per_param, tp, pp)
        free = np.maximum(hbm - weights, 0.0)
        return free / kv_seq, {"weights per GPU": (weights, "byte"),
                               "KV cache per sequence per GPU": (kv_seq, "byte")}
    return f


def _price_to_tps(cost_per_token, gpus, price):
    return cost.implied_tokens_per_second.bare(cost_per_token, gpus, price)


def _price_to_util(cost_per_token, gpus, price, active, peak):
    tps = cost.implied_tokens_per_second.bare(cost_per_token, gpus, price)
    util = cost.implied_utilisation.bare(tps, flops.forward_flop_per_token.bare(active), gpus, peak)
    return util, {"implied tokens per second per cluster": (tps, "token/s")}


def _price_to_util_leak_flop(cost_per_token, gpus, price, flop_per_token, peak):
    tps = cost.implied_tokens_per_second.bare(cost_per_token, gpus, price)
    return cost.implied_utilisation.bare(tps, flop_per_token, gpus, peak), {
        "implied tokens per second per cluster": (tps, "token/s")}


def _davinci_ratio(active, gpt3_params):
    return active / gpt3_params


def _size_ratio(total, gpt3_params):
    return total / gpt3_params


# ----------------------------------------------------------------------------- data and scaling
def _chinchilla_ratio(n):
    def f(p, tokens, tpp):
        return scaling.chinchilla_tokens.bare(p, tpp) / tokens
    return f


def _compute_optimal_ratio(method):
    def f(training_flop, tokens):
        n_opt, d_opt = scaling.compute_optimal.bare(training_flop, method=method)
        return d_opt / tokens, {"compute-optimal parameters": (n_opt, "parameter"),
                                "compute-optimal tokens": (d_opt, "token")}
    return f


def _compute_optimal_n(method):
    def f(training_flop):
        n_opt, _ = scaling.compute_optimal.bare(training_flop, method=method)
        return n_opt
    return f


def _tokens_from_epochs(e_text, text, e_code, code):
    return e_text * text + e_code * code


def _unique_tokens(text, code):
    return text + code


def _code_share(e_text, text, e_code, code):
    seen_code = e_code * code
    return seen_code / (e_text * text + seen_code)


def _identity(x):
    return x


CHECKS: tuple[Check, ...] = (
    # 1-2 parameters
    Check("params.total_from_experts", "Do the experts and the shared parameters add up to the total?",
          "total = n_experts × expert_params + shared",
          {"n_experts": "n_experts", "expert_params": "expert_mlp_params",
           "shared": ("shared_attention_params", "shared_params")},
          _total, "parameter", target="total_params",
          citation="Fedus et al. 2022 (MoE parameter count)"),
    Check("params.total_from_whole_experts", "Do n experts of the rumoured size make the total?",
          "total = n_experts × expert_params", {"n_experts": "n_experts", "expert_params": "expert_params"},
          _total_no_shared, "parameter", target="total_params"),
    Check("params.active_from_topk", "Do the routed experts plus the shared parameters give the active count?",
          "active = experts_per_token × expert_params + shared",
          {"k": "experts_per_token", "expert_params": "expert_mlp_params",
           "shared": ("shared_attention_params", "shared_params")},
          _active, "parameter", target="active_params"),
    Check("params.total_from_shape_gated", "Do layers, widths and heads (gated MLP, GQA) give the total?",
          "N = L (attention + 3 d d_ff + 2 d) + 2 V d + d (Touvron et al. 2023; Ainslie et al. 2023)",
          {"n_layers": "n_layers", "d_model": "d_model", "n_heads": "n_heads", "n_kv_heads": "n_kv_heads",
           "d_ff": "d_ff", "vocab": "vocab_size"}, _gated_total, "parameter", target="total_params"),
    Check("params.moe_total_from_shape", "Do layers, widths, heads and experts give the MoE total?",
          "N = L (attention + E × 3 d d_ff + d E + 2 d) + 2 V d + d (Jiang et al. 2024)",
          MOE_SHAPE,
          _moe_gated(False), "parameter", target="total_params"),
    Check("params.moe_active_from_shape", "Do layers, widths, heads and top-k give the active count?",
          "N_active = L (attention + k × 3 d d_ff + d E + 2 d) + 2 V d + d (Jiang et al. 2024)",
          MOE_SHAPE,
          _moe_gated(True), "parameter", target="active_params"),
    Check("params.size_vs_gpt3", "Is the total more than 10x GPT-3's 175B?", "ratio = total / 175B",
          {"total": "total_params"}, _size_ratio, "dimensionless", target="size_ratio_to_gpt3",
          assumptions=GPT3, slip_units=()),
    Check("params.attention_mqa", "Do 55B shared attention parameters fit multi-query attention?",
          "attention = L × (2 d² + 2 d·head_dim), d from expert = L × 2 d (4d)",
          {"expert_mlp_params": "expert_mlp_params", "n_layers": "n_layers"}, _attention("mqa"), "parameter",
          target="shared_attention_params", assumptions=ARCH, slip_units=(),
          citation="Shazeer 2019 (MQA); Kaplan et al. 2020 Table 1"),
    Check("params.attention_mha", "Do 55B shared attention parameters fit multi-head attention?",
          "attention = L × 4 d², d from expert = L × 2 d (4d)",
          {"expert_mlp_params": "expert_mlp_params", "n_layers": "n_layers"}, _attention("mha"), "parameter",
          target="shared_attention_params", assumptions=ARCH, slip_units=()),
    # 3 forward FLOPs
    Check("flops.forward_vs_active", "Is the forward FLOPs per token twice the active parameters?",
          "forward = 2 × active (Kaplan et al. 2020, Table 1)", {"active": "active_params"}, _forward, "FLOP",
          target="forward_flop_per_token"),
    Check("flops.dense_forward_vs_total", "Is the dense model's forward FLOPs per token twice its parameters?",
          "forward_dense = 2 × total", {"active": ("dense_active_params", "total_params")}, _forward, "FLOP",
          target="dense_forward_flop_per_token"),
    # 4 training FLOPs from the model
    Check("flops.training_6nd", "Does 6 × active parameters × tokens give the training FLOPs?",
          "C = 6 N D (Kaplan et al. 2020, sec. 2.1)",
          {"active": ("active_params", "total_params"), "tokens": "training_tokens"},
          _train_6nd, "FLOP", target="training_flop"),
    Check("flops.training_palm", "With the attention term at the pre-training context, does it still fit?",
          "C = (6 N + 12 L H Q T) D (Chowdhery et al. 2022, app. B)",
          {"active": "active_params", "tokens": "training_tokens", "n_layers": "n_layers",
           "seq_len": "seq_len_pretrain", "expert_mlp_params": "expert_mlp_params"},
          _train_palm, "FLOP", target="training_flop", assumptions=ARCH),
    # 5 training FLOPs from hardware
    Check("flops.training_from_hardware", "Do the GPUs, peak, MFU and days give the training FLOPs?",
          "C = GPUs × peak × MFU × seconds", {"n_gpus": "n_gpus", "days": "training_days", "mfu": "mfu"},
          _train_hw, "FLOP", target="training_flop", assumptions=PEAK, scenarios=("main",)),
    Check("flops.implied_mfu", "What MFU do the FLOPs, GPUs and days imply (bf16 peak)?",
          "MFU = C / (GPUs × peak_bf16 × seconds)",
          {"training_flop": "training_flop", "n_gpus": "n_gpus", "days": "training_days"},
          _implied_mfu, "dimensionless", target="mfu", assumptions=PEAK, target_fallback_main=True,
          display_unit="percent", slip_units=(), fallback_keys=("training_flop",)),
    Check("flops.implied_mfu_fp8", "What MFU would the re-run need at the fp8 peak?",
          "MFU = C / (GPUs × peak_fp8 × seconds)",
          {"training_flop": "training_flop", "n_gpus": "n_gpus", "days": "training_days"},
          _implied_mfu, "dimensionless", target="mfu", target_fallback_main=True,
          assumptions={"peak": ("hw.{gpu}.peak_fp8", "FLOP/s/GPU")}, scenarios=("h100_rerun",),
          display_unit="percent", slip_units=(), fallback_keys=("training_flop",)),
    Check("flops.implied_days", "How many days do the FLOPs, GPUs and MFU imply?",
          "days = C / (GPUs × peak × MFU) / 86400 s",
          {"training_flop": "training_flop", "n_gpus": "n_gpus", "mfu": "mfu"},
          _implied_days, "day", target="training_days", assumptions=PEAK, scenarios=("main",)),
    Check("flops.tokens_per_gpu_second", "How many tokens per GPU per second does the run imply?",
          "tokens / (GPUs × seconds)", {"tokens": "training_tokens", "n_gpus": "n_gpus", "days": "training_days"},
          _tokens_per_gpu_s, "token/GPU/s", scenarios=("main",)),
    Check("flops.mfu_from_throughput", "What MFU do tokens, GPUs and days imply through 6N?",
          "MFU = tokens/(GPU·s) × 6 N / peak",
          {"active": "active_params", "tokens": "training_tokens", "n_gpus": "n_gpus", "days": "training_days"},
          _mfu_from_throughput, "dimensionless", target="mfu", assumptions=PEAK, display_unit="percent",
          scenarios=("main",), slip_units=()),
    Check("flops.multimodal_share", "What share of the pre-training compute is the 2T-token vision fine-tune?",
          "share = 6 N D_mm / C", {"active": "active_params", "mm_tokens": "multimodal_finetune_tokens",
                                   "training_flop": "training_flop"},
          _multimodal_share, "dimensionless", display_unit="percent"),
    # 6-7 cost
    Check("cost.training_cost", "Do GPUs × days × 24 × price give the claimed cost?",
          "cost = GPUs × days × 24 h × price", {"n_gpus": "n_gpus", "days": "training_days",
                                                "price": "gpu_hour_price"},
          _run_cost, "USD", target="training_cost"),
    Check("cost.from_gpu_hours", "Do the GPU-hours at the price give the cost?", "cost = GPU-hours × price",
          {"gpu_hours": "training_gpu_hours", "price": "gpu_hour_price"}, _cost_from_gpu_hours, "USD",
          target="training_cost"),
    Check("cost.gpu_hours", "Do GPUs × days × 24 give the GPU-hours?", "GPU-hours = GPUs × days × 24 h",
          {"n_gpus": "n_gpus", "days": "training_days"}, _gpu_hours, "GPU*hour", target="training_gpu_hours"),
    Check("flops.mfu_from_gpu_hours", "Is the MFU that 6ND over the GPU-hours implies possible?",
          "MFU = 6 N D / (GPU-hours × 3600 s × peak)",
          {"active": ("active_params", "total_params"), "tokens": "training_tokens",
           "gpu_hours": "training_gpu_hours"}, _mfu_from_gpu_hours, "dimensionless",
          bound=(0.0, 1.0, "at most 100 % of peak"), assumptions=PEAK, display_unit="percent", slip_units=()),
    Check("cost.implied_days", "How many days does the cost imply at the price?",
          "days = cost / (GPUs × 24 h × price)", {"training_cost": "training_cost", "n_gpus": "n_gpus",
                                                   "price": "gpu_hour_price"},
          _days_from_cost, "day", target="training_days"),
    Check("cost.rerun_ratio", "Is the H100 re-run about a third of the A100 run's cost?",
          "ratio = cost_H100 / cost_A100", {"cost_new": "training_cost", "cost_old": "main:training_cost"},
          _cost_ratio, "dimensionless", target="cost_ratio_to_previous", scenarios=("h100_rerun",),
          target_fallback_main=True, slip_units=()),
    # 8-9 batch and parallelism
    Check("batch.tokens_per_expert", "Is the per-expert batch the batch × top-k / experts?",
          "per_expert = batch × k / E", {"batch": "batch_tokens", "k": "experts_per_token",
                                          "n_experts": "n_experts"},
          _per_expert_batch, "token", target="tokens_per_expert_batch"),
    Check("batch.sequences", "How many sequences is the batch at the pre-training context?",
          "sequences = batch / seq_len", {"batch": "batch_tokens", "seq_len": "seq_len_pretrain"},
          _sequences, "dimensionless"),
    Check("parallel.data_parallel", "What data-parallel degree do the GPUs and TP × PP give (whole?)",
          "DP = GPUs / (TP × PP)", {"n_gpus": "n_gpus", "tp": "tensor_parallel", "pp": "pipeline_parallel"},
          _dp, "dimensionless", scenarios=("main",)),
    Check("parallel.layers_per_stage", "How many layers per training pipeline stage?",
          "layers / PP", {"n_layers": "n_layers", "pp": "pipeline_parallel"}, _layers_per_stage, "dimensionless",
          scenarios=("main",)),
    Check("parallel.bubble_mfu", "How much of the MFU shortfall does the pipeline bubble explain?",
          "MFU ≈ kernel_MFU × (1 - (p-1)/(m+p-1)), m = sequences / DP",
          {"batch": "batch_tokens", "seq_len": "seq_len_pretrain", "n_gpus": "n_gpus", "tp": "tensor_parallel",
           "pp": "pipeline_parallel"}, _mfu_after_bubble, "dimensionless", target="mfu",
          assumptions={"micro_batch": ("train.micro_batch_sequences", "dimensionless"),
                       "kernel_mfu": ("train.kernel_mfu", "dimensionless")},
          display_unit="percent", scenarios=("main",), slip_units=(),
          citation="Narayanan et al. 2021 sec. 2.2.1"),
) + tuple(
    Check(f"memory.training_{gpu}_zero{z}{'_full_recompute' if rc == 'full' else ''}",
          f"Does training fit on {label} under TP × PP{' with ZeRO-1' if z else ' without ZeRO'}"
          f"{' and full recomputation' if rc == 'full' else ''}?",
          "bytes/GPU = 16 B × N / (TP·PP) [optimizer ÷ DP with ZeRO-1] + activations of L layers (1F1B)",
          {"total": "total_params", "tp": "tensor_parallel", "pp": "pipeline_parallel", "n_gpus": "n_gpus",
           "seq_len": "seq_len_pretrain", "expert_mlp_params": "expert_mlp_params", "n_layers": "n_layers"},
          _train_memory(z, rc), "byte", bound=(0.0, cap, f"fits in {label} ({cap / 1e9:g} GB)"),
          assumptions={**ARCH, "micro_batch": ("train.micro_batch_sequences", "dimensionless")},
          scenarios=("main",), slip_units=(),
          citation="Rajbhandari et al. 2020; Korthikanti et al. 2022")
    for gpu, label, cap in (("a100_40gb", "A100 40 GB", 40e9), ("a100_80gb", "A100 80 GB", 80e9))
    for z, rc in ((0, "selective"), (1, "selective"), (1, "full"))
) + (
    # 11 inference layout
    Check("inference.gpus_from_layout", "Do TP × PP make the inference cluster's GPU count?",
          "GPUs = TP × PP", {"tp": "inference_tensor_parallel", "pp": "inference_pipeline_parallel"},
          _gpus_from_layout, "GPU", target="inference_gpus", slip_units=()),
    Check("inference.gpus_from_nodes", "Do the nodes the layers fit in make the cluster's GPU count?",
          "GPUs = nodes × GPUs per node", {"nodes": "inference_nodes", "gpus_per_node": "gpus_per_node"},
          _gpus_from_nodes, "GPU", target="inference_gpus", slip_units=()),
    Check("inference.layers_per_stage", "How many layers per inference pipeline stage?",
          "layers / PP", {"n_layers": "n_layers", "pp": "inference_pipeline_parallel"}, _layers_per_stage,
          "dimensionless"),
    Check("inference.params_per_node_nodes", "Does the total over the nodes give ~130B per node?",
          "params/node = total / nodes", {"total": "total_params", "nodes": "inference_nodes"},
          _params_per_node_nodes, "parameter", target="params_per_node"),
    Check("inference.params_per_node_gpus", "Does the total over 128/8 nodes give ~130B per node?",
          "params/node = total / (GPUs / GPUs per node)",
          {"total": "total_params", "gpus": "inference_gpus", "gpus_per_node": "gpus_per_node"},
          _params_per_node_gpus, "parameter", target="params_per_node"),
    Check("inference.weights_per_gpu_40gb", "Do the weights (16-bit) fit a 40 GB A100 across the cluster?",
          "bytes/GPU = 2 B × total / GPUs", {"total": "total_params", "gpus": "inference_gpus"},
          _weight_bytes_per_gpu, "byte", bound=(0.0, 40e9, "fits in 40 GB"),
          assumptions={"bytes_per_param": ("dtype.bf16_bytes", "byte/parameter")},
          slip_units=()),
) + tuple(
    Check(f"inference.kv_{kind}_{ctx}_{gpu}",
          f"{'MQA' if kind == 'mqa' else 'MHA'}: how many {ctx} sequences fit beside the weights on {label}?",
          "sequences = (HBM - weights/GPU) / KV bytes per sequence per GPU; "
          "KV = 2 × layers/PP × max(1, kv/TP) × head_dim × S × 2 B",
          {"total": "total_params", "gpus": "inference_gpus", "tp": "inference_tensor_parallel",
           "pp": "inference_pipeline_parallel", "n_layers": "n_layers",
           "seq_len": "seq_len_finetune" if ctx == "32k" else ("inference_seq_len", "seq_len_pretrain"),
           "expert_mlp_params": "expert_mlp_params"},
          _kv_fit(kind), "dimensionless",
          bound=(0.0, 1.0, "cannot run: fewer than one sequence fits") if (ctx == "32k" and gpu == "a100_40gb")
          else None,
          quotes=("memory_limit_statement",),
          assumptions={**ARCH, "hbm": (f"hw.{gpu}_sxm.hbm_bytes", "byte"),
                       "bytes_per_param": ("dtype.bf16_bytes", "byte/parameter")},
          slip_units=(), scenarios=("inference",), citation="Shazeer 2019; Pope et al. 2022 sec. 3.3")
    for kind in ("mqa", "mha") for ctx in ("8k", "32k")
    for gpu, label in (("a100_40gb", "A100 40 GB"), ("a100_80gb", "A100 80 GB"))
) + (
    # 13 inference price
    Check("inference.price_to_throughput", "What tokens/s does the price per 1k tokens imply for the cluster?",
          "tokens/s = GPUs × price per GPU-second / cost per token",
          {"cost_per_token": "inference_cost_per_1k_tokens", "gpus": "inference_gpus"},
          _price_to_tps, "token/s", assumptions={"price": ("price.{family}_hour", "USD/GPU/hour")},
          scenarios=("inference_a100", "inference_h100")),
    Check("inference.price_to_utilisation", "Is the utilisation the price implies (2 × active FLOP/token) possible?",
          "util = tokens/s × 2 N_active / (GPUs × peak)",
          {"cost_per_token": "inference_cost_per_1k_tokens", "gpus": "inference_gpus", "active": "active_params"},
          _price_to_util, "dimensionless", bound=(0.0, 1.0, "at most 100 % of peak"),
          assumptions={"price": ("price.{family}_hour", "USD/GPU/hour"), **PEAK}, display_unit="percent",
          scenarios=("inference_a100", "inference_h100"), slip_units=()),
    Check("inference.price_to_utilisation_leak_flop",
          "Is the utilisation the price implies with the leak's own FLOPs per token possible?",
          "util = tokens/s × forward_flop_per_token / (GPUs × peak)",
          {"cost_per_token": "inference_cost_per_1k_tokens", "gpus": "inference_gpus",
           "flop_per_token": "forward_flop_per_token"},
          _price_to_util_leak_flop, "dimensionless", bound=(0.0, 1.0, "at most 100 % of peak"),
          assumptions={"price": ("price.{family}_hour", "USD/GPU/hour"), **PEAK}, display_unit="percent",
          scenarios=("inference_a100", "inference_h100"), slip_units=()),
    # 14 Davinci
    Check("inference.davinci_ratio", "Is 3x Davinci's cost the FLOP ratio to a 175B dense model?",
          "ratio = N_active / 175B", {"active": "active_params"}, _davinci_ratio, "dimensionless",
          target="inference_cost_ratio_to_davinci", assumptions=GPT3, slip_units=()),
    # 17 Chinchilla
    Check("scaling.chinchilla_active", "How far are the tokens from 20 per active parameter?",
          "ratio = 20 N_active / D (Hoffmann et al. 2022)", {"p": "active_params", "tokens": "training_tokens"},
          _chinchilla_ratio("active"), "dimensionless", target="chinchilla_token_ratio",
          assumptions={"tpp": ("scaling.tokens_per_param", "token/parameter")}, slip_units=()),
    Check("scaling.chinchilla_total", "How far are the tokens from 20 per total parameter?",
          "ratio = 20 N_total / D (Hoffmann et al. 2022)", {"p": "total_params", "tokens": "training_tokens"},
          _chinchilla_ratio("total"), "dimensionless", target="chinchilla_token_ratio",
          assumptions={"tpp": ("scaling.tokens_per_param", "token/parameter")}, slip_units=()),
    Check("scaling.compute_optimal_tokens", "How far are the tokens from compute-optimal for the FLOPs?",
          "ratio = D_opt(C) / D, approach 3 fit (Hoffmann et al. 2022)",
          {"training_flop": "training_flop", "tokens": "training_tokens"},
          _compute_optimal_ratio("hoffmann2022"), "dimensionless", target="chinchilla_token_ratio", slip_units=()),
    Check("scaling.compute_optimal_tokens_besiroglu", "The same with the Besiroglu et al. 2024 refit",
          "ratio = D_opt(C) / D, Besiroglu et al. 2024 refit",
          {"training_flop": "training_flop", "tokens": "training_tokens"},
          _compute_optimal_ratio("besiroglu2024"), "dimensionless", target="chinchilla_token_ratio",
          slip_units=()),
    Check("scaling.compute_optimal_params", "Which model size is compute-optimal for the claimed FLOPs?",
          "N_opt(C), approach 3 fit (Hoffmann et al. 2022)", {"training_flop": "training_flop"},
          _compute_optimal_n("hoffmann2022"), "parameter"),
    # 18 data
    Check("data.tokens_from_epochs", "Do the epochs over text and code make the 13T tokens seen?",
          "tokens = e_text × text + e_code × code",
          {"e_text": "epochs_text", "text": "text_tokens", "e_code": "epochs_code", "code": "code_tokens"},
          _tokens_from_epochs, "token", target="training_tokens", borrow=("text", "code"), slip_units=()),
    Check("data.unique_vs_refinedweb", "Are the unique text and code tokens about RefinedWeb's ~5T?",
          "unique = text + code", {"text": "text_tokens", "code": "code_tokens"}, _unique_tokens, "token",
          target="dataset_tokens", target_subject="refinedweb", borrow=("text", "code"), slip_units=()),
    Check("data.epoch_tokens", "Do one epoch of text and the code epochs make the tokens per epoch?",
          "tokens_per_epoch = e_text × text + e_code × code",
          {"e_text": "epochs_text", "text": "text_tokens", "e_code": "epochs_code", "code": "code_tokens"},
          _tokens_from_epochs, "token", target="tokens_per_epoch"),
    Check("data.code_share", "Is code the claimed share of the tokens seen?",
          "share = e_code × code / (e_text × text + e_code × code)",
          {"e_text": "epochs_text", "text": "text_tokens", "e_code": "epochs_code", "code": "code_tokens"},
          _code_share, "dimensionless", target="code_fraction", display_unit="percent", slip_units=()),
    # sources against sources
    Check("agree.training_flop", "Does the claimed training compute agree with other sources' figures?",
          "identity", {"x": "training_flop"}, _identity, "FLOP", target="training_flop", cross_source_only=True),
    Check("agree.training_cost", "Does the claimed training cost agree with other sources' figures?",
          "identity", {"x": "training_cost"}, _identity, "USD", target="training_cost", cross_source_only=True),
    Check("agree.total_params", "Does the claimed total agree with other sources' totals?",
          "identity", {"x": "total_params"}, _identity, "parameter", target="total_params",
          cross_source_only=True),
)

_BY_ID = {c.id: c for c in CHECKS}
assert len(_BY_ID) == len(CHECKS), "duplicate check id"


def check_by_id(check_id: str) -> Check:
    try:
        return _BY_ID[check_id]
    except KeyError:
        raise KeyError(f"unknown check id {check_id!r}; known: {', '.join(sorted(_BY_ID))}") from None
