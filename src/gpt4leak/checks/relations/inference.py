"""Inference relations: cluster layout, what fits beside the weights, and what the price implies."""

from __future__ import annotations

from ...formulas import cost, flops, memory, parallel, params
from ..core import Check
from ._common import EXPERT_WIDTH, GPT3, PEAK, d_model_from_expert

PRICE = {"price": ("price.{family}_hour", "USD/GPU/hour")}


def _gpus_from_layout(tp, pp=0, dp=0):
    one = params.stated_or.bare  # no pipeline and one replica unless stated
    return parallel.world_size.bare(tp, one(pp, 1), one(dp, 1))


def _gpus_from_nodes(nodes, gpus_per_node):
    return nodes * gpus_per_node


def _layers_per_stage(n_layers, pp):
    return parallel.layers_per_stage.bare(n_layers, pp)


def _params_per_node_nodes(total, nodes):
    return total / nodes


def _params_per_node_gpus(total, gpus, gpus_per_node):
    return total / (gpus / gpus_per_node)


def _weight_share(total, gpus, bytes_per_param, hbm):
    per_gpu = memory.weight_bytes.bare(total, bytes_per_param) / gpus
    return per_gpu / hbm, {"weights per GPU": (per_gpu, "byte")}


def _kv_fit(kind):
    def f(total, gpus, tp, pp, n_layers, seq_len, expert_mlp_params, ffn_ratio, head_dim, mlp_kind, hbm,
          bytes_per_param):
        d = d_model_from_expert(expert_mlp_params, n_layers, ffn_ratio, mlp_kind)
        n_heads = d / head_dim
        n_kv = 0 * d + 1 if kind == "mqa" else n_heads
        weights = memory.weight_bytes.bare(total, bytes_per_param) / gpus
        kv_seq = memory.kv_cache_bytes.bare(n_layers, n_kv, head_dim, seq_len, 1, bytes_per_param, tp, pp)
        free = memory.free_bytes.bare(hbm, weights)
        return free / kv_seq, {"weights per GPU": (weights, "byte"),
                               "KV cache per sequence per GPU": (kv_seq, "byte")}
    return f


def _margin(cost_per_token, price):
    return cost.gross_margin.bare(cost_per_token, price)


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


def _davinci_utilisation(active, gpt3_params, cost_ratio):
    """Cost ratio = FLOP ratio / utilisation ratio, so utilisation(GPT-4) / utilisation(Davinci) =
    FLOP ratio / cost ratio (same hardware and price)."""
    flop_ratio = flops.forward_flop_per_token.bare(active) / flops.forward_flop_per_token.bare(gpt3_params)
    return flop_ratio / cost_ratio, {"forward FLOP ratio to Davinci": (flop_ratio, "dimensionless")}


def _davinci_ratio(active, gpt3_params):
    return flops.forward_flop_per_token.bare(active) / flops.forward_flop_per_token.bare(gpt3_params)


CHECKS = (
    Check("inference.gpus_from_layout", "Do TP × PP make the inference cluster's GPU count?",
          "GPUs = TP × PP × DP (PP and DP 1 unless stated)",
          {"tp": "inference_tensor_parallel"},
          _gpus_from_layout, "GPU", target="inference_gpus", slip_units=(),
          defaults={"pp": (("inference_pipeline_parallel",), None, "dimensionless"),
                    "dp": (("inference_data_parallel",), None, "dimensionless")}),
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
    Check("inference.weights_fit", "Do the weights fit the memory of the cluster's own GPUs?",
          "share of HBM = bytes per parameter (bf16: 2 B unless stated) × total / GPUs / HBM", {"total": "total_params", "gpus": "inference_gpus"},
          _weight_share, "dimensionless", bound=(0.0, 1.0, "fits in the GPU's memory"),
          assumptions={"hbm": ("hw.{gpu}.hbm_bytes", "byte")},
          defaults={"bytes_per_param": (("weight_dtype",), "dtype.bf16_bytes", "byte/parameter")},
          display_unit="percent", slip_units=()),
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
          quotes=("memory_limit_statement",), defaults=EXPERT_WIDTH,
          requires=("memory_limit_statement",) if (ctx == "32k" and gpu == "a100_40gb") else (),
          assumptions={"hbm": (f"hw.{gpu}_sxm.hbm_bytes", "byte"),
                       "bytes_per_param": ("dtype.bf16_bytes", "byte/parameter")},
          slip_units=(), kinds=("serving",), what_if=(kind == "mha" or gpu != "a100_40gb"),
          citation="Shazeer 2019; Pope et al. 2022 sec. 3.3")
    for kind in ("mqa", "mha") for ctx in ("8k", "32k")
    for gpu, label in (("a100_40gb", "A100 40 GB"), ("a100_80gb", "A100 80 GB"))
) + (
    Check("inference.price_to_throughput", "What tokens/s does the price per 1k tokens imply for the cluster?",
          "tokens/s = GPUs × price per GPU-second / cost per token",
          {"cost_per_token": "inference_cost_per_1k_tokens", "gpus": "inference_gpus"},
          _price_to_tps, "token/s", assumptions=PRICE, kinds=("serving",)),
    Check("inference.price_to_utilisation", "Is the utilisation the price implies (2 × active FLOP/token) possible?",
          "util = tokens/s × 2 N_active / (GPUs × peak)",
          {"cost_per_token": "inference_cost_per_1k_tokens", "gpus": "inference_gpus", "active": "active_params"},
          _price_to_util, "dimensionless", bound=(0.0, 1.0, "at most 100 % of peak"),
          assumptions={**PRICE, **PEAK}, display_unit="percent",
          kinds=("serving",), slip_units=()),
    Check("inference.price_to_utilisation_leak_flop",
          "Is the utilisation the price implies with the leak's own FLOPs per token possible?",
          "util = tokens/s × forward_flop_per_token / (GPUs × peak)",
          {"cost_per_token": "inference_cost_per_1k_tokens", "gpus": "inference_gpus",
           "flop_per_token": "forward_flop_per_token"},
          _price_to_util_leak_flop, "dimensionless", bound=(0.0, 1.0, "at most 100 % of peak"),
          assumptions={**PRICE, **PEAK}, display_unit="percent",
          kinds=("serving",), slip_units=()),
    *(Check(f"inference.gross_margin_{side}", f"What gross margin does the {side} price leave over the serving "
            f"cost?", "margin = 1 - serving cost per token / list price per token",
            {"cost_per_token": "inference_cost_per_1k_tokens", "price": f"api_price_{side}_per_1k_tokens"},
            # the price list and the cost estimate are never one source's: the price is lent (borrow)
            _margin, "dimensionless", display_unit="percent", slip_units=(), borrow=("price",),
            citation="Horngren et al. 2015 ch. 2") for side in ("prompt", "completion")),
    Check("inference.davinci_flop_ratio", "What is the forward-FLOP ratio to a 175B dense model (Davinci)?",
          "ratio = 2 N_active / (2 × 175B)", {"active": "active_params"}, _davinci_ratio, "dimensionless",
          assumptions=GPT3),
    Check("inference.davinci_utilisation", "At 3x Davinci's cost, what utilisation relative to Davinci is implied?",
          "utilisation ratio = FLOP ratio / cost ratio (same hardware and price)",
          {"active": "active_params", "cost_ratio": "inference_cost_ratio_to_davinci"}, _davinci_utilisation,
          "dimensionless", assumptions=GPT3),
)
