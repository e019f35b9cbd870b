"""The faces of a Report: JSON, Markdown, terminal table, HTML, explain().

Reproducibility is the product here: the same seed and inputs give byte-identical
JSON and Markdown, in one process and in a fresh one (the CLI in a subprocess);
another seed gives other numbers. The JSON must parse as strict JSON and carry,
for every result, what a reader needs to check it: id, sources, verdict, claimed
and derived intervals with units, ratio, and the corrected reading of a unit slip.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

import gpt4leak
from gpt4leak.checks import Report
from gpt4leak.report import explain


CLI_JSON = [sys.executable, "-m", "gpt4leak.cli", "check", "--format", "json", "--samples", "2000", "--seed", "7"]


@pytest.fixture(scope="module")
def cli_proc():
    """The CLI in a fresh process, started first so that it runs while this process computes its own."""
    proc = subprocess.Popen(CLI_JSON, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    yield proc
    if proc.poll() is None:
        proc.kill()
        proc.communicate()


@pytest.fixture(scope="module")
def rep(cli_proc):
    """The module's one full run: seed 7, 2,000 samples, as the CLI run above."""
    return gpt4leak.check_all(seed=7, samples=2000)


@pytest.fixture(scope="module")
def rep_json(rep):
    return rep.to_json()


def _strict_json(text):
    def no_constants(name):
        raise ValueError(f"not strict JSON: {name}")
    return json.loads(text, parse_constant=no_constants)


def _subset(rep, ids):
    return Report(tuple(r for r in rep.results if r.id in ids), rep.catalogue, rep.seed, rep.samples)


# ----------------------------------------------------------------------------- reproducibility
def test_same_seed_gives_byte_identical_json_in_a_fresh_process(cli_proc, rep_json):
    out, err = cli_proc.communicate(timeout=300)
    assert cli_proc.returncode == 0, err
    assert out == rep_json


def test_same_seed_gives_byte_identical_json_and_markdown_in_one_process(rep):
    # two more runs in this process (of the cost checks and the forward-FLOP slip, to stay fast)
    only = ["cost", "flops.forward_vs_active"]
    a = gpt4leak.check_all(seed=7, samples=2000, only=only)  # loads the catalogue afresh
    b = gpt4leak.check_all(rep.catalogue, seed=7, samples=2000, only=only)
    assert len(a) >= 5
    assert a.to_json() == b.to_json()
    assert a.to_markdown() == b.to_markdown()
    assert a.to_table(80) == b.to_table(80)
    # and each result is the one the full run gave: a result does not depend on which other checks ran
    full = _subset(rep, {r.id for r in a})
    assert [r.id for r in full] == [r.id for r in a]
    assert full.to_json() == a.to_json()


def test_another_seed_changes_the_json(rep):
    only = ["cost.training_cost"]
    a = gpt4leak.check_all(rep.catalogue, seed=7, samples=2000, only=only)
    b = gpt4leak.check_all(rep.catalogue, seed=8, samples=2000, only=only)
    assert a.to_json() != b.to_json()
    # the numbers move, the verdicts (from the interval bounds) do not
    assert [r.derived_median for r in a] != [r.derived_median for r in b]
    assert [r.verdict for r in a] == [r.verdict for r in b]


# ----------------------------------------------------------------------------- JSON
def test_json_parses_strictly_and_has_the_fields(rep, rep_json):
    data = _strict_json(rep_json)
    assert isinstance(data, list) and len(data) == len(rep)
    assert [d["id"] for d in data] == [r.id for r in rep]
    for d in data:
        assert {"id", "sources", "verdict", "claimed", "derived", "ratio"} <= d.keys(), d["id"]
        assert d["sources"] and all(isinstance(s, str) for s in d["sources"])
        assert d["verdict"] in {"consistent", "tension", "contradiction", "unit_slip", "info"}
        assert {"median", "low", "high", "unit"} <= d["derived"].keys()
        assert d["derived"]["low"] <= d["derived"]["median"] <= d["derived"]["high"], d["id"]
        if d["verdict"] == "info":
            assert d["claimed"] is None and d["ratio"] is None
        else:
            assert {"low", "high", "unit"} <= d["claimed"].keys()
            assert d["claimed"]["unit"] == d["derived"]["unit"]  # one unit for both sides
        if d["verdict"] == "unit_slip":
            slip = d["unit_slip"]
            assert slip["factor"] > 1 and slip["reading"]
            assert {"low", "high", "unit"} <= slip["corrected"].keys()
        else:
            assert "unit_slip" not in d
        assert d["seed"] == 7 and d["samples"] == 2000 and d["catalogue_hash"] == rep.catalogue.hash


