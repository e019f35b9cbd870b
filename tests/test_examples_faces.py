"""The fact-check examples: four scripts in examples/ and the notebook examples/fact_check_gpt4.ipynb.

Each script runs (runpy, as ``python examples/NAME.py`` would) and must print what its docstring says it shows,
in plain text no wider than 80 columns; the notebook runs with nbclient and must show its plots, its DataFrame and
the report's notebook view.
"""

from __future__ import annotations

import ast
import itertools
import re
import runpy
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SCRIPTS = ("check_one_claim.py", "what_if_a100_price.py", "hotz_vs_leak.py", "another_model.py")


def run(name: str, capsys, monkeypatch) -> str:
    monkeypatch.setattr(sys, "argv", [name])  # not pytest's own arguments
    capsys.readouterr()
    runpy.run_path(str(EXAMPLES / name), run_name="__main__")
    return capsys.readouterr().out


@pytest.fixture(scope="module")
def outputs():
    """Each script's stdout, run once for the module (the checks take a second or two each)."""
    return {}


@pytest.fixture
def output(outputs, capsys, monkeypatch):
    def get(name: str) -> str:
        if name not in outputs:
            outputs[name] = run(name, capsys, monkeypatch)
        return outputs[name]
    return get


@pytest.mark.parametrize("name", SCRIPTS)
def test_script_has_a_docstring_and_fits_80_columns(name, output):
    doc = ast.get_docstring(ast.parse((EXAMPLES / name).read_text(encoding="utf-8")))
    assert doc and f"python examples/{name}" in doc
    out = output(name)
    assert out.strip()
    wide = [line for line in out.splitlines() if len(line) > 80]
    assert not wide, wide


def test_check_one_claim_lists_the_checks_their_verdicts_and_the_arithmetic(output):
    out = output("check_one_claim.py")
    assert out.startswith("peleg2023.training_cost: '$63 million' (approximately)")
    assert re.search(r"4 results read it, from these checks: cost\.training_cost, cost\.implied_days,\s+"
                     r"cost\.rerun_ratio, agree\.training_cost", out)
    flat = " ".join(out.split())
    # the findings, one verdict and sentence each, the claim's role named
    assert ("TENSION (claim vs claim; the claim is the target): Training cost ~$63M (peleg2023) is in tension "
            "with $57M from the GPUs, days and GPU-hour price") in flat
    assert "CONTRADICTION (claim vs other source; the claim is the input): Training cost: more than $100M " \
           "(wired2023) contradicts ~$63M (peleg2023)" in flat
    assert "[cost.implied_days]" in flat and "[cost.rerun_ratio]" in flat
    # the explanation of its own check: the arithmetic and the quote
    assert "cost.training_cost/peleg2023/peleg2023.training_cost" in out
    assert "cost = GPUs × days × 24 h × price" in out
    assert "claimed = $62.5M to $63.5M  [peleg2023.training_cost]" in out
    assert "ratio claimed/derived = 1.1; gap factor 1.02 -> tension" in out
    assert "would be about $63 million." in flat


