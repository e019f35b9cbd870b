"""The Architecture record against published model sizes, its HF config reader, and its guards.

Each published test names its source. The config files in tests/data/hf_configs/ are the models'
released config.json files, transcribed by hand. Exact agreement with the transformers
implementations (parameters, FLOPs, KV cache) is checked separately in tests/executed/.
"""

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from gpt4leak.architecture import SUPPORTED_HF_FAMILIES, Architecture, HFConfigError
from gpt4leak.formulas import params as p
from gpt4leak.units import Q_

CONFIGS = Path(__file__).parent / "data" / "hf_configs"


def hf(name: str) -> Architecture:
    return Architecture.from_hf_config(CONFIGS / f"{name}.json")


# Brown et al. 2020, Table 2.1 ("GPT-3 175B"): 96 layers, d_model 12288, 96 heads of 128, n_ctx 2048;
# vocabulary 50257 (GPT-2 BPE); GPT-2's architecture (section 2.1): learned positions, biases,
# LayerNorm, tied embeddings, d_ff = 4 d_model.
GPT3 = Architecture(name="GPT-3 175B", n_layers=96, d_model=12288, n_heads=96, head_dim=128, d_ff=4 * 12288,
                    mlp="gelu", vocab_size=50257, tie_embeddings=True, position="learned", max_positions=2048,
                    attention_bias=True, mlp_bias=True, norm="layernorm")


# --------------------------------------------------------------------------- published totals

def test_gpt3_175b_brown2020():
    assert GPT3.total_params / 175e9 == pytest.approx(1, rel=0.01)
    assert GPT3.embedding_params == (50257 + 2048) * 12288  # Kaplan et al. 2020 Table 1, "Embed"


def test_llama2_70b_exact_from_config():
    # Touvron et al. 2023 ("Llama 2") call it 70B; the released checkpoint holds 68,976,648,192.
    a = hf("llama-2-70b")
    assert (a.n_layers, a.d_model, a.n_heads, a.n_kv_heads, a.head_dim, a.d_ff) == (80, 8192, 64, 8, 128, 28672)
    assert a.total_params == 68_976_648_192
    assert a.param_breakdown["lm_head"] == a.param_breakdown["embeddings"] == 32000 * 8192  # untied
    assert a.unmapped_fields == {}


def test_mixtral_8x7b_jiang2024():
    # Jiang et al. 2024, section 2.1: "47B total, 13B active"; Table 1 / model card: 46.7B and 12.9B.
    a = hf("mixtral-8x7b")
    assert (a.n_experts, a.experts_per_token) == (8, 2)
    assert a.total_params / 46.7e9 == pytest.approx(1, rel=0.01)
    assert a.active_params / 12.9e9 == pytest.approx(1, rel=0.01)
    assert p.moe_total_params(8, a.expert_params, a.shared_params) == a.total_params
    assert p.moe_active_params(2, a.expert_params, a.shared_params) == a.active_params


def test_gpt2_small_openai_124m():
    # OpenAI's released "124M" model (github.com/openai/gpt-2): exact count of the checkpoint.
    a = hf("gpt2")
    assert a.total_params == 124_439_808
    assert a.param_breakdown["lm_head"] == 0  # tied to wte


@pytest.mark.parametrize("name, total, source", [
    ("bloom-560m", 559_214_592, "bigscience/bloom-560m model card: 559,214,592 parameters"),
    ("gemma-2-9b", 917_504_000 + 8_324_201_984, "Gemma Team 2024, Table 2: embedding + non-embedding"),
])
def test_exact_published_counts(name, total, source):
    assert hf(name).total_params == total, source


def test_gemma2_9b_table2_split():
    # Gemma Team 2024 ("Gemma 2"), Table 2: 917,504,000 embedding and 8,324,201,984 non-embedding.
    a = hf("gemma-2-9b")
    assert a.embedding_params == 917_504_000
    assert a.non_embedding_params == 8_324_201_984
    assert a.norms_per_layer == 4 and a.tie_embeddings


