"""Every leak number shows what independent sources say of it (issue "Any source, any model", done-when)."""

from __future__ import annotations

import gpt4leak as gl
from gpt4leak.report import independent_lines

SAMPLES = 2_000

TEXT = """\
sources:
  - {id: leak, title: The leak, url: 'https://e.org/leak', language: en, kind: leak}
  - {id: retold, title: A retelling, url: 'https://e.org/r', language: en, kind: derivative,
     derives_from: [{source: leak, relation: retelling}]}
  - {id: press, title: Press, url: 'https://e.org/p', language: en, kind: press}
  - {id: maker, title: Maker, url: 'https://e.org/m', language: en, kind: official}
claims:
  - {id: leak.total, source: leak, quantity: total_params, value: 1.8T parameters, qualifier: approximately, quote: q}
  - {id: leak.gpus, source: leak, quantity: n_gpus, value: '25,000 GPUs', qualifier: approximately, quote: q}
  - {id: leak.days, source: leak, quantity: training_days, value: 90 to 100 days, qualifier: between, quote: q}
  - {id: retold.total, source: retold, quantity: total_params, value: 1T parameters, qualifier: exact, quote: q}
  - {id: press.total, source: press, quantity: total_params, value: 1.8T parameters, qualifier: approximately,
     quote: q}
  - {id: maker.gpus, source: maker, quantity: n_gpus, value: '10,000 GPUs', qualifier: exact, quote: q}
"""


def test_independent_sources_agree_disagree_or_are_silent(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(TEXT)
    rep = gl.check_all(gl.load_catalogue(path), samples=SAMPLES, robust=False)
    rows = {r["claim"]: r for r in rep.independent_view()}
    assert rows["leak.total"]["agree"] == ["press"]           # the same reading, merged: it agrees
    assert rows["leak.total"]["disagree"] == []               # the retelling is the leak again, not a source
    assert rows["leak.gpus"]["disagree"] == [("maker", "contradiction")]
    assert rows["leak.days"]["agree"] == rows["leak.days"]["disagree"] == []  # silent
    lines = independent_lines(rep)
    assert lines[0] == "Independent sources on the leak's 3 numbers: 2 stated elsewhere, 1 silent"
    assert "1 disagree (maker: contradiction)" in " ".join(lines)


def test_the_shipped_leak_numbers_and_their_independent_record():
    rep = gl.check_all(samples=SAMPLES, robust=False)
    said = {r["claim"]: r["disagree"] for r in rep.independent_view() if r["disagree"]}
    assert said["peleg2023.total_params"] == [("semafor2023", "contradiction")]
    assert said["peleg2023.training_cost"] == [("wired2023", "contradiction")]
    assert "What independent sources say" in rep.to_markdown()


def test_a_filtered_report_makes_no_claim_about_independent_sources():
    rep = gl.check_all(only=["agree.training_cost"], samples=SAMPLES, robust=False)
    assert rep.independent_view() == [] and independent_lines(rep) == []
