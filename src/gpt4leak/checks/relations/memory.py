"""Training-memory relations: what fits a GPU under the layouts a run allows (what-ifs nobody claimed)."""

from __future__ import annotations

from ...formulas import memory, parallel, params
from ..core import Check, Span
from ._common import EXPERT_WIDTH, d_model_from_expert


def _train_memory(zero_stage, recompute, ep):
    def f(total, tp, pp, n_gpus, seq_len, expert_mlp_params, n_layers, n_experts, k, ffn_ratio, head_dim,
          mlp_kind, micro_batch):
        dp = parallel.data_parallel_degree.bare(n_gpus, tp, pp)
        experts = n_experts * expert_mlp_params
        experts = experts * (experts <= total) + total * (experts > total)  # rounded claims may over-shoot
        states = memory.training_state_bytes_per_gpu.bare(total, tp, pp, parallel.whole_ranks.bare(dp), zero_stage,
                                                          ep, experts)
        d = d_model_from_expert(expert_mlp_params, n_layers, ffn_ratio, mlp_kind)
        # 1F1B: the first stage keeps pp micro-batches in flight = L layers' activations (Korthikanti sec. 4.2.3)
        act = memory.activation_bytes_per_gpu.bare(seq_len, micro_batch, d, d / head_dim, n_layers, tp, pp, True,
                                                   recompute, experts_per_token=k, ffn_ratio=ffn_ratio)
        return states + act, {"model states per GPU (weights, gradients, Adam)": (states, "byte"),
                              f"activations on the first stage ({recompute} recompute, TP+SP, top-k routed)":
                                  (act, "byte")}
    return f


#: The layouts the leak allows: TP x PP with ZeRO-1 and experts spread over 1 to 16 data-parallel ranks
EXPERT_PARALLEL = (1, 2, 4, 8, 16)


def _layouts():
    yield 0, "selective", 1
    for ep in EXPERT_PARALLEL:
        yield 1, "selective", ep
    yield 1, "full", 1


CHECKS = tuple(
    Check(f"memory.training_{gpu}_zero{z}{'_full_recompute' if rc == 'full' else ''}{f'_ep{ep}' if ep > 1 else ''}",
          f"Does training fit on {label} under TP × PP{' with ZeRO-1' if z else ' without ZeRO'}"
          f"{f' and {ep}-way expert parallelism' if ep > 1 else ''}{' and full recomputation' if rc == 'full' else ''}?",
          "bytes/GPU = 16 B × (dense / (TP·PP) + experts / (TP·PP·EP)) [optimizer ÷ DP with ZeRO-1] "
          "+ activations of L layers (1F1B, k experts per token)",
          {"total": "total_params", "tp": "tensor_parallel", "pp": "pipeline_parallel", "n_gpus": "n_gpus",
           "seq_len": "seq_len_pretrain", "expert_mlp_params": "expert_mlp_params", "n_layers": "n_layers",
           "n_experts": "n_experts", "k": "experts_per_token"},
          _train_memory(z, rc, ep), "byte", bound=(0.0, cap, f"fits in {label} ({cap / 1e9:g} GB)"),
          defaults=EXPERT_WIDTH,
          assumptions={"micro_batch": ("train.micro_batch_sequences", "dimensionless")},
          kinds=("run",), slip_units=(), what_if=True,
          citation="Rajbhandari et al. 2020; Korthikanti et al. 2022; Lepikhin et al. 2021 (expert parallelism)")
    for gpu, label, cap in (("a100_40gb", "A100 40 GB", 40e9), ("a100_80gb", "A100 80 GB", 80e9))
    for z, rc, ep in _layouts()
)


def _fits(total, n_layers, d_model, n_heads, seq_len, n_gpus, hbm, micro_batch, tp=0, pp=0):
    """Share of one GPU's memory a stated run needs, spanning the layouts its claims leave open: from ZeRO-3
    with full recomputation (the least a run of this shape can hold) to no sharding with selective
    recomputation."""
    tp, pp = params.stated_or.bare(tp, 1), params.stated_or.bare(pp, 1)  # no model parallelism unless stated
    dp = parallel.whole_ranks.bare(parallel.data_parallel_degree.bare(n_gpus, tp, pp))
    least = (memory.training_state_bytes_per_gpu.bare(total, tp, pp, dp, ZERO_MOST)
             + memory.activation_bytes_per_gpu.bare(seq_len, micro_batch, d_model, n_heads, n_layers, tp, pp, True,
                                                    "full"))
    most = (memory.training_state_bytes_per_gpu.bare(total, tp, pp, dp, ZERO_NONE)
            + memory.activation_bytes_per_gpu.bare(seq_len, micro_batch, d_model, n_heads, n_layers, tp, pp, True,
                                                   "selective"))
    return Span(least / hbm, most / hbm), {"data-parallel degree": (dp, "dimensionless"),
                                           "bytes per GPU, ZeRO-3 and full recomputation": (least, "byte")}


ZERO_MOST, ZERO_NONE = 3, 0

CHECKS = CHECKS + (
    Check("memory.training_fits", "Does the stated run fit its GPUs' memory under some sharding and recomputation?",
          "bytes/GPU from 16 B × N / (TP·PP·DP) + 2 s b h L/PP (ZeRO-3, full recomputation) to "
          "16 B × N / (TP·PP) + activations (no ZeRO, selective); share of HBM",
          {"total": "total_params", "n_layers": "n_layers", "d_model": "d_model", "n_heads": "n_heads",
           "seq_len": "seq_len_pretrain", "n_gpus": "n_gpus"},
          _fits, "dimensionless", bound=(0.0, 1.0, "fits in the GPU's memory"),
          assumptions={"hbm": ("hw.{gpu}.hbm_bytes", "byte"),
                       "micro_batch": ("train.micro_batch_sequences", "dimensionless")},
          defaults={"tp": (("tensor_parallel",), None, "dimensionless"),
                    "pp": (("pipeline_parallel",), None, "dimensionless")},
          borrow=("total", "n_layers", "d_model", "n_heads", "seq_len", "n_gpus"),  # paper, config and card
          display_unit="percent", slip_units=(), kinds=("!serving", "!hypothetical"),
          citation="Rajbhandari et al. 2020 (ZeRO); Korthikanti et al. 2022 (activations)"),
)
