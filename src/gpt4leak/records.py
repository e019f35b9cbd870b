"""Typed records of the catalogue: Source, Claim, Assumption (pydantic v2, frozen, strict).

A claim's ``value`` is written as the source writes it, with its unit
("1.8 trillion parameter", "90 to 100 day", "0.0049 cent per 1k token"); the
loader parses it once, checks the unit's dimension against the quantity key,
and derives the interval by the rules of :mod:`gpt4leak.uncertainty`.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
import re
from typing import Literal

import pint
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from .quantities import QUANTITIES, ZERO_ALLOWED
from .uncertainty import Interval, interval_for
from .units import Q_, UnitError, check_dimension, parse_value, ureg

__all__ = ["Source", "Claim", "Assumption", "Derivation", "Qualifier", "SourceKind", "Subject", "Scenario",
           "ScenarioKind", "SCENARIO_KINDS"]

Qualifier = Literal["exact", "approximately", "between", "more_than", "at_least", "at_most", "less_than", "nominal",
                    "denied"]
SourceKind = Literal["leak", "translation", "derivative", "commentary", "rumour", "estimate", "published", "official",
                     "vendor", "press", "analyst"]
_ID = r"^[a-z0-9][a-z0-9_\-]*(\.[a-z0-9][a-z0-9_\-]*)*$"
_SUBJECT = r"^[a-z0-9][a-z0-9_.\-]*$"
_SCENARIO = r"^[a-z0-9][a-z0-9_\-]*$"

#: What a scenario is, which decides what its checks may borrow from ``main`` (the model and its pre-training):
SCENARIO_KINDS = {
    "run": "the model and its main pre-training run (only 'main')",
    "rerun": "the same pre-training again (other hardware, another time): borrows the model's shape and, where "
             "a check says so, the run's work (its training FLOPs)",
    "phase": "a stage of the run or a step after it (context extension, annealing, post-training): borrows the "
             "model's shape, never the run's totals",
    "accounting": "the same run counted another way (amortised hardware and energy, a rate per trillion tokens, "
                  "a budget): borrows the model's shape, never the run's totals",
    "serving": "the model deployed for inference: borrows the model's shape, checked by the memory and serving "
               "relations",
    "hypothetical": "another model a law predicts (a compute-optimal projection): borrows nothing",
}
ScenarioKind = Literal["run", "rerun", "phase", "accounting", "serving", "hypothetical"]


_BINARY_K = re.compile(r"\d\s*[kK](?![a-zA-Z])")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, str_strip_whitespace=True)

    def __repr__(self) -> str:
        """One line: the record's kind and id, and what it says (a record's full fields: ``model_dump()``)."""
        rid = getattr(self, "id", None) or getattr(self, "source", "")
        return f"{type(self).__name__}({rid!r}{': ' + self._gist() if self._gist() else ''})"

    def _gist(self) -> str:
        return ""

    def _invalid(self, field: str, message: str) -> ValidationError:
        """An error located at ``field``: a plain ValueError raised by a model validator has no
        location, so the loader could not name the field ("file: claim id: field: message")."""
        return ValidationError.from_exception_data(type(self).__name__, [InitErrorDetails(
            type=PydanticCustomError("invalid_record", "{message}", {"message": message}),
            loc=(field,), input=getattr(self, field, None))])


class Derivation(_Strict):
    """What a source derives from: a translation of, a digest of, a retelling of another source."""

    source: str = Field(description="Id of the source this one derives from.")
    relation: Literal["translation", "digest", "retelling", "quotes", "commentary"] = Field(
        description="How it derives: translation, digest (summary), retelling, quotes, commentary.")


class Source(_Strict):
    """A document that makes claims (or a published paper, or an estimate)."""

    def _gist(self) -> str:
        return f"{self.kind}, {self.language}, {self.date or 'undated'}: {self.title[:60]}"


    id: str = Field(pattern=_ID, description="Stable id, for example 'peleg2023'.")
    title: str = Field(min_length=1, description="Title in the original language.")
    author: str | None = Field(None, description="Author or account.")
    outlet: str | None = Field(None, description="Where it appeared (site, newsletter, paper venue).")
    date: _dt.date | None = Field(None, description="Publication date (ISO): YYYY-MM-DD, or YYYY-MM / YYYY when only "
                                                   "the month or the year is known (read as its first day).")
    date_precision: Literal["day", "month", "year"] = Field(
        "day", description="How much of the date the source gives (set from the date as written).")
    url: str | None = Field(None, description="Address, where the text gives one.")
    citation: str | None = Field(None, description="Bibliographic citation, for papers and estimates.")
    language: str = Field(pattern=r"^[a-z]{2}$", description="ISO 639-1 language code of the text.")
    kind: SourceKind = Field(description="leak, translation, derivative, commentary, rumour, estimate, published "
                                         "(a paper), official (the subject's maker: a technical report, a price "
                                         "list), vendor (a hardware or cloud vendor), press, analyst.")
    document: str | None = Field(None, description="File name of the collected text in shared/seeds, if any.")
    derives_from: tuple[Derivation, ...] = Field((), description="Sources this one derives from.")
    notes: str = Field("", description="Anything a reader should know about the source.")

    @model_validator(mode="before")
    @classmethod
    def _partial_date(cls, raw):
        """A month ("2023-07") or a year ("2023") is the first day of it, with its precision kept."""
        if isinstance(raw, dict) and isinstance(raw.get("date"), (int, float)) and not isinstance(raw["date"], bool):
            raise ValueError(f"date: {raw['date']!r} is a number, not a date (write YYYY-MM-DD, YYYY-MM or YYYY)")
        if isinstance(raw, dict) and isinstance(raw.get("date"), str):
            text = raw["date"].strip()
            m = re.fullmatch(r"([0-9]{4})(?:-([0-9]{2}))?", text)
            if m:
                if m.group(2) and not 1 <= int(m.group(2)) <= 12:
                    return raw  # the date validator names it
                raw = {**raw, "date": f"{m.group(1)}-{m.group(2) or '01'}-01",
                       "date_precision": "month" if m.group(2) else "year"}
        return raw

    @model_validator(mode="after")
    def _has_locator(self):
        if not (self.url or self.citation or self.document):
            raise self._invalid("url", "a source needs a url, a citation or a document")
        return self


class Subject(_Strict):
    """A model, dataset or document claims are about: declared once, so a typo in a claim's subject is caught."""

    def _gist(self) -> str:
        return f"{self.kind}: {self.name}"


    id: str = Field(pattern=_SUBJECT, description="What claims write as 'subject', for example 'gpt-4'.")
    name: str = Field(min_length=1, description="The name readers know it by, for example 'GPT-4'.")
    kind: Literal["model", "dataset", "other"] = Field("model", description="model, dataset or other.")
    notes: str = Field("", description="Anything a reader should know (what the subject is, aliases).")


