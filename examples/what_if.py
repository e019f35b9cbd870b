"""What if the A100 price or the expert count were different? Which verdicts change?

    python examples/what_if.py
"""

import gpt4leak as gl

cat = gl.load_catalogue()
base = gl.check_all(cat, samples=20_000, robust=False)
for label, kwargs in [
    ("A100 at $1.5/hour", {"assumptions": {"price.a100_hour": "1.5 USD/GPU/hour"}}),
    ("the run took 105 days", {"claims": {"peleg2023.training_days": "105 days"}}),
    ("8 experts (Hotz) in Peleg's post", {"claims": {"peleg2023.n_experts": "8"}}),
]:
    other = gl.check_all(cat, samples=20_000, robust=False, **kwargs)
    changes = base.diff(other)
    print(f"{label}: {len(changes)} verdicts change")
    for rid, before, after in changes:
        print(f"  {rid}: {before} -> {after}")
