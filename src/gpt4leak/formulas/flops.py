"""Compute: FLOPs of a forward pass, of a training run, and how well the hardware was used.

Base units: FLOP, token, parameter, GPU, second. Every public function takes
floats / numpy arrays (broadcast elementwise) in those units or pint
Quantities (converted once at the boundary, see ``_boundary.unit_aware``);
``fn.bare`` is the unit-free kernel.

Conventions (the ones the papers use, and where they differ):

* A multiply-add is 2 FLOP. A dense matrix-vector product with N weights costs
  2N FLOP per token (Kaplan et al. 2020, Table 1).
* Training = forward + backward = 3 forward passes, hence 6N per token
  (Kaplan et al. 2020, sec. 2.1; Brown et al. 2020, Table D.1).
* Attention scores (QK^T and AV) add 4 * L * S * d_attn per token in the forward
  pass when every query sees all S keys (Chowdhery et al. 2022, appendix B,
  whose training term is 3x this: 12 L H Q T). Kaplan et al. count 2 L S d_attn
  (half: a causal query sees on average half the context); ``causal=True``
  selects that convention.
* *Model* FLOPs exclude activation recomputation, *hardware* FLOPs include it
  (Chowdhery et al. 2022, sec. 4.1 and appendix B; Korthikanti et al. 2022,
  appendix A). MFU is model FLOPs over peak; HFU is hardware FLOPs over peak.
"""

from __future__ import annotations

import numpy as np

from ._boundary import unit_aware

__all__ = [
    "forward_flop_per_token",
    "attention_score_flop_per_token",
    "training_flop",
    "training_flop_palm",
    "training_flop_megatron",
    "hardware_flop",
    "mfu",
    "hfu",
    "implied_seconds",
    "implied_gpus",
    "implied_mfu",
    "tokens_per_gpu_second",
    "RECOMPUTE",
]

#: Activation-recomputation strategies understood by the FLOP and memory formulas.
RECOMPUTE = ("none", "selective", "full")


def _check_recompute(recompute, where: str) -> str:
    if isinstance(recompute, (bool, np.bool_)):
        raise ValueError(f"{where}(recompute=...): expected one of {RECOMPUTE}, got {recompute!r}")
    if recompute not in RECOMPUTE:
        raise ValueError(f"{where}(recompute=...): expected one of {RECOMPUTE}, got {recompute!r}")
    return recompute


# --------------------------------------------------------------------------- per token
@unit_aware(inputs={"n_layers": "dimensionless", "seq_len": "token", "d_attn": "dimensionless"},
            output="FLOP")
def attention_score_flop_per_token(n_layers, seq_len, d_attn, causal=False):
    """Forward FLOPs per token of the attention scores (QK^T and attention over V).

    Parameters
    ----------
    n_layers : float or array
        Transformer layers [dimensionless].
    seq_len : float or array
        Context length S the token attends over [token].
    d_attn : float or array
        Total attention width, heads x head dimension (H * Q) [dimensionless].
    causal : bool
        ``False`` (default): every query sees all S keys, the count of
        Chowdhery et al. 2022. ``True``: halve it, the count of Kaplan et al.
        2020 Table 1 (a causal query sees on average half the context).

    Returns
    -------
    float or array
        FLOPs per token of one forward pass [FLOP].

    Notes
    -----
    .. math:: C_{attn} = 4 L S d_{attn}   \\quad(\\times 1/2 \\text{ if causal})

    QK^T costs 2 S d_attn per query token and per layer, AV another 2 S d_attn.
    Projections (Q, K, V, output) are weights and belong to the 2N term.

    References
    ----------
    kaplan2020 (Table 1, "Attention: Mask" row), chowdhery2022 (appendix B).
    """
    flop = 4.0 * n_layers * seq_len * d_attn  # 2 S d (QK^T) + 2 S d (AV) per layer, chowdhery2022 app. B
    if causal:
        flop = 0.5 * flop  # kaplan2020 Table 1 counts 2 n_layer n_ctx d_attn
    return flop


@unit_aware(inputs={"active_params": "parameter", "n_layers": "dimensionless", "seq_len": "token",
                    "d_attn": "dimensionless"},
            output="FLOP", positive=("active_params",))
