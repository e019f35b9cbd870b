r"""Inference: roofline time of a decode step, throughput at a batch, pipeline latency,
speculative decoding, and how many sequences fit in memory.

Pure functions on floats or numpy arrays (broadcast elementwise), wrapped by
:func:`~gpt4leak.formulas._boundary.unit_aware`; ``fn.bare`` is the unit-free
kernel (no checks).

Units of plain-number arguments: bytes [byte], FLOP counts [FLOP], device
counts [GPU], per-device rates [byte/s/GPU] and [FLOP/s/GPU] (what
:func:`gpt4leak.hardware.memory_bandwidth` and
:func:`gpt4leak.hardware.peak_flop_per_s` return), times [second].

The roofline (Williams, Waterman & Patterson 2009) says a step can be no faster
than the time to move its bytes through memory nor the time to do its FLOPs on
the arithmetic units; applied to transformer decoding by Pope et al. (2022),
"Efficiently Scaling Transformer Inference", sections 2 and 3: at small batch
every step re-reads all weights and the KV cache, so decoding is memory-bound;
the FLOPs grow with the batch while the weight reads do not, so a large enough
batch becomes compute-bound. The roofline is a lower bound on time: it ignores
communication between devices, kernel launch overheads and imperfect overlap.
"""

from __future__ import annotations

import numpy as np

from ._boundary import unit_aware

__all__ = [
    "decode_step_seconds",
    "decode_bound",
    "decode_tokens_per_second",
    "ridge_point",
    "pipeline_token_latency",
    "speculative_expected_tokens",
    "speculative_speedup",
    "speculative_operations_factor",
    "max_batch_for_memory",
]

_STEP_INPUTS = {"weight_bytes_read": "byte", "kv_bytes_read": "byte", "flop": "FLOP", "n_gpus": "GPU",
                "hbm_bandwidth": "byte/s/GPU", "peak_flop_per_s": "FLOP/s/GPU"}
_STEP_POSITIVE = ("n_gpus", "hbm_bandwidth", "peak_flop_per_s")


def _memory_and_compute_seconds(weight_bytes_read, kv_bytes_read, flop, n_gpus, hbm_bandwidth, peak_flop_per_s):
    memory = (weight_bytes_read + kv_bytes_read) / (n_gpus * hbm_bandwidth)  # bytes / (byte/s)
    compute = flop / (n_gpus * peak_flop_per_s)  # FLOP / (FLOP/s)
    return memory, compute


@unit_aware(inputs=_STEP_INPUTS, output="second", positive=_STEP_POSITIVE)
def decode_step_seconds(weight_bytes_read, kv_bytes_read, flop, n_gpus, hbm_bandwidth, peak_flop_per_s):
    r"""Roofline lower bound on the time of one decode step of a model spread over ``n_gpus`` devices.

    Parameters
    ----------
    weight_bytes_read : float or array_like
        Bytes of weights read in the step, summed over devices [byte]
        (all weights a token touches; each is read once per step whatever the batch).
    kv_bytes_read : float or array_like
        Bytes of KV cache read in the step, summed over the batch [byte].
    flop : float or array_like
        FLOPs of the step, summed over the batch [FLOP].
    n_gpus : float or array_like
        Devices sharing the step [GPU], positive.
    hbm_bandwidth : float or array_like
        Memory bandwidth of one device [byte/s/GPU], positive.
    peak_flop_per_s : float or array_like
        Peak dense rate of one device [FLOP/s/GPU], positive.

    Returns
    -------
    float or ndarray
        Step time [second].

    Notes
    -----
    .. math:: t_{step} = \max\left(\frac{W + K}{n \, B_{HBM}},\; \frac{F}{n \, P_{peak}}\right)

    The work is assumed to be split evenly over the devices and all of them
    busy (tensor parallelism, or a pipeline with enough micro-batches in
    flight). Communication is ignored, so the bound is optimistic.

    References
    ----------
    Williams, Waterman & Patterson (2009), "Roofline: an insightful visual
    performance model for multicore architectures", CACM 52(4).
    Pope et al. (2022), "Efficiently Scaling Transformer Inference", sections 2 and 3.
    """
    memory, compute = _memory_and_compute_seconds(weight_bytes_read, kv_bytes_read, flop, n_gpus,
                                                  hbm_bandwidth, peak_flop_per_s)
    return np.maximum(memory, compute)


