"""Write claims/pinned.yaml: the verdict of every check result, as published.

`pytest --gpt4leak` fails an item whose verdict differs from its pin, so a change to a formula, a claim or a
threshold that changes a published finding is seen. Rerun this after reviewing such a change on purpose:

    python scripts/pin_verdicts.py
"""

from pathlib import Path

import yaml

import gpt4leak as gl

OUT = Path(__file__).resolve().parents[1] / "claims" / "pinned.yaml"


def main():
    cat = gl.load_catalogue()
    rep = gl.check_all(cat, samples=100_000, seed=0, robust=False)
    pins = {r.id: r.verdict for r in rep.results}
    header = ("# Published verdicts, one per check result (result id -> verdict), written by scripts/pin_verdicts.py\n"
              "# with seed 0 and 100,000 samples. `pytest --gpt4leak` fails when a verdict changes.\n")
    OUT.write_text(header + yaml.safe_dump({"pinned": pins}, allow_unicode=True, sort_keys=False, width=200),
                   encoding="utf-8")
    print(f"wrote {OUT} ({len(pins)} verdicts)")


if __name__ == "__main__":
    main()
