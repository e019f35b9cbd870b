"""One leaked number, every check that uses it: the $63M training cost.

Which checks read the claim peleg2023.training_cost ("about $63 million"),
the verdict and sentence of each, then the arithmetic of its own check
(GPUs x days x 24 h x price against the stated cost), step by step.

    python examples/check_one_claim.py [CLAIM_ID]
"""

import sys
import textwrap

import gpt4leak as gl

WIDTH = 80
CLAIM = sys.argv[1] if len(sys.argv) > 1 else "peleg2023.training_cost"


def say(text, indent=""):
    print(textwrap.fill(text, WIDTH, initial_indent=indent,
                        subsequent_indent=indent + "    ", break_on_hyphens=False))


cat = gl.load_catalogue()
claim = cat[CLAIM]
rep = gl.check_all(cat, samples=20_000)

say(f"{claim.id}: {claim.value!r} ({claim.qualifier})")
say(f"quote: \u201c{claim.quote}\u201d", "  ")
print()

# every result that compares the claim, as target or as input
results = [r for r in rep if CLAIM in r.compared_claims]
say(f"{len(results)} results read it, from these checks: "
    + ", ".join(dict.fromkeys(r.check_id for r in results)))
print()

# the same results as findings: one quotable sentence each, alarms first
print("Findings that use it")
print("====================")
for f in rep.findings():
    if CLAIM in f.claims:
        role = "target" if f.results[0].target_claim is not None and \
            f.results[0].target_claim.id == CLAIM else "input"
        say(f"{f.word.upper()} ({f.result_class}; the claim is the {role}): "
            f"{f.sentence} [{f.check_id}]")
print()

# the arithmetic of the check whose target is the claim itself
own = [r for r in results if r.target_claim is not None and r.target_claim.id == CLAIM]
for r in own:
    print(gl.explain(r.id, cat, samples=20_000, width=WIDTH))