def test_bloom_176b_model_card():
    # bigscience/bloom model card: 176,247,271,424 parameters; 70 layers, 112 heads, hidden 14336,
    # vocabulary 250880, ALiBi, LayerNorm on the word embeddings (BigScience 2022, section 3.2).
    a = Architecture(n_layers=70, d_model=14336, n_heads=112, d_ff=4 * 14336, mlp="gelu", vocab_size=250880,
                     tie_embeddings=True, position="alibi", attention_bias=True, mlp_bias=True,
                     norm="layernorm", embedding_norm=True)
    assert a.total_params == 176_247_271_424


@pytest.mark.parametrize("name, total, active, rel, source", [
    ("deepseek-v3", 671e9, 37e9, (0.002, 0.02), "DeepSeek-AI 2024 (DeepSeek-V3), abstract: 671B total, 37B activated"),
    ("qwen3-30b-a3b", 30.5e9, 3.3e9, (0.002, 0.02), "Qwen3-30B-A3B model card: 30.5B total, 3.3B activated"),
    ("qwen1.5-moe-a2.7b", 14.3e9, 2.7e9, (0.004, 0.02), "Qwen team 2024, Qwen1.5-MoE blog: 14.3B, 2.7B activated"),
    ("olmoe-1b-7b-0924", 6.9e9, 1.3e9, (0.005, 0.02), "Muennighoff et al. 2024 (OLMoE), Table 1: 6.9B, 1.3B active"),
    ("dbrx-base", 132e9, 36e9, (0.005, 0.015), "Databricks 2024, DBRX blog: 132B total, 36B active"),
    ("phi-3-mini-4k", 3.8e9, 3.8e9, (0.01, 0.01), "Abdin et al. 2024 (Phi-3), abstract: 3.8B parameters"),
    ("opt-125m", 125e6, 125e6, (0.005, 0.005), "Zhang et al. 2022 (OPT), Table 1: 125M"),
    ("qwen2.5-7b", 7.61e9, 7.61e9, (0.001, 0.001), "Qwen2.5-7B model card: 7.61B parameters"),
])
def test_published_moe_and_dense_sizes(name, total, active, rel, source):
    a = hf(name)
    assert a.total_params / total == pytest.approx(1, rel=rel[0]), source
    assert a.active_params / active == pytest.approx(1, rel=rel[1]), source
    assert a.active_params <= a.total_params


def test_qwen_non_embedding_model_cards():
    # Model cards: Qwen3-30B-A3B "29.9B" and Qwen2.5-7B "6.53B" non-embedding parameters.
    assert hf("qwen3-30b-a3b").non_embedding_params / 29.9e9 == pytest.approx(1, abs=0.002)
    assert hf("qwen2.5-7b").non_embedding_params / 6.53e9 == pytest.approx(1, abs=0.001)


def test_deepseek_v3_lists_what_it_leaves_out():
    a = hf("deepseek-v3")
    assert list(a.unmapped_fields) == ["num_nextn_predict_layers"]  # the MTP module (DeepSeek-V3 section 2.2)
    assert a.moe_layers == tuple(range(3, 61))  # first_k_dense_replace = 3
    # DeepSeek-V2 (DeepSeek-AI 2024) Table 1: MLA caches (d_c + d_h^R) = 9/2 d_h per token and layer.
    assert a.kv_cache_elements_per_token_layer == 512 + 64 == 4.5 * 128


def test_mistral_7b_rolling_buffer_jiang2023():
    # Jiang et al. 2023 ("Mistral 7B"), Table 1: dim 4096, 32 layers, head_dim 128, hidden 14336,
    # 32 heads, 8 KV heads, window 4096; section 2: the rolling buffer cuts the cache 8x at 32k tokens.
    a = hf("mistral-7b-v0.1")
    assert (a.d_model, a.n_layers, a.head_dim, a.d_ff, a.n_heads, a.n_kv_heads, a.sliding_window) == \
        (4096, 32, 128, 14336, 32, 8, 4096)
    full = a.model_copy(update={"sliding_window": None, "layer_types": None})
    assert full.kv_cache_bytes(32768) / a.kv_cache_bytes(32768) == pytest.approx(8, rel=0.001)


