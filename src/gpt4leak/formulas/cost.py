"""Cost of GPU time: GPU-hours, run cost, cost per token, and the quantities they imply.

Pure functions on floats or numpy arrays (broadcast elementwise), wrapped by
:func:`~gpt4leak.formulas._boundary.unit_aware` so pint Quantities work too;
``fn.bare`` is the unit-free kernel.

Units of plain-number arguments: GPU counts in [GPU], durations in [second],
money in [USD], throughput in [token/s], FLOP counts in [FLOP], peak rates in
[FLOP/s/GPU]. **Prices are the one exception to base units**: a parameter
named ``price_per_gpu_hour`` is in [USD/GPU/hour], as the name says and as
cloud price lists write it (a Quantity in any price unit is converted).

The arithmetic is bookkeeping, not a model; its one source is the definition
of a GPU-hour (one device for 3600 s). :func:`implied_utilisation` is model
FLOPs utilisation as defined by Chowdhery et al. (2022), PaLM, Appendix B.
"""

from __future__ import annotations

from ._boundary import unit_aware

__all__ = [
    "SECONDS_PER_HOUR",
    "gpu_hours",
    "run_cost",
    "implied_seconds_from_cost",
    "cost_per_token",
    "cost_per_1k_tokens",
    "implied_tokens_per_second",
    "implied_utilisation",
    "gross_margin",
]

SECONDS_PER_HOUR = 3600.0  # definition of the hour; a GPU-hour is one GPU for 3600 s


@unit_aware(inputs={"n_gpus": "GPU", "seconds": "second"}, output="GPU*hour")
def gpu_hours(n_gpus, seconds):
    r"""GPU-hours consumed by ``n_gpus`` devices running for ``seconds``.

    Parameters
    ----------
    n_gpus : float or array_like
        Devices in use [GPU].
    seconds : float or array_like
        Wall-clock duration [second] (a Quantity in days or hours is converted).

    Returns
    -------
    float or ndarray
        GPU-hours [GPU*hour].

    Notes
    -----
    .. math:: H = n \, t / 3600

    References
    ----------
    Definition of the GPU-hour (one device for one hour).
    """
    return n_gpus * seconds / SECONDS_PER_HOUR


@unit_aware(inputs={"n_gpus": "GPU", "seconds": "second", "price_per_gpu_hour": "USD/GPU/hour"},
            output="USD")
def run_cost(n_gpus, seconds, price_per_gpu_hour):
    r"""Cost of running ``n_gpus`` devices for ``seconds`` at a price per GPU-hour.

    Parameters
    ----------
    n_gpus : float or array_like
        Devices in use [GPU].
    seconds : float or array_like
        Wall-clock duration [second].
    price_per_gpu_hour : float or array_like
        Price of one device for one hour [USD/GPU/hour].

    Returns
    -------
    float or ndarray
        Cost [USD].

    Notes
    -----
    .. math:: \mathrm{cost} = n \, (t / 3600) \, p

    Linear in each argument: twice the GPUs or twice the time costs twice as much.

    References
    ----------
    Definition of the GPU-hour.
    """
    return n_gpus * seconds / SECONDS_PER_HOUR * price_per_gpu_hour


@unit_aware(inputs={"cost": "USD", "n_gpus": "GPU", "price_per_gpu_hour": "USD/GPU/hour"},
            output="second", positive=("n_gpus", "price_per_gpu_hour"))
def implied_seconds_from_cost(cost, n_gpus, price_per_gpu_hour):
    r"""Wall-clock time that a total ``cost`` buys on ``n_gpus`` devices (inverse of :func:`run_cost`).

    Parameters
    ----------
    cost : float or array_like
        Total cost [USD].
    n_gpus : float or array_like
        Devices in use [GPU], positive.
    price_per_gpu_hour : float or array_like
        Price of one device for one hour [USD/GPU/hour], positive.

    Returns
    -------
    float or ndarray
        Duration [second].

    Notes
    -----
    .. math:: t = 3600 \, \mathrm{cost} / (n \, p)

    References
    ----------
    Definition of the GPU-hour.
    """
    return cost * SECONDS_PER_HOUR / (n_gpus * price_per_gpu_hour)


@unit_aware(inputs={"n_gpus": "GPU", "price_per_gpu_hour": "USD/GPU/hour", "tokens_per_second": "token/s"},
            output="USD/token", positive=("tokens_per_second",))
