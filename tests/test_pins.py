"""Pins that survive additions (issue "Any source, any model", item 6), and one's own file beside the catalogue.

Before, a pinned verdict was keyed by its result id, which names the first source of a merged reading and every
borrowed default: adding a source renamed 23 pinned results and `pytest --gpt4leak` failed with no verdict changed.
"""

from __future__ import annotations

import shutil

import pytest

import gpt4leak as gl
from gpt4leak.catalogue import CatalogueError, default_catalogue_path
from gpt4leak.cli import main
from gpt4leak.pytest_plugin import pinned_verdict

SAMPLES = 20_000

#: A new leak that sorts before every shipped source, restates the leak's figures (so it leads merged readings)
#: and states a vocabulary and a context length (which other sources' checks borrow as defaults).
NEW_SOURCE = """\
source: {id: aaa2026, title: A new retelling, url: 'https://example.org/aaa', language: en, kind: leak}
claims:
  - {id: aaa2026.total, source: aaa2026, quantity: total_params, value: 1.8T parameters, qualifier: approximately,
     quote: 1.8T}
  - {id: aaa2026.flop, source: aaa2026, quantity: training_flop, value: 2.15e25 FLOP, qualifier: approximately,
     quote: 2.15e25}
  - {id: aaa2026.gpus, source: aaa2026, quantity: n_gpus, value: '25,000 GPUs', qualifier: approximately,
     quote: '25,000'}
  - {id: aaa2026.vocab, source: aaa2026, quantity: vocab_size, value: '100,000', qualifier: approximately,
     quote: 100k}
  - {id: aaa2026.seq, source: aaa2026, quantity: seq_len_pretrain, value: 8k tokens, qualifier: exact, quote: 8k}
"""


@pytest.fixture(scope="module")
def shipped():
    cat = gl.load_catalogue()
    return cat, gl.check_all(cat, samples=SAMPLES, robust=False)


def test_every_shipped_pin_names_one_result(shipped):
    cat, rep = shipped
    found = {k for r in rep.results for k in r.keys}
    assert set(cat.pinned) <= found
    assert sum(pinned_verdict(r, cat.pinned) is not None for r in rep.results) == len(cat.pinned)


def test_adding_a_source_changes_no_pin_key(tmp_path, shipped):
    cat, rep = shipped
    folder = tmp_path / "claims"
    shutil.copytree(default_catalogue_path(), folder, ignore=shutil.ignore_patterns("controls", "documents"))
    (folder / "aaa2026.yaml").write_text(NEW_SOURCE, encoding="utf-8")
    bigger = gl.check_all(gl.load_catalogue(folder), samples=SAMPLES, robust=False)
    # the new source does lead results (their ids change) ...
    old_ids = {r.id for r in rep.results}
    assert any("/aaa2026" in r.id for r in bigger.results)
    assert not old_ids <= {r.id for r in bigger.results}
    # ... but every pin still names a result, with the same verdict
    verdicts = {k: r.verdict for r in bigger.results for k in r.keys}
    assert {k: verdicts.get(k) for k in cat.pinned} == cat.pinned


def test_a_result_id_still_finds_an_old_style_pin(shipped):
    _, rep = shipped
    r = rep.results[0]
    assert pinned_verdict(r, {r.id: "consistent"}) == "consistent"
    assert pinned_verdict(r, {"something else": "tension"}) is None


def test_ones_own_file_beside_the_shipped_catalogue(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text(NEW_SOURCE, encoding="utf-8")
    cat = gl.load_catalogue(also=[mine])
    assert len(cat) == len(gl.load_catalogue()) + 5 and "aaa2026.vocab" in cat
    assert cat.file_of("aaa2026.vocab") == str(mine)
    both = gl.load_catalogue([default_catalogue_path(), mine])
    assert both.hash == cat.hash


def test_an_id_given_twice_across_paths_names_both_files(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text(NEW_SOURCE.replace("aaa2026.total", "peleg2023.total_params"), encoding="utf-8")
    with pytest.raises(CatalogueError) as e:
        gl.load_catalogue(also=[mine])
    [(file, rid, field, msg)] = [p for p in e.value.problems if p[2] == "id"]
    assert (rid, file) == ("peleg2023.total_params", str(mine)) and "peleg2023.yaml" in msg


def test_the_cli_takes_with_and_several_catalogues(tmp_path, capsys):
    mine = tmp_path / "mine.yaml"
    mine.write_text(NEW_SOURCE, encoding="utf-8")
    assert main(["claims", "--with", str(mine), "--source", "aaa2026", "--format", "json"]) == 0
    assert "aaa2026.vocab" in capsys.readouterr().out
    other = tmp_path / "other.yaml"
    other.write_text(NEW_SOURCE.replace("aaa2026", "bbb2026"), encoding="utf-8")
    assert main(["claims", "--catalogue", str(mine), "--catalogue", str(other), "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert "aaa2026.vocab" in out and "bbb2026.vocab" in out and "peleg2023" not in out
