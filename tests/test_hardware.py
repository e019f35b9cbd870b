"""Accelerator records against their datasheets.

Published: every figure below is typed from the vendor document named beside
it (NVIDIA datasheets, the H100 architecture whitepaper, the NVIDIA Blackwell
datasheet, AMD's CDNA 3 white paper, Google Cloud TPU docs), independently of
the module's table, so a typo on either side fails. Citation keys in
docs/references.md: nvidia_blackwell_datasheet, amd_cdna3_whitepaper,
google_tpu_v5e, google_tpu_v5p.
"""

import dataclasses

import pytest

from gpt4leak import hardware as hw
from gpt4leak.units import Q_, ureg

TF = 1e12
GB = 1e9

# (gpu id, dtype, dense TFLOP/s as published, where)
DATASHEET_PEAKS = [
    # NVIDIA A100 datasheet r4, SXM column (dense | sparse: we take the dense figure)
    ("a100_40gb_sxm", "fp64", 9.7, "A100 datasheet: FP64 9.7 TF"),
    ("a100_40gb_sxm", "fp32", 19.5, "A100 datasheet: FP32 19.5 TF"),
    ("a100_40gb_sxm", "tf32", 156, "A100 datasheet: TF32 Tensor Core 156 TF | 312 TF*"),
    ("a100_40gb_sxm", "bf16", 312, "A100 datasheet: BFLOAT16 Tensor Core 312 TF | 624 TF*"),
    ("a100_40gb_sxm", "fp16", 312, "A100 datasheet: FP16 Tensor Core 312 TF | 624 TF*"),
    ("a100_40gb_sxm", "int8", 624, "A100 datasheet: INT8 Tensor Core 624 TOPS | 1248 TOPS*"),
    ("a100_80gb_sxm", "bf16", 312, "A100 datasheet: the 80GB part has the same FLOPS"),
    ("a100_80gb_sxm", "tf32", 156, "A100 datasheet"),
    # NVIDIA H100 datasheet (FP32) and H100 whitepaper Table 3 (dense tensor rates)
    ("h100_sxm", "fp32", 67, "H100 datasheet SXM: FP32 67 teraFLOPS"),
    ("h100_sxm", "tf32", 494.7, "H100 whitepaper: TF32 494.7 (datasheet 989* with sparsity)"),
    ("h100_sxm", "bf16", 989.4, "H100 whitepaper: BF16 989.4 (datasheet 1,979* with sparsity)"),
    ("h100_sxm", "fp16", 989.4, "H100 whitepaper: FP16 989.4"),
    ("h100_sxm", "fp8", 1978.9, "H100 whitepaper: FP8 1978.9 (datasheet 3,958* with sparsity)"),
    ("h100_pcie", "fp32", 51, "H100 datasheet PCIe: FP32 51 teraFLOPS"),
    ("h100_pcie", "tf32", 378, "H100 datasheet PCIe: TF32 756* / 2"),
    ("h100_pcie", "bf16", 756, "H100 datasheet PCIe: BF16 1,513* / 2 (whitepaper 756)"),
    ("h100_pcie", "fp8", 1513, "H100 datasheet PCIe: FP8 3,026* / 2"),
    ("h200_sxm", "bf16", 989.4, "H200 datasheet: BF16 1,979* = H100 SXM"),
    ("h800_sxm", "bf16", 989.4, "H800 datasheet: BF16 1,979* = H100 SXM"),
    ("h800_sxm", "fp64", 1, "H800 datasheet: FP64 1 teraFLOPS (export-control cut)"),
    # NVIDIA V100 datasheet, SXM2 column
    ("v100_sxm2_32gb", "fp64", 7.8, "V100 datasheet SXM2: Double-Precision 7.8 TF"),
    ("v100_sxm2_32gb", "fp32", 15.7, "V100 datasheet SXM2: Single-Precision 15.7 TF"),
    ("v100_sxm2_16gb", "fp16", 125, "V100 datasheet SXM2: Tensor Performance 125 TF"),
    # Google Cloud TPU docs, 'Key specifications'
    ("tpu_v3", "bf16", 123, "Cloud TPU v3 docs: Peak compute per chip 123 teraflops (bf16)"),
    ("tpu_v4", "bf16", 275, "Cloud TPU v4 docs: Peak compute per chip 275 teraflops (bf16 or int8)"),
    ("tpu_v4", "int8", 275, "Cloud TPU v4 docs: 275 (bf16 or int8)"),
    # NVIDIA Blackwell datasheet (3384703), 'Individual Blackwell GPU Specifications', column HGX B200.
    # Its note: "All other Tensor Core specs are sparse; dense is one-half of the sparse value".
    ("b200", "fp64", 37, "Blackwell datasheet HGX B200: FP64/FP64 Tensor Core 37 TFLOPS"),
    ("b200", "fp32", 75, "Blackwell datasheet HGX B200: FP32 75 TFLOPS"),
    ("b200", "tf32", 1100, "Blackwell datasheet HGX B200: TF32 Tensor Core 2.2 PFLOPS (sparse)"),
    ("b200", "bf16", 2250, "Blackwell datasheet HGX B200: FP16/BF16 Tensor Core 4.5 PFLOPS (sparse)"),
    ("b200", "fp16", 2250, "Blackwell datasheet HGX B200: FP16/BF16 Tensor Core 4.5 PFLOPS (sparse)"),
    ("b200", "fp8", 4500, "Blackwell datasheet HGX B200: FP8/FP6 Tensor Core 9 PFLOPS (sparse)"),
    ("b200", "int8", 4500, "Blackwell datasheet HGX B200: INT8 Tensor Core 9 POPS (sparse)"),
    ("b200", "fp4", 9000, "Blackwell datasheet HGX B200: FP4 Tensor Core 18 PFLOPS (sparse); NVFP4 144 | 72 / 8"),
    # same datasheet, column GB200 NVL72 (per GPU)
    ("gb200", "fp64", 40, "Blackwell datasheet GB200 NVL72: FP64/FP64 Tensor Core 40 TFLOPS"),
    ("gb200", "fp32", 80, "Blackwell datasheet GB200 NVL72: FP32 80 TFLOPS"),
    ("gb200", "tf32", 1250, "Blackwell datasheet GB200 NVL72: TF32 Tensor Core 2.5 PFLOPS (sparse)"),
    ("gb200", "bf16", 2500, "Blackwell datasheet GB200 NVL72: FP16/BF16 Tensor Core 5 PFLOPS (sparse)"),
    ("gb200", "fp8", 5000, "Blackwell datasheet GB200 NVL72: FP8/FP6 Tensor Core 10 PFLOPS (sparse)"),
    ("gb200", "int8", 5000, "Blackwell datasheet GB200 NVL72: INT8 Tensor Core 10 POPS (sparse)"),
    ("gb200", "fp4", 10000, "Blackwell datasheet GB200 NVL72: FP4 Tensor Core 20 PFLOPS (sparse)"),
    # AMD CDNA 3 white paper, Table 1 and endnote MI300-11 (MI300X, 750 W, 2,100 MHz): dense as published
    ("mi300x", "fp64", 81.7, "CDNA 3 white paper: Vector FP64 81.7 TFLOPS"),
    ("mi300x", "fp64_tensor", 163.4, "CDNA 3 white paper: Matrix FP64 163.4 TFLOPS"),
    ("mi300x", "fp32", 163.4, "CDNA 3 white paper: Vector FP32 163.4 TFLOPS"),
    ("mi300x", "tf32", 653.7, "CDNA 3 white paper endnote MI300-11: TF32 653.7 (Table 1 misprints 490.3)"),
    ("mi300x", "bf16", 1307.4, "CDNA 3 white paper: Matrix BF16 1307.4 TFLOPS"),
    ("mi300x", "fp16", 1307.4, "CDNA 3 white paper: Matrix FP16 1307.4 TFLOPS"),
    ("mi300x", "fp8", 2614.9, "CDNA 3 white paper: Matrix FP8 2614.9 TFLOPS"),
    ("mi300x", "int8", 2614.9, "CDNA 3 white paper: Matrix INT8 2614.9 TOPs"),
    # Google Cloud TPU docs, 'Key (chip) specifications'
    ("tpu_v5e", "bf16", 197, "Cloud TPU v5e docs: Peak compute per chip (bf16) 197 TFLOPs"),
    ("tpu_v5e", "int8", 393, "Cloud TPU v5e docs: Peak compute per chip (Int8) 393 TFLOPs"),
    ("tpu_v5p", "bf16", 459, "Cloud TPU v5p docs: Peak compute per chip (bf16) 459 TFLOPs"),
]