def cost_per_token(n_gpus, price_per_gpu_hour, tokens_per_second):
    r"""Cost of one generated (or processed) token on a cluster.

    Parameters
    ----------
    n_gpus : float or array_like
        Devices serving [GPU].
    price_per_gpu_hour : float or array_like
        Price of one device for one hour [USD/GPU/hour].
    tokens_per_second : float or array_like
        Tokens the whole cluster produces per second [token/s], positive.

    Returns
    -------
    float or ndarray
        Cost [USD/token].

    Notes
    -----
    .. math:: c_{tok} = \frac{n \, p / 3600}{R}

    The cluster costs :math:`n p / 3600` dollars per second and turns out
    :math:`R` tokens per second. Idle time and utilisation below 100% are the
    caller's to fold into :math:`R`.

    References
    ----------
    Definition of the GPU-hour.
    """
    return n_gpus * price_per_gpu_hour / SECONDS_PER_HOUR / tokens_per_second


@unit_aware(inputs={"n_gpus": "GPU", "price_per_gpu_hour": "USD/GPU/hour", "tokens_per_second": "token/s"},
            output="USD/kilotoken", positive=("tokens_per_second",))
def cost_per_1k_tokens(n_gpus, price_per_gpu_hour, tokens_per_second):
    r"""Cost of 1000 tokens on a cluster, the unit API price lists use [USD/kilotoken].

    Same arguments as :func:`cost_per_token`; the result is 1000 times it.

    Notes
    -----
    .. math:: c_{1k} = 1000 \, \frac{n \, p / 3600}{R}

    References
    ----------
    Definition of the GPU-hour.
    """
    return 1000.0 * n_gpus * price_per_gpu_hour / SECONDS_PER_HOUR / tokens_per_second  # 1000 tokens per kilotoken


@unit_aware(inputs={"cost_per_token": "USD/token", "n_gpus": "GPU", "price_per_gpu_hour": "USD/GPU/hour"},
            output="token/s", positive=("cost_per_token",))
def implied_tokens_per_second(cost_per_token, n_gpus, price_per_gpu_hour):
    r"""Cluster throughput that a stated cost per token implies (inverse of :func:`cost_per_token`).

    Parameters
    ----------
    cost_per_token : float or array_like
        Cost of one token [USD/token], positive (a Quantity "0.0049 USD/kilotoken" is converted).
    n_gpus : float or array_like
        Devices serving [GPU].
    price_per_gpu_hour : float or array_like
        Price of one device for one hour [USD/GPU/hour].

    Returns
    -------
    float or ndarray
        Throughput of the whole cluster [token/s].

    Notes
    -----
    .. math:: R = \frac{n \, p / 3600}{c_{tok}}

    References
    ----------
    Definition of the GPU-hour.
    """
    return n_gpus * price_per_gpu_hour / SECONDS_PER_HOUR / cost_per_token


@unit_aware(inputs={"tokens_per_second": "token/s", "flop_per_token": "FLOP", "n_gpus": "GPU",
                    "peak_flop_per_s": "FLOP/s/GPU"},
            output="dimensionless", positive=("n_gpus", "peak_flop_per_s"))
def implied_utilisation(tokens_per_second, flop_per_token, n_gpus, peak_flop_per_s):
    r"""Model FLOPs utilisation that a throughput implies: achieved FLOP/s over the cluster's peak.

    Parameters
    ----------
    tokens_per_second : float or array_like
        Tokens the cluster processes per second [token/s].
    flop_per_token : float or array_like
        Model FLOPs per token [FLOP] (for training, the forward + backward
        FLOPs per token, about 6N; for decoding, the forward FLOPs, about 2N).
    n_gpus : float or array_like
        Devices [GPU], positive.
    peak_flop_per_s : float or array_like
        Peak dense rate of one device [FLOP/s/GPU], positive (see
        :func:`gpt4leak.hardware.peak_flop_per_s`).

    Returns
    -------
    float or ndarray
        Utilisation [dimensionless]; a value above 1 means the claimed
        throughput is impossible on that hardware.

    Notes
    -----
    .. math:: \mathrm{MFU} = \frac{R \, F_{tok}}{n \, P_{peak}}

    References
    ----------
    Chowdhery et al. (2022), "PaLM: Scaling Language Modeling with Pathways",
    Appendix B (model FLOPs utilisation).
    """
    return tokens_per_second * flop_per_token / (n_gpus * peak_flop_per_s)



@unit_aware(inputs={"cost_per_token": "USD/token", "price_per_token": "USD/token"}, output="dimensionless",
            positive=("price_per_token",))
def gross_margin(cost_per_token, price_per_token):
    r"""Share of the price left after the cost of serving the token (the gross margin).

    Parameters
    ----------
    cost_per_token : float or array_like
        What serving one token costs [USD/token].
    price_per_token : float or array_like
        What a customer pays for it, the list price [USD/token], positive.

    Returns
    -------
    float or ndarray
        Gross margin [dimensionless]: 1 at no cost, 0 at cost, negative below cost.

    Notes
    -----
    .. math:: m = \frac{p - c}{p} = 1 - \frac{c}{p}

    References
    ----------
    horngren2015 (ch. 2: gross margin = revenue less the cost of goods sold, over revenue).
    """
    return 1.0 - cost_per_token / price_per_token
