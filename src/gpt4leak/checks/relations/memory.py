"""Training-memory relations: what fits a GPU under the layouts a run allows (what-ifs nobody claimed)."""

from __future__ import annotations

from ...formulas import memory, parallel
from ..core import Check
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
          scenarios=("main",), slip_units=(), what_if=True,
          citation="Rajbhandari et al. 2020; Korthikanti et al. 2022; Lepikhin et al. 2021 (expert parallelism)")
    for gpu, label, cap in (("a100_40gb", "A100 40 GB", 40e9), ("a100_80gb", "A100 80 GB", 80e9))
    for z, rc, ep in _layouts()
)
