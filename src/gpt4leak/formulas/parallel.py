"""Parallel layouts: how many GPUs, what each holds, and the pipeline bubble.

Degrees are counts [dimensionless]; GPU counts are in [GPU]. Every public
formula takes floats / numpy arrays or pint Quantities (``_boundary.unit_aware``)
and keeps its bare kernel as ``fn.bare``. Degrees derived from claims (for
example 25,000 GPUs over 8-way tensor and 15-way pipeline parallelism) need not
be whole numbers: they are returned as floats so that a check can report *how
far* from whole they are; :func:`is_whole` tests them.
"""

from __future__ import annotations

import numpy as np

from ._boundary import unit_aware

__all__ = [
    "world_size",
    "data_parallel_degree",
    "is_whole",
    "layers_per_stage",
    "params_per_gpu",
    "pipeline_bubble",
    "max_interleave",
    "micro_batches",
    "sequences_per_batch",
    "whole_ranks",
]


@unit_aware(inputs={"tp": "dimensionless", "pp": "dimensionless", "dp": "dimensionless",
                    "ep": "dimensionless"},
            output="GPU", positive=("tp", "pp", "dp", "ep"))
def world_size(tp, pp, dp=1, ep=1):
    """GPUs in a 3D-parallel layout.

    Parameters
    ----------
    tp, pp, dp : float or array
        Tensor-, pipeline- and data-parallel degrees [dimensionless].
    ep : float or array
        Expert-parallel degree. Experts are spread over ``ep`` of the ``dp``
        data-parallel ranks (GShard, DeepSpeed-MoE, Megatron-Core), so ``ep``
        does not multiply the GPU count; it must not exceed ``dp``
        [dimensionless].

    Returns
    -------
    float or array
        GPUs [GPU].

    Notes
    -----
    .. math:: n = t \\, p \\, d

    References
    ----------
    narayanan2021 (sec. 3: n = t p d), lepikhin2021 (experts over data-parallel devices).
    """
    if np.any((np.asarray(ep) > np.asarray(dp)) & (np.asarray(dp) >= 1)):  # fractional dp: a search, not a layout
        raise ValueError("world_size(ep=...): expert parallelism is carved out of data parallelism, "
                         "so ep cannot exceed dp")
    return tp * pp * dp  # narayanan2021 sec. 3: n = p t d


@unit_aware(inputs={"n_gpus": "GPU", "tp": "dimensionless", "pp": "dimensionless"},
            output="dimensionless", positive=("n_gpus", "tp", "pp"))
def data_parallel_degree(n_gpus, tp, pp):
    """Data-parallel degree a GPU count implies: n / (t p), not rounded.

    Parameters
    ----------
    n_gpus : float or array
        GPUs [GPU].
    tp, pp : float or array
        Tensor- and pipeline-parallel degrees [dimensionless].

    Returns
    -------
    float or array
        d [dimensionless]; a layout exists only if it is whole (:func:`is_whole`).

    Notes
    -----
    .. math:: d = \\frac{n}{t \\, p}

    References
    ----------
    narayanan2021 (sec. 3).
    """
    return n_gpus / (tp * pp)  # narayanan2021 sec. 3: n = p t d


def is_whole(x, rel_tol: float = 1e-9):
    """True where ``x`` is a whole number (within ``rel_tol`` of the nearest integer).

    A helper, not a formula: use it on degrees from :func:`data_parallel_degree`,
    :func:`layers_per_stage` or :func:`micro_batches`. Quantities must be
    dimensionless.
    """
    if hasattr(x, "to") and hasattr(x, "magnitude"):
        x = x.to("dimensionless").magnitude
    a = np.asarray(x, dtype=float)
    out = np.abs(a - np.round(a)) <= rel_tol * np.maximum(1.0, np.abs(a))
    return bool(out) if out.ndim == 0 else out


@unit_aware(inputs={"n_layers": "dimensionless", "pp": "dimensionless"}, output="dimensionless",
            positive=("n_layers", "pp"))
def layers_per_stage(n_layers, pp):
    """Transformer layers on each pipeline stage, L / p (not rounded).

    Parameters
    ----------
    n_layers : float or array
        Layers [dimensionless].
    pp : float or array
        Pipeline stages [dimensionless].

    Returns
    -------
    float or array
        Layers per stage [dimensionless]; an even split needs it whole.

    Notes
    -----
    .. math:: L_{stage} = L / p

    References
    ----------
    narayanan2021 (sec. 2.2: each stage holds an equal share of the layers).
    """
    return n_layers / pp


@unit_aware(inputs={"params": "parameter", "tp": "dimensionless", "pp": "dimensionless"},
            output="parameter", positive=("params", "tp", "pp"))