class Scenario(_Strict):
    """A setting claims belong to (a re-run, a phase, a deployment): declared once with its kind."""

    def _gist(self) -> str:
        return f"{self.kind}" + (f", part of {self.part_of}" if self.part_of else "")


    id: str = Field(pattern=_SCENARIO, description="What claims write as 'scenario', for example 'h100_rerun'.")
    kind: ScenarioKind = Field(description="; ".join(f"{k}: {v}" for k, v in SCENARIO_KINDS.items()))
    description: str = Field(min_length=1, description="What the scenario is, in a sentence.")
    part_of: str | None = Field(None, pattern=_SCENARIO,
                                description="For a phase: the run whose wall-clock it is part of (PaLM's 6,144 "
                                            "chips for 1,200 h, then 3,072 for 336 h). When a source gives the "
                                            "GPUs and time of every part, the loader sums the run's GPU-hours.")

    @model_validator(mode="after")
    def _main_is_the_run(self):
        if (self.id == "main") != (self.kind == "run"):
            raise self._invalid("kind", "'main' is the one scenario of kind 'run'")
        if self.part_of is not None and self.kind != "phase":
            raise self._invalid("part_of", f"only a phase is part of a run, not a scenario of kind {self.kind!r}")
        if self.part_of == self.id:
            raise self._invalid("part_of", "a phase cannot be part of itself")
        return self


