"""Parameter counts of decoder-only transformers, dense and mixture-of-experts.

Pure functions on floats or numpy arrays (broadcast elementwise); sizes are
plain counts (widths, heads, layers: dimensionless) and results are in
[parameter]. Pass pint Quantities to get a Quantity back (see
:mod:`gpt4leak.formulas._boundary`); ``fn.bare`` is the unit-free kernel.

What counts as a parameter: every weight matrix and bias vector and every
normalisation gain/shift, each stored tensor once (a tied LM head adds no
weight). Buffers (rotary frequencies, ALiBi slopes, causal masks, DeepSeek's
``e_score_correction_bias``) are not parameters. ``docs/conventions.md``
lists the conventions family by family.

References
----------
kaplan2020
    Kaplan et al. 2020, "Scaling Laws for Neural Language Models", Table 1.
vaswani2017
    Vaswani et al. 2017, "Attention Is All You Need", section 3.2.2.
shazeer2019
    Shazeer 2019, "Fast Transformer Decoding: One Write-Head is All You Need"
    (multi-query attention), section 3.
ainslie2023
    Ainslie et al. 2023, "GQA: Training Generalized Multi-Query Transformer
    Models from Multi-Head Checkpoints", section 2.2.
shazeer2020
    Shazeer 2020, "GLU Variants Improve Transformer", section 2, eq. 6.
fedus2022
    Fedus et al. 2022, "Switch Transformers", section 2.1 (router) and 2.2.
jiang2024
    Jiang et al. 2024, "Mixtral of Experts", section 2.1 and Table 1.
deepseekv2_2024
    DeepSeek-AI 2024, "DeepSeek-V2", section 2.1.2, eqs. 9-19 (multi-head
    latent attention).
"""

from __future__ import annotations

import numpy as np

from ._boundary import unit_aware

__all__ = [
    "attention_params",
    "mla_attention_params",
    "mlp_params",
    "dense_params",
    "embedding_params",
    "lm_head_params",
    "norm_params",
    "router_params",
    "moe_total_params",
    "moe_active_params",
    "d_model_from_mlp_params",
    "decoder_params",
    "head_dim_or_default",
    "stated_or",
]

_COUNT = "dimensionless"


def _flag(x):
    """A yes/no switch as a number: exact 0/1 for Python bools, floats for arrays (vectorised checks)."""
    if isinstance(x, np.ndarray):
        return x.astype(float)
    return int(bool(x))


@unit_aware(inputs={"d_model": _COUNT, "n_heads": _COUNT, "n_kv_heads": _COUNT, "head_dim": _COUNT},
            output="parameter", positive=("d_model", "n_heads", "n_kv_heads", "head_dim"))
def attention_params(d_model, n_heads, n_kv_heads, head_dim, bias=False, out_bias=None):
    """Parameters of one self-attention block: the Q, K, V and output projections.

    Parameters
    ----------
    d_model : float or array_like
        Residual-stream width [dimensionless].
    n_heads : float or array_like
        Query heads [dimensionless].
    n_kv_heads : float or array_like
        Key/value heads [dimensionless]: ``n_heads`` for multi-head attention,
        1 for multi-query attention, a divisor of ``n_heads`` for grouped-query
        attention.
    head_dim : float or array_like
        Width of one head [dimensionless] (``d_model / n_heads`` in most models).
    bias : bool
        Whether the Q, K and V projections carry biases.
    out_bias : bool, optional
        Whether the output projection carries a bias; defaults to ``bias``.

    Returns
    -------
    float or ndarray
        Parameters of the block [parameter].

    Notes
    -----
    With :math:`d` = d_model, :math:`h` = n_heads, :math:`g` = n_kv_heads and
    :math:`d_h` = head_dim,

    .. math:: P = d\\,h d_h + 2\\,d\\,g d_h + h d_h\\,d
              \\;+\\; b_{qkv} (h d_h + 2 g d_h) + b_o\\,d

    (Q and O are :math:`d \\times h d_h`; K and V are :math:`d \\times g d_h`).
    For multi-head attention with :math:`h d_h = d` this is Kaplan et al.'s
    :math:`4 d^2` per layer (kaplan2020, Table 1, "Attention: QKV" and
    "Attention: Project"); multi-query attention shares one K/V head
    (shazeer2019, section 3), grouped-query attention shares one per group
    (ainslie2023, section 2.2).

    References
    ----------
    kaplan2020, vaswani2017, shazeer2019, ainslie2023
    """
    if out_bias is None:
        out_bias = bias
    q_width = n_heads * head_dim
    kv_width = n_kv_heads * head_dim
    weights = 2 * d_model * q_width + 2 * d_model * kv_width  # Q and O, then K and V
    biases = bool(bias) * (q_width + 2 * kv_width) + bool(out_bias) * d_model
    return weights + biases


