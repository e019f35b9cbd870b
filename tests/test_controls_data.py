"""The control catalogues (claims/controls/) and the published GPT-4 estimates (claims/estimates.yaml).

Controls are published, true training runs the checks are calibrated on: a false alarm on them is a bug.
Their numbers must therefore be the papers' numbers. The table below was typed by hand from the papers
(not copied from the YAML): claim id, quantity key, scenario, the value as the paper writes it in the
quantity's base unit, and the qualifier its wording carries.

Publications checked:
  GPT-3        Brown et al. 2020, arXiv:2005.14165, Table 2.1, Sec. 2.1-2.3, Table D.1
  Llama 2 70B  Touvron et al. 2023, arXiv:2307.09288, Table 1, Sec. 2.2, Table 2, App. A.2.1; config.json
  DeepSeek-V3  DeepSeek-AI 2024, arXiv:2412.19437, Table 1, Sec. 1, 3.1, 3.4, 4.1-4.4
  Mixtral      Jiang et al. 2024, arXiv:2401.04088, abstract, Table 1; Mistral AI release post; config.json
  Chinchilla   Hoffmann et al. 2022, arXiv:2203.15556, abstract, Sec. 1, Table 1, Fig. 2, Table 3, Sec. 4, Table 4
  Estimates    Epoch AI Notable AI Models database (GPT-4 row); Cottier et al. 2024, arXiv:2405.21015, Sec. 1
  Epoch rows   Epoch AI, Data on AI Models, notable_ai_models.csv (May 2026 export): the rows GPT-3 175B (davinci),
               Llama 2-70B and Chinchilla, a secondary estimate beside each paper (source kind "estimate")
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest

import gpt4leak
from gpt4leak.quantities import QUANTITIES
from gpt4leak.units import ureg

CLAIMS = Path(__file__).resolve().parents[1] / "claims"
CONTROLS = CLAIMS / "controls"

# file -> the one subject all its claims are about
CONTROL_SUBJECTS = {
    "gpt3.yaml": "gpt-3",
    "llama2_70b.yaml": "llama-2-70b",
    "deepseek_v3.yaml": "deepseek-v3",
    "mixtral_8x7b.yaml": "mixtral-8x7b",
    "chinchilla.yaml": "chinchilla",
}

PF_DAY = 1e15 * 86400          # one petaFLOP/s-day in FLOP (Brown et al. 2020, Table D.1 caption: 8.64e+19)
MONTH_DAYS = 365.25 / 12       # pint's month: a twelfth of a Julian year, in days

# (claim id, quantity key, scenario, value as written in the base unit, qualifier)
PUBLISHED = [
    # --- GPT-3 175B, Brown et al. 2020
    ("brown2020.total_params", "total_params", "main", 175.0e9, "approximately"),            # Table 2.1
    ("brown2020.n_layers", "n_layers", "main", 96, "exact"),                                  # Table 2.1
    ("brown2020.d_model", "d_model", "main", 12288, "exact"),                                 # Table 2.1
    ("brown2020.n_heads", "n_heads", "main", 96, "exact"),                                    # Table 2.1
    ("brown2020.d_head", "d_head", "main", 128, "exact"),                                     # Table 2.1
    ("brown2020.batch_tokens", "batch_tokens", "main", 3.2e6, "approximately"),               # Table 2.1
    ("brown2020.seq_len_pretrain", "seq_len_pretrain", "main", 2048, "exact"),                # Sec. 2.1
    ("brown2020.training_tokens", "training_tokens", "main", 300e9, "approximately"),         # Table 2.1 caption
    ("brown2020.total_params_table_d1", "total_params", "main", 174_600e6, "approximately"),  # Table D.1
    ("brown2020.active_params", "active_params", "main", 174_600e6 * 1.0, "approximately"),   # Table D.1
    ("brown2020.training_flop", "training_flop", "main", 3.14e23, "approximately"),           # Table D.1
    ("brown2020.training_flop_pf_days", "training_flop", "main", 3.64e3 * PF_DAY, "approximately"),
    # GPT-3, Epoch AI database row "GPT-3 175B (davinci)" (columns as named there)
    ("epoch2026_gpt3.total_params", "total_params", "main", 174.6e9, "approximately"),         # Parameters
    ("epoch2026_gpt3.training_flop", "training_flop", "main", 3.14e23, "approximately"),       # Training compute
    ("epoch2026_gpt3.n_gpus", "n_gpus", "main", 10_000, "exact"),                              # Hardware quantity
    ("epoch2026_gpt3.training_days", "training_days", "main", 355.2 / 24, "approximately"),    # Training time (h)
    ("epoch2026_gpt3.mfu", "mfu", "main", 0.1966, "approximately"),                            # Hardware util. (MFU)
    ("epoch2026_gpt3.amortized_hardware_energy.training_cost", "training_cost", "amortized_hardware_energy",
     2_116_866.2428390156, "approximately"),                                                   # cost (2023 USD)
    # --- Llama 2 70B, Touvron et al. 2023 and the released config.json
    ("touvron2023.total_params", "total_params", "main", 70e9, "approximately"),              # Table 1
    ("touvron2023.training_tokens", "training_tokens", "main", 2.0e12, "approximately"),      # Table 1
    ("touvron2023.seq_len_pretrain", "seq_len_pretrain", "main", 4096, "exact"),              # App. A.2.1
    ("touvron2023.batch_tokens", "batch_tokens", "main", 4e6, "approximately"),               # Table 1 caption
    ("touvron2023.vocab_size", "vocab_size", "main", 32e3, "approximately"),                  # Sec. 2.2
    ("touvron2023.training_gpu_hours", "training_gpu_hours", "main", 1_720_320, "exact"),     # Table 2
    # Llama 2 70B, Epoch AI database row "Llama 2-70B"
    ("epoch2026_llama2_70b.total_params", "total_params", "main", 70e9, "approximately"),
    ("epoch2026_llama2_70b.training_flop", "training_flop", "main", 8.1e23, "approximately"),
    ("epoch2026_llama2_70b.training_tokens", "training_tokens", "main", 2e12, "approximately"),
    ("epoch2026_llama2_70b.n_gpus", "n_gpus", "main", 1000, "approximately"),        # "an estimate of 1000 GPUs"
    ("epoch2026_llama2_70b.training_days", "training_days", "main", 1728 / 24, "approximately"),
    ("epoch2026_llama2_70b.mfu", "mfu", "main", 0.4191975017, "approximately"),
    ("epoch2026_llama2_70b.amortized_hardware_energy.training_cost", "training_cost", "amortized_hardware_energy",
     1_102_561.194, "approximately"),
    ("meta2023_llama2_70b_config.n_layers", "n_layers", "main", 80, "exact"),
    ("meta2023_llama2_70b_config.d_model", "d_model", "main", 8192, "exact"),
    ("meta2023_llama2_70b_config.n_heads", "n_heads", "main", 64, "exact"),
    ("meta2023_llama2_70b_config.n_kv_heads", "n_kv_heads", "main", 8, "exact"),
    ("meta2023_llama2_70b_config.d_ff", "d_ff", "main", 28672, "exact"),
    ("meta2023_llama2_70b_config.vocab_size", "vocab_size", "main", 32000, "exact"),
    # --- DeepSeek-V3, DeepSeek-AI 2024
    ("deepseek2024.total_params", "total_params", "main", 671e9, "approximately"),            # Sec. 4.2
    ("deepseek2024.active_params", "active_params", "main", 37e9, "approximately"),           # Sec. 4.2
    ("deepseek2024.n_layers", "n_layers", "main", 61, "exact"),                               # Sec. 4.2
    ("deepseek2024.d_model", "d_model", "main", 7168, "exact"),                               # Sec. 4.2
    ("deepseek2024.n_heads", "n_heads", "main", 128, "exact"),                                # Sec. 4.2
    ("deepseek2024.d_head", "d_head", "main", 128, "exact"),                                  # Sec. 4.2
    ("deepseek2024.n_dense_layers", "n_dense_layers", "main", 3, "exact"),                    # Sec. 4.2
    ("deepseek2024.n_experts", "n_experts", "main", 256, "exact"),                            # Sec. 4.2
    ("deepseek2024.n_shared_experts", "n_shared_experts", "main", 1, "exact"),                # Sec. 4.2
    ("deepseek2024.expert_d_ff", "expert_d_ff", "main", 2048, "exact"),                       # Sec. 4.2
    ("deepseek2024.experts_per_token", "experts_per_token", "main", 8, "exact"),              # Sec. 4.2
    ("deepseek2024.vocab_size", "vocab_size", "main", 128e3, "approximately"),                # Sec. 4.1
    ("deepseek2024.training_tokens", "training_tokens", "main", 14.8e12, "approximately"),    # Sec. 4.2
    ("deepseek2024.seq_len_pretrain", "seq_len_pretrain", "main", 4096, "approximately"),     # Sec. 4.2, "4K"
    ("deepseek2024.batch_sequences", "batch_sequences", "main", 15360, "exact"),              # Sec. 4.2
    ("deepseek2024.n_gpus", "n_gpus", "main", 2048, "exact"),                                 # Sec. 3.1
    ("deepseek2024.training_gpu_hours", "training_gpu_hours", "main", 2664e3, "approximately"),  # Table 1
    ("deepseek2024.training_days", "training_days", "main", 2 * MONTH_DAYS, "less_than"),     # Sec. 1
    ("deepseek2024.gpu_hour_price", "gpu_hour_price", "main", 2.0, "exact"),                  # Table 1 caption
    ("deepseek2024.training_cost", "training_cost", "main", 5.328e6, "approximately"),        # Table 1
    ("deepseek2024.per_trillion.training_tokens", "training_tokens", "per_trillion_tokens", 1e12, "exact"),
    ("deepseek2024.per_trillion.training_gpu_hours", "training_gpu_hours", "per_trillion_tokens", 180e3,
     "approximately"),                                                                         # Sec. 1, 4.4
    ("deepseek2024.per_trillion.n_gpus", "n_gpus", "per_trillion_tokens", 2048, "exact"),
    ("deepseek2024.per_trillion.training_days", "training_days", "per_trillion_tokens", 3.7, "approximately"),
    ("deepseek2024.context_extension.training_gpu_hours", "training_gpu_hours", "context_extension", 119e3,
     "approximately"),                                                                         # Table 1
    ("deepseek2024.context_extension.training_cost", "training_cost", "context_extension", 0.238e6,
     "approximately"),                                                                         # Table 1
    ("deepseek2024.context_extension_32k.seq_len_finetune", "seq_len_finetune", "context_extension_32k", 32768,
     "approximately"),                                                                         # Sec. 4.3
    ("deepseek2024.context_extension_32k.batch_sequences", "batch_sequences", "context_extension_32k", 1920,
     "exact"),
    ("deepseek2024.context_extension_128k.seq_len_finetune", "seq_len_finetune", "context_extension_128k",
     131072, "approximately"),
    ("deepseek2024.context_extension_128k.batch_sequences", "batch_sequences", "context_extension_128k", 480,
     "exact"),
    ("deepseek2024.post_training.training_gpu_hours", "training_gpu_hours", "post_training", 5e3,
     "approximately"),
    ("deepseek2024.post_training.training_cost", "training_cost", "post_training", 0.01e6, "approximately"),
    ("deepseek2024.full_training.training_gpu_hours", "training_gpu_hours", "full_training", 2788e3,
     "approximately"),
    ("deepseek2024.full_training.training_cost", "training_cost", "full_training", 5.576e6, "approximately"),
    # DeepSeek-V3, Sec. 3.4.1: prefilling unit "4 nodes with 32 GPUs", TP4 + DP8; Sec. 3.1: 8 GPUs per node
    ("deepseek2024.inference_prefill.inference_nodes", "inference_nodes", "inference_prefill", 4, "exact"),
    ("deepseek2024.inference_prefill.inference_gpus", "inference_gpus", "inference_prefill", 32, "exact"),
    ("deepseek2024.inference_prefill.inference_tensor_parallel", "inference_tensor_parallel", "inference_prefill",
     4, "exact"),
    ("deepseek2024.inference_prefill.inference_data_parallel", "inference_data_parallel", "inference_prefill", 8,
     "exact"),
    ("deepseek2024.inference_prefill.gpus_per_node", "gpus_per_node", "inference_prefill", 8, "exact"),
    # DeepSeek-V3, Sec. 3.4.2: decoding unit "40 nodes with 320 GPUs", TP4 + DP80
    ("deepseek2024.inference_decode.inference_nodes", "inference_nodes", "inference_decode", 40, "exact"),
    ("deepseek2024.inference_decode.inference_gpus", "inference_gpus", "inference_decode", 320, "exact"),
    ("deepseek2024.inference_decode.inference_tensor_parallel", "inference_tensor_parallel", "inference_decode",
     4, "exact"),
    ("deepseek2024.inference_decode.inference_data_parallel", "inference_data_parallel", "inference_decode", 80,
     "exact"),
    ("deepseek2024.inference_decode.gpus_per_node", "gpus_per_node", "inference_decode", 8, "exact"),
    # --- Mixtral 8x7B, Jiang et al. 2024, the release post and the released config.json
    ("jiang2024.total_params", "total_params", "main", 47e9, "approximately"),                # abstract
    ("jiang2024.active_params", "active_params", "main", 13e9, "approximately"),              # abstract
    ("jiang2024.d_model", "d_model", "main", 4096, "exact"),                                  # Table 1
    ("jiang2024.n_layers", "n_layers", "main", 32, "exact"),
    ("jiang2024.d_head", "d_head", "main", 128, "exact"),
    ("jiang2024.expert_d_ff", "expert_d_ff", "main", 14336, "exact"),
    ("jiang2024.n_heads", "n_heads", "main", 32, "exact"),
    ("jiang2024.n_kv_heads", "n_kv_heads", "main", 8, "exact"),
    ("jiang2024.seq_len_pretrain", "seq_len_pretrain", "main", 32768, "exact"),
    ("jiang2024.vocab_size", "vocab_size", "main", 32000, "exact"),
    ("jiang2024.n_experts", "n_experts", "main", 8, "exact"),
    ("jiang2024.experts_per_token", "experts_per_token", "main", 2, "exact"),
    ("mistral2023.total_params", "total_params", "main", 46.7e9, "approximately"),
    ("mistral2023.active_params", "active_params", "main", 12.9e9, "approximately"),
    ("mistral2023_mixtral_config.n_experts", "n_experts", "main", 8, "exact"),
    ("mistral2023_mixtral_config.experts_per_token", "experts_per_token", "main", 2, "exact"),
    ("mistral2023_mixtral_config.expert_d_ff", "expert_d_ff", "main", 14336, "exact"),
    ("mistral2023_mixtral_config.n_kv_heads", "n_kv_heads", "main", 8, "exact"),
    ("mistral2023_mixtral_config.n_layers", "n_layers", "main", 32, "exact"),
    ("mistral2023_mixtral_config.d_model", "d_model", "main", 4096, "exact"),
    ("mistral2023_mixtral_config.n_heads", "n_heads", "main", 32, "exact"),
    ("mistral2023_mixtral_config.seq_len_pretrain", "seq_len_pretrain", "main", 32768, "exact"),
    ("mistral2023_mixtral_config.vocab_size", "vocab_size", "main", 32000, "exact"),
    # --- Chinchilla 70B, Hoffmann et al. 2022
    ("hoffmann2022.total_params", "total_params", "main", 70e9, "approximately"),             # Table 1
    ("hoffmann2022.training_tokens", "training_tokens", "main", 1.4e12, "approximately"),     # Table 1
    ("hoffmann2022.training_flop", "training_flop", "main", 5.76e23, "approximately"),        # Fig. 2 caption
    ("hoffmann2022.n_layers", "n_layers", "main", 80, "exact"),                               # Table 4
    ("hoffmann2022.n_heads", "n_heads", "main", 64, "exact"),
    ("hoffmann2022.d_head", "d_head", "main", 128, "exact"),
    ("hoffmann2022.d_model", "d_model", "main", 8192, "exact"),
    ("hoffmann2022.batch_tokens", "batch_tokens", "main", 3e6, "approximately"),
    # Chinchilla as the compute-optimal model for Gopher's budget: Fig. 2 caption, abstract, Sec. 1
    ("hoffmann2022.compute_optimal.training_flop", "training_flop", "compute_optimal", 5.76e23, "approximately"),
    ("hoffmann2022.compute_optimal.total_params", "total_params", "compute_optimal", 70e9, "approximately"),
    ("hoffmann2022.compute_optimal.training_tokens", "training_tokens", "compute_optimal", 1.4e12,
     "approximately"),
    # Table 3 (Approach 1): 67B | 5.76e+23 | 1.5T; 175B | 3.85e+24 | 3.7T; 280B | 9.90e+24 | 5.9T
    ("hoffmann2022.table3_67b.training_flop", "training_flop", "compute_optimal_table3_5_76e23", 5.76e23,
     "approximately"),
    ("hoffmann2022.table3_67b.total_params", "total_params", "compute_optimal_table3_5_76e23", 67e9,
     "approximately"),
    ("hoffmann2022.table3_67b.training_tokens", "training_tokens", "compute_optimal_table3_5_76e23", 1.5e12,
     "approximately"),
    ("hoffmann2022.table3_175b.training_flop", "training_flop", "compute_optimal_table3_3_85e24", 3.85e24,
     "approximately"),
    ("hoffmann2022.table3_175b.total_params", "total_params", "compute_optimal_table3_3_85e24", 175e9,
     "approximately"),
    ("hoffmann2022.table3_175b.training_tokens", "training_tokens", "compute_optimal_table3_3_85e24", 3.7e12,
     "approximately"),
    ("hoffmann2022.table3_280b.training_flop", "training_flop", "compute_optimal_table3_9_90e24", 9.90e24,
     "approximately"),
    ("hoffmann2022.table3_280b.total_params", "total_params", "compute_optimal_table3_9_90e24", 280e9,
     "approximately"),
    ("hoffmann2022.table3_280b.training_tokens", "training_tokens", "compute_optimal_table3_9_90e24", 5.9e12,
     "approximately"),
    # Chinchilla, Epoch AI database row "Chinchilla"
    ("epoch2026_chinchilla.total_params", "total_params", "main", 70e9, "approximately"),
    ("epoch2026_chinchilla.training_flop", "training_flop", "main", 5.76e23, "approximately"),
    ("epoch2026_chinchilla.training_tokens", "training_tokens", "main", 1.4e12, "approximately"),
]

# (claim id, gpu_model label): the accelerators as the papers name them
PUBLISHED_GPUS = [
    ("brown2020.gpu_model", "V100"),             # Sec. 2.3
    ("touvron2023.gpu_model", "A100-80GB"),      # Sec. 2.2.1
    ("deepseek2024.gpu_model", "H800"),          # Sec. 3.1
    ("deepseek2024.inference_prefill.gpu_model", "H800"),   # Sec. 3.4
    ("deepseek2024.inference_decode.gpu_model", "H800"),    # Sec. 3.4
    ("hoffmann2022.gpu_model", "TPUv3/TPUv4"),   # Sec. 4.1
    # Epoch AI database rows, column Training hardware
    ("epoch2026_gpt3.gpu_model", "NVIDIA Tesla V100 DGXS 32 GB"),
    ("epoch2026_llama2_70b.gpu_model", "NVIDIA A100 SXM4 80 GB"),
    ("epoch2026_chinchilla.gpu_model", "Google TPU v4,Google TPU v3"),
]


@pytest.fixture(scope="module")
def controls():
    return gpt4leak.load_catalogue(CONTROLS)


def _base_value(claim) -> float:
    """The value as written, converted to the quantity's base unit."""
    unit = QUANTITIES[claim.quantity].unit
    target = ureg.dimensionless if unit == "dimensionless" else ureg.parse_units(unit)
    return claim.written.to(target).magnitude


