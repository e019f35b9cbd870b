"""Parameter relations: totals from experts, and totals from a stated shape through the one calculus."""

from __future__ import annotations

from ...formulas import params
from ...quantities import EMBEDDING_TYINGS, MLP_KINDS
from ..core import Check, Span
from ._common import (EXPERT_WIDTH, GPT3, OPTIONAL_SIZES, WIDTH_RATIO, d_model_from_expert, gated,
                      tied)

SHAPE_CITATION = "Architecture / formulas.params.decoder_params (exact against executed Hugging Face code)"


def _total(n_experts, expert_params, shared):
    return params.moe_total_params.bare(n_experts, expert_params, shared)


def _active(k, expert_params, shared):
    return params.moe_active_params.bare(k, expert_params, shared)


def _total_no_shared(n_experts, expert_params):
    return params.moe_total_params.bare(n_experts, expert_params, 0.0)


def _size_ratio(total, gpt3_params):
    return total / gpt3_params


def _span(which, n_layers, d_model, n_heads, vocab, d_ff, d_head, n_kv_heads, positions, mlp_kind, tables,
          width_ratio, **moe):
    """N (or N_active) of a stated shape, as the span of what the shape does not fix: from no biases and
    RMSNorm gains to biases on every matrix, LayerNorm and a learned position table of the context length."""
    head = params.head_dim_or_default.bare(d_model, n_heads, d_head, width_ratio)
    kv = params.stated_or.bare(n_kv_heads, n_heads)
    # an unstated kind spans its alternatives: two matrices and tied at the low end, gated and untied at the top
    low = params.decoder_params(n_layers, d_model, n_heads, kv, head, d_ff, vocab, **moe,
                                gated=gated(params.stated_or.bare(mlp_kind, MLP_KINDS["two-matrix"])),
                                tied=tied(params.stated_or.bare(tables, EMBEDDING_TYINGS["tied"])))
    high = params.decoder_params(n_layers, d_model, n_heads, kv, head, d_ff, vocab, **moe,
                                 gated=gated(params.stated_or.bare(mlp_kind, MLP_KINDS["gated"])),
                                 tied=tied(params.stated_or.bare(tables, EMBEDDING_TYINGS["untied"])),
                                 norm_bias=True, attention_bias=True, mlp_bias=True, max_positions=positions)
    return Span(low[which], high[which]), {"head width": (head, "dimensionless"),
                                           "attention parameters": (low["attention"], "parameter"),
                                           "embedding and LM-head parameters":
                                               (low["embeddings"] + low["lm_head"], "parameter")}


def _dense_shape(n_layers, d_model, n_heads, vocab, d_ff, d_head=0, n_kv_heads=0, positions=0, mlp_kind=0,
                 tables=0, width_ratio=1):
    return _span("total", n_layers, d_model, n_heads, vocab, d_ff, d_head, n_kv_heads, positions, mlp_kind,
                 tables, width_ratio)


def _moe_shape(which):
    def f(n_layers, d_model, n_heads, vocab, n_experts, k, expert_d_ff, d_ff=0, n_shared=0, n_dense_layers=0,
          d_head=0, n_kv_heads=0, positions=0, mlp_kind=0, tables=0, width_ratio=1):
        dense_ff = params.stated_or.bare(d_ff, expert_d_ff)  # dense layers: their own width where stated
        return _span(which, n_layers, d_model, n_heads, vocab, dense_ff, d_head, n_kv_heads, positions, mlp_kind,
                     tables, width_ratio, n_experts=n_experts, experts_per_token=k, expert_d_ff=expert_d_ff,
                     n_moe_layers=n_layers - n_dense_layers, n_shared_experts=n_shared)
    return f