def test_json_of_the_forward_flop_slip(rep_json):
    # 2 x 280B = 560 GFLOP derived, "~560 TFLOP" claimed (555-565 TFLOP): both in GFLOP, factor 1000
    d = next(x for x in _strict_json(rep_json)
             if x["id"] == "flops.forward_vs_active/peleg2023/peleg2023.forward_flop_per_token")
    assert d["derived"]["unit"] == "GFLOP"
    assert d["derived"]["median"] == pytest.approx(560, rel=1e-2)
    assert (d["claimed"]["low"], d["claimed"]["high"]) == (555_000, 565_000)
    assert d["unit_slip"]["factor"] == 1000
    assert d["unit_slip"]["corrected"] == {"low": 555, "high": 565, "unit": "GFLOP"}
    assert "TFLOP -> GFLOP" in d["unit_slip"]["reading"]
    assert d["ratio"] == pytest.approx(1000, rel=1e-2)
    assert d["sources"][0] == "peleg2023"


def test_json_of_an_open_ended_claim_is_still_strict_json(rep_json):
    # "more than 10x GPT-3": [10, inf) must not be written as the non-JSON token Infinity
    d = next(x for x in _strict_json(rep_json)
             if x["id"] == "params.size_vs_gpt3/cver2023/cver2023.size_ratio_to_gpt3")
    assert d["claimed"]["low"] == 10
    assert d["claimed"]["high"] in ("inf", None)


# ----------------------------------------------------------------------------- Markdown
def test_markdown_header_names_title_version_hash_seed_and_the_command(rep):
    md = rep.to_markdown()
    head = "\n".join(md.splitlines()[:10])
    assert md.startswith("# Fact-check: the leaked details of GPT-4\n")
    assert f"catalogue `{rep.catalogue.hash}`" in head
    assert "seed 7" in head and "2,000 Monte Carlo samples" in head
    assert f"gpt4leak {gpt4leak.__version__}" in head
    assert "\ngpt4leak report --seed 7 --samples 2000\n" in head


def test_markdown_opens_with_the_key_findings_each_linked_to_its_section(rep):
    md = rep.to_markdown()
    key = md.split("## Key findings", 1)[1].split("\n## ", 1)[0]
    items = [line for line in key.splitlines() if re.match(r"\d+\. \*\*", line)]
    alarms = [f for f in rep.findings() if f.is_alarm and not f.lent
              and f.result_class in ("claim vs claim", "claim vs other source", "claim vs limit")]
    assert len(items) == len(alarms) > 10
    assert items[0].startswith("1. **UNIT SLIP**: Forward FLOPs per token 560 TFLOP as written")
    for f in alarms:  # each listed once, and its section exists
        assert key.count(f"(#{f.anchor})") == 1 and f'<a id="{f.anchor}"></a>' in md


def test_markdown_has_every_result_with_its_quotes_and_arithmetic(rep):
    md = rep.to_markdown()
    judged = rep.findings(verdicts=("unit_slip", "contradiction", "tension", "undetermined", "consistent"))
    for f in judged:
        assert f'<a id="{f.anchor}"></a>' in md
        for r in f.results[1:]:
            assert f"`{r.id}`" in md.replace("\\", "")
    derived = md.split("## Derived figures with nothing claimed", 1)[1]
    assert all(f"`{r.check_id}`" in derived for r in rep if r.verdict == "info")
    # the cost check: the quote it rests on and its arithmetic
    assert "about $1 per A100 hour, the training costs for this run alone would be about $63 million" in md
    assert "cost = GPUs × days × 24 h × price" in md
    assert "- Unit slip: off by about 1000x" in md


def test_markdown_has_a_bibliography_of_every_cited_source_and_how_to_cite(rep):
    md = rep.to_markdown()
    sources = md.split("## Sources", 1)[1].split("## How to cite", 1)[0]
    cited = {c.source for r in rep for c in (*r.input_claims, *([r.target_claim] if r.target_claim else []))}
    for s in cited:
        assert f'<a id="src-{s}"></a>' in sources
    assert "(#src-peleg2023)" in md and "(#src-semafor2023)" in md  # quotes link to their entry
    cite = md.split("## How to cite", 1)[1]
    assert f"gpt4leak {gpt4leak.__version__} (catalogue {rep.catalogue.hash}, seed 7)" in cite


def test_markdown_records_overrides(rep):
    r = gpt4leak.check_all(rep.catalogue, samples=2000, only=["cost.training_cost"],
                           claims={"peleg2023.training_days": "105 days"})
    head = r.to_markdown().split("## Key findings")[0]
    assert "- claim `peleg2023.training_days` = 105 days" in head
    assert "--claim 'peleg2023.training_days=105 days'" in head  # and the command that reproduces it