@unit_aware(inputs={"d_model": _COUNT, "n_heads": _COUNT, "q_lora_rank": _COUNT, "kv_lora_rank": _COUNT,
                    "qk_nope_head_dim": _COUNT, "qk_rope_head_dim": _COUNT, "v_head_dim": _COUNT},
            output="parameter",
            positive=("d_model", "n_heads", "kv_lora_rank", "qk_rope_head_dim", "v_head_dim"))
def mla_attention_params(d_model, n_heads, q_lora_rank, kv_lora_rank, qk_nope_head_dim, qk_rope_head_dim,
                         v_head_dim, bias=False):
    """Parameters of one multi-head latent attention (MLA) block, DeepSeek-V2/V3 style.

    Parameters
    ----------
    d_model : float or array_like
        Residual-stream width [dimensionless].
    n_heads : float or array_like
        Attention heads [dimensionless].
    q_lora_rank : float or array_like
        Width of the compressed query latent [dimensionless]; 0 means queries
        are projected directly from the residual stream (DeepSeek-V2-Lite).
    kv_lora_rank : float or array_like
        Width of the compressed key/value latent [dimensionless].
    qk_nope_head_dim, qk_rope_head_dim, v_head_dim : float or array_like
        Per-head widths of the non-rotary query/key part, the rotary part
        (one rotary key shared by all heads) and the value [dimensionless].
    bias : bool
        Whether the down-projections and the output projection carry biases
        (Hugging Face ``attention_bias``; the up-projections never do).

    Returns
    -------
    float or ndarray
        Parameters of the block [parameter], without the two RMSNorm gains on
        the latents (``q_lora_rank + kv_lora_rank``, counted with the norms).

    Notes
    -----
    With :math:`d_c` = kv_lora_rank, :math:`d_c'` = q_lora_rank,
    :math:`d_h^n, d_h^r, d_h^v` the per-head widths (deepseekv2_2024, eqs. 9-19):

    .. math:: P = \\underbrace{d\\,d_c' + d_c'\\,h(d_h^n + d_h^r)}_{W^{DQ},\\,W^{UQ},W^{QR}}
              + \\underbrace{d\\,(d_c + d_h^r)}_{W^{DKV},\\,W^{KR}}
              + \\underbrace{d_c\\,h(d_h^n + d_h^v)}_{W^{UK},\\,W^{UV}}
              + \\underbrace{h d_h^v\\,d}_{W^O}

    with :math:`d\\,h(d_h^n + d_h^r)` in place of the query pair when
    :math:`d_c' = 0`; biases add :math:`d_c' + d_c + d_h^r + d`.

    References
    ----------
    deepseekv2_2024
    """
    qk_head_dim = qk_nope_head_dim + qk_rope_head_dim
    q_compressed = np.asarray(q_lora_rank) > 0
    q = np.where(q_compressed,
                 d_model * q_lora_rank + q_lora_rank * n_heads * qk_head_dim,  # W^DQ, then W^UQ and W^QR
                 d_model * n_heads * qk_head_dim)  # a direct query projection
    kv_down = d_model * (kv_lora_rank + qk_rope_head_dim)  # W^DKV and the shared rotary key W^KR
    kv_up = kv_lora_rank * n_heads * (qk_nope_head_dim + v_head_dim)  # W^UK and W^UV
    out = n_heads * v_head_dim * d_model  # W^O
    biases = bool(bias) * (np.where(q_compressed, q_lora_rank, 0) + kv_lora_rank + qk_rope_head_dim + d_model)
    total = q + kv_down + kv_up + out + biases
    return total if np.ndim(total) else total.item()