def forward_flop_per_token(active_params, n_layers=0, seq_len=0, d_attn=0, causal=False):
    """FLOPs of one forward pass for one token: 2N plus the attention scores.

    Parameters
    ----------
    active_params : float or array
        Parameters used per token, N (for a mixture of experts: the shared
        parameters plus the experts a token is routed to) [parameter].
    n_layers, seq_len, d_attn : float or array, optional
        Layers [dimensionless], context length [token] and total attention
        width H*Q [dimensionless] for the attention-score term; leave at 0 to
        count the weights only.
    causal : bool
        Halve the attention term (Kaplan et al. 2020 convention).

    Returns
    -------
    float or array
        Forward FLOPs per token [FLOP].

    Notes
    -----
    .. math:: C_{fwd} = 2N + 4 L S d_{attn}

    With ``causal=True`` this is exactly Kaplan et al. 2020 Table 1,
    :math:`C_{forward} = 2N + 2 n_{layer} n_{ctx} d_{attn}`; with the default it is
    one third of the per-token training cost of Chowdhery et al. 2022
    appendix B, :math:`6N + 12 L H Q T`.

    References
    ----------
    kaplan2020 (Table 1), chowdhery2022 (appendix B).
    """
    return 2.0 * active_params + attention_score_flop_per_token.bare(  # 2N: kaplan2020 Table 1
        n_layers, seq_len, d_attn, causal=causal)


# --------------------------------------------------------------------------- training runs
@unit_aware(inputs={"active_params": "parameter", "tokens": "token"}, output="FLOP",
            positive=("active_params", "tokens"))
def training_flop(active_params, tokens):
    """Training compute of a dense (or routed) transformer: the 6ND rule.

    Parameters
    ----------
    active_params : float or array
        Parameters used per token, N [parameter].
    tokens : float or array
        Training tokens, D (epochs counted) [token].

    Returns
    -------
    float or array
        Total training FLOPs [FLOP].

    Notes
    -----
    .. math:: C = 6 N D

    2N per token forward, twice that backward (Kaplan et al. 2020 sec. 2.1).
    Attention scores and recomputation are not counted (see
    :func:`training_flop_palm` and :func:`hardware_flop`).

    References
    ----------
    kaplan2020 (sec. 2.1, eq. 2.2), brown2020 (Table D.1 uses it for GPT-3).
    """
    return 6.0 * active_params * tokens  # kaplan2020 sec. 2.1: C = 6ND


@unit_aware(inputs={"active_params": "parameter", "tokens": "token", "n_layers": "dimensionless",
                    "n_heads": "dimensionless", "head_dim": "dimensionless", "seq_len": "token"},
            output="FLOP",
            positive=("active_params", "tokens", "n_layers", "n_heads", "head_dim", "seq_len"))
def training_flop_palm(active_params, tokens, n_layers, n_heads, head_dim, seq_len):
    """Training compute with the attention scores counted: (6N + 12 L H Q T) D.

    Parameters
    ----------
    active_params : float or array
        Parameters used per token, N [parameter].
    tokens : float or array
        Training tokens, D [token].
    n_layers : float or array
        Layers, L [dimensionless].
    n_heads : float or array
        Attention (query) heads, H [dimensionless].
    head_dim : float or array
        Dimension of one head, Q [dimensionless].
    seq_len : float or array
        Sequence length, T [token].

    Returns
    -------
    float or array
        Model FLOPs of training (no recomputation) [FLOP].

    Notes
    -----
    .. math:: C = (6N + 12 L H Q T) D

    Used by PaLM to define model FLOPs utilisation; 12 L H Q T is 3x the
    forward attention-score cost 4 L S d_attn with d_attn = H Q and S = T.

    References
    ----------
    chowdhery2022 (appendix B).
    """
    return (6.0 * active_params  # chowdhery2022 app. B: 6N
            + 12.0 * n_layers * n_heads * head_dim * seq_len) * tokens  # + 12 L H Q T


@unit_aware(inputs={"batch_size": "dimensionless", "seq_len": "token", "n_layers": "dimensionless",
                    "d_model": "dimensionless", "vocab_size": "dimensionless",
                    "iterations": "dimensionless"},
            output="FLOP",
            positive=("batch_size", "seq_len", "n_layers", "d_model", "vocab_size", "iterations"))
