"""Benchmark: gpt4leak.solver.solve over the shipped GPT-4 architecture space, on one core and on two.

Prints, each figure on its own line with its unit:

(a) the raw rate: candidates per second of the chunked evaluation (decode, derive every quantity, test every
    constraint, rank) over a slice of the default 'architecture' space, pruning off;
(b) the effective rate with pruning on the full default space (1.19e8 candidates) for the leak's first
    question: candidates of the space per second of wall time;
(c) the same candidates as a Python loop of scalar ``gpt4leak.Architecture`` records (what
    ``Candidate.architecture()`` builds), reading total_params, active_params and expert_params: ~2,000 timed
    and extrapolated, the results checked against the vectorised ones, and the ratio to (a);
(d) memory: peak RSS (``resource.getrusage(...).ru_maxrss``, and Linux's VmHWM, which unlike ru_maxrss does not
    count the spawning parent's RSS) and the tracemalloc peak, each in a fresh process, for a pruned solve of a
    1.08e9-candidate space (the default space's lists widened) and for raw chunked evaluations of ~2e6 and ~2e7
    of its candidates (memory does not grow with the candidates: a chunk's arrays are the peak);
(e) the speed-up of the raw evaluation with two worker processes (``ProcessPoolExecutor(2)``) over one.

Target: 5e7 candidates per second per core; the script says whether the raw and the pruned rates meet it.
(a)-(d) run pinned to one core (where the platform allows); (e) uses two. About 30 s on a 2-core machine.

Run:  python benchmarks/bench_solve.py [--chunk 262144] [--sample 2000]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from gpt4leak import Architecture
from gpt4leak.solver import (
    DEPENDS,
    Space,
    constraint,
    constraints_from_claims,
    derive,
    load_space,
    solve,
)

TARGET = 5e7  # candidates per second per core
#: The leak's first question: ~55B shared attention, ~111B per expert, 120 layers, multi-query attention.
Q1 = ("peleg2023.shared_attention_params", "peleg2023.expert_mlp_params", "peleg2023.n_layers", "n_kv_heads=1")


def q1_constraints():
    """Q1 as Constraint records, the catalogue read once (solve() given claim ids reads it once per id)."""
    return (*constraints_from_claims(Q1[:3]), constraint(Q1[3]))


def raw_slice() -> Space:
    """Two depths of the default space (18.3 million candidates): 5-10 s of raw evaluation on one core."""
    return load_space().restrict(n_layers=[116, 120])


def wide_space() -> Space:
    """The default space's lists widened to 1.08e9 candidates (depth step 2, width step 64, six head counts,
    expert width step 512)."""
    return load_space().restrict(n_layers=np.arange(80, 129, 2), d_model=np.arange(8192, 20481, 64),
                                 n_heads=[64, 80, 96, 112, 128, 160], expert_d_ff=np.arange(16384, 65537, 512))


def timed(fn, repeat: int = 1) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def pin_one_core() -> set | None:
    """Pin this process (and the processes it starts) to one core; returns the previous set (None: cannot)."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(before)})
    return before


# --------------------------------------------------------------------------- (c) the scalar loop
def scalar_architecture(v: dict, i: int) -> Architecture:
    """Candidate ``i`` of decoded values ``v`` as the record ``Candidate.architecture()`` builds."""
    def g(k):
        return float(v[k][i]) if k in v else 0.0
    E = int(g("n_experts"))
    return Architecture(
        n_layers=int(g("n_layers")), d_model=int(g("d_model")), n_heads=int(g("n_heads")),
        n_kv_heads=int(g("n_kv_heads")) or None, head_dim=int(g("head_dim")) or None,
        d_ff=int(g("d_ff")) or int(g("expert_d_ff")), mlp="gated" if g("gated") else "gelu",
        vocab_size=int(g("vocab_size")), tie_embeddings=bool(g("tied")), norm="rmsnorm", n_experts=E,
        experts_per_token=int(g("experts_per_token")) if E else None, expert_d_ff=int(g("expert_d_ff")) or None,
        n_shared_experts=int(g("n_shared_experts")))


