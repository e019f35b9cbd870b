"""First-principles formulas, one module per domain.

Every public function is pure, vectorised over numpy arrays, takes documented
base units (FLOP, byte, second, USD, token, parameter, GPU) or pint Quantities,
and states its equation and its source in its docstring. ``fn.bare`` is the
unit-free kernel for Monte Carlo and solvers.
"""