# (gpu id, HBM bytes, HBM byte/s, NVLink byte/s or None, TDP W or None), as published
DATASHEET_MEMORY = [
    ("a100_40gb_sxm", 40 * GB, 1555 * GB, 600 * GB, 400),   # A100 datasheet: 40GB HBM2, 1,555GB/s, 600GB/s, 400W
    ("a100_80gb_sxm", 80 * GB, 2039 * GB, 600 * GB, 400),   # A100 datasheet: 80GB HBM2e, 2,039GB/s
    ("h100_sxm", 80 * GB, 3.35e12, 900 * GB, 700),          # H100 datasheet: 80GB, 3.35TB/s, 900GB/s, 700W
    ("h100_pcie", 80 * GB, 2.0e12, 600 * GB, 350),          # H100 datasheet: 80GB, 2TB/s, 600GB/s, 300-350W
    ("h200_sxm", 141 * GB, 4.8e12, 900 * GB, 700),          # H200 datasheet: 141GB, 4.8TB/s, 900GB/s, 700W
    ("h800_sxm", 80 * GB, 3.35e12, 400 * GB, 700),          # H800 datasheet: 80GB, 3.35TB/s, NVLink 400GB/s
    ("v100_sxm2_32gb", 32 * GB, 900 * GB, 300 * GB, 300),   # V100 datasheet: 32GB, 900GB/s, 300GB/s, 300W
    ("v100_sxm2_16gb", 16 * GB, 900 * GB, 300 * GB, 300),   # V100 datasheet: 16GB
    ("tpu_v3", 32 * 2**30, 900 * GB, None, None),           # TPU v3 docs: HBM2 32 GiB, 900 GBps
    ("tpu_v4", 32 * 2**30, 1200 * GB, None, None),          # TPU v4 docs: HBM2 32 GiB, 1200 GBps
    ("tpu_v5e", 16 * GB, 819 * GB, None, None),             # TPU v5e docs: HBM2 16 GB, 819 GBps
    ("tpu_v5p", 95 * GB, 2765 * GB, None, None),            # TPU v5p docs: HBM2e 95GB, 2765 GBps
    ("b200", 180 * GB, 7.7e12, 1800 * GB, 1000),            # Blackwell datasheet HGX B200: 180 GB | 7.7 TB/s,
                                                            # NVLink 1.8 TB/s, TDP configurable up to 1,000 W
    ("gb200", 186 * GB, 8e12, 1800 * GB, 1200),             # Blackwell datasheet GB200 NVL72: 186 GB | 8 TB/s,
                                                            # NVLink 1.8 TB/s, TDP configurable up to 1,200 W
    ("mi300x", 192 * GB, 5.3e12, None, 750),                # CDNA 3 white paper: 192GB HBM3, 5.3 TB/s; 750W
]


