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
    @cached_property
    def _attention_per_layer(self) -> int:
        if self.is_mla:
            return _p.mla_attention_params.bare(
                self.d_model, self.n_heads, self.q_lora_rank or 0, self.kv_lora_rank, self.qk_nope_head_dim,
                self.qk_rope_head_dim, self.v_head_dim, bias=self.attention_bias)
        return _p.attention_params.bare(self.d_model, self.n_heads, self.n_kv_heads, self.head_dim,
                                        bias=self.attention_bias, out_bias=self.attention_out_bias)

    @cached_property
    def _attention_weights_per_layer(self) -> int:
        """Matrix entries only (what the FLOP counter multiplies)."""
        if self.is_mla:
            return _p.mla_attention_params.bare(
                self.d_model, self.n_heads, self.q_lora_rank or 0, self.kv_lora_rank, self.qk_nope_head_dim,
                self.qk_rope_head_dim, self.v_head_dim, bias=False)
        return _p.attention_params.bare(self.d_model, self.n_heads, self.n_kv_heads, self.head_dim)

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
        n_moe = len(self.moe_layers)
        n_dense = self.n_layers - n_moe
        e = self._emb_dim
        shared = n_moe * self.n_shared_experts * self._mlp(self.shared_expert_d_ff)
        if self.shared_expert_gate:
            shared += n_moe * self.d_model  # one d_model x 1 gate per MoE layer (Qwen-MoE)
        return {
            "embeddings": _p.embedding_params.bare(
                self.vocab_size, e, 0) + (self.max_positions * self.d_model if self.position == "learned" else 0),
            "embedding_projection": 2 * e * self.d_model if e != self.d_model else 0,
            "attention": self.n_layers * self._attention_per_layer,
            "mlp": n_dense * self._mlp(self.d_ff),
            "experts": n_moe * self.n_experts * self.expert_params_per_layer,
            "shared_experts": shared,
            "router": n_moe * _p.router_params.bare(self.d_model, self.n_experts) if n_moe else 0,
            "norms": (self.n_layers * self._norms_per_layer_params
                      + (self._norm(self.d_model) if self.final_norm else 0)
                      + (self._norm(e) if self.embedding_norm else 0)),
            "lm_head": _p.lm_head_params.bare(self.vocab_size, e, tied=self.tie_embeddings,
                                              bias=self.lm_head_bias),
        }

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
        if not self.n_experts:
            return self.total_params
        return _p.moe_active_params.bare(self.experts_per_token, self.expert_params, self.shared_params)

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
        w = self.n_layers * self._attention_weights_per_layer
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
        Per layer :math:`2 \\cdot pairs \\cdot h (d_k + d_v)` (two matmuls,
        2 FLOPs per multiply-add; kaplan2020 Table 1 "Attention: QK logits"
        and "Attention: Reduce" with full context).
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
        if not isinstance(config, Mapping):
            path = Path(config)
            config = json.loads(path.read_text())
            name = name or path.stem
        config = dict(config)
        family = config.get("model_type")
        if family not in _HF_READERS:
            raise HFConfigError(f"model_type {family!r} is not supported; supported: "
                                f"{', '.join(SUPPORTED_HF_FAMILIES)}")
        reader = _Reader(config)
        fields = _HF_READERS[family](reader)
        unmapped = reader.unmapped_fields()
        try:
            return cls(name=name, family=family, unmapped_fields=unmapped, **fields)
        except ValueError as exc:  # pydantic's ValidationError is a ValueError
            raise HFConfigError(f"{family} config {name or ''}: {exc}") from exc
