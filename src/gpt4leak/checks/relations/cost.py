"""Cost relations: GPU-hours, price and the cost of a run."""

from __future__ import annotations

from ...formulas import cost, flops
from ..core import Check, Span
from ._common import PEAK, SECONDS_PER_DAY, SECONDS_PER_HOUR, seconds
from .flops import GOODPUT_WHY


def _cost_from_gpu_hours(gpu_hours, price):
    return cost.run_cost.bare(gpu_hours, SECONDS_PER_HOUR, price)  # GPU-hours as GPUs running for one hour


def _gpu_hours(n_gpus, days, goodput):
    """GPU-hours as reported count productive time; GPUs x wall-clock days span down to a goodput share."""
    hours = cost.gpu_hours.bare(n_gpus, seconds(days))
    return Span(hours * goodput, hours, "high", GOODPUT_WHY), {"GPU-hours of the wall-clock": (hours, "GPU*hour")}


def _mfu_from_gpu_hours(active, tokens, gpu_hours, peak):
    return flops.mfu.bare(flops.training_flop.bare(active, tokens), gpu_hours, peak, SECONDS_PER_HOUR)


def _run_cost(n_gpus, days, price):
    hours = cost.gpu_hours.bare(n_gpus, seconds(days))
    return cost.run_cost.bare(n_gpus, seconds(days), price), {"GPU-hours": (hours, "GPU*hour")}


def _days_from_cost(training_cost, n_gpus, price):
    return cost.implied_seconds_from_cost.bare(training_cost, n_gpus, price) / SECONDS_PER_DAY


def _cost_ratio(cost_new, cost_old):
    return cost_new / cost_old


CHECKS = (
    Check("cost.training_cost", "Do GPUs × days × 24 × price give the claimed cost?",
          "cost = GPUs × days × 24 h × price", {"n_gpus": "n_gpus", "days": "training_days",
                                                "price": "gpu_hour_price"},
          _run_cost, "USD", target="training_cost"),
    Check("cost.from_gpu_hours", "Do the GPU-hours at the price give the cost?", "cost = GPU-hours × price",
          {"gpu_hours": "training_gpu_hours", "price": "gpu_hour_price"}, _cost_from_gpu_hours, "USD",
          target="training_cost"),
    Check("cost.gpu_hours", "Do GPUs × days × 24 give the GPU-hours?",
          "GPU-hours = GPUs × days × 24 h, from a goodput share of the wall-clock to all of it",
          {"n_gpus": "n_gpus", "days": "training_days"}, _gpu_hours, "GPU*hour", target="training_gpu_hours",
          assumptions={"goodput": ("train.min_goodput", "dimensionless")}),
    Check("flops.mfu_from_gpu_hours", "Is the MFU that 6ND over the GPU-hours implies possible?",
          "MFU = 6 N D / (GPU-hours × 3600 s × peak)",
          {"active": ("active_params", "total_params"), "tokens": "training_tokens",
           "gpu_hours": "training_gpu_hours"}, _mfu_from_gpu_hours, "dimensionless",
          bound=(0.0, 1.0, "at most 100 % of peak"), assumptions=PEAK, display_unit="percent", slip_units=()),
    Check("cost.implied_days", "How many days does the cost imply at the price?",
          "days = cost / (GPUs × 24 h × price)", {"training_cost": "training_cost", "n_gpus": "n_gpus",
                                                   "price": "gpu_hour_price"},
          _days_from_cost, "day", target="training_days"),
    Check("cost.rerun_ratio", "Is the H100 re-run about a third of the A100 run's cost?",
          "ratio = cost_H100 / cost_A100", {"cost_new": "training_cost", "cost_old": "main:training_cost"},
          _cost_ratio, "dimensionless", target="cost_ratio_to_previous", kinds=("rerun",),
          target_fallback_main=True, slip_units=()),
)