@pytest.mark.parametrize("gid, dtype, tflops, where", DATASHEET_PEAKS,
                         ids=[f"{g}-{d}" for g, d, _, _ in DATASHEET_PEAKS])
def test_peak_matches_datasheet(gid, dtype, tflops, where):
    assert hw.GPUS[gid].peak(dtype) == pytest.approx(tflops * TF, rel=1e-12), where
    q = hw.peak_flop_per_s(gid, dtype)
    assert q.to("TFLOP/s/GPU").magnitude == pytest.approx(tflops, rel=1e-12)


@pytest.mark.parametrize("gid, hbm, bw, nvlink, tdp", DATASHEET_MEMORY, ids=[r[0] for r in DATASHEET_MEMORY])
def test_memory_interconnect_power_match_datasheet(gid, hbm, bw, nvlink, tdp):
    g = hw.GPUS[gid]
    assert g.hbm_bytes == pytest.approx(hbm, rel=1e-12)
    assert g.hbm_bandwidth == pytest.approx(bw, rel=1e-12)
    assert g.nvlink_bandwidth == (None if nvlink is None else pytest.approx(nvlink, rel=1e-12))
    assert g.tdp == (None if tdp is None else pytest.approx(tdp))


# H100 datasheet, "* Shown with sparsity. Specifications 1/2 lower without sparsity": the headline
# figures (TFLOPS) must be twice our dense rates, to the datasheet's rounding of one TFLOPS.
SPARSE_HEADLINES = [
    ("h100_sxm", "tf32", 989), ("h100_sxm", "bf16", 1979), ("h100_sxm", "fp8", 3958), ("h100_sxm", "int8", 3958),
    ("h100_pcie", "tf32", 756), ("h100_pcie", "bf16", 1513), ("h100_pcie", "fp8", 3026),
    ("a100_80gb_sxm", "bf16", 624), ("a100_80gb_sxm", "tf32", 312), ("a100_80gb_sxm", "int8", 1248),
    # Blackwell datasheet, per GPU (PFLOPS there, TFLOPS here)
    ("b200", "fp4", 18000), ("b200", "fp8", 9000), ("b200", "int8", 9000), ("b200", "bf16", 4500),
    ("b200", "tf32", 2200),
    ("gb200", "fp4", 20000), ("gb200", "fp8", 10000), ("gb200", "int8", 10000), ("gb200", "bf16", 5000),
    ("gb200", "tf32", 2500),
]


