"""Benchmark: the full parameter and FLOP formulas over millions of random architectures.

Evaluates, for each random decoder-only architecture (dense or mixture of experts,
multi-head / grouped-query / multi-query attention, SwiGLU MLP, untied head):

    attention_params, mlp_params, router_params, norm_params, embedding_params,
    lm_head_params -> moe_total_params, moe_active_params -> forward_flop_per_token,
    training_flop

through the unit-free kernels (``fn.bare``) of gpt4leak.formulas.params and
gpt4leak.formulas.flops, three ways:

1. vectorised over numpy arrays, in cache-sized chunks (the path Monte Carlo and
   the solver use);
2. vectorised over whole arrays in one go (for comparison);
3. a plain Python loop of single scalar calls, on a sample, extrapolated;
   and the same loop through the public, unit-aware functions (with their checks).

It checks that the loop and the vectorised path agree on the sample, then prints
the rates and the ratio. Target: >= 10 million architectures/s on one core for (1).

Run:  python benchmarks/bench_formulas.py [--n 10000000] [--chunk 65536] [--sample 20000] [--seed 0]
"""

from __future__ import annotations

import argparse
import platform
import time

import numpy as np

from gpt4leak.formulas import flops as F
from gpt4leak.formulas import params as P

FIELDS = ("n_layers", "d_model", "n_heads", "n_kv_heads", "head_dim", "d_ff", "vocab", "n_experts",
          "top_k", "seq_len", "tokens")
OUTPUTS = ("total_params", "active_params", "forward_flop_per_token", "training_flop")