def _attention(kind):
    def f(expert_mlp_params, n_layers, ffn_ratio, head_dim, mlp_kind):
        d = d_model_from_expert(expert_mlp_params, n_layers, ffn_ratio, mlp_kind)
        n_heads = d / head_dim
        n_kv = 0 * n_heads + 1 if kind == "mqa" else n_heads  # one shared K/V head (shazeer2019)
        per_layer = params.attention_params.bare(d, n_heads, n_kv, head_dim)
        return per_layer * n_layers, {"d_model (from the expert size)": (d, "dimensionless"),
                                      "d_ff (from the expert size)": (d * ffn_ratio, "dimensionless"),
                                      "attention parameters per layer": (per_layer, "parameter")}
    return f


DENSE = {"n_layers": "n_layers", "d_model": "d_model", "n_heads": "n_heads", "vocab": "vocab_size",
         "d_ff": "d_ff"}
MOE = {"n_layers": "n_layers", "d_model": "d_model", "n_heads": "n_heads", "vocab": "vocab_size",
       "n_experts": "n_experts", "k": "experts_per_token", "expert_d_ff": "expert_d_ff"}
MOE_OPTIONAL = {"d_ff": (("d_ff",), None, "dimensionless"), "n_shared": (("n_shared_experts",), None, "dimensionless"),
                "n_dense_layers": (("n_dense_layers",), None, "dimensionless")}
SHAPE_DEFAULTS = {**OPTIONAL_SIZES, **WIDTH_RATIO, "mlp_kind": (("mlp_kind",), None, "dimensionless"),
                  "tables": (("embedding_tying",), None, "dimensionless")}
NOT_MLA = ("attention_kind~latent",)  # multi-head latent attention has its own projections (no relation yet)

CHECKS = (
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
    Check("params.total_from_shape", "Do the stated layers, widths, heads and vocabulary give the total?",
          "N = V d + L (attention + MLP + norms) + (1 - tied) V d, biases and norms spanned "
          "(formulas.params.decoder_params, the calculus of Architecture)",
          DENSE, _dense_shape, "parameter", target="total_params", defaults=SHAPE_DEFAULTS,
          unless=("n_experts", *NOT_MLA), citation=SHAPE_CITATION),
    Check("params.moe_total_from_shape", "Do the stated layers, widths, heads and experts give the MoE total?",
          "N = V d + L (attention + E × expert MLP + router + norms) + (1 - tied) V d "
          "(formulas.params.decoder_params)",
          MOE, _moe_shape("total"), "parameter", target="total_params",
          defaults={**SHAPE_DEFAULTS, **MOE_OPTIONAL}, unless=NOT_MLA, citation=SHAPE_CITATION),
    Check("params.moe_active_from_shape", "Do the stated layers, widths, heads and top-k give the active count?",
          "N_active = N - L_moe (E - k) × expert MLP (formulas.params.decoder_params)",
          MOE, _moe_shape("active"), "parameter", target="active_params",
          defaults={**SHAPE_DEFAULTS, **MOE_OPTIONAL}, unless=NOT_MLA, citation=SHAPE_CITATION),
    Check("params.size_vs_gpt3", "Is the total more than 10x GPT-3's 175B?", "ratio = total / 175B",
          {"total": "total_params"}, _size_ratio, "dimensionless", target="size_ratio_to_gpt3",
          assumptions=GPT3, slip_units=()),
    Check("params.attention_mqa", "Do 55B shared attention parameters fit multi-query attention?",
          "attention = L × (2 d² + 2 d·head_dim), d from one expert's MLP = L × m d (r d)",
          {"expert_mlp_params": "expert_mlp_params", "n_layers": "n_layers"}, _attention("mqa"), "parameter",
          target="shared_attention_params", defaults=EXPERT_WIDTH, slip_units=(),
          citation="Shazeer 2019 (MQA); Kaplan et al. 2020 Table 1"),
    Check("params.attention_mha", "Do 55B shared attention parameters fit multi-head attention?",
          "attention = L × 4 d², d from one expert's MLP = L × m d (r d)",
          {"expert_mlp_params": "expert_mlp_params", "n_layers": "n_layers"}, _attention("mha"), "parameter",
          target="shared_attention_params", defaults=EXPERT_WIDTH, slip_units=()),
)
