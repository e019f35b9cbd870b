"""Subjects and scenarios come from a declared vocabulary (issue "Bad input never becomes a wrong number", item 2).

Before, a typo in ``subject:`` made checks vanish and one in ``scenario:`` started a new scenario; what a scenario
borrowed from ``main`` hung on its name (``*rerun*``, ``compute_optimal*``, ``inference*``). Now a claim names a
declared subject and scenario, and a scenario's declared kind alone decides what it borrows and which relations
run in it.
"""

from __future__ import annotations

import shutil

import pytest
import yaml

import gpt4leak as gl
from gpt4leak.catalogue import CatalogueError, default_catalogue_path, shipped_vocabulary
from gpt4leak.records import SCENARIO_KINDS, Scenario

SOURCE = ("sources:\n  - {id: x, title: t, author: a, outlet: o, date: 2024-01-01, url: 'https://e.org', "
          "citation: c, language: en, kind: published}\n")
SAMPLES = 2_000


def _load(tmp_path, text, name="c.yaml"):
    path = tmp_path / name
    path.write_text(SOURCE + text, encoding="utf-8")
    return gl.load_catalogue(path)


def _claim(extra):
    return f"claims:\n  - {{id: x.a, source: x, quantity: n_layers, value: '120', qualifier: exact, quote: q, {extra}}}\n"


@pytest.mark.parametrize("extra, field, hint", [
    ("subject: gtp-4", "subject", "did you mean 'gpt-4'?"),
    ("scenario: h100_rerunn", "scenario", "did you mean 'h100_rerun'?"),
    ("scenario: inferense", "scenario", "did you mean 'inference'?"),
    ("subject: model-x", "subject", "known: chinchilla"),
])
def test_an_undeclared_subject_or_scenario_is_refused_naming_the_known_ones(tmp_path, extra, field, hint):
    with pytest.raises(CatalogueError) as e:
        _load(tmp_path, _claim(extra))
    [(file, claim, fld, msg)] = e.value.problems
    assert (file.endswith("c.yaml"), claim, fld) == (True, "x.a", field)
    assert hint in msg and "Declare" in msg


def test_a_declared_subject_and_scenario_load(tmp_path):
    cat = _load(tmp_path, "subjects:\n  - {id: model-x, name: Model X}\n"
                          "scenarios:\n  - {id: tpu_serving, kind: serving, description: Served on TPUs.}\n"
                + _claim("subject: model-x, scenario: tpu_serving"))
    assert cat.subject("model-x").name == "Model X"
    assert cat.scenario_kinds["tpu_serving"] == "serving" and cat.scenario_kinds["h100_rerun"] == "rerun"


@pytest.mark.parametrize("text, field, words", [
    ("scenarios:\n  - {id: main, kind: phase, description: d}\n", "kind", "'main' is the one scenario"),
    ("scenarios:\n  - {id: second, kind: run, description: d}\n", "kind", "'main' is the one scenario"),
    ("scenarios:\n  - {id: s, kind: stage, description: d}\n", "kind", "Input should be"),
    ("scenarios:\n  - {id: s, kind: phase}\n", "description", "Field required"),
    ("subjects:\n  - {id: Model X, name: X}\n", "id", "pattern"),
    ("subjects:\n  - {id: m, name: M}\n  - {id: m, name: M again}\n", "id", "duplicate"),
    ("subjects: m\n", "subjects", "expected a list"),
])
def test_a_bad_declaration_is_refused(tmp_path, text, field, words):
    with pytest.raises(CatalogueError) as e:
        _load(tmp_path, text)
    assert any(fld == field and words in msg for _, _, fld, msg in e.value.problems), e.value.problems


def test_a_catalogue_may_redefine_a_shipped_word(tmp_path):
    cat = _load(tmp_path, "scenarios:\n  - {id: inference, kind: phase, description: Not serving here.}\n"
                + _claim("scenario: inference"))
    assert cat.scenario_kinds["inference"] == "phase"
    assert [s.id for s in cat.scenarios].count("inference") == 1