def training_flop_megatron(batch_size, seq_len, n_layers, d_model, vocab_size, iterations,
                           recompute=True):
    """Training FLOPs of a GPT model counted matrix by matrix (Megatron-LM).

    Parameters
    ----------
    batch_size : float or array
        Global batch size B [sequence].
    seq_len : float or array
        Sequence length s [token].
    n_layers : float or array
        Layers l [dimensionless].
    d_model : float or array
        Hidden size h (MLP width 4h, attention width h) [dimensionless].
    vocab_size : float or array
        Vocabulary V [dimensionless].
    iterations : float or array
        Optimizer steps, I = tokens / (B s) [dimensionless].
    recompute : {True, False, "full", "selective", "none"}
        ``True``/``"full"``: full activation recomputation, one extra forward
        pass (Narayanan et al. 2021 eq. 3; these are *hardware* FLOPs).
        ``False``/``"none"``: model FLOPs (Korthikanti et al. 2022 eq. 7).
        ``"selective"``: hardware FLOPs with selective recomputation
        (Korthikanti et al. 2022 eq. 8).

    Returns
    -------
    float or array
        FLOPs of ``iterations`` steps [FLOP].

    Notes
    -----
    Per iteration:

    .. math::
        F_{full} &= 96 B s l h^2 \\left(1 + \\frac{s}{6h} + \\frac{V}{16 l h}\\right) \\\\
        F_{none} &= 72 B s l h^2 \\left(1 + \\frac{s}{6h} + \\frac{V}{12 l h}\\right) \\\\
        F_{selective} &= 72 B s l h^2 \\left(1 + \\frac{s}{3h} + \\frac{V}{12 l h}\\right)

    The logit layer costs 6 B s V h in all three (it is never recomputed), which
    is why its term is V/(16lh) with the factor 96 and V/(12lh) with 72. The
    selective form is the paper's eq. (8): it charges 12 B s^2 l h for the
    recomputed attention scores where one extra forward of QK^T and AV would be
    4 B s^2 l h; we keep the paper's equation so that its Table 5 HFU values
    are reproduced.

    References
    ----------
    narayanan2021 (sec. 5.1, eq. 3), korthikanti2022 (appendix A, eqs. 7-8).
    """
    if isinstance(recompute, (bool, np.bool_)):
        recompute = "full" if recompute else "none"
    recompute = _check_recompute(recompute, "training_flop_megatron")
    b, s, l, h, v = batch_size, seq_len, n_layers, d_model, vocab_size
    if recompute == "full":
        # narayanan2021 eq. (3): 4 passes over the layers (fwd, 2x bwd, recompute fwd)
        per_iter = 96.0 * b * s * l * h**2 * (1.0 + s / (6.0 * h) + v / (16.0 * l * h))
    elif recompute == "none":
        # korthikanti2022 eq. (7): model FLOPs, 3 passes
        per_iter = 72.0 * b * s * l * h**2 * (1.0 + s / (6.0 * h) + v / (12.0 * l * h))
    else:
        # korthikanti2022 eq. (8): hardware FLOPs with selective recomputation
        per_iter = 72.0 * b * s * l * h**2 * (1.0 + s / (3.0 * h) + v / (12.0 * l * h))
    return per_iter * iterations


@unit_aware(inputs={"active_params": "parameter", "tokens": "token", "n_layers": "dimensionless",
                    "seq_len": "token", "d_attn": "dimensionless", "logit_params": "parameter",
                    "lookup_params": "parameter"},
            output="FLOP", positive=("active_params", "tokens"))
def hardware_flop(active_params, tokens, recompute="none", n_layers=0, seq_len=0, d_attn=0, logit_params=0,
                  lookup_params=0):
    """FLOPs the hardware actually executes in training, recomputation included.

    Parameters
    ----------
    active_params : float or array
        Parameters used per token, N [parameter].
    tokens : float or array
        Training tokens, D [token].
    recompute : {"none", "selective", "full"}
        Activation recomputation. ``"full"`` reruns the whole forward pass
        (8ND); ``"selective"`` reruns only the attention scores.
    n_layers, seq_len, d_attn : float or array, optional
        Layers [dimensionless], sequence length [token] and attention width
        H*Q [dimensionless] for the attention-score term; 0 leaves it out.
    logit_params, lookup_params : float or array, optional
        Of N [parameter]: the LM head's V x d weights (multiplied, never
        recomputed: 6 FLOPs each per token under full recomputation), and a
        token table that is only looked up (an untied input embedding, no
        FLOPs). 0 (default) treats all of N as layer weights.

    Returns
    -------
    float or array
        Hardware FLOPs [FLOP].

    Notes
    -----
    With :math:`A = 4 L S d_{attn}` the forward attention-score FLOPs per token:

    .. math::
        C_{none} &= (6N + 3A) D \\\\
        C_{selective} &= (6N + 6A) D \\\\
        C_{full} &= (8 (N - N_{logit} - N_{lookup}) + 6 N_{logit} + 4A) D

    ``"none"`` equals :func:`training_flop_palm` (model FLOPs); ``"full"`` is
    Narayanan et al. 2021 eq. (3) per token, whose approximation
    8ND is eq. (4); ``"selective"`` follows Korthikanti et al. 2022 eq. (8)
    (see :func:`training_flop_megatron` for why it charges 3A, not A).

    References
    ----------
    narayanan2021 (eqs. 3-4), korthikanti2022 (appendix A), chowdhery2022 (appendix B).
    """
    recompute = _check_recompute(recompute, "hardware_flop")
    attn = attention_score_flop_per_token.bare(n_layers, seq_len, d_attn)
    if recompute == "none":
        per_token = 6.0 * active_params + 3.0 * attn  # chowdhery2022 app. B: 6N + 12LHQT
    elif recompute == "selective":
        per_token = 6.0 * active_params + 6.0 * attn  # korthikanti2022 eq. (8): s/(3h) vs s/(6h)
    else:
        # narayanan2021 eq. (3): layers 4 passes (96 B s l h^2), attention 16 B s^2 l h, logits 6 B s V h
        # (the logit layer is not recomputed), the embedding lookup no FLOPs; eq. (4) approximates 8ND
        layers = active_params - logit_params - lookup_params
        per_token = 8.0 * layers + 6.0 * logit_params + 4.0 * attn
    return per_token * tokens


