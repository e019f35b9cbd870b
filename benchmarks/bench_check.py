"""Benchmark: `gpt4leak check` over the whole catalogue, 100,000 samples per check, start-up included.

Target (issue "Verdicts that hold on runs we have never seen", item 7): at most 2x the bare
`python -c "import numpy, pint; pint.UnitRegistry()"` measured on the same machine in the same run. Prints both
wall times (best of five), their ratio, then the split: import, catalogue load, Monte Carlo, robustness.

    python benchmarks/bench_check.py
"""

import statistics
import subprocess
import sys
import time


def wall(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def main():
    cmd = [sys.executable, "-m", "gpt4leak.cli", "check", "--samples", "100000"]
    bare = [sys.executable, "-c", "import numpy, pint; pint.UnitRegistry()"]
    runs, bases = [], []
    for _ in range(5):  # interleaved, so that a busy moment hits both
        runs.append(wall(cmd))
        bases.append(wall(bare))
    ratio = min(runs) / min(bases)
    print(f"gpt4leak check (100,000 samples, robustness on): best {min(runs):.2f} s, "
          f"median {statistics.median(runs):.2f} s")
    print(f"bare import numpy, pint + UnitRegistry():        best {min(bases):.2f} s")
    print(f"ratio {ratio:.2f}x (target at most 2x): {'meets' if ratio <= 2 else 'MISSES'}")
    t0 = time.perf_counter()
    import gpt4leak as gl
    from gpt4leak.checks import check_all
    t1 = time.perf_counter()
    cat = gl.load_catalogue()
    t2 = time.perf_counter()
    rep = check_all(cat, samples=100_000, robust=False)
    t3 = time.perf_counter()
    check_all(cat, samples=100_000, robust=True)
    t4 = time.perf_counter()
    print(f"  import {t1 - t0:.2f} s, load {len(cat.claims)} claims {t2 - t1:.2f} s, "
          f"{len(rep)} checks without robustness {t3 - t2:.2f} s, with robustness {t4 - t3:.2f} s")


if __name__ == "__main__":
    main()
