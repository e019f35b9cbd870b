"""What if an A100-hour cost $1.50 instead of the leak's $1? Which verdicts move?

The leak's own cost arithmetic ("If their cost in the cloud was about $1 per
A100 hour, the training costs for this run alone would be about $63 million")
reads the price the leak STATES: the claim peleg2023.gpu_hour_price. So the
what-if must override that claim. The assumption price.a100_hour is the
library's own default price, read only where no claim states one (the
inference checks, which turn $0.0049 per 1k tokens into throughput): overriding
it moves those numbers but no cost check and no verdict. This script runs both
and prints which verdicts change.

    python examples/what_if_a100_price.py
"""

import textwrap

import gpt4leak as gl

WIDTH = 80
PRICE = "1.5 USD/GPU/hour"


def say(text, indent=""):
    print(textwrap.fill(text, WIDTH, initial_indent=indent,
                        subsequent_indent=indent + "    ", break_on_hyphens=False))


def show_changes(changes):
    if not changes:
        print("  (no verdict changes)")
    for rid, before, after in changes:
        say(f"{rid}", "  ")
        print(f"      {before} -> {after}")


cat = gl.load_catalogue()
base = gl.check_all(cat, samples=20_000)

# 1. the right way: the leak's stated price, overridden as a claim
by_claim = gl.check_all(cat, samples=20_000,
                        claims={"peleg2023.gpu_hour_price": PRICE})
changes = base.diff(by_claim)
print(f"Claim override peleg2023.gpu_hour_price = {PRICE}:")
print(f"  {len(changes)} verdicts change")
show_changes(changes)
print()

# the leak's own cost check, before and after
rid = "cost.training_cost/peleg2023/peleg2023.training_cost"
for label, rep in (("at $1 (as leaked)", base), ("at $1.50 (what-if)", by_claim)):
    r = rep[rid]
    say(f"{label}: derived {r.display(r.derived_median)} against the "
        f"claimed {r.claimed_text}: {r.verdict}", "  ")
print()

# 2. the assumption override: no check of the training run reads it
by_assumption = gl.check_all(cat, samples=20_000,
                             assumptions={"price.a100_hour": PRICE})
changes = base.diff(by_assumption)
print(f"Assumption override price.a100_hour = {PRICE}:")
print(f"  {len(changes)} verdicts change")
show_changes(changes)
readers = [r for r in by_assumption
           if any(a == "price.a100_hour" for a, _, _ in r.assumptions)]
say(f"It is read by {len(readers)} results, of "
    f"{', '.join(sorted({r.check_id for r in readers}))}; no cost check "
    f"reads it, so the leak's $63M arithmetic ignores it. Their numbers move, "
    f"their verdicts do not, e.g.:", "  ")
r = readers[0]
say(f"{r.question} {base[r.id].display(base[r.id].derived_median)} at $1, "
    f"{r.display(r.derived_median)} at $1.50 ({r.verdict})", "    ")
say("To ask what a dearer A100 does to the leak's cost, override the claim.",
    "  ")