# ------------------------------------------------------------------ loading
def _own_module(name: str) -> bool:
    """Controls added later carry their own hand-typed table in tests/test_control_<name>.py."""
    return (Path(__file__).parent / f"test_control_{Path(name).stem}.py").exists()


def test_every_control_file_is_listed():
    files = sorted(p.name for p in CONTROLS.glob("*.yaml"))
    assert sorted(f for f in files if not _own_module(f)) == sorted(CONTROL_SUBJECTS)


@pytest.mark.parametrize("fname", sorted(CONTROL_SUBJECTS))
def test_control_file_loads_alone(fname):
    cat = gpt4leak.load_catalogue(CONTROLS / fname)  # raises CatalogueError when not self-contained
    assert len(cat.claims) > 0
    # the papers, and beside them at most secondary estimates (an Epoch AI database row), all cited
    assert any(s.kind == "published" for s in cat.sources)
    assert all(s.kind in ("published", "estimate") and s.citation and s.url for s in cat.sources)


@pytest.mark.parametrize("fname, subject", sorted(CONTROL_SUBJECTS.items()))
def test_control_file_is_about_one_model(fname, subject):
    cat = gpt4leak.load_catalogue(CONTROLS / fname)
    assert {c.subject for c in cat.claims} == {subject}


def test_controls_are_not_in_the_default_catalogue(tmp_path):
    # The loader reads a folder's own *.yaml, never its subfolders: a copy of claims/ with only the
    # shared sources, the estimates and controls/ must not pick up a single control claim.
    shutil.copy(CLAIMS / "sources.yaml", tmp_path)
    shutil.copy(CLAIMS / "estimates.yaml", tmp_path)
    shutil.copytree(CONTROLS, tmp_path / "controls")
    cat = gpt4leak.load_catalogue(tmp_path)
    assert {c.subject for c in cat.claims} == {"gpt-4"}


