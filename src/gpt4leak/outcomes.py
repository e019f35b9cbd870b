"""The words of a result, in one place: its verdicts, what it compares, their order and colours.

Kept free of imports so every face (findings, report, plots, frames, the CLI, the JSON Schema) and the engine read
the same lists without loading anything heavy.
"""

from __future__ import annotations

__all__ = ["VERDICTS", "VERDICT_ORDER", "RESULT_CLASSES", "VERDICT_COLOURS"]

#: Every verdict a result can carry.
VERDICTS = ("consistent", "tension", "contradiction", "unit_slip", "info", "undetermined")
#: Most severe first: the order faces list findings in (alarms, then what could not be judged, then agreement).
VERDICT_ORDER = ("unit_slip", "contradiction", "tension", "undetermined", "consistent", "info")
#: What a result compares, in the order faces show them; the headline counts are of the first two.
RESULT_CLASSES = ("claim vs claim", "claim vs other source", "claim vs limit", "what-if", "derived")
#: Okabe & Ito (2008) colour-blind-safe colours, readable as text or borders on light and dark backgrounds.
VERDICT_COLOURS = {"unit_slip": "#CC79A7", "contradiction": "#D55E00", "tension": "#E69F00",
                   "consistent": "#009E73", "info": "#56B4E9", "undetermined": "#999999"}