@pytest.mark.parametrize("gid, dtype, sparse_tflops", SPARSE_HEADLINES)
def test_dense_rates_are_half_the_with_sparsity_headlines(gid, dtype, sparse_tflops):
    assert abs(2 * hw.GPUS[gid].peak(dtype) / TF - sparse_tflops) <= 1.0


# Blackwell datasheet, table 'Product Specifications', column GB200 NVL72 (72 GPUs, 36 Grace CPUs):
# (field, rack total as printed, unit factor, per-GPU record attribute / dtype, rel. tolerance for the
# datasheet's rounding). The per-GPU record must be the rack total / 72.
GB200_NVL72_RACK = [
    ("Total FP8/FP6 Tensor Core 720 PFLOPS (sparse)", 720e15 / 2, "fp8", 1e-12),
    ("Total NVFP4 Tensor Core 1,440 | 720 PFLOPS (sparse | dense)", 720e15, "fp4", 1e-12),
    ("Total Memory Bandwidth 576 TB/s", 576e12, "hbm_bandwidth", 1e-12),
    ("Total NVLink Bandwidth 130 TB/s", 130e12, "nvlink_bandwidth", 0.01),  # 1.806 printed per GPU as 1.8
]


@pytest.mark.parametrize("field, total, what, rel", GB200_NVL72_RACK, ids=[r[2] for r in GB200_NVL72_RACK])
def test_gb200_per_gpu_figures_are_the_nvl72_rack_totals_over_72(field, total, what, rel):
    g = hw.GPUS["gb200"]
    per_gpu = g.peak(what) if what in g.dtypes else getattr(g, what)
    assert per_gpu == pytest.approx(total / 72, rel=rel), field


