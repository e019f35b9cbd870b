"""Every architecture and run consistent with the claims, and which claim must give when none is.

:func:`solve` walks a :class:`Space` (lists of values for each dimension: layers, width, heads, key/value heads,
head width, feed-forward width or ratio, MLP kind, experts, top-k, shared experts, vocabulary, tied embeddings;
optionally the run: tokens, GPUs, days, MFU, price per GPU-hour) in chunks. Each chunk is decoded from flat
indices and evaluated by the same kernels the checks and :class:`gpt4leak.Architecture` use
(:func:`gpt4leak.formulas.params.decoder_params`, :mod:`gpt4leak.formulas.flops`, :mod:`gpt4leak.formulas.cost`):
no second copy of any formula. A candidate is feasible when every :class:`Constraint` holds; feasible ones are
ranked by the score

.. math:: s = \\sum_c \\left(\\ln \\frac{v_c}{m_c}\\right)^2

(``m_c`` the geometric centre of constraint c's interval, its finite end for a bound; ties by position in the
space). When nothing is feasible, :class:`Solution` gives the minimal sets of constraints whose removal leaves
something feasible (the minimal violation patterns over the space) and, for each constraint, the nearest value a
candidate meeting every other constraint reaches.

Chunks are independent: ``executor=`` takes any :class:`concurrent.futures.Executor` (a process pool over the
cores, or a Dask client's ``client.get_executor()`` over a cluster); the result does not depend on the executor
or the chunk size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

__all__ = ["Space", "Constraint", "Candidate", "Solution", "solve", "prune", "load_space", "default_space_path",
           "SOLVABLE", "DEPENDS", "constraint", "constraints_from_claims", "SolveError"]

#: Architecture dimensions, in the order the space enumerates them (the last varies fastest).
ARCH_DIMS = ("n_layers", "d_model", "n_heads", "n_kv_heads", "head_dim", "ffn_ratio", "d_ff", "expert_d_ff",
             "gated", "n_experts", "experts_per_token", "n_shared_experts", "vocab_size", "tied")
#: Run dimensions (optional).
RUN_DIMS = ("training_tokens", "n_gpus", "training_days", "mfu", "gpu_hour_price")
#: What a constraint may name: the quantity keys the solver derives, with their base units.
SOLVABLE = {
    "total_params": "parameter", "active_params": "parameter", "expert_mlp_params": "parameter",
    "shared_attention_params": "parameter", "shared_params": "parameter", "forward_flop_per_token": "FLOP",
    "n_layers": "dimensionless", "d_model": "dimensionless", "n_heads": "dimensionless",
    "n_kv_heads": "dimensionless", "d_head": "dimensionless", "d_ff": "dimensionless", "expert_d_ff": "dimensionless",
    "n_experts": "dimensionless", "experts_per_token": "dimensionless", "n_shared_experts": "dimensionless",
    "vocab_size": "dimensionless", "training_tokens": "token", "n_gpus": "GPU", "training_days": "day",
    "mfu": "dimensionless", "gpu_hour_price": "USD/GPU/hour", "training_flop": "FLOP", "training_cost": "USD",
}
_SECONDS_PER_DAY = 86_400.0


class SolveError(ValueError):
    """A space or constraint the solver cannot use, named."""


# --------------------------------------------------------------------------- the space
@dataclass(frozen=True)
class Space:
    """Values for each dimension; every combination is one candidate.

    ``n_kv_heads`` 0 means "as many as query heads" (multi-head attention); ``head_dim`` 0 means d_model / n_heads;
    ``ffn_ratio`` > 0 sets d_ff = round(ratio x d_model) (then ``d_ff`` must be the single value 0); ``expert_d_ff``
    0 means d_ff; ``gated`` 1 is a three-matrix (SwiGLU) MLP, 0 a two-matrix one; ``tied`` 1 shares the LM head.
    ``gpu`` names the accelerator whose bf16 peak turns GPUs x days x MFU into FLOPs.
    """

    dims: dict[str, np.ndarray]
    gpu: str = "A100"
    name: str = ""
    #: for a pruned space: each dimension's kept positions in the space it came from, and that space's shape
    origin: tuple | None = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        dims = {}
        for k, v in self.dims.items():
            if k not in ARCH_DIMS + RUN_DIMS:
                raise SolveError(f"space: unknown dimension {k!r}; known: {', '.join(ARCH_DIMS + RUN_DIMS)}")
            arr = np.unique(np.asarray(v, dtype=float).ravel())
            if arr.size == 0:
                raise SolveError(f"space: dimension {k!r} has no values")
            if not np.all(np.isfinite(arr)) or np.any(arr < 0):
                raise SolveError(f"space: dimension {k!r} has a negative or non-finite value")
            dims[k] = arr
        object.__setattr__(self, "dims", dims)
        if not any(k in dims for k in ("n_layers", "n_gpus", "training_tokens")):
            raise SolveError("space: give the architecture (n_layers, d_model, ...) or the run (n_gpus, ...)")
        if "ffn_ratio" in dims and np.any(dims["ffn_ratio"] > 0) and np.any(dims.get("d_ff", np.zeros(1)) > 0):
            raise SolveError("space: give d_ff or ffn_ratio, not both")

    @property
    def has_architecture(self) -> bool:
        return "n_layers" in self.dims

    @property
    def has_run(self) -> bool:
        return any(k in self.dims for k in RUN_DIMS)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.dims)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(v) for v in self.dims.values())

    @property
    def size(self) -> int:
        return math.prod(self.shape)

    def values(self, flat: np.ndarray) -> dict[str, np.ndarray]:
        """The dimension values of the candidates at flat positions ``flat``."""
        idx = np.unravel_index(flat, self.shape)
        return {k: v[i] for (k, v), i in zip(self.dims.items(), idx)}

    def restrict(self, **dims) -> "Space":
        """A copy with some dimensions replaced (``space.restrict(n_kv_heads=[1])``)."""
        return Space({**self.dims, **dims}, self.gpu, self.name)

    def original_flat(self, flat: np.ndarray) -> np.ndarray:
        """Positions in the space this one was pruned from (the same positions when not pruned): ties in the
        ranking are broken by them, so pruning never changes the answer."""
        if self.origin is None:
            return flat
        kept, shape = self.origin
        idx = np.unravel_index(flat, self.shape)
        return np.ravel_multi_index(tuple(k[i] for k, i in zip(kept, idx)), shape).astype(np.int64)

    def __repr__(self) -> str:
        return f"Space({self.name or 'unnamed'}: {self.size:,} candidates over {len(self.dims)} dimensions)"


def default_space_path() -> Path:
    """The shipped GPT-4 spaces (a small YAML file to copy and edit)."""
    from .catalogue import default_catalogue_path
    return default_catalogue_path() / "solve" / "gpt4_space.yaml"


def _values(spec, where: str) -> np.ndarray:
    """A dimension as the YAML writes it: a number, a list, or {start, stop, step} (stop included)."""
    if isinstance(spec, bool):
        return np.array([float(spec)])
    if isinstance(spec, (int, float)):
        return np.array([float(spec)])
    if isinstance(spec, list) and spec and all(isinstance(x, (int, float)) and not isinstance(x, bool)
                                               for x in spec):
        return np.array(spec, dtype=float)
    if isinstance(spec, dict) and set(spec) == {"start", "stop", "step"}:
        start, stop, step = (spec[k] for k in ("start", "stop", "step"))
        if not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (start, stop, step)):
            raise SolveError(f"{where}: start, stop and step must be numbers")
        if step <= 0 or stop < start:
            raise SolveError(f"{where}: a range needs step > 0 and start <= stop, got {spec}")
        n = int(math.floor((stop - start) / step + 1e-9)) + 1
        if n > 10_000_000:
            raise SolveError(f"{where}: {n:,} values in one dimension")
        return start + step * np.arange(n)
    raise SolveError(f"{where}: expected a number, a list of numbers or {{start, stop, step}}, got {spec!r}")


_WORDS = {"gated": {"gated": 1.0, "swiglu": 1.0, "two-matrix": 0.0, "gelu": 0.0},
          "tied": {"tied": 1.0, "untied": 0.0}, "n_kv_heads": {"mha": 0.0, "mqa": 1.0}}


def space_from_dict(doc: dict, name: str = "", where: str = "space") -> Space:
    """A space from a mapping: {dims: {name: values}, gpu: A100}; words allowed for gated, tied, n_kv_heads."""
    if not isinstance(doc, dict) or not isinstance(doc.get("dims"), dict):
        raise SolveError(f"{where}: expected a mapping with 'dims' (dimension -> values)")
    unknown = set(doc) - {"dims", "gpu", "description"}
    if unknown:
        raise SolveError(f"{where}: unknown keys {sorted(unknown)} (allowed: dims, gpu, description)")
    dims = {}
    for k, spec in doc["dims"].items():
        if k in _WORDS:
            items = spec if isinstance(spec, list) else [spec]
            spec = [(_WORDS[k].get(x.lower()) if isinstance(x, str) else x) for x in items]
            if any(x is None for x in spec):
                raise SolveError(f"{where}.{k}: words allowed are {', '.join(_WORDS[k])}")
        dims[str(k)] = _values(spec, f"{where}.{k}")
    gpu = doc.get("gpu", "A100")
    from .hardware import get_gpu
    try:
        get_gpu(str(gpu))
    except KeyError as exc:
        raise SolveError(f"{where}.gpu: {exc.args[0]}") from None
    return Space(dims, str(gpu), name)


def load_space(path: str | Path | None = None, name: str | None = None) -> Space:
    """One named space of a space file (default: the shipped GPT-4 file, space 'architecture')."""
    from .catalogue import _safe_load
    path = default_space_path() if path is None else Path(path)
    try:
        doc = _safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SolveError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except Exception as exc:  # noqa: BLE001 -- a YAML error: one message naming the file
        raise SolveError(f"{path}: not a YAML mapping: {exc}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("spaces"), dict):
        raise SolveError(f"{path}: expected a mapping 'spaces: {{name: {{dims: ...}}}}'")
    spaces = doc["spaces"]
    name = name or next(iter(spaces))
    if name not in spaces:
        raise SolveError(f"{path}: no space {name!r}; known: {', '.join(spaces)}")
    return space_from_dict(spaces[name], name, f"{path.name}: {name}")


# --------------------------------------------------------------------------- constraints
@dataclass(frozen=True)
class Constraint:
    """``low <= key <= high`` in the key's base unit (``SOLVABLE``); ``label`` names it (a claim id or the text)."""

    key: str
    low: float
    high: float
    label: str = ""
    said: str = ""  # the claim in words, for sentences ("training cost ~$63M")

    def __post_init__(self):
        if self.key not in SOLVABLE:
            raise SolveError(f"constraint {self.label or self.key!r}: no formula of the solver derives "
                             f"{self.key!r}; it derives: {', '.join(SOLVABLE)}")
        if not (self.low <= self.high) or self.low < 0 or math.isnan(self.high):
            raise SolveError(f"constraint {self.label or self.key!r}: low ({self.low:g}) must not exceed high "
                             f"({self.high:g}), and neither may be negative")
        if not self.label:
            object.__setattr__(self, "label", self.key)

    @property
    def words(self) -> str:
        """How a sentence names it: the claim in words with its id, or the text it was given as."""
        return f"{self.said} ({self.label})" if self.said else self.label

    @property
    def centre(self) -> float:
        """The value the score pulls towards: the geometric centre, or the finite end of a bound."""
        if math.isinf(self.high):
            return max(self.low, 1e-300)
        if self.low <= 0:
            return self.high
        return math.sqrt(self.low * self.high)

    def text(self) -> str:
        from .formatting import human_range
        unit = "percent" if self.key == "mfu" else SOLVABLE[self.key]
        return f"{self.label}: {human_range(self.low, self.high, unit)}"


