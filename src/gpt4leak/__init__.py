"""gpt4leak: fact-check the leaked GPT-4 details with first-principles arithmetic.

>>> import gpt4leak as gl
>>> cat = gl.load_catalogue()          # every leaked claim, typed, with units and quotes
>>> rep = gl.check_all(cat)            # every check, with verdicts and uncertainty

Heavy or optional parts (checks engine, plots, reports) load on first use.
"""

from __future__ import annotations

import importlib

from .catalogue import Catalogue, CatalogueError, catalogue_schema, load_catalogue
from .records import Assumption, Claim, Source
from .units import Q_, UnitError, parse_quantity, parse_value, ureg

__version__ = "0.1.0"

__all__ = [
    "Q_", "ureg", "UnitError", "parse_quantity", "parse_value",
    "Source", "Claim", "Assumption", "Catalogue", "CatalogueError", "load_catalogue", "catalogue_schema",
    "Architecture", "check_all", "explain", "hardware", "solve", "Space", "load_space",
]

_LAZY = {
    "Architecture": ("gpt4leak.architecture", "Architecture"),
    "check_all": ("gpt4leak.checks", "check_all"),
    "explain": ("gpt4leak.report", "explain"),
    "hardware": ("gpt4leak.hardware", None),
    "formulas": ("gpt4leak.formulas", None),
    "solve": ("gpt4leak.solver", "solve"),
    "Space": ("gpt4leak.solver", "Space"),
    "load_space": ("gpt4leak.solver", "load_space"),
}


def __getattr__(name: str):
    if name in _LAZY:
        module, attr = _LAZY[name]
        mod = importlib.import_module(module)
        value = mod if attr is None else getattr(mod, attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'gpt4leak' has no attribute {name!r}")
