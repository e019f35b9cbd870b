"""Memory: weights, gradients, optimizer states, activations and KV cache, per GPU.

Base unit: byte. Every public function takes floats / numpy arrays (broadcast
elementwise) or pint Quantities (converted once, see ``_boundary.unit_aware``);
``fn.bare`` is the unit-free kernel.

The order of division matters and is where peer calculators go wrong: model
states are first split by model parallelism (tensor x pipeline, and experts
over expert-parallel ranks), *then* ZeRO shards what each model-parallel rank
holds over the data-parallel ranks (Rajbhandari et al. 2020, sec. 5 and
Fig. 1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..units import Q_
from ._boundary import unit_aware
from .flops import _check_recompute

__all__ = [
    "weight_bytes",
    "free_bytes",
    "gradient_bytes",
    "adam_state_bytes",
    "training_state_bytes_per_gpu",
    "TrainingMemory",
    "training_memory_per_gpu",
    "activation_bytes_per_layer",
    "activation_bytes_per_gpu",
    "kv_cache_bytes_per_token",
    "kv_cache_bytes",
    "ZERO_STAGES",
]

#: ZeRO stages: 0 none, 1 optimizer states, 2 + gradients, 3 + weights (rajbhandari2020 Fig. 1).
ZERO_STAGES = (0, 1, 2, 3)

_BPP = "byte/parameter"


# --------------------------------------------------------------------------- model states
@unit_aware(inputs={"params": "parameter", "bytes_per_param": _BPP}, output="byte",
            positive=("params", "bytes_per_param"))
def weight_bytes(params, bytes_per_param=2):
    """Memory of the weights.

    Parameters
    ----------
    params : float or array
        Parameters held [parameter].
    bytes_per_param : float or array
        2 for fp16/bf16 (default), 4 for fp32, 1 for int8/fp8 [byte/parameter].

    Returns
    -------
    float or array
        Bytes [byte].

    Notes
    -----
    .. math:: M_w = \\Psi \\, b_w

    References
    ----------
    rajbhandari2020 (sec. 3.1: 2 bytes per parameter for fp16 weights).
    """
    return params * bytes_per_param  # rajbhandari2020 sec. 3.1: 2Psi bytes in fp16


@unit_aware(inputs={"params": "parameter", "bytes_per_param": _BPP}, output="byte",
            positive=("params", "bytes_per_param"))
def gradient_bytes(params, bytes_per_param=2):
    """Memory of the gradients (one per trained parameter).

    Parameters
    ----------
    params : float or array
        Parameters trained [parameter].
    bytes_per_param : float or array
        2 for fp16/bf16 gradients (default) [byte/parameter].

    Returns
    -------
    float or array
        Bytes [byte].

    Notes
    -----
    .. math:: M_g = \\Psi \\, b_g

    References
    ----------
    rajbhandari2020 (sec. 3.1: 2Psi bytes of fp16 gradients).
    """
    return params * bytes_per_param  # rajbhandari2020 sec. 3.1: 2Psi bytes in fp16


@unit_aware(inputs={"params": "parameter", "bytes_per_param": _BPP}, output="byte",
            positive=("params", "bytes_per_param"))
def adam_state_bytes(params, bytes_per_param=12):
    """Memory of mixed-precision Adam's optimizer states.

    Parameters
    ----------
    params : float or array
        Parameters trained [parameter].
    bytes_per_param : float or array
        K in ZeRO's notation: 12 = fp32 master weights, momentum and variance,
        4 + 4 + 4 (default) [byte/parameter].

    Returns
    -------
    float or array
        Bytes [byte].

    Notes
    -----
    .. math:: M_o = K \\Psi, \\quad K = 12

    With fp16 weights and gradients, mixed-precision Adam needs
    (2 + 2 + K) Psi = 16 Psi bytes: 24 GB for a 1.5B-parameter GPT-2.

    References
    ----------
    rajbhandari2020 (sec. 3.1, "K = 12").
    """
    return params * bytes_per_param  # rajbhandari2020 sec. 3.1: K = 12


def _model_parallel_share(params, tp, pp, ep, expert_params):
    """Parameters one GPU holds before ZeRO: dense part / (tp pp), experts / (tp pp ep)."""
    dense = params - expert_params
    return dense / (tp * pp), expert_params / (tp * pp * ep)


def _state_parts(params, tp, pp, dp, zero_stage, ep, expert_params,
                 weight_bytes_per_param, grad_bytes_per_param, optimizer_bytes_per_param, where):
    if (np.ndim(zero_stage) != 0 or isinstance(zero_stage, (bool, np.bool_))
            or zero_stage not in ZERO_STAGES):
        raise ValueError(f"{where}(zero_stage=...): expected one of {ZERO_STAGES}, got {zero_stage!r}")
    if np.any(np.asarray(expert_params) > np.asarray(params)):
        raise ValueError(f"{where}(expert_params=...): larger than params")
    dense, expert = _model_parallel_share(params, tp, pp, ep, expert_params)
    # Experts are replicated over the dp / ep ranks that hold the same experts (the
    # expert data-parallel group); dense parameters over all dp ranks.
    expert_dp = dp / ep
    # rajbhandari2020 Fig. 1: stage 1 shards optimizer states, 2 also gradients, 3 also weights.
    w_div = (dp, expert_dp) if zero_stage >= 3 else (1.0, 1.0)
    g_div = (dp, expert_dp) if zero_stage >= 2 else (1.0, 1.0)
    o_div = (dp, expert_dp) if zero_stage >= 1 else (1.0, 1.0)
    weights = weight_bytes_per_param * (dense / w_div[0] + expert / w_div[1])
    grads = grad_bytes_per_param * (dense / g_div[0] + expert / g_div[1])
    optim = optimizer_bytes_per_param * (dense / o_div[0] + expert / o_div[1])
    return weights, grads, optim


_STATE_INPUTS = {
    "params": "parameter", "tp": "dimensionless", "pp": "dimensionless", "dp": "dimensionless",
    "ep": "dimensionless", "expert_params": "parameter",
    "weight_bytes_per_param": _BPP, "grad_bytes_per_param": _BPP, "optimizer_bytes_per_param": _BPP,
}
_STATE_POSITIVE = ("params", "tp", "pp", "dp", "ep")


@unit_aware(inputs=_STATE_INPUTS, output="byte", positive=_STATE_POSITIVE)
def training_state_bytes_per_gpu(params, tp=1, pp=1, dp=1, zero_stage=0, ep=1, expert_params=0,
                                 weight_bytes_per_param=2, grad_bytes_per_param=2,
                                 optimizer_bytes_per_param=12):
    """Model-state memory on one GPU: weights + gradients + optimizer states.

    Parameters
    ----------
    params : float or array
        Total parameters of the model, Psi [parameter].
    tp, pp : float or array
        Tensor- and pipeline-parallel degrees [dimensionless].
    dp : float or array
        Data-parallel degree: the ranks ZeRO shards over [dimensionless].
    zero_stage : {0, 1, 2, 3}
        ZeRO stage: 1 shards optimizer states over ``dp``, 2 also gradients,
        3 also weights.
    ep : float or array
        Expert-parallel degree, carved out of the ``dp`` ranks (experts are
        spread over ``ep`` ranks of each data-parallel group) [dimensionless].
    expert_params : float or array
        The part of ``params`` that sits in experts (0 for a dense model)
        [parameter]; it is divided by ``tp * pp * ep`` and ZeRO-sharded over
        ``dp / ep``.
    weight_bytes_per_param, grad_bytes_per_param, optimizer_bytes_per_param : float or array
        2, 2 and 12 for mixed-precision Adam [byte/parameter].

    Returns
    -------
    float or array
        Bytes of model states on one GPU [byte] (activations not included; see
        :func:`training_memory_per_gpu`).

    Notes
    -----
    With :math:`\\Psi' = \\Psi / (t\\,p)` the share of one model-parallel rank and
    :math:`N_d` = ``dp``:

    .. math::
        M_0 &= (2 + 2 + K) \\Psi' \\\\
        M_1 &= 2\\Psi' + 2\\Psi' + K\\Psi'/N_d \\\\
        M_2 &= 2\\Psi' + (2 + K)\\Psi'/N_d \\\\
        M_3 &= (2 + 2 + K)\\Psi'/N_d

    Model parallelism divides first, ZeRO second: ZeRO partitions among the
    data-parallel replicas of the same model-parallel shard.

    References
    ----------
    rajbhandari2020 (sec. 5.1-5.3, Fig. 1; sec. 3.1 for K = 12),
    lepikhin2021 (experts spread over the data-parallel devices).
    """
    w, g, o = _state_parts(params, tp, pp, dp, zero_stage, ep, expert_params, weight_bytes_per_param,
                           grad_bytes_per_param, optimizer_bytes_per_param,
                           "training_state_bytes_per_gpu")
    return w + g + o


@dataclass(frozen=True)
class TrainingMemory:
    """Memory on one GPU during training, and whether it fits.

    All sizes are in bytes (floats, or arrays when the inputs were arrays).
    ``fits`` is ``total <= capacity``: "does not fit" is a result, not a
    warning. :meth:`as_quantities` gives the sizes as pint Quantities.
    """

    weights: float | np.ndarray
    """Weights held by this GPU [byte]."""
    gradients: float | np.ndarray
    """Gradients held by this GPU [byte]."""
    optimizer: float | np.ndarray
    """Optimizer states held by this GPU [byte]."""
    activations: float | np.ndarray
    """Activations stored for the backward pass [byte]."""
    total: float | np.ndarray
    """Sum of the four [byte]."""
    capacity: float | np.ndarray
    """Memory of one GPU [byte]."""
    fits: bool | np.ndarray
    """``total <= capacity``."""

    @property
    def utilisation(self):
        """``total / capacity`` [dimensionless]; above 1 does not fit."""
        return self.total / self.capacity

    def as_quantities(self, unit: str = "GB") -> dict:
        """The sizes as pint Quantities in ``unit`` (and ``fits`` as is)."""
        out = {name: Q_(getattr(self, name), "byte").to(unit)
               for name in ("weights", "gradients", "optimizer", "activations", "total", "capacity")}
        out["fits"] = self.fits
        return out


@unit_aware(inputs={**_STATE_INPUTS, "capacity_bytes": "byte", "activation_bytes": "byte"},
            output=None, positive=(*_STATE_POSITIVE, "capacity_bytes"))
def training_memory_per_gpu(params, capacity_bytes, tp=1, pp=1, dp=1, zero_stage=0, ep=1,
                            expert_params=0, activation_bytes=0, weight_bytes_per_param=2,
                            grad_bytes_per_param=2, optimizer_bytes_per_param=12):
    """Memory on one GPU during training (model states + activations) and whether it fits.

    Parameters
    ----------
    params : float or array
        Total parameters [parameter].
    capacity_bytes : float or array
        Memory of one GPU [byte] (A100 80GB: 80e9; GB and GiB Quantities are
        converted).
    tp, pp, dp, zero_stage, ep, expert_params, weight_bytes_per_param, grad_bytes_per_param, \
