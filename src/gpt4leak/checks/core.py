"""Checks as relations over quantity keys, and the engine that instantiates and evaluates them.

A :class:`Check` names input quantity keys, a target quantity key, a formula on
bare numpy arrays in base units, and the assumptions it needs. It is not tied to
any source: :func:`instantiate` finds, for every (subject, scenario) group of the
catalogue, every source whose claims provide all inputs (falling back to the
source's ``main`` scenario for inputs a scenario does not restate) and every
claim of the target key, in that source or another. Identical input sets from
several sources (a digest and its translation) are evaluated once and list the
others as "also".

Evaluation (:func:`evaluate`) has two tiers (style card, item 13):

* interval bounds: the formula at every corner of the input intervals (all our
  relations are monotone in each input), giving the derived [low, high] that the
  verdict compares with the claimed interval;
* seeded Monte Carlo: each input's sampler (uniform on its interval, see
  :mod:`gpt4leak.uncertainty`) through the formula, summarised as the median and
  the 5-95 % interval. The generator is seeded from the run seed and the result
  id, so a result does not depend on which other checks ran.
"""

from __future__ import annotations


import dataclasses
import hashlib
import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..quantities import MODEL_KEYS
from ..records import Claim
from ..formatting import human, human_range
from ..outcomes import RESULT_CLASSES
from ..units import auto_unit, unit_of
from .verdicts import SETTINGS, UnitSlip, VerdictSettings, judge

__all__ = ["Check", "CheckResult", "Instance", "instantiate", "evaluate", "Inputs", "Span", "Step", "RESULT_CLASSES"]



@dataclass(frozen=True)
class Span:
    """A derived range that the inputs alone do not narrow: the conventions a published figure may follow.

    A relation returns ``Span(low, high)`` when its target is defined up to a convention (training compute
    with or without the attention term; a parameter count with or without biases and norms; compute-optimal
    sizes under several published fits). The verdict takes the hull of both ends over the input corners, and
    the Monte Carlo samples uniformly between them.
    """

    low: Any
    high: Any
    usual: str = ""  # "low" or "high": the end the usual convention gives ("" when neither is usual)
    otherwise: str = ""  # what agreeing away from the usual end assumes, for the result's note


@dataclass(frozen=True)
class Step:
    """One line of a result's arithmetic, in base units; :mod:`gpt4leak.report` renders it.

    kind is "input" (a claim: low, high, unit, its id and its rule), "assumption" (ref is the id, text the value
    as written, detail its source), "unstated" (an optional input no claim gives), "equation" (detail),
    "intermediate" (a median), "derived" (low/high are the bounds; values the median, 5 % and 95 %),
    "claimed" or "limit" (low, high, ref the claim id or the limit's label), "verdict" (name the verdict;
    values ratio and gap factor, or detail the reason it is undetermined) and "cap" (detail the reason).
    """

    kind: str
    name: str
    low: float | None = None
    high: float | None = None
    unit: str = ""
    ref: str = ""
    detail: str = ""
    text: str = ""
    values: tuple = ()

    def as_dict(self) -> dict:
        return {k: v for k, v in dataclasses.asdict(self).items() if v not in (None, "", ())}


#: Totals of one run: a scenario (a re-run, a phase) never borrows them from the main run unless a check says so.
EXTENSIVE = frozenset({"training_cost", "training_flop", "training_tokens", "training_days", "training_gpu_hours",
                       "multimodal_finetune_tokens"})

#: What a scenario borrows from ``main`` follows its declared kind (gpt4leak.records.SCENARIO_KINDS): a
#: hypothetical model borrows nothing; a re-run may borrow the run's work where a check names it (fallback_keys);
#: every other kind borrows the model's shape but never the run's totals (EXTENSIVE).

_KIND_ORDER = {"leak": 0, "published": 1, "official": 1, "estimate": 2, "analyst": 2, "vendor": 3, "press": 3,
               "rumour": 3, "derivative": 4, "commentary": 5,
               "translation": 6}


@dataclass(frozen=True)
class Check:
    """A relation: ``target ≈ formula(inputs, assumptions)``.

    inputs
        kwarg name -> quantity key, or a tuple of alternative keys (first found wins).
    assumptions
        kwarg name -> (assumption id, unit). The id may hold ``{gpu}``, filled from
        the group's ``gpu_model`` claim (see :func:`gpt4leak.hardware.get_gpu`).
    target
        quantity key of the claims compared with, or None for a derived figure
        with nothing claimed (verdict "info"), or a constant bound via ``bound``.
    bound
        (low, high, label) in ``unit``: a constant target (for example "at most
        100 % utilisation", "fits in 40 GB"), used when ``target`` is None.
    quotes
        qualitative quantity keys whose claims the result quotes (for example
        ``memory_limit_statement``).
    """

    id: str
    question: str
    equation: str
    inputs: dict[str, str | tuple[str, ...]]
    formula: Callable[..., Any]
    unit: str
    target: str | None = None
    assumptions: dict[str, tuple[str, str]] = field(default_factory=dict)
    bound: tuple[float, float, str] | None = None
    display_unit: str | None = None
    quotes: tuple[str, ...] = ()
    kinds: tuple[str, ...] | None = None  # scenario kinds it runs in (None: every kind); "!kind": all but that
    target_fallback_main: bool = False
    slip_units: tuple[str, ...] | None = None  # which SLIP_FACTORS rows apply (default: the unit)
    citation: str = ""
    cross_source_only: bool = False  # compare only with other sources' claims (identity checks), one direction
    fallback_keys: tuple[str, ...] = ()  # extensive keys a scenario may still borrow from main (see EXTENSIVE)
    borrow: tuple[str, ...] | None = None  # inputs (kw names) another source may lend; None: every input

    target_subject: str | None = None  # compare with claims about another subject (say a dataset)
    #: kwarg -> (claim keys, assumption id, unit): a claim when the group states one, else the assumption
    defaults: dict[str, tuple[tuple[str, ...], str, str]] = field(default_factory=dict)
    unless: tuple[str, ...] = ()  # quantity keys whose presence in the group means another relation applies
    what_if: bool = False  # the relation evaluates a layout or scenario nobody claimed
    #: quantity keys (qualitative ones too) the group must state: a limit set by a statement applies only where
    #: a source makes it ("the 32k model cannot run on 40GB A100s"), never to a model nobody said it of
    requires: tuple[str, ...] = ()