def constraint(text: str, label: str | None = None) -> Constraint:
    """``"total_params=1.7..1.9 trillion parameters"`` or ``"n_kv_heads=1"`` -> a Constraint (base units)."""
    from .units import UnitError, check_dimension, parse_value, ureg
    key, sep, rest = text.partition("=")
    key, rest = key.strip(), rest.strip()
    if not sep or not key or not rest:
        raise SolveError(f"constraint {text!r}: write KEY=LOW..HIGH UNIT (or KEY=VALUE UNIT)")
    if key not in SOLVABLE:
        raise SolveError(f"constraint {text!r}: no formula of the solver derives {key!r}; it derives: "
                         f"{', '.join(SOLVABLE)}")
    unit = SOLVABLE[key]
    try:
        pv = parse_value(rest.replace("..", " to "), default_unit=unit)
        target = ureg.dimensionless if unit == "dimensionless" else ureg.parse_units(unit)
        check_dimension(pv.low, unit, f"constraint {key}")
        low, high = (float(q.to(target).magnitude) for q in (pv.low, pv.high))
    except UnitError as exc:
        raise SolveError(f"constraint {text!r}: {exc}") from None
    if pv.qualifier in ("more_than", "at_least"):
        high = math.inf
    elif pv.qualifier in ("at_most", "less_than"):
        low = 0.0
    return Constraint(key, low, high, label or text)