def scalar_loop(space: Space, n: int, seed: int = 0) -> tuple[float, int, int]:
    """Seconds per candidate of the scalar loop over ``n`` random candidates of ``space``; also the number of
    valid ones and of mismatches against :func:`gpt4leak.solver.derive` (should be 0)."""
    flat = np.random.default_rng(seed).integers(0, space.size, n)
    v = space.values(flat)
    q, valid = derive(space, v)
    t = time.perf_counter()
    out = []
    for i in range(n):
        try:
            a = scalar_architecture(v, i)
        except ValueError:  # pydantic's ValidationError: not an architecture (the vectorised path masks it)
            out.append(None)
            continue
        out.append((a.total_params, a.active_params, a.expert_params))
    dt = time.perf_counter() - t
    bad = sum(1 for i, r in enumerate(out) if (r is None) == bool(valid[i]) or (
        r is not None and r != (q["total_params"][i], q["active_params"][i], q["expert_mlp_params"][i])))
    return dt / n, int(valid.sum()), bad


# --------------------------------------------------------------------------- (d) memory, in a fresh process
def memory_probe(kind: str, chunk: int) -> dict:
    """Run one case in this (fresh) process: peak RSS and tracemalloc peak."""
    import resource
    import tracemalloc

    space, q1 = wide_space(), q1_constraints()
    if kind.startswith("raw"):
        n_widths = {"raw2e6": 9, "raw2e7": 89}[kind]  # 120 layers x 9 or 89 widths x the rest
        space = space.restrict(n_layers=[120], d_model=space.dims["d_model"][:n_widths])
    cases = {"pruned": lambda: solve(q1, space, chunk=chunk),
             "raw2e6": lambda: solve(q1, space, chunk=chunk, pruning=False),
             "raw2e7": lambda: solve(q1, space, chunk=chunk, pruning=False),
             "baseline": lambda: None}
    tracemalloc.start()
    t = time.perf_counter()
    sol = cases[kind]()
    dt = time.perf_counter() - t
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if platform.system() == "Darwin" else 1024)
    return {"size": space.size, "evaluated": getattr(sol, "evaluated", 0), "feasible": getattr(sol, "feasible", 0),
            "seconds": dt, "tracemalloc_peak": peak, "maxrss": rss, "hwm": high_water_mark()}


