"""Accelerator records against their datasheets.

Published: every figure below is typed from the vendor document named beside
it (NVIDIA datasheets, the H100 architecture whitepaper, Google Cloud TPU
docs), independently of the module's table, so a typo on either side fails.
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
]


@pytest.mark.parametrize("gid, dtype, sparse_tflops", SPARSE_HEADLINES)
def test_dense_rates_are_half_the_with_sparsity_headlines(gid, dtype, sparse_tflops):
    assert abs(2 * hw.GPUS[gid].peak(dtype) / TF - sparse_tflops) <= 1.0


def test_h100_sxm_memory_bound_ridge_is_about_295_flop_per_byte():
    # Published inputs only: whitepaper bf16 989.4 TF over datasheet 3.35 TB/s = 295.3 FLOP/byte.
    g = hw.get_gpu("H100")
    assert g.peak("bf16") / g.hbm_bandwidth == pytest.approx(989.4e12 / 3.35e12)


def test_every_record_cites_its_source():
    for g in hw.GPUS.values():
        assert g.source.title and g.source.url.startswith("https://"), g.id
        assert g.dtypes, g.id


@pytest.mark.parametrize("text, gid", [
    ("A100", "a100_40gb_sxm"), ("a100", "a100_40gb_sxm"), ("a100-40gb", "a100_40gb_sxm"),
    ("A100 40GB", "a100_40gb_sxm"), ("a100-80gb", "a100_80gb_sxm"), ("NVIDIA A100 80GB SXM4", "a100_80gb_sxm"),
    ("a100 sxm 80gb", "a100_80gb_sxm"), ("H100", "h100_sxm"), ("h100 sxm5", "h100_sxm"),
    ("H100 PCIe", "h100_pcie"), ("h100-pcie", "h100_pcie"), ("H200", "h200_sxm"), ("H800", "h800_sxm"),
    ("V100", "v100_sxm2_32gb"), ("Tesla V100 16GB", "v100_sxm2_16gb"), ("TPU v4", "tpu_v4"),
    ("tpuv3", "tpu_v3"), ("Google Cloud TPU v4", "tpu_v4"), ("h100_sxm", "h100_sxm"),
])
def test_forgiving_lookup(text, gid):
    assert hw.get_gpu(text).id == gid


def test_defaults_are_documented_and_resolve():
    for family, gid in hw.DEFAULTS.items():
        assert hw.get_gpu(family).id == gid


def test_lookup_passes_records_through():
    g = hw.GPUS["h100_sxm"]
    assert hw.get_gpu(g) is g


def test_unknown_gpu_names_the_known_ids():
    with pytest.raises(hw.UnknownGPUError) as err:
        hw.get_gpu("B200")
    msg = str(err.value)
    assert "B200" in msg and "a100_40gb_sxm" in msg and "tpu_v4" in msg and "register_gpu" in msg
    assert isinstance(err.value, KeyError)
    with pytest.raises(hw.UnknownGPUError):
        hw.get_gpu("")


def test_missing_dtype_lists_what_the_part_has():
    with pytest.raises(hw.UnknownDtypeError) as err:
        hw.peak_flop_per_s("V100", "bf16")  # Volta has no bfloat16 (V100 datasheet)
    assert "fp16" in str(err.value) and "bf16" in str(err.value)
    with pytest.raises(hw.UnknownDtypeError):
        hw.peak_flop_per_s("A100", "fp8")  # Ampere has no FP8 (A100 datasheet)


def test_dtype_aliases():
    assert hw.peak_flop_per_s("A100", "bfloat16") == hw.peak_flop_per_s("A100", "bf16")
    assert hw.peak_flop_per_s("A100", "half") == hw.peak_flop_per_s("A100", "fp16")
    assert hw.peak_flop_per_s("A100") == hw.peak_flop_per_s("A100", "bf16")  # bf16 is the default


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
    kw = dict(id="mi300x", name="AMD Instinct MI300X", vendor="AMD",
              peak_flop_per_s={"bf16": 1307.4 * TF, "fp8": 2614.9 * TF},
              hbm_bytes=192 * GB, hbm_bandwidth=5.3e12, nvlink_bandwidth=None, tdp=750,
              source=hw.Datasheet("AMD Instinct MI300X data sheet", "https://www.amd.com/"),
              aliases=("mi300x", "mi300"))
    kw.update(over)
    return hw.GPU(**kw)


def test_register_gpu_makes_it_findable(clean_registry):
    g = hw.register_gpu(_custom())
    assert hw.get_gpu("MI300X") is g and hw.get_gpu("amd instinct mi300x") is g
    assert hw.peak_flop_per_s("mi300", "fp8").to("TFLOP/s/GPU").magnitude == pytest.approx(2614.9)
    with pytest.raises(ValueError, match="already registered"):
        hw.register_gpu(_custom())
    hw.register_gpu(_custom(tdp=760), overwrite=True)
    assert hw.get_gpu("mi300x").tdp == 760


def test_register_gpu_refuses_an_alias_of_another_record(clean_registry):
    with pytest.raises(ValueError, match="already means"):
        hw.register_gpu(_custom(id="fake_a100", aliases=("a100",)))


@pytest.mark.parametrize("field, value, match", [
    ("hbm_bytes", -1.0, "hbm_bytes"), ("hbm_bandwidth", 0.0, "hbm_bandwidth"),
    ("tdp", float("nan"), "tdp"), ("peak_flop_per_s", {"bf16": -5.0}, "peak_flop_per_s"),
    ("peak_flop_per_s", {"fp4": 1.0}, "unknown dtype"), ("peak_flop_per_s", {}, "at least one"),
    ("id", "MI 300", "lower-case"),
])
def test_bad_records_are_refused_with_the_field_named(field, value, match):
    with pytest.raises(ValueError, match=match):
        _custom(**{field: value})


def test_register_gpu_wants_a_record():
    with pytest.raises(TypeError):
        hw.register_gpu({"id": "x"})