def random_architectures(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """``n`` random architectures as float64 arrays (sizes spanning GPT-2 small to GPT-4-leak scale)."""
    n_heads = rng.integers(8, 129, n).astype(float)
    head_dim = rng.choice(np.array([64.0, 80.0, 96.0, 128.0, 256.0]), n)
    group = rng.choice(np.array([1.0, 2.0, 4.0, 8.0, 16.0]), n)  # query heads per K/V head (1 = MHA)
    n_kv_heads = np.maximum(1.0, np.floor(n_heads / group))
    d_model = n_heads * head_dim
    n_experts = rng.choice(np.array([1.0, 8.0, 16.0, 64.0]), n)
    return {
        "n_layers": rng.integers(2, 161, n).astype(float),
        "d_model": d_model,
        "n_heads": n_heads,
        "n_kv_heads": n_kv_heads,
        "head_dim": head_dim,
        "d_ff": np.round(d_model * rng.uniform(2.5, 4.0, n)),
        "vocab": rng.integers(32_000, 256_001, n).astype(float),
        "n_experts": n_experts,
        "top_k": np.minimum(n_experts, rng.choice(np.array([1.0, 2.0]), n)),
        "seq_len": rng.choice(np.array([2048.0, 4096.0, 8192.0, 32768.0]), n),
        "tokens": rng.uniform(1e11, 2e13, n),
    }


def evaluate(n_layers, d_model, n_heads, n_kv_heads, head_dim, d_ff, vocab, n_experts, top_k, seq_len, tokens,
             api="bare"):
    """The full chain for one architecture or arrays of them; ``api`` picks ``.bare`` kernels or the public ones."""
    fn = (lambda f: f.bare) if api == "bare" else (lambda f: f)
    attn = fn(P.attention_params)(d_model, n_heads, n_kv_heads, head_dim)
    router = fn(P.router_params)(d_model, n_experts) * (n_experts > 1)  # a dense model has no router
    norms = 2 * fn(P.norm_params)(d_model, bias=False)  # RMSNorm before attention and before the MLP
    expert = n_layers * fn(P.mlp_params)(d_model, d_ff, gated=True)  # one expert's MLPs over all layers
    shared = (n_layers * (attn + router + norms) + fn(P.embedding_params)(vocab, d_model)
              + fn(P.lm_head_params)(vocab, d_model) + fn(P.norm_params)(d_model, bias=False))
    total = fn(P.moe_total_params)(n_experts, expert, shared)
    active = fn(P.moe_active_params)(top_k, expert, shared)
    fwd = fn(F.forward_flop_per_token)(active, n_layers, seq_len, n_heads * head_dim)
    train = fn(F.training_flop)(active, tokens)
    return total, active, fwd, train


def run_chunked(arch: dict[str, np.ndarray], chunk: int) -> dict[str, np.ndarray]:
    n = len(arch["n_layers"])
    out = {k: np.empty(n) for k in OUTPUTS}
    for start in range(0, n, chunk):
        sl = slice(start, start + chunk)
        results = evaluate(*(arch[f][sl] for f in FIELDS))
        for k, r in zip(OUTPUTS, results):
            out[k][sl] = r
    return out


def run_whole(arch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return dict(zip(OUTPUTS, evaluate(*(arch[f] for f in FIELDS))))


def run_loop(arch: dict[str, np.ndarray], m: int, api: str) -> list[tuple[float, ...]]:
    cols = [arch[f][:m].tolist() for f in FIELDS]  # plain Python floats
    return [evaluate(*row, api=api) for row in zip(*cols)]


def _best_of(repeats: int, fn):
    best, result = float("inf"), None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def main(argv=None) -> dict[str, float]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10_000_000, help="architectures for the vectorised paths")
    ap.add_argument("--chunk", type=int, default=16_384, help="chunk length of the chunked path")
    ap.add_argument("--sample", type=int, default=20_000, help="architectures for the Python loops")
    ap.add_argument("--repeats", type=int, default=3, help="timed repeats (the best is reported)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    rng = np.random.default_rng(args.seed)
    t0 = time.perf_counter()
    arch = random_architectures(args.n, rng)
    t_gen = time.perf_counter() - t0
    print(f"gpt4leak formula benchmark | numpy {np.__version__} | Python {platform.python_version()} "
          f"| {platform.machine()}")
    print(f"{args.n:,} random architectures generated in {t_gen:.2f} s (not timed below)\n")

    t_chunk, chunked = _best_of(args.repeats, lambda: run_chunked(arch, args.chunk))
    t_whole, whole = _best_of(1, lambda: run_whole(arch))
    m = min(args.sample, args.n)
    t_loop, looped = _best_of(1, lambda: run_loop(arch, m, "bare"))
    m_api = max(1, m // 4)
    t_api, looped_api = _best_of(1, lambda: run_loop(arch, m_api, "public"))

    # the paths must agree (same kernels, same floats)
    for j, k in enumerate(OUTPUTS):
        loop_col = np.array([row[j] for row in looped])
        assert np.allclose(loop_col, chunked[k][:m], rtol=1e-12, atol=0), k
        assert np.allclose(np.array([row[j] for row in looped_api]), chunked[k][:m_api], rtol=1e-12, atol=0), k
        assert np.array_equal(chunked[k], whole[k]), k
    assert np.all(chunked["active_params"] <= chunked["total_params"])

    rates = {
        "vectorised_chunked": args.n / t_chunk,
        "vectorised_whole": args.n / t_whole,
        "python_loop_bare": m / t_loop,
        "python_loop_public": m_api / t_api,
    }
    width = 44
    print(f"{'path':<{width}} {'architectures/s':>16} {'time for n':>12}")
    print(f"{'vectorised, chunks of ' + format(args.chunk, ',') + ' (best of ' + str(args.repeats) + ')':<{width}} "
          f"{rates['vectorised_chunked']:>16,.0f} {t_chunk:>10.2f} s")
    print(f"{'vectorised, whole arrays':<{width}} {rates['vectorised_whole']:>16,.0f} {t_whole:>10.2f} s")
    print(f"{'Python loop of .bare calls (' + format(m, ',') + ', extrapolated)':<{width}} "
          f"{rates['python_loop_bare']:>16,.0f} {args.n / rates['python_loop_bare']:>10.1f} s")
    print(f"{'Python loop of public calls (' + format(m_api, ',') + ', extrapolated)':<{width}} "
          f"{rates['python_loop_public']:>16,.0f} {args.n / rates['python_loop_public']:>10.1f} s")
    print()
    vec = rates["vectorised_chunked"]
    print(f"speed-up of the vectorised path over the .bare loop:   {vec / rates['python_loop_bare']:,.0f}x")
    print(f"speed-up of the vectorised path over the public loop:  {vec / rates['python_loop_public']:,.0f}x")
    target = 10e6
    verdict = "meets" if rates["vectorised_chunked"] >= target else "MISSES"
    print(f"target >= {target:,.0f} architectures/s on one core: {verdict}")
    print(f"sample check: loop and vectorised results agree to 1e-12 on {m:,} architectures")
    return rates


if __name__ == "__main__":
    main()