# ------------------------------------------------------------------ the papers' numbers
@pytest.mark.parametrize("claim_id, quantity, scenario, expected, qualifier", PUBLISHED,
                         ids=[row[0] for row in PUBLISHED])
def test_published_value(controls, claim_id, quantity, scenario, expected, qualifier):
    c = controls.claim(claim_id)
    assert (c.quantity, c.scenario, c.qualifier) == (quantity, scenario, qualifier)
    assert _base_value(c) == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("claim_id, label", PUBLISHED_GPUS, ids=[row[0] for row in PUBLISHED_GPUS])
def test_published_accelerator(controls, claim_id, label):
    assert controls.claim(claim_id).label == label


def test_every_number_is_in_the_table(controls):
    """A new number in a control file needs its row above, typed from the paper."""
    typed = {row[0] for row in PUBLISHED}
    subjects = set(CONTROL_SUBJECTS.values())
    missing = [c.id for c in controls.claims if c.is_quantitative and c.id not in typed and c.subject in subjects
               and c.quantity not in ("mlp_kind", "embedding_tying")]
    assert missing == []


def test_every_claim_says_where_it_is_in_the_source(controls):
    where = ("Table", "Sec", "Appendix", "Abstract", "abstract", "Introduction", "caption", "Figure",
             "paragraph")
    config = {s.id for s in controls.sources if s.id.endswith("_config")}
    for c in controls.claims:
        if c.source in config:
            assert c.quote.startswith('"') and '": ' in c.quote, c.id  # the JSON key and value
        else:
            assert any(w in c.notes or c.quote.startswith(w) for w in where), c.id