def test_palm_attention_flop_term_chowdhery2022():
    # Chowdhery et al. 2022, Appendix B: model FLOPs per token 6N + 12 L H Q T for training, of which
    # the forward pass is 2N + 4 L H Q T (L layers, H heads, Q head size, T sequence length).
    palm = Architecture(n_layers=118, d_model=18432, n_heads=48, n_kv_heads=1, head_dim=256, d_ff=4 * 18432,
                        mlp="gated", vocab_size=256000, tie_embeddings=True, norm="layernorm_no_bias",
                        norms_per_layer=1)
    # Table 1: 540.35B; the norm gains (2.2M) sit in the third decimal.
    assert palm.total_params / 1e9 == pytest.approx(540.35, abs=0.01)
    t = 2048
    assert palm.attention_score_flop(t) / t == 4 * 118 * 48 * 256 * t
    assert palm.forward_flop(t) == 2 * t * palm.matmul_weights_per_token + 4 * 118 * 48 * 256 * t * t


def test_forward_flop_per_token_is_about_twice_the_params_kaplan2020():
    # Kaplan et al. 2020, section 2.1: C_forward ~ 2N + 2 n_layer n_ctx d_attn; the context term is
    # small while 12 d_model > n_ctx. Here QK^T and AV are both counted (torch's convention).
    per_token = GPT3.forward_flop(2048) / 2048
    assert per_token / (2 * GPT3.total_params) == pytest.approx(1, rel=0.04)
    assert GPT3.attention_score_flop(2048) / 2048 == 2 * (2 * 96 * 2048 * 12288)


def test_opt_350m_structure():
    # facebook/opt-350m config.json: word_embed_proj_dim 512 < hidden 1024 (projections in and out),
    # post-LayerNorm (do_layer_norm_before false, so no final norm); 2 extra position rows (offset 2).
    a = hf("opt-350m")
    assert a.embedding_dim == 512 and not a.final_norm and a.max_positions == 2050
    assert a.param_breakdown["embedding_projection"] == 2 * 512 * 1024
    assert a.param_breakdown["lm_head"] == 0  # tied to the 512-wide token table


def test_gptj_keeps_its_lm_head_bias():
    a = hf("gpt-j-6b")
    assert a.lm_head_bias and not a.tie_embeddings
    assert a.param_breakdown["lm_head"] == 50400 * 4096 + 50400
    tied = a.model_copy(update={"tie_embeddings": True})
    assert tied.param_breakdown["lm_head"] == 50400  # the bias stays when the weight is tied


def test_falcon_attention_kinds():
    # tiiuae/falcon-7b: multi-query (one K/V head); falcon-40b: new decoder architecture, 8 KV groups.
    f7, f40 = hf("falcon-7b"), hf("falcon-40b")
    assert (f7.n_kv_heads, f7.norms_per_layer) == (1, 1)
    assert (f40.n_kv_heads, f40.norms_per_layer) == (8, 2)
    assert f7.total_params == 6_921_720_704


def test_every_transcribed_config_reads_without_surprises():
    for path in sorted(CONFIGS.glob("*.json")):
        a = Architecture.from_hf_config(path)
        expected = {"num_nextn_predict_layers"} if a.family == "deepseek_v3" else set()
        assert set(a.unmapped_fields) == expected, path.name
        assert a.family in SUPPORTED_HF_FAMILIES
        assert sum(a.param_breakdown.values()) == a.total_params


# --------------------------------------------------------------------------- reader behaviour

def test_unknown_model_type_is_a_clear_error():
    with pytest.raises(HFConfigError, match="model_type 't5'"):
        Architecture.from_hf_config({"model_type": "t5", "d_model": 512})
    with pytest.raises(HFConfigError, match="model_type None"):
        Architecture.from_hf_config({"hidden_size": 512})


def test_unknown_and_unsupported_fields_are_listed_not_guessed():
    cfg = json.loads((CONFIGS / "gpt2.json").read_text())
    a = Architecture.from_hf_config({**cfg, "add_cross_attention": True, "n_frobnicators": 3})
    assert set(a.unmapped_fields) == {"add_cross_attention", "n_frobnicators"}
    assert "cross-attention" in a.unmapped_fields["add_cross_attention"]
    cfg = json.loads((CONFIGS / "dbrx-base.json").read_text())
    cfg["ffn_config"]["moe_shared_experts"] = 2
    assert set(Architecture.from_hf_config(cfg).unmapped_fields) == {"ffn_config.moe_shared_experts"}