class Claim(_Strict):
    """One statement of one source: a number with its unit and wording, or a qualitative statement."""

    def _gist(self) -> str:
        what = self.value if self.value is not None else self.label
        return f"{self.quantity} = {what!r} ({self.qualifier})" + (
            f", {self.subject}" if self.subject != "gpt-4" else "") + (
            f"@{self.scenario}" if self.scenario != "main" else "")


    id: str = Field(pattern=_ID, description="Stable id, '<source>.<what>', for example 'peleg2023.total_params'.")
    source: str = Field(description="Id of the source making the claim.")
    quantity: str = Field(description="Key from the controlled vocabulary (gpt4leak.quantities).")
    subject: str = Field("gpt-4", pattern=_SUBJECT,
                         description="Model or dataset the claim is about (default gpt-4); a declared subject.")
    scenario: str = Field("main", pattern=_SCENARIO,
                          description="Which run or setting the claim belongs to: 'main' (the GPT-4 "
                                      "pre-training and model), 'h100_rerun', 'inference_a100', ...; "
                                      "checks combine only claims of one scenario (or 'main').")
    value: str | None = Field(None, description="The number as written, with its unit: '1.8 trillion parameter', "
                                               "'90 to 100 day'. None for qualitative claims.")
    label: str | None = Field(None, description="For qualitative claims: the stated value ('multi-query').")
    qualifier: Qualifier = Field(description="What the words carry: exact, approximately, between, more_than, "
                                             "at_least, at_most, less_than, nominal; or denied (the subject "
                                             "rejects the figure: kept and shown, never used as evidence).")
    half_width: str | None = Field(None, description="Explicit ± for 'approximately' when the text gives one.")
    quote: str = Field(min_length=1, description="The sentence in the original language.")
    gloss: str = Field("", description="English gloss (for non-English quotes) or plain restatement.")
    notes: str = Field("", description="Reading notes: ambiguities, unit slips, what the number means.")
    derived_from: tuple[str, ...] = Field((), description="Claim ids this number is computed from "
                                                          "(it does not corroborate them).")

    _parsed: object = PrivateAttr(None)
    _interval: Interval | None = PrivateAttr(None)
    _phase_total: bool = PrivateAttr(False)  # summed by the loader over a run's phases (not in any file)

    @model_validator(mode="after")
    def _parse(self):
        if self.quantity not in QUANTITIES:
            raise self._invalid("quantity", f"unknown quantity key {self.quantity!r} (see gpt4leak.quantities)")
        spec = QUANTITIES[self.quantity]
        if spec.unit is None:
            if self.value is not None:
                raise self._invalid("value", f"quantity {self.quantity!r} is qualitative: give 'label', not 'value'")
            if not self.label:
                raise self._invalid("label", "a qualitative claim needs a 'label'")
            return self
        if spec.levels is not None:  # a kind written as a word ("SwiGLU", "tied"): a point at its level
            if self.value is not None or not self.label:
                raise self._invalid("label", f"quantity {self.quantity!r} is a kind: give 'label' "
                                             f"({', '.join(spec.levels)}), not 'value'")
            if self.qualifier != "exact":
                raise self._invalid("qualifier", f"quantity {self.quantity!r} is a kind: qualifier must be 'exact'")
            try:
                level = spec.level(self.label)
            except KeyError as exc:
                raise self._invalid("label", str(exc.args[0])) from None
            self._interval = Interval(level, level, "dimensionless", f"kind {self.label!r} read as {level:g}")
            return self
        if self.value is None:
            raise self._invalid("value", f"quantity {self.quantity!r} needs a 'value' with its unit")
        try:
            pv = parse_value(self.value, default_unit="dimensionless")
            check_dimension(pv.low, spec.unit, f"value of quantity {self.quantity!r}")
        except UnitError as exc:
            raise self._invalid("value", str(exc)) from None
        if spec.integer and any(q.units == ureg.percent for q in (pv.low, pv.high)):  # "1600%" experts
            raise self._invalid("value", f"{self.quantity!r} is a count, not a percentage: {self.value!r}")
        unit = ureg.parse_units(spec.unit) if spec.unit != "dimensionless" else ureg.dimensionless
        low, high = pv.low.to(unit).magnitude, pv.high.to(unit).magnitude
        res = pv.resolution.to(unit).magnitude
        if spec.binary_k and _BINARY_K.search(self.value):  # "8k" context = 8,192 tokens, "32k" = 32,768
            low, high, res = low * 1.024, high * 1.024, res * 1.024
        for name, v in (("value", low), ("value", high)):
            if not math.isfinite(v):
                raise self._invalid(name, f"not finite: {self.value!r}")
            if v < 0:
                raise self._invalid(name, f"negative: {self.value!r}")
        if (low != high) and self.qualifier not in ("between", "approximately", "exact", "nominal", "denied"):
            raise self._invalid("qualifier", f"a range needs qualifier 'between', not {self.qualifier!r}")
        if low == high and self.qualifier == "between":
            raise self._invalid("qualifier", "qualifier 'between' needs a range 'A to B'")
        if pv.qualifier and pv.qualifier not in (self.qualifier, "between"):
            raise self._invalid("qualifier", f"the value says {pv.qualifier!r} but qualifier is {self.qualifier!r}")
        if spec.integer and self.qualifier == "exact" and (low != int(low) or high != int(high)):
            raise self._invalid("value", f"{self.quantity!r} is a count and must be whole: {self.value!r}")
        if spec.divisor and low == 0 and self.qualifier not in ("at_most", "less_than"):
            raise self._invalid("value", f"{self.quantity!r} must be positive (the checks divide by it): "
                                         f"{self.value!r}")
        if low == 0 and self.quantity not in ZERO_ALLOWED and self.qualifier not in ("at_most", "less_than"):
            raise self._invalid("value", f"{self.quantity!r} of zero says nothing a check can use: {self.value!r}")
        if spec.share and high > 1:
            raise self._invalid("value", f"{self.quantity!r} is a share of a whole, at most 100 %: {self.value!r} "
                                         f"reads as {100 * high:g} % (write '34%' or 0.34)")
        if spec.ceiling is not None and high > spec.ceiling:
            raise self._invalid("value", f"{self.quantity!r} of {self.value!r} is beyond belief (more than "
                                         f"{spec.ceiling:g}): a typo?")
        hw = None
        if self.half_width is not None:
            if self.qualifier != "approximately" or low != high:  # it widens one written point, nothing else
                raise self._invalid("half_width", f"a half-width belongs to one value read 'approximately', not "
                                                  f"to {self.qualifier!r} {self.value!r}")
            try:
                hpv = parse_value(self.half_width, default_unit="dimensionless")
                if hpv.is_range or hpv.qualifier:
                    raise UnitError(f"{self.half_width!r}: a half-width is one value, not a range or a bound")
                hq = hpv.low
                check_dimension(hq, spec.unit, "half_width")
            except UnitError as exc:
                raise self._invalid("half_width", str(exc)) from None
            hw = hq.to(unit).magnitude
            if not (hw > 0 and (low != high or hw < low)):
                raise self._invalid("half_width", f"must be positive and smaller than the value: "
                                                  f"{self.half_width!r} for {self.value!r}")
        self._parsed = pv
        self._interval = interval_for(self.qualifier, low, high, res, hw, spec.unit)
        return self

    # ---- derived views
    @property
    def is_phase_total(self) -> bool:
        """True for a run's GPU-hours the loader summed over its phases (see Scenario.part_of), not a file's claim."""
        return self._phase_total

    @property
    def is_quantitative(self) -> bool:
        return self._interval is not None

    @property
    def unit(self) -> str | None:
        return QUANTITIES[self.quantity].unit

    @functools.cached_property
    def interval(self) -> Interval:
        """The interval the wording implies, in the quantity's base unit (cached: the engine reads it often)."""
        if self._interval is None:
            raise ValueError(f"claim {self.id!r} is qualitative (label {self.label!r}) and has no interval")
        return self._interval

    def _widen(self, rel: float) -> None:
        """At least ± ``rel`` (relative) about the centre: the precision of the claims this one is computed from
        (called by the loader; see gpt4leak.catalogue._inherit_precision)."""
        iv = self.interval
        mid = iv.mid
        if rel <= 0 or (iv.high - iv.low) >= 2 * rel * mid:
            return
        self._interval = Interval(mid * (1 - rel), mid * (1 + rel), iv.unit,
                                  f"{iv.rule}; widened to ± {100 * rel:.2g} %, the precision of the claims it is "
                                  f"computed from")
        self.__dict__.pop("interval", None)

    @property
    def rule(self) -> str | None:
        """The uncertainty rule applied (visible on the claim)."""
        return None if self._interval is None else self._interval.rule

    @property
    def magnitude(self) -> float:
        """The central value in the quantity's base unit."""
        iv = self.interval
        if self.qualifier in ("more_than", "at_least"):
            return iv.low
        if self.qualifier in ("at_most", "less_than"):
            return iv.high
        return iv.mid

    @property
    def quantity_value(self) -> pint.Quantity:
        """The central value as a pint Quantity in the quantity's base unit."""
        return Q_(self.magnitude, self.unit)

    @property
    def written(self) -> pint.Quantity:
        """The value in the unit the source wrote (low end of a range); a context length's "8k" is 8,192."""
        low = self._parsed.low
        if QUANTITIES[self.quantity].binary_k and _BINARY_K.search(self.value):
            return low * 1.024
        return low

    def describe(self) -> str:
        """One line: id, value with unit, rule."""
        if not self.is_quantitative:
            return f"{self.id}: {self.label}"
        from .formatting import human_range
        from .quantities import SHARES
        iv = self.interval
        v = human_range(iv.low, iv.high, "percent" if self.quantity in SHARES else self.unit)
        return f"{self.id}: {self.quantity} = {v} ({iv.rule})"

    def __str__(self) -> str:
        return self.describe()

    def _repr_markdown_(self) -> str:
        from .sanitize import for_markdown
        gloss = f" ({for_markdown(self.gloss)})" if self.gloss else ""
        return (f"**{for_markdown(self.id)}** `{self.quantity}` = {for_markdown(self.value or self.label or '')} "
                f"({self.qualifier})\n\n> {for_markdown(self.quote)}{gloss}\n")

    def _repr_html_(self) -> str:
        from html import escape
        return (f"<div><b>{escape(self.id)}</b> <code>{escape(self.quantity)}</code> "
                f"{escape(self.value or self.label or '')} <i>({escape(self.qualifier)})</i><br>"
                f"<q>{escape(self.quote)}</q><br><small>{escape(self.gloss)}</small></div>")