def test_b200_per_gpu_figures_are_the_hgx_totals_over_8():
    # Blackwell datasheet, 'Product Specifications', HGX B200 (8 GPUs): NVFP4 144 | 72 PFLOPS, FP8/FP6 72
    # PFLOPS (sparse), Total Memory Bandwidth 62 TB/s (the per-GPU 7.7 TB/s, rounded), NVLink 14.4 TB/s
    g = hw.GPUS["b200"]
    assert g.peak("fp4") == pytest.approx(72e15 / 8)
    assert g.peak("fp8") == pytest.approx(72e15 / 2 / 8)
    assert g.hbm_bandwidth == pytest.approx(62e12 / 8, rel=0.01)
    assert g.nvlink_bandwidth == pytest.approx(14.4e12 / 8)
    # DGX B200 datasheet: "1,440GB total GPU memory" for 8 GPUs
    assert 8 * g.hbm_bytes == pytest.approx(1440 * GB)


def test_h100_sxm_memory_bound_ridge_is_about_295_flop_per_byte():
    # Published inputs only: whitepaper bf16 989.4 TF over datasheet 3.35 TB/s = 295.3 FLOP/byte.
    g = hw.get_gpu("H100")
    assert g.peak("bf16") / g.hbm_bandwidth == pytest.approx(989.4e12 / 3.35e12)


def test_every_record_cites_its_source():
    for g in hw.GPUS.values():
        assert g.source.title and g.source.url.startswith("https://"), g.id
        assert g.dtypes, g.id


@pytest.mark.parametrize("gid", ["b200", "gb200", "mi300x", "tpu_v5e", "tpu_v5p"])
def test_new_records_say_how_they_were_checked_and_dense_or_sparse(gid):
    src = hw.GPUS[gid].source
    assert src.checked_via, gid
    assert "dense" in src.note or "sparsity" in src.note, gid


@pytest.mark.parametrize("text, gid", [
    ("A100", "a100_40gb_sxm"), ("a100", "a100_40gb_sxm"), ("a100-40gb", "a100_40gb_sxm"),
    ("A100 40GB", "a100_40gb_sxm"), ("a100-80gb", "a100_80gb_sxm"), ("NVIDIA A100 80GB SXM4", "a100_80gb_sxm"),
    ("a100 sxm 80gb", "a100_80gb_sxm"), ("H100", "h100_sxm"), ("h100 sxm5", "h100_sxm"),
    ("H100 PCIe", "h100_pcie"), ("h100-pcie", "h100_pcie"), ("H200", "h200_sxm"), ("H800", "h800_sxm"),
    ("V100", "v100_sxm2_32gb"), ("Tesla V100 16GB", "v100_sxm2_16gb"), ("TPU v4", "tpu_v4"),
    ("tpuv3", "tpu_v3"), ("Google Cloud TPU v4", "tpu_v4"), ("h100_sxm", "h100_sxm"),
    # spellings met in claims and the press
    ("TPUv4", "tpu_v4"), ("TPU v4", "tpu_v4"), ("tpu-v4", "tpu_v4"), ("TPUv3", "tpu_v3"),
    ("TPU v5p", "tpu_v5p"), ("tpu-v5p", "tpu_v5p"), ("TPU v5e", "tpu_v5e"), ("Cloud TPU v5e", "tpu_v5e"),
    ("V100 32GB", "v100_sxm2_32gb"),
    ("B200", "b200"), ("HGX B200", "b200"), ("NVIDIA DGX B200", "b200"), ("GB200", "gb200"),
    ("GB200 NVL72", "gb200"), ("Grace Blackwell", "gb200"), ("MI300X", "mi300x"),
    ("AMD Instinct MI300X", "mi300x"), ("amd mi300x", "mi300x"),
])
def test_forgiving_lookup(text, gid):
    assert hw.get_gpu(text).id == gid