# --------------------------------------------------------------------------- utilisation
_UTIL_INPUTS = {"n_gpus": "GPU", "peak_flop_per_s": "FLOP/s/GPU", "seconds": "second"}


@unit_aware(inputs={"model_flop": "FLOP", **_UTIL_INPUTS}, output="dimensionless",
            positive=("n_gpus", "peak_flop_per_s", "seconds"))
def mfu(model_flop, n_gpus, peak_flop_per_s, seconds):
    """Model FLOPs utilisation: model FLOPs done over what the GPUs could do at peak.

    Parameters
    ----------
    model_flop : float or array
        Model FLOPs of the work done in ``seconds`` (no recomputation) [FLOP].
    n_gpus : float or array
        Accelerators [GPU].
    peak_flop_per_s : float or array
        Peak dense throughput of one accelerator in the training dtype
        [FLOP/s/GPU] (A100 bf16: 312e12).
    seconds : float or array
        Wall-clock time [s]; a Quantity in hours or days is converted.

    Returns
    -------
    float or array
        Utilisation, 0..1 [dimensionless].

    Notes
    -----
    .. math:: \\mathrm{MFU} = \\frac{C_{model}}{n \\; P_{peak} \\; t}

    References
    ----------
    chowdhery2022 (sec. 4.1, appendix B), korthikanti2022 (sec. 6.3).
    """
    return model_flop / (n_gpus * peak_flop_per_s * seconds)


@unit_aware(inputs={"hardware_flop": "FLOP", **_UTIL_INPUTS}, output="dimensionless",
            positive=("n_gpus", "peak_flop_per_s", "seconds"))
def hfu(hardware_flop, n_gpus, peak_flop_per_s, seconds):
    """Hardware FLOPs utilisation: like :func:`mfu` but counting recomputation.

    Parameters
    ----------
    hardware_flop : float or array
        FLOPs executed, recomputation included (see :func:`hardware_flop`) [FLOP].
    n_gpus : float or array
        Accelerators [GPU].
    peak_flop_per_s : float or array
        Peak throughput per accelerator [FLOP/s/GPU].
    seconds : float or array
        Wall-clock time [s].

    Returns
    -------
    float or array
        Utilisation [dimensionless]; HFU >= MFU for the same run.

    Notes
    -----
    .. math:: \\mathrm{HFU} = \\frac{C_{hardware}}{n \\; P_{peak} \\; t}

    References
    ----------
    chowdhery2022 (appendix B), korthikanti2022 (sec. 6.3, Table 5).
    """
    return hardware_flop / (n_gpus * peak_flop_per_s * seconds)


@unit_aware(inputs={"training_flop": "FLOP", **_UTIL_INPUTS}, output="dimensionless",
            positive=("n_gpus", "peak_flop_per_s", "seconds"))
def implied_mfu(training_flop, n_gpus, peak_flop_per_s, seconds):
    """The MFU a claimed run implies: same equation as :func:`mfu`.

    Parameters
    ----------
    training_flop : float or array
        Claimed training compute [FLOP].
    n_gpus : float or array
        Claimed accelerators [GPU].
    peak_flop_per_s : float or array
        Peak throughput per accelerator [FLOP/s/GPU].
    seconds : float or array
        Claimed duration [s].

    Returns
    -------
    float or array
        Implied utilisation [dimensionless]; above 1 means the claims cannot
        all hold.

    Notes
    -----
    .. math:: \\mathrm{MFU} = \\frac{C}{n \\; P_{peak} \\; t}

    References
    ----------
    chowdhery2022 (appendix B).
    """
    return training_flop / (n_gpus * peak_flop_per_s * seconds)