def high_water_mark() -> float | None:
    """This process image's own peak RSS in bytes (Linux VmHWM), None elsewhere. ru_maxrss of a spawned process
    also counts its parent's RSS at the fork (Linux keeps the larger), so it cannot show a peak below that."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return float(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def in_fresh_process(kind: str, chunk: int) -> dict:
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(memory_probe, kind, chunk).result()


def mib(b: float) -> str:
    return f"{b / 2**20:,.1f} MiB"


def peaks(r: dict) -> str:
    hwm = f"peak RSS (VmHWM) {mib(r['hwm'])}, " if r["hwm"] is not None else ""
    return f"{hwm}ru_maxrss {mib(r['maxrss'])}, tracemalloc peak {mib(r['tracemalloc_peak'])}"


def meets(rate: float) -> str:
    return f"meets the {TARGET:.0e}/s target" if rate >= TARGET else f"MISSES the {TARGET:.0e}/s target " \
                                                                     f"({TARGET / rate:.1f}x short)"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chunk", type=int, default=1 << 18, help="candidates per chunk")
    ap.add_argument("--sample", type=int, default=2000, help="candidates of the scalar loop")
    args = ap.parse_args()
    chunk = args.chunk
    print(f"# gpt4leak.solver benchmark: Python {platform.python_version()}, numpy {np.__version__}, "
          f"{platform.machine()}, {os.cpu_count()} logical cores, chunk {chunk:,} candidates")
    cores = pin_one_core()
    print(f"# (a)-(d) pinned to core {min(cores)}" if cores else "# (a)-(d) not pinned (no sched_setaffinity)")

    # (a) the raw rate
    q1 = q1_constraints()
    sl = raw_slice()
    solve(q1, sl.restrict(n_layers=[120], d_model=[12288]), pruning=False)  # warm-up: imports, caches
    t_raw, sol = timed(lambda: solve(q1, sl, chunk=chunk, pruning=False))
    raw = sl.size / t_raw
    print(f"(a) raw evaluation, pruning off: {sl.size:,} candidates (default space at n_layers 116, 120) "
          f"in {t_raw:.2f} s")
    print(f"(a) raw rate: {raw:,.0f} candidates/s on one core ({raw:.3g}/s); {meets(raw)}")

    # (b) pruning on, the full default space
    full = load_space()
    t_pr, sol = timed(lambda: solve(q1, full, chunk=chunk), repeat=5)
    eff = full.size / t_pr
    print(f"(b) pruned solve, full default space: {full.size:,} candidates, {sol.evaluated:,} evaluated after "
          f"pruning, {sol.feasible:,} feasible, in {t_pr * 1e3:.1f} ms (best of 5)")
    print(f"(b) effective rate with pruning: {eff:,.0f} candidates/s on one core ({eff:.3g}/s); {meets(eff)}")
    t_ids, _ = timed(lambda: solve(Q1, full, chunk=chunk), repeat=3)
    print(f"(b) the same solve given claim ids instead of Constraint records: {t_ids * 1e3:.1f} ms (best of 3; "
          f"the catalogue is read once per id)")

    # (c) the scalar loop
    per, n_valid, bad = scalar_loop(sl, args.sample)
    scalar = 1 / per
    print(f"(c) scalar loop of gpt4leak.Architecture records: {args.sample:,} candidates of the (a) slice "
          f"({n_valid:,} valid), {per * 1e6:.1f} us/candidate, {bad} mismatches against the vectorised values")
    print(f"(c) scalar rate: {scalar:,.0f} candidates/s; extrapolated to the (a) slice: {sl.size * per:,.0f} s "
          f"({sl.size * per / 3600:.1f} h), to the full space: {full.size * per / 3600:.1f} h")
    print(f"(c) ratio raw vectorised / scalar loop: {raw / scalar:,.0f}x; pruned / scalar loop: {eff / scalar:,.0f}x")

    # (d) memory, each case in a fresh process
    base = in_fresh_process("baseline", chunk)
    print(f"(d) fresh process, imports and the space only (baseline): {peaks(base)}")
    wide = wide_space()
    pruned = in_fresh_process("pruned", chunk)
    print(f"(d) pruned solve of a {wide.size:,}-candidate space ({pruned['evaluated']:,} evaluated, "
          f"{pruned['feasible']:,} feasible, {pruned['seconds']:.2f} s with tracemalloc on): {peaks(pruned)}")
    for kind in ("raw2e6", "raw2e7"):
        r = in_fresh_process(kind, chunk)
        print(f"(d) raw chunked evaluation of {r['size']:,} candidates of that space ({r['seconds']:.2f} s with "
              f"tracemalloc on): {peaks(r)}")
    print(f"(d) one chunk's arrays are the raw peak: {chunk:,} candidates x 8 bytes = {mib(chunk * 8)} per array")
    grid = int(np.prod([len(wide.dims[k]) for k in wide.names if k in DEPENDS["expert_mlp_params"]]))
    print(f"(d) the pruned solve's peak is prune()'s largest sub-grid, evaluated in one piece: expert_mlp_params "
          f"over {grid:,} combinations of its dimensions (prune skips sub-grids over 2,000,000)")

    # (e) two worker processes against one, the raw evaluation of (a)
    if cores:
        os.sched_setaffinity(0, cores)
    ctx = multiprocessing.get_context("spawn")
    times = {}
    for n in (1, 2):
        with ProcessPoolExecutor(n, mp_context=ctx) as pool:
            solve(q1, sl.restrict(n_layers=[120], d_model=[12288]), executor=pool, pruning=False, chunk=4096)
            times[n], _ = timed(lambda: solve(q1, sl, chunk=chunk, pruning=False, executor=pool))
    print(f"(e) raw evaluation of the (a) slice, ProcessPoolExecutor(1): {times[1]:.2f} s "
          f"({sl.size / times[1]:,.0f} candidates/s)")
    print(f"(e) raw evaluation of the (a) slice, ProcessPoolExecutor(2): {times[2]:.2f} s "
          f"({sl.size / times[2]:,.0f} candidates/s)")
    print(f"(e) speed-up with 2 workers over 1: {times[1] / times[2]:.2f}x (ideal 2x; "
          f"{os.cpu_count()} logical cores)")


if __name__ == "__main__":
    main()