@dataclass(frozen=True)
class Inputs:
    source: str
    also: tuple[str, ...]
    claims: dict[str, Claim]  # kwarg -> claim
    variant: str = ""  # when one source gives two readings of an input: the claim ids that differ
    merged: tuple[dict[str, Claim], ...] = ()  # the same readings as other sources' claims (``also``)


def check_id_of(result_id: str) -> str:
    """The check a result id (``Instance.id``: check[~subject][@scenario]/source[readings]/target) belongs to."""
    return re.split(r"[/@~\[]", result_id, maxsplit=1)[0]


def split_key(key: str) -> tuple[tuple[str, ...], str]:
    """A comparison key (:attr:`Instance.keys`) back into its input claim ids and its target ("limit", "derived"
    or a claim id): the one reader of the format the keys are written in."""
    inputs, _, target = key.partition(": ")[2].rpartition(" -> ")
    return tuple(i for i in inputs.split(", ") if i), target


@dataclass(frozen=True)
class Instance:
    check: Check
    subject: str
    scenario: str
    inputs: Inputs
    target: Claim | None
    target_also: tuple[str, ...]
    gpu: str | None
    quotes: tuple[Claim, ...]
    target_group: tuple[Claim, ...] = ()  # the target and the other claims of the same interval
    gpu_label: str | None = None  # the accelerator as the claims name it ("Hopper", "A100")

    @property
    def keys(self) -> tuple[str, ...]:
        """What the instance compares, as pin keys: check, subject, scenario, the claim ids of the inputs (not
        the defaults a group may also state) and the target. The first is the canonical key; the others name
        the same comparison through another source that gives the same readings, so adding a source that
        restates a figure (or takes the lead in the order) changes no key."""
        scen = "" if self.scenario == "main" else f"@{self.scenario}"
        subj = "" if self.subject == "gpt-4" else f"~{self.subject}"
        head = f"{self.check.id}{subj}{scen}"
        main_kws = [kw for kw in self.check.inputs if kw in self.inputs.claims]
        targets = ([c.id for c in (self.target_group or (self.target,))] if self.target is not None
                   else ["limit" if self.check.bound is not None else "derived"])
        keys = []
        for claims in (self.inputs.claims, *self.inputs.merged):
            ins = ", ".join(sorted(claims[kw].id for kw in main_kws if kw in claims))
            keys += [f"{head}: {ins} -> {t}" for t in targets]
        return tuple(dict.fromkeys(keys))

    @property
    def id(self) -> str:
        tgt = self.target.id if self.target is not None else "derived"
        scen = "" if self.scenario == "main" else f"@{self.scenario}"
        subj = "" if self.subject == "gpt-4" else f"~{self.subject}"
        var = f"[{self.inputs.variant}]" if self.inputs.variant else ""
        return f"{self.check.id}{subj}{scen}/{self.inputs.source}{var}/{tgt}"