def test_derived_claims_derive_from_their_own_source(controls):
    """A paper computes from its own numbers; a secondary estimate may compute from the paper's."""
    for c in controls.claims:
        for d in c.derived_from:
            assert controls.claim(d).source == c.source or controls.source(c.source).kind == "estimate", (c.id, d)


def test_sources_agree_where_they_overlap(controls):
    """Different sources on one model never contradict each other (paper vs release post vs config), but where
    a listed source discrepancy says so (claims/controls/known/discrepancies.yaml)."""
    from gpt4leak.calibration import discrepancies
    known = {d.claim for d in discrepancies()}
    groups: dict[tuple, list] = {}
    for c in controls.claims:
        if c.is_quantitative and controls.source(c.source).kind == "published":  # estimates: the test below
            groups.setdefault((c.subject, c.scenario, c.quantity), []).append(c)
    for key, cs in groups.items():
        for a in cs:
            for b in cs:
                if a.source < b.source and not {a.id, b.id} & known:
                    lo = max(a.interval.low, b.interval.low)
                    hi = min(a.interval.high, b.interval.high)
                    assert lo <= hi, (key, a.id, b.id)


# An Epoch AI number that matches none of the papers' readings of its quantity, and why (the convention that differs)
ESTIMATE_CONVENTIONS = {
    # BLOOM-176B row: "366B (pretrain) + 13B (finetune) = 379B tokens total", the multitask finetuning added
    "epoch2026_bloom_176b.training_tokens": "pre-training plus finetuning tokens",
}


