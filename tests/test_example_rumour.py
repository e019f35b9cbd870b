"""The constructed rumour examples/rumour_llama2_70b.yaml: a made-up leak thread about Llama 2 70B.

Its true numbers restate the published ones (claims/controls/llama2_70b.yaml); four errors are planted, each
marked "PLANTED" in its claim's notes. Every planted error must raise an alarm in a result that compares the
planted claim, and no result that compares only true claims may raise one. docs/howto-check-a-new-model.md
walks through the same file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import gpt4leak as gl
from gpt4leak.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "rumour_llama2_70b.yaml"
CONTROL = ROOT / "claims" / "controls" / "llama2_70b.yaml"
SUBJECT = "llama-2-70b-rumour"

# planted error -> (its claim ids, the check expected to catch it, the verdict expected there)
PLANTED = {
    "a_700b_total": ({"thread2023.total_params"}, "params.total_from_shape", "contradiction"),
    "b_flop_1000x": ({"thread2023.training_flop"}, "flops.training_6nd", "unit_slip"),
    "c_gpus_days": ({"thread2023.n_gpus", "thread2023.training_days"}, "cost.gpu_hours", "contradiction"),
    "d_cost": ({"thread2023.training_cost"}, "cost.from_gpu_hours", "contradiction"),
}
ALL_PLANTED = frozenset().union(*(ids for ids, _, _ in PLANTED.values()))

# true claim of the thread -> the control's claim of the same number (the paper or the released config)
SAME_AS_CONTROL = {
    "thread2023.total_params_in_compute": "touvron2023.total_params",
    "thread2023.n_layers": "meta2023_llama2_70b_config.n_layers",
    "thread2023.d_model": "meta2023_llama2_70b_config.d_model",
    "thread2023.n_heads": "meta2023_llama2_70b_config.n_heads",
    "thread2023.n_kv_heads": "meta2023_llama2_70b_config.n_kv_heads",
    "thread2023.d_ff": "meta2023_llama2_70b_config.d_ff",
    "thread2023.vocab_size": "meta2023_llama2_70b_config.vocab_size",
    "thread2023.training_tokens": "touvron2023.training_tokens",
    "thread2023.seq_len_pretrain": "touvron2023.seq_len_pretrain",
    "thread2023.batch_tokens": "touvron2023.batch_tokens",
    "thread2023.training_gpu_hours": "touvron2023.training_gpu_hours",
}
SAME_LABEL_AS_CONTROL = {
    "thread2023.architecture_kind": "touvron2023.architecture_kind",
    "thread2023.attention_kind": "touvron2023.attention_kind",
    "thread2023.gpu_model": "touvron2023.gpu_model",
}

# The released configuration (meta-llama/Llama-2-70b-hf config.json, the values the control transcribes;
# LlamaForCausalLM: SwiGLU MLP, tie_word_embeddings false).
RELEASED_CONFIG = {
    "model_type": "llama", "hidden_size": 8192, "intermediate_size": 28672, "num_hidden_layers": 80,
    "num_attention_heads": 64, "num_key_value_heads": 8, "vocab_size": 32000, "max_position_embeddings": 4096,
    "hidden_act": "silu", "tie_word_embeddings": False,
}


@pytest.fixture(scope="module")
def cat():
    return gl.load_catalogue(EXAMPLE)


@pytest.fixture(scope="module")
def rep(cat):
    return gl.check_all(cat, samples=20_000)


def test_the_file_says_it_is_constructed(cat):
    (src,) = cat.sources
    assert src.kind == "rumour" and str(src.date) == "2023-08-01" and src.url.startswith("https://example.org/")
    assert "CONSTRUCTED EXAMPLE WITH PLANTED ERRORS, NOT A REAL DOCUMENT" in src.notes
    assert "A CONSTRUCTED EXAMPLE, NOT A REAL DOCUMENT." in EXAMPLE.read_text(encoding="utf-8")
    assert {(c.subject, c.scenario) for c in cat.claims} == {(SUBJECT, "main")}


def test_exactly_the_planted_claims_say_planted(cat):
    assert {c.id for c in cat.claims if "PLANTED" in c.notes} == ALL_PLANTED
    assert {c.id for c in cat.claims if c.notes.startswith("PLANTED")} == ALL_PLANTED


def test_every_quote_is_a_sentence_of_the_thread(cat):
    thread = EXAMPLE.read_text(encoding="utf-8")
    for c in cat.claims:
        assert f"/ {c.quote}\n" in thread, c.id


def test_true_numbers_are_the_published_ones(cat):
    control = gl.load_catalogue(CONTROL)
    for mine, theirs in SAME_AS_CONTROL.items():
        assert cat.claim(mine).interval.mid == control.claim(theirs).interval.mid, mine
    for mine, theirs in SAME_LABEL_AS_CONTROL.items():
        assert cat.claim(mine).label == control.claim(theirs).label, mine
    true_ids = {c.id for c in cat.claims} - ALL_PLANTED
    checked = set(SAME_AS_CONTROL) | set(SAME_LABEL_AS_CONTROL)
    # not in the control as claims: the config's MLP and tying (checked below), and the premise of sentence 9/
    assert true_ids - checked == {"thread2023.mlp_kind", "thread2023.embedding_tying", "thread2023.gpu_hour_price"}


def test_mlp_kind_and_tying_give_the_released_count(cat):
    # SwiGLU and untied embeddings are what make the released shape 68,976,648,192 parameters (control notes)
    assert (cat.claim("thread2023.mlp_kind").label, cat.claim("thread2023.embedding_tying").label) == (
        "SwiGLU", "untied")
    assert gl.Architecture.from_hf_config(RELEASED_CONFIG).total_params == 68_976_648_192


@pytest.mark.parametrize("planted", PLANTED, ids=list(PLANTED))
def test_every_planted_error_raises_an_alarm(rep, planted):
    ids, check_id, verdict = PLANTED[planted]
    touching = [r for r in rep.results if r.compared_claims & ids]
    assert any(r.is_alarm for r in touching), [(r.id, r.verdict) for r in touching]
    assert any(r.check_id == check_id and r.verdict == verdict and r.is_alarm for r in touching), \
        [(r.id, r.verdict) for r in touching]


def test_no_alarm_on_true_claims_alone(rep):
    true_only = [r for r in rep.results if not (r.compared_claims & ALL_PLANTED)]
    # not vacuous: the 70B against the shape, the MFU 6ND implies over the GPU-hours, the batch in sequences
    assert {r.check_id for r in true_only} >= {"params.total_from_shape", "flops.mfu_from_gpu_hours",
                                                "batch.sequences"}
    assert [(r.id, r.verdict) for r in true_only if r.is_alarm] == []
    # the true 70B against the shape, the only claim-vs-claim result without a planted claim
    (shape,) = [r for r in true_only if r.check_id == "params.total_from_shape"]
    assert shape.verdict == "consistent" and shape.result_class == "claim vs claim"


def test_the_thread_borrows_nothing(rep):
    assert all(not r.borrowed for r in rep.results)
    assert sum(rep.borrowing().values()) == 0


def test_cli_check_runs(capsys):
    assert main(["check", "--catalogue", str(EXAMPLE), "--samples", "2000"]) == 0
    out = capsys.readouterr().out
    assert "UNIT SLIP" in out and "CONTRADICTION" in out


def test_cli_report_names_the_planted_claims(tmp_path, capsys):
    out = tmp_path / "r.md"
    assert main(["report", "--catalogue", str(EXAMPLE), "-o", str(out), "--samples", "2000"]) == 0
    text = out.read_text(encoding="utf-8")
    for claim_id in sorted(ALL_PLANTED):
        assert claim_id in text, claim_id