@unit_aware(inputs={"training_flop": "FLOP", "n_gpus": "GPU", "peak_flop_per_s": "FLOP/s/GPU",
                    "mfu": "dimensionless"},
            output="second", positive=("n_gpus", "peak_flop_per_s", "mfu"))
def implied_seconds(training_flop, n_gpus, peak_flop_per_s, mfu):
    """Wall-clock time a run of given compute takes at a given utilisation.

    Parameters
    ----------
    training_flop : float or array
        Training compute [FLOP].
    n_gpus : float or array
        Accelerators [GPU].
    peak_flop_per_s : float or array
        Peak throughput per accelerator [FLOP/s/GPU].
    mfu : float or array
        Utilisation, 0..1 [dimensionless].

    Returns
    -------
    float or array
        Duration [s] (a Quantity when any input was one: ``.to("day")``).

    Notes
    -----
    .. math:: t = \\frac{C}{n \\; P_{peak} \\; \\mathrm{MFU}}

    With ``mfu`` = X / P_peak this is Narayanan et al. 2021 eq. (4),
    t = 8TP / (nX), when C = 8TP.

    References
    ----------
    narayanan2021 (sec. 5.1, eq. 4), chowdhery2022 (appendix B).
    """
    return training_flop / (n_gpus * peak_flop_per_s * mfu)


@unit_aware(inputs={**_UTIL_INPUTS, "mfu": "dimensionless"}, output="FLOP")
def delivered_flop(n_gpus, peak_flop_per_s, seconds, mfu):
    """Model FLOPs a cluster delivers: GPUs at a utilisation of their peak for a time (the inverse of :func:`mfu`).

    Parameters
    ----------
    n_gpus : float or array
        Accelerators [GPU].
    peak_flop_per_s : float or array
        Peak throughput per accelerator [FLOP/s/GPU] (A100 bf16: 312e12).
    seconds : float or array
        Wall-clock time [s].
    mfu : float or array
        Model FLOPs utilisation, 0..1 [dimensionless].

    Returns
    -------
    float or array
        Model FLOPs [FLOP]. The leak's 25,000 A100s for 95 days at 34 % give 2.18e25.

    Notes
    -----
    .. math:: C = n \\; P_{peak} \\; t \\; \\mathrm{MFU}

    References
    ----------
    chowdhery2022 (appendix B), narayanan2021 (sec. 5.1).
    """
    return n_gpus * peak_flop_per_s * seconds * mfu


@unit_aware(inputs={"training_flop": "FLOP", "peak_flop_per_s": "FLOP/s/GPU", "mfu": "dimensionless",
                    "seconds": "second"},
            output="GPU", positive=("peak_flop_per_s", "mfu", "seconds"))
def implied_gpus(training_flop, peak_flop_per_s, mfu, seconds):
    """Accelerators needed to do a run's compute in a given time at a given utilisation.

    Parameters
    ----------
    training_flop : float or array
        Training compute [FLOP].
    peak_flop_per_s : float or array
        Peak throughput per accelerator [FLOP/s/GPU].
    mfu : float or array
        Utilisation, 0..1 [dimensionless].
    seconds : float or array
        Duration [s].

    Returns
    -------
    float or array
        Accelerators [GPU] (not rounded).

    Notes
    -----
    .. math:: n = \\frac{C}{P_{peak} \\; \\mathrm{MFU} \\; t}

    References
    ----------
    chowdhery2022 (appendix B).
    """
    return training_flop / (peak_flop_per_s * mfu * seconds)


@unit_aware(inputs={"tokens": "token", "n_gpus": "GPU", "seconds": "second"},
            output="token/GPU/s", positive=("n_gpus", "seconds"))
def tokens_per_gpu_second(tokens, n_gpus, seconds):
    """Training throughput per accelerator.

    Parameters
    ----------
    tokens : float or array
        Tokens processed [token].
    n_gpus : float or array
        Accelerators [GPU].
    seconds : float or array
        Wall-clock time [s].

    Returns
    -------
    float or array
        Throughput [token/GPU/s]. Times the model FLOPs per token and divided
        by the peak, it is the MFU.

    Notes
    -----
    .. math:: \\tau = \\frac{D}{n \\; t}

    References
    ----------
    chowdhery2022 (sec. 4.1: 238.3K tokens/s on 6144 TPU v4 chips).
    """
    return tokens / (n_gpus * seconds)
