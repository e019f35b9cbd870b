"""Benchmark: `gpt4leak check` over the whole catalogue, 100,000 samples per check, start-up included.

Target (issue "fact-check"): under 1.5 s wall on a 2-core machine. Prints the wall time of the full command
(three runs, best and median), then the split: import, catalogue load, Monte Carlo, robustness.

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
    runs = [wall(cmd) for _ in range(3)]
    print(f"gpt4leak check (100,000 samples, robustness on): best {min(runs):.2f} s, "
          f"median {statistics.median(runs):.2f} s")
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
