"""The unit-aware boundary of every formula (units at the edge, floats inside).

``@unit_aware(inputs={...}, output=...)`` wraps a bare kernel that works on
floats / numpy arrays in base units:

* a pint Quantity argument is checked for dimension and converted once to the
  documented base unit (a wrong dimension raises :class:`~gpt4leak.units.UnitError`
  naming the argument);
* plain floats and arrays are taken to be in the base unit already;
* NaN or negative values of arguments listed in ``inputs`` raise ``ValueError``
  naming the argument (``allow_negative`` lists exceptions);
* the result is wrapped once in ``output`` units if any argument was a Quantity,
  else returned bare;
* the bare kernel stays reachable as ``fn.bare`` for Monte Carlo and solvers
  (no checks, no units: the fast path).

Base units: FLOP, byte, second, USD, token, parameter, GPU (see gpt4leak.units).
"""

from __future__ import annotations

import functools
import inspect

import numpy as np
import pint

from ..units import Q_, UnitError, check_dimension, ureg

__all__ = ["unit_aware", "asarray_checked"]


def _units(unit: str):
    return ureg.dimensionless if unit in ("dimensionless", "1", "") else ureg.parse_units(unit)


def asarray_checked(x, name: str, allow_negative: bool = False, allow_zero: bool = True):
    """Validate a bare numeric input: finite, non-negative (and non-zero if asked)."""
    if isinstance(x, (bool, np.bool_)):
        raise TypeError(f"{name}: expected a number, got a bool")
    if isinstance(x, str):
        raise UnitError(f"{name}: got the text {x!r}; pass a number or a pint Quantity")
    a = np.asarray(x, dtype=float) if not isinstance(x, (int, float)) else x
    if isinstance(a, np.ndarray):
        if a.size and not np.all(np.isfinite(a)):
            raise ValueError(f"{name}: NaN or infinite value")
        if not allow_negative and a.size and np.any(a < 0):
            raise ValueError(f"{name}: negative value")
        if not allow_zero and a.size and np.any(a == 0):
            raise ValueError(f"{name}: must be positive, got 0")
        return a if a.ndim else float(a)
    if a != a or a in (float("inf"), float("-inf")):
        raise ValueError(f"{name}: NaN or infinite value")
    if not allow_negative and a < 0:
        raise ValueError(f"{name}: negative value {a}")
    if not allow_zero and a == 0:
        raise ValueError(f"{name}: must be positive, got 0")
    return a


def unit_aware(inputs: dict[str, str], output: str | tuple[str, ...] | None,
               allow_negative: tuple[str, ...] = (), positive: tuple[str, ...] = ()):
    """Decorate a bare kernel with the unit boundary described in the module docstring."""

    def deco(kernel):
        sig = inspect.signature(kernel)
        unknown = set(inputs) - set(sig.parameters)
        if unknown:
            raise TypeError(f"{kernel.__name__}: inputs {unknown} are not parameters")

        @functools.wraps(kernel)
        def wrapper(*args, **kwargs):
            bound = sig.bind(*args, **kwargs)
            bound.apply_defaults()
            any_q = False
            for name, unit in inputs.items():
                v = bound.arguments[name]
                if v is None:
                    continue
                if isinstance(v, pint.Quantity):
                    any_q = True
                    check_dimension(v, unit, f"{kernel.__name__}({name}=...)")
                    v = v.to(_units(unit)).magnitude
                bound.arguments[name] = asarray_checked(
                    v, f"{kernel.__name__}({name}=...)",
                    allow_negative=name in allow_negative, allow_zero=name not in positive)
            result = kernel(*bound.args, **bound.kwargs)
            if not any_q or output is None:
                return result
            if isinstance(output, tuple):
                return tuple(Q_(r, _units(u)) for r, u in zip(result, output))
            return Q_(result, _units(output))

        wrapper.bare = kernel
        wrapper.input_units = dict(inputs)
        wrapper.output_unit = output
        return wrapper

    return deco
