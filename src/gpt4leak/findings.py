"""Findings: what a report says, one sentence per leaked number or relation, alarms first.

A finding groups the results that say the same thing: one check, one subject and scenario, one verdict, one
quantity compared (a digest and its translation, or two readings of the same inputs, are one finding that names
every source). Findings come in result-class order (claim vs claim, claim vs other source, claim vs limit,
what-if) and, within a class, unit slips, contradictions, tensions, then agreement. Each reads as a sentence a
blogger can quote, numbers as practitioners write them (:mod:`gpt4leak.formatting`), with the claim ids behind
it for anyone who checks.

Nothing here computes: it orders and words the engine's results.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .formatting import human, human_range
from .outcomes import RESULT_CLASSES as CLASS_ORDER
from .outcomes import VERDICT_ORDER
from .quantities import QUANTITIES, SHARES, name_of, short_name_of

__all__ = ["Finding", "findings", "claimed_as_written", "VERDICT_ORDER", "CLASS_ORDER"]

_WORD = {"unit_slip": "unit slip", "contradiction": "contradiction", "tension": "tension",
         "consistent": "agrees", "info": "derived", "undetermined": "undetermined"}


@dataclass(frozen=True)
class Finding:
    """One thing the report finds: a verdict on a claimed number (or a limit, or a what-if) and its sentence."""

    verdict: str
    result_class: str
    check_id: str
    subject: str
    scenario: str
    quantity: str | None  # the target claim's quantity key (None for a limit or a derived figure)
    sentence: str  # the quotable line, numbers with units
    claims: tuple[str, ...]  # claim ids compared (targets first, then inputs)
    sources: tuple[str, ...]  # the sources of the claimed numbers compared
    results: tuple  # the CheckResults grouped here (the first is the one the sentence quotes)
    lent: bool = False  # every result borrows an input from another source (counted apart from the headline)

    @property
    def anchor(self) -> str:
        """A stable anchor for links: the first result's id, made safe for HTML and Markdown."""
        return "f-" + re.sub(r"[^a-z0-9]+", "-", self.results[0].id.lower()).strip("-")

    @property
    def all_sources(self) -> tuple[str, ...]:
        """Every source the finding reads: those of the compared numbers, then those of its inputs."""
        inputs = (c.source for r in self.results for c in r.input_claims)
        return tuple(dict.fromkeys((*self.sources, *inputs)))

    @property
    def title(self) -> str:
        """A heading: the quantity compared ("Total parameters"), or the question a limit or what-if asks."""
        r = self.results[0]
        if self.quantity is not None:
            return name_of(self.quantity)
        return r.question

    @property
    def word(self) -> str:
        return _WORD[self.verdict]

    @property
    def is_alarm(self) -> bool:
        return self.verdict in ("unit_slip", "contradiction", "tension")

    def __repr__(self) -> str:
        return f"<Finding {self.word}: {self.sentence[:100]}>"


def _unit_of(claim) -> str:
    return "percent" if claim.quantity in SHARES else (QUANTITIES[claim.quantity].unit or "dimensionless")


def _times(key: str | None, text: str) -> str:
    """A ratio reads as a factor: "2x", "0.431x" (not a bare "2")."""
    if key is not None and "ratio" in key and QUANTITIES.get(key) and QUANTITIES[key].unit == "dimensionless":
        return re.sub(r"(?<=[0-9])(?=$| to | \()", "x", text, count=0)
    return text


def claimed_as_written(claim) -> str:
    """A claim's number as its words give it, in practitioners' units: "~1.8T params", "90 to 100 days",
    "more than $100M", "32 to 36%"."""
    if not claim.is_quantitative:
        return claim.label or ""
    return _times(claim.quantity, _as_written(claim))


def _as_written(claim) -> str:
    iv, unit = claim.interval, _unit_of(claim)
    q = claim.qualifier
    if q in ("more_than", "at_least"):
        return f"{q.replace('_', ' ')} {human(iv.low, unit)}"
    if q in ("at_most", "less_than"):
        return f"{q.replace('_', ' ')} {human(iv.high, unit)}"
    if q == "approximately" and claim._parsed is not None and not claim._parsed.is_range:
        return "~" + human(claim.magnitude, unit)
    if q == "denied":
        return f"{claim.value} (denied)"
    return human_range(iv.low, iv.high, unit)


def _names(claims) -> str:
    names = list(dict.fromkeys(short_name_of(c.quantity) for c in claims if c.quantity in QUANTITIES))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else "the inputs"


def _sources(ids) -> str:
    ids = list(dict.fromkeys(ids))
    return ", ".join(ids[:3]) + (f" +{len(ids) - 3}" if len(ids) > 3 else "")