def test_check_one_claim_takes_another_claim_id(capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["check_one_claim.py", "peleg2023.n_experts"])
    runpy.run_path(str(EXAMPLES / "check_one_claim.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert out.startswith("peleg2023.n_experts: '16 experts' (exact)")
    assert "[agree.n_experts]" in " ".join(out.split())


def _changes(section: str) -> tuple[int, list[tuple[str, str, str]]]:
    n = int(re.search(r"^  (\d+) verdicts change$", section, re.MULTILINE).group(1))
    moves = re.findall(r"^  (\S+)\n      (\w+) -> (\w+)$", section, re.MULTILINE)
    return n, moves


def test_what_if_a100_price_moves_verdicts_by_the_claim_not_the_assumption(output):
    out = output("what_if_a100_price.py")
    claim_part, assumption_part = out.split("Assumption override price.a100_hour = 1.5 USD/GPU/hour:")
    assert claim_part.startswith("Claim override peleg2023.gpu_hour_price = 1.5 USD/GPU/hour:")
    n, moves = _changes(claim_part)
    assert n >= 1 and len(moves) == n
    assert ("cost.training_cost/peleg2023/peleg2023.training_cost", "tension", "contradiction") in moves
    assert all(before != after for _, before, after in moves)
    # the leak's cost check, derived at both prices
    flat = " ".join(claim_part.split())
    assert "at $1 (as leaked): derived $57M against the claimed $62.5M to $63.5M: tension" in flat
    assert "at $1.50 (what-if): derived $85.5M against the claimed $62.5M to $63.5M: contradiction" in flat
    # the assumption: no verdict moves, and the script says why and what to do
    n, moves = _changes(assumption_part)
    assert n == 0 and moves == [] and "(no verdict changes)" in assumption_part
    flat = " ".join(assumption_part.split())
    assert "no cost check reads it, so the leak's $63M arithmetic ignores it" in flat
    assert "override the claim" in flat


def test_what_if_a100_price_matches_the_library(output):
    """What the script prints is what Report.diff says."""
    import gpt4leak as gl

    out = output("what_if_a100_price.py")
    cat = gl.load_catalogue()
    base = gl.check_all(cat, samples=20_000, robust=False)
    assert base.diff(gl.check_all(cat, samples=20_000, robust=False,
                                  assumptions={"price.a100_hour": "1.5 USD/GPU/hour"})) == []
    moved = base.diff(gl.check_all(cat, samples=20_000, robust=False,
                                   claims={"peleg2023.gpu_hour_price": "1.5 USD/GPU/hour"}))
    assert moved
    for rid, before, after in moved:
        assert f"  {rid}\n      {before} -> {after}\n" in out


def test_hotz_vs_leak_gives_both_totals_and_the_experts_contradiction(output):
    out = output("hotz_vs_leak.py")
    flat = " ".join(out.split())
    assert "hotz2023.n_experts: 8" in flat and "peleg2023.n_experts: 16 experts" in flat
    assert "Hotz: 8 whole models x 220B = 1.76T params" in flat
    assert "Leak: 16 x ~111B expert MLPs + ~55B shared attention = 1.83T params" in flat
    assert "8 against 16 is a contradiction [agree.n_experts]" in flat
    own, lent = out.split("One rumour's number lent to the other")
    # Hotz's own numbers against other sources: the experts contradiction, with his claim id
    assert "CONTRADICTION: Experts per MoE layer: 8 (hotz2023) contradicts 16 (peleg2023)" in " ".join(own.split())
    assert "[agree.n_experts; hotz2023.n_experts]" in " ".join(own.split())
    # every finding line names a hotz2023 claim
    findings = re.findall(r"^(?:UNIT SLIP|CONTRADICTION|TENSION|AGREES): (.*?)(?=^\S|\Z)", out,
                          re.MULTILINE | re.DOTALL)
    assert len(findings) >= 6
    assert all("hotz2023." in " ".join(f.split()) for f in findings)
    # the mixes are set apart and say which rumour lent what
    assert "from hotz2023" in " ".join(lent.split())


def test_another_model_catches_each_planted_error(output):
    out = output("another_model.py")
    flat = " ".join(out.split())
    assert out.startswith("thread2023: Llama 2 70B: what I heard (thread) (rumour, 22 claims)")
    assert "Headline: 1 consistent, 5 contradiction, 1 unit slip" in out
    assert "UNIT SLIP: Training compute 8.4e20 FLOP as written (thread2023) is a unit slip" in flat
    assert "CONTRADICTION: Total parameters ~700B params (thread2023) contradicts" in flat
    assert "CONTRADICTION: GPU-hours 1.72M GPU-hours (thread2023) contradicts" in flat
    assert "CONTRADICTION: Training cost ~$500,000 (thread2023) contradicts $3.44M" in flat
    _, planted = out.split("Each planted error, and what catches it")
    flat = " ".join(planted.split())
    assert "(a) total_params '700B parameters': contradiction in params.total_from_shape" in flat
    assert "(b) training_flop '8.4e20 FLOP': unit slip in flops.training_6nd" in flat
    assert re.search(r"\(c\) n_gpus '2,048 GPUs', training_days '21 days': [^()]*contradiction in cost\.gpu_hours",
                     flat)
    assert re.search(r"\(d\) training_cost '\$500,000': [^()]*contradiction in cost\.from_gpu_hours", flat)
    assert "NOT CAUGHT" not in flat
    assert "Alarms on true claims only: 0" in flat


# ------------------------------------------------------------------------------------------------- the notebook
def test_fact_check_notebook_is_committed_clean():
    nbformat = pytest.importorskip("nbformat", reason="needs the [notebook] extra (nbformat)")
    nb = nbformat.read(EXAMPLES / "fact_check_gpt4.ipynb", as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    # a short Markdown cell before each code cell
    for before, cell in itertools.pairwise(nb.cells):
        if cell.cell_type == "code":
            assert before.cell_type == "markdown" and before.source.strip()
    assert nb.cells[0].cell_type == "markdown"
    assert code[-1].source.strip() == "rep"


def test_fact_check_notebook_executes_and_shows_its_faces():
    nbformat = pytest.importorskip("nbformat", reason="needs the [notebook] extra (nbclient, ipykernel)")
    nbclient = pytest.importorskip("nbclient", reason="needs the [notebook] extra (nbclient, ipykernel)")
    pytest.importorskip("ipykernel", reason="needs the [notebook] extra (nbclient, ipykernel)")
    pytest.importorskip("matplotlib", reason="needs the [plot] extra")
    pytest.importorskip("pandas", reason="needs the [frame] extra")
    nb = nbformat.read(EXAMPLES / "fact_check_gpt4.ipynb", as_version=4)
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3").execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    errors = [o for o in outputs if o.get("output_type") == "error"]
    assert not errors, [f"{o.ename}: {o.evalue}" for o in errors]
    data = [o["data"] for o in outputs if "data" in o]
    text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    # the findings, alarms first; one explanation; the what-if's diff
    assert re.match(r"\d+ claims from \d+ sources; catalogue [0-9a-f]{16}\n", text)
    (found,) = [o.text for o in outputs if o.get("output_type") == "stream" and o.text.startswith("UNIT SLIP: ")]
    words = [re.match(r"(UNIT SLIP|CONTRADICTION|TENSION|AGREES): ", line).group(1) for line in found.splitlines()]
    severity = ["UNIT SLIP", "CONTRADICTION", "TENSION", "AGREES"]
    assert len(words) == 10 and words == sorted(words, key=severity.index)  # alarms first
    assert "UNIT SLIP: Forward FLOPs per token 560 TFLOP as written (peleg2023)" in found
    assert "cost.training_cost/peleg2023/peleg2023.training_cost" in text and "arithmetic:" in text
    assert "cost.training_cost/peleg2023/peleg2023.training_cost: tension -> contradiction" in text
    assert "assumption override, verdicts changed: []" in text
    # two plots, as PNG
    pngs = [d["image/png"] for d in data if "image/png" in d]
    assert len(pngs) == 2
    # the DataFrame: an HTML table of the headline contradictions
    frames = [d["text/html"] for d in data if "text/html" in d and 'class="dataframe"' in d["text/html"]]
    assert len(frames) == 1 and "claimed_text" in frames[0] and "semafor2023.total_params" in frames[0]
    # the report's notebook view, last: expandable findings
    last = nb.cells[-1].outputs
    assert [o.output_type for o in last] == ["execute_result"]
    assert "<details" in last[0]["data"]["text/html"]
    assert "Claims against claims (headline)" in last[0]["data"]["text/html"]
