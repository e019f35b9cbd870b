"""The executed comparison catches wrong formulas: deliberately broken variants must fail it.

Without these, an exact comparison that passes could be one that cannot fail.
"""

from __future__ import annotations

from functools import cached_property

from executed_harness import make_config, measure, mismatches
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gpt4leak.architecture import Architecture

MIXTRAL = dict(hidden_size=16, num_attention_heads=4, num_key_value_heads=2, intermediate_size=24,
               num_hidden_layers=2, num_local_experts=4, num_experts_per_tok=2, vocab_size=40, sliding_window=3)


def run(kwargs, family="mixtral", seq_len=7, batch=1):
    config = make_config(family, **kwargs)
    return config, Architecture.from_hf_config(config.to_dict()), measure(config, seq_len, batch)


def test_the_right_formulas_pass_on_this_config():
    config, arch, m = run(MIXTRAL)
    assert mismatches(arch, m, config, 7, 1) == {}


def test_moe_flops_counting_one_expert_is_caught():
    # The classic slip: a top-2 MoE costed as if each token visited one expert.
    config, arch, m = run(MIXTRAL)
    one_expert = arch.model_copy(update={"experts_per_token": 1})
    wrong = mismatches(one_expert, m, config, 7, 1)
    assert set(wrong) == {"forward FLOPs", "active parameters"}  # the total does not depend on k
    ours, measured = wrong["forward FLOPs"]
    # the missing expert: 2 FLOPs x 7 tokens x 2 layers x one gated expert (3 x 16 x 24)
    assert measured - ours == 2 * 7 * 2 * 3 * 16 * 24


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(e=st.integers(2, 6), k=st.integers(2, 6), d=st.sampled_from([8, 16]), f=st.integers(1, 24),
       layers=st.integers(1, 2), seq_len=st.integers(1, 8))
def test_one_expert_flops_mutant_is_always_caught(e, k, d, f, layers, seq_len):
    k = min(k, e)
    kwargs = dict(hidden_size=d, num_attention_heads=2, num_key_value_heads=1, intermediate_size=f,
                  num_hidden_layers=layers, num_local_experts=e, num_experts_per_tok=k, vocab_size=32)
    config, arch, m = run(kwargs, seq_len=seq_len)
    assert mismatches(arch, m, config, seq_len, 1) == {}
    assert "forward FLOPs" in mismatches(arch.model_copy(update={"experts_per_token": 1}), m, config, seq_len, 1)


def test_kv_cache_as_if_every_head_had_its_own_kv_is_caught():
    config, arch, m = run(MIXTRAL)
    assert "KV-cache bytes" in mismatches(arch.model_copy(update={"n_kv_heads": 4}), m, config, 7, 1)


def test_ignoring_the_sliding_window_in_the_cache_is_caught():
    config, arch, m = run(MIXTRAL)
    wrong = mismatches(arch.model_copy(update={"sliding_window": None}), m, config, 7, 1)
    assert set(wrong) == {"KV-cache bytes"}  # eager attention still computes all S x S scores


class _NoTiedHeadFlops(Architecture):
    @cached_property
    def matmul_weights_per_token(self) -> int:
        tied_head = self.vocab_size * self.d_model if self.tie_embeddings else 0
        return super().matmul_weights_per_token - tied_head


def test_skipping_the_tied_lm_head_matmul_is_caught():
    kwargs = dict(n_embd=16, n_head=2, n_layer=2, n_positions=16, vocab_size=40)  # GPT-2: tied head
    config, arch, m = run(kwargs, family="gpt2")
    assert mismatches(arch, m, config, 7, 1) == {}
    mutant = _NoTiedHeadFlops(**arch.model_dump())
    assert set(mismatches(mutant, m, config, 7, 1)) == {"forward FLOPs"}
