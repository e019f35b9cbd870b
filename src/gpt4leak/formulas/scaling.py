r"""Compute-optimal scaling: the Chinchilla rule of thumb and the parametric loss fits.

Pure functions on floats or numpy arrays (broadcast elementwise), wrapped by
:func:`~gpt4leak.formulas._boundary.unit_aware`; ``fn.bare`` is the unit-free
kernel. Units: parameters [parameter], tokens [token], compute [FLOP].

Two questions, two tools:

* "How many tokens should an N-parameter model see?" -- :func:`chinchilla_tokens`,
  the ~20 tokens-per-parameter rule of Hoffmann et al. (2022), Table 3 (their
  Approach 1; Approach 2 agrees, Table A3).
* "What N and D minimise loss for a compute budget C?" -- :func:`compute_optimal`,
  the closed form of Hoffmann et al. (2022), section 3.3, eq. (4), for the
  parametric loss :math:`L(N, D) = E + A/N^\alpha + B/D^\beta` under
  :math:`C = 6ND`, with the constants of a named fit (:data:`FITS`):

  - ``"hoffmann2022"``: the constants printed in Hoffmann et al. (2022),
    Appendix D.2, eq. (10): E = 1.69, A = 406.4, B = 410.7, alpha = 0.34,
    beta = 0.28.
  - ``"hoffmann2022_unrounded"``: the same fit with the unrounded exponents and
    E of the paper's LaTeX source (E = 1.6934, alpha = 0.3392, beta = 0.2849),
    as quoted by Besiroglu et al. (2024). These reproduce the
    paper's own projection of 40B parameters at the Gopher budget (Figure 4)
    and its Approach-3 exponent a = 0.46 (Table 2); the rounded ones give 32B
    and 0.45.
  - ``"besiroglu2024"``: the refit by Besiroglu, Erdil, Barnett & You (2024),
    "Chinchilla Scaling: A replication attempt", arXiv:2404.10102:
    E = 1.8172, A = 482.01, B = 2085.43, alpha = 0.3478, beta = 0.3658; it
    agrees with Approaches 1 and 2 (about 20 tokens per parameter), where the
    published Approach-3 fit does not.

The fits are only as good as the data they were fitted on (MassiveText, up to
~1e22 FLOP); GPT-4-sized budgets are extrapolations of two or more orders of
magnitude.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._boundary import unit_aware

__all__ = [
    "FLOP_PER_PARAM_TOKEN",
    "CHINCHILLA_TOKENS_PER_PARAM",
    "ScalingLawFit",
    "FITS",
    "compute_optimal_by_ratio",
    "compute_optimal_params_range",
    "PUBLISHED_FITS",
    "get_fit",
    "chinchilla_tokens",
    "compute_optimal",
    "optimal_flop_for_params",
    "chinchilla_loss",
]

FLOP_PER_PARAM_TOKEN = 6.0  # C = 6ND: Kaplan et al. (2020) sec. 2.1; the constraint of Hoffmann et al. (2022) eq. (4)
CHINCHILLA_TOKENS_PER_PARAM = 20.0  # Hoffmann et al. (2022) Table 3 (20.0-22.4 tokens/param); Chinchilla 70B on 1.4T


@dataclass(frozen=True)
class ScalingLawFit:
    r"""Constants of a parametric loss :math:`L(N, D) = E + A/N^\alpha + B/D^\beta`, with their citation."""

    key: str
    E: float
    A: float
    B: float
    alpha: float
    beta: float
    citation: str
    note: str = ""

    def __post_init__(self):
        for name in ("E", "A", "B", "alpha", "beta"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not (v > 0 and v < float("inf")):
                raise ValueError(f"ScalingLawFit {self.key!r}: {name} must be a positive finite number, got {v!r}")

    @property
    def a(self) -> float:
        r"""Exponent of :math:`N_{opt} \propto C^a`: :math:`\beta / (\alpha + \beta)` (Hoffmann eq. 4)."""
        return self.beta / (self.alpha + self.beta)

    @property
    def b(self) -> float:
        r"""Exponent of :math:`D_{opt} \propto C^b`: :math:`\alpha / (\alpha + \beta)` (Hoffmann eq. 4)."""
        return self.alpha / (self.alpha + self.beta)

    @property
    def G(self) -> float:
        r""":math:`G = (\alpha A / (\beta B))^{1/(\alpha+\beta)}` (Hoffmann eq. 4)."""
        return (self.alpha * self.A / (self.beta * self.B)) ** (1.0 / (self.alpha + self.beta))


FITS: dict[str, ScalingLawFit] = {
    fit.key: fit
    for fit in (
        ScalingLawFit(
            key="hoffmann2022",
            E=1.69, A=406.4, B=410.7, alpha=0.34, beta=0.28,  # Hoffmann et al. (2022) App. D.2, eq. (10)
            citation="Hoffmann et al. (2022), 'Training Compute-Optimal Large Language Models', "
                     "arXiv:2203.15556, Appendix D.2, eq. (10)",
            note="Rounded as printed; Besiroglu et al. (2024) show the rounding biases predictions.",
        ),
        ScalingLawFit(
            key="hoffmann2022_unrounded",
            E=1.6934, A=406.4, B=410.7, alpha=0.3392, beta=0.2849,  # LaTeX-source values, per Besiroglu et al. 2024
            citation="Hoffmann et al. (2022), unrounded constants from the arXiv LaTeX source, as quoted by "
                     "Besiroglu et al. (2024), arXiv:2404.10102",
            note="Reproduces Hoffmann Figure 4 (40B at the Gopher budget) and Table 2 (a = 0.46).",
        ),
        ScalingLawFit(
            key="besiroglu2024",
            E=1.8172, A=482.01, B=2085.43, alpha=0.3478, beta=0.3658,  # Besiroglu et al. (2024) refit
            citation="Besiroglu, Erdil, Barnett & You (2024), 'Chinchilla Scaling: A replication attempt', "
                     "arXiv:2404.10102 (refit of Approach 3 on data reconstructed from Hoffmann Figure 4)",
            note="Bootstrap standard errors: E 0.03, A 124.58, B 1293.23, alpha 0.02, beta 0.02.",
        ),
    )
}


def get_fit(method) -> ScalingLawFit:
    """The :class:`ScalingLawFit` for an author-year key (or a fit passed through as is)."""
    if isinstance(method, ScalingLawFit):
        return method
    try:
        return FITS[method]
    except (KeyError, TypeError):
        raise ValueError(f"unknown scaling-law method {method!r}; known: {', '.join(FITS)} "
                         "(or pass a ScalingLawFit)") from None


@unit_aware(inputs={"params": "parameter", "tokens_per_param": "token/parameter"}, output="token")
def chinchilla_tokens(params, tokens_per_param=CHINCHILLA_TOKENS_PER_PARAM):
    r"""Compute-optimal training tokens for a model of ``params`` parameters, by the ~20-tokens rule.

    Parameters
    ----------
    params : float or array_like
        Model parameters [parameter].
    tokens_per_param : float or array_like, optional
        Tokens per parameter [token/parameter], default 20.

    Returns
    -------
    float or ndarray
        Training tokens [token].

    Notes
    -----
    .. math:: D_{opt} \approx 20 \, N

    Hoffmann et al.'s Table 3 (Approach 1) gives 20.0 to 22.4 tokens per
    parameter from 400M to 10T parameters; Chinchilla itself is 70B
    parameters on 1.4T tokens (section 4).

    References
    ----------
    Hoffmann et al. (2022), "Training Compute-Optimal Large Language Models",
    Table 3 and section 4.
    """
    return params * tokens_per_param


def _compute_optimal(flop_budget, method="hoffmann2022"):
    fit = get_fit(method)
    n_opt = fit.G * (flop_budget / FLOP_PER_PARAM_TOKEN) ** fit.a  # Hoffmann eq. (4): N_opt = G (C/6)^a
    d_opt = flop_budget / (FLOP_PER_PARAM_TOKEN * n_opt)  # = G^-1 (C/6)^b, so that 6 N D = C exactly
    return n_opt, d_opt


@unit_aware(inputs={"flop_budget": "FLOP"}, output=("parameter", "token"), positive=("flop_budget",))
def compute_optimal(flop_budget, method="hoffmann2022"):
    r"""Loss-minimising model size and training tokens for a compute budget, by a parametric fit.

    Parameters
    ----------
    flop_budget : float or array_like
        Training compute [FLOP], positive.
    method : str or ScalingLawFit, optional
        ``"hoffmann2022"`` (default), ``"hoffmann2022_unrounded"`` or
        ``"besiroglu2024"`` (see the module docstring), or your own fit.

    Returns
    -------
    (N_opt, D_opt) : tuple of float or ndarray
        Parameters [parameter] and tokens [token], with :math:`6 N D = C`.

    Notes
    -----
    Minimising :math:`L(N, D) = E + A/N^\alpha + B/D^\beta` subject to
    :math:`C = 6ND` gives

    .. math::

        N_{opt} = G \left(\frac{C}{6}\right)^{a},\quad
        D_{opt} = G^{-1} \left(\frac{C}{6}\right)^{b},\quad
        G = \left(\frac{\alpha A}{\beta B}\right)^{\frac{1}{\alpha+\beta}},\;
        a = \frac{\beta}{\alpha+\beta},\; b = \frac{\alpha}{\alpha+\beta}.

    :math:`E` does not move the optimum.

    References
    ----------
    Hoffmann et al. (2022), section 3.3, eq. (4); Besiroglu et al. (2024).
    """
    return _compute_optimal(flop_budget, method)



@unit_aware(inputs={"flop_budget": "FLOP", "tokens_per_param": "token/parameter"}, output=("parameter", "token"),
            positive=("flop_budget", "tokens_per_param"))
def compute_optimal_by_ratio(flop_budget, tokens_per_param=CHINCHILLA_TOKENS_PER_PARAM):
    r"""Model size and tokens for a compute budget at a fixed tokens-per-parameter ratio.

    Notes
    -----
    With :math:`C = 6ND` and :math:`D = r N`: :math:`N = \sqrt{C / (6 r)}`, :math:`D = r N`. Hoffmann et al.'s
    Approaches 1 and 2 find :math:`N_{opt} \propto C^{0.50}` and :math:`C^{0.49}` (Table 2), so a constant ratio
    of about 20 (Table 3) is their optimum; Chinchilla's 5.76e23 FLOP gives 69B on 1.4T tokens (Table 1).

    References
    ----------
    Hoffmann et al. (2022), Tables 2 and 3.
    """
    n_opt = np.sqrt(flop_budget / (FLOP_PER_PARAM_TOKEN * tokens_per_param))
    return n_opt, tokens_per_param * n_opt


#: The published parametric fits of the compute-optimal frontier (the rounded Hoffmann constants are biased).
PUBLISHED_FITS = ("hoffmann2022_unrounded", "besiroglu2024")


def compute_optimal_params_range(flop_budget, tokens_per_param=CHINCHILLA_TOKENS_PER_PARAM):
    r"""The smallest and largest compute-optimal model size for a budget over the published fits [parameter].

    Hoffmann et al. (2022) Approaches 1-2 as a fixed tokens-per-parameter ratio
    (:func:`compute_optimal_by_ratio`), Approach 3 with its unrounded constants, and the Besiroglu et al. (2024)
    refit (:func:`compute_optimal`). For 2.15e25 FLOP: about 210B (Approach 3) to 462B (Besiroglu).

    References
    ----------
    Hoffmann et al. (2022), Tables 2-3 and eq. (4); Besiroglu et al. (2024).
    """
    sizes = [_compute_optimal(flop_budget, m)[0] for m in PUBLISHED_FITS]
    sizes.append(compute_optimal_by_ratio.bare(flop_budget, tokens_per_param)[0])
    return np.minimum.reduce(np.broadcast_arrays(*sizes)), np.maximum.reduce(np.broadcast_arrays(*sizes))


def _optimal_flop_for_params(params, method="hoffmann2022"):
    fit = get_fit(method)
    c_over_6 = (params / fit.G) ** (1.0 / fit.a)  # invert N_opt = G (C/6)^a
    return FLOP_PER_PARAM_TOKEN * c_over_6  # C = 6 (C/6)


@unit_aware(inputs={"params": "parameter"}, output="FLOP", positive=("params",))
def optimal_flop_for_params(params, method="hoffmann2022"):
    r"""The compute budget for which ``params`` is the loss-minimising model size (inverse of :func:`compute_optimal`).

    Parameters
    ----------
    params : float or array_like
        Model parameters [parameter], positive.
    method : str or ScalingLawFit, optional
        As in :func:`compute_optimal`.

    Returns
    -------
    float or ndarray
        Training compute [FLOP]; the matching tokens are :math:`C / (6N)`.

    Notes
    -----
    .. math:: C = 6 \left(\frac{N}{G}\right)^{1/a}

    The inverse of Hoffmann et al. (2022) eq. (4), as used for their Table A3
    (Approach 3 column).

    References
    ----------
    Hoffmann et al. (2022), section 3.3, eq. (4) and Appendix D.3, Table A3.
    """
    return _optimal_flop_for_params(params, method)



def _chinchilla_loss(params, tokens, method="hoffmann2022"):
    fit = get_fit(method)
    return fit.E + fit.A / np.power(params, fit.alpha) + fit.B / np.power(tokens, fit.beta)  # Hoffmann eq. (2)


@unit_aware(inputs={"params": "parameter", "tokens": "token"}, output="dimensionless",
            positive=("params", "tokens"))
def chinchilla_loss(params, tokens, method="hoffmann2022"):
    r"""Predicted pre-training loss of an N-parameter model trained on D tokens, by a parametric fit.

    Parameters
    ----------
    params : float or array_like
        Model parameters [parameter], positive.
    tokens : float or array_like
        Training tokens [token], positive.
    method : str or ScalingLawFit, optional
        As in :func:`compute_optimal`.

    Returns
    -------
    float or ndarray
        Loss in nats per token on the fit's data (MassiveText) [dimensionless].

    Notes
    -----
    .. math:: \hat L(N, D) = E + \frac{A}{N^\alpha} + \frac{B}{D^\beta}

    References
    ----------
    Hoffmann et al. (2022), section 3.3, eq. (2) and Appendix D.2, eq. (10);
    Besiroglu et al. (2024) for the refit constants.
    """
    return _chinchilla_loss(params, tokens, method)

