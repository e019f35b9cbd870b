"""Independent sources: is "confirmed by two sources" two sources, or one and its translation?

Every source may say what it derives from (``derives_from``: a translation of, a
digest of, a retelling of another source). Following those links to the end
gives a source's *roots*: the texts that actually observed something. A claim is
supported by every claim of the same quantity, subject and scenario with the
same interval; the number of independent sources behind it is the number of
distinct roots among the supporting claims' sources. A number a source computes
from other claims (``derived_from``) never counts as support: it is arithmetic,
not observation.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Support", "support_index", "source_roots"]


@dataclass(frozen=True)
class Support:
    claim_id: str
    sources: tuple[str, ...]       # sources stating the same value (not computing it)
    roots: tuple[str, ...]         # the independent sources behind them

    @property
    def independent(self) -> int:
        return len(self.roots)

    def as_dict(self) -> dict:
        return {"claim": self.claim_id, "sources": list(self.sources), "independent_sources": list(self.roots),
                "n_independent": self.independent}


def source_roots(catalogue) -> dict[str, tuple[str, ...]]:
    """Source id -> the root sources it derives from (itself when it derives from nothing)."""
    parents = {s.id: [d.source for d in s.derives_from] for s in catalogue.sources}
    memo: dict[str, tuple[str, ...]] = {}

    def roots(sid: str, seen: frozenset) -> tuple[str, ...]:
        if sid in memo:
            return memo[sid]
        ps = [p for p in parents.get(sid, []) if p not in seen and p in parents]
        out = tuple(sorted({r for p in ps for r in roots(p, seen | {sid})})) if ps else (sid,)
        memo[sid] = out
        return out

    return {sid: roots(sid, frozenset()) for sid in parents}


def support_index(catalogue) -> dict[str, Support]:
    """Claim id -> its Support (quantitative claims only)."""
    roots = source_roots(catalogue)
    groups: dict[tuple, list] = {}
    for c in catalogue.claims:
        if c.is_quantitative:
            groups.setdefault((c.subject, c.scenario, c.quantity, c.interval.low, c.interval.high), []).append(c)
    out: dict[str, Support] = {}
    for members in groups.values():
        stating = [m for m in members if not m.derived_from]
        srcs = tuple(dict.fromkeys(m.source for m in stating))
        rts = tuple(sorted({r for s in srcs for r in roots.get(s, (s,))}))
        for m in members:
            out[m.id] = Support(m.id, srcs, rts)
    return out