@unit_aware(inputs={"d_model": _COUNT, "d_ff": _COUNT}, output="parameter", positive=("d_model", "d_ff"))
def mlp_params(d_model, d_ff, gated=False, bias=False):
    """Parameters of one feed-forward block: two matrices (GELU/ReLU) or three (GLU, SwiGLU).

    Parameters
    ----------
    d_model : float or array_like
        Residual-stream width [dimensionless].
    d_ff : float or array_like
        Hidden width of the block [dimensionless].
    gated : bool or array_like
        True for a gated linear unit (SwiGLU, GeGLU: gate, up and down
        matrices), False for the classic two-matrix MLP. An array of 0/1
        values selects per element (the checks sample the MLP kind).
    bias : bool
        Whether the matrices carry biases.

    Returns
    -------
    float or ndarray
        Parameters of the block [parameter].

    Notes
    -----
    Two-matrix MLP (kaplan2020, Table 1, "Feedforward": :math:`2 d\\,d_{ff}`):

    .. math:: P = 2\\,d\\,d_{ff} + b\\,(d_{ff} + d)

    Gated (shazeer2020, eq. 6: :math:`\\mathrm{FFN}_{SwiGLU} = (\\mathrm{Swish}(xW) \\otimes xV) W_2`):

    .. math:: P = 3\\,d\\,d_{ff} + b\\,(2 d_{ff} + d)

    References
    ----------
    kaplan2020, shazeer2020
    """
    g = _flag(gated)
    n_matrices = 2 + g  # W1, W2 (kaplan2020 Table 1); plus V for a GLU (shazeer2020 eq. 6)
    n_hidden_biases = 1 + g
    return n_matrices * d_model * d_ff + _flag(bias) * (n_hidden_biases * d_ff + d_model)


@unit_aware(inputs={"n_layers": _COUNT, "d_model": _COUNT, "d_ff": _COUNT, "d_attn": _COUNT},
            output="parameter", positive=("n_layers", "d_model"))
def dense_params(n_layers, d_model, d_ff=None, d_attn=None):
    """Non-embedding parameters of a dense transformer, Kaplan et al.'s approximation.

    Parameters
    ----------
    n_layers : float or array_like
        Transformer layers [dimensionless].
    d_model : float or array_like
        Residual-stream width [dimensionless].
    d_ff : float or array_like, optional
        Feed-forward width [dimensionless]; defaults to ``4 * d_model``.
    d_attn : float or array_like, optional
        Attention width (heads x head width) [dimensionless]; defaults to ``d_model``.

    Returns
    -------
    float or ndarray
        Non-embedding parameters [parameter], biases and norms excluded.

    Notes
    -----
    kaplan2020, Table 1 (total row):

    .. math:: N \\approx 2\\,d_{model}\\,n_{layer}\\,(2\\,d_{attn} + d_{ff}) = 12\\,n_{layer} d_{model}^2

    with the standard :math:`d_{attn} = d_{model}`, :math:`d_{ff} = 4 d_{model}`.
    Biases, norms and embeddings are left out, as in the paper.

    References
    ----------
    kaplan2020
    """
    if d_ff is None:
        d_ff = 4 * d_model  # kaplan2020 section 2.1: d_ff = 4 d_model
    if d_attn is None:
        d_attn = d_model  # kaplan2020 section 2.1: d_attn = d_model
    return 2 * d_model * n_layers * (2 * d_attn + d_ff)  # kaplan2020 Table 1, total


@unit_aware(inputs={"vocab_size": _COUNT, "d_model": _COUNT, "max_positions": _COUNT},
            output="parameter", positive=("vocab_size", "d_model"))
def embedding_params(vocab_size, d_model, max_positions=0):
    """Parameters of the input embeddings: token table plus learned position table.

    Parameters
    ----------
    vocab_size : float or array_like
        Rows of the token table [dimensionless].
    d_model : float or array_like
        Embedding width [dimensionless].
    max_positions : float or array_like
        Rows of a learned position table [dimensionless]; 0 for rotary,
        ALiBi or no position embedding.

    Returns
    -------
    float or ndarray
        Embedding parameters [parameter]; an untied LM head is counted by
        :func:`lm_head_params`.

    Notes
    -----
    kaplan2020, Table 1, "Embed": :math:`(n_{vocab} + n_{ctx})\\,d_{model}`.

    References
    ----------
    kaplan2020
    """
    return (vocab_size + max_positions) * d_model


