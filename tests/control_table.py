"""What every control's hand-typed table checks, in one place (tests/test_control_<name>.py use it).

A row is (claim id, quantity key, scenario, the value as the source writes it in the key's base unit,
qualifier); "between" rows give (low, high), and bounds give the bound.
"""

from __future__ import annotations

import pytest

from gpt4leak.quantities import QUANTITIES
from gpt4leak.units import ureg


def base_value(claim) -> float:
    """The number as the source wrote it, in the quantity key's base unit."""
    unit = QUANTITIES[claim.quantity].unit
    target = ureg.dimensionless if unit == "dimensionless" else ureg.parse_units(unit)
    return claim.written.to(target).magnitude


def assert_published(claim, quantity, scenario, expected, qualifier, subject=None):
    """The claim says what the table typed from the source says."""
    assert (claim.quantity, claim.scenario, claim.qualifier) == (quantity, scenario, qualifier), claim.id
    if subject is not None:
        assert claim.subject == subject, claim.id
    iv = claim.interval
    if qualifier == "between":
        assert (iv.low, iv.high) == (pytest.approx(expected[0]), pytest.approx(expected[1])), claim.id
    elif qualifier in ("at_most", "less_than"):
        assert iv.high == pytest.approx(expected), claim.id
    elif qualifier in ("more_than", "at_least"):
        assert iv.low == pytest.approx(expected), claim.id
    else:  # a point as written; its interval (rounding, a restatement's precision) is centred on it
        assert iv.mid == pytest.approx(expected, rel=1e-9), claim.id
        if claim.label is None and claim.value is not None and " to " not in claim.value:
            assert base_value(claim) == pytest.approx(expected, rel=1e-9), claim.id


def assert_every_number_typed(catalogue, *tables) -> None:
    """A new number in a control file needs its row, typed from the source (kinds may sit in a label table)."""
    typed = {row[0] for table in tables for row in table}
    assert [c.id for c in catalogue.claims if c.is_quantitative and c.id not in typed
            and not c.is_phase_total] == []  # a run's GPU-hours summed over its phases: tests/test_phases.py