def test_missing_fields_take_the_family_defaults():
    # transformers' LlamaConfig defaults: the 7B shape; MistralConfig: window 4096 on every layer.
    a = Architecture.from_hf_config({"model_type": "llama"})
    assert (a.n_layers, a.d_model, a.d_ff, a.n_kv_heads, a.vocab_size) == (32, 4096, 11008, 32, 32000)
    m = Architecture.from_hf_config({"model_type": "mistral"})
    assert m.sliding_window == 4096 and m.sliding_layers == tuple(range(32))


def test_qwen_sliding_window_only_when_switched_on():
    q = hf("qwen1.5-moe-a2.7b")  # sliding_window 32768 but use_sliding_window false
    assert q.sliding_window is None and q.sliding_layers == ()
    cfg = json.loads((CONFIGS / "qwen2.5-7b.json").read_text())
    on = Architecture.from_hf_config({**cfg, "use_sliding_window": True, "sliding_window": 1024,
                                      "max_window_layers": 20})
    assert on.sliding_layers == tuple(range(20, 28))  # Qwen2Config: layers from max_window_layers slide


def test_config_reader_rejects_impossible_sizes_with_the_field():
    with pytest.raises(HFConfigError, match="n_kv_heads"):
        Architecture.from_hf_config({"model_type": "llama", "num_attention_heads": 32, "num_key_value_heads": 5})


# --------------------------------------------------------------------------- properties

def dense(**kw):
    base = dict(n_layers=2, d_model=64, n_heads=4, d_ff=256, vocab_size=100, mlp="gated", norm="rmsnorm")
    return Architecture(**{**base, **kw})


@st.composite
def architectures(draw):
    h = draw(st.integers(1, 8))
    hd = draw(st.integers(1, 16))
    kv = draw(st.sampled_from([d for d in range(1, h + 1) if h % d == 0]))
    e = draw(st.integers(0, 6))
    window = draw(st.one_of(st.none(), st.integers(1, 40)))
    return Architecture(
        n_layers=draw(st.integers(1, 6)), d_model=draw(st.integers(1, 96)), n_heads=h, n_kv_heads=kv,
        head_dim=hd, d_ff=draw(st.integers(1, 200)), mlp=draw(st.sampled_from(["gelu", "gated"])),
        vocab_size=draw(st.integers(1, 500)), tie_embeddings=draw(st.booleans()),
        attention_bias=draw(st.booleans()), mlp_bias=draw(st.booleans()),
        norm=draw(st.sampled_from(["layernorm", "layernorm_no_bias", "rmsnorm", "none"])),
        n_experts=e, experts_per_token=draw(st.integers(1, e)) if e else None,
        n_shared_experts=draw(st.integers(0, 2)) if e else 0,
        first_k_dense=draw(st.integers(0, 1)), sliding_window=window)


@given(architectures())
def test_breakdown_sums_and_active_le_total(a):
    assert sum(a.param_breakdown.values()) == a.total_params
    assert a.active_params <= a.total_params
    assert a.total_params == p.moe_total_params.bare(a.n_experts, a.expert_params, a.shared_params)


@given(architectures(), st.integers(1, 64))
def test_causal_and_windows_never_add_work(a, s):
    assert a.forward_flop(s, causal=True) <= a.forward_flop(s)
    full = a.model_copy(update={"sliding_window": None, "layer_types": None})
    assert a.kv_cache_bytes(s) <= full.kv_cache_bytes(s)
    assert a.forward_flop(s) == full.forward_flop(s)  # eager attention still computes S x S


@given(architectures(), st.lists(st.integers(1, 300), min_size=1, max_size=5))
def test_flops_and_cache_vectorised_equal_scalar(a, lengths):
    s = np.array(lengths)
    assert list(a.forward_flop(s)) == [a.forward_flop(x) for x in lengths]
    assert list(a.forward_flop(s, causal=True)) == [a.forward_flop(x, causal=True) for x in lengths]
    assert list(a.kv_cache_bytes(s, batch=2)) == [a.kv_cache_bytes(x, batch=2) for x in lengths]


