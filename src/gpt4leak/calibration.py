"""Calibration: does the fact-check cry wolf on published, true training runs?

Every control catalogue in ``claims/controls/`` (numbers from a model's own paper
or model card) is run through the very same relations as the leak. A tension, a
contradiction or a unit slip there is a *false alarm*; the target is zero. Each
carries its reason, found by the arithmetic: the nearest move of an input or an
assumption that makes it consistent (see :mod:`gpt4leak.checks.robustness`).

*Negative controls* are the same catalogues mis-stated on purpose, one claim at a
time (:data:`MUTATIONS`: compute x1000, size x1000, a cost in cents read as dollars, twice the
GPUs, multi-query attention stated for a multi-head model, the expert count and
top-k swapped). Each must be caught: some result that uses the mis-stated claim
raises an alarm. A mutation no relation reaches is reported as not exercised.

*Source discrepancies* (``claims/controls/known/discrepancies.yaml``) are alarms that reproduce a disagreement
inside a source's own numbers (a paper's "about 3.5 months" against its own GPU-hours). Each names the control,
the check and the claim, with the arithmetic as its reason; calibration lists them apart from false alarms, and
a listed discrepancy that no longer raises an alarm is an error (the list cannot hide a regression).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

from .catalogue import default_catalogue_path, load_catalogue

__all__ = ["calibrate", "CalibrationReport", "control_paths"]

FALSE_ALARMS = ("tension", "contradiction", "unit_slip")


def _scaled(factor):
    def mutate(claim, catalogue):
        iv = claim.interval
        if iv.low == iv.high:
            return f"{iv.low * factor!r} {claim.unit}"
        return f"{iv.low * factor!r} to {iv.high * factor!r} {claim.unit}"
    return mutate


def _shown(text: str, unit: str | None) -> str:
    """A mutated value for people: "1.76e+14 parameter" -> "176 Tparameter"."""
    from .formatting import human_range
    from .units import parse_value
    try:
        pv = parse_value(text, default_unit="dimensionless")
        lo, hi = (float(q.to(unit or "dimensionless").magnitude) for q in (pv.low, pv.high))
    except Exception:  # a label or an unparsable mutation: as written
        return text
    u = unit or "dimensionless"
    return human_range(lo, hi, u)


def _mqa(claim, catalogue):
    heads = [c for c in catalogue.claims if c.quantity == "n_heads" and c.subject == claim.subject]
    if not heads or claim.interval.low != heads[0].interval.low or claim.interval.low == 1:
        return None  # only an MHA model (kv heads = heads) can be mis-stated as MQA
    return "1"


def _swap_experts(claim, catalogue):
    k = [c for c in catalogue.claims if c.quantity == "experts_per_token" and c.subject == claim.subject
         and c.is_quantitative]
    return f"{k[0].interval.low!r}" if k and k[0].interval.low != claim.interval.low else None


#: (name, quantity key, how to mis-state a claim of it; None when it does not apply)
MUTATIONS = (
    ("compute x1000", "training_flop", _scaled(1000.0)),
    ("size x1000", "total_params", _scaled(1000.0)),
    ("cents read as dollars", "training_cost", _scaled(100.0)),
    ("twice the GPUs", "n_gpus", _scaled(2.0)),
    ("MQA stated for an MHA model", "n_kv_heads", _mqa),
    ("expert count swapped with top-k", "n_experts", _swap_experts),
)


@dataclass(frozen=True)
class NegativeControl:
    control: str
    mutation: str
    claim_id: str
    value: str
    caught: bool
    alarms: tuple[str, ...]  # result ids that raised an alarm on the mis-stated claim
    shown: str = ""  # the mis-stated value for people


@dataclass(frozen=True)
class Discrepancy:
    control: str
    check: str
    claim: str
    reason: str

    def matches(self, control: str, r) -> bool:
        ids = {c.id for c in r.input_claims} | ({r.target_claim.id} if r.target_claim is not None else set())
        return control == self.control and r.check_id == self.check and self.claim in ids


def discrepancies(folder: str | Path | None = None) -> tuple[Discrepancy, ...]:
    """The source discrepancies listed beside the controls (empty when there is no list)."""
    from .catalogue import CatalogueError, _read
    root = Path(folder) if folder is not None else default_catalogue_path() / "controls"
    path = root / "known" / "discrepancies.yaml"
    if not path.exists():
        return ()
    problems: list = []
    rows = _read(path, str(path), problems, allowed={"discrepancies"})
    if rows is None:
        raise CatalogueError(problems)
    entries = rows.get("discrepancies") or []
    if not isinstance(entries, list):
        raise ValueError(f"{path}: discrepancies: expected a list of entries, got {type(entries).__name__}")
    out = []
    for i, row in enumerate(entries):
        if not isinstance(row, dict):
            raise ValueError(f"{path}: entry {i + 1}: expected a mapping, got {type(row).__name__}")
        missing = {"control", "check", "claim", "reason"} - set(row)
        if missing:
            raise ValueError(f"{path}: entry {i + 1}: missing {', '.join(sorted(missing))}")
        out.append(Discrepancy(str(row["control"]), str(row["check"]), str(row["claim"]), str(row["reason"])))
    return tuple(out)


def root_of(folder: str | Path | None) -> Path:
    return Path(folder) if folder is not None else default_catalogue_path() / "controls"


def control_paths(folder: str | Path | None = None) -> list[Path]:
    root = Path(folder) if folder is not None else default_catalogue_path() / "controls"
    if not root.is_dir():
        raise ValueError(f"{root}: no such folder of control catalogues")
    paths = sorted(p for p in root.iterdir() if p.suffix in (".yaml", ".yml"))
    if not paths:  # "0 false alarms" over nothing would read as a pass
        raise ValueError(f"{root}: no control catalogues (*.yaml) to calibrate on")
    return paths


@dataclass(frozen=True)
class CalibrationReport:
    reports: dict  # control file name -> Report
    negatives: tuple = ()  # NegativeControl per applicable mutation
    known: tuple = ()  # Discrepancy: alarms that reproduce a disagreement inside a source's own numbers
    undetectable: tuple = ()  # (control, mutation, claim id) that no relation could tell from the truth

    def known_for(self, control: str, r):
        return next((d for d in self.known if d.matches(control, r)), None)

    @property
    def explained(self) -> list:
        """(control, result, discrepancy) for every alarm a listed source discrepancy explains."""
        return [(name, r, d) for name, rep in self.reports.items() for r in rep.results
                if r.is_alarm and (d := self.known_for(name, r)) is not None]

    @property
    def stale(self) -> tuple:
        """Listed discrepancies that no alarm reproduces any more."""
        used = {id(d) for _n, _r, d in self.explained}
        return tuple(d for d in self.known if id(d) not in used)

    @property
    def negatives_caught(self) -> int:
        return sum(1 for n in self.negatives if n.caught)

    @property
    def negatives_exercised(self) -> tuple:
        return tuple(n for n in self.negatives if n.alarms is not None)

    @property
    def results(self):
        return [r for rep in self.reports.values() for r in rep.results]

    @property
    def judged(self) -> int:
        return sum(1 for r in self.results if r.verdict != "info")

    @property
    def false_alarms(self) -> int:
        return sum(1 for name, rep in self.reports.items() for r in rep.results
                   if r.verdict in FALSE_ALARMS and self.known_for(name, r) is None)

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.judged if self.judged else 0.0

    def reasons(self, r) -> str:
        """Why a non-consistent result is so: the nearest move that makes it consistent."""
        for f in r.robustness:
            if f.new_verdict == "consistent":
                return f"consistent if {f.text}"
        return "no single input or assumption within x100 makes it consistent"

    def to_text(self, width: int = 80) -> str:
        lines = ["Calibration on published training runs (claims/controls/)", ""]
        for name, rep in self.reports.items():
            c = rep.counts()
            lines.append(f"{name}: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in c.items() if v))
            for r in rep.results:
                if r.verdict in FALSE_ALARMS:
                    d = self.known_for(name, r)
                    why = f"source discrepancy: {d.reason}" if d else self.reasons(r)
                    lines += textwrap.wrap(f"{r.verdict.upper()} {r.id}: {why}", width,
                                           initial_indent="  ", subsequent_indent="    ")
        lines += [""] + textwrap.wrap(
            f"{self.judged} verdicts on {len(self.reports)} controls; false alarms (tensions, contradictions and "
            f"unit slips): {self.false_alarms} ({100 * self.false_alarm_rate:.1f} %); source discrepancies "
            f"(alarms true of the source's own numbers, claims/controls/known/discrepancies.yaml): {len(self.explained)}",
            width)
        if self.negatives:
            lines += ["", f"Negative controls (mis-stated on purpose): {self.negatives_caught} of "
                          f"{len(self.negatives)} caught"]
            if self.undetectable:
                lines += textwrap.wrap(
                    f"{len(self.undetectable)} more could not be told from the truth (the claims they meet are too "
                    f"imprecise, or already in a listed source discrepancy): " + "; ".join(f"{c} {m} ({i})" for c, m, i in self.undetectable),
                    width, initial_indent="  ", subsequent_indent="    ")
            for n in self.negatives:
                lines += textwrap.wrap(f"{'caught' if n.caught else 'MISSED'}: {n.control}, {n.mutation} "
                                       f"({n.claim_id} = {n.shown})", width, initial_indent="  ",
                                       subsequent_indent="    ")
        return "\n".join(lines)

    def to_markdown(self) -> str:
        from .report import for_markdown
        out = ["## Calibration on published training runs", "",
               "The same relations on control catalogues of published, true training runs "
               "(`claims/controls/`). A contradiction or unit slip there is a false alarm.", "",
               "| control | consistent | tension | contradiction | unit slip | info |", "|---|---|---|---|---|---|"]
        for name, rep in self.reports.items():
            c = rep.counts()
            out.append(f"| {name} | {c['consistent']} | {c['tension']} | {c['contradiction']} | "
                       f"{c['unit_slip']} | {c['info']} |")
        out += ["", f"False alarms: **{self.false_alarms}** of {self.judged} verdicts "
                    f"({100 * self.false_alarm_rate:.1f} %).", ""]
        for name, rep in self.reports.items():
            for r in rep.results:
                if r.verdict in FALSE_ALARMS:
                    d = self.known_for(name, r)
                    why = f"source discrepancy: {d.reason}" if d else self.reasons(r)
                    out.append(f"- `{r.id}` ({r.verdict}): {for_markdown(why)}.")
        return "\n".join(out) + "\n"


def calibrate(folder: str | Path | None = None, seed: int = 0, samples: int = 20_000,
              negatives: bool = True) -> CalibrationReport:
    """Run every relation on every control catalogue (each file on its own), then the negative controls."""
    from .checks import check_all
    reports = {}
    found = []
    undetectable: list[tuple[str, str, str]] = []
    known = discrepancies(folder)
    for path in control_paths(folder):
        cat = load_catalogue(path)
        reports[path.stem] = rep = check_all(cat, seed=seed, samples=samples)
        if not negatives:
            continue
        for name, key, mutate in MUTATIONS:
            for claim in cat.claims:
                if claim.quantity != key or not claim.is_quantitative or not claim.interval.bounded:
                    continue
                # a relation can catch a mis-statement only when it compares with a two-sided claim
                used = [r for r in rep.results if r.verdict not in ("info", "undetermined")
                        and r.target_claim is not None and r.claimed_high is not None
                        and r.claimed_low > 0 and r.claimed_high < float("inf")
                        and claim.id in r.compared_claims]
                value = mutate(claim, cat)
                if value is None or not used:
                    continue  # the mutation does not apply, or no relation reaches this claim
                wrong = check_all(cat, claims={claim.id: value}, seed=seed, samples=2_000, robust=False,
                                  only=sorted({r.check_id for r in used}))
                before = {r.id: (r.derived_low, r.derived_high) for r in used}
                mutated = next(c for c in wrong.catalogue.claims if c.id == claim.id).interval

                def detectable(r) -> bool:
                    """The mis-statement moves this result clear of where it was: the relation can tell."""
                    if r.target_claim is not None and r.target_claim.id == claim.id:
                        return mutated.low > claim.interval.high or mutated.high < claim.interval.low
                    lo, hi = before.get(r.id, (None, None))
                    if lo is None:  # a claim merged into another source's reading now stands apart: the
                        # result it split from is the baseline
                        was_here = [before[u.id] for u in used if u.check_id == r.check_id]
                        if not was_here:
                            return False
                        lo, hi = min(b[0] for b in was_here), max(b[1] for b in was_here)
                    return r.derived_low > hi or r.derived_high < lo
                reached = [r for r in wrong.results if detectable(r)]
                if any(d.matches(path.stem, r) for r in used for d in known):
                    # the relation already shows a listed discrepancy of the source: no true baseline to miss
                    undetectable.append((path.stem, name, claim.id))
                    continue
                if not reached:
                    # no relation can tell: the claims it meets are too imprecise (or it does not enter them)
                    undetectable.append((path.stem, name, claim.id))
                    continue
                was = {r.id: r for r in used}
                # an alarm the mis-statement raised (or widened), not one the control had already
                alarms = tuple(r.id for r in reached if r.is_alarm and (
                    r.id not in was or not was[r.id].is_alarm or (r.gap or 1) > 1.5 * (was[r.id].gap or 1)))
                found.append(NegativeControl(path.stem, name, claim.id, value, bool(alarms), alarms,
                                             _shown(value, claim.unit)))
    out = CalibrationReport(reports, tuple(found), known, tuple(undetectable))
    if out.judged == 0:  # "0 false alarms" over no verdict at all would read as a pass
        raise ValueError(f"{root_of(folder)}: no control has a claim a relation can judge (0 verdicts)")
    return out