def test_every_shipped_word_is_declared_once_with_a_known_kind():
    subjects, scenarios = shipped_vocabulary()
    assert len({s.id for s in subjects}) == len(subjects) and len({s.id for s in scenarios}) == len(scenarios)
    assert {s.kind for s in scenarios} <= set(SCENARIO_KINDS)
    assert [s.id for s in scenarios if s.kind == "run"] == ["main"]
    cat = gl.load_catalogue()
    assert {c.subject for c in cat.claims} <= {s.id for s in cat.subjects}
    assert {s.id for s in subjects} <= {s.id for s in cat.subjects}


# ---- the kind, not the name, decides: renaming every scenario changes no verdict -------------------------------
#: Names chosen to mislead the old name rules: a serving scenario called like a projection, a re-run called like a
#: phase, a hypothetical model called like a re-run.
MISLEADING = {"serving": "compute_optimal_{i}", "rerun": "phase_{i}", "phase": "inference_{i}",
              "accounting": "h100_rerun_{i}", "hypothetical": "rerun_{i}"}


def _renamed(doc: dict, kinds: dict[str, str], names: dict[str, str]) -> dict:
    for c in doc.get("claims") or []:
        scen = c.get("scenario", "main")
        if scen != "main":
            names.setdefault(scen, MISLEADING[kinds[scen]].format(i=len(names)))
            c["scenario"] = names[scen]
    doc.pop("scenarios", None)
    return doc


def _declarations(cat, names):
    def part_of(old):
        parent = cat.scenario(old).part_of
        return {} if parent is None else {"part_of": names.get(parent, parent)}
    return [{"id": new, "kind": cat.scenario_kinds[old], "description": f"renamed from {old}", **part_of(old)}
            for old, new in names.items()]


def _verdicts(rep, back: dict[str, str]):
    """Check, scenario (its old name), verdict and derived median (Monte Carlo streams are seeded by result id,
    which names the scenario: the medians agree to sampling noise, not to the bit)."""
    rows = sorted((r.check_id, back.get(r.scenario, r.scenario), r.verdict, r.id.partition("/")[2], r.derived_median)
                  for r in rep.results)
    return [(*row[:4], pytest.approx(row[4], rel=0.03)) for row in rows]


def _kinds_of(cat):
    return dict(cat.scenario_kinds)


@pytest.mark.parametrize("control", ["llama3_405b", "palm_540b", "deepseek_v3", "chinchilla"])
def test_renaming_a_controls_scenarios_changes_no_verdict(tmp_path, control):
    path = default_catalogue_path() / "controls" / f"{control}.yaml"
    cat = gl.load_catalogue(path)
    names: dict[str, str] = {}
    doc = _renamed(yaml.safe_load(path.read_text(encoding="utf-8")), _kinds_of(cat), names)
    doc["scenarios"] = _declarations(cat, names)
    out = tmp_path / path.name
    out.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    renamed = gl.load_catalogue(out)
    assert {c.scenario for c in renamed.claims} - {"main"} == set(names.values()) != set()
    back = {new: old for old, new in names.items()}
    assert (_verdicts(gl.check_all(renamed, samples=SAMPLES), back)
            == _verdicts(gl.check_all(cat, samples=SAMPLES), {}))


def test_renaming_the_gpt4_scenarios_changes_no_verdict(tmp_path):
    """The shipped catalogue has a re-run (which borrows the main run's FLOPs) and three serving scenarios."""
    cat = gl.load_catalogue()
    kinds, names = _kinds_of(cat), {}
    for f in sorted(default_catalogue_path().glob("*.yaml")):
        doc = yaml.safe_load(f.read_text(encoding="utf-8")) or {}
        if f.name == "vocabulary.yaml":
            continue
        (tmp_path / f.name).write_text(yaml.safe_dump(_renamed(doc, kinds, names), allow_unicode=True,
                                                      sort_keys=False), encoding="utf-8")
    shutil.copy(default_catalogue_path() / "vocabulary.yaml", tmp_path / "vocabulary.yaml")
    (tmp_path / "renamed.yaml").write_text(yaml.safe_dump({"scenarios": _declarations(cat, names)}))
    assert {kinds[old] for old in names} >= {"rerun", "serving"}
    renamed = gl.load_catalogue(tmp_path)
    back = {new: old for old, new in names.items()}
    assert (_verdicts(gl.check_all(renamed, samples=SAMPLES), back)
            == _verdicts(gl.check_all(cat, samples=SAMPLES), {}))


