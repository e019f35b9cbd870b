"""Write claims/pinned.yaml: the verdict of every check result, as published.

`pytest --gpt4leak` fails an item whose verdict differs from its pin, so a change to a formula, a claim or a
threshold that changes a published finding is seen. Rerun this after reviewing such a change on purpose:

    python scripts/pin_verdicts.py
"""

import json
from pathlib import Path

import yaml

import gpt4leak as gl

OUT = Path(__file__).resolve().parents[1] / "claims" / "pinned.yaml"


def main():
    cat = gl.load_catalogue()
    rep = gl.check_all(cat, samples=100_000, seed=0, robust=False)
    pins = {r.keys[0]: r.verdict for r in rep.results}
    header = ("# Published verdicts, one per check result, written by scripts/pin_verdicts.py with seed 0 and 100,000\n"
              "# samples. `pytest --gpt4leak` fails when a verdict changes. A key names what the result compares:\n"
              "# 'check[~subject][@scenario]: input claim ids -> target claim id' (or '-> limit', '-> derived'), so\n"
              "# adding a source, or one that restates a figure, changes no key.\n")
    # one line per pin (a JSON string is a YAML double-quoted scalar); PyYAML would write long keys as "? key"
    lines = [f"  {json.dumps(k, ensure_ascii=False)}: {v}" for k, v in pins.items()]
    OUT.write_text(header + "pinned:\n" + "\n".join(lines) + "\n", encoding="utf-8")
    assert yaml.safe_load(OUT.read_text(encoding="utf-8"))["pinned"] == pins
    print(f"wrote {OUT} ({len(pins)} verdicts)")


if __name__ == "__main__":
    main()
