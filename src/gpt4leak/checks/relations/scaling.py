"""Scaling relations: tokens against the compute-optimal, under every published fit at once."""

from __future__ import annotations

from ...formulas import flops, scaling
from ..core import Check, Span

def _optima(training_flop, tpp):
    return scaling.compute_optimal_params_range(training_flop, tpp)


def _chinchilla_ratio(p, tokens, tpp):
    return scaling.chinchilla_tokens.bare(p, tpp) / tokens


def _compute_optimal_ratio(training_flop, tokens, tpp):
    n_lo, n_hi = _optima(training_flop, tpp)
    # D_opt = C / (6 N_opt): the smallest optimal model wants the most tokens
    d_hi = training_flop / flops.training_flop.bare(n_lo, 1)  # C = 6 N D
    d_lo = training_flop / flops.training_flop.bare(n_hi, 1)
    return Span(d_lo / tokens, d_hi / tokens), {"compute-optimal parameters, smallest fit": (n_lo, "parameter"),
                                                "compute-optimal parameters, largest fit": (n_hi, "parameter")}


def _compute_optimal_n(training_flop, tpp):
    return Span(*_optima(training_flop, tpp))


TPP = {"tpp": ("scaling.tokens_per_param", "token/parameter")}

CHECKS = (
    Check("scaling.chinchilla_active", "How far are the tokens from 20 per active parameter?",
          "ratio = 20 N_active / D (Hoffmann et al. 2022)", {"p": "active_params", "tokens": "training_tokens"},
          _chinchilla_ratio, "dimensionless", target="chinchilla_token_ratio", assumptions=TPP, slip_units=()),
    Check("scaling.chinchilla_total", "How far are the tokens from 20 per total parameter?",
          "ratio = 20 N_total / D (Hoffmann et al. 2022)", {"p": "total_params", "tokens": "training_tokens"},
          _chinchilla_ratio, "dimensionless", target="chinchilla_token_ratio", assumptions=TPP, slip_units=()),
    Check("scaling.compute_optimal_tokens", "How far are the tokens from compute-optimal for the FLOPs?",
          "ratio = D_opt(C) / D over the published fits: Hoffmann et al. 2022 Approaches 1-2 (20 tokens per "
          "parameter) and 3 (unrounded), Besiroglu et al. 2024",
          {"training_flop": "training_flop", "tokens": "training_tokens"},
          _compute_optimal_ratio, "dimensionless", target="chinchilla_token_ratio", assumptions=TPP,
          slip_units=()),
    Check("scaling.compute_optimal_params", "Which model size is compute-optimal for the claimed FLOPs?",
          "N_opt(C) over the published fits (Hoffmann et al. 2022; Besiroglu et al. 2024)",
          {"training_flop": "training_flop"}, _compute_optimal_n, "parameter", assumptions=TPP),
)


def _optimal_size(training_flop, tpp):
    lo, hi = _optima(training_flop, tpp)
    return Span(lo, hi)


def _optimal_tokens(training_flop, tpp):
    n_lo, n_hi = _optima(training_flop, tpp)
    return Span(training_flop / flops.training_flop.bare(n_hi, 1), training_flop / flops.training_flop.bare(n_lo, 1))


CHECKS = CHECKS + (
    Check("scaling.optimal_size_as_stated", "Is the size a source calls compute-optimal for its FLOPs within the "
          "published fits?",
          "N_opt(C) over Hoffmann et al. 2022 Approaches 1-3 and Besiroglu et al. 2024 (a hypothetical scenario)",
          {"training_flop": "training_flop"}, _optimal_size, "parameter", target="total_params", assumptions=TPP,
          kinds=("hypothetical",)),
    Check("scaling.optimal_tokens_as_stated", "Are the tokens a source calls compute-optimal for its FLOPs within "
          "the published fits?",
          "D_opt(C) = C / (6 N_opt) over the published fits (a hypothetical scenario)",
          {"training_flop": "training_flop"}, _optimal_tokens, "token", target="training_tokens", assumptions=TPP,
          kinds=("hypothetical",)),
)