def test_a_kind_changes_what_a_scenario_borrows(tmp_path):
    """The breaking case: the same claims under a re-run borrow the main run's FLOPs for an implied MFU; under a
    phase (a stage never carries the whole run's work) they do not."""
    def catalogue(kind):
        return _load(tmp_path, (
            f"scenarios:\n  - {{id: later, kind: {kind}, description: d}}\n"
            "claims:\n"
            "  - {id: x.c, source: x, quantity: training_flop, value: 2e25 FLOP, qualifier: approximately, quote: q}\n"
            "  - {id: x.m, source: x, quantity: mfu, value: 40%, qualifier: approximately, quote: q}\n"
            "  - {id: x.g, source: x, quantity: n_gpus, scenario: later, value: 8192 GPUs, qualifier: exact, "
            "quote: q}\n"
            "  - {id: x.d, source: x, quantity: training_days, scenario: later, value: 60 days, "
            "qualifier: approximately, quote: q}\n"
            "  - {id: x.h, source: x, quantity: gpu_model, scenario: later, label: H100, qualifier: exact, "
            "quote: q}\n"), name=f"{kind}.yaml")
    rerun = gl.check_all(catalogue("rerun"), only=["flops.implied_mfu"], samples=SAMPLES).results
    phase = gl.check_all(catalogue("phase"), only=["flops.implied_mfu"], samples=SAMPLES).results
    assert [r.scenario for r in rerun] == ["later"] and phase == ()


def test_scenario_records_document_every_kind():
    text = Scenario.model_fields["kind"].description
    assert all(k in text for k in SCENARIO_KINDS)


# --------------------------------------------------------------------------- a forgotten subject
def test_a_claim_without_subject_in_a_file_declaring_subjects_is_refused(tmp_path):
    """A file about another model that forgets ``subject:`` on one claim would have made it a GPT-4 claim."""
    with pytest.raises(CatalogueError) as e:
        _load(tmp_path, "subjects:\n  - {id: model-x, name: Model X}\n" + _claim("scenario: main"))
    [(_, claim, fld, msg)] = e.value.problems
    assert (claim, fld) == ("x.a", "subject") and "'model-x'" in msg and "top of the file" in msg


def test_the_files_subject_is_the_default_of_its_claims(tmp_path):
    cat = _load(tmp_path, "subject: model-x\nsubjects:\n  - {id: model-x, name: Model X}\n" + _claim("scenario: main")
                + "  - {id: x.b, source: x, quantity: n_layers, value: '96', qualifier: exact, quote: q, "
                  "subject: gpt-4}\n")
    assert cat.claim("x.a").subject == "model-x" and cat.claim("x.b").subject == "gpt-4"


@pytest.mark.parametrize("head, words", [("subject: [a, b]\n", "expected a subject id"),
                                         ("subject: modle-x\nsubjects:\n  - {id: model-x, name: X}\n",
                                          "did you mean 'model-x'?")])
def test_a_bad_file_subject_is_refused(tmp_path, head, words):
    with pytest.raises(CatalogueError) as e:
        _load(tmp_path, head + _claim("scenario: main"))
    assert any(words in msg for *_, msg in e.value.problems), e.value.problems


def test_a_file_without_declared_subjects_keeps_the_gpt4_default(tmp_path):
    assert _load(tmp_path, _claim("scenario: main")).claim("x.a").subject == "gpt-4"