@unit_aware(inputs=_STEP_INPUTS, output=None, positive=_STEP_POSITIVE)
def decode_bound(weight_bytes_read, kv_bytes_read, flop, n_gpus, hbm_bandwidth, peak_flop_per_s):
    r"""Which roof limits a decode step: ``"memory"`` or ``"compute"`` (same arguments as :func:`decode_step_seconds`).

    Returns
    -------
    str or ndarray of str
        ``"memory"`` when moving the bytes takes at least as long as doing the
        FLOPs, else ``"compute"``.

    Notes
    -----
    Memory-bound when :math:`(W + K) / B_{HBM} \ge F / P_{peak}`, that is when
    the step's arithmetic intensity :math:`F / (W + K)` is below the ridge
    point :math:`P_{peak} / B_{HBM}` (see :func:`ridge_point`).

    References
    ----------
    Williams, Waterman & Patterson (2009); Pope et al. (2022), section 2.
    """
    memory, compute = _memory_and_compute_seconds(weight_bytes_read, kv_bytes_read, flop, n_gpus,
                                                  hbm_bandwidth, peak_flop_per_s)
    result = np.where(np.asarray(memory) >= np.asarray(compute), "memory", "compute")
    return str(result) if result.ndim == 0 else result


@unit_aware(inputs={"hbm_bandwidth": "byte/s/GPU", "peak_flop_per_s": "FLOP/s/GPU"}, output="FLOP/byte",
            positive=("hbm_bandwidth", "peak_flop_per_s"))
def ridge_point(hbm_bandwidth, peak_flop_per_s):
    r"""Arithmetic intensity at which a device turns from memory-bound to compute-bound [FLOP/byte].

    Parameters
    ----------
    hbm_bandwidth : float or array_like
        Memory bandwidth of one device [byte/s/GPU], positive.
    peak_flop_per_s : float or array_like
        Peak dense rate of one device [FLOP/s/GPU], positive.

    Notes
    -----
    .. math:: I^{*} = P_{peak} / B_{HBM}

    For a decoder reading 2-byte weights and doing 2 FLOPs per weight per
    sequence, the step turns compute-bound near a batch of :math:`I^{*}`
    sequences (KV reads push it higher).

    References
    ----------
    Williams, Waterman & Patterson (2009), the ridge point of the roofline.
    """
    return peak_flop_per_s / hbm_bandwidth


@unit_aware(inputs={"batch": "dimensionless", "weight_bytes_read": "byte", "kv_bytes_per_sequence": "byte",
                    "flop_per_token": "FLOP", "n_gpus": "GPU", "hbm_bandwidth": "byte/s/GPU",
                    "peak_flop_per_s": "FLOP/s/GPU"},
            output="token/s", positive=("batch",) + _STEP_POSITIVE)
def decode_tokens_per_second(batch, weight_bytes_read, kv_bytes_per_sequence, flop_per_token, n_gpus,
                             hbm_bandwidth, peak_flop_per_s):
    r"""Roofline upper bound on a cluster's decode throughput at batch ``batch``.

    Parameters
    ----------
    batch : float or array_like
        Sequences decoded together, one token each per step [sequence], positive.
    weight_bytes_read : float or array_like
        Bytes of weights read per step [byte] (shared by the whole batch).
    kv_bytes_per_sequence : float or array_like
        KV-cache bytes read per sequence per step [byte] (grows with its context).
    flop_per_token : float or array_like
        Forward FLOPs for one token [FLOP] (about 2N plus attention).
    n_gpus : float or array_like
        Devices serving [GPU], positive.
    hbm_bandwidth : float or array_like
        Memory bandwidth of one device [byte/s/GPU], positive.
    peak_flop_per_s : float or array_like
        Peak dense rate of one device [FLOP/s/GPU], positive.

    Returns
    -------
    float or ndarray
        Tokens per second of the whole cluster [token/s].

    Notes
    -----
    .. math:: R(b) = \frac{b}{t_{step}(W,\; b K_{seq},\; b F_{tok})}

    with :math:`t_{step}` from :func:`decode_step_seconds`. Throughput rises
    almost linearly with the batch while the weight reads dominate and
    flattens at :math:`n P_{peak} / F_{tok}` once compute-bound.

    References
    ----------
    Pope et al. (2022), "Efficiently Scaling Transformer Inference", sections 2 and 3.
    """
    memory, compute = _memory_and_compute_seconds(weight_bytes_read, batch * kv_bytes_per_sequence,
                                                  batch * flop_per_token, n_gpus, hbm_bandwidth, peak_flop_per_s)
    return batch / np.maximum(memory, compute)