@given(architectures(), st.integers(1, 100))
def test_quantity_inputs_equal_plain_numbers(a, s):
    got = a.forward_flop(Q_(s, "token"))
    assert got.units == Q_(1, "FLOP").units and got.magnitude == a.forward_flop(s)
    assert a.kv_cache_bytes(Q_(s / 1000, "ktoken"), bytes_per_element=Q_(2, "byte")).to("byte").magnitude == \
        pytest.approx(a.kv_cache_bytes(s))


@given(layers=st.integers(1, 8), d=st.integers(1, 64), f=st.integers(1, 128), s=st.integers(1, 32))
def test_one_expert_top1_is_the_dense_model_plus_a_router(layers, d, f, s):
    base = dict(n_layers=layers, d_model=d, n_heads=1, d_ff=f, vocab_size=50, mlp="gated", norm="rmsnorm")
    dense_model = Architecture(**base)
    moe = Architecture(**base, n_experts=1, experts_per_token=1)
    router = layers * d  # d x 1 per layer
    assert moe.total_params == dense_model.total_params + router
    assert moe.active_params == moe.total_params
    assert moe.forward_flop(s) == dense_model.forward_flop(s) + 2 * s * router
    assert moe.kv_cache_bytes(s) == dense_model.kv_cache_bytes(s)


@given(layers=st.integers(1, 12), d=st.integers(1, 128), h=st.sampled_from([1, 2, 4]))
def test_params_grow_with_width_and_depth(layers, d, h):
    a = dense(n_layers=layers, d_model=d * h, n_heads=h)
    assert dense(n_layers=layers + 1, d_model=d * h, n_heads=h).total_params > a.total_params
    assert dense(n_layers=layers, d_model=(d + 1) * h, n_heads=h).total_params > a.total_params


@given(h=st.sampled_from([4, 8, 16]), s=st.integers(1, 64))
def test_cache_mqa_le_gqa_le_mha(h, s):
    mqa, gqa, mha = (dense(d_model=16 * h, n_heads=h, n_kv_heads=g) for g in (1, h // 2, h))
    assert mqa.kv_cache_bytes(s) <= gqa.kv_cache_bytes(s) <= mha.kv_cache_bytes(s)
    assert mqa.total_params <= gqa.total_params <= mha.total_params


# --------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("changes, field", [
    ({"n_layers": 0}, "n_layers"),
    ({"d_model": -64}, "d_model"),
    ({"d_ff": 0}, "d_ff"),
    ({"vocab_size": 0}, "vocab_size"),
    ({"n_heads": 5}, "head_dim"),  # 5 does not divide 64 and no head_dim given
    ({"n_kv_heads": 3}, "n_kv_heads"),  # 3 does not divide 4
    ({"n_experts": 4, "experts_per_token": 5}, "experts_per_token"),
    ({"n_experts": 4}, "experts_per_token"),
    ({"position": "learned"}, "max_positions"),
    ({"sliding_window": 0}, "sliding_window"),
    ({"layer_types": ("full_attention",)}, "layer_types"),
    ({"n_shared_experts": 1}, "n_shared_experts"),
    ({"dense_layers": (5,)}, "dense_layers"),
    ({"kv_lora_rank": 8}, "qk_rope_head_dim"),
    ({"d_model": float("nan")}, "d_model"),
    ({"colour": "blue"}, "colour"),
])
def test_bad_architectures_name_the_field(changes, field):
    with pytest.raises(ValidationError, match=field):
        dense(**changes)


def test_head_dim_given_lifts_the_divisibility_rule_and_records_are_frozen():
    a = dense(n_heads=5, head_dim=16)
    assert a.head_dim == 16 and a.n_kv_heads == 5
    with pytest.raises(ValidationError):
        a.n_layers = 3


def test_bad_sequence_length_names_the_argument():
    with pytest.raises(ValueError, match="seq_len"):
        GPT3.forward_flop(0)
    with pytest.raises(ValueError, match="batch"):
        GPT3.kv_cache_bytes(10, batch=-1)