def _derived(r) -> str:
    """The derivation, short: its median, or the ends of a span of conventions."""
    if r.verdict == "undetermined":
        return "no finite value"
    key = r.target_claim.quantity if r.target_claim is not None else None
    if r.is_span:
        return _times(key, r.display_range(r.derived_low, r.derived_high))
    return _times(key, r.display(r.derived_median))


def _sentence(r, group, main_subject: str) -> str:
    where = ([r.subject] if r.subject != main_subject else []) + (
        [r.scenario.replace("_", " ")] if r.scenario != "main" else [])
    return (", ".join(where) + ": " if where else "") + _what(r, group)


def _what(r, group) -> str:
    derived = _derived(r)
    t = r.target_claim
    if r.check_id.startswith("agree.") and t is not None and r.input_claims:
        a = r.input_claims[0]
        return (f"{name_of(t.quantity)}: {claimed_as_written(t)} ({_sources(c.target_claim.source for c in group)}) "
                f"{_verb(r)} {claimed_as_written(a)} ({_sources(c.input_claims[0].source for c in group)})"
                + _ratio(r))
    if t is not None:
        said = claimed_as_written(t) if r.slip is None else f"{t.value} as written"
        targets = list(dict.fromkeys(c.target_claim.source for c in group))
        lent: dict[str, list] = {}  # another source -> the inputs it gives
        for i in r.input_claims:
            if i.source not in targets:
                lent.setdefault(i.source, []).append(i)
        if len(lent) == 1 and len(next(iter(lent.values()))) == len(r.input_claims):
            origin = f"{next(iter(lent))}'s {_names(r.input_claims)}"  # "from semafor2023's total parameters"
        else:
            origin = f"the {_names(r.input_claims)}" + (
                " (" + "; ".join(f"{_names(claims)} from {src}" for src, claims in lent.items()) + ")"
                if lent else "")
        line = f"{name_of(t.quantity)} {said} ({_sources(targets)}) {_verb(r)} {derived} from {origin}" + _ratio(r)
        if r.slip is not None:
            line += f"; it fits if {r.slip.reading}"
        return line
    question = r.question.rstrip("?")
    if r.is_bound:
        answer = {"consistent": "within it", "tension": "at its edge", "contradiction": "beyond it",
                  "unit_slip": "beyond it by a unit factor", "undetermined": "undetermined"}.get(r.verdict, r.verdict)
        return f"{question}? {derived} (limit: {r.claimed_label or r.claimed_text}): {answer}"
    return f"{question}: {derived}"


def _verb(r) -> str:
    return {"consistent": "agrees with", "tension": "is in tension with", "contradiction": "contradicts",
            "unit_slip": "is a unit slip: first principles give", "undetermined": "cannot be set against"}.get(
        r.verdict, "against")


def _ratio(r) -> str:
    return f" (ratio {r.ratio:.3g})" if r.ratio is not None and r.verdict != "unit_slip" else (
        f" (off by {r.slip.factor:g}x)" if r.slip is not None else "")


def findings(report, *, verdicts=None, classes=None) -> list[Finding]:
    """The report's findings, grouped and ordered (see the module doc); ``verdicts`` and ``classes`` filter."""
    from collections import Counter
    main_subject = Counter(r.subject for r in report.results).most_common(1)[0][0] if report.results else ""
    groups: dict[tuple, list] = {}
    for r in report.results:
        if verdicts is not None and r.verdict not in verdicts:
            continue
        if classes is not None and r.result_class not in classes:
            continue
        tq = r.target_claim.quantity if r.target_claim is not None else None
        key = (r.result_class, bool(r.borrowed), r.check_id, r.subject, r.scenario, r.verdict, tq,
               r.target_claim.id if r.target_claim is not None and r.check_id.startswith("agree.") else None)
        groups.setdefault(key, []).append(r)
    out = []
    for key, group in groups.items():
        r = group[0]
        claims = [c.target_claim.id for c in group if c.target_claim is not None]
        claims += [i.id for c in group for i in c.input_claims]
        sources = [c.target_claim.source for c in group if c.target_claim is not None] or \
            [s for c in group for s in c.input_sources]
        out.append(Finding(r.verdict, r.result_class, r.check_id, r.subject, r.scenario, key[6], _sentence(r, group, main_subject),
                           tuple(dict.fromkeys(claims)), tuple(dict.fromkeys(sources)), tuple(group),
                           all(c.borrowed for c in group)))
    rank = {c: i for i, c in enumerate(CLASS_ORDER)}
    vrank = {v: i for i, v in enumerate(VERDICT_ORDER)}
    order = {id(f): i for i, f in enumerate(out)}
    def section(f):  # own comparisons first (the headline), then every lent one together, limits, what-ifs
        if f.lent and f.result_class in CLASS_ORDER[:2]:
            return 2
        return rank.get(f.result_class, 9) + (1 if rank.get(f.result_class, 9) >= 2 else 0)
    return sorted(out, key=lambda f: (section(f), vrank.get(f.verdict, 9), order[id(f)]))
