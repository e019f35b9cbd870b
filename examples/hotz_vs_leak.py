"""George Hotz's "8 experts x 220B" against the leak's "16 experts x ~111B".

Hotz's rumour (June 2023) and the later leak (July 2023) give GPT-4's size in
two different shapes. This script prints what each says, the total each gives
(computed by the same relations the checks use), then every finding that
reads one of Hotz's claims: first those that set his numbers against another
source's, then those where one rumour lends a number to the other (a mix
nobody claimed, counted apart from the headline).

    python examples/hotz_vs_leak.py
"""

import textwrap

import gpt4leak as gl

WIDTH = 80


def say(text, indent=""):
    print(textwrap.fill(text, WIDTH, initial_indent=indent,
                        subsequent_indent=indent + "    ", break_on_hyphens=False))


def from_hotz(claim_ids):
    return [c for c in claim_ids if c.startswith("hotz2023.")]


cat = gl.load_catalogue()
rep = gl.check_all(cat, samples=20_000)

print("What each says")
print("==============")
for cid in ("hotz2023.n_experts", "hotz2023.expert_params",
            "peleg2023.n_experts", "peleg2023.expert_mlp_params",
            "peleg2023.shared_attention_params", "peleg2023.total_params"):
    c = cat[cid]
    say(f"{cid}: {c.value}" + (f" ({c.gloss})" if c.gloss else ""), "  ")
print()


def own_total(check_id, source):
    """The total a check derives from one source's own inputs (no lent claim)."""
    for r in rep.by_check(check_id):
        if not r.borrowed and {c.source for c in r.input_claims} == {source}:
            return r
    raise LookupError(f"no {check_id} result on {source}'s own inputs")


hotz = own_total("params.total_from_whole_experts", "hotz2023")
leak = own_total("params.total_from_experts", "peleg2023")
print("The total each gives")
print("====================")
say(f"Hotz: 8 whole models x 220B = {hotz.display(hotz.derived_median)} "
    f"(a sum the rumour never states) [{hotz.check_id}]", "  ")
say(f"Leak: 16 x ~111B expert MLPs + ~55B shared attention = "
    f"{leak.display(leak.derived_median)}; it states "
    f"{cat['peleg2023.total_params'].value} [{leak.check_id}]", "  ")
experts = next(r for r in rep.by_check("agree.n_experts")
               if {"hotz2023.n_experts", "peleg2023.n_experts"} <= r.compared_claims)
say(f"The totals are {leak.derived_median / hotz.derived_median - 1:.0%} apart; "
    f"the expert count is where they part: 8 against 16 is a "
    f"{experts.verdict} [{experts.check_id}].", "  ")
print()

found = [f for f in rep.findings() if from_hotz(f.claims)]
for title, group in (
        ("Hotz's numbers against other sources", [f for f in found if not f.lent]),
        ("One rumour's number lent to the other (a mix nobody claimed)",
         [f for f in found if f.lent])):
    print(title)
    print("=" * len(title))
    for f in group:
        say(f"{f.word.upper()}: {f.sentence} [{f.check_id}; "
            f"{', '.join(from_hotz(f.claims))}]")
    print()