# --------------------------------------------------------------------------- agreement with other formulas

def test_agrees_with_the_flops_and_memory_formulas():
    # Where the conventions coincide (full S x S scores, no windows, no MLA), Architecture's exact
    # counts equal the general formulas of gpt4leak.formulas.flops and .memory.
    from gpt4leak.formulas import flops, memory

    a = hf("llama-2-70b")
    for s in (1, 4096):
        per_token = flops.forward_flop_per_token(a.matmul_weights_per_token, a.n_layers, s, a.n_heads * a.head_dim)
        assert a.forward_flop(s) == pytest.approx(s * per_token, rel=1e-12)
        assert a.kv_cache_bytes(s, batch=3) == memory.kv_cache_bytes(a.n_layers, a.n_kv_heads, a.head_dim, s, 3)
    # causal: Kaplan's halving (flops) vs the exact pair count S(S+1)/2 here; they meet as S grows
    s = 4096
    half = s * flops.attention_score_flop_per_token(a.n_layers, s, a.n_heads * a.head_dim, causal=True)
    assert a.attention_score_flop(s, causal=True) / half == pytest.approx((s + 1) / s)


@pytest.mark.parametrize("patch, words", [
    ({"num_local_experts": 0}, "at least one routed expert"),      # read as a dense model before
    ({"num_hidden_layers": 10**30}, "beyond belief"),               # accepted before
    ({"hidden_size": 10**12}, "beyond belief"),
])
def test_hf_configs_that_are_not_models_are_refused(patch, words):
    from gpt4leak.architecture import HFConfigError
    config = {"model_type": "mixtral", "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
              "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 100, "num_local_experts": 4,
              "num_experts_per_tok": 2}
    with pytest.raises(HFConfigError, match=words):
        Architecture.from_hf_config({**config, **patch})


@pytest.mark.parametrize("content, words", [(b"[1, 2]", "JSON object"), (b"\xff\xfe{", "cannot read"),
                                            (b"{not json", "cannot read")])
def test_an_unreadable_config_names_its_path(tmp_path, content, words):
    from gpt4leak.architecture import HFConfigError
    path = tmp_path / "config.json"
    path.write_bytes(content)
    with pytest.raises(HFConfigError, match=words) as err:
        Architecture.from_hf_config(path)
    assert str(path) in str(err.value)


# ---- found by the adversarial sweep (second pass): every malformed config is one HFConfigError ----------------
@pytest.mark.parametrize("config", [
    {"model_type": "gpt2", "n_embd": {"a": 1}},
    {"model_type": "bloom", "hidden_size": {}},
    {"model_type": "gpt_neox", "num_attention_heads": 0, "head_dim": 64},
    {"model_type": ["llama"]},
    {"model_type": {"a": 1}},
    {"model_type": "mistral", "num_hidden_layers": "32"},
    {"model_type": "dbrx", "attn_config": "x"},
    {"model_type": "dbrx", "ffn_config": 5},
    {"model_type": "mixtral", "num_local_experts": True},        # a truth value is not a count
    {"model_type": "opt", "max_position_embeddings": "x"},
    {"model_type": "qwen2", "use_sliding_window": True, "max_window_layers": "x"},
    {"model_type": "qwen2_moe", "mlp_only_layers": 5},
    {"model_type": "mistral", "layer_types": [[1]]},
    {"model_type": "mistral", "num_hidden_layers": 32.5},
])
def test_a_malformed_config_is_one_hf_config_error(config):
    with pytest.raises(HFConfigError):
        Architecture.from_hf_config(config)


@pytest.mark.parametrize("arg", [None, 5, ["config.json"]])
def test_from_hf_config_names_what_it_expected(arg):
    with pytest.raises(HFConfigError, match="expected a config mapping or a path"):
        Architecture.from_hf_config(arg)


@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000, '{"model_type": "gpt2", "n_layer": ' + "9" * 5000 + "}"])
def test_an_unreadable_json_names_its_path(tmp_path, text):
    path = tmp_path / "config.json"
    path.write_text(text)
    with pytest.raises(HFConfigError, match=str(path)):
        Architecture.from_hf_config(path)