@dataclass(frozen=True)
class CheckResult:
    """Everything a face (table, Markdown, JSON, pytest) needs about one evaluated check."""

    id: str
    check_id: str
    question: str
    equation: str
    subject: str
    scenario: str
    verdict: str
    unit: str
    display_unit: str
    derived_median: float
    derived_p5: float
    derived_p95: float
    derived_low: float
    derived_high: float
    claimed_low: float | None
    claimed_high: float | None
    claimed_label: str
    ratio: float | None
    gap: float | None
    slip: UnitSlip | None
    input_claims: tuple[Claim, ...]
    input_sources: tuple[str, ...]
    target_claim: Claim | None
    target_sources: tuple[str, ...]
    quotes: tuple[Claim, ...]
    assumptions: tuple[tuple[str, str, str], ...]  # (id, value text, source)
    steps: tuple[Step, ...]
    notes: tuple[str, ...]
    seed: int
    samples: int
    robustness: tuple = ()
    robust: bool | None = None
    support: tuple = ()  # independence.Support per input claim (and the target)
    result_class: str = "derived"  # one of RESULT_CLASSES
    assumption_args: tuple[str, ...] = ()  # the formula argument of each entry of ``assumptions``
    input_args: tuple[str, ...] = ()  # the formula argument of each entry of ``input_claims``
    is_span: bool = False  # the derivation is a range of conventions (see Span), not one value
    reason: str = ""  # why a verdict is "undetermined", or how a contradiction was capped
    keys: tuple[str, ...] = ()  # what it compares (pin keys, Instance.keys): stable when sources are added
    borrowed: tuple[str, ...] = ()  # input claims another source lent (the inputs' source lacks them)

    @property
    def compared_claims(self) -> frozenset[str]:
        """Every claim id the result stands for: its inputs and target, and the claims of other sources that give
        the same readings (merged into it: see ``keys``)."""
        ids = {c.id for c in self.input_claims} | ({self.target_claim.id} if self.target_claim else set())
        for key in self.keys:
            inputs, target = split_key(key)
            ids |= set(inputs) | ({target} if target not in ("limit", "derived") else set())
        return frozenset(ids)

    @property
    def human_unit(self) -> str:
        """The unit :func:`gpt4leak.formatting.human` writes this result's numbers in ("percent" for shares)."""
        return "percent" if self.display_unit == "percent" else self.unit

    def display(self, x: float | None) -> str:
        """One number as practitioners write it, with its unit ("1.83T params", "2.18e25 FLOP", "34.2%")."""
        return human(x, self.human_unit)

    def display_range(self, lo: float, hi: float) -> str:
        """An interval, unit once: "1.75T to 1.85T params"; "at most 100%" for a bound from zero."""
        return human_range(lo, hi, self.human_unit)

    @property
    def margin(self) -> float | None:
        """The smallest relative move of any input or assumption that flips the verdict (0.02 = 2 %), or None
        when nothing within x100 does (or robustness was not computed)."""
        return min((abs(f.factor - 1) for f in self.robustness), default=None)

    @property
    def is_alarm(self) -> bool:
        """A tension, contradiction or unit slip: what a control (a true published run) must never show."""
        return self.verdict in ("tension", "contradiction", "unit_slip")

    @property
    def is_bound(self) -> bool:
        """The target is a constant limit (fits in memory, at most 100 %), not a claim."""
        return self.target_claim is None and self.claimed_low is not None

    @property
    def derived_text(self) -> str:
        """Median and 5-95 % interval: "560 GFLOP (5-95 %: 551 to 569 GFLOP)"; for a span of conventions its ends."""
        if self.is_span:
            return f"{self.display_range(self.derived_low, self.derived_high)} (the conventions it may follow)"
        if self.derived_p5 == self.derived_p95:
            return self.display(self.derived_median)
        return f"{self.display(self.derived_median)} (5-95 %: {self.display_range(self.derived_p5, self.derived_p95)})"

    @property
    def claimed_text(self) -> str:
        if self.claimed_low is None:
            return "-"
        return self.display_range(self.claimed_low, self.claimed_high)

    @property
    def slip_text(self) -> str:
        if self.slip is None:
            return ""
        return (f"off by about {self.slip.factor:g}x: the claim fits if {self.slip.reading} "
                f"(corrected: {self.display_range(self.slip.corrected_low, self.slip.corrected_high)})")

    def __repr__(self) -> str:
        return f"<CheckResult {self.id}: {self.verdict}, derived {self.derived_text}; claimed {self.claimed_text}>"

    def _repr_html_(self) -> str:
        """A notebook view: verdict as a word in a colour-blind-safe colour, the numbers, quotes expandable."""
        from html import escape

        from ..outcomes import VERDICT_COLOURS
        colour = VERDICT_COLOURS.get(self.verdict, "#999999")
        quotes = "".join(f"<blockquote>“{escape(c.quote)}” — {escape(c.source)} <code>{escape(c.id)}</code>"
                         f"</blockquote>" for c in (*self.input_claims,
                                                    *([self.target_claim] if self.target_claim else [])))
        return (f"<div style='border-left:4px solid {colour};padding-left:.5em'><b style='color:{colour}'>"
                f"{escape(self.verdict.replace('_', ' ').upper())}</b> <code>{escape(self.id)}</code><br>"
                f"<i>{escape(self.question)}</i><br>derived {escape(self.derived_text)}; claimed "
                f"{escape(self.claimed_text)}{'; ' + escape(self.slip_text) if self.slip else ''}"
                f"<details><summary>quotes</summary>{quotes}</details></div>")


def _percentiles(x: np.ndarray) -> tuple[float, float, float]:
    """The 5th, 50th and 95th percentiles (numpy's linear interpolation) from one partial sort."""
    if x.size and x[0] == x[-1] and np.all(x == x[0]):
        return (float(x[0]),) * 3
    n = x.size
    pos = np.array([0.05, 0.5, 0.95]) * (n - 1)
    lo = np.floor(pos).astype(int)
    hi = np.minimum(lo + 1, n - 1)
    part = np.partition(x, np.unique(np.concatenate([lo, hi])))
    out = part[lo] + (part[hi] - part[lo]) * (pos - lo)
    return float(out[0]), float(out[1]), float(out[2])