@unit_aware(inputs={"vocab_size": _COUNT, "d_model": _COUNT}, output="parameter",
            positive=("vocab_size", "d_model"))
def lm_head_params(vocab_size, d_model, tied=False, bias=False):
    """Parameters of the output (unembedding) projection.

    Parameters
    ----------
    vocab_size : float or array_like
        Output logits [dimensionless].
    d_model : float or array_like
        Input width [dimensionless].
    tied : bool or array_like
        True when the head reuses the token-embedding matrix (no new weight);
        an array of 0/1 values selects per element.
    bias : bool
        Whether the head has a bias (GPT-J has one even when its weight is tied).

    Returns
    -------
    float or ndarray
        Parameters [parameter]: :math:`(1 - t)\\,V d + b\\,V`.

    Notes
    -----
    Tying the input and output embeddings is Press & Wolf 2017 ("Using the
    Output Embedding to Improve Language Models"); Kaplan et al. count the
    embeddings once (kaplan2020, section 2.1).

    References
    ----------
    kaplan2020
    """
    return (1 - _flag(tied)) * vocab_size * d_model + _flag(bias) * vocab_size


@unit_aware(inputs={"width": _COUNT}, output="parameter")
def norm_params(width, bias=True):
    """Parameters of one LayerNorm (gain and shift) or RMSNorm (gain only).

    Parameters
    ----------
    width : float or array_like
        Normalised width [dimensionless].
    bias : bool
        True for LayerNorm with a shift (Ba et al. 2016), False for RMSNorm
        (Zhang & Sennrich 2019) or a LayerNorm without bias.

    Returns
    -------
    float or ndarray
        :math:`(1 + b)\\,w` [parameter].
    """
    return (1 + bool(bias)) * width


@unit_aware(inputs={"d_model": _COUNT, "n_experts": _COUNT}, output="parameter",
            positive=("d_model", "n_experts"))
def router_params(d_model, n_experts):
    """Parameters of a mixture-of-experts router: one linear map to the expert logits.

    Parameters
    ----------
    d_model : float or array_like
        Residual-stream width [dimensionless].
    n_experts : float or array_like
        Routed experts [dimensionless].

    Returns
    -------
    float or ndarray
        :math:`d\\,E` [parameter] (the router weight :math:`W_r`, fedus2022 section 2.1;
        no bias in Switch, Mixtral, DeepSeek, DBRX, OLMoE, Qwen-MoE).

    References
    ----------
    fedus2022, jiang2024
    """
    return d_model * n_experts


@unit_aware(inputs={"n_experts": "dimensionless", "expert_params": "parameter", "shared_params": "parameter"},
            output="parameter", positive=("n_experts",))
def moe_total_params(n_experts, expert_params, shared_params):
    """Total parameters of a mixture-of-experts model: every expert plus what they share.

    Parameters
    ----------
    n_experts : float or array_like
        Experts [dimensionless].
    expert_params : float or array_like
        Parameters of one expert (its feed-forward blocks, summed over layers) [parameter].
    shared_params : float or array_like
        Parameters every token uses whatever its route: attention, embeddings,
        norms, routers, shared experts [parameter].

    Returns
    -------
    float or ndarray
        :math:`N = E\\,x + s` [parameter].

    Notes
    -----
    Switch Transformers replace each feed-forward block by E copies
    (fedus2022, section 2.2); Mixtral's 46.7B total = 8 experts x the
    feed-forward blocks + the rest (jiang2024, section 2.1).

    References
    ----------
    fedus2022, jiang2024
    """
    return n_experts * expert_params + shared_params


@unit_aware(inputs={"experts_per_token": "dimensionless", "expert_params": "parameter",
                    "shared_params": "parameter"},
            output="parameter", positive=("experts_per_token",))
def moe_active_params(experts_per_token, expert_params, shared_params):
    """Parameters each token uses in a forward pass of a top-k mixture of experts.

    Parameters
    ----------
    experts_per_token : float or array_like
        Experts each token is routed to (top-k) [dimensionless].
    expert_params : float or array_like
        Parameters of one expert [parameter].
    shared_params : float or array_like
        Parameters every token uses [parameter].

    Returns
    -------
    float or ndarray
        :math:`N_{active} = k\\,x + s` [parameter].

    Notes
    -----
    Mixtral routes each token to k = 2 of 8 experts and so uses 12.9B of its
    46.7B parameters (jiang2024, section 2.1); Switch uses k = 1 (fedus2022,
    section 2.1).

    References
    ----------
    fedus2022, jiang2024
    """
    return experts_per_token * expert_params + shared_params