def test_estimates_beside_a_paper_agree_with_one_of_its_readings(controls):
    """A secondary estimate on a control restates one of the primary readings of each quantity it shares with
    them (the paper may give two, as GPT-3's 175.0B and 174,600M), or it differs by a named convention."""
    published = [c for c in controls.claims if c.is_quantitative and controls.source(c.source).kind == "published"]
    estimates = [c for c in controls.claims if c.is_quantitative and controls.source(c.source).kind == "estimate"]
    assert estimates
    for e in estimates:
        same = [p for p in published if (p.subject, p.scenario, p.quantity) == (e.subject, e.scenario, e.quantity)]
        agree = [p for p in same if max(p.interval.low, e.interval.low) <= min(p.interval.high, e.interval.high)]
        assert bool(agree) or not same or e.id in ESTIMATE_CONVENTIONS, (e.id, [p.id for p in same])
        assert not (agree and e.id in ESTIMATE_CONVENTIONS), e.id  # a listed difference that no longer differs


# ------------------------------------------------------------------ the published GPT-4 estimates
@pytest.fixture(scope="module")
def estimates(tmp_path_factory):
    d = tmp_path_factory.mktemp("estimates")
    shutil.copy(CLAIMS / "sources.yaml", d)  # estimates.yaml names semianalysis2023 as what Epoch quotes
    shutil.copy(CLAIMS / "estimates.yaml", d)
    return gpt4leak.load_catalogue(d)


