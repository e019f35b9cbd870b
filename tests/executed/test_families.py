"""Our formulas against the transformers implementation of every supported family, exactly.

For each family, hypothesis draws tiny random configs (layers, widths, heads, key/value heads,
head_dim overrides, biases, tied or untied heads, experts with top-1, top-2 and wider routing,
shared experts, dense-then-sparse layer patterns, sliding windows); the model is built from the
config, run once, and its parameters, embedding and active parameters, forward FLOPs and KV-cache
bytes must equal, as integers, what Architecture.from_hf_config(config.to_dict()) predicts.
"""

from __future__ import annotations

import os

import pytest
from executed_harness import make_config, measure, mismatches
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from gpt4leak.architecture import SUPPORTED_HF_FAMILIES, Architecture

# 20 configs per family (derandomised under the "ci" profile); GPT4LEAK_EXECUTED_EXAMPLES digs deeper.
EXAMPLES = settings(max_examples=int(os.environ.get("GPT4LEAK_EXECUTED_EXAMPLES", 20)), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
MAX_SEQ = 12  # sequences of 1..12 tokens; windows of 2..8 so that caches get cut


def divisors(n: int) -> list[int]:
    return [d for d in range(1, n + 1) if n % d == 0]


@st.composite
def common(draw):
    return dict(num_hidden_layers=draw(st.integers(1, 3)), vocab_size=draw(st.integers(24, 64)),
                tie_word_embeddings=draw(st.booleans()), pad_token_id=0, bos_token_id=0, eos_token_id=0)


@st.composite
def gqa(draw, max_heads=4, head_dims=(2, 4, 6, 8), override=True):
    """Heads, key/value heads, d_model and (maybe) an explicit head_dim independent of d_model."""
    h = draw(st.integers(1, max_heads))
    kv = draw(st.sampled_from(divisors(h)))
    width = draw(st.sampled_from(head_dims))
    out = dict(hidden_size=h * width, num_attention_heads=h, num_key_value_heads=kv)
    if override and draw(st.booleans()):
        out["head_dim"] = draw(st.sampled_from(head_dims))
    return out


def small(lo=1, hi=40):
    return st.integers(lo, hi)


def window():
    return st.one_of(st.none(), st.integers(2, 8))


@st.composite
def experts(draw, lo=1, hi=6):
    e = draw(st.integers(lo, hi))
    return e, draw(st.integers(1, e))  # top-1, top-2 and wider all appear


def layer_subset(draw, n_layers):
    return sorted(draw(st.sets(st.integers(0, n_layers - 1), max_size=n_layers)))


# ------------------------------------------------------------------ one strategy per family
@st.composite
def gpt2(draw):
    c = draw(common())
    h, width = draw(st.integers(1, 4)), draw(st.integers(1, 8))
    return dict(n_layer=c.pop("num_hidden_layers"), n_embd=h * width, n_head=h,
                n_inner=draw(st.one_of(st.none(), small())), n_positions=MAX_SEQ + draw(st.integers(0, 8)), **c)


@st.composite
def gptj(draw):
    c = draw(common())
    h, width = draw(st.integers(1, 4)), draw(st.sampled_from([2, 4, 6, 8]))
    return dict(n_layer=c.pop("num_hidden_layers"), n_embd=h * width, n_head=h,
                rotary_dim=draw(st.sampled_from([r for r in (2, 4, 6, 8) if r <= width])),
                n_inner=draw(st.one_of(st.none(), small())), n_positions=MAX_SEQ + 4, **c)


@st.composite
def gpt_neox(draw):
    h, width = draw(st.integers(1, 4)), draw(st.sampled_from([8, 16]))
    return dict(hidden_size=h * width, num_attention_heads=h, intermediate_size=draw(small()),
                attention_bias=draw(st.booleans()), use_parallel_residual=draw(st.booleans()),
                rotary_pct=draw(st.sampled_from([0.25, 0.5, 1.0])), max_position_embeddings=64, **draw(common()))


@st.composite
def llama(draw):
    return dict(**draw(gqa()), intermediate_size=draw(small()), attention_bias=draw(st.booleans()),
                mlp_bias=draw(st.booleans()), **draw(common()))


@st.composite
def mistral(draw):
    return dict(**draw(gqa()), intermediate_size=draw(small()), sliding_window=draw(window()), **draw(common()))


@st.composite
def mixtral(draw):
    e, k = draw(experts())
    return dict(**draw(gqa()), intermediate_size=draw(small(1, 24)), sliding_window=draw(window()),
                num_local_experts=e, num_experts_per_tok=k, **draw(common()))


@st.composite
def qwen2(draw):
    c = draw(common())
    return dict(**draw(gqa()), intermediate_size=draw(small()), use_sliding_window=draw(st.booleans()),
                sliding_window=draw(st.integers(2, 8)), max_window_layers=draw(st.integers(0, 3)), **c)


@st.composite
def qwen2_moe(draw):
    c = draw(common())
    e, k = draw(experts(lo=1))
    if draw(st.integers(0, 9)) == 0:
        e = 0  # num_experts 0: every layer dense
    return dict(**draw(gqa()), intermediate_size=draw(small()), num_experts=e, num_experts_per_tok=k,
                moe_intermediate_size=draw(small(1, 24)), shared_expert_intermediate_size=draw(small(1, 24)),
                decoder_sparse_step=draw(st.integers(1, 2)), mlp_only_layers=layer_subset(draw, c["num_hidden_layers"]),
                qkv_bias=draw(st.booleans()), use_sliding_window=draw(st.booleans()),
                sliding_window=draw(st.integers(2, 8)), max_window_layers=draw(st.integers(0, 3)), **c)


@st.composite
def qwen3_moe(draw):
    c = draw(common())
    e, k = draw(experts())
    return dict(**draw(gqa()), intermediate_size=draw(small()), num_experts=e, num_experts_per_tok=k,
                moe_intermediate_size=draw(small(1, 24)), decoder_sparse_step=draw(st.integers(1, 2)),
                mlp_only_layers=layer_subset(draw, c["num_hidden_layers"]), attention_bias=draw(st.booleans()),
                use_sliding_window=draw(st.booleans()), sliding_window=draw(st.integers(2, 8)), **c)


@st.composite
def olmoe(draw):
    e, k = draw(experts())
    return dict(**draw(gqa(override=False)), intermediate_size=draw(small(1, 24)), num_experts=e,
                num_experts_per_tok=k, attention_bias=draw(st.booleans()), **draw(common()))


@st.composite
def phi3(draw):
    return dict(**draw(gqa(override=False)), intermediate_size=draw(small()), sliding_window=draw(window()),
                **draw(common()))


@st.composite
def gemma2(draw):
    c = draw(common())
    types = draw(st.lists(st.sampled_from(["full_attention", "sliding_attention"]),
                          min_size=c["num_hidden_layers"], max_size=c["num_hidden_layers"]))
    return dict(**draw(gqa()), intermediate_size=draw(small()), sliding_window=draw(st.integers(2, 8)),
                layer_types=types, attention_bias=draw(st.booleans()), **c)


@st.composite
def falcon(draw):
    c = draw(common())
    h, width = draw(st.integers(1, 4)), draw(st.sampled_from([2, 4, 6, 8]))
    kind = draw(st.sampled_from(["mha", "mqa", "new"]))
    out = dict(hidden_size=h * width, num_attention_heads=h, bias=draw(st.booleans()), alibi=draw(st.booleans()),
               ffn_hidden_size=draw(st.one_of(st.none(), small())), multi_query=kind == "mqa",
               new_decoder_architecture=kind == "new", parallel_attn=draw(st.booleans()), **c)
    if kind == "new":  # transformers' Falcon needs parallel_attn with the new decoder architecture
        out.update(num_kv_heads=draw(st.sampled_from(divisors(h))), parallel_attn=True,
                   num_ln_in_parallel_attn=draw(st.sampled_from([None, 1, 2])))
    return out


@st.composite
def dbrx(draw):
    c = draw(common())
    c["tie_word_embeddings"] = False  # DbrxConfig rejects tied embeddings
    h, width = draw(st.integers(1, 4)), draw(st.sampled_from([2, 4, 6, 8]))
    e, k = draw(experts())
    return dict(d_model=h * width, n_heads=h, n_layers=c.pop("num_hidden_layers"), max_seq_len=64,
                # clip_qkv and rope_theta: transformers 5 fails without them (clamp(None, None); missing attribute)
                attn_config=dict(kv_n_heads=draw(st.sampled_from(divisors(h))), clip_qkv=8.0, rope_theta=10000.0),
                ffn_config=dict(ffn_hidden_size=draw(small(1, 24)), moe_num_experts=e, moe_top_k=k), **c)


@st.composite
def opt(draw):
    h, width = draw(st.integers(1, 4)), draw(st.integers(1, 8))
    d = h * width
    return dict(hidden_size=d, num_attention_heads=h, ffn_dim=draw(small()),
                word_embed_proj_dim=draw(st.one_of(st.none(), st.just(d), small(1, 16))),
                do_layer_norm_before=draw(st.booleans()), enable_bias=draw(st.booleans()),
                layer_norm_elementwise_affine=draw(st.booleans()), max_position_embeddings=MAX_SEQ + 4,
                **draw(common()))


@st.composite
def bloom(draw):
    c = draw(common())
    h, width = draw(st.integers(1, 4)), draw(st.integers(1, 8))
    return dict(hidden_size=h * width, n_head=h, n_layer=c.pop("num_hidden_layers"), **c)


@st.composite
def deepseek_v3(draw):
    c = draw(common())
    h = draw(st.integers(1, 4))
    e, k = draw(experts(lo=2))  # the group-limited router takes the top 2 scores inside a group
    groups = draw(st.sampled_from([g for g in divisors(e) if e // g >= 2]))
    return dict(hidden_size=h * draw(st.integers(1, 8)), num_attention_heads=h, num_key_value_heads=h,
                intermediate_size=draw(small()), moe_intermediate_size=draw(small(1, 16)),
                q_lora_rank=draw(st.one_of(st.none(), small(1, 16))), kv_lora_rank=draw(small(1, 16)),
                qk_rope_head_dim=draw(st.sampled_from([2, 4])), qk_nope_head_dim=draw(small(1, 8)),
                v_head_dim=draw(small(1, 8)), n_routed_experts=e, num_experts_per_tok=k, n_group=groups,
                topk_group=draw(st.integers(1, groups)), n_shared_experts=draw(st.integers(0, 2)),
                first_k_dense_replace=draw(st.integers(0, c["num_hidden_layers"])),
                attention_bias=draw(st.booleans()), rope_interleave=draw(st.booleans()),
                num_nextn_predict_layers=0, **c)


STRATEGIES = {f.__name__: f for f in (gpt2, gptj, gpt_neox, llama, mistral, mixtral, qwen2, qwen2_moe, qwen3_moe,
                                      falcon, dbrx, olmoe, phi3, gemma2, opt, bloom, deepseek_v3)}


def test_every_supported_family_has_a_strategy():
    assert set(STRATEGIES) == set(SUPPORTED_HF_FAMILIES)


def describe(arch: Architecture, seq_len: int) -> None:
    """Label what this example exercises (shown by --hypothesis-show-statistics)."""
    if arch.n_experts:
        k = arch.experts_per_token
        event(f"top-{k if k <= 2 else '>2'} of {'1 expert' if arch.n_experts == 1 else 'several'}")
        if 0 < len(arch.moe_layers) < arch.n_layers:
            event("dense and MoE layers mixed")
        if arch.n_shared_experts:
            event("shared experts")
    if arch.sliding_layers and seq_len > arch.sliding_window - 1:
        event("a window cuts the cache")
    if arch.n_heads * arch.head_dim != arch.d_model and not arch.is_mla:
        event("head_dim independent of d_model")
    if arch.n_kv_heads < arch.n_heads:
        event("grouped or multi-query attention")
    event("tied" if arch.tie_embeddings else "untied")


def check(family: str, kwargs: dict, seq_len: int, batch: int, seed: int) -> None:
    config = make_config(family, **kwargs)
    arch = Architecture.from_hf_config(config.to_dict())  # before the model can touch the config
    if arch.unmapped_fields:
        pytest.skip(f"{family}: cannot be matched exactly, unmapped {arch.unmapped_fields}")
    describe(arch, seq_len)
    measured = measure(config, seq_len, batch, seed)
    wrong = mismatches(arch, measured, config, seq_len, batch)
    assert not wrong, f"{family} {kwargs} S={seq_len} batch={batch}: (ours, measured) {wrong}"


@pytest.mark.parametrize("family", sorted(STRATEGIES))
@EXAMPLES
@given(data=st.data(), seq_len=st.integers(1, MAX_SEQ), batch=st.integers(1, 2), seed=st.integers(0, 2**16))
def test_formulas_equal_the_executed_model(family, data, seq_len, batch, seed):
    kwargs = data.draw(STRATEGIES[family](), label=f"{family} config")
    check(family, kwargs, seq_len, batch, seed)