@unit_aware(inputs={"mlp_params_per_layer": "parameter", "ffn_ratio": "dimensionless"},
            output="dimensionless", positive=("ffn_ratio",))
def d_model_from_mlp_params(mlp_params_per_layer, ffn_ratio=4, gated=False):
    """The width d_model implied by one layer's feed-forward parameters (inverse of :func:`mlp_params`).

    Parameters
    ----------
    mlp_params_per_layer : float or array_like
        Feed-forward weights of one layer (one expert) [parameter].
    ffn_ratio : float or array_like
        :math:`d_{ff} / d_{model}` [dimensionless]; 4 in GPT-2/GPT-3
        (kaplan2020 section 2.1); 8/3 in GLU models that keep the parameter
        count of a 4x two-matrix MLP (shazeer2020 section 2: d_ff 3072 -> 2048).
    gated : bool
        True for a three-matrix GLU block, False for two matrices.

    Returns
    -------
    float or ndarray
        :math:`d = \\sqrt{P / (m\\,r)}` [dimensionless] with m = 2 or 3
        matrices and r = ffn_ratio (biases neglected).

    References
    ----------
    kaplan2020, shazeer2020
    """
    n_matrices = 2 + _flag(gated)  # kaplan2020 Table 1 (2 d d_ff); shazeer2020 eq. 6 (3 d d_ff)
    return np.sqrt(mlp_params_per_layer / (n_matrices * ffn_ratio))