class Assumption(_Strict):
    """A number a check needs that no source claims, with where it comes from."""

    def _gist(self) -> str:
        return f"{self.value}, {self.source[:60]}"


    id: str = Field(pattern=_ID, description="Stable id, for example 'price.a100_hour'.")
    value: str = Field(description="Value with unit, for example '312 TFLOP/s'.")
    description: str = Field(min_length=1, description="What the number is.")
    source: str = Field(min_length=1, description="Datasheet, paper (with table or section) or convention.")
    url: str | None = Field(None, description="Address of the datasheet or paper.")
    plausible: str | None = Field(None, description="Plausible range 'A to B' with unit, for robustness analysis.")
    plausible_source: str | None = Field(None, description="Where the plausible range comes from.")

    _q: object = PrivateAttr(None)
    _plausible: object = PrivateAttr(None)

    @model_validator(mode="after")
    def _parse(self):
        try:
            pv = parse_value(self.value, default_unit="dimensionless")
        except UnitError as exc:
            raise self._invalid("value", str(exc)) from None
        if pv.is_range:
            raise self._invalid("value", f"an assumption is one value, not the range {self.value!r} (give the "
                                         f"range as 'plausible')")
        if pv.qualifier:
            raise self._invalid("value", f"an assumption is one value, not the bound {self.value!r}")
        self._q = pv.low
        if not math.isfinite(self._q.magnitude):
            raise self._invalid("value", "not finite")
        if self._q.magnitude < 0:
            raise self._invalid("value", f"negative: {self.value!r}")
        if self.plausible:
            try:
                pv = parse_value(self.plausible, default_unit="dimensionless")
                check_dimension(pv.low, f"{self._q.units}", "plausible")
            except UnitError as exc:
                raise self._invalid("plausible", str(exc)) from None
            self._plausible = (pv.low.to(self._q.units), pv.high.to(self._q.units))
            lo, hi = (x.magnitude for x in self._plausible)
            if not lo <= self._q.magnitude <= hi:
                raise self._invalid("value", f"{self.value!r} is outside its own plausible range {self.plausible!r}")
        return self

    @property
    def quantity_value(self) -> pint.Quantity:
        return self._q

    @property
    def plausible_range(self) -> tuple[pint.Quantity, pint.Quantity] | None:
        return self._plausible

    def __str__(self) -> str:
        return f"{self.id} = {self.value} ({self.source})"
