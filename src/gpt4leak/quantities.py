"""The controlled vocabulary of quantity keys a claim may carry.

Each key names what a number measures, in the user's words, with the unit every
claim of that key must be convertible to. Keys with ``unit=None`` are
qualitative: the claim has a ``label`` (for example "multi-query") and no value.
Checks are relations over these keys, so a new model's leak file is checked by
the same relations with no new code.

To extend: add a row here (one line), with a description that says what the
number means and in which unit it is usually written.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["QuantitySpec", "QUANTITIES", "quantity_spec", "MODEL_KEYS", "name_of", "short_name_of"]


@dataclass(frozen=True)
class QuantitySpec:
    key: str
    unit: str | None  # None: qualitative (label only)
    description: str
    integer: bool = False  # a count that must be a whole number when exact
    levels: dict[str, float] | None = None  # a kind written as a word: label -> the number the formulas use
    binary_k: bool = False  # "8k" means 8 x 1024 (context lengths are powers of two: 8,192; 32,768)
    share: bool = False  # a fraction of a whole (MFU, code share): in (0, 1], written "34%" or 0.34
    divisor: bool = False  # something the formulas divide by: must be positive

    @property
    def ceiling(self) -> float | None:
        """The largest believable value: a count of a billion layers, heads or GPUs is a typo (COUNT_CEILING)."""
        return COUNT_CEILING if self.integer or self.unit == "GPU" else MAGNITUDE_CEILING

    def level(self, label: str) -> float:
        """The number a label of a kind-valued key stands for ("SwiGLU" -> 3 weight matrices)."""
        norm = " ".join(label.lower().replace("_", "-").split())
        if self.levels is None or norm not in self.levels:
            raise KeyError(f"label {label!r} is not a known {self.key}; known: {', '.join(self.levels or ())}")
        return self.levels[norm]


#: No count of layers, heads, widths, experts, parallel ranks or GPUs reaches a billion.
COUNT_CEILING = 1e9
#: No other figure reaches 1e40 in its base unit (1e40 FLOP is 10^14 times GPT-4's compute): beyond is a typo.
MAGNITUDE_CEILING = 1e40
#: The keys a zero is a meaningful value of; any other figure of zero (0 epochs, 0 % MFU, a $0 price) says
#: nothing the relations can use, and is refused rather than carried into a ratio of infinity.
ZERO_ALLOWED = frozenset({"n_shared_experts", "n_dense_layers", "code_fraction", "epochs_code",
                          "epochs_code_per_mixture_epoch", "serving_gross_margin", "inference_cost_reduction_target",
                          "cost_improvement_ratio"})
#: Keys the relations divide by (a zero there is an error in the claim, not a verdict).
DIVISORS = frozenset({"n_layers", "n_heads", "n_experts", "experts_per_token", "tensor_parallel", "pipeline_parallel",
                      "inference_tensor_parallel", "inference_pipeline_parallel", "inference_data_parallel",
                      "inference_nodes", "n_gpus", "inference_gpus", "gpus_per_node", "seq_len_pretrain",
                      "seq_len_finetune", "inference_seq_len", "training_days", "training_gpu_hours",
                      "training_flop", "training_tokens", "gpu_hour_price", "total_params", "active_params",
                      "d_model", "d_head", "batch_tokens", "training_cost"})
SHARES = frozenset({"mfu", "code_fraction", "serving_gross_margin"})
#: Keys that describe the model itself, the same in every scenario about it (a phase, a re-run, serving); every
#: other key describes one run or setting (its GPUs, MFU, batch, days, cost), which another scenario does not share.
MODEL_KEYS = frozenset({"total_params", "active_params", "dense_active_params", "size_ratio_to_gpt3", "n_layers",
                        "n_experts", "experts_per_token", "expert_mlp_params", "expert_params",
                        "shared_attention_params", "shared_params", "attention_kind", "n_kv_heads", "d_model",
                        "n_heads", "d_head", "mlp_kind", "embedding_tying", "d_ff", "expert_d_ff", "vocab_size",
                        "n_shared_experts", "n_dense_layers", "forward_flop_per_token",
                        "dense_forward_flop_per_token", "routing_algorithm", "architecture_kind"})


def _q(key, unit, description, integer=False, levels=None, binary_k=False):
    return key, QuantitySpec(key, unit, description, integer, levels, binary_k, key in SHARES, key in DIVISORS)


#: Feed-forward kinds by the number of d_model x d_ff weight matrices (Shazeer 2020; Vaswani et al. 2017).
MLP_KINDS = {"gated": 3.0, "swiglu": 3.0, "geglu": 3.0, "reglu": 3.0,
             "two-matrix": 2.0, "gelu": 2.0, "relu": 2.0, "squared-relu": 2.0}
#: Number formats of stored weights, by bytes per parameter (IEEE 754 binary16, bfloat16; OCP FP8; int8/int4).
WEIGHT_DTYPES = {"fp32": 4.0, "bf16": 2.0, "fp16": 2.0, "fp8": 1.0, "int8": 1.0, "int4": 0.5}
#: Token-embedding and LM-head tables: one when they share weights (tied), two when not.
EMBEDDING_TYINGS = {"tied": 1.0, "untied": 2.0}


QUANTITIES: dict[str, QuantitySpec] = dict(
    [
        # --- architecture
        _q("total_params", "parameter", "Total parameters of the model (all experts)."),
        _q("active_params", "parameter", "Parameters used per token in one forward pass."),
        _q("dense_active_params", "parameter",
           "Parameters a purely dense model of the same total would use per forward pass."),
        _q("size_ratio_to_gpt3", "dimensionless", "Total size relative to GPT-3 175B."),
        _q("scale_up_target_ratio", "dimensionless", "Targeted scale-up over the previous model."),
        _q("n_layers", "dimensionless", "Transformer layers.", integer=True),
        _q("n_experts", "dimensionless", "Experts per MoE layer.", integer=True),
        _q("experts_per_token", "dimensionless", "Experts each token is routed to (top-k).", integer=True),
        _q("expert_mlp_params", "parameter", "Parameters of one expert (its MLP, summed over layers)."),
        _q("expert_params", "parameter", "Parameters of one expert that is a whole model (ensemble rumour)."),
        _q("shared_attention_params", "parameter", "Parameters shared by all experts (attention etc.)."),
        _q("shared_params", "parameter", "Parameters shared by all experts (all that is not an expert)."),
        _q("attention_kind", None, "Attention variant (multi-head, multi-query, grouped-query)."),
        _q("n_kv_heads", "dimensionless", "Key/value heads per attention layer (1 for multi-query).", integer=True),
        _q("d_model", "dimensionless", "Model width (hidden size, d_model) of the residual stream.", integer=True),
        _q("n_heads", "dimensionless", "Attention (query) heads per layer.", integer=True),
        _q("d_head", "dimensionless", "Width of one attention head (d_head, key/value size).", integer=True),
        _q("mlp_kind", "dimensionless", "Feed-forward kind, written as a label: 'gated' (SwiGLU, GeGLU: three "
           "matrices) or 'two-matrix' (GELU, ReLU).", levels=MLP_KINDS),
        _q("embedding_tying", "dimensionless", "Whether the LM head shares the token-embedding matrix: label "
           "'tied' or 'untied'.", levels=EMBEDDING_TYINGS),
        _q("d_ff", "dimensionless", "Hidden width of a dense feed-forward block (d_ff, intermediate size).", integer=True),
        _q("expert_d_ff", "dimensionless", "Hidden width of one expert's feed-forward block.", integer=True),
        _q("vocab_size", "dimensionless", "Tokenizer vocabulary size (entries of the embedding table).", integer=True),
        _q("n_shared_experts", "dimensionless", "Always-active shared experts per MoE layer.", integer=True),
        _q("n_dense_layers", "dimensionless", "Layers with a dense FFN in a mostly-MoE model.", integer=True),
        _q("batch_sequences", "dimensionless", "Global batch size in sequences (at the end of the ramp).", integer=True),
        _q("routing_algorithm", None, "How tokens are routed to experts."),
        _q("architecture_kind", None, "Overall architecture (dense, mixture of experts, ensemble...)."),
        _q("vision_architecture", None, "How vision is attached to the language model."),
        _q("vision_extra_params", None, "Whether vision adds parameters beyond the text model."),
        # --- compute
        _q("forward_flop_per_token", "FLOP", "FLOPs of one forward pass for one token."),
        _q("dense_forward_flop_per_token", "FLOP",
           "FLOPs per forward pass per token of a purely dense model of the same total."),
        _q("training_flop", "FLOP", "Total training compute of the pre-training run."),
        _q("mfu", "dimensionless", "Model FLOPs utilisation (share of peak)."),
        _q("training_days", "day", "Wall-clock duration of the training run."),
        _q("n_gpus", "GPU", "GPUs used for the training run.", integer=True),
        _q("gpu_model", None, "Accelerator model (A100, H100...)."),
        _q("gpu_hour_price", "USD/GPU/hour", "Price of one GPU for one hour."),
        _q("training_cost", "USD", "Cost of the training run."),
        _q("training_gpu_hours", "GPU*hour", "GPU-hours of the training run."),
        _q("cost_ratio_to_previous", "dimensionless",
           "Cost of a re-run relative to the original run (for example 1/3)."),
        _q("failures_and_restarts", None, "Statements about failures and checkpoint restarts."),
        # --- data
        _q("training_tokens", "token", "Tokens seen in pre-training, epochs counted."),
        _q("training_words", "word", "Words of text seen in pre-training (a count of words, not of tokens)."),
        _q("unique_tokens", "token", "Unique tokens (one epoch of every part)."),
        _q("tokens_per_epoch", "token", "Tokens in one (large) epoch of the data mixture."),
        _q("text_tokens", "token", "Unique natural-language tokens."),
        _q("code_tokens", "token", "Unique code tokens."),
        _q("code_fraction", "dimensionless", "Share of code in the data mixture."),
        _q("epochs_text", "dimensionless", "Epochs over the text data."),
        _q("epochs_code", "dimensionless", "Epochs over the code data."),
        _q("epochs_text_per_mixture_epoch", "dimensionless",
           "Epochs of the text data inside one epoch of the data mixture (a 'big epoch'), not over the run."),
        _q("epochs_code_per_mixture_epoch", "dimensionless",
           "Epochs of the code data inside one epoch of the data mixture (a 'big epoch'), not over the run."),
        _q("dataset_tokens", "token", "Tokens in a named dataset (subject names it)."),
        _q("dataset_documents", "dimensionless", "Documents (books, papers) in a named dataset."),
        _q("instruction_rows", "dimensionless", "Rows of instruction fine-tuning data."),
        _q("data_sources", None, "Named data sources (qualitative)."),
        _q("multimodal_finetune_tokens", "token", "Tokens of the vision / multimodal continued training."),
        _q("chinchilla_token_ratio", "dimensionless",
           "Factor by which tokens fall short of Chinchilla-optimal (\"should have trained on 2x\")."),
        _q("untapped_token_ratio", "dimensionless",
           "How many times more tokens exist beyond the high-quality text tokens."),
        # --- training layout
        _q("batch_tokens", "token", "Global batch size in tokens (at the end of the ramp)."),
        _q("tokens_per_expert_batch", "token", "Tokens each expert sees per global batch."),
        _q("seq_len_pretrain", "token", "Context length in pre-training.", binary_k=True),
        _q("seq_len_finetune", "token", "Context length after long-context fine-tuning.", binary_k=True),
        _q("seq_len_note", None, "How the long-context model was made."),
        _q("tensor_parallel", "dimensionless", "Tensor-parallel degree in training.", integer=True),
        _q("pipeline_parallel", "dimensionless", "Pipeline-parallel degree in training.", integer=True),
        _q("sharding_strategy", None, "Optimizer / parameter sharding (ZeRO stage, FSDP)."),
        _q("batch_ramp", None, "How the batch size was ramped up."),
        # --- inference
        _q("inference_gpus", "GPU", "GPUs in one inference cluster.", integer=True),
        _q("inference_tensor_parallel", "dimensionless", "Tensor-parallel degree in inference.", integer=True),
        _q("inference_pipeline_parallel", "dimensionless", "Pipeline-parallel degree in inference.",
           integer=True),
        _q("weight_dtype", "dimensionless", "Number format the weights are served in, written as a label: 'bf16', "
           "'fp16', 'fp8', 'int8', 'int4' (read as bytes per parameter).", levels=WEIGHT_DTYPES),
        _q("inference_data_parallel", "dimensionless", "Model replicas (data-parallel degree) in one inference "
           "deployment unit.", integer=True),
        _q("inference_nodes", "dimensionless", "Nodes the layers are spread over in inference.", integer=True),
        _q("gpus_per_node", "GPU", "GPUs in one node.", integer=True),
        _q("params_per_node", "parameter", "Parameters held by one 8-GPU node in inference."),
        _q("inference_seq_len", "token", "Context length of the served model the inference figures are for.", binary_k=True),
        _q("inference_cost_per_1k_tokens", "USD/token", "Inference cost per token (written per 1k tokens)."),
        _q("api_price_prompt_per_1k_tokens", "USD/token",
           "List price of the API per prompt (input) token (written per 1k tokens)."),
        _q("api_price_completion_per_1k_tokens", "USD/token",
           "List price of the API per completion (output) token (written per 1k tokens)."),
        _q("serving_gross_margin", "dimensionless",
           "Gross margin of serving: 1 - serving cost / price (a share; negative when sold below cost)."),
        _q("gpu_hour_cost_amortised", "USD/GPU/hour",
           "Amortised cost of one owned GPU for one hour (hardware over its life, energy): not a rental price."),
        _q("inference_cost_ratio_to_davinci", "dimensionless",
           "Inference cost relative to the 175B Davinci model."),
        _q("inference_batching", None, "Batching strategy at inference (continuous, variable)."),
        _q("speculative_decoding", None, "Whether speculative decoding is used."),
        _q("memory_limit_statement", None,
           "Statements about what fits in GPU memory (32k on 40 GB A100, capped batch)."),
        # --- other
        _q("report_price", "USD", "Price paid for the paywalled report."),
        _q("cost_improvement_ratio", "dimensionless", "Improvement in cost over a period."),
        _q("cost_improvement_period", "year", "Period over which a cost improvement is claimed (\"in a year\")."),
        _q("inference_cost_reduction_target", "dimensionless", "Targeted reduction of inference cost."),
        _q("event_date", None, "A date the text gives for an event (label: ISO date or month)."),
        _q("statement", None, "Any other qualitative statement."),
    ]
)


def quantity_spec(key: str) -> QuantitySpec:
    """The spec of a quantity key; KeyError lists the known keys."""
    try:
        return QUANTITIES[key]
    except KeyError:
        raise KeyError(f"unknown quantity key {key!r}; known keys: {', '.join(sorted(QUANTITIES))}") from None


#: Names for findings where the description's first words do not make one.
_NAMES = {"n_heads": "Attention heads", "tokens_per_epoch": "Tokens per epoch", "dataset_documents": "Documents",
          "inference_cost_per_1k_tokens": "Inference cost per 1k tokens", "unique_tokens": "Unique tokens",
          "api_price_prompt_per_1k_tokens": "API price per 1k prompt tokens",
          "api_price_completion_per_1k_tokens": "API price per 1k completion tokens",
          "inference_data_parallel": "Inference replicas", "training_flop": "Training compute",
          "forward_flop_per_token": "Forward FLOPs per token", "mfu": "MFU",
          "shared_attention_params": "Shared attention parameters", "expert_mlp_params": "Parameters per expert",
          "total_params": "Total parameters", "active_params": "Active parameters per token",
          "training_days": "Training time", "n_gpus": "Training GPUs", "training_tokens": "Training tokens",
          "chinchilla_token_ratio": "Tokens short of Chinchilla-optimal by",
          "dense_forward_flop_per_token": "Dense-equivalent forward FLOPs per token",
          "size_ratio_to_gpt3": "Size relative to GPT-3", "params_per_node": "Parameters per inference node",
          "tokens_per_expert_batch": "Tokens per expert per batch", "inference_gpus": "Inference cluster GPUs",
          "training_cost": "Training cost", "code_fraction": "Code share", "gpu_hour_price": "GPU-hour price",
          "inference_nodes": "Inference nodes", "expert_params": "Parameters per whole-model expert",
          "cost_ratio_to_previous": "Cost relative to the previous run", "training_gpu_hours": "GPU-hours",
          "epochs_text_per_mixture_epoch": "Text epochs per mixture epoch",
          "epochs_code_per_mixture_epoch": "Code epochs per mixture epoch",
          "inference_cost_ratio_to_davinci": "Inference cost relative to Davinci"}
#: Shorter names for a quantity used as an input ("from the experts, expert size and shared parameters").
_SHORT = {"n_experts": "experts", "expert_mlp_params": "expert size", "expert_params": "expert size",
          "shared_attention_params": "shared parameters", "shared_params": "shared parameters",
          "experts_per_token": "experts per token", "n_gpus": "GPUs", "training_days": "days",
          "gpu_hour_price": "GPU-hour price", "training_cost": "cost", "active_params": "active parameters",
          "training_tokens": "tokens", "n_layers": "layers", "seq_len_pretrain": "context length",
          "seq_len_finetune": "long context length", "batch_tokens": "batch size", "tensor_parallel": "TP",
          "pipeline_parallel": "PP", "inference_tensor_parallel": "inference TP",
          "inference_pipeline_parallel": "inference PP", "inference_nodes": "inference nodes",
          "gpus_per_node": "GPUs per node", "inference_gpus": "inference GPUs", "epochs_text": "text epochs",
          "epochs_code": "code epochs", "text_tokens": "text tokens", "code_tokens": "code tokens",
          "epochs_text_per_mixture_epoch": "text epochs per mixture epoch",
          "epochs_code_per_mixture_epoch": "code epochs per mixture epoch", "training_flop": "training compute",
          "total_params": "total parameters", "training_gpu_hours": "GPU-hours", "mfu": "MFU",
          "inference_cost_per_1k_tokens": "serving cost", "training_words": "words",
          "dense_active_params": "dense-equivalent parameters", "multimodal_finetune_tokens": "vision tokens",
          "api_price_prompt_per_1k_tokens": "prompt price", "api_price_completion_per_1k_tokens": "completion price"}


def short_name_of(key: str) -> str:
    """A quantity's name as an input in a sentence ("expert size" for ``expert_mlp_params``)."""
    if key in _SHORT:
        return _SHORT[key]
    name = name_of(key)
    return name if name[:2].isupper() else name[0].lower() + name[1:]


def name_of(key: str) -> str:
    """A quantity's name in a reader's words ("Training compute" for ``training_flop``): the description's first
    clause unless :data:`_NAMES` gives a better one."""
    if key in _NAMES:
        return _NAMES[key]
    import re
    return re.split(r" \(|\. |\.$|: |; ", quantity_spec(key).description)[0]