# ----------------------------------------------------------------------------- table
@pytest.mark.parametrize("width", [80, 100])
def test_table_fits_the_width(rep, width):
    text = rep.to_table(width, details=True)
    too_long = [line for line in text.splitlines() if len(line) > width]
    assert too_long == []
    assert rep.catalogue.hash in text.splitlines()[0]
    for r in rep:
        assert r.id.split("/")[0] in text


def test_table_opens_with_the_findings_alarms_first(rep):
    text = rep.to_table(80)
    flat = " ".join(text.split())
    first = flat.index("Each source's numbers against its own other numbers")
    assert flat.index("UNIT SLIP: Forward FLOPs per token 560 TFLOP as written", first) < \
        flat.index("CONTRADICTION:", first) < flat.index("TENSION:", first) < flat.index("CONSISTENT:", first)
    assert "TENSION: Training cost ~$63M (peleg2023) is in tension with $57M" in flat
    assert "/peleg2023/" not in text  # no result ids: those are in --details


def test_table_shows_verdicts_and_the_slip_reading(rep):
    text = rep.to_table(80, details=True)
    assert re.search(r"UNIT SLIP: derived 5[56]\d GFLOP", text)
    assert re.search(r"TENSION: derived \$5[67](\.\d)?M", text)
    c = rep.counts()
    assert sum(c.values()) == len(rep)
    # the counts by class, headline first: claims against claims, then limits and what-ifs apart
    head = rep.headline()
    assert text.splitlines()[1].startswith(f"Claims against claims (headline): {head['consistent']} consistent")
    assert f"{head['unit_slip']} unit" in " ".join(text.split())
    assert sum(head.values()) + sum(rep.borrowing().values()) + sum(rep.counts("claim vs limit").values()) \
        + sum(rep.counts("what-if").values()) + sum(rep.counts("derived").values()) == len(rep)
    assert "with an input another source lent" in text
    assert "What-if:" in text and "Claim vs limit:" in text


def test_table_verdict_filter(rep):
    text = rep.to_table(80, verdicts=("contradiction",))
    marks = re.findall(r"^(UNIT SLIP|CONTRADICTION|TENSION|CONSISTENT|INFO):", text, re.M)
    assert marks and set(marks) == {"CONTRADICTION"}


# ----------------------------------------------------------------------------- explain
def test_explain_has_quotes_and_steps(rep):
    text = explain("cost.training_cost", rep.catalogue, samples=2000)
    assert "cost.training_cost/peleg2023/peleg2023.training_cost" in text
    assert "verdict: tension" in text
    # the arithmetic, step by step with units
    assert "n_gpus = 24,500 to 25,500 GPUs" in text
    assert "days = 90 to 100 days" in text
    assert "cost = GPUs × days × 24 h × price" in text
    assert "derived = " in text and "claimed = $62.5M to $63.5M" in text
    assert "ratio claimed/derived = 1.11" in text
    # the quotes, verbatim between curly quotes (the text is wrapped at 80 columns)
    assert "\u201cIf their cost in the cloud was about $1 per A100 hour" in " ".join(text.split())
    assert all(len(line) <= 80 for line in text.splitlines())


def test_explain_shows_only_the_check_asked_for(rep):
    # "flops.implied_mfu" is also a prefix of "flops.implied_mfu_fp8": explain(one check) must not mix them
    text = explain("flops.implied_mfu", rep.catalogue, samples=2000)
    ids = [line for line in text.splitlines() if line.startswith("flops.")]
    assert ids and all(i.split("/")[0].split("@")[0] == "flops.implied_mfu" for i in ids), ids


def test_explain_unknown_check_names_it(rep):
    with pytest.raises(KeyError, match="no.such_check"):
        explain("no.such_check", rep.catalogue, samples=200)


# ----------------------------------------------------------------------------- Report helpers and HTML
def test_report_lookup_and_counts(rep):
    r = rep["cost.training_cost/peleg2023/peleg2023.training_cost"]
    assert r.check_id == "cost.training_cost"
    assert rep["cost.training_cost@h100_rerun"].scenario == "h100_rerun"   # a unique prefix
    with pytest.raises(KeyError):
        rep["cost.training_cost"]                                          # two results match
    assert sum(rep.counts().values()) == len(rep)
    assert isinstance(rep, Report) and "seed 7" in repr(rep)


def test_notebook_html_lists_every_finding_and_escapes(rep):
    html = rep._repr_html_()
    assert html.count("<details") == len(rep.findings(verdicts=("unit_slip", "contradiction", "tension",
                                                                "undetermined", "consistent")))
    assert rep.catalogue.hash in html
    assert ">UNIT SLIP</b>" in html and "#CC79A7" in html  # a word and a colour-blind-safe colour
    assert "<tr style=" not in html and "background:#" not in html  # no pastel rows: readable on dark themes
