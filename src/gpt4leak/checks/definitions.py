"""The checks the catalogue carries (see :mod:`gpt4leak.checks.relations`, one module per domain)."""

from __future__ import annotations

from .core import Check
from .relations import CHECKS

__all__ = ["CHECKS", "check_by_id"]

_BY_ID = {c.id: c for c in CHECKS}
assert len(_BY_ID) == len(CHECKS), "duplicate check id"


def check_by_id(check_id: str) -> Check:
    try:
        return _BY_ID[check_id]
    except KeyError:
        raise KeyError(f"unknown check id {check_id!r}; known: {', '.join(sorted(_BY_ID))}") from None