def test_v100_dgxs_is_the_sxm2_32gb_part():
    # Epoch AI's name for GPT-3's V100s (claims/controls/gpt3.yaml, epoch2026_gpt3.gpu_model); silently not
    # found before. The record says the equality of figures is assumed.
    g = hw.get_gpu("NVIDIA Tesla V100 DGXS 32 GB")
    assert g.id == "v100_sxm2_32gb" and "DGXS" in g.notes
    assert hw.get_gpu("Tesla V100 DGXS 32GB") is g


# Architecture names as vendors and the press write them -> the documented default
@pytest.mark.parametrize("text, gid", [
    ("Hopper", "h100_sxm"), ("NVIDIA Hopper", "h100_sxm"), ("hopper", "h100_sxm"),
    ("Blackwell", "b200"), ("NVIDIA Blackwell", "b200"),
    ("Ampere", "a100_40gb_sxm"), ("NVIDIA Ampere", "a100_40gb_sxm"),
    ("Volta", "v100_sxm2_32gb"), ("TPU v5", "tpu_v5p"), ("Google TPU v5", "tpu_v5p"),
    ("CDNA 3", "mi300x"), ("MI300", "mi300x"),
])
def test_family_names_give_the_documented_default(text, gid):
    assert hw.get_gpu(text).id == gid


def test_families_cover_the_registry_once_and_contain_their_defaults():
    members = [gid for ids in hw.FAMILIES.values() for gid in ids]
    assert sorted(members) == sorted(hw.GPUS)  # every built-in record in exactly one family
    for family, ids in hw.FAMILIES.items():
        if family in hw.DEFAULTS:
            assert hw.DEFAULTS[family] in ids, family
    assert hw.FAMILIES["Ampere"] == ("a100_40gb_sxm", "a100_80gb_sxm")
    assert set(hw.FAMILIES["Hopper"]) == {"h100_sxm", "h100_pcie", "h200_sxm", "h800_sxm"}
    assert set(hw.FAMILIES["Blackwell"]) == {"b200", "gb200"}


# (family or member, attribute, dtype, (min, max) as published), the extremes named
FAMILY_RANGES = [
    ("Hopper", "peak", "bf16", (756e12, 989.4e12)),           # H100 PCIe 1,513*/2 ... H100/H200/H800 SXM 989.4
    ("H100 PCIe", "peak", "bf16", (756e12, 989.4e12)),        # a member names its family
    ("Hopper", "peak", "fp8", (1513e12, 1978.9e12)),
    ("Hopper", "hbm_bytes", "bf16", (80e9, 141e9)),           # H100 80GB ... H200 141GB
    ("Hopper", "hbm_bandwidth", "bf16", (2.0e12, 4.8e12)),    # H100 PCIe 2TB/s ... H200 4.8TB/s
    ("Hopper", "nvlink_bandwidth", "bf16", (400e9, 900e9)),   # H800 400GB/s ... H100 SXM 900GB/s
    ("Ampere", "hbm_bytes", "bf16", (40e9, 80e9)),            # A100 40GB ... 80GB
    ("NVIDIA Ampere", "hbm_bandwidth", "bf16", (1555e9, 2039e9)),
    ("Blackwell", "peak", "bf16", (2250e12, 2500e12)),        # HGX B200 4.5*/2 ... GB200 5*/2 PFLOPS
    ("Blackwell", "peak", "nvfp4", (9000e12, 10000e12)),      # 18*/2 ... 20*/2 PFLOPS
    ("Blackwell", "hbm_bytes", "bf16", (180e9, 186e9)),
    ("Blackwell", "hbm_bandwidth", "bf16", (7.7e12, 8e12)),
    ("Volta", "hbm_bytes", "fp16", (16e9, 32e9)),
    ("TPU v5", "peak", "bf16", (197e12, 459e12)),             # v5e 197 ... v5p 459
    ("TPU v5", "peak", "int8", (393e12, 393e12)),             # v5p has no int8 figure in its docs table
    ("TPU v4", "peak", "bf16", (275e12, 275e12)),
    ("MI300X", "peak", "fp8", (2614.9e12, 2614.9e12)),
]