def test_estimates_are_estimates(estimates):
    ids = {c.source for c in estimates.claims}
    assert {estimates.source(s).kind for s in ids} == {"estimate"}
    assert all(estimates.source(s).citation for s in ids)


def test_epoch_gpt4_compute(estimates):
    # Epoch AI Notable AI Models, GPT-4 row: 2.1e+25 FLOP, "90% CI: 8.2E+24 to 4.4E+25"
    central = estimates.claim("epoch_ai_models_gpt4.training_flop")
    ci = estimates.claim("epoch_ai_models_gpt4.training_flop_ci90")
    assert (central.subject, central.qualifier, _base_value(central)) == ("gpt-4", "approximately",
                                                                        pytest.approx(2.1e25))
    assert ci.qualifier == "between"
    assert (ci.interval.low, ci.interval.high) == (pytest.approx(8.2e24), pytest.approx(4.4e25))
    assert ci.interval.low < central.interval.low and central.interval.high < ci.interval.high


def test_cottier_gpt4_cost(estimates):
    # Cottier et al. 2024, Sec. 1: "GPT-4 at $40M" (amortized hardware CapEx + energy, final run)
    c = estimates.claim("cottier2024.training_cost")
    assert (c.subject, c.scenario, c.qualifier) == ("gpt-4", "amortized_hardware_energy", "approximately")
    assert _base_value(c) == pytest.approx(40e6)
    assert math.isclose(c.interval.high - c.interval.low, 10e6)  # "$40M": +- half of the written 10M digit
