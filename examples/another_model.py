"""Another model's rumour, no code change: the made-up Llama 2 70B thread.

examples/rumour_llama2_70b.yaml is a CONSTRUCTED leak thread about Llama 2 70B
(not a real document) with four errors planted on purpose, each marked
"PLANTED (a)" to "(d)" in its claim's notes. The same checks that judge the
GPT-4 leak run on it; this script prints the counts, the alarms, and for each
planted error the alarms that catch it (see docs/howto-check-a-new-model.md).

    python examples/another_model.py
"""

import re
import textwrap
from pathlib import Path

import gpt4leak as gl

WIDTH = 80
RUMOUR = Path(__file__).resolve().parent / "rumour_llama2_70b.yaml"
ALARMS = ("unit_slip", "contradiction", "tension")


def say(text, indent=""):
    print(textwrap.fill(text, WIDTH, initial_indent=indent,
                        subsequent_indent=indent + "    ", break_on_hyphens=False))


cat = gl.load_catalogue(RUMOUR)
rep = gl.check_all(cat, samples=20_000)
(source,) = cat.sources
say(f"{source.id}: {source.title} ({source.kind}, {len(cat.claims)} claims)")
head = rep.headline()
say("Headline: " + ", ".join(f"{n} {v.replace('_', ' ')}"
                             for v, n in head.items() if n))
print()

alarms = rep.findings(verdicts=ALARMS)
print("Alarms")
print("======")
for f in alarms:
    say(f"{f.word.upper()}: {f.sentence} [{f.check_id}]")
print()

# the planted errors, read from the claims' notes: "PLANTED (a): ..."
planted: dict[str, list[str]] = {}
for c in cat.claims:
    m = re.match(r"PLANTED \(([a-z])\)", c.notes)
    if m:
        planted.setdefault(m.group(1), []).append(c.id)

print("Each planted error, and what catches it")
print("=======================================")
for letter, ids in sorted(planted.items()):
    written = ", ".join(f"{cid.split('.', 1)[1]} {cat[cid].value!r}" for cid in ids)
    caught = [f for f in alarms if set(ids) & set(f.claims)]
    say(f"({letter}) {written}: "
        + ("; ".join(f"{f.word} in {f.check_id}" for f in caught) or "NOT CAUGHT"))
every = {cid for ids in planted.values() for cid in ids}
stray = [f for f in alarms if not every & set(f.claims)]
say(f"Alarms on true claims only: {len(stray)}")