@pytest.mark.parametrize("name, attribute, dtype, expected", FAMILY_RANGES,
                         ids=[f"{n}-{a}-{d}" for n, a, d, _ in FAMILY_RANGES])
def test_family_range(name, attribute, dtype, expected):
    lo, hi = hw.family_range(name, attribute, dtype)
    assert (lo, hi) == (pytest.approx(expected[0], rel=1e-12), pytest.approx(expected[1], rel=1e-12))


def test_family_range_refuses_what_it_cannot_answer():
    with pytest.raises(hw.UnknownGPUError) as err:  # a family the registry does not know
        hw.family_range("Rubin", "peak")
    msg = str(err.value)
    assert isinstance(err.value, KeyError)
    assert "Rubin" in msg and all(f in msg for f in ("Ampere", "Hopper", "Blackwell", "TPU v5"))
    with pytest.raises(hw.UnknownDtypeError):
        hw.family_range("Volta", "peak", "bf16")  # Volta has no bfloat16 (V100 datasheet)
    with pytest.raises(ValueError, match="nvlink_bandwidth"):
        hw.family_range("TPU v5", "nvlink_bandwidth")  # ICI, not NVLink
    with pytest.raises(ValueError, match="attribute"):
        hw.family_range("Hopper", "tdp")


def test_family_range_of_a_record_outside_every_family(clean_registry):
    hw.register_gpu(_custom())
    assert hw.family_range("MI250X", "peak", "bf16") == (383.0 * TF, 383.0 * TF)


def test_defaults_are_documented_and_resolve():
    for family, gid in hw.DEFAULTS.items():
        assert hw.get_gpu(family).id == gid


def test_lookup_passes_records_through():
    g = hw.GPUS["h100_sxm"]
    assert hw.get_gpu(g) is g


def test_unknown_gpu_names_the_known_ids():
    with pytest.raises(hw.UnknownGPUError) as err:
        hw.get_gpu("B300")  # Blackwell Ultra: not in the registry
    msg = str(err.value)
    assert "B300" in msg and "a100_40gb_sxm" in msg and "tpu_v4" in msg and "register_gpu" in msg
    assert isinstance(err.value, KeyError)
    with pytest.raises(hw.UnknownGPUError):
        hw.get_gpu("")


def test_missing_dtype_lists_what_the_part_has():
    with pytest.raises(hw.UnknownDtypeError) as err:
        hw.peak_flop_per_s("V100", "bf16")  # Volta has no bfloat16 (V100 datasheet)
    assert "fp16" in str(err.value) and "bf16" in str(err.value)
    with pytest.raises(hw.UnknownDtypeError):
        hw.peak_flop_per_s("A100", "fp8")  # Ampere has no FP8 (A100 datasheet)
    with pytest.raises(hw.UnknownDtypeError):
        hw.peak_flop_per_s("H100", "fp4")  # FP4 is new with Blackwell (Blackwell datasheet)


def test_dtype_aliases():
    assert hw.peak_flop_per_s("A100", "bfloat16") == hw.peak_flop_per_s("A100", "bf16")
    assert hw.peak_flop_per_s("A100", "half") == hw.peak_flop_per_s("A100", "fp16")
    assert hw.peak_flop_per_s("A100") == hw.peak_flop_per_s("A100", "bf16")  # bf16 is the default
    assert hw.peak_flop_per_s("B200", "nvfp4") == hw.peak_flop_per_s("B200", "fp4")
    assert hw.peak_flop_per_s("B200", "e2m1") == hw.peak_flop_per_s("B200", "fp4")


