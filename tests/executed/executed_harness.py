"""Build a transformers model from a config, run it once, and measure what our formulas predict.

Measured, never derived from our code:

* parameters: ``sum(p.numel() for p in model.parameters())`` (tied tensors once);
* embedding parameters: the ``nn.Embedding`` tables (token and learned positions);
* active parameters (MoE): the total minus, in every ``experts`` module, (E - k) experts' worth of
  that module's own tensors;
* forward FLOPs: ``torch.utils.flop_counter.FlopCounterMode`` over one forward pass;
* KV-cache bytes: ``numel * element_size`` of every tensor in the returned cache.

Models use eager attention and, where transformers offers the switch, eager experts (the
default ``grouped_mm`` experts are invisible to the FLOP counter).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import torch
from torch.utils.flop_counter import FlopCounterMode
from transformers import AutoConfig, AutoModelForCausalLM

from gpt4leak.architecture import Architecture

# Families whose experts go through transformers' experts-implementation switch.
EAGER_EXPERTS = {"mixtral", "qwen2_moe", "qwen3_moe", "olmoe", "deepseek_v3"}


@dataclass(frozen=True)
class Measured:
    params: int
    embedding_params: int
    active_params: int | None  # None for dense models
    moe_layers: int
    flop: int
    kv_cache_bytes: int
    element_size: int


def make_config(family: str, **kwargs):
    return AutoConfig.for_model(family, **kwargs)


def measure(config, seq_len: int, batch: int = 1, seed: int = 0) -> Measured:
    family = config.model_type
    extra = {"experts_implementation": "eager"} if family in EAGER_EXPERTS else {}
    torch.manual_seed(seed)
    with warnings.catch_warnings():  # zero-width shared experts (DeepSeek n_shared_experts=0) are legal
        warnings.filterwarnings("ignore", "Initializing zero-element tensors is a no-op", UserWarning)
        model = AutoModelForCausalLM.from_config(config, attn_implementation="eager", **extra)
    model.eval().requires_grad_(False)

    params = sum(p.numel() for p in model.parameters())
    embedding = sum(m.weight.numel() for m in model.modules() if isinstance(m, torch.nn.Embedding))
    experts = [m for name, m in model.named_modules() if name.split(".")[-1] == "experts"]
    active = None
    if experts:
        k = _top_k(config)
        active = params
        for m in experts:
            n_experts = _n_experts(config)
            size = sum(p.numel() for p in m.parameters())
            assert size % n_experts == 0, f"{family}: experts tensors not divisible by {n_experts}"
            active -= (n_experts - k) * (size // n_experts)

    generator = torch.Generator().manual_seed(seed)
    ids = torch.randint(0, config.vocab_size, (batch, seq_len), generator=generator)
    with FlopCounterMode(display=False) as counter:
        out = model(input_ids=ids, use_cache=True)
    cache = out.past_key_values
    tensors = [t for layer in cache.layers for t in (layer.keys, layer.values) if t is not None]
    kv_bytes = sum(t.numel() * t.element_size() for t in tensors)
    return Measured(params=params, embedding_params=embedding, active_params=active, moe_layers=len(experts),
                    flop=counter.get_total_flops(), kv_cache_bytes=kv_bytes,
                    element_size=tensors[0].element_size())


def _top_k(config) -> int:
    if config.model_type == "dbrx":
        return config.ffn_config.moe_top_k
    return config.num_experts_per_tok


def _n_experts(config) -> int:
    if config.model_type == "dbrx":
        return config.ffn_config.moe_num_experts
    for name in ("num_local_experts", "num_experts", "n_routed_experts"):
        if getattr(config, name, None):
            return getattr(config, name)
    raise AttributeError(f"{config.model_type}: no expert count in the config")


def cache_heads_factor(config, arch: Architecture) -> int:
    """How many times the implementation's cache exceeds the architecture's own.

    transformers' Falcon with ``new_decoder_architecture`` broadcasts each key/value group to every
    query head before caching (``FalconAttention._split_heads``: ``torch.broadcast_to(key,
    query.shape)``), so its cache holds n_heads heads, not n_kv_heads. The architecture needs only
    the n_kv_heads ones; ``docs/conventions.md`` records the difference.
    """
    if config.model_type == "falcon" and config.new_decoder_architecture:
        return arch.n_heads // arch.n_kv_heads
    return 1


def mismatches(arch: Architecture, m: Measured, config, seq_len: int, batch: int) -> dict[str, tuple[int, int]]:
    """Every quantity where our formula and the executed model disagree: {what: (ours, measured)}."""
    ours = {
        "parameters": arch.total_params,
        "embedding parameters": arch.embedding_params,
        "forward FLOPs": batch * arch.forward_flop(seq_len),
        "KV-cache bytes": arch.kv_cache_bytes(seq_len, batch=batch, bytes_per_element=m.element_size)
        * cache_heads_factor(config, arch),
        "MoE layers": len(arch.moe_layers),
    }
    measured = {"parameters": m.params, "embedding parameters": m.embedding_params, "forward FLOPs": m.flop,
                "KV-cache bytes": m.kv_cache_bytes, "MoE layers": m.moe_layers}
    if m.active_params is not None:
        ours["active parameters"] = arch.active_params
        measured["active parameters"] = m.active_params
    return {k: (ours[k], measured[k]) for k in ours if ours[k] != measured[k]}