def params_per_gpu(params, tp, pp):
    """Parameters each GPU holds under tensor and pipeline parallelism.

    Parameters
    ----------
    params : float or array
        Parameters of the model [parameter].
    tp, pp : float or array
        Tensor- and pipeline-parallel degrees [dimensionless].

    Returns
    -------
    float or array
        Parameters per GPU [parameter] (embeddings assumed split like the rest).

    Notes
    -----
    .. math:: \\Psi_{gpu} = \\Psi / (t \\, p)

    References
    ----------
    narayanan2021 (sec. 2.2-2.3), rajbhandari2020 (sec. 5, before ZeRO).
    """
    return params / (tp * pp)


@unit_aware(inputs={"pp": "dimensionless", "micro_batches": "dimensionless",
                    "interleave": "dimensionless"},
            output="dimensionless", positive=("pp", "micro_batches", "interleave"))
def pipeline_bubble(pp, micro_batches, interleave=1):
    """Share of a training step the pipeline stages sit idle (the bubble).

    Parameters
    ----------
    pp : float or array
        Pipeline stages p [dimensionless].
    micro_batches : float or array
        Micro-batches per step m [dimensionless].
    interleave : float or array
        Virtual stages per GPU v (Megatron interleaved schedule); 1 = GPipe /
        plain 1F1B [dimensionless].

    Returns
    -------
    float or array
        Idle share of the step, in [0, 1) [dimensionless].

    Notes
    -----
    Narayanan et al. give the bubble relative to the ideal time,
    :math:`t_{pb}/t_{id} = (p - 1)/(v m)`; as a share of the whole step
    :math:`t_{pb}/(t_{id} + t_{pb})`:

    .. math:: \\beta = \\frac{p - 1}{v m + p - 1}

    which for v = 1 is GPipe's (p - 1)/(m + p - 1).

    References
    ----------
    narayanan2021 (sec. 2.2.1 and 2.2.2), huang2019 (sec. 2.3).
    """
    return (pp - 1.0) / (interleave * micro_batches + pp - 1.0)  # narayanan2021 sec. 2.2.1-2.2.2


@unit_aware(inputs={"n_layers": "dimensionless", "pp": "dimensionless"}, output="dimensionless",
            positive=("pp",))
def max_interleave(n_layers, pp):
    """The most virtual stages per GPU the interleaved schedule allows, v = L / p (one layer per virtual stage).

    Parameters
    ----------
    n_layers : float or array
        Transformer layers L; 0 when unknown [dimensionless].
    pp : float or array
        Pipeline stages p [dimensionless].

    Returns
    -------
    float or array
        v_max = max(1, L / p); 1 when L is unknown (no interleaving assumed) [dimensionless].

    References
    ----------
    narayanan2021 (sec. 2.2.2: each device holds v chunks of L / (p v) layers).
    """
    n_layers = np.asarray(n_layers, dtype=float)
    return np.where(n_layers > 0, np.maximum(1.0, n_layers / pp), 1.0)


@unit_aware(inputs={"global_batch_seqs": "dimensionless", "micro_batch": "dimensionless",
                    "dp": "dimensionless"},
            output="dimensionless", positive=("global_batch_seqs", "micro_batch", "dp"))
def micro_batches(global_batch_seqs, micro_batch, dp):
    """Micro-batches each pipeline processes per step, m = B / (b d).

    Parameters
    ----------
    global_batch_seqs : float or array
        Global batch B [sequence].
    micro_batch : float or array
        Micro-batch size b [sequence].
    dp : float or array
        Data-parallel degree d [dimensionless].

    Returns
    -------
    float or array
        m [dimensionless] (not rounded).

    Notes
    -----
    .. math:: m = \\frac{B}{b \\, d}

    References
    ----------
    narayanan2021 (sec. 3.1: m = B/(b d)).
    """
    return global_batch_seqs / (micro_batch * dp)  # narayanan2021 sec. 3.1


@unit_aware(inputs={"batch_tokens": "token", "seq_len": "token"}, output="dimensionless",
            positive=("batch_tokens", "seq_len"))
def sequences_per_batch(batch_tokens, seq_len):
    """Sequences in a batch given in tokens (for example "60 million tokens" at 8k context).

    Parameters
    ----------
    batch_tokens : float or array
        Global batch [token].
    seq_len : float or array
        Sequence length [token].

    Returns
    -------
    float or array
        Sequences B [sequence] (not rounded).

    Notes
    -----
    .. math:: B = \\frac{\\text{batch tokens}}{s}

    References
    ----------
    narayanan2021 (sec. 5.1: tokens per iteration B s).
    """
    return batch_tokens / seq_len


def whole_ranks(x):
    """Ranks a group can actually have: the whole part of a degree (25,000 GPUs / 120 = 208.3 -> 208 replicas;
    the remainder sits idle). Arrays broadcast."""
    return np.floor(x)


whole_ranks.bare = whole_ranks
