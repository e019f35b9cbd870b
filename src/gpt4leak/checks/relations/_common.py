"""What the relation modules share: unit conversions, assumption specs and the shape defaults.

Relations hold no physics of their own: every equation is a call into :mod:`gpt4leak.formulas` (the kernels
:class:`gpt4leak.Architecture` sums, proven exact against executed model code). What remains here is unit
bookkeeping and the arithmetic of the claims themselves (a ratio of two claimed costs).
"""

from __future__ import annotations

from ...formulas import params
from ...units import Q_

SECONDS_PER_DAY = float(Q_(1, "day").to("second").magnitude)
SECONDS_PER_HOUR = float(Q_(1, "hour").to("second").magnitude)

PEAK = {"peak": ("hw.{gpu}.peak_bf16|hw.{gpu}.peak_fp16", "FLOP/s/GPU")}  # 16-bit tensor peak (V100: fp16 only)
GPT3 = {"gpt3_params": ("ref.gpt3_params", "parameter")}

#: Optional sizes: 0 when unstated, and the formula applies its convention (head width d/h, MHA, no table).
OPTIONAL_SIZES = {
    "d_head": (("d_head",), None, "dimensionless"),
    "n_kv_heads": (("n_kv_heads",), None, "dimensionless"),
    "positions": (("seq_len_pretrain",), None, "dimensionless"),
}
WIDTH_RATIO = {"width_ratio": ((), "arch.attention_width_ratio", "dimensionless")}
#: From one expert's MLP size to d_model: the MLP kind and d_ff / d_model, claimed or assumed.
EXPERT_WIDTH = {
    "mlp_kind": (("mlp_kind",), "arch.mlp_kind", "dimensionless"),
    "ffn_ratio": ((), "arch.ffn_ratio", "dimensionless"),
    "head_dim": (("d_head",), "arch.head_dim", "dimensionless"),
}


def seconds(days):
    return days * SECONDS_PER_DAY


def gated(mlp_kind):
    """Weight matrices of the MLP (2 or 3, see gpt4leak.quantities.MLP_KINDS) -> the gated flag (0..1)."""
    return mlp_kind - 2


def tied(tables):
    """Embedding tables (1 tied, 2 untied) -> the tied flag (0..1)."""
    return 2 - tables


def d_model_from_expert(expert_mlp_params, n_layers, ffn_ratio, mlp_kind):
    """d_model from one expert's MLP summed over layers: (2 or 3) d (r d) per layer."""
    return params.d_model_from_mlp_params.bare(expert_mlp_params / n_layers, ffn_ratio=ffn_ratio,
                                               gated=gated(mlp_kind))
