"""The conventions published figures follow, each against the published number that shows it.

A published run states its numbers under conventions of its own: compute with or without attention (PaLM),
a model named by a rounded size (Llama 3.1 "405B"), a context length in binary k ("8k" = 8,192), a
compute-optimal size from one of several fits. A relation that picks one convention raises a false alarm on a
true run; these tests pin the range each relation accepts.
"""

from __future__ import annotations

import pytest

import gpt4leak as gl
from gpt4leak.checks.relations import flops as rel_flops
from gpt4leak.checks.relations import scaling as rel_scaling
from gpt4leak.records import Claim
from gpt4leak.checks.verdicts import judge


def _claim(quantity, value, qualifier="exact", **kw):
    return Claim(id="x.c", source="x", quantity=quantity, value=value, qualifier=qualifier, quote="q",
                 subject="m", **kw)


def test_palm_compute_counts_attention():
    """Chowdhery et al. 2022, Table 22: PaLM 540B, 780B tokens, 2.56e24 FLOP, which counts the attention term
    (appendix B: 6N + 12LHQT per token); 6ND alone is 2.53e24, 1.2 % short of the stated figure's interval."""
    n, d = 540.35e9, 780e9
    assert 6 * n * d == pytest.approx(2.529e24, rel=1e-3)
    assert judge(2.555e24, 2.565e24, 6 * n * d, 6 * n * d, "FLOP")[0] == "tension"  # what one convention says
    span, _ = rel_flops._train_conventions(n, d, n_layers=118, d_model=18432, seq_len=2048, vocab=256_000)
    assert span.low < 2.555e24 and span.high > 2.565e24
    assert judge(2.555e24, 2.565e24, float(span.low), float(span.high), "FLOP")[0] == "consistent"


def test_bloomberggpt_compute_counts_recomputation():
    """Wu et al. 2023, Table 4: 2.36e23 FLOP for 50.6B x 569B tokens (6ND = 1.73e23): the figure is the
    hardware FLOPs with activation checkpointing (sec. 3.2: "an additional 0.33x TFLOPs per iteration")."""
    span, _ = rel_flops._train_conventions(50.56e9, 569e9, n_layers=70, d_model=7680, seq_len=2048, vocab=131_072)
    assert float(span.low) < 1.8e23 and judge(2.355e23, 2.365e23, float(span.low), float(span.high), "FLOP")[0] \
        == "consistent"


def test_a_size_label_is_not_a_measurement():
    """Llama 3.1 "405B" (Llama Team 2024, abstract) names a model of 405,853,388,800 parameters (its released
    arguments): a label truncated to its last digit, so ± one whole unit, not ± half of one."""
    label = _claim("total_params", "405B parameters", "nominal").interval
    measured = _claim("total_params", "405B parameters", "approximately").interval
    assert label.low <= 405_853_388_800 <= label.high
    assert not measured.low <= 405_853_388_800 <= measured.high
    assert (label.low, label.high) == (404e9, 406e9)


@pytest.mark.parametrize("text, tokens", [("8k tokens", 8192), ("32k tokens", 32768), ("128K tokens", 131072),
                                          ("2048 tokens", 2048), ("8,192 tokens", 8192)])
def test_context_lengths_are_binary_k(text, tokens):
    """"8k" and "32k" contexts are 8,192 and 32,768 tokens (GPT-4's 8k and 32k models; Llama 3's 128K)."""
    assert _claim("seq_len_pretrain", text).interval.low == tokens
    assert _claim("training_tokens", "8k tokens").interval.low == 8000  # a count of tokens is decimal


def test_compute_optimal_spread_for_the_leaks_budget():
    """For 2.15e25 FLOP the published fits give N_opt from about 210B (Hoffmann Approach 3, unrounded) to 460B
    (Besiroglu et al. 2024); Approaches 1-2 (20 tokens per parameter) give 423B. The verdict carries the span."""
    span = rel_scaling._compute_optimal_n(2.15e25, 20.0)
    assert float(span.low) == pytest.approx(210e9, rel=0.02) and float(span.high) == pytest.approx(462e9, rel=0.02)
    ratio, _ = rel_scaling._compute_optimal_ratio(2.15e25, 13e12, 20.0)
    assert float(ratio.low) < 1 < float(ratio.high) < 2  # "should have used 2x the tokens" holds under no fit


def test_chinchilla_is_compute_optimal_under_every_fit_range():
    """Hoffmann et al. 2022: Chinchilla, 70B on 1.4T tokens, is compute-optimal for Gopher's 5.76e23 FLOP."""
    span = rel_scaling._optimal_size(5.76e23, 20.0)
    assert float(span.low) < 70e9 < float(span.high)


def test_expert_parallelism_decides_what_fits():
    """The leak's layout (TP 8 x PP 15, ZeRO-1, 25,000 A100s): no expert parallelism fits 40 GB; on 80 GB,
    8- and 16-way expert parallelism over the data-parallel ranks fit and 1-way does not."""
    rep = gl.check_all(only=["memory"], samples=2000)

    def verdict(check_id):
        return {r.verdict for r in rep.by_check(check_id) if r.input_sources[0] == "peleg2023"}
    assert all(verdict(f"memory.training_a100_40gb_zero1{s}") == {"contradiction"} for s in ("", "_ep8", "_ep16"))
    assert verdict("memory.training_a100_80gb_zero1") == {"contradiction"}
    assert verdict("memory.training_a100_80gb_zero1_ep8") == {"consistent"}
    assert verdict("memory.training_a100_80gb_zero1_ep16") == {"consistent"}
    assert all(r.result_class == "what-if" for r in rep.results if r.check_id != "memory.training_fits")


def test_a_secondary_estimate_is_explained_not_flagged():
    """Epoch AI's PaLM row: 1,536 hours (1,200 h on 6,144 chips + 336 h on 3,072, added up) on 6,144 chips
    implies 27 % MFU over all of it, against the paper's 46.2 % measured on steps. The result agrees, and says
    under which convention: part of the wall-clock was not productive at the full chip count."""
    from gpt4leak.calibration import control_paths
    path = next(p for p in control_paths() if p.stem == "palm_540b")
    rep = gl.check_all(gl.load_catalogue(path), only=["flops.implied_mfu"], samples=2000)
    (r,) = [x for x in rep.results if x.input_sources[0] == "epoch2026_palm"]
    assert r.target_claim.interval.low == pytest.approx(0.4615) and "chowdhery2022" in r.target_sources
    assert r.verdict == "consistent"
    assert r.derived_low == pytest.approx(2.5272e24 / (6144 * 275e12 * 1536 * 3600), rel=0.05)  # 27 %
    assert any(n.startswith("consistent only under another convention") and "not productive" in n for n in r.notes)
    assert "consistent only under another convention" in rep.to_table(details=True)