@unit_aware(inputs={"stage_seconds": "second", "pp": "dimensionless", "transfer_seconds": "second"},
            output="second", positive=("pp",))
def pipeline_token_latency(stage_seconds, pp, transfer_seconds=0.0):
    r"""Latency of one token through a pipeline of ``pp`` stages.

    Parameters
    ----------
    stage_seconds : float or array_like
        Time one stage takes for its layers [second].
    pp : float or array_like
        Pipeline stages, positive (a whole number).
    transfer_seconds : float or array_like, optional
        Time to pass activations from one stage to the next [second], default 0.

    Returns
    -------
    float or ndarray
        Latency [second].

    Notes
    -----
    .. math:: t_{token} = p \, t_{stage} + (p - 1) \, t_{transfer}

    Stages run one after the other for a given token: pipelining raises
    throughput (other micro-batches fill the other stages) but not the latency
    of one token.

    References
    ----------
    Narayanan et al. (2021), "Efficient Large-Scale Language Model Training on
    GPU Clusters Using Megatron-LM", section 2.2 (pipeline model parallelism).
    """
    return pp * stage_seconds + (pp - 1) * transfer_seconds


def _check_probability(alpha, name):
    a = np.asarray(alpha)
    if a.size and np.any(a > 1):
        raise ValueError(f"{name}: the acceptance rate alpha must lie in [0, 1], got a value above 1")


def _check_whole(x, name):
    a = np.asarray(x)
    if a.size and np.any(a != np.floor(a)):
        raise ValueError(f"{name}: must be a whole number of tokens")