optimizer_bytes_per_param
        As in :func:`training_state_bytes_per_gpu`.
    activation_bytes : float or array
        Activations stored on this GPU [byte], e.g. from
        :func:`activation_bytes_per_gpu`; 0 counts model states only.

    Returns
    -------
    TrainingMemory
        Weights, gradients, optimizer states, activations, total, capacity
        (all in bytes) and ``fits``.

    Notes
    -----
    .. math:: M = M_w + M_g + M_o + M_a, \\qquad \\text{fits} = M \\le C

    "Training with Adam" memory is weights + gradients + optimizer states
    (16 bytes per parameter in mixed precision), not the weights alone.

    References
    ----------
    rajbhandari2020 (sec. 3, Fig. 1), korthikanti2022 (sec. 4, activations).
    """
    w, g, o = _state_parts(params, tp, pp, dp, zero_stage, ep, expert_params, weight_bytes_per_param,
                           grad_bytes_per_param, optimizer_bytes_per_param, "training_memory_per_gpu")
    total = w + g + o + activation_bytes
    fits = total <= capacity_bytes
    fits = bool(fits) if np.ndim(fits) == 0 else np.asarray(fits)
    return TrainingMemory(weights=w, gradients=g, optimizer=o, activations=activation_bytes,
                          total=total, capacity=capacity_bytes, fits=fits)


# --------------------------------------------------------------------------- activations
_ACT_INPUTS = {"seq_len": "token", "micro_batch": "dimensionless", "d_model": "dimensionless",
               "n_heads": "dimensionless", "tp": "dimensionless"}
_ACT_POSITIVE = ("seq_len", "micro_batch", "d_model", "n_heads", "tp")


@unit_aware(inputs=_ACT_INPUTS, output="byte", positive=_ACT_POSITIVE)
def activation_bytes_per_layer(seq_len, micro_batch, d_model, n_heads, tp=1, sequence_parallel=False,
                               recompute="none", experts_per_token=1, ffn_ratio=4):
    """Activations one transformer layer stores for the backward pass, per GPU.

    Parameters
    ----------
    seq_len : float or array
        Sequence length s [token].
    micro_batch : float or array
        Micro-batch size b [sequence].
    d_model : float or array
        Hidden size h [dimensionless].
    n_heads : float or array
        Attention heads a [dimensionless].
    tp : float or array
        Tensor-parallel degree t [dimensionless].
    sequence_parallel : bool
        Megatron sequence parallelism (splits LayerNorm and dropout
        activations over the tensor-parallel ranks).
    recompute : {"none", "selective", "full"}
        ``"selective"`` recomputes the attention scores (the 5as/h term);
        ``"full"`` stores only the layer's input.
    experts_per_token, ffn_ratio : float or array
        A mixture-of-experts layer sends each token through k experts of
        width r h: the MLP's 19 sbh (2 sbh input, 8+8 sbh of the 4h hidden,
        sbh dropout mask) becomes (k (2 + 4 r) + 1) sbh. Defaults: the dense 4h MLP.

    Returns
    -------
    float or array
        Bytes per layer on one GPU [byte].

    Notes
    -----
    Korthikanti et al. 2022 Table 2 (16-bit activations, 1-byte dropout masks,
    GPT layer with a 4h GeLU MLP, no flash attention):

    ============================  ===============================
    no parallelism                sbh (34 + 5as/h)
    tensor parallel               sbh (10 + 24/t + 5as/(ht))
    tensor + sequence parallel    sbh/t (34 + 5as/h)
    tensor + selective recompute  sbh (10 + 24/t)
    tensor + sequence + selective 34 sbh/t
    full recomputation            2 sbh
    ============================  ===============================

    The "10" is LayerNorm inputs and dropout masks/outputs that plain tensor
    parallelism replicates on every rank. The paper notes full recomputation
    could store 2sbh/t with an extra all-gather but does not count it; neither
    do we.

    References
    ----------
    korthikanti2022 (sec. 4, eqs. 1-2 and 4, Table 2).
    """
    recompute = _check_recompute(recompute, "activation_bytes_per_layer")
    s, b, h, a, t = seq_len, micro_batch, d_model, n_heads, tp
    sbh = s * b * h
    if recompute == "full":
        # korthikanti2022 Table 2: input only, 2sbh (+ 0*t keeps the broadcast shape of tp)
        return 2.0 * sbh + 0.0 * t
    attn = 0.0 if recompute == "selective" else 5.0 * a * s / h  # korthikanti2022 eq. (1): 5as/h
    # korthikanti2022 sec. 4.1: the MLP stores 19 sbh of the 34; k experts of width r h store k (2 + 4r) + 1
    moe_extra = experts_per_token * (2.0 + 4.0 * ffn_ratio) + 1.0 - 19.0
    if sequence_parallel:
        return sbh / t * (34.0 + moe_extra + attn)  # korthikanti2022 eq. (4): sbh/t (34 + 5as/h)
    return sbh * (10.0 + (24.0 + moe_extra) / t + attn / t)  # korthikanti2022 eq. (2): sbh (10 + 24/t + 5as/(ht))


@unit_aware(inputs={**_ACT_INPUTS, "n_layers": "dimensionless", "pp": "dimensionless",
                    "micro_batches": "dimensionless", "interleave": "dimensionless"},
            output="byte", positive=(*_ACT_POSITIVE, "n_layers", "pp", "micro_batches", "interleave"))
def activation_bytes_per_gpu(seq_len, micro_batch, d_model, n_heads, n_layers, tp=1, pp=1,
                             sequence_parallel=False, recompute="none", micro_batches=None, interleave=1,
                             experts_per_token=1, ffn_ratio=4):
    """Activations stored on the busiest GPU (the first pipeline stage) under 1F1B.

    Parameters
    ----------
    seq_len, micro_batch, d_model, n_heads, tp, sequence_parallel, recompute, experts_per_token, ffn_ratio
        As in :func:`activation_bytes_per_layer`.
    n_layers : float or array
        Transformer layers L [dimensionless].
    pp : float or array
        Pipeline stages p [dimensionless].
    micro_batches : float or array, optional
        Micro-batches per step m; ``None`` assumes m >= p [dimensionless].
    interleave : float or array
        Virtual stages per GPU (Megatron interleaved schedule); 1 = plain 1F1B
        [dimensionless].

    Returns
    -------
    float or array
        Bytes [byte].

    Notes
    -----
    The first stage holds L/p layers for min(p, m) micro-batches in flight, so
    with m >= p it stores L layers' worth however many stages there are:

    .. math:: M_a = A_{layer} \\, \\frac{L}{p} \\, \\min(p, m)
              \\times \\left(1 + \\frac{p - 1}{p v}\\right)_{v > 1}

    Embedding, final LayerNorm and logits are left out (under 0.01% for the
    22B model of the paper).

    References
    ----------
    korthikanti2022 (sec. 4.2.3, eq. 5; sec. 4.3).
    """
    per_layer = activation_bytes_per_layer.bare(seq_len, micro_batch, d_model, n_heads, tp,
                                                sequence_parallel, recompute, experts_per_token, ffn_ratio)
    in_flight = pp if micro_batches is None else np.minimum(pp, micro_batches)
    # korthikanti2022 sec. 4.2.3: interleaved schedule stores L (1 + (p-1)/(p m)) layers
    factor = np.where(np.asarray(interleave) > 1, 1.0 + (pp - 1.0) / (pp * interleave), 1.0)
    out = per_layer * n_layers / pp * in_flight * factor
    return float(out) if np.ndim(out) == 0 else out


# --------------------------------------------------------------------------- KV cache
@unit_aware(inputs={"n_layers": "dimensionless", "n_kv_heads": "dimensionless", "head_dim": "dimensionless",
                    "bytes_per_element": "byte"},
            output="byte", positive=("n_layers", "n_kv_heads", "head_dim", "bytes_per_element"))
def kv_cache_bytes_per_token(n_layers, n_kv_heads, head_dim, bytes_per_element=2):
    """KV-cache bytes one token adds, for the whole model.

    Parameters
    ----------
    n_layers : float or array
        Layers with attention [dimensionless].
    n_kv_heads : float or array
        Key/value heads per layer: all heads for multi-head attention, 1 for
        multi-query, the group count for grouped-query [dimensionless].
    head_dim : float or array
        Dimension of one head [dimensionless].
    bytes_per_element : float or array
        2 for fp16/bf16 (default), 1 for int8/fp8 [byte].

    Returns
    -------
    float or array
        Bytes per token [byte].

    Notes
    -----
    .. math:: m = 2 \\, L \\, n_{kv} \\, d_{head} \\, b

    The 2 counts K *and* V. For OPT-13B (multi-head, 40 layers, hidden 5120,
    fp16) this is 2 x 5120 x 40 x 2 = 800 KiB, the figure of Kwon et al.

    References
    ----------
    kwon2023 (sec. 3), pope2022 (sec. 2.1), shazeer2019, ainslie2023.
    """
    return 2.0 * n_layers * n_kv_heads * head_dim * bytes_per_element  # K and V: kwon2023 sec. 3


@unit_aware(inputs={"n_layers": "dimensionless", "n_kv_heads": "dimensionless", "head_dim": "dimensionless",
                    "seq_len": "token", "batch": "dimensionless", "bytes_per_element": "byte",
                    "tp": "dimensionless", "pp": "dimensionless"},
            output="byte",
            positive=("n_layers", "n_kv_heads", "head_dim", "seq_len", "batch", "bytes_per_element",
                      "tp", "pp"))
def kv_cache_bytes(n_layers, n_kv_heads, head_dim, seq_len, batch=1, bytes_per_element=2, tp=1, pp=1):
    """KV cache of ``batch`` sequences of ``seq_len`` tokens: whole model, or per GPU.

    Parameters
    ----------
    n_layers : float or array
        Layers with attention [dimensionless].
    n_kv_heads : float or array
        Key/value heads per layer (MHA: all heads; MQA: 1; GQA: groups)
        [dimensionless].
    head_dim : float or array
        Dimension of one head [dimensionless].
    seq_len : float or array
        Tokens cached per sequence (prompt + generated) [token].
    batch : float or array
        Sequences [sequence].
    bytes_per_element : float or array
        2 for fp16/bf16 [byte].
    tp : float or array
        Tensor-parallel degree: heads are split over ``tp`` ranks; a rank
        always holds at least one KV head, so with fewer KV heads than ranks
        the heads are *replicated* [dimensionless].
    pp : float or array
        Pipeline stages: each holds L/pp layers' cache [dimensionless].

    Returns
    -------
    float or array
        Bytes [byte]. With ``tp = pp = 1`` the whole model's cache; otherwise
        the cache on ONE GPU. The memory the tensor-parallel group uses in
        total is ``tp`` times that, which exceeds the whole-model figure when
        KV heads are replicated (n_kv_heads < tp).

    Notes
    -----
    .. math:: M_{kv} = 2 \\, \\frac{L}{p} \\, \\max\\!\\left(1, \\frac{n_{kv}}{t}\\right)
              d_{head} \\, S \\, B \\, b

    Real frameworks need ``tp`` to divide ``n_kv_heads`` or the reverse.

    References
    ----------
    pope2022 (sec. 3.3: multi-query KV cache replicated when sharded over
    heads), kwon2023 (sec. 3), ainslie2023.
    """
    kv_heads_per_rank = np.maximum(1.0, n_kv_heads / tp)  # pope2022 sec. 3.3: one KV head is replicated
    out = 2.0 * (n_layers / pp) * kv_heads_per_rank * head_dim * seq_len * batch * bytes_per_element
    return float(out) if np.ndim(out) == 0 else out


def free_bytes(capacity_bytes, used_bytes):
    """Memory left on a GPU after ``used_bytes`` [byte]: max(capacity - used, 0); arrays broadcast."""
    return np.maximum(capacity_bytes - used_bytes, 0.0)


free_bytes.bare = free_bytes