def test_quantity_helpers_carry_per_gpu_units():
    assert hw.peak_flop_per_s("A100").dimensionality == ureg.parse_units("FLOP/s/GPU").dimensionality
    assert hw.memory_bandwidth("a100-80gb").to("GB/s/GPU").magnitude == pytest.approx(2039)
    assert hw.memory_bytes("H200").to("GB/GPU").magnitude == pytest.approx(141)
    assert hw.interconnect_bandwidth("H800").to("GB/s/GPU").magnitude == pytest.approx(400)
    with pytest.raises(ValueError, match="NVLink"):
        hw.interconnect_bandwidth("TPU v4")
    # a cluster's peak: 25,000 A100s at 312 TFLOP/s = 7.8 EFLOP/s
    assert (Q_(25_000, "GPU") * hw.peak_flop_per_s("A100")).to("EFLOP/s").magnitude == pytest.approx(7.8)


def test_records_are_immutable():
    g = hw.GPUS["a100_40gb_sxm"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        g.hbm_bytes = 1.0
    with pytest.raises(TypeError):
        g.peak_flop_per_s["bf16"] = 1.0


@pytest.fixture
def clean_registry():
    gpus, aliases = dict(hw.GPUS), dict(hw._ALIASES)
    yield
    hw.GPUS.clear()
    hw.GPUS.update(gpus)
    hw._ALIASES.clear()
    hw._ALIASES.update(aliases)


def _custom(**over):
    # A part the registry does not ship: AMD Instinct MI250X, as the CDNA 3 white paper's endnotes MI300-11 and
    # MI300-13 state it (560W, 128 GB HBM2e, 3.277 TB/s, FP16/BF16 383.0 TFLOPS, INT8 383.0 TOPs).
    kw = dict(id="mi250x", name="AMD Instinct MI250X", vendor="AMD",
              peak_flop_per_s={"bf16": 383.0 * TF, "int8": 383.0 * TF},
              hbm_bytes=128 * GB, hbm_bandwidth=3.277e12, nvlink_bandwidth=None, tdp=560,
              source=hw.Datasheet("AMD CDNA 3 white paper, endnotes MI300-11 and MI300-13 (MI250X)",
                                  "https://www.amd.com/"),
              aliases=("mi250x oam",))
    kw.update(over)
    return hw.GPU(**kw)


def test_register_gpu_makes_it_findable(clean_registry):
    g = hw.register_gpu(_custom())
    assert hw.get_gpu("MI250X") is g and hw.get_gpu("amd instinct mi250x") is g
    assert hw.peak_flop_per_s("mi250x oam", "int8").to("TFLOP/s/GPU").magnitude == pytest.approx(383.0)
    with pytest.raises(ValueError, match="already registered"):
        hw.register_gpu(_custom())
    hw.register_gpu(_custom(tdp=500), overwrite=True)
    assert hw.get_gpu("mi250x").tdp == 500


def test_register_gpu_refuses_an_alias_of_another_record(clean_registry):
    with pytest.raises(ValueError, match="already means"):
        hw.register_gpu(_custom(id="fake_a100", aliases=("a100",)))


@pytest.mark.parametrize("field, value, match", [
    ("hbm_bytes", -1.0, "hbm_bytes"), ("hbm_bandwidth", 0.0, "hbm_bandwidth"),
    ("tdp", float("nan"), "tdp"), ("peak_flop_per_s", {"bf16": -5.0}, "peak_flop_per_s"),
    ("peak_flop_per_s", {"int4": 1.0}, "unknown dtype"), ("peak_flop_per_s", {}, "at least one"),
    ("id", "MI 300", "lower-case"),
])
def test_bad_records_are_refused_with_the_field_named(field, value, match):
    with pytest.raises(ValueError, match=match):
        _custom(**{field: value})


def test_register_gpu_wants_a_record():
    with pytest.raises(TypeError):
        hw.register_gpu({"id": "x"})
