"""The shape of a decoder-only transformer, and what follows from it.

:class:`Architecture` is a frozen record of the sizes that fix a model's
parameters, forward FLOPs and KV cache: layers, widths, heads, key/value heads,
feed-forward kind, experts and their routing, multi-head latent attention,
sliding windows. It is built by hand (``Architecture(n_layers=96, ...)``),
from a Hugging Face ``config.json`` (:meth:`Architecture.from_hf_config`) or
from the leak. Derived values are exact integers computed by the formulas of
:mod:`gpt4leak.formulas.params`; the counting conventions (what a "parameter"
and a "FLOP" are here, family by family) are in ``docs/conventions.md``.

The parameter counts, forward FLOPs and KV-cache bytes are checked, exactly,
against the Hugging Face implementations of every supported family run on
CPU (``tests/executed/``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt, PositiveInt, model_validator

from .formulas import params as _p
from .formulas._boundary import unit_aware

__all__ = ["Architecture", "HFConfigError", "SUPPORTED_HF_FAMILIES"]

LayerType = Literal["full_attention", "sliding_attention"]


#: Ceilings that catch typos and hostile configs (the deepest published models have a few hundred layers).
MAX_LAYERS = 100_000
MAX_SIZE = 10**9
#: Families whose every config is a mixture of experts (Qwen2-MoE is not: num_experts 0 makes it dense in its code).
_MOE_FAMILIES = frozenset({"mixtral", "qwen3_moe", "olmoe", "dbrx", "deepseek_v3"})


class HFConfigError(ValueError):
    """A Hugging Face config that cannot be read: unknown model_type, missing or inconsistent sizes."""


def _minimum(a, b):
    return np.minimum(a, b) if isinstance(a, np.ndarray) or isinstance(b, np.ndarray) else min(a, b)


class Architecture(BaseModel):
    """A decoder-only transformer, dense or mixture-of-experts.

    Every size is a count. Optional sizes left as ``None`` take the usual
    default when the record is built (``n_kv_heads = n_heads``,
    ``head_dim = d_model / n_heads``, ``expert_d_ff = d_ff``,
    ``shared_expert_d_ff = expert_d_ff``); the record then holds the resolved
    values. Bad sizes raise a ``pydantic.ValidationError`` that names the field.

    Examples
    --------
    GPT-3 175B (Brown et al. 2020, Table 2.1):

    >>> gpt3 = Architecture(n_layers=96, d_model=12288, n_heads=96, d_ff=4 * 12288, vocab_size=50257,
    ...                     mlp="gelu", position="learned", max_positions=2048, tie_embeddings=True,
    ...                     attention_bias=True, mlp_bias=True, norm="layernorm")
    >>> round(gpt3.total_params / 1e9, 1)
    174.6
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    name: str | None = Field(None, description="A label for people (\"Llama-2-70B\").")
    family: str | None = Field(None, description="Hugging Face model_type it was read from, if any.")

    # -- trunk
    n_layers: PositiveInt = Field(description="Transformer layers (blocks).")
    d_model: PositiveInt = Field(description="Residual-stream width (hidden_size).")
    n_heads: PositiveInt = Field(description="Attention (query) heads per layer.")
    n_kv_heads: PositiveInt | None = Field(
        None, description="Key/value heads per layer: n_heads (MHA, the default), 1 (MQA), a divisor (GQA).")
    head_dim: PositiveInt | None = Field(
        None, description="Width of one attention head; default d_model / n_heads (which must divide).")
    d_ff: PositiveInt = Field(description="Hidden width of a dense feed-forward block (intermediate_size).")
    mlp: Literal["gelu", "gated"] = Field(
        "gelu", description="'gelu': two matrices (GELU/ReLU MLP); 'gated': three (SwiGLU/GeGLU).")
    vocab_size: PositiveInt = Field(description="Rows of the token-embedding table and logits of the LM head.")
    embedding_dim: PositiveInt | None = Field(
        None, description="Width of the token embeddings if not d_model (OPT-350m's word_embed_proj_dim); "
                          "then two projections (in, out) of embedding_dim x d_model are added.")
    tie_embeddings: bool = Field(False, description="The LM head reuses the token-embedding matrix.")
    position: Literal["learned", "rotary", "alibi", "none"] = Field(
        "rotary", description="Position encoding; only 'learned' has parameters.")
    max_positions: PositiveInt | None = Field(
        None, description="Rows of the learned position table (required for position='learned').")

    # -- biases and norms
    attention_bias: bool = Field(False, description="Biases on the Q, K, V projections.")
    attention_out_bias: bool | None = Field(
        None, description="Bias on the attention output projection; default attention_bias.")
    mlp_bias: bool = Field(False, description="Biases on the feed-forward (and expert) matrices.")
    lm_head_bias: bool = Field(False, description="Bias on the LM head (GPT-J has one, also when tied).")
    norm: Literal["layernorm", "layernorm_no_bias", "rmsnorm", "none"] = Field(
        "layernorm", description="Normalisation: LayerNorm (gain and shift), LayerNorm without shift, "
                                 "RMSNorm (gain), or 'none' (no learned parameters).")
    norms_per_layer: NonNegativeInt = Field(
        2, description="Norms of width d_model in each layer (2 pre-norm, 1 parallel GPT-J, 4 Gemma 2).")
    final_norm: bool = Field(True, description="A norm after the last layer.")
    embedding_norm: bool = Field(False, description="A norm right after the token embedding (BLOOM).")
    qk_norm: Literal["none", "per_head", "full"] = Field(
        "none", description="Norms on queries and keys: over each head's width (Qwen3) or over all "
                            "query and key heads (OLMoE).")

    # -- mixture of experts
    n_experts: NonNegativeInt = Field(0, description="Routed experts per MoE layer; 0 for a dense model.")
    experts_per_token: PositiveInt | None = Field(
        None, description="Routed experts each token uses (top-k); required when n_experts > 0.")
    expert_d_ff: PositiveInt | None = Field(None, description="Hidden width of one routed expert; default d_ff.")
    n_shared_experts: NonNegativeInt = Field(0, description="Always-on shared experts per MoE layer.")
    shared_expert_d_ff: PositiveInt | None = Field(
        None, description="Hidden width of one shared expert; default expert_d_ff.")
    shared_expert_gate: bool = Field(
        False, description="A d_model x 1 sigmoid gate on the shared expert output (Qwen-MoE).")
    first_k_dense: NonNegativeInt = Field(
        0, description="The first k layers keep a dense feed-forward block (DeepSeek first_k_dense_replace).")
    moe_layer_step: PositiveInt = Field(
        1, description="Layer i is MoE only when (i + 1) is a multiple of this (Qwen decoder_sparse_step).")
    dense_layers: tuple[NonNegativeInt, ...] = Field(
        (), description="Further layers (0-based) that keep a dense block (Qwen mlp_only_layers).")

    # -- multi-head latent attention (DeepSeek-V2/V3)
    q_lora_rank: PositiveInt | None = Field(
        None, description="MLA query latent width; None projects queries directly.")
    kv_lora_rank: PositiveInt | None = Field(None, description="MLA key/value latent width; set to use MLA.")
    qk_rope_head_dim: PositiveInt | None = Field(None, description="MLA rotary part of each query/key head.")
    qk_nope_head_dim: PositiveInt | None = Field(None, description="MLA non-rotary part of each query/key head.")
    v_head_dim: PositiveInt | None = Field(None, description="MLA value width per head.")

    # -- sliding-window attention
    sliding_window: PositiveInt | None = Field(
        None, description="Keys each query sees in a sliding-window layer (itself included).")
    layer_types: tuple[LayerType, ...] | None = Field(
        None, description="Per layer 'full_attention' or 'sliding_attention'; None means every layer "
                          "slides when sliding_window is set.")

    unmapped_fields: dict[str, str] = Field(
        default_factory=dict,
        description="Config fields from_hf_config could not map, with the reason; empty means exact.")

    # ------------------------------------------------------------------ validation
    @model_validator(mode="after")
    def _resolve_and_check(self):
        def fill(name, value):
            object.__setattr__(self, name, value)

        if self.n_layers > MAX_LAYERS:  # the record lists layers one by one: 1e30 would never finish
            raise ValueError(f"n_layers: {self.n_layers} is beyond belief (at most {MAX_LAYERS:,})")
        for f in ("d_model", "n_heads", "d_ff", "vocab_size", "n_experts", "expert_d_ff"):
            v = getattr(self, f)
            if v is not None and v > MAX_SIZE:
                raise ValueError(f"{f}: {v} is beyond belief (at most {MAX_SIZE:,})")

        if self.n_kv_heads is None:
            fill("n_kv_heads", self.n_heads)
        if self.head_dim is None:
            if self.d_model % self.n_heads:
                raise ValueError(f"head_dim: not given, and n_heads ({self.n_heads}) does not divide "
                                 f"d_model ({self.d_model}); give head_dim")
            fill("head_dim", self.d_model // self.n_heads)
        if self.n_heads % self.n_kv_heads:
            raise ValueError(f"n_kv_heads ({self.n_kv_heads}) must divide n_heads ({self.n_heads})")
        if self.attention_out_bias is None:
            fill("attention_out_bias", self.attention_bias)
        if self.position == "learned" and self.max_positions is None:
            raise ValueError("max_positions: required when position='learned'")
        if self.n_experts:
            if self.experts_per_token is None:
                raise ValueError("experts_per_token: required when n_experts > 0")
            if self.experts_per_token > self.n_experts:
                raise ValueError(f"experts_per_token ({self.experts_per_token}) exceeds "
                                 f"n_experts ({self.n_experts})")
        elif self.n_shared_experts or self.shared_expert_gate:
            raise ValueError("n_shared_experts: shared experts need routed experts (n_experts > 0)")
        if self.expert_d_ff is None:
            fill("expert_d_ff", self.d_ff)
        if self.shared_expert_d_ff is None:
            fill("shared_expert_d_ff", self.expert_d_ff)
        if self.first_k_dense > self.n_layers:
            raise ValueError(f"first_k_dense ({self.first_k_dense}) exceeds n_layers ({self.n_layers})")
        bad = [i for i in self.dense_layers if i >= self.n_layers]
        if bad:
            raise ValueError(f"dense_layers: indices {bad} are not layers of a {self.n_layers}-layer model")
        if self.kv_lora_rank is not None:
            missing = [f for f in ("qk_rope_head_dim", "qk_nope_head_dim", "v_head_dim") if getattr(self, f) is None]
            if missing:
                raise ValueError(f"{', '.join(missing)}: required with kv_lora_rank (multi-head latent attention)")
        elif self.q_lora_rank is not None:
            raise ValueError("q_lora_rank: only meaningful with kv_lora_rank (multi-head latent attention)")
        if self.layer_types is not None:
            if len(self.layer_types) != self.n_layers:
                raise ValueError(f"layer_types: {len(self.layer_types)} entries for {self.n_layers} layers")
            if "sliding_attention" in self.layer_types and self.sliding_window is None:
                raise ValueError("sliding_window: required when layer_types has 'sliding_attention'")
        return self

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Architecture:
        """A validated copy with some fields changed (derived values are recomputed).

        Defaults were resolved when this record was built: changing ``n_heads``
        keeps the resolved ``n_kv_heads`` and ``head_dim`` unless they are
        changed too.
        """
        return type(self)(**{**self.model_dump(), **(update or {})})

    # ------------------------------------------------------------------ structure
    @property
    def is_mla(self) -> bool:
        """Whether attention is multi-head latent attention (DeepSeek-V2/V3)."""
        return self.kv_lora_rank is not None

    @cached_property
    def moe_layers(self) -> tuple[int, ...]:
        """0-based indices of the layers whose feed-forward block is a mixture of experts."""
        if not self.n_experts:
            return ()
        dense = set(self.dense_layers)
        return tuple(i for i in range(self.n_layers)
                     if i >= self.first_k_dense and (i + 1) % self.moe_layer_step == 0 and i not in dense)

    @cached_property
    def sliding_layers(self) -> tuple[int, ...]:
        """0-based indices of the sliding-window attention layers."""
        if self.sliding_window is None:
            return ()
        if self.layer_types is None:
            return tuple(range(self.n_layers))
        return tuple(i for i, t in enumerate(self.layer_types) if t == "sliding_attention")

    @property
    def _emb_dim(self) -> int:
        return self.embedding_dim or self.d_model

    @property
    def _norm_bias(self) -> bool:
        return self.norm == "layernorm"

    def _norm(self, width: int) -> int:
        return 0 if self.norm == "none" else _p.norm_params.bare(width, bias=self._norm_bias)

    # ------------------------------------------------------------------ per-layer pieces
    def _attention(self, with_biases: bool = True) -> int:
        """One layer's attention parameters; without biases, the matrix entries the FLOP counter sees."""
        bias = self.attention_bias and with_biases
        if self.is_mla:
            return _p.mla_attention_params.bare(
                self.d_model, self.n_heads, self.q_lora_rank or 0, self.kv_lora_rank, self.qk_nope_head_dim,
                self.qk_rope_head_dim, self.v_head_dim, bias=bias)
        return _p.attention_params.bare(self.d_model, self.n_heads, self.n_kv_heads, self.head_dim,
                                        bias=bias, out_bias=self.attention_out_bias and with_biases)

    @cached_property
    def _norms_per_layer_params(self) -> int:
        n = self.norms_per_layer * self._norm(self.d_model)
        if self.qk_norm == "per_head":  # one gain over head_dim for all query heads, one for all key heads
            n += 2 * self._norm(self.head_dim)
        elif self.qk_norm == "full":  # over all query heads and over all key heads
            n += self._norm(self.n_heads * self.head_dim) + self._norm(self.n_kv_heads * self.head_dim)
        if self.is_mla:  # RMSNorm on the compressed latents (DeepSeek-V2 eqs. 9-12)
            n += self._norm(self.kv_lora_rank) + (self._norm(self.q_lora_rank) if self.q_lora_rank else 0)
        return n

    def _mlp(self, d_ff: int, bias: bool | None = None) -> int:
        return _p.mlp_params.bare(self.d_model, d_ff, gated=self.mlp == "gated",
                                  bias=self.mlp_bias if bias is None else bias)

    @cached_property
    def expert_params_per_layer(self) -> int:
        """Parameters of one routed expert in one MoE layer [parameter]."""
        return self._mlp(self.expert_d_ff) if self.n_experts else 0

    @cached_property
    def expert_params(self) -> int:
        """Parameters of one routed expert summed over the MoE layers [parameter]."""
        return self.expert_params_per_layer * len(self.moe_layers)

    # ------------------------------------------------------------------ parameters
    @cached_property
    def param_breakdown(self) -> dict[str, int]:
        """Parameters by component [parameter]; the values sum to :attr:`total_params`.

        Keys: ``embeddings`` (token table, learned position table),
        ``embedding_projection`` (OPT-350m's in/out projections), ``attention``,
        ``mlp`` (dense feed-forward layers), ``experts`` (all routed experts),
        ``shared_experts`` (with their gate), ``router``, ``norms`` (layer,
        query/key, latent, embedding and final norms), ``lm_head`` (0 when tied,
        unless it has a bias).
        """
        b = self._decoder_params
        return {k: b[k] for k in ("embeddings", "embedding_projection", "attention", "mlp", "experts",
                                  "shared_experts", "router", "norms", "lm_head")}

    @cached_property
    def _decoder_params(self) -> dict[str, int]:
        """:func:`gpt4leak.formulas.params.decoder_params` of this record: the one parameter calculus."""
        return _p.decoder_params.bare(
            self.n_layers, self.d_model, self.n_heads, self.n_kv_heads, self.head_dim, self.d_ff, self.vocab_size,
            gated=self.mlp == "gated", tied=self.tie_embeddings, n_experts=self.n_experts,
            experts_per_token=self.experts_per_token or 0, expert_d_ff=self.expert_d_ff,
            n_moe_layers=len(self.moe_layers), n_shared_experts=self.n_shared_experts,
            shared_expert_d_ff=self.shared_expert_d_ff, shared_expert_gate=self.shared_expert_gate,
            norm_bias=self._norm_bias, final_norm=self.final_norm and self.norm != "none",
            mlp_bias=self.mlp_bias, lm_head_bias=self.lm_head_bias,
            max_positions=self.max_positions if self.position == "learned" else 0,
            attention_per_layer=self._attention(), norm_params_per_layer=self._norms_per_layer_params,
            extra_norm_params=self._norm(self._emb_dim) if self.embedding_norm else 0,
            embedding_dim=self._emb_dim)

    @cached_property
    def total_params(self) -> int:
        """All parameters, each stored tensor once (a tied LM head adds only its bias) [parameter]."""
        return sum(self.param_breakdown.values())

    @cached_property
    def embedding_params(self) -> int:
        """Token-embedding table plus learned position table [parameter] (kaplan2020 Table 1, "Embed")."""
        return self.param_breakdown["embeddings"]

    @cached_property
    def non_embedding_params(self) -> int:
        """Total minus the embedding tables and the LM head [parameter] (Kaplan et al.'s N)."""
        b = self.param_breakdown
        return self.total_params - b["embeddings"] - b["lm_head"]

    @cached_property
    def shared_params(self) -> int:
        """Everything but the routed experts [parameter]: the s in N = E x + s."""
        return self.total_params - self.n_experts * self.expert_params

    @cached_property
    def active_params(self) -> int:
        """Parameters one token uses in a forward pass [parameter]: k experts per MoE layer + the rest.

        Equals :func:`gpt4leak.formulas.params.moe_active_params` of
        (experts_per_token, :attr:`expert_params`, :attr:`shared_params`);
        embeddings and LM head are included (as in Mixtral's 12.9B, jiang2024).
        """
        return self._decoder_params["active"]

    # ------------------------------------------------------------------ FLOPs
    @cached_property
    def matmul_weights_per_token(self) -> int:
        """Matrix entries each token is multiplied by in one forward pass [parameter].

        Every linear layer's weight (no biases, norms or embedding lookups),
        the LM head included even when tied, the router, k routed experts and
        the shared experts in MoE layers. ``2 x`` this is the matmul FLOPs per
        token outside the attention scores.
        """
        n_moe = len(self.moe_layers)
        n_dense = self.n_layers - n_moe
        e = self._emb_dim
        w = self.n_layers * self._attention(with_biases=False)
        w += n_dense * self._mlp(self.d_ff, bias=False)
        if n_moe:
            per_moe = (self.d_model * self.n_experts  # router
                       + self.experts_per_token * self._mlp(self.expert_d_ff, bias=False)
                       + self.n_shared_experts * self._mlp(self.shared_expert_d_ff, bias=False)
                       + (self.d_model if self.shared_expert_gate else 0))
            w += n_moe * per_moe
        if e != self.d_model:
            w += 2 * e * self.d_model  # project_in and project_out
        w += self.vocab_size * e  # LM head, tied or not
        return w

    @property
    def _score_width(self) -> int:
        """Query-key width plus value width of all heads: QK^T and AV multiply by these."""
        if self.is_mla:
            return self.n_heads * (self.qk_nope_head_dim + self.qk_rope_head_dim + self.v_head_dim)
        return self.n_heads * 2 * self.head_dim

    @unit_aware(inputs={"seq_len": "token"}, output="FLOP", positive=("seq_len",))
    def attention_score_flop(self, seq_len, causal=False):
        """FLOPs of the attention scores (QK^T and AV) over all layers for one sequence [FLOP].

        Parameters
        ----------
        seq_len : int or array_like
            Tokens in the sequence [token].
        causal : bool
            False (default): every query against every key, S x S pairs per
            layer, as eager attention computes and torch's FlopCounterMode
            counts. True: only the pairs a causal mask (and a sliding window)
            keeps: S(S+1)/2, or with window W, sum_i min(i+1, W).

        Notes
        -----
        Per layer :math:`2 \\cdot pairs \\cdot h (d_k + d_v)`: QK^T and AV, 2 FLOPs
        per multiply-add. With S x S pairs and :math:`d_k = d_v = Q` this is the
        :math:`4 L H Q T` per token of Chowdhery et al. 2022, appendix B.
        """
        s = seq_len
        width = self._score_width
        if not causal:
            return 2 * s * s * width * self.n_layers
        full_pairs = s * (s + 1) // 2 if not isinstance(s, np.ndarray) else s * (s + 1) / 2
        n_sliding = len(self.sliding_layers)
        total = (self.n_layers - n_sliding) * full_pairs
        if n_sliding:
            w = self.sliding_window
            window_pairs = np.where(s <= w, full_pairs, w * (w + 1) / 2 + (s - w) * w) \
                if isinstance(s, np.ndarray) else (full_pairs if s <= w else w * (w + 1) // 2 + (s - w) * w)
            total = total + n_sliding * window_pairs
        return 2 * total * width

    @unit_aware(inputs={"seq_len": "token"}, output="FLOP", positive=("seq_len",))
    def forward_flop(self, seq_len, causal=False):
        """Matmul FLOPs of one forward pass over one sequence (batch 1) [FLOP].

        The convention of ``torch.utils.flop_counter.FlopCounterMode``: only
        matrix products count, at 2 m n k each; every linear layer including
        the LM head (also when tied), routers and the top-k experts each token
        uses; the attention scores QK^T and AV over the full S x S (no causal
        halving unless ``causal=True``). Embedding lookups, norms,
        activations, softmax, biases and residual additions are not counted.

        Parameters
        ----------
        seq_len : int or array_like
            Tokens in the sequence [token].
        causal : bool
            Count only the query-key pairs a causal mask keeps (see
            :meth:`attention_score_flop`).

        Returns
        -------
        int or ndarray
            FLOPs [FLOP]: :math:`2 S W + F_{attn}(S)` with W =
            :attr:`matmul_weights_per_token`.

        Notes
        -----
        The 2-FLOPs-per-weight-per-token rule is kaplan2020 section 2.1
        (:math:`C_{forward} \\approx 2N + 2 n_{layer} n_{ctx} d_{attn}`).
        """
        return 2 * seq_len * self.matmul_weights_per_token + Architecture.attention_score_flop.bare(
            self, seq_len, causal)

    # ------------------------------------------------------------------ KV cache
    @cached_property
    def kv_cache_elements_per_token_layer(self) -> int:
        """Cached numbers per token per layer: 2 n_kv_heads head_dim, or MLA's latent + rotary key."""
        if self.is_mla:
            return self.kv_lora_rank + self.qk_rope_head_dim  # DeepSeek-V2 section 2.1.2: (d_c + d_h^R) per token
        return 2 * self.n_kv_heads * self.head_dim  # K and V (shazeer2019 section 3; ainslie2023)

    @unit_aware(inputs={"seq_len": "token", "batch": "sequence", "bytes_per_element": "byte"},
                output="byte", positive=("seq_len", "batch", "bytes_per_element"))
    def kv_cache_bytes(self, seq_len, batch=1, bytes_per_element=2):
        """Bytes of the key/value cache after processing ``seq_len`` tokens [byte].

        Parameters
        ----------
        seq_len : int or array_like
            Tokens processed [token].
        batch : int or array_like
            Sequences [dimensionless].
        bytes_per_element : int or float
            Bytes per cached number [byte] (2 for fp16/bf16).

        Notes
        -----
        Per layer and token: K and V of every key/value head,
        :math:`2 g d_h` numbers (MQA/GQA cache only the shared heads), or for
        MLA the compressed latent and the shared rotary key,
        :math:`d_c + d_h^R` (deepseekv2_2024 section 2.1.2). A sliding-window
        layer with window W keeps only the last :math:`\\min(S, W - 1)`
        tokens: the next token attends to those and to itself (Mistral's
        rolling buffer, Jiang et al. 2023 section 2).
        """
        n_sliding = len(self.sliding_layers)
        tokens = (self.n_layers - n_sliding) * seq_len
        if n_sliding:
            tokens = tokens + n_sliding * _minimum(seq_len, self.sliding_window - 1)
        return batch * bytes_per_element * tokens * self.kv_cache_elements_per_token_layer

    # ------------------------------------------------------------------ Hugging Face
    @classmethod
    def from_hf_config(cls, config: Mapping[str, Any] | str | Path, name: str | None = None) -> Architecture:
        """Read a Hugging Face ``config.json`` (a dict or a path) of a supported family.

        Sizes missing from the file take the defaults of the family's
        transformers config class. Fields that change the model in a way this
        record does not represent are listed in :attr:`unmapped_fields` with
        the reason; fields known not to change parameters, matmul FLOPs or
        the cache (dropouts, epsilons, token ids, rotary settings, routing
        details) are ignored. Unknown fields are listed as unmapped too.

        Raises
        ------
        HFConfigError
            For an unknown or missing ``model_type``, or sizes the family's
            code would reject.
        """
        where = "config"
        if not isinstance(config, Mapping):
            if not isinstance(config, (str, Path)):
                raise HFConfigError(f"from_hf_config: expected a config mapping or a path to config.json, got "
                                    f"{type(config).__name__}")
            path = Path(config)
            where = str(path)
            try:
                config = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError, ValueError, RecursionError) as exc:
                # ValueError: a 5,000-digit integer; RecursionError: nesting 100,000 deep
                raise HFConfigError(f"{path}: cannot read a JSON config ({type(exc).__name__}: {exc})") from None
            if not isinstance(config, Mapping):
                raise HFConfigError(f"{path}: a config.json is a JSON object, not a {type(config).__name__}")
            name = name or path.stem
        config = dict(config)
        family = config.get("model_type")
        if not isinstance(family, str) or family not in _HF_READERS:
            raise HFConfigError(f"model_type {family!r} is not supported; supported: "
                                f"{', '.join(SUPPORTED_HF_FAMILIES)}")
        for key in ("num_hidden_layers", "n_layer", "n_layers", "num_layers"):  # read before any per-layer list
            v = config.get(key)
            if isinstance(v, (int, float)) and not isinstance(v, bool) and v > MAX_LAYERS:
                raise HFConfigError(f"{key}: {v} is beyond belief (at most {MAX_LAYERS:,} layers)")
        reader = _Reader(config)
        try:
            fields = _HF_READERS[family](reader)
            if family in _MOE_FAMILIES and not fields.get("n_experts"):  # 0 experts is not a dense model
                raise HFConfigError(f"{family} config {name or ''}: a mixture-of-experts family needs at least one "
                                    f"routed expert, got {fields.get('n_experts')!r}")
            unmapped = reader.unmapped_fields()
            return cls(name=name, family=family, unmapped_fields=unmapped, **fields)
        except HFConfigError:
            raise
        except (TypeError, ValueError, KeyError, AttributeError, ZeroDivisionError, RecursionError,
                OverflowError) as exc:  # a field of the wrong type or shape: a dict where a size goes, a 0 divisor;
            # pydantic's ValidationError is a ValueError
            raise HFConfigError(f"{where}: a {family} config this family's code would reject "
                                f"({type(exc).__name__}: {exc})") from None


# ====================================================================== Hugging Face config readers
# Each reader follows the family's transformers 5.x configuration and modeling code: which
# config fields size which tensors, and the config class defaults for fields a file omits.

# Fields that change neither parameter shapes, nor matmul FLOPs, nor the KV cache.
_IGNORED = frozenset({
    # bookkeeping, tokens, generation
    "_name_or_path", "architectures", "auto_map", "model_type", "transformers_version", "dtype", "torch_dtype",
    "id2label", "label2id", "problem_type", "is_encoder_decoder", "is_decoder", "tie_encoder_decoder",
    "output_attentions", "output_hidden_states", "return_dict", "use_cache", "chunk_size_feed_forward",
    "bos_token_id", "eos_token_id", "pad_token_id", "sep_token_id", "unk_token_id", "decoder_start_token_id",
    "tokenizer_class", "prefix", "task_specific_params", "finetuning_task", "torchscript", "use_bfloat16",
    "tf_legacy_loss", "pruned_heads", "max_length", "min_length", "do_sample", "early_stopping", "num_beams",
    "temperature", "top_k", "top_p", "repetition_penalty", "length_penalty", "no_repeat_ngram_size",
    "bad_words_ids", "num_return_sequences", "cache_implementation", "quantization_config",
    "_attn_implementation", "_attn_implementation_autoset", "_experts_implementation",
    # training only: dropouts, initialisation, auxiliary losses
    "attention_dropout", "hidden_dropout", "resid_pdrop", "embd_pdrop", "attn_pdrop", "emb_pdrop", "dropout",
    "classifier_dropout", "layerdrop", "activation_dropout", "initializer_range", "init_std",
    "initializer_factor", "output_router_logits", "router_aux_loss_coef", "router_jitter_noise",
    "aux_loss_alpha", "seq_aux", "moe_loss_weight", "moe_jitter_eps", "gradient_checkpointing",
    # elementwise details: epsilons, activations, position settings with no parameters, scalings
    "layer_norm_eps", "layer_norm_epsilon", "rms_norm_eps", "hidden_act", "activation_function",
    "hidden_activation", "activation", "ffn_act_fn", "rope_theta", "rope_scaling", "rope_parameters",
    "rotary_emb_base", "rotary_pct", "rotary_dim", "partial_rotary_factor", "rope_interleave",
    "original_max_position_embeddings", "max_position_embeddings", "pretraining_tp",
    # routing choices (which experts, with what weight; not how many)
    "norm_topk_prob", "routed_scaling_factor", "n_group", "topk_group", "topk_method", "scoring_func",
    "moe_normalize_expert_weights", "uniform_expert_assignment", "ep_size",
    # heads of other model classes (GPT-2/GPT-J double-heads summary), attention scalings
    "summary_type", "summary_use_proj", "summary_activation", "summary_proj_to_labels", "summary_first_dropout",
    "scale_attn_weights",
})


class _Reader:
    """Reads config fields and remembers which ones it used."""

    def __init__(self, config: dict, prefix: str = ""):
        self.config = config
        self.prefix = prefix
        self.used: set[str] = set()
        self.unmapped: dict[str, str] = {}
        self.children: list[_Reader] = []

    def value(self, key: str, default=None):
        """The field as written (None included), or ``default`` when absent."""
        self.used.add(key)
        return self.config.get(key, default)

    def size(self, *keys: str, default=None):
        """The first of ``keys`` present and not null (aliases), else ``default``."""
        self.used.update(keys)
        for k in keys:
            v = self.config.get(k)
            if v is not None:
                if isinstance(v, bool) or not isinstance(v, (int, float)):  # a size is a number, not true or "x"
                    raise HFConfigError(f"{self.prefix}{k}: {v!r} is not a number")
                if abs(v) > MAX_SIZE:
                    raise HFConfigError(f"{self.prefix}{k}: {v} is beyond belief (at most {MAX_SIZE:,})")
                return v
        return default

    def ignore(self, *keys: str) -> None:
        self.used.update(keys)

    def unmap(self, key: str, reason: str) -> None:
        self.unmapped[self.prefix + key] = f"{key}={self.config.get(key)!r}: {reason}"

    def sub(self, key: str) -> _Reader:
        self.used.add(key)
        raw = self.config.get(key) or {}
        child = _Reader(dict(raw), prefix=f"{self.prefix}{key}.")
        self.children.append(child)
        return child

    def unmapped_fields(self) -> dict[str, str]:
        out = dict(self.unmapped)
        for k in self.config:
            if k not in self.used and k not in _IGNORED and (self.prefix + k) not in out:
                out[self.prefix + k] = (f"{k}={self.config[k]!r}: unknown field; its effect on parameters, "
                                        "FLOPs or cache is not modelled")
        for child in self.children:
            out.update(child.unmapped_fields())
        return out


def _attention_types(r: _Reader, n_layers: int, window, default_rule) -> tuple[int | None, tuple | None]:
    """(sliding_window, layer_types) as transformers' cache sees them.

    ``default_rule(i)`` says whether layer i slides when the file gives no
    ``layer_types`` (the family's config __post_init__ rule).
    """
    types = r.value("layer_types", None)
    if types is None:
        types = ["sliding_attention" if default_rule(i) else "full_attention" for i in range(n_layers)]
    types = list(types)
    unknown = sorted(set(types) - {"full_attention", "sliding_attention"})
    if unknown:
        r.unmap("layer_types", f"layer kinds {unknown} are not modelled")
        types = ["full_attention" if t in unknown else t for t in types]
    if not window or "sliding_attention" not in types:
        return None, None
    if "full_attention" not in types:
        return window, None  # every layer slides
    return window, tuple(types)


def _read_gpt2(r: _Reader) -> dict:
    d = r.size("n_embd", "hidden_size", default=768)
    if r.value("add_cross_attention", False):
        r.unmap("add_cross_attention", "cross-attention blocks (encoder-decoder use) are not modelled")
    r.ignore("n_ctx", "scale_attn_by_inverse_layer_idx", "reorder_and_upcast_attn")
    return dict(n_layers=r.size("n_layer", "num_hidden_layers", default=12), d_model=d,
                n_heads=r.size("n_head", "num_attention_heads", default=12), d_ff=r.size("n_inner", default=4 * d),
                mlp="gelu", vocab_size=r.size("vocab_size", default=50257),
                tie_embeddings=r.value("tie_word_embeddings", True), position="learned",
                max_positions=r.size("n_positions", "max_position_embeddings", default=1024),
                attention_bias=True, mlp_bias=True, norm="layernorm", norms_per_layer=2)


def _read_gptj(r: _Reader) -> dict:
    d = r.size("n_embd", "hidden_size", default=4096)
    r.ignore("n_positions", "rotary")  # GPTJ is always rotary; n_positions only sizes a buffer
    return dict(n_layers=r.size("n_layer", "num_hidden_layers", default=28), d_model=d,
                n_heads=r.size("n_head", "num_attention_heads", default=16), d_ff=r.size("n_inner", default=4 * d),
                mlp="gelu", vocab_size=r.size("vocab_size", default=50400),
                tie_embeddings=r.value("tie_word_embeddings", False), position="rotary",
                attention_bias=False, mlp_bias=True, lm_head_bias=True, norm="layernorm", norms_per_layer=1)


def _read_gpt_neox(r: _Reader) -> dict:
    d = r.size("hidden_size", default=6144)
    h = r.size("num_attention_heads", default=64)
    hd = r.value("head_dim", None)
    if hd is not None and d % h == 0 and hd != d // h:
        r.unmap("head_dim", "GPT-NeoX projections are sized by hidden_size; a different head_dim is not modelled")
    r.ignore("use_parallel_residual")
    return dict(n_layers=r.size("num_hidden_layers", default=44), d_model=d, n_heads=h,
                d_ff=r.size("intermediate_size", default=24576), mlp="gelu",
                vocab_size=r.size("vocab_size", default=50432),
                tie_embeddings=r.value("tie_word_embeddings", False), position="rotary",
                attention_bias=r.value("attention_bias", True), mlp_bias=True, norm="layernorm", norms_per_layer=2)


def _llama_like(r: _Reader, *, d, f, n_layers, n_heads, n_kv, vocab, tie=False, head_dim_key=True) -> dict:
    d = r.size("hidden_size", default=d)
    h = r.size("num_attention_heads", default=n_heads)
    out = dict(n_layers=r.size("num_hidden_layers", default=n_layers), d_model=d, n_heads=h,
               n_kv_heads=r.size("num_key_value_heads", default=n_kv or h),
               d_ff=r.size("intermediate_size", default=f), mlp="gated",
               vocab_size=r.size("vocab_size", default=vocab), tie_embeddings=r.value("tie_word_embeddings", tie),
               position="rotary", norm="rmsnorm", norms_per_layer=2)
    if head_dim_key:
        out["head_dim"] = r.size("head_dim", default=None)
    return out


def _read_llama(r: _Reader) -> dict:
    out = _llama_like(r, d=4096, f=11008, n_layers=32, n_heads=32, n_kv=None, vocab=32000)
    out.update(attention_bias=r.value("attention_bias", False), mlp_bias=r.value("mlp_bias", False))
    return out


def _read_mistral(r: _Reader) -> dict:
    out = _llama_like(r, d=4096, f=14336, n_layers=32, n_heads=32, n_kv=8, vocab=32000)
    window = r.value("sliding_window", 4096)  # MistralConfig default: 4096 on every layer
    out["sliding_window"], out["layer_types"] = _attention_types(r, out["n_layers"], window, lambda i: True)
    return out


def _read_mixtral(r: _Reader) -> dict:
    out = _llama_like(r, d=4096, f=14336, n_layers=32, n_heads=32, n_kv=8, vocab=32000)
    window = r.value("sliding_window", None)
    out["sliding_window"], out["layer_types"] = _attention_types(r, out["n_layers"], window, lambda i: True)
    out.update(n_experts=r.size("num_local_experts", "num_experts", default=8),
               experts_per_token=r.size("num_experts_per_tok", default=2))
    return out


def _read_qwen2(r: _Reader) -> dict:
    out = _llama_like(r, d=4096, f=22016, n_layers=32, n_heads=32, n_kv=32, vocab=151936)
    out.update(attention_bias=True, attention_out_bias=False)  # Qwen2: biases on q, k, v only
    r.ignore("use_mrope")  # multimodal rotary sections: no parameters
    window = r.value("sliding_window", 4096)
    window = window if r.value("use_sliding_window", False) else None  # Qwen2Config.__post_init__
    first = r.size("max_window_layers", default=28)
    out["sliding_window"], out["layer_types"] = _attention_types(
        r, out["n_layers"], window, lambda i: window is not None and i >= first)
    return out


def _qwen_moe_layers(r: _Reader, out: dict, n_experts, k, moe_ff) -> None:
    out.update(n_experts=n_experts, experts_per_token=k if n_experts else None,
               expert_d_ff=moe_ff, moe_layer_step=r.size("decoder_sparse_step", default=1),
               dense_layers=tuple(sorted(set(r.value("mlp_only_layers", None) or ()))))


def _read_qwen2_moe(r: _Reader) -> dict:
    out = _llama_like(r, d=2048, f=5632, n_layers=24, n_heads=16, n_kv=16, vocab=151936)
    qkv_bias = r.value("qkv_bias", True)
    out.update(attention_bias=qkv_bias, attention_out_bias=False)
    n_experts = r.size("num_experts", default=60)
    _qwen_moe_layers(r, out, n_experts, r.size("num_experts_per_tok", default=4),
                     r.size("moe_intermediate_size", default=1408))
    shared_ff = r.size("shared_expert_intermediate_size", default=5632)
    if n_experts:
        out.update(n_shared_experts=1, shared_expert_d_ff=shared_ff, shared_expert_gate=True)
    use = r.value("use_sliding_window", False)
    window = r.value("sliding_window", 4096)
    window = window if use else None  # Qwen2MoeConfig.__post_init__ (it writes 0)
    first = r.size("max_window_layers", default=28)
    out["sliding_window"], out["layer_types"] = _attention_types(
        r, out["n_layers"], window, lambda i: bool(use) and (i + 1) % 2 == 1 and i < first)
    return out


def _read_qwen3_moe(r: _Reader) -> dict:
    out = _llama_like(r, d=2048, f=6144, n_layers=24, n_heads=32, n_kv=4, vocab=151936)
    out.update(attention_bias=r.value("attention_bias", False), qk_norm="per_head")
    _qwen_moe_layers(r, out, r.size("num_experts", "num_local_experts", default=128),
                     r.size("num_experts_per_tok", default=8), r.size("moe_intermediate_size", default=768))
    window = r.value("sliding_window", 4096)
    window = window if r.value("use_sliding_window", False) else None  # Qwen3MoeConfig.__post_init__
    r.ignore("max_window_layers")  # read by no Qwen3-MoE code
    out["sliding_window"], out["layer_types"] = _attention_types(r, out["n_layers"], window, lambda i: True)
    return out


def _read_olmoe(r: _Reader) -> dict:
    out = _llama_like(r, d=2048, f=2048, n_layers=16, n_heads=16, n_kv=None, vocab=50304)
    hd = out["head_dim"]
    if hd is not None and hd * out["n_heads"] != out["d_model"]:
        r.unmap("head_dim", "OLMoE's query/key norms are sized by hidden_size; head_dim must be "
                            "hidden_size / num_attention_heads")
    out.update(attention_bias=r.value("attention_bias", False), qk_norm="full",
               n_experts=r.size("num_experts", "num_local_experts", default=64),
               experts_per_token=r.size("num_experts_per_tok", default=8))
    out["expert_d_ff"] = out["d_ff"]
    r.ignore("clip_qkv")
    return out


def _read_phi3(r: _Reader) -> dict:
    out = _llama_like(r, d=3072, f=8192, n_layers=32, n_heads=32, n_kv=None, vocab=32064)
    window = r.value("sliding_window", None)
    out["sliding_window"], out["layer_types"] = _attention_types(r, out["n_layers"], window, lambda i: True)
    r.ignore("attention_bias")  # Phi3's qkv_proj and o_proj never have biases, whatever this says
    return out


def _read_gemma2(r: _Reader) -> dict:
    out = _llama_like(r, d=2304, f=9216, n_layers=26, n_heads=8, n_kv=4, vocab=256000, tie=True)
    out["head_dim"] = r.size("head_dim", default=256)
    out.update(attention_bias=r.value("attention_bias", False), norms_per_layer=4)  # pre/post attn, pre/post ffn
    window = r.value("sliding_window", 4096)
    out["sliding_window"], out["layer_types"] = _attention_types(
        r, out["n_layers"], window, lambda i: (i + 1) % 2 == 1)
    r.ignore("query_pre_attn_scalar", "final_logit_softcapping", "attn_logit_softcapping",
             "use_bidirectional_attention")
    if r.value("sliding_window_size", window) != window:  # an early name of sliding_window, read by no code
        r.unmap("sliding_window_size", "differs from sliding_window, which transformers uses")
    return out


def _read_deepseek_v3(r: _Reader) -> dict:
    d = r.size("hidden_size", default=7168)
    h = r.size("num_attention_heads", default=128)
    kv = r.size("num_key_value_heads", default=h)
    if kv != h:
        r.unmap("num_key_value_heads", "MLA expands keys and values to every head; transformers' DeepSeek-V3 "
                                       "fails unless num_key_value_heads equals num_attention_heads")
    mtp = r.size("num_nextn_predict_layers", "num_mtp_layers", default=1)
    if mtp:
        r.unmap("num_nextn_predict_layers" if "num_nextn_predict_layers" in r.config else "num_mtp_layers",
                "multi-token-prediction modules (DeepSeek-V3 section 2.2) are not counted; transformers "
                "does not build them and the published 671B excludes them")
    freq = r.size("moe_layer_freq", default=1)
    if freq != 1:
        r.unmap("moe_layer_freq", "transformers' DeepSeek-V3 makes every layer after first_k_dense_replace MoE")
    r.ignore("qk_head_dim", "head_dim")  # derived by DeepseekV3Config: nope + rope, and rope
    n_experts = r.size("n_routed_experts", "num_local_experts", default=256)
    n_shared = r.size("n_shared_experts", default=1)
    return dict(
        n_layers=r.size("num_hidden_layers", default=61), d_model=d, n_heads=h,
        d_ff=r.size("intermediate_size", default=18432), mlp="gated", vocab_size=r.size("vocab_size", default=129280),
        tie_embeddings=r.value("tie_word_embeddings", False), position="rotary",
        attention_bias=r.value("attention_bias", False), norm="rmsnorm", norms_per_layer=2,
        n_experts=n_experts, experts_per_token=r.size("num_experts_per_tok", default=8),
        expert_d_ff=r.size("moe_intermediate_size", default=2048),
        n_shared_experts=n_shared if n_experts else 0,
        first_k_dense=r.size("first_k_dense_replace", default=3),
        q_lora_rank=r.value("q_lora_rank", 1536), kv_lora_rank=r.size("kv_lora_rank", default=512),
        qk_rope_head_dim=r.size("qk_rope_head_dim", default=64),
        qk_nope_head_dim=r.size("qk_nope_head_dim", default=128), v_head_dim=r.size("v_head_dim", default=128))


def _read_falcon(r: _Reader) -> dict:
    d = r.size("hidden_size", "n_embed", default=4544)
    h = r.size("num_attention_heads", "n_head", default=71)
    new_arch = r.value("new_decoder_architecture", False)
    multi_query = r.value("multi_query", True)
    parallel = r.value("parallel_attn", True)
    kv_config = r.size("num_kv_heads", default=h)
    if new_arch:
        kv = kv_config
        if not parallel:
            r.unmap("parallel_attn", "transformers' Falcon fails with new_decoder_architecture and "
                                     "parallel_attn=False")
    elif multi_query:
        kv = 1
    else:
        kv = h
        if kv_config != h:
            r.unmap("num_kv_heads", "multi-head Falcon (no multi_query, no new_decoder_architecture) fails in "
                                    "transformers unless num_kv_heads equals num_attention_heads")
    n_ln = r.size("num_ln_in_parallel_attn", default=2 if new_arch else None)
    norms = 2 if (not parallel or (new_arch and n_ln == 2)) else 1
    bias = r.value("bias", False)
    r.ignore("apply_residual_connection_post_layernorm")
    return dict(n_layers=r.size("num_hidden_layers", "n_layer", default=32), d_model=d, n_heads=h, n_kv_heads=kv,
                d_ff=r.size("ffn_hidden_size", default=4 * d), mlp="gelu",
                vocab_size=r.size("vocab_size", default=65024),
                tie_embeddings=r.value("tie_word_embeddings", True),
                position="alibi" if r.value("alibi", False) else "rotary",
                attention_bias=bias, mlp_bias=bias, norm="layernorm", norms_per_layer=norms)


def _read_dbrx(r: _Reader) -> dict:
    d = r.size("d_model", "hidden_size", default=2048)
    attn, ffn = r.sub("attn_config"), r.sub("ffn_config")
    for sub in (attn, ffn):
        sub.ignore(*_IGNORED)
    attn.ignore("clip_qkv", "rope_theta", "attn_pdrop")
    ffn_d = ffn.value("hidden_size", d)
    if ffn_d != d:
        ffn.unmap("hidden_size", "DbrxConfig overwrites ffn_config.hidden_size with d_model")
    r.ignore("max_seq_len", "num_key_value_heads")  # num_key_value_heads mirrors attn_config.kv_n_heads
    return dict(n_layers=r.size("n_layers", "num_hidden_layers", default=24), d_model=d,
                n_heads=r.size("n_heads", "num_attention_heads", default=16),
                n_kv_heads=attn.size("kv_n_heads", default=1), d_ff=ffn.size("ffn_hidden_size", default=3584),
                mlp="gated", vocab_size=r.size("vocab_size", default=32000),
                tie_embeddings=r.value("tie_word_embeddings", False), position="rotary",
                norm="layernorm_no_bias", norms_per_layer=2,
                n_experts=ffn.size("moe_num_experts", default=4), experts_per_token=ffn.size("moe_top_k", default=1))


def _read_opt(r: _Reader) -> dict:
    d = r.size("hidden_size", default=768)
    bias = r.value("enable_bias", True)
    pre_norm = r.value("do_layer_norm_before", True)
    affine = r.value("layer_norm_elementwise_affine", True)
    emb = r.size("word_embed_proj_dim", default=d)
    removed_final_norm = r.value("_remove_final_layer_norm", False)
    return dict(n_layers=r.size("num_hidden_layers", default=12), d_model=d,
                n_heads=r.size("num_attention_heads", default=12), d_ff=r.size("ffn_dim", default=3072), mlp="gelu",
                vocab_size=r.size("vocab_size", default=50272), embedding_dim=emb if emb != d else None,
                tie_embeddings=r.value("tie_word_embeddings", True), position="learned",
                # OPTLearnedPositionalEmbedding keeps 2 extra rows (offset = 2)
                max_positions=r.size("max_position_embeddings", default=2048) + 2,
                attention_bias=bias, mlp_bias=bias, norm="layernorm" if affine else "none", norms_per_layer=2,
                final_norm=bool(pre_norm and not removed_final_norm))


def _read_bloom(r: _Reader) -> dict:
    d = r.size("hidden_size", "n_embed", default=64)
    n_inner = r.value("n_inner", None)
    if n_inner not in (None, 4 * d):
        r.unmap("n_inner", "BLOOM's MLP is always 4 x hidden_size")
    r.ignore("apply_residual_connection_post_layernorm", "slow_but_exact", "offset_alibi",
             "masked_softmax_fusion", "attention_softmax_in_fp32", "bias_dropout_fusion", "skip_bias_add",
             "skip_bias_add_qkv", "seq_length")
    return dict(n_layers=r.size("n_layer", "num_hidden_layers", default=2), d_model=d,
                n_heads=r.size("n_head", "num_attention_heads", default=8), d_ff=4 * d, mlp="gelu",
                vocab_size=r.size("vocab_size", default=250880), tie_embeddings=r.value("tie_word_embeddings", True),
                position="alibi", attention_bias=True, mlp_bias=True, norm="layernorm", norms_per_layer=2,
                embedding_norm=True)


_HF_READERS = {
    "gpt2": _read_gpt2, "gptj": _read_gptj, "gpt_neox": _read_gpt_neox, "llama": _read_llama,
    "mistral": _read_mistral, "mixtral": _read_mixtral, "qwen2": _read_qwen2, "qwen2_moe": _read_qwen2_moe,
    "qwen3_moe": _read_qwen3_moe, "falcon": _read_falcon, "dbrx": _read_dbrx, "olmoe": _read_olmoe,
    "phi3": _read_phi3, "gemma2": _read_gemma2, "opt": _read_opt, "bloom": _read_bloom,
    "deepseek_v3": _read_deepseek_v3,
}
SUPPORTED_HF_FAMILIES: tuple[str, ...] = tuple(_HF_READERS)