def _speculative_expected_tokens(alpha, gamma):
    a = np.asarray(alpha, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        general = (1.0 - a ** (gamma + 1)) / (1.0 - a)  # Leviathan et al. (2023), eq. 1
    result = np.where(a == 1.0, np.asarray(gamma, dtype=float) + 1.0, general)  # limit alpha -> 1: gamma + 1
    return result if result.ndim else float(result)


@unit_aware(inputs={"alpha": "dimensionless", "gamma": "dimensionless"}, output="dimensionless")
def speculative_expected_tokens(alpha, gamma):
    r"""Expected tokens produced per target-model run in speculative decoding.

    Parameters
    ----------
    alpha : float or array_like
        Expected acceptance rate of the draft model's guesses, in [0, 1].
    gamma : int or array_like
        Tokens the draft model guesses per run (a whole number, 0 means no speculation).

    Returns
    -------
    float or ndarray
        Expected tokens per run, between 1 and :math:`\gamma + 1`.

    Notes
    -----
    .. math:: E[\#\mathrm{tokens}] = \frac{1 - \alpha^{\gamma + 1}}{1 - \alpha}

    (a capped geometric variable, assuming i.i.d. acceptances); at
    :math:`\alpha = 1` the limit :math:`\gamma + 1` is returned.

    References
    ----------
    Leviathan, Kalman & Matias (2023), "Fast Inference from Transformers via
    Speculative Decoding", ICML, section 3.1, equation (1).
    """
    _check_probability(alpha, "speculative_expected_tokens(alpha=...)")
    _check_whole(gamma, "speculative_expected_tokens(gamma=...)")
    return _speculative_expected_tokens(alpha, gamma)


speculative_expected_tokens.bare = _speculative_expected_tokens


def _speculative_speedup(alpha, gamma, cost_ratio):
    return _speculative_expected_tokens(alpha, gamma) / (gamma * cost_ratio + 1.0)  # Theorem 3.8


@unit_aware(inputs={"alpha": "dimensionless", "gamma": "dimensionless", "cost_ratio": "dimensionless"},
            output="dimensionless")
def speculative_speedup(alpha, gamma, cost_ratio):
    r"""Expected walltime speed-up of speculative decoding over standard decoding.

    Parameters
    ----------
    alpha : float or array_like
        Expected acceptance rate, in [0, 1].
    gamma : int or array_like
        Draft tokens per run (a whole number).
    cost_ratio : float or array_like
        :math:`c`, the time of one draft-model run over one target-model run
        (Definition 3.7; below 0.05 in the paper's experiments).

    Returns
    -------
    float or ndarray
        Improvement factor in total walltime (1 = no gain).

    Notes
    -----
    .. math:: S = \frac{1 - \alpha^{\gamma + 1}}{(1 - \alpha)(\gamma c + 1)}

    Assumes enough spare compute to run :math:`\gamma + 1` target evaluations
    in parallel at the cost of one, and long generations.

    References
    ----------
    Leviathan, Kalman & Matias (2023), "Fast Inference from Transformers via
    Speculative Decoding", ICML, section 3.3, Theorem 3.8.
    """
    _check_probability(alpha, "speculative_speedup(alpha=...)")
    _check_whole(gamma, "speculative_speedup(gamma=...)")
    return _speculative_speedup(alpha, gamma, cost_ratio)


speculative_speedup.bare = _speculative_speedup


def _speculative_operations_factor(alpha, gamma, op_ratio):
    return (gamma * op_ratio + gamma + 1.0) / _speculative_expected_tokens(alpha, gamma)  # Theorem 3.11


@unit_aware(inputs={"alpha": "dimensionless", "gamma": "dimensionless", "op_ratio": "dimensionless"},
            output="dimensionless")
def speculative_operations_factor(alpha, gamma, op_ratio=0.0):
    r"""Expected factor by which speculative decoding increases the total arithmetic operations.

    Parameters
    ----------
    alpha : float or array_like
        Expected acceptance rate, in [0, 1].
    gamma : int or array_like
        Draft tokens per run (a whole number).
    op_ratio : float or array_like, optional
        :math:`\hat c`, arithmetic operations per token of the draft model over
        those of the target model (Definition 3.10), default 0.

    Notes
    -----
    .. math:: \frac{(1 - \alpha)(\gamma \hat c + \gamma + 1)}{1 - \alpha^{\gamma + 1}}

    References
    ----------
    Leviathan, Kalman & Matias (2023), section 3.4, Theorem 3.11.
    """
    _check_probability(alpha, "speculative_operations_factor(alpha=...)")
    _check_whole(gamma, "speculative_operations_factor(gamma=...)")
    return _speculative_operations_factor(alpha, gamma, op_ratio)


speculative_operations_factor.bare = _speculative_operations_factor


def _max_batch_for_memory(free_bytes, kv_bytes_per_sequence):
    fits = np.floor(np.maximum(free_bytes, 0.0) / kv_bytes_per_sequence)  # whole sequences only
    return fits.astype(np.int64) if isinstance(fits, np.ndarray) else int(fits)


@unit_aware(inputs={"free_bytes": "byte", "kv_bytes_per_sequence": "byte"}, output="dimensionless",
            allow_negative=("free_bytes",), positive=("kv_bytes_per_sequence",))
def max_batch_for_memory(free_bytes, kv_bytes_per_sequence):
    r"""How many sequences' KV caches fit in the memory left after the weights.

    Parameters
    ----------
    free_bytes : float or array_like
        Memory left for KV caches [byte] (HBM of the devices minus weights and
        activations); may be negative when the weights alone do not fit.
    kv_bytes_per_sequence : float or array_like
        KV-cache bytes of one sequence at its full context [byte], positive.

    Returns
    -------
    int or ndarray of int
        Whole sequences that fit: :math:`\lfloor \max(M_{free}, 0) / K_{seq} \rfloor`;
        0 when nothing fits.

    References
    ----------
    Pope et al. (2022), "Efficiently Scaling Transformer Inference", section 2
    (the KV cache grows with batch and context and must fit beside the weights).
    """
    return _max_batch_for_memory(free_bytes, kv_bytes_per_sequence)


max_batch_for_memory.bare = _max_batch_for_memory