def constraints_from_claims(claim_ids, catalogue=None) -> list[Constraint]:
    """One constraint per claim id, its interval taken from the wording exactly as the checks take it."""
    from .catalogue import load_catalogue
    cat = catalogue if catalogue is not None and not isinstance(catalogue, (str, Path)) else load_catalogue(catalogue)
    out = []
    for cid in claim_ids:
        try:
            c = cat.claim(cid)
        except KeyError as exc:
            raise SolveError(f"constraint {cid!r}: {exc.args[0]}") from None
        if c.quantity not in SOLVABLE or not c.is_quantitative:
            raise SolveError(f"constraint {cid!r}: the solver derives no {c.quantity!r}; it derives: "
                             f"{', '.join(SOLVABLE)}")
        iv = c.interval
        from .findings import claimed_as_written
        from .quantities import name_of
        out.append(Constraint(c.quantity, float(iv.low), float(iv.high), cid,
                              f"{name_of(c.quantity)} {claimed_as_written(c)}"))
    return out


# --------------------------------------------------------------------------- evaluation (one chunk)
def derive(space: Space, v: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Every solvable quantity for candidates with dimension values ``v``, and which candidates are valid
    architectures (the rules :class:`gpt4leak.Architecture` enforces: heads divide the width when no head width
    is given, key/value heads divide the heads, top-k at most the experts, shared experts only with experts)."""
    from .formulas import cost, flops, params
    n = len(next(iter(v.values())))
    out: dict[str, np.ndarray] = {}
    valid = np.ones(n, dtype=bool)
    if space.has_architecture:
        L, d, h = v["n_layers"], v["d_model"], v["n_heads"]
        kv = np.where(v.get("n_kv_heads", 0) > 0, v.get("n_kv_heads", 0), h)
        hd_given = v.get("head_dim", np.zeros(n))
        hd = np.where(hd_given > 0, hd_given, np.floor(d / h))
        valid &= (hd_given > 0) | (np.mod(d, h) == 0)
        valid &= np.mod(h, kv) == 0
        ratio = v.get("ffn_ratio", np.zeros(n))
        d_ff = np.where(ratio > 0, np.round(ratio * d), v.get("d_ff", np.zeros(n)))
        e_ff = np.where(v.get("expert_d_ff", np.zeros(n)) > 0, v.get("expert_d_ff", np.zeros(n)), d_ff)
        d_ff = np.where(d_ff > 0, d_ff, e_ff)  # an all-MoE space may give only the experts' width
        E = v.get("n_experts", np.zeros(n))
        k = v.get("experts_per_token", np.where(E > 0, 1.0, 0.0))
        S = v.get("n_shared_experts", np.zeros(n))
        valid &= (d_ff > 0) & (e_ff > 0) & (hd > 0)
        valid &= (E == 0) | ((k >= 1) & (k <= E))
        valid &= (E > 0) | (S == 0)
        gated, tied = v.get("gated", np.zeros(n)), v.get("tied", np.zeros(n))
        vocab = v.get("vocab_size", np.full(n, 100_256.0))
        n_moe = np.where(E > 0, L, 0.0)
        b = params.decoder_params.bare(L, d, h, kv, hd, d_ff, vocab, gated=gated, tied=tied, n_experts=E,
                                       experts_per_token=np.where(E > 0, k, 0.0), expert_d_ff=e_ff,
                                       n_moe_layers=n_moe, n_shared_experts=S, norm_bias=False)
        out.update(total_params=b["total"], active_params=b["active"],
                   expert_mlp_params=b["expert_per_layer"] * n_moe, shared_attention_params=b["attention"],
                   forward_flop_per_token=flops.forward_flop_per_token.bare(b["active"]),
                   n_layers=L, d_model=d, n_heads=h, n_kv_heads=kv, d_head=hd, d_ff=d_ff, expert_d_ff=e_ff,
                   n_experts=E, experts_per_token=k, n_shared_experts=S, vocab_size=vocab)
        out["shared_params"] = b["total"] - E * out["expert_mlp_params"]
    for key in RUN_DIMS:
        if key in v:
            out[key] = v[key]
    if "training_tokens" in v and "active_params" in out:
        out["training_flop"] = flops.training_flop.bare(out["active_params"], v["training_tokens"])
    elif all(key in v for key in ("n_gpus", "training_days", "mfu")):
        from .hardware import get_gpu
        peak = get_gpu(space.gpu).peak("bf16")
        out["training_flop"] = flops.delivered_flop.bare(v["n_gpus"], peak, v["training_days"] * _SECONDS_PER_DAY,
                                                         v["mfu"])
    if all(key in v for key in ("n_gpus", "training_days", "gpu_hour_price")):
        out["training_cost"] = cost.run_cost.bare(v["n_gpus"], v["training_days"] * _SECONDS_PER_DAY,
                                                  v["gpu_hour_price"])
    return out, valid


_SHAPE = ("n_layers", "d_model", "n_heads", "n_kv_heads", "head_dim", "ffn_ratio", "d_ff", "expert_d_ff", "gated",
          "n_experts", "experts_per_token", "n_shared_experts", "vocab_size", "tied")
_FFN = ("d_ff", "ffn_ratio", "d_model", "expert_d_ff")
#: The dimensions each solvable quantity depends on (tests/test_solver.py proves it over random candidates): a
#: value of a dimension that fails a constraint whatever its other dimensions are is pruned before the search.
DEPENDS = {
    "total_params": _SHAPE, "active_params": _SHAPE, "shared_params": _SHAPE, "forward_flop_per_token": _SHAPE,
    "expert_mlp_params": ("n_layers", "gated", "n_experts") + _FFN,
    "shared_attention_params": ("n_layers", "d_model", "n_heads", "n_kv_heads", "head_dim"),
    "n_kv_heads": ("n_kv_heads", "n_heads"), "d_head": ("head_dim", "d_model", "n_heads"),
    "d_ff": _FFN, "expert_d_ff": _FFN, "n_layers": ("n_layers",), "d_model": ("d_model",),
    "n_heads": ("n_heads",), "n_experts": ("n_experts",), "experts_per_token": ("experts_per_token", "n_experts"),
    "n_shared_experts": ("n_shared_experts",), "vocab_size": ("vocab_size",),
    "training_tokens": ("training_tokens",), "n_gpus": ("n_gpus",), "training_days": ("training_days",),
    "mfu": ("mfu",), "gpu_hour_price": ("gpu_hour_price",),
    "training_cost": ("n_gpus", "training_days", "gpu_hour_price"),
}
_PRUNE_GRID = 2_000_000  # largest sub-grid one constraint is tested on while pruning


def _depends(key: str, space: Space) -> tuple[str, ...]:
    if key == "training_flop":  # 6 N D from the shape and the tokens, or GPUs x peak x days x MFU
        deps = _SHAPE + ("training_tokens",) if "training_tokens" in space.dims else ("n_gpus", "training_days",
                                                                                       "mfu")
    else:
        deps = DEPENDS[key]
    return tuple(d for d in space.names if d in deps)


def prune(space: Space, constraints) -> Space | None:
    """The space without the values no feasible candidate can take: a value of a dimension goes when, on the
    sub-grid of the dimensions a constraint depends on, no combination with it meets the constraint. Repeated
    until nothing changes. Exact: every feasible candidate of ``space`` is in the result (at its positions).
    None when no value of some dimension can meet the constraints (nothing is feasible)."""
    kept = {k: np.arange(len(v)) for k, v in space.dims.items()}
    changed = True
    while changed:
        changed = False
        # the smallest sub-grids first: a point constraint (120 layers) shrinks the grids the others are tried on
        for c in sorted(constraints, key=lambda c: math.prod(len(kept[d]) for d in _depends(c.key, space))):
            deps = _depends(c.key, space)
            if not deps or math.prod(len(kept[d]) for d in deps) > _PRUNE_GRID:
                continue
            sub = {d: space.dims[d][kept[d]] for d in deps}
            shape = tuple(len(x) for x in sub.values())
            grid = np.indices(shape).reshape(len(shape), -1)
            vals = {d: sub[d][g] for d, g in zip(deps, grid)}
            probe = {k: np.broadcast_to(space.dims[k][kept[k][0]], grid.shape[1:]) for k in space.names
                     if k not in deps}
            q, _ = derive(space, {**probe, **vals})
            with np.errstate(all="ignore"):
                x = np.broadcast_to(np.asarray(q[c.key], dtype=float), grid.shape[1:])
                ok = (x >= c.low) & (x <= c.high)
            for j, d in enumerate(deps):
                alive = np.unique(grid[j][ok])
                if alive.size < len(kept[d]):
                    kept[d] = kept[d][alive]
                    changed = True
            if any(len(k) == 0 for k in kept.values()):
                return None
    dims = {k: space.dims[k][kept[k]] for k in space.names}
    origin = (tuple(kept[k] if space.origin is None else space.origin[0][i][kept[k]]
                    for i, k in enumerate(space.names)),
              space.shape if space.origin is None else space.origin[1])
    return Space(dims, space.gpu, space.name, origin=origin)


def _check_keys(space: Space, constraints) -> None:
    probe, _ = derive(space, space.values(np.zeros(1, dtype=np.int64)))
    for c in constraints:
        if c.key not in probe:
            raise SolveError(f"constraint {c.label!r}: this space does not give {c.key!r} (its dimensions: "
                             f"{', '.join(space.names)})")


#: Derived quantities whose feasible range a solution reports beside the dimensions'.
_RANGED = ("n_kv_heads", "d_head", "d_ff", "expert_d_ff", "total_params", "active_params", "expert_mlp_params",
           "shared_attention_params", "training_flop", "training_cost")


@dataclass
class _Part:
    """What one chunk found (merged in chunk order, so the result never depends on the chunking)."""

    feasible: int = 0
    top: list = field(default_factory=list)  # (score, flat index)
    lo: dict = field(default_factory=dict)  # dimension -> min over feasible
    hi: dict = field(default_factory=dict)
    masks: dict = field(default_factory=dict)  # violation bit pattern -> count (valid candidates)
    nearest: dict = field(default_factory=dict)  # constraint index -> (log distance, value, flat index)


def _chunk(task) -> _Part:
    space, constraints, start, stop, top = task
    local = np.arange(start, stop, dtype=np.int64)
    v = space.values(local)
    flat = space.original_flat(local)
    q, valid = derive(space, v)
    part = _Part()
    n = flat.size
    mask = np.zeros(n, dtype=np.int64)
    logs = []
    with np.errstate(all="ignore"):
        for i, c in enumerate(constraints):
            x = np.broadcast_to(np.asarray(q[c.key], dtype=float), (n,))
            ok = (x >= c.low) & (x <= c.high)
            mask |= np.where(ok, 0, 1 << i).astype(np.int64)
            nearest_end = np.clip(x, c.low, c.high)
            logs.append((x, np.abs(np.log(np.where(x > 0, x, np.nan) / nearest_end))))
    mask = np.where(valid, mask, -1)
    feasible = mask == 0
    part.feasible = int(feasible.sum())
    if part.feasible:
        score = np.zeros(n)
        with np.errstate(all="ignore"):
            for (x, _), c in zip(logs, constraints):
                if c.low == c.high:  # a point: every feasible candidate sits on it, nothing to rank
                    continue
                term = np.log(np.where(x > 0, x, np.nan) / c.centre) ** 2
                score += np.where(np.isnan(term), np.inf, term)  # a zero under a bound ranks last, never NaN
        idx = np.flatnonzero(feasible)
        s = score[idx]
        keep = idx[np.lexsort((flat[idx], s))[:top]]
        part.top = [(float(score[j]), int(flat[j])) for j in keep]
        for name, arr in {**v, **{k: q[k] for k in _RANGED if k in q}}.items():
            arr = np.broadcast_to(np.asarray(arr, dtype=float), (n,))
            part.lo[name], part.hi[name] = float(arr[idx].min()), float(arr[idx].max())
    m = mask[valid]
    if m.size:
        if len(constraints) <= 16:  # a histogram over the 2^n patterns: linear time
            counts = np.bincount(m, minlength=1 << len(constraints))
            part.masks = {int(p): int(counts[p]) for p in np.flatnonzero(counts)}
        else:
            pats, counts = np.unique(m, return_counts=True)
            part.masks = {int(p): int(c) for p, c in zip(pats, counts)}
    for i, (x, dist) in enumerate(logs):
        others = valid & ((mask & ~np.int64(1 << i)) == 0)
        if others.any():
            d = np.where(others & ~np.isnan(dist), dist, np.inf)
            best = int(np.argmin(d))  # the first of equals: the smallest flat index in the chunk
            if not np.isfinite(d[best]):
                best = int(np.flatnonzero(others)[0])
            part.nearest[i] = (float(dist[best]) if np.isfinite(dist[best]) else math.inf, float(x[best]),
                               int(flat[best]))
    return part


def _merge(parts, top: int) -> _Part:
    out = _Part()
    for p in parts:
        out.feasible += p.feasible
        out.top = sorted(out.top + p.top)[:top]
        for k, x in p.lo.items():
            out.lo[k] = min(out.lo.get(k, x), x)
            out.hi[k] = max(out.hi.get(k, p.hi[k]), p.hi[k])
        for pat, c in p.masks.items():
            out.masks[pat] = out.masks.get(pat, 0) + c
        for i, (dist, x, flat) in p.nearest.items():
            if i not in out.nearest or (dist, flat) < (out.nearest[i][0], out.nearest[i][2]):
                out.nearest[i] = (dist, x, flat)
    return out


# --------------------------------------------------------------------------- the result
@dataclass(frozen=True)
class Candidate:
    """One feasible candidate: its dimension values, every derived quantity, and its score."""

    rank: int
    score: float
    values: dict[str, float]
    derived: dict[str, float]

    def architecture(self):
        """The candidate as a :class:`gpt4leak.Architecture` (RMSNorm, rotary positions, no biases)."""
        from .architecture import Architecture
        v, dv = self.values, self.derived
        E = int(dv.get("n_experts", 0))
        return Architecture(
            n_layers=int(dv["n_layers"]), d_model=int(dv["d_model"]), n_heads=int(dv["n_heads"]),
            n_kv_heads=int(dv["n_kv_heads"]), head_dim=int(dv["d_head"]) if v.get("head_dim", 0) > 0 else None,
            d_ff=int(dv["d_ff"]), mlp="gated" if v.get("gated", 0) else "gelu", vocab_size=int(dv["vocab_size"]),
            tie_embeddings=bool(v.get("tied", 0)), norm="rmsnorm", n_experts=E,
            experts_per_token=int(dv["experts_per_token"]) if E else None, expert_d_ff=int(dv["expert_d_ff"]),
            n_shared_experts=int(dv.get("n_shared_experts", 0)))

    @property
    def attention(self) -> str:
        kv, h = self.derived.get("n_kv_heads"), self.derived.get("n_heads")
        return "MQA" if kv == 1 else "MHA" if kv == h else "GQA"

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v:g}" for k, v in self.values.items())
        return f"<Candidate #{self.rank} score {self.score:.3g}: {shown}>"


@dataclass(frozen=True)
class Solution:
    """What :func:`solve` found over a space for a set of constraints."""

    space: Space
    constraints: tuple[Constraint, ...]
    size: int  # candidates in the space
    evaluated: int  # candidates evaluated (the pruned space when something fits, else all)
    valid: int  # of the evaluated, the valid architectures (so it depends on pruning; feasible does not)
    feasible: int  # of them inside every constraint
    top: tuple[Candidate, ...]
    ranges: dict  # dimension -> (min, max) over the feasible candidates
    relaxations: tuple[tuple[str, ...], ...]  # minimal sets of constraint labels whose removal makes it feasible
    nearest: dict  # constraint label -> (nearest value reached with every other constraint met, ratio) or None
    masks: dict = field(default_factory=dict, repr=False)

    def derived_range(self, key: str) -> tuple[float, float] | None:
        """The range of a dimension over the feasible candidates (None when none is feasible)."""
        return self.ranges.get(key)

    def summary(self) -> list[str]:
        """Plain sentences: how many fit, the ranges, and otherwise which constraints must give."""
        from .formatting import human
        out = [f"{self.feasible:,} of {self.size:,} candidates meet all {len(self.constraints)} constraints "
               f"({self.evaluated:,} evaluated after pruning)."]
        if self.feasible:
            for k, (lo, hi) in self.ranges.items():
                if k in self.space.dims and len(self.space.dims[k]) == 1:
                    continue
                out.append(f"  {k}: {_span(k, lo, hi)}")
        else:
            for s in self.relaxations[:5]:
                out.append(f"  Feasible without: {', '.join(s)}")
            for c in self.constraints:
                near = self.nearest.get(c.label)
                if near is not None and near[1] != 1:
                    unit = "percent" if c.key == "mfu" else SOLVABLE[c.key]
                    out.append(f"  {c.label}: nearest reachable with the others met {human(near[0], unit)} "
                               f"(x{near[1]:.3g} of its nearest end)")
        return out

    def to_dict(self) -> dict:
        """JSON-ready: counts, constraints, ranges, relaxation sets, nearest values, top candidates."""
        return {"space": self.space.name, "size": self.size, "evaluated": self.evaluated, "valid": self.valid,
                "feasible": self.feasible,
                "constraints": [{"label": c.label, "key": c.key, "low": c.low if math.isfinite(c.low) else None,
                                 "high": c.high if math.isfinite(c.high) else None, "unit": SOLVABLE[c.key]}
                                for c in self.constraints],
                "ranges": {k: list(v) for k, v in self.ranges.items()},
                "relaxations": [list(s) for s in self.relaxations],
                "nearest": {k: None if v is None else {"value": v[0], "ratio": v[1]} for k, v in self.nearest.items()},
                "top": [{"rank": c.rank, "score": c.score, "values": c.values, "derived": c.derived}
                        for c in self.top]}

    def __repr__(self) -> str:
        return (f"Solution({self.feasible:,} feasible of {self.size:,}; {len(self.constraints)} constraints; "
                f"{len(self.top)} shown)")

    def _repr_html_(self) -> str:
        from html import escape
        rows = "".join(f"<li>{escape(line.strip())}</li>" for line in self.summary()[1:])
        head = "".join(f"<th>{escape(k)}</th>" for k in (self.top[0].values if self.top else ()))
        body = "".join("<tr>" + "".join(f"<td>{v:g}</td>" for v in c.values.values()) + "</tr>" for c in self.top)
        return (f"<div><p>{escape(self.summary()[0])}</p><ul>{rows}</ul>"
                + (f"<table><tr>{head}</tr>{body}</table>" if self.top else "") + "</div>")


def _span(key: str, lo: float, hi: float) -> str:
    """A feasible range as people read it: counts plainly ("11,136 to 15,104"), sizes in their units."""
    from .formatting import human, human_range
    unit = "percent" if key == "mfu" else SOLVABLE.get(key, "dimensionless")
    if unit == "dimensionless" and key != "ffn_ratio":
        return f"{lo:,.0f}" if lo == hi else f"{lo:,.0f} to {hi:,.0f}"
    return human(lo, unit) if lo == hi else human_range(lo, hi, unit)


def _minimal(masks: dict) -> list[int]:
    """The minimal violation patterns under inclusion: each is a smallest set of constraints to drop."""
    pats = sorted(masks, key=lambda p: (bin(p).count("1"), p))
    out: list[int] = []
    for p in pats:
        if not any((q & p) == q for q in out):
            out.append(p)
    return out


def solve(constraints, space: Space | str | Path | None = None, *, top: int = 10, executor=None,
          chunk: int = 1 << 18, progress=None, pruning: bool = True) -> Solution:
    """Every candidate of ``space`` inside every constraint, the best ``top`` by score, and the relaxations.

    constraints
        :class:`Constraint` records, or texts ``"KEY=LOW..HIGH UNIT"``, or claim ids of the shipped catalogue.
    space
        A :class:`Space`, a space file (its first space), or None (the shipped GPT-4 architecture space).
    executor
        Any ``concurrent.futures.Executor`` (a process pool; ``dask.distributed.Client.get_executor()``);
        None evaluates in this process. The result is the same whatever the executor and ``chunk``.
    progress
        A callable taking the number of chunks done (the CLI passes a progress bar's ``update``).
    pruning
        First drop dimension values no feasible candidate can take (:func:`prune`, exact); the full space is
        searched only when nothing is feasible, for the relaxation. False searches every candidate.
    """
    if not isinstance(space, Space):
        space = load_space(space)
    constraints = list(constraints)
    ids = [c for c in constraints if isinstance(c, str) and "=" not in c]
    by_id = {c.label: c for c in constraints_from_claims(ids)} if ids else {}  # the catalogue read once
    cons = tuple(by_id[c] if isinstance(c, str) and c in by_id else _as_constraint(c) for c in constraints)
    if not cons:
        raise SolveError("solve: give at least one constraint")
    if len(cons) > 62:
        raise SolveError("solve: at most 62 constraints")
    if not isinstance(top, int) or top < 1 or not isinstance(chunk, int) or chunk < 1:
        raise SolveError("solve: top and chunk must be positive whole numbers")
    _check_keys(space, cons)
    n = space.size
    searched = prune(space, cons) if pruning else space
    merged = None
    if searched is not None:
        merged = _run(searched, cons, top, executor, chunk, progress)
    if merged is None or (merged.feasible == 0 and searched is not space):
        searched = space  # nothing fits: the relaxation needs every candidate's violations
        merged = _run(space, cons, top, executor, chunk, progress)
    valid = sum(merged.masks.values())
    best = []
    if merged.top:
        flat = np.array([i for _, i in merged.top], dtype=np.int64)
        v = space.values(flat)
        q, _ = derive(space, v)
        for r, (score, _) in enumerate(merged.top):
            best.append(Candidate(r + 1, score, {k: float(a[r]) for k, a in v.items()},
                                  {k: float(np.broadcast_to(a, flat.shape)[r]) for k, a in q.items()}))
    label = [c.label for c in cons]
    relax = tuple(tuple(label[i] for i in range(len(cons)) if p >> i & 1) for p in _minimal(merged.masks))
    nearest = {}
    for i, c in enumerate(cons):
        hit = merged.nearest.get(i)
        if hit is None:
            nearest[c.label] = None
        else:
            x = hit[1]
            end = min(max(x, c.low), c.high)
            nearest[c.label] = (x, x / end if end else math.inf)
    ranges = {k: (merged.lo[k], merged.hi[k]) for k in merged.lo}
    return Solution(space, cons, n, searched.size, valid, merged.feasible, tuple(best), ranges, relax, nearest,
                    merged.masks)


def _run(space: Space, cons, top, executor, chunk, progress) -> _Part:
    n = space.size
    tasks = [(space, cons, s, min(s + chunk, n), top) for s in range(0, n, chunk)]
    results = map(_chunk, tasks) if executor is None else executor.map(_chunk, tasks)
    parts = []
    for p in results:
        parts.append(p)
        if progress is not None:
            progress(1)
    return _merge(parts, top)


def _as_constraint(c) -> Constraint:
    if isinstance(c, Constraint):
        return c
    if isinstance(c, str) and "=" in c:
        return constraint(c)
    if isinstance(c, str):
        return constraints_from_claims([c])[0]
    raise SolveError(f"constraint {c!r}: give a Constraint, 'KEY=LOW..HIGH UNIT' or a claim id")


# --------------------------------------------------------------------------- the leak's three questions
GPT4_QUESTIONS = (  # (question, space, constraints, dimensions the answer shows)
    ("Is multi-query attention compatible with ~55B shared attention, ~111B per expert and 120 layers, and with "
     "which d_model and d_ff?", "architecture",
     ("peleg2023.shared_attention_params", "peleg2023.expert_mlp_params", "peleg2023.n_layers", "n_kv_heads=1"),
     ("d_model", "n_heads", "d_head", "d_ff")),
    ("Which d_model and d_ff make 16 experts of ~111B and a total of ~1.8T agree (in the leak's 120 layers)?",
     "architecture", ("peleg2023.n_experts", "peleg2023.expert_mlp_params", "peleg2023.total_params",
                      "peleg2023.n_layers"), ("d_model", "d_ff")),
    ("Which of 25k GPUs, 90-100 days, 32-36 % MFU, 2.15e25 FLOP and $63M at $1/h must give for the run's claims "
     "to agree?", "run",
     ("peleg2023.n_gpus", "peleg2023.training_days", "peleg2023.mfu", "peleg2023.training_flop",
      "peleg2023.training_cost"), ("n_gpus", "training_days", "mfu")),
)


def answer(sol: Solution, show=("d_model", "n_heads", "d_head", "d_ff", "n_layers")) -> str:
    """A solution as a sentence with its numbers: the feasible ranges of the dimensions in ``show`` and the
    closest candidate, or which constraints must give and how far."""
    if sol.feasible:
        r = sol.ranges
        parts = [f"{k.replace('_', ' ')} {_span(k, *r[k])}" for k in show if k in r]
        best = sol.top[0]
        shape = ", ".join(f"{k.replace('_', ' ')} {best.derived[k]:,.0f}" for k in show if k in best.derived)
        text = (f"Yes: {sol.feasible:,} of {sol.size:,} candidates fit, with {'; '.join(parts)}. The closest to "
                f"every claimed centre: {shape} ({best.attention}).")
        if "d_model" in show and "d_ff" in show:  # the width and the MLP trade against each other along a curve
            by_kind: dict[str, list] = {}
            for c in sol.top:
                kind = "a gated MLP" if c.values.get("gated", 0) else "a two-matrix MLP"
                by_kind.setdefault(kind, []).append(c.derived["d_model"] * c.derived["d_ff"])
            from .formatting import human_range
            curve = "; ".join(f"d_model x d_ff = {human_range(min(x), max(x), 'dimensionless')} with {k} "
                              f"(at d_model 12,288, "
                              f"d_ff {float(np.median(x)) / 12_288:,.0f})" for k, x in by_kind.items())
            text += f" Width and MLP trade off along a curve: {curve}, among the best {len(sol.top)}."
        return text
    words = {c.label: c.words for c in sol.constraints}
    single = [s[0] for s in sol.relaxations if len(s) == 1]
    pairs = ["; ".join(" with ".join(words[x] for x in s) for s in sol.relaxations if len(s) > 1)]
    text = f"No: none of the {sol.size:,} candidates meets all {len(sol.constraints)}. "
    if single:
        text += "Alone, only " + " or ".join(words[x] for x in single) + " must give"
        text += "".join(f" (with every other claim met it reaches at best {_near(sol, x, sol.nearest[x])})"
                        for x in single if sol.nearest.get(x))
        text += f". Otherwise two must give together: {pairs[0]}." if pairs[0] else "."
    else:
        text += f"The smallest sets that must give: {pairs[0]}."
    return text


def _near(sol: Solution, label: str, near) -> str:
    from .formatting import human
    c = next(c for c in sol.constraints if c.label == label)
    unit = "percent" if c.key == "mfu" else SOLVABLE[c.key]
    return f"{human(near[0], unit)}, x{near[1]:.3g} of the claim's nearest end"


def gpt4_questions(space_path=None, *, executor=None, catalogue=None) -> list[tuple[str, Solution, str]]:
    """The three questions the leak raises, each answered over the shipped spaces (or ``space_path``)."""
    out = []
    for question, space_name, ids, show in GPT4_QUESTIONS:
        cons = [constraint(i) if "=" in i else constraints_from_claims([i], catalogue)[0] for i in ids]
        sol = solve(cons, load_space(space_path, space_name), executor=executor, top=200)
        out.append((question, sol, answer(sol, show)))
    return out
