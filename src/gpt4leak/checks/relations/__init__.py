"""The relations the engine instantiates, one module per domain beside the formulas it calls.

Ids are stable once published. Each formula works on bare numpy arrays in the units of the quantity keys
(gpt4leak.quantities) and of the assumptions it declares, and calls the kernels of :mod:`gpt4leak.formulas`
(``.bare``) for the physics, so the checks and the formulas cannot drift apart: a test
(tests/test_relations_calculus.py) fails when a relation module carries a constant of its own.
"""

from __future__ import annotations

from . import cost, data, flops, inference, memory, parallel, params, scaling

CHECKS = (*params.CHECKS, *flops.CHECKS, *cost.CHECKS, *parallel.CHECKS, *memory.CHECKS, *inference.CHECKS,
          *scaling.CHECKS, *data.CHECKS)

MODULES = (params, flops, cost, parallel, memory, inference, scaling, data)