def _seed_for(seed: int, result_id: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{seed}:{result_id}".encode()).digest()[:8], "little")


# --------------------------------------------------------------------------- instantiation
def _groups(claims) -> list[tuple[str, str]]:
    seen: dict[tuple[str, str], None] = {}
    for c in claims:
        seen.setdefault((c.subject, c.scenario), None)
    return list(seen)


def _find(by_key, source: str | None, subject: str, scenario: str, key: str) -> list[Claim]:
    out = by_key.get((subject, scenario, key), [])
    if source is not None:
        out = [c for c in out if c.source == source]
    return out


@dataclass(frozen=True)
class _Index:
    """The catalogue as the instantiation steps read it (built once per catalogue)."""

    by_key: dict  # (subject, scenario, key) -> [Claim]
    by_id: dict  # claim id -> Claim
    group_keys: dict  # (subject, scenario) -> {keys}
    order: list  # source ids, leaks first (the order input sets are tried in)
    kinds: dict  # source id -> kind
    groups: list  # (subject, scenario) in the order the claims first name them
    scenario_kinds: dict  # scenario id -> kind (run, rerun, phase, accounting, serving, hypothetical)
    roots: dict = field(default_factory=dict)  # source id -> the root sources it derives from

    def kind_of(self, scenario: str) -> str:
        return self.scenario_kinds.get(scenario, "run" if scenario == "main" else "phase")

    def lineage(self, scenario: str) -> tuple[str, ...]:
        """The scenarios a claim of ``scenario`` may be read from: itself, then main (unless hypothetical)."""
        if self.kind_of(scenario) == "hypothetical":
            return (scenario,)
        return tuple(dict.fromkeys((scenario, "main")))


def _index(catalogue) -> _Index:
    """Built once per catalogue (every check's instantiation reads the same one)."""
    cached = getattr(catalogue, "_instantiation_index", None)
    if cached is not None:
        return cached
    idx = _build_index(catalogue)
    object.__setattr__(catalogue, "_instantiation_index", idx)  # a frozen record: a cache, not a field
    return idx


def _build_index(catalogue) -> _Index:
    by_key: dict[tuple[str, str, str], list[Claim]] = {}
    for c in catalogue.claims:
        if c.qualifier == "denied":  # a figure its subject rejects is not evidence for or against anything
            continue
        by_key.setdefault((c.subject, c.scenario, c.quantity), []).append(c)
    group_keys: dict[tuple[str, str], set[str]] = {}
    for (subj, scen, key) in by_key:
        group_keys.setdefault((subj, scen), set()).add(key)
    kinds = {s.id: s.kind for s in catalogue.sources}
    order = sorted(kinds, key=lambda s: (_KIND_ORDER.get(kinds[s], 9), s))
    from .independence import source_roots
    return _Index(by_key, {c.id: c for c in catalogue.claims}, group_keys, order, kinds, _groups(catalogue.claims),
                  dict(getattr(catalogue, "scenario_kinds", {})), source_roots(catalogue))


def instantiate(check: Check, catalogue, gpu_resolver: Callable[[str], str] | None = None) -> list[Instance]:
    """Every instance of ``check`` the catalogue supports, in four named steps per (subject, scenario) group:

    1. :func:`_applies`: the group has every input key (or its alternatives), none of ``unless``, and a
       scenario the check runs in;
    2. :func:`_input_sets`: per source, every combination of its readings of the inputs (a scenario falls back
       to ``main`` for what it does not restate, never for a run's totals; ``borrow`` and ``defaults`` take a
       claim another source states);
    3. :func:`_merge`: identical input sets from several sources (a digest and its translation) are one, listing
       the others as "also";
    4. :func:`_pair`: each input set against each distinct claimed target (own source first), or against a
       constant limit, or alone (a derived figure).
    """
    idx = _index(catalogue)
    instances: list[Instance] = []
    for subject, scenario in idx.groups:
        if not _applies(check, idx, subject, scenario):
            continue
        merged = _merge(_input_sets(check, idx, subject, scenario))
        if merged:
            instances += _pair(check, idx, subject, scenario, merged, gpu_resolver)
    return instances


def _needed(check: Check) -> list[tuple[str, ...]]:
    return [tuple(k.removeprefix("main:") for k in ((keys,) if isinstance(keys, str) else keys))
            for keys in check.inputs.values()]


def _applies(check: Check, idx: _Index, subject: str, scenario: str) -> bool:
    kind = idx.kind_of(scenario)
    if check.kinds is not None:
        include = [k for k in check.kinds if not k.startswith("!")]
        if (include and kind not in include) or f"!{kind}" in check.kinds:
            return False
    present: set[str] = set()
    for scen in idx.lineage(scenario):
        present |= idx.group_keys.get((subject, scen), set())
    if not all(any(k in present for k in alts) for alts in _needed(check)):
        return False
    if not all(k in present for k in check.requires):
        return False
    return not any(_present(idx, subject, scenario, u, present) for u in check.unless)


def _lent(check: Check, idx: _Index, src: str, subject: str, scenario: str, keys) -> list[Claim]:
    """Readings of an input ``src`` lacks, from the nearest other sources that state it: sources of the same root
    first (a translation, a retelling), then independent ones; the same scenario rules as the source's own."""
    found = _own(check, idx, None, subject, scenario, keys, lender_of=src)
    if not found:
        return []
    mine = set(idx.roots.get(src, (src,)))
    rank = {s: i for i, s in enumerate(idx.order)}

    def nearness(source):  # same root first, then the catalogue's order (leaks, papers, estimates, ...)
        return (0 if mine & set(idx.roots.get(source, (source,))) else 1, rank.get(source, len(rank)), source)
    lender = min((c.source for c in found), key=nearness)  # one lender per input: no cross product of rumours
    return [c for c in found if c.source == lender]


def _own(check: Check, idx: _Index, src: str | None, subject: str, scenario: str, keys,
         lender_of: str | None = None) -> list[Claim]:
    """Claims of ``src`` (of any source but ``lender_of`` when None) for one input, by the scenario's rules."""
    by_key = idx.by_key
    keys = (keys,) if isinstance(keys, str) else keys

    def usable(c: Claim) -> bool:
        return c.is_quantitative and (src is not None or c.source != lender_of)
    found: list[Claim] = []
    for key in keys:
        if key.startswith("main:"):  # explicitly the main scenario's claim
            found = [c for c in _find(by_key, src, subject, "main", key[5:]) if usable(c)]
            if found:
                break
            continue
        found = [c for c in _find(by_key, src, subject, scenario, key) if usable(c)]
        # a re-run (the same pre-training on other hardware) may borrow the main run's work (fallback_keys);
        # a phase, a serving setting or an accounting never borrows the whole run's totals
        # sources compared figure to figure (cross_source_only) compare the scenario's own figures and the
        # model's: a phase's GPUs are not the run's GPUs, but its model is the run's model
        if not found and len(idx.lineage(scenario)) > 1 and (key in MODEL_KEYS or not check.cross_source_only) and (
                key not in EXTENSIVE or (key in check.fallback_keys and idx.kind_of(scenario) == "rerun")):
            found = [c for c in _find(by_key, src, subject, "main", key) if usable(c)]
        if found:
            break
    return [c for c in found if c.interval.bounded and c.qualifier not in ("at_most", "less_than")]


def _readings(check: Check, idx: _Index, src: str, subject: str, scenario: str, kw: str, keys) -> list[Claim]:
    """The claims of one source that can stand for one input (estimates only: a bound is a target); when it has
    none, what another source lends (:func:`_lent`)."""
    found = _own(check, idx, src, subject, scenario, keys)
    # lending serves to check a source's claim against another claim: not, unless a check names the inputs
    # (``borrow``), for identities, limits or what-ifs
    lends = (kw in check.borrow if check.borrow is not None
             else check.target is not None and not check.cross_source_only and not check.what_if)
    if not found and lends:
        found = _lent(check, idx, src, subject, scenario, keys)
    # a source restating a number (same interval) is one reading, not two: keep the first statement
    distinct: dict[tuple[float, float], Claim] = {}
    for c in sorted(found, key=lambda c: (bool(c.derived_from), c.id)):
        distinct.setdefault((c.interval.low, c.interval.high), c)
    return list(distinct.values())


def _input_sets(check: Check, idx: _Index, subject: str, scenario: str) -> list[tuple[str, dict, str]]:
    own_target = check.target is not None and any(
        c.is_quantitative for c in _find(idx.by_key, None, subject, scenario, check.target))
    sets: list[tuple[str, dict[str, Claim], str]] = []
    for src in idx.order:
        options: dict[str, list[Claim]] = {}
        for kw, keys in check.inputs.items():
            found = _readings(check, idx, src, subject, scenario, kw, keys)
            if not found:
                break
            options[kw] = found
        else:
            if not check.inputs:
                continue
            if (scenario != "main" and not own_target
                    and not any(c.scenario == scenario for cs in options.values() for c in cs)):
                continue  # nothing of this scenario among the inputs: the main instance covers it
            if all(c.source != src for cs in options.values() for c in cs):
                continue  # every input borrowed: not this source's instance
            for kw, default in check.defaults.items():  # stated by this source, else by another, else assumed
                claim = _stated(idx, src, subject, scenario, default[0])
                if claim is not None:
                    options[kw] = [claim]
            multi = [kw for kw, cs in options.items() if len(cs) > 1]
            for combo in itertools.product(*options.values()):
                cl = dict(zip(options, combo))
                tags = [cl[kw].id.split(".", 1)[-1] for kw in multi if cl[kw].source == src]
                tags += [cl[kw].id for kw in options if cl[kw].source != src]  # borrowed: the full id
                sets.append((src, cl, "+".join(dict.fromkeys(tags))))
    return sets


def _merge(sets: list[tuple[str, dict, str]]) -> list[Inputs]:
    merged: list[Inputs] = []
    seen_sig: dict[tuple, int] = {}
    for src, cl, variant in sets:
        sig = tuple((kw, c.interval.low, c.interval.high) for kw, c in sorted(cl.items()))
        if sig in seen_sig:
            i = seen_sig[sig]
            if src != merged[i].source and src not in merged[i].also:
                merged[i] = Inputs(merged[i].source, merged[i].also + (src,), merged[i].claims, merged[i].variant,
                                   merged[i].merged + (cl,))
            continue
        seen_sig[sig] = len(merged)
        merged.append(Inputs(src, (), cl, variant))
    return merged


def _targets(check: Check, idx: _Index, subject: str, scenario: str) -> list[Claim]:
    by_key = idx.by_key
    t_subject = check.target_subject or subject
    targets = [c for c in _find(by_key, None, t_subject, scenario, check.target) if c.is_quantitative]
    borrows = len(idx.lineage(scenario)) > 1
    if not targets and check.target_subject and borrows:
        targets = [c for c in _find(by_key, None, t_subject, "main", check.target) if c.is_quantitative]
    if not targets and check.target_fallback_main and borrows:
        targets = [c for c in _find(by_key, None, subject, "main", check.target) if c.is_quantitative]
    return sorted(targets, key=lambda c: (_KIND_ORDER.get(idx.kinds.get(c.source), 9), c.source, c.id))


def _pair(check: Check, idx: _Index, subject: str, scenario: str, merged: list[Inputs],
          gpu_resolver) -> list[Instance]:
    by_key = idx.by_key
    targets: list[Claim] = []
    if check.target is not None:
        targets = _targets(check, idx, subject, scenario)
        if not targets:
            return []
    quotes = tuple(c for key in check.quotes for c in next(
        filter(None, (_find(by_key, None, subject, scen, key) for scen in idx.lineage(scenario))), []))
    out: list[Instance] = []
    pairs: set[tuple[str, str]] = set()
    for inp in merged:
        gpu = None
        if any("{gpu}" in a or "{family}" in a for a, _ in check.assumptions.values()):
            gpu = label = _gpu_label(idx, inp.source, subject, scenario)
            if gpu is None:
                continue
            if gpu_resolver is not None:
                try:
                    gpu = gpu_resolver(gpu)
                except KeyError:
                    continue  # an accelerator we have no datasheet for (say "TPUv3/TPUv4")
        label = label if gpu is not None else None
        if check.target is None:
            out.append(Instance(check, subject, scenario, inp, None, (), gpu, quotes, (), label))
            continue
        # one target per distinct interval; the inputs' own source first
        tsorted = sorted(targets, key=lambda c: (c.source != inp.source and c.source not in inp.also,))
        if check.cross_source_only:
            own = (inp.source, *inp.also)
            tsorted = [c for c in tsorted if c.source not in own and (c.source, inp.source) not in pairs
                       and not _agrees_with_another_reading(c, inp, by_key)]
            pairs.update((inp.source, c.source) for c in tsorted)
        by_iv: dict[tuple[float, float], list[Claim]] = {}
        for t in tsorted:
            if _computed_from_others(t, inp, idx.by_id):
                continue
            by_iv.setdefault((t.interval.low, t.interval.high), []).append(t)
        for group in by_iv.values():
            t = group[0]
            also = tuple(dict.fromkeys(c.source for c in group[1:] if c.source != t.source))
            out.append(Instance(check, subject, scenario, inp, t, also, gpu, quotes, tuple(group), label))
    return out


def _agrees_with_another_reading(target: Claim, inp: Inputs, by_key) -> bool:
    """Source to source, a figure that matches one of a source's readings (GPT-3's 174.6B of Table D.1 rather
    than its 175.0B of Table 2.1) agrees with that source: its other readings are the source's own spread."""
    (claim,) = inp.claims.values()
    readings = [c for src in (inp.source, *inp.also)
                for c in _find(by_key, src, claim.subject, claim.scenario, claim.quantity)
                if c.is_quantitative and (c.interval.low, c.interval.high) != (claim.interval.low, claim.interval.high)]
    iv = target.interval

    def meets(c):
        return c.interval.low <= iv.high and iv.low <= c.interval.high
    return not meets(claim) and any(meets(c) for c in readings)


def _computed_from_others(target: Claim, inp: Inputs, by_id: dict) -> bool:
    """The source computed ``target`` from claims of the input keys other than these inputs: checking it against
    these inputs measures the source's rounding, not its consistency (its own inputs are another input set)."""
    if not target.derived_from:
        return False
    own: dict[str, set[str]] = {}
    for i in target.derived_from:
        if i in by_id:
            own.setdefault(by_id[i].quantity, set()).add(i)
    return any(c.source == target.source and c.quantity in own and c.id not in own[c.quantity]
               for c in inp.claims.values())


def _family_notes(inst: Instance, aids: list[str]) -> list[str]:
    """When the claims name an architecture family ("Hopper"), not a part: the figures are its default part's, and
    the note gives each figure's range across the family (gpt4leak.hardware.family_range)."""
    if not inst.gpu or not inst.gpu_label:
        return []
    from .. import hardware
    norm = hardware._norm(inst.gpu_label)
    family = next((f for f, members in hardware.FAMILIES.items() if len(members) > 1 and hardware._norm(f) == norm),
                  None)
    if family is None:
        return []
    spans = []
    for aid in aids:
        figure = aid.format(gpu=inst.gpu, family=inst.gpu.split("_")[0]).split("|")[0].rsplit(".", 1)[-1]
        if figure.startswith("peak_"):
            attr, dtype, scale, unit = "peak", figure[5:], 1e12, f"TFLOP/s ({figure[5:]})"
        elif figure in ("hbm_bytes", "hbm_bandwidth"):
            attr, dtype = figure, "bf16"
            scale, unit = (1e9, "GB") if figure == "hbm_bytes" else (1e12, "TB/s")
        else:
            continue
        try:
            lo, hi = hardware.family_range(family, attr, dtype)
        except (KeyError, ValueError):
            continue
        if lo != hi:
            spans.append(f"{lo / scale:g} to {hi / scale:g} {unit}")
    if not spans:
        return []
    return [f"the claims name the {family} family, not a part: the figures are the {inst.gpu}'s; across the family "
            f"they run {'; '.join(spans)}"]


def _present(idx: _Index, subject, scenario, rule: str, present: set[str]) -> bool:
    """``rule`` is a quantity key ("n_experts") or "key~word": a label of that key contains the word."""
    key, _, word = rule.partition("~")
    if not word:
        return key in present
    return any(word in (c.label or "").lower() for scen in idx.lineage(scenario)
               for c in _find(idx.by_key, None, subject, scen, key))


def _stated(idx: _Index, src, subject, scenario, keys) -> Claim | None:
    """The claim of the first of ``keys`` this group states: the source's own first, then another source's."""
    for key in keys:
        for s in (src, *(o for o in idx.order if o != src)):
            for scen in idx.lineage(scenario):
                found = [c for c in _find(idx.by_key, s, subject, scen, key) if c.is_quantitative
                         and c.interval.bounded and c.qualifier not in ("at_most", "less_than")]
                if found:
                    return sorted(found, key=lambda c: (bool(c.derived_from), c.id))[0]
    return None


def _gpu_label(idx: _Index, source, subject, scenario) -> str | None:
    by_key = idx.by_key
    for scen in idx.lineage(scenario):
        own = _find(by_key, source, subject, scen, "gpu_model")
        if own:
            return own[0].label
        anyone = _find(by_key, None, subject, scen, "gpu_model")
        if anyone:
            return anyone[0].label
    return None


# --------------------------------------------------------------------------- evaluation
def call_formula(formula, kwargs: dict, shape, meta: dict | None = None):
    """The formula on arrays, broadcast to ``shape``: (low, high, intermediate steps); low is high unless the
    formula returns a :class:`Span` (then ``meta["span"]`` holds it, when a dict is given)."""
    with np.errstate(all="ignore"):
        out = formula(**kwargs)
    derived, inter = out if isinstance(out, tuple) else (out, {})
    if meta is not None and isinstance(derived, Span):
        meta["span"] = derived
    lo, hi = (derived.low, derived.high) if isinstance(derived, Span) else (derived, derived)
    lo = np.broadcast_to(np.asarray(lo, dtype=float), shape)
    hi = lo if hi is derived else np.broadcast_to(np.asarray(hi, dtype=float), shape)
    return lo, hi, inter


def evaluate(inst: Instance, assumption_values: dict[str, tuple[float, str, str]], seed: int = 0,
             samples: int = 100_000, settings: VerdictSettings = SETTINGS, cache: dict | None = None,
             draws: list | None = None) -> CheckResult:
    """Evaluate one instance: bounds, Monte Carlo, verdict, and the arithmetic step by step.

    ``assumption_values`` maps assumption id -> (pint Quantity, value text, source). The derived
    distribution depends only on the check, the input claims and the assumptions, so instances that
    differ only in their target share it (through ``cache``); the generator is seeded from those, not
    from the target, and a result never depends on which other checks ran.
    """
    check = inst.check
    rid = inst.id
    kw_claims = inst.inputs.claims
    asm: dict[str, float] = {}
    asm_used: list[tuple[str, str, str]] = []
    asm_args: list[str] = []
    needed = [*check.assumptions.items(),
              *((kw, (aid, unit)) for kw, (_keys, aid, unit) in check.defaults.items()
                if kw not in kw_claims and aid is not None)]
    unstated = {kw: 0.0 for kw, (_keys, aid, _unit) in check.defaults.items() if kw not in kw_claims and aid is None}
    missing: list[str] = []  # datasheet figures the named accelerator does not have (no fp8 on an A100)
    notes_hw = _family_notes(inst, [aid for _kw, (aid, _u) in needed])
    for kw, (aid, unit) in needed:
        asm_args.append(kw)
        if inst.gpu:
            aid = aid.format(gpu=inst.gpu, family=inst.gpu.split("_")[0])
        alternatives = aid.split("|")  # "a|b": the first one defined (bf16 peak, else fp16 on a V100)
        aid = next((a for a in alternatives if a in assumption_values), alternatives[0])
        if aid not in assumption_values:
            if not (inst.gpu and aid.startswith(f"hw.{inst.gpu}.")):
                raise KeyError(f"check {check.id!r} needs assumption {aid!r}, which is not defined")
            missing.append(aid)
            asm[kw] = math.nan
            asm_used.append((aid, "not on the datasheet", "gpt4leak.hardware"))
            continue
        q, text, src = assumption_values[aid]
        try:
            asm[kw] = float(q.to(unit_of(unit)).magnitude)
        except Exception as exc:
            raise ValueError(f"assumption {aid!r} = {text}: cannot be used as {unit!r} by check {check.id!r} "
                             f"({exc})") from None
        asm_used.append((aid, text, src))

    asm.update(unstated)  # optional inputs no claim states: 0 tells the formula to use its convention
    key = (check.id, inst.subject, inst.scenario, tuple((kw, c.id, c.interval.low, c.interval.high)
                                                        for kw, c in kw_claims.items()),
           tuple(sorted(asm.items())), seed, samples)
    if cache is not None and key in cache and draws is None:
        p5, med, p95, d_lo, d_hi, inter_medians, is_span, usual = cache[key]
    else:
        rng = np.random.default_rng(_seed_for(seed, repr(key[:5])))
        # --- Monte Carlo: a point is passed as a scalar (numpy broadcasts it); ranges are sampled
        # a point stays a scalar (numpy broadcasts it), as numpy's float: a zero divisor gives inf, never an exception
        kw_samples = {kw: (np.float64(c.interval.low) if c.interval.low == c.interval.high
                           else c.interval.sample(rng, samples)) for kw, c in kw_claims.items()}
        lo, hi, inter = call_formula(check.formula, {**kw_samples, **asm}, (samples,))
        is_span = hi is not lo
        with np.errstate(all="ignore"):  # a non-finite end makes the result undetermined below
            derived = lo if hi is lo else lo + (hi - lo) * rng.uniform(0.0, 1.0, samples)  # a Span: uniform inside
        if draws is not None:  # the Monte Carlo itself, for a plot (the same stream the result summarises)
            draws.append(np.array(np.broadcast_to(derived, (samples,)), dtype=float))
        p5, med, p95 = _percentiles(derived) if np.all(np.isfinite(derived)) else (math.nan,) * 3
        # intermediate steps are shown to 4 digits: their medians from the first 10,000 samples suffice
        inter_medians = {name: (float(np.median(np.broadcast_to(arr, (samples,))[:10_000])), unit)
                         for name, (arr, unit) in inter.items()}
        # --- interval bounds (corners)
        names = list(kw_claims)
        corners = np.array(list(itertools.product(*[(kw_claims[k].interval.low, kw_claims[k].interval.high)
                                                    for k in names])), dtype=float).reshape(-1, len(names))
        n_c = corners.shape[0]
        meta: dict = {}
        c_low, c_high, _ = call_formula(check.formula, {**{k: corners[:, i] for i, k in enumerate(names)}, **asm},
                                        (n_c,), meta)
        d_lo, d_hi = float(np.min(c_low)), float(np.max(c_high))  # NaN propagates: undetermined
        span = meta.get("span")
        usual = None
        if span is not None and span.usual in ("low", "high"):
            end = c_low if span.usual == "low" else c_high
            usual = (float(np.min(end)), float(np.max(end)), span.usual, span.otherwise)
        if cache is not None:
            cache[key] = (p5, med, p95, d_lo, d_hi, inter_medians, is_span, usual)

    # --- claimed
    notes: list[str] = list(notes_hw)
    t = inst.target
    if t is not None:
        c_lo, c_hi = t.interval.low, t.interval.high
        label = t.id
        if set(t.derived_from) & {c.id for c in kw_claims.values()}:
            notes.append(f"{t.id} is computed from the inputs by its source: agreement is arithmetic, "
                         f"not corroboration")
        for c in kw_claims.values():
            if t.id in c.derived_from:
                notes.append(f"{c.id} is computed from {t.id} by its source: agreement is arithmetic, "
                             f"not corroboration")
    elif check.bound is not None:
        c_lo, c_hi, label = check.bound
    else:
        c_lo = c_hi = None
        label = ""
    reason = ""
    if missing:
        verdict, gap, slip, ratio = "undetermined", None, None, None
        reason = (f"the {inst.gpu} datasheet gives no {', '.join(a.rsplit('.', 1)[-1] for a in missing)} "
                  f"(gpt4leak.hardware): nothing to compute with")
    elif not (math.isfinite(d_lo) and math.isfinite(d_hi) and math.isfinite(med)):
        verdict, gap, slip, ratio = "undetermined", None, None, None
        reason = ("the derivation is not finite for these inputs (a zero where a divisor goes, or a value "
                  "outside the formula's domain)")
    elif c_lo is None:
        verdict, gap, slip, ratio = "info", None, None, None
    else:
        verdict, gap, slip = judge(c_lo, c_hi, d_lo, d_hi, check.unit, settings, check.slip_units)
        ref = c_lo if not math.isfinite(c_hi) else 0.5 * (c_lo + c_hi)
        # a constant limit ("fits in 40 GB") is not a claimed value: no ratio
        # against a span of conventions: the ratio to its nearest end (1 inside it)
        centre = min(max(ref, d_lo), d_hi) if is_span and math.isfinite(ref) else float(med)
        ratio = None if t is None else (ref / centre if centre != 0 else math.inf)
    if usual is not None and verdict == "consistent" and t is not None:
        u_lo, u_hi, _end, otherwise = usual
        if not (c_hi >= u_lo and u_hi >= c_lo):  # agrees, but not under the usual convention
            notes.append(f"consistent only under another convention: {otherwise}")
    display_unit = check.display_unit or auto_unit(check.unit, float(med) if math.isfinite(med) else 1.0)

    steps: list[Step] = []
    for kw, c in kw_claims.items():
        steps.append(Step("input", kw, c.interval.low, c.interval.high, c.interval.unit, c.id, c.rule or ""))
    for kw, (aid2, text, src) in zip(asm_args, asm_used):
        steps.append(Step("assumption", kw, ref=aid2, detail=src, text=text))
    for kw in unstated:
        steps.append(Step("unstated", kw))
    steps.append(Step("equation", "", detail=check.equation))
    for name, (value, unit) in inter_medians.items():
        steps.append(Step("intermediate", name, value, value, unit))
    steps.append(Step("derived", "derived", float(d_lo), float(d_hi), check.unit,
                      values=(float(med), float(p5), float(p95))))
    if c_lo is not None:
        kind = "limit" if t is None and c_lo == 0 else "claimed"  # a constant limit is not a claim
        steps.append(Step(kind, kind, c_lo, c_hi, check.unit, label))
        if verdict == "undetermined":
            steps.append(Step("verdict", verdict, detail=reason))
        else:
            steps.append(Step("verdict", verdict, values=(ratio, gap)))
    own = {inst.inputs.source, *inst.inputs.also}
    borrowed = tuple(c.id for kw, c in kw_claims.items() if kw in check.inputs and c.source not in own)
    if t is not None:
        result_class = "claim vs claim" if t.source in own else "claim vs other source"
    elif check.bound is not None:
        result_class = "claim vs limit"
    else:
        result_class = "derived"
    if check.what_if:
        result_class = "what-if"
    return CheckResult(
        id=rid, check_id=check.id, question=check.question, equation=check.equation,
        subject=inst.subject, scenario=inst.scenario, verdict=verdict, unit=check.unit,
        display_unit=display_unit, derived_median=float(med), derived_p5=float(p5), derived_p95=float(p95),
        derived_low=d_lo, derived_high=d_hi, claimed_low=c_lo, claimed_high=c_hi, claimed_label=label,
        ratio=ratio, gap=gap, slip=slip, input_claims=tuple(kw_claims.values()), input_args=tuple(kw_claims),
        input_sources=(inst.inputs.source, *inst.inputs.also), target_claim=t,
        target_sources=((t.source, *inst.target_also) if t is not None else ()), quotes=inst.quotes,
        assumptions=tuple(asm_used), steps=tuple(steps), notes=tuple(notes), seed=seed, samples=samples,
        result_class=result_class, assumption_args=tuple(asm_args), reason=reason, is_span=is_span,
        keys=inst.keys, borrowed=borrowed)
