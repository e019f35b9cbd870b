"""The fact-check: every relation instantiated on the catalogue and evaluated with uncertainty.

>>> import gpt4leak as gl
>>> rep = gl.check_all()                                   # the shipped catalogue
>>> rep = gl.check_all(assumptions={"price.a100_hour": "1.5 USD/GPU/hour"})
>>> rep = gl.check_all(claims={"peleg2023.n_experts": "8"})  # what if
>>> print(gl.explain("cost.training_cost"))              # (gpt4leak.report.explain: text is a face)

The engine returns numbers in base units; every text a reader sees is made by :mod:`gpt4leak.report`, which
``Report``'s face methods (``to_table``, ``to_json``...) call on demand.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from dataclasses import dataclass, field

import pint
from pydantic import ValidationError

from ..catalogue import Catalogue, load_catalogue
from ..records import Assumption, Claim
from ..units import Q_, UnitError, check_dimension, parse_value
from .core import Check, CheckResult, Step, check_id_of, evaluate, instantiate, split_key
from .definitions import CHECKS, check_by_id
from .independence import Support, support_index
from .robustness import Flip, robustness
from .core import RESULT_CLASSES
from .verdicts import SETTINGS, VERDICTS, VerdictSettings

HEADLINE_CLASSES = ("claim vs claim", "claim vs other source")

__all__ = ["check_all", "draws", "Report", "Check", "CheckResult", "CHECKS", "check_by_id",
           "assumption_table", "OverrideError", "Flip", "Support"]

DEFAULT_SAMPLES = 100_000


class OverrideError(KeyError):
    """An override names an unknown id or carries a value of the wrong unit."""

    def __str__(self):  # KeyError quotes its message; show it plainly
        return str(self.args[0])


def _hardware_assumptions() -> dict[str, tuple[pint.Quantity, str, str]]:
    from .. import hardware
    out = {}
    for gid, g in hardware.GPUS.items():
        src = f"{g.source.title} ({g.source.url})"
        for dtype, v in g.peak_flop_per_s.items():
            out[f"hw.{gid}.peak_{dtype}"] = (Q_(v, "FLOP/s/GPU"), f"{v / 1e12:g} TFLOP/s", src)
        out[f"hw.{gid}.hbm_bytes"] = (Q_(g.hbm_bytes, "byte"), f"{g.hbm_bytes / 1e9:g} GB", src)
        out[f"hw.{gid}.hbm_bandwidth"] = (Q_(g.hbm_bandwidth, "byte/s"), f"{g.hbm_bandwidth / 1e9:g} GB/s", src)
    return out


def assumption_table(catalogue: Catalogue, overrides: dict | None = None
                     ) -> dict[str, tuple[pint.Quantity, str, str]]:
    """Every assumption by id -> (Quantity, value text, source), overrides applied (and checked)."""
    table = _hardware_assumptions()
    plausible = {}
    for a in _all_assumptions(catalogue):  # the catalogue's own, then the shipped ones it does not redefine
        table[a.id] = (a.quantity_value, a.value, a.source)
        if a.plausible_range is not None:
            plausible[a.id] = a.plausible_range
    for aid, value in (overrides or {}).items():
        if aid not in table:
            raise OverrideError(f"unknown assumption id {aid!r} in overrides; known: {', '.join(sorted(table))}")
        old = table[aid][0]
        try:
            q = value if isinstance(value, pint.Quantity) else (
                _one_value(value) if isinstance(value, str) else Q_(float(value), old.units))
            check_dimension(q, f"{old.units}" if not old.dimensionless else "dimensionless",
                            f"override of assumption {aid!r}")
        except (UnitError, ValueError, TypeError) as exc:
            msg = str(exc)
            raise OverrideError(msg if repr(aid) in msg else f"override of assumption {aid!r}: {msg}") from None
        if not math.isfinite(q.magnitude):
            raise OverrideError(f"override of assumption {aid!r}: value is not finite")
        q = q.to(old.units)
        if q.magnitude <= 0:
            raise OverrideError(f"override of assumption {aid!r}: {value!r} must be positive")
        rng = plausible.get(aid)
        if rng is not None and not (rng[0].to(old.units).magnitude <= q.magnitude <= rng[1].to(old.units).magnitude):
            raise OverrideError(f"override of assumption {aid!r}: {value!r} is outside its plausible range "
                                f"{rng[0]:~P} to {rng[1]:~P} (widen the range in a catalogue file to explore further)")
        table[aid] = (q, f"{value} (override)", "user override")
    return table


def _one_value(text: str):
    pv = parse_value(text)
    if pv.is_range:  # "1 to 2 USD/GPU/hour" silently used 1 before
        raise UnitError(f"{text!r} is a range; an assumption takes one value (try each end)")
    if pv.qualifier:  # "at most 1.5" read as 1.5 before
        raise UnitError(f"{text!r} is a bound ({pv.qualifier.replace('_', ' ')}); an assumption takes one value")
    return pv.low


def _override_claims(catalogue: Catalogue, claims: dict) -> Catalogue:
    new = []
    for cid, value in claims.items():
        if cid not in catalogue or not isinstance(catalogue[cid], Claim):
            raise OverrideError(f"unknown claim id {cid!r} in overrides")
        old: Claim = catalogue[cid]
        if isinstance(value, pint.Quantity):
            value = f"{value.magnitude!r} {value.units:~}" if not value.dimensionless else repr(value.magnitude)
        text = str(value)
        try:
            pv = parse_value(text)
        except UnitError as exc:
            raise OverrideError(f"override of claim {cid!r}: {exc}") from None
        qualifier = "between" if pv.is_range else ("exact" if old.qualifier == "between" else old.qualifier)
        data = old.model_dump()
        # the stated half-width belonged to the old wording: the new value carries its own digits' precision
        data.update(value=text, qualifier=qualifier, half_width=None,
                    notes=f"{old.notes} [what-if override: {text}]".strip())
        try:
            new.append(Claim.model_validate(data))
        except ValidationError as exc:
            msg = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'value'}: {e['msg']}" for e in exc.errors())
            raise OverrideError(f"override of claim {cid!r}: {msg}") from None
    return catalogue.replace(claims=new)


def draws(result_id: str, catalogue: Catalogue | str | None = None, *, seed: int = 0,
          samples: int = DEFAULT_SAMPLES, assumptions: dict | None = None, claims: dict | None = None):
    """The Monte Carlo draws behind one result (a numpy array in the result's base unit): the same seeded stream
    whose median and 5-95 % interval the result reports, for a histogram. ``result_id`` as in
    ``CheckResult.id``; the other arguments as given to :func:`check_all`."""
    if not isinstance(catalogue, Catalogue):
        catalogue = load_catalogue(catalogue)
    if claims:
        catalogue = _override_claims(catalogue, claims)
    check = check_by_id(check_id_of(result_id))
    table = assumption_table(catalogue, assumptions)
    for inst in instantiate(check, catalogue, gpu_resolver=_gpu_id):
        if inst.id == result_id:
            out: list = []
            evaluate(inst, table, seed=seed, samples=samples, draws=out)
            return out[0]
    raise KeyError(f"no result {result_id!r} in this catalogue (see CheckResult.id)")


def check_all(catalogue: Catalogue | str | None = None, *, assumptions: dict | None = None,
              claims: dict | None = None, only: list[str] | tuple[str, ...] | None = None, seed: int = 0,
              samples: int = DEFAULT_SAMPLES, settings: VerdictSettings | None = None,
              checks: tuple[Check, ...] | None = None, robust: bool = True) -> "Report":
    """Evaluate every check on the catalogue.

    Parameters
    ----------
    catalogue : Catalogue, path or None
        None loads the shipped GPT-4 catalogue.
    assumptions : dict
        id -> value ("1.5 USD/GPU/hour" or a Quantity): replaces an assumption.
    claims : dict
        claim id -> value as written ("8", "90 to 120 days"): replaces a claim's value (what-if).
    only : list of str
        check ids or result-id prefixes to keep.
    seed, samples
        Monte Carlo seed and sample count; the same seed gives the same numbers, byte for byte.
    settings : VerdictSettings or None
        The verdict thresholds (None: the documented defaults, ``checks.verdicts.SETTINGS``).
    checks : tuple of Check or None
        The relations to run (None: every shipped one, ``gpt4leak.CHECKS``).
    robust : bool
        Also find, for every verdict, the nearest move of each assumption and input that flips it,
        and whether any value inside an assumption's plausible range does (see checks.robustness).
    """
    settings = SETTINGS if settings is None else settings
    checks = CHECKS if checks is None else checks
    if not isinstance(samples, int) or isinstance(samples, bool) or samples < 1:
        raise ValueError(f"samples must be a positive whole number, got {samples!r}")
    if only:
        unknown = [o for o in only if not any(_selects(o, c.id) for c in checks)]
        if unknown:
            raise OverrideError(f"--only: no check matches {', '.join(map(repr, unknown))}; "
                                f"known checks: {', '.join(c.id for c in checks)}")
    if not isinstance(catalogue, Catalogue):
        catalogue = load_catalogue(catalogue)
    if claims:
        catalogue = _override_claims(catalogue, claims)
    table = assumption_table(catalogue, assumptions)
    plausible = {a.id: a.plausible_range for a in _all_assumptions(catalogue) if a.plausible_range}
    support = support_index(catalogue)
    instances = [inst for check in checks if not only or any(_selects(o, check.id) for o in only)
                 for inst in instantiate(check, catalogue, gpu_resolver=_gpu_id)
                 if not only or any(_selects(o, check.id, inst.id) for o in only)]
    mc_cache: dict = {}

    def judge(inst) -> CheckResult:
        r = evaluate(inst, table, seed=seed, samples=samples, settings=settings, cache=mc_cache)
        return _finish(r, inst.check, table, plausible, support, settings, robust)

    if len(instances) > 16:  # numpy releases the GIL on large arrays: two threads, results in order, seeded per result
        from concurrent.futures import ThreadPoolExecutor
        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(judge, instances))
    else:
        results = [judge(inst) for inst in instances]
    return Report(tuple(results), catalogue, seed, samples, dict(assumptions or {}), dict(claims or {}),
                  tuple(only or ()))


def _finish(r: CheckResult, check: Check, table, plausible, support, settings, robust: bool) -> CheckResult:
    """Support counts, robustness, and the cap: a contradiction an assumption's plausible range reconciles is
    at most a tension, with the value named."""
    claims_used = (*r.input_claims, *([r.target_claim] if r.target_claim is not None else []))
    r = dataclasses.replace(r, support=tuple(support[c.id] for c in claims_used if c.id in support))
    if not robust and r.verdict not in ("contradiction", "unit_slip"):
        return r  # nothing to attach and nothing to cap
    flips, is_robust, reconcile = robustness(r, check, table, plausible, settings)
    if r.verdict in ("contradiction", "unit_slip") and reconcile is not None:
        aid, value = reconcile
        reason = (f"capped from {r.verdict.replace('_', ' ')}: the claims agree when {aid} = {value}, "
                  f"inside its documented plausible range")
        r = dataclasses.replace(r, verdict="tension", slip=None, reason=reason,
                                steps=(*r.steps, Step("cap", "tension", detail=reason)))
        is_robust = False  # it rests on an assumption's default; the flips stay those of the uncapped verdict
    if robust:
        r = dataclasses.replace(r, robustness=flips, robust=is_robust)
    return r


def _selects(token: str, check_id: str, result_id: str | None = None) -> bool:
    """Does an ``only`` token select this check (and result)?

    A token is a check id ("flops.implied_mfu", not also "flops.implied_mfu_fp8"), a family ("cost" or
    "cost."), a result id, or a result-id prefix that ends at a separator ("cost.training_cost@h100_rerun").
    """
    base = re.split(r"[/@~\[]", token, maxsplit=1)[0]
    family = "." not in token or token.endswith(".")
    if family:
        return check_id.startswith(token.rstrip(".") + ".")
    if base != check_id:
        return False
    if result_id is None or token == check_id:
        return True
    return result_id == token or (result_id.startswith(token) and result_id[len(token)] in "/@~[")


def _gpu_id(label: str) -> str:
    from ..hardware import UnknownGPUError, get_gpu
    try:
        return get_gpu(label).id
    except UnknownGPUError:
        return get_gpu(label.split()[0]).id


def _default_path():
    from ..catalogue import default_catalogue_path
    return default_catalogue_path()


def _all_assumptions(catalogue: Catalogue) -> tuple[Assumption, ...]:
    own = {a.id for a in catalogue.assumptions}
    return tuple(catalogue.assumptions) + tuple(a for a in _default_assumptions() if a.id not in own)


@functools.lru_cache(maxsize=1)
def _default_assumptions() -> tuple[Assumption, ...]:
    """The shipped assumptions (claims/assumptions.yaml), for catalogues that bring none of their own."""
    return load_catalogue(_default_path() / "assumptions.yaml").assumptions


@dataclass(frozen=True)
class Report:
    """The results of one run, with what is needed to reproduce it."""

    results: tuple[CheckResult, ...]
    catalogue: Catalogue
    seed: int
    samples: int
    assumption_overrides: dict = field(default_factory=dict)
    claim_overrides: dict = field(default_factory=dict)
    only: tuple[str, ...] = ()  # the selection the results were filtered to (empty: every check)

    def __iter__(self):
        return iter(self.results)

    def __len__(self):
        return len(self.results)

    def __getitem__(self, result_id: str) -> CheckResult:
        for r in self.results:
            if r.id == result_id:
                return r
        matches = [r for r in self.results if r.id.startswith(result_id)]
        if len(matches) == 1:
            return matches[0]
        raise KeyError(f"no single result with id {result_id!r} ({len(matches)} match)")

    def by_check(self, check_id: str) -> list[CheckResult]:
        return [r for r in self.results if r.check_id == check_id]

    def counts(self, result_class: str | tuple[str, ...] | None = None, *, borrowed: bool | None = None
               ) -> dict[str, int]:
        """Results by verdict, of one result class (or several) or of all; ``borrowed`` True (False) counts only
        the results that take (do not take) an input from another source."""
        classes = (result_class,) if isinstance(result_class, str) else result_class
        out = {v: 0 for v in VERDICTS}
        for r in self.results:
            if (classes is None or r.result_class in classes) and (borrowed is None or bool(r.borrowed) == borrowed):
                out[r.verdict] += 1
        return out

    def headline(self) -> dict[str, int]:
        """The counts a reader should quote: claims against claims, of one source or of others, each source's
        own inputs (not limits, not what-ifs nobody claimed, not combinations of sources: see ``borrowing``)."""
        return self.counts(HEADLINE_CLASSES, borrowed=False)

    def borrowing(self) -> dict[str, int]:
        """Claims against claims where a source's missing input was lent by another source, counted apart."""
        return self.counts(HEADLINE_CLASSES, borrowed=True)

    def independent_view(self, kind: str = "leak") -> list[dict]:
        """For every number of the sources of ``kind`` (the leak): which sources that do not derive from it state
        the same quantity, and whether they agree (the source-against-source comparison, ``agree.*``, is
        consistent or gives the same reading) or disagree (any alarm). Silent when no independent source states
        it. Rows: {"claim", "quantity", "value", "agree": [source], "disagree": [(source, verdict)]}. Empty for a
        report filtered by ``only`` (the comparisons it would read may have been left out)."""
        if self.only:
            return []
        from .independence import source_roots
        cat = self.catalogue
        roots = source_roots(cat)
        kinds = {s.id: s.kind for s in cat.sources}
        by_pair: dict[tuple[str, str], str] = {}
        for r in self.results:
            if r.check_id.startswith("agree."):
                for key in r.keys:  # one per merged reading: the input's claim against the target's
                    inputs, b = split_key(key)
                    for a in inputs:
                        by_pair[(a, b)] = by_pair[(b, a)] = r.verdict
        rows = []
        for c in cat.claims:
            if kinds.get(c.source) != kind or not c.is_quantitative or c.qualifier == "denied":
                continue
            mine = set(roots.get(c.source, (c.source,)))
            agree, disagree = [], []
            others = [o for o in cat.claims if o.quantity == c.quantity and o.subject == c.subject
                      and o.scenario == c.scenario and o.is_quantitative and o.qualifier != "denied"
                      and not mine & set(roots.get(o.source, (o.source,)))]
            for src in dict.fromkeys(o.source for o in others):
                verdicts = {by_pair.get((c.id, o.id), "consistent" if (o.interval.low, o.interval.high) ==
                                        (c.interval.low, c.interval.high) else None)
                            for o in others if o.source == src} - {None}
                alarms = sorted(v for v in verdicts if v not in ("consistent", "info", "undetermined"))
                if alarms:
                    disagree.append((src, alarms[0]))
                elif verdicts:
                    agree.append(src)
            rows.append({"claim": c.id, "quantity": c.quantity, "value": c.value, "scenario": c.scenario,
                         "agree": agree, "disagree": disagree})
        return rows

    def counts_by_class(self) -> dict[str, dict[str, int]]:
        return {c: self.counts(c) for c in RESULT_CLASSES if any(r.result_class == c for r in self.results)}

    def diff(self, other: "Report", include_unmatched: bool = False) -> list[tuple[str, str, str]]:
        """(result id, verdict here, verdict there) for every result whose verdict differs.

        Results are matched by id without the reading tag ("[...]", present when a source gives two readings
        of an input): an override that splits one reading into two still shows up. A result present in only
        one report (for example a translation whose inputs no longer equal the overridden original's) is
        listed with "-" on the other side when ``include_unmatched`` is true.
        """
        import re

        def index(rep):
            out: dict[str, list[str]] = {}
            for r in rep.results:
                out.setdefault(re.sub(r"\[[^\]]*\]", "", r.id), []).append(r.verdict)
            return {k: "/".join(sorted(set(v))) for k, v in out.items()}

        here, there = index(self), index(other)
        keys = dict.fromkeys([*here, *there]) if include_unmatched else [k for k in here if k in there]
        return [(k, here.get(k, "-"), there.get(k, "-")) for k in keys if here.get(k, "-") != there.get(k, "-")]

    # faces
    def to_json(self) -> str:
        from ..report import to_json
        return to_json(self)

    def findings(self, verdicts=None, classes=None) -> list:
        """The findings: results saying the same thing grouped, alarms first (see :mod:`gpt4leak.findings`)."""
        from ..findings import findings
        return findings(self, verdicts=verdicts, classes=classes)

    def to_markdown(self, command: str | None = None) -> str:
        """The citable Markdown report (``command``: the command line to print as the way to reproduce it)."""
        from ..report import to_markdown
        return to_markdown(self, command)

    def to_html(self, command: str | None = None, *, figures: bool = True, appendix: str = "") -> str:
        """The citable report as one self-contained HTML file (``appendix``: more Markdown to render at its end)."""
        from ..report import to_html_report
        return to_html_report(self, command, figures=figures, appendix=appendix)

    def to_table(self, width: int = 80, *, details: bool = False, verdicts=None) -> str:
        """Terminal text: counts, then the findings; ``details`` adds every result with its derivation."""
        from ..report import to_table
        return to_table(self, width, details=details, verdicts=verdicts)

    def to_frame(self):
        """One row per result, base-unit numeric columns (pandas, the ``frame`` extra)."""
        from ..frames import results_frame
        return results_frame(self)

    def _repr_html_(self) -> str:
        from ..report import to_html
        return to_html(self)

    def _repr_markdown_(self) -> str:
        from ..report import findings_markdown
        return findings_markdown(self)

    def __repr__(self) -> str:
        c = self.counts()
        return (f"Report({len(self.results)} results: " + ", ".join(f"{v} {k}" for k, v in c.items() if v)
                + f"; seed {self.seed}, {self.samples} samples, catalogue {self.catalogue.hash})")

    def __str__(self) -> str:
        return self.to_table()