def decoder_params(n_layers, d_model, n_heads, n_kv_heads, head_dim, d_ff, vocab_size, *, gated, tied,
                   n_experts=0, experts_per_token=0, expert_d_ff=None, n_moe_layers=None, n_shared_experts=0,
                   shared_expert_d_ff=None, shared_expert_gate=False, norms_per_layer=2, norm_bias=False,
                   final_norm=True, attention_bias=False, attention_out_bias=None, mlp_bias=False,
                   max_positions=0, lm_head_bias=False, attention_per_layer=None, norm_params_per_layer=None,
                   extra_norm_params=0, embedding_dim=None):
    r"""Parameters of a decoder-only transformer, dense or mixture-of-experts, by component.

    The one parameter calculus of the package: :class:`gpt4leak.Architecture`
    sums these components for every supported Hugging Face family (and is
    proven exact against their code in ``tests/executed``), and every check
    that involves a shape calls this same function on arrays.

    Parameters
    ----------
    n_layers, d_model, n_heads, n_kv_heads, head_dim, d_ff, vocab_size : float or array_like
        The shape [dimensionless]; ``d_ff`` is the dense feed-forward width
        (used by the ``n_layers - n_moe_layers`` dense layers).
    gated, tied : bool or array_like
        Three-matrix gated MLP (else two matrices); LM head tied to the
        token embedding (else its own V x d matrix). 0/1 arrays select per element.
    n_experts, experts_per_token, expert_d_ff : float or array_like
        Routed experts per MoE layer, top-k, expert width (default ``d_ff``).
    n_moe_layers : float or array_like, optional
        Layers whose feed-forward block is a mixture of experts; default all
        layers when ``n_experts`` > 0.
    n_shared_experts, shared_expert_d_ff, shared_expert_gate
        Always-on shared experts (DeepSeek, Qwen-MoE) and their gate.
    norms_per_layer, norm_bias, final_norm
        Norms per layer (2 pre-norms), LayerNorm (with bias) or RMSNorm, a final norm.
    attention_bias, attention_out_bias, mlp_bias, lm_head_bias : bool
        Biases.
    max_positions : float or array_like
        Rows of a learned position table (0 for rotary, ALiBi).
    attention_per_layer, norm_params_per_layer, extra_norm_params, embedding_dim
        Overrides for what heads and widths alone cannot give (multi-head
        latent attention, query/key norms, an embedding norm, OPT's projected
        embeddings); :class:`~gpt4leak.Architecture` passes them.

    Returns
    -------
    dict of str -> float or ndarray
        ``embeddings``, ``embedding_projection``, ``attention``, ``mlp``,
        ``experts``, ``shared_experts``, ``router``, ``norms``, ``lm_head``
        [parameter], and the sums ``total``, ``active`` (k of the E experts)
        and ``expert_per_layer`` (one routed expert in one layer).

    Notes
    -----
    .. math::
        N = V e + P_{pos} d + L\,A + (L - L_{moe})\,M(d_{ff})
            + L_{moe} (E\,M(d_e) + d E + S) + L\,n_{norm} + (1 - t) V e

    with A from :func:`attention_params`, M from :func:`mlp_params`, the
    router from :func:`router_params` (fedus2022) and norms from
    :func:`norm_params`; :math:`N_{active} = N - L_{moe} (E - k) M(d_e)`
    (jiang2024: Mixtral's 12.9B of 46.7B).

    References
    ----------
    kaplan2020, shazeer2020, fedus2022, jiang2024
    """
    e = d_model if embedding_dim is None else embedding_dim
    if n_moe_layers is None:
        n_moe_layers = n_layers * (np.asarray(n_experts) > 0 if isinstance(n_experts, np.ndarray)
                                   else int(n_experts > 0))
    if expert_d_ff is None:
        expert_d_ff = d_ff
    if shared_expert_d_ff is None:
        shared_expert_d_ff = expert_d_ff
    if attention_per_layer is None:
        attention_per_layer = attention_params.bare(d_model, n_heads, n_kv_heads, head_dim, bias=attention_bias,
                                                    out_bias=attention_out_bias)
    norm = norm_params.bare(d_model, bias=norm_bias)
    if norm_params_per_layer is None:
        norm_params_per_layer = norms_per_layer * norm
    expert = mlp_params.bare(d_model, expert_d_ff, gated=gated, bias=mlp_bias)
    shared = n_moe_layers * (n_shared_experts * mlp_params.bare(d_model, shared_expert_d_ff, gated=gated,
                                                                 bias=mlp_bias)
                             + _flag(shared_expert_gate) * d_model)  # Qwen-MoE: one d x 1 gate per layer
    out = {
        "embeddings": embedding_params.bare(vocab_size, e) + max_positions * d_model,
        "embedding_projection": 0 if embedding_dim is None else 2 * e * d_model * (e != d_model),
        "attention": n_layers * attention_per_layer,
        "mlp": (n_layers - n_moe_layers) * mlp_params.bare(d_model, d_ff, gated=gated, bias=mlp_bias),
        "experts": n_moe_layers * n_experts * expert,
        "shared_experts": shared,
        "router": n_moe_layers * router_params.bare(d_model, n_experts),
        "norms": n_layers * norm_params_per_layer + _flag(final_norm) * norm + extra_norm_params,
        "lm_head": lm_head_params.bare(vocab_size, e, tied=tied, bias=lm_head_bias),
    }
    total = sum(out.values())
    out["total"] = total
    out["expert_per_layer"] = expert
    out["active"] = total - n_moe_layers * (n_experts - experts_per_token) * expert
    return out


decoder_params.bare = decoder_params  # counts in, counts out: the public function is the kernel


def head_dim_or_default(d_model, n_heads, d_head=0, width_ratio=1.0):
    """The head width: ``d_head`` where stated (> 0), else ``width_ratio * d_model / n_heads``.

    Vaswani et al. 2017 sec. 3.2.2 set :math:`d_k = d_{model} / h` (width_ratio 1); models that do not
    (PaLM 540B: 48 heads of 256 on d_model 18432, ratio 0.67; Gemma 7B: 16 of 256 on 3072, ratio 1.33)
    state their head width. Arrays broadcast.

    References
    ----------
    vaswani2017
    """
    return np.where(np.asarray(d_head) > 0, d_head, width_ratio * d_model / n_heads)


def stated_or(stated, default):
    """``stated`` where a claim gives it (> 0), else ``default`` (elementwise): for example key/value heads,
    which are the query heads unless stated (multi-head attention, vaswani2017 sec. 3.2.2, and the default of
    every Hugging Face config without ``num_key_value_heads``)."""
    return np.where(np.asarray(stated) > 0, stated, default)


head_dim_or_default.bare = head_dim_or_default
stated_or.bare = stated_or
