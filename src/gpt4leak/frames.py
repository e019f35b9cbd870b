"""Results and claims as pandas DataFrames, for filtering, grouping and plotting in a notebook.

>>> import gpt4leak as gl
>>> from gpt4leak.frames import results_frame, claims_frame
>>> df = results_frame(gl.check_all())
>>> df[df.verdict == "contradiction"]                    # every contradiction
>>> df[df.is_alarm].groupby("check").size()              # alarms per check
>>> df.sort_values("verdict")                            # most severe first (an ordered Categorical)
>>> claims = claims_frame(gl.load_catalogue())
>>> claims[claims.quantity == "total_params"][["source", "value", "magnitude", "unit"]]

pandas is an optional dependency (``pip install "gpt4leak[frame]"``): it is imported when a frame is built, never
by ``import gpt4leak`` or ``import gpt4leak.frames``. Numbers are floats in the library's base units (a fraction,
not a percentage, for utilisation); a missing number is NaN. The ``*_text`` columns are what people read, written
by :func:`gpt4leak.formatting.human`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

#: The categories of the ``verdict`` column, most severe first (an ordered Categorical: ``df.verdict <= "tension"``
#: selects the alarms, ``df.sort_values("verdict")`` lists unit slips first).
from .outcomes import VERDICT_ORDER

if TYPE_CHECKING:  # annotations only: importing this module imports neither pandas nor the checks engine
    import pandas

    from .catalogue import Catalogue
    from .checks import Report

__all__ = ["VERDICT_ORDER", "claims_frame", "results_frame"]

_INSTALL = 'pip install "gpt4leak[frame]"'


def _pandas():
    try:
        import pandas as pd
    except ImportError as exc:
        raise ImportError(f"gpt4leak.frames needs pandas, an optional dependency: {_INSTALL}") from exc
    return pd


def _float(x) -> float:
    """A number (or None) as a float: NaN for None."""
    return math.nan if x is None else float(x)


def _join(ids) -> str:
    return ", ".join(ids)


def _expect(obj, cls, name: str, hint: str, func: str) -> None:
    if not isinstance(obj, cls):
        raise TypeError(f"{func}() expects a gpt4leak {name} ({hint}), got {type(obj).__module__}."
                        f"{type(obj).__qualname__}")


def results_frame(report: Report) -> pandas.DataFrame:
    """One row per result of ``report`` (a :class:`gpt4leak.checks.Report`), in report order.

    The index is the result id (named ``"result"``), for example
    ``"flops.implied_mfu/peleg2023/peleg2023.mfu"``. Columns:

    ================ ============ =====================================================================
    column           unit         meaning
    ================ ============ =====================================================================
    check            -            the check's id ("flops.implied_mfu")
    question         -            the question the check answers, in words
    subject          -            what the claims are about ("gpt-4", or another model or a dataset)
    scenario         -            the run or stage ("main", "h100_rerun", "inference"...)
    result_class     -            what is compared: "claim vs claim", "claim vs other source",
                                  "claim vs limit", "what-if" or "derived"
    verdict          -            ordered Categorical, most severe first: unit_slip < contradiction <
                                  tension < consistent < undetermined < info
    is_alarm         -            bool: the verdict is a unit slip, contradiction or tension
    unit             -            the base unit of every number in the row ("parameter", "FLOP",
                                  "byte", "dimensionless" for fractions such as utilisation)
    derived_median   ``unit``     median of the Monte Carlo derivation from the inputs
    derived_p5       ``unit``     its 5th percentile
    derived_p95      ``unit``     its 95th percentile
    derived_low      ``unit``     low end of the derived interval (formula at the inputs' corners)
    derived_high     ``unit``     its high end
    claimed_low      ``unit``     low end of what is claimed (the target claim, or the limit: 0 for
                                  "at most"); NaN when nothing is claimed (verdict "info")
    claimed_high     ``unit``     its high end (inf for "at least"); NaN when nothing is claimed
    ratio            -            claimed / derived: the claim's centre (its low end for "at least") over
                                  the derived median (for a span of conventions, over its nearest end:
                                  1 inside it); NaN for a limit or when nothing is claimed
    gap              -            how many times apart the nearest edges of the claimed and derived
                                  intervals are (1 when they overlap); NaN when nothing is claimed
    robust           -            nullable boolean: no value inside an assumption's plausible range
                                  flips the verdict; <NA> when robustness was not computed
                                  (``check_all(robust=False)``)
    margin           fraction     the smallest relative move of an input or assumption that flips the
                                  verdict (0.02 = 2 %); NaN when none within x100 or not computed
    target_claim     -            the id of the claim compared with; missing for a limit or a derived
                                  figure
    target_source    -            the source of that claim; missing likewise
    input_claims     -            the ids of the input claims, joined with ", "
    input_sources    -            the inputs' source, then the sources giving the same inputs, ", "
    borrowed         -            the input claims another source lent, ", " ("" when none)
    derived_text     -            the derived median as people write it ("1.83T params", "34.2%")
    claimed_text     -            the claimed range as people write it ("1.75T to 1.85T params",
                                  "at most 40 GB"); "-" when nothing is claimed
    reason           -            why a verdict is undetermined or how a contradiction was capped
                                  ("" otherwise)
    ================ ============ =====================================================================

    Numeric columns are float64. A result whose display unit is "percent" keeps its numbers as fractions
    (0.342) and writes its texts as percentages ("34.2%").

    Raises TypeError for anything but a Report, and ImportError when pandas is not installed.
    """
    from .checks import Report

    _expect(report, Report, "Report", "from gpt4leak.check_all()", "results_frame")
    pd = _pandas()
    import numpy as np

    from .formatting import human, human_range

    rows = report.results
    floats = ("derived_median", "derived_p5", "derived_p95", "derived_low", "derived_high", "claimed_low",
              "claimed_high", "ratio", "gap")

    def text_unit(r) -> str:
        return "percent" if r.display_unit == "percent" else r.unit

    verdicts = [r.verdict for r in rows]
    categories = [*VERDICT_ORDER, *dict.fromkeys(v for v in verdicts if v not in VERDICT_ORDER)]
    cols = {
        "check": [r.check_id for r in rows],
        "question": [r.question for r in rows],
        "subject": [r.subject for r in rows],
        "scenario": [r.scenario for r in rows],
        "result_class": [r.result_class for r in rows],
        "verdict": pd.Categorical(verdicts, categories=categories, ordered=True),
        "is_alarm": np.array([r.is_alarm for r in rows], dtype=bool),
        "unit": [r.unit for r in rows],
        **{name: np.array([_float(getattr(r, name)) for r in rows], dtype=np.float64)
           for name in floats},
        "robust": pd.array([r.robust for r in rows], dtype="boolean"),
        "margin": np.array([_float(r.margin) for r in rows], dtype=np.float64),
        "target_claim": [r.target_claim.id if r.target_claim is not None else None for r in rows],
        "target_source": [r.target_claim.source if r.target_claim is not None else None for r in rows],
        "input_claims": [_join(c.id for c in r.input_claims) for r in rows],
        "input_sources": [_join(r.input_sources) for r in rows],
        "borrowed": [_join(r.borrowed) for r in rows],
        "derived_text": [human(r.derived_median, text_unit(r)) for r in rows],
        "claimed_text": [human_range(r.claimed_low, r.claimed_high, text_unit(r)) if r.claimed_low is not None
                         else "-" for r in rows],
        "reason": [r.reason for r in rows],
    }
    return pd.DataFrame(cols, index=pd.Index([r.id for r in rows], name="result"))


def claims_frame(catalogue: Catalogue) -> pandas.DataFrame:
    """One row per claim of ``catalogue`` (a :class:`gpt4leak.Catalogue`), in catalogue order.

    The index is the claim id (named ``"claim"``), for example ``"peleg2023.total_params"``. Columns:

    ============ ========== ==========================================================================
    column       unit       meaning
    ============ ========== ==========================================================================
    source       -          the id of the source making the claim
    source_kind  -          that source's kind (leak, translation, estimate, published...)
    language     -          that source's language (ISO 639-1: "en", "zh"...)
    quantity     -          the quantity key ("total_params", "training_flop", "statement"...)
    subject      -          what the claim is about ("gpt-4", or another model or a dataset)
    scenario     -          the run or stage ("main", "h100_rerun", "inference"...)
    qualifier    -          what the words carry: exact, approximately, between, more_than, at_least,
                            at_most, less_than, nominal or denied
    value        -          the number as the source writes it ("1.8 trillion parameters"); missing for
                            a qualitative claim
    label        -          the stated value of a qualitative claim ("multi-query"); missing otherwise
    low          ``unit``   low end of the interval the wording implies; NaN for a qualitative claim
    high         ``unit``   its high end (inf for "more than"); NaN for a qualitative claim
    magnitude    ``unit``   the central value (the bound for "more than" / "at most"); NaN likewise
    unit         -          the quantity's base unit ("parameter", "FLOP", "dimensionless" for
                            fractions); missing for a qualitative quantity
    rule         -          the uncertainty rule that turned the wording into [low, high]
    quote        -          the sentence in the original language
    gloss        -          an English gloss or plain restatement ("" when none)
    derived_from -          ids of the claims this number is computed from, joined with ", "
    phase_total  -          bool: a run's total the loader summed over its phases (not in any file)
    ============ ========== ==========================================================================

    Numeric columns are float64. Raises TypeError for anything but a Catalogue, and ImportError when pandas
    is not installed.
    """
    from .catalogue import Catalogue

    _expect(catalogue, Catalogue, "Catalogue", "from gpt4leak.load_catalogue()", "claims_frame")
    pd = _pandas()
    import numpy as np

    claims = catalogue.claims
    sources = {s.id: s for s in catalogue.sources}

    def of_source(c, attr: str):
        s = sources.get(c.source)
        return getattr(s, attr) if s is not None else None

    def number(c, attr: str) -> float:
        if not c.is_quantitative:
            return math.nan
        return float(c.magnitude if attr == "magnitude" else getattr(c.interval, attr))

    cols = {
        "source": [c.source for c in claims],
        "source_kind": [of_source(c, "kind") for c in claims],
        "language": [of_source(c, "language") for c in claims],
        "quantity": [c.quantity for c in claims],
        "subject": [c.subject for c in claims],
        "scenario": [c.scenario for c in claims],
        "qualifier": [c.qualifier for c in claims],
        "value": [c.value for c in claims],
        "label": [c.label for c in claims],
        **{name: np.array([number(c, name) for c in claims], dtype=np.float64)
           for name in ("low", "high", "magnitude")},
        "unit": [c.unit for c in claims],
        "rule": [c.rule for c in claims],
        "quote": [c.quote for c in claims],
        "gloss": [c.gloss for c in claims],
        "derived_from": [_join(c.derived_from) for c in claims],
        "phase_total": np.array([c.is_phase_total for c in claims], dtype=bool),
    }
    return pd.DataFrame(cols, index=pd.Index([c.id for c in claims], name="claim"))
