"""Accelerator datasheets: peak dense FLOP/s per dtype, HBM size and bandwidth, interconnect, power.

Every number is written as its datasheet writes it, with the datasheet named
beside it (astropy's habit of keeping each published parameter set next to
its citation). Peak rates are **dense**: NVIDIA's headline tensor figures for
Ampere and Hopper are "shown with sparsity" (2:4 structured sparsity, twice the
dense rate); we store the dense rate and say where it comes from.

Units of the record fields (plain floats, per device):

================== ========================================================
field               unit
================== ========================================================
peak_flop_per_s     FLOP/s per device, by dtype key ("fp32", "tf32", "bf16",
                    "fp16", "fp8", "int8", "fp64", "fp64_tensor"); int8 is
                    integer operations per second (TOPS) counted as FLOP
hbm_bytes           byte (decimal GB as NVIDIA writes "80GB"; Google writes
                    GiB, kept as GiB)
hbm_bandwidth       byte/s (decimal, "2,039 GB/s" = 2.039e12)
nvlink_bandwidth    byte/s, total bidirectional per GPU as the datasheet
                    states it ("NVLink: 600GB/s"); None where not NVLink
tdp                 W (maximum thermal design power); None where the vendor
                    gives no TDP
================== ========================================================

Look-ups are forgiving: ``get_gpu("A100")``, ``get_gpu("a100-80gb")``,
``get_gpu("H100")``. The documented defaults for bare family names are in
:data:`DEFAULTS`. :func:`peak_flop_per_s` returns a pint Quantity in
FLOP/s/GPU, the unit the formulas take.

Note on memory: NVIDIA's "40GB" A100 physically carries 40 GiB of HBM
(nvidia-smi shows 40,960 MiB); we keep the datasheet's decimal figure, a 7%
difference worth remembering when a claim sits at the edge of what fits.
"""

from __future__ import annotations

import re
import types
from dataclasses import dataclass, field
from typing import Mapping

import pint

from .units import Q_

__all__ = [
    "Datasheet",
    "GPU",
    "GPUS",
    "DEFAULTS",
    "DTYPE_ALIASES",
    "UnknownGPUError",
    "UnknownDtypeError",
    "get_gpu",
    "register_gpu",
    "peak_flop_per_s",
    "memory_bandwidth",
    "memory_bytes",
    "interconnect_bandwidth",
]

# One dtype vocabulary; aliases a user may type map onto it.
DTYPE_ALIASES: dict[str, str] = {
    "fp64": "fp64", "float64": "fp64", "double": "fp64",
    "fp64_tensor": "fp64_tensor",
    "fp32": "fp32", "float32": "fp32", "single": "fp32",
    "tf32": "tf32", "tensorfloat32": "tf32",
    "bf16": "bf16", "bfloat16": "bf16",
    "fp16": "fp16", "float16": "fp16", "half": "fp16",
    "fp8": "fp8", "float8": "fp8", "e4m3": "fp8", "e5m2": "fp8",
    "int8": "int8",
}


class _LookupMessage(KeyError):
    def __str__(self) -> str:  # KeyError would print the message with quotes around it
        return str(self.args[0]) if self.args else ""


class UnknownGPUError(_LookupMessage):
    """An accelerator id or name that the registry does not know (message lists the known ids)."""


class UnknownDtypeError(_LookupMessage):
    """A dtype the accelerator's datasheet gives no peak rate for (message lists the ones it has)."""


@dataclass(frozen=True)
class Datasheet:
    """Where a record's numbers come from.

    ``url`` is the vendor document; ``checked_via`` names the copies actually
    read to confirm the figures (the vendor PDF itself is not always reachable
    from a sandbox), so a reader can see how each record was verified.
    """

    title: str
    url: str
    checked_via: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class GPU:
    """One accelerator's datasheet figures (see the module docstring for units)."""

    id: str
    name: str
    peak_flop_per_s: Mapping[str, float] = field(hash=False)
    hbm_bytes: float
    hbm_bandwidth: float
    nvlink_bandwidth: float | None
    tdp: float | None
    source: Datasheet
    vendor: str = "NVIDIA"
    memory_type: str = ""
    aliases: tuple[str, ...] = ()
    notes: str = ""

    def __post_init__(self):
        if not re.fullmatch(r"[a-z0-9][a-z0-9_]*", self.id):
            raise ValueError(f"GPU id {self.id!r}: use lower-case letters, digits and underscores")
        peaks = {}
        for key, value in dict(self.peak_flop_per_s).items():
            canon = DTYPE_ALIASES.get(key.lower())
            if canon is None:
                raise ValueError(f"GPU {self.id}: unknown dtype {key!r}; known: {sorted(set(DTYPE_ALIASES.values()))}")
            peaks[canon] = _positive(value, f"GPU {self.id}: peak_flop_per_s[{key!r}]")
        if not peaks:
            raise ValueError(f"GPU {self.id}: give at least one peak rate")
        object.__setattr__(self, "peak_flop_per_s", types.MappingProxyType(peaks))
        _positive(self.hbm_bytes, f"GPU {self.id}: hbm_bytes")
        _positive(self.hbm_bandwidth, f"GPU {self.id}: hbm_bandwidth")
        if self.nvlink_bandwidth is not None:
            _positive(self.nvlink_bandwidth, f"GPU {self.id}: nvlink_bandwidth")
        if self.tdp is not None:
            _positive(self.tdp, f"GPU {self.id}: tdp")
        if not isinstance(self.source, Datasheet):
            raise TypeError(f"GPU {self.id}: source must be a Datasheet(title, url)")

    @property
    def dtypes(self) -> tuple[str, ...]:
        """The dtype keys this part has a peak rate for."""
        return tuple(self.peak_flop_per_s)

    def peak(self, dtype: str = "bf16") -> float:
        """Peak dense rate for ``dtype`` in FLOP/s per device (a float); see :func:`peak_flop_per_s`."""
        canon = DTYPE_ALIASES.get(str(dtype).lower().replace("-", "").replace(" ", ""))
        if canon is None or canon not in self.peak_flop_per_s:
            raise UnknownDtypeError(
                f"{self.name} has no datasheet peak for dtype {dtype!r}; "
                f"available: {', '.join(self.dtypes)}")
        return self.peak_flop_per_s[canon]


def _positive(value, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{what}: expected a number, got {value!r}")
    v = float(value)
    if not v > 0 or v != v or v == float("inf"):
        raise ValueError(f"{what}: must be a positive finite number, got {value!r}")
    return v


# --------------------------------------------------------------------------- datasheets
T = 1e12  # tera
G = 1e9   # giga (decimal, as the datasheets write GB and GB/s)
GIB = 2**30

_A100_SHEET = Datasheet(
    title="NVIDIA A100 Tensor Core GPU datasheet (1758950-r4, 2021), table 'NVIDIA A100 Tensor Core GPU "
          "Specifications (SXM4 and PCIe form factors)'",
    url="https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/a100/pdf/"
        "nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf",
    checked_via=("https://glennklockwood.com/garden/processors/A100 (table citing the r4 datasheet)",
                 "https://fudzilla.com/news/ai/50832-nvidia-unveils-the-a100-tensor-core-gpu (400 W, 600 GB/s)"),
    note="Tensor rates in the datasheet are listed as dense | with sparsity (e.g. BF16 312 | 624 TFLOPS); "
         "we store the dense figure.",
)
_H100_SHEET = Datasheet(
    title="NVIDIA H100 Tensor Core GPU datasheet (H100 SXM / H100 PCIe) and NVIDIA H100 Tensor Core GPU "
          "Architecture whitepaper (GTC22), Table 3 for the dense tensor rates",
    url="https://resources.nvidia.com/en-us-tensor-core/nvidia-tensor-core-gpu-datasheet",
    checked_via=("https://archive-lib.hpctech.co.jp/gpuproduct/nvidia-h100.html (datasheet table: SXM vs PCIe, "
                 "'* Shown with sparsity. Specifications 1/2 lower without sparsity.')",
                 "https://glennklockwood.com/garden/processors/h100 (whitepaper dense rates 494.7/989.4/1978.9)",
                 "NVIDIA H100 PCIe product brief PB-11133-001_v02 (TDP 350 W, >2,000 GB/s), via manuals.plus"),
    note="The datasheet's tensor rates are with sparsity (TF32 989*, BF16/FP16 1,979*, FP8/INT8 3,958* for SXM; "
         "756*, 1,513*, 3,026* for PCIe); dense = half, to the whitepaper's precision. Whitepaper URL: "
         "https://resources.nvidia.com/en-us-tensor-core/gtc22-whitepaper-hopper",
)
_H200_SHEET = Datasheet(
    title="NVIDIA H200 Tensor Core GPU datasheet / product specifications (H200 SXM)",
    url="https://www.nvidia.com/en-us/data-center/h200/",
    checked_via=("https://lzwjava.github.io/nvidia-h200-gpu-specs-en (141 GB, 4.8 TB/s, FP8 3,958* = H100 SXM)",
                 "https://geektopia.es (141 GB HBM3e, 4.8 TB/s, 700 W, NVLink 900 GB/s)"),
    note="Same GH100 compute as H100 SXM (identical with-sparsity figures); only memory differs.",
)
_H800_SHEET = Datasheet(
    title="NVIDIA H800 Tensor Core GPU datasheet (H800 SXM5)",
    url="https://www.nvidia.cn/data-center/h800/",
    checked_via=("https://www.tumgag.com/tag/nvidia%20h100 and https://www.philisun.com (NVLink 400 GB/s, "
                 "FP64 1 TFLOPS, same low-precision compute and 3.35 TB/s as H100 SXM)",),
    note="Vendor URL not opened from the sandbox; figures cross-checked against secondary sources. "
         "H800 = H100 SXM silicon with NVLink cut to 400 GB/s and FP64 cut to 1 TFLOPS.",
)
_V100_SHEET = Datasheet(
    title="NVIDIA V100 Tensor Core GPU datasheet (volta-v100-datasheet-update-us-1165301-r5), column V100 SXM2",
    url="https://images.nvidia.com/content/technologies/volta/pdf/volta-v100-datasheet-update-us-1165301-r5.pdf",
    checked_via=("https://developer.nvidia.com/programming-tensor-cores-cuda-9-0 (125 Tensor TFLOPS)",
                 "huggingface.co RajBhope/gpu-runtime-predictor gpu_catalog.json (15.7 TF, 900 GB/s, 300 W)"),
    note="Tensor Performance 125 TFLOPS is FP16 multiply with FP32 accumulate; Volta has no BF16/TF32.",
)
_TPU_V3_SHEET = Datasheet(
    title="Cloud TPU v3 system architecture (Google Cloud documentation), table 'Key specifications'",
    url="https://cloud.google.com/tpu/docs/v3",
    checked_via=("https://docs.cloud.google.com/tpu/docs/v3.md.txt",),
    note="Peak compute per chip 123 teraflops (bf16); HBM2 32 GiB, 900 GBps; measured min/mean/max power "
         "123/220/262 W (no TDP given).",
)
_TPU_V4_SHEET = Datasheet(
    title="Cloud TPU v4 system architecture (Google Cloud documentation), table 'Key specifications'",
    url="https://cloud.google.com/tpu/docs/v4",
    checked_via=("https://docs.cloud.google.com/tpu/docs/v4",),
    note="Peak compute per chip 275 teraflops (bf16 or int8); HBM2 32 GiB, 1200 GBps; measured "
         "min/mean/max power 90/170/192 W (no TDP given).",
)

# A100 SXM4 compute (datasheet column 'A100 80GB SXM' and the 40GB part: 'same FLOPS').
_A100_PEAKS = {
    "fp64": 9.7 * T,          # datasheet: FP64 9.7 TFLOPS
    "fp64_tensor": 19.5 * T,  # datasheet: FP64 Tensor Core 19.5 TFLOPS
    "fp32": 19.5 * T,         # datasheet: FP32 19.5 TFLOPS
    "tf32": 156 * T,          # datasheet: TF32 Tensor Core 156 | 312* TFLOPS (dense | sparse)
    "bf16": 312 * T,          # datasheet: BFLOAT16 Tensor Core 312 | 624* TFLOPS
    "fp16": 312 * T,          # datasheet: FP16 Tensor Core 312 | 624* TFLOPS
    "int8": 624 * T,          # datasheet: INT8 Tensor Core 624 | 1,248* TOPS
}
# H100 SXM5 compute: non-tensor rates from the datasheet; dense tensor rates = datasheet sparse / 2,
# to the whitepaper's precision (Table 3: 494.7 / 989.4 / 1978.9 TFLOPS).
_H100_SXM_PEAKS = {
    "fp64": 34 * T,             # datasheet: FP64 34 teraFLOPS
    "fp64_tensor": 67 * T,      # datasheet: FP64 Tensor Core 67 teraFLOPS
    "fp32": 67 * T,             # datasheet: FP32 67 teraFLOPS
    "tf32": 494.7 * T,          # datasheet 989* (sparse); whitepaper dense 494.7
    "bf16": 989.4 * T,          # datasheet 1,979* (sparse); whitepaper dense 989.4
    "fp16": 989.4 * T,          # datasheet 1,979* (sparse); whitepaper dense 989.4
    "fp8": 1978.9 * T,          # datasheet 3,958* (sparse); whitepaper dense 1978.9
    "int8": 1978.9 * T,         # datasheet 3,958* TOPS (sparse); whitepaper dense 1978.9
}
_H100_PCIE_PEAKS = {
    "fp64": 26 * T,             # datasheet: FP64 26 teraFLOPS
    "fp64_tensor": 51 * T,      # datasheet: FP64 Tensor Core 51 teraFLOPS
    "fp32": 51 * T,             # datasheet: FP32 51 teraFLOPS
    "tf32": 378 * T,            # datasheet 756* (sparse) / 2
    "bf16": 756 * T,            # datasheet 1,513* (sparse) / 2 (whitepaper: 756)
    "fp16": 756 * T,            # datasheet 1,513* (sparse) / 2 (whitepaper: 756)
    "fp8": 1513 * T,            # datasheet 3,026* (sparse) / 2
    "int8": 1513 * T,           # datasheet 3,026* TOPS (sparse) / 2
}
_H800_SXM_PEAKS = dict(_H100_SXM_PEAKS, fp64=1 * T, fp64_tensor=1 * T)  # H800 datasheet: FP64 1 teraFLOPS
_V100_SXM2_PEAKS = {
    "fp64": 7.8 * T,            # datasheet V100 SXM2: Double-Precision 7.8 teraFLOPS
    "fp32": 15.7 * T,           # datasheet V100 SXM2: Single-Precision 15.7 teraFLOPS
    "fp16": 125 * T,            # datasheet V100 SXM2: Tensor Performance 125 teraFLOPS (FP16 tensor cores)
}

_BUILTIN = [
    GPU(id="a100_40gb_sxm", name="NVIDIA A100 40GB SXM4",
        peak_flop_per_s=_A100_PEAKS,
        hbm_bytes=40 * G,                # datasheet: 40GB HBM2
        hbm_bandwidth=1555 * G,          # datasheet: 1,555GB/s
        nvlink_bandwidth=600 * G,        # datasheet: NVLink 600GB/s
        tdp=400,                         # datasheet: Max TDP 400W
        source=_A100_SHEET, memory_type="HBM2", aliases=("a100", "a100_40gb", "a100 sxm", "a100-sxm4-40gb")),
    GPU(id="a100_80gb_sxm", name="NVIDIA A100 80GB SXM4",
        peak_flop_per_s=_A100_PEAKS,
        hbm_bytes=80 * G,                # datasheet: 80GB HBM2e
        hbm_bandwidth=2039 * G,          # datasheet: 2,039GB/s
        nvlink_bandwidth=600 * G,        # datasheet: NVLink 600GB/s
        tdp=400,                         # datasheet: Max TDP 400W
        source=_A100_SHEET, memory_type="HBM2e", aliases=("a100_80gb", "a100-sxm4-80gb")),
    GPU(id="h100_sxm", name="NVIDIA H100 SXM5 80GB",
        peak_flop_per_s=_H100_SXM_PEAKS,
        hbm_bytes=80 * G,                # datasheet: GPU memory 80GB (HBM3)
        hbm_bandwidth=3.35 * T,          # datasheet: GPU memory bandwidth 3.35TB/s
        nvlink_bandwidth=900 * G,        # datasheet: NVLink 900GB/s
        tdp=700,                         # datasheet: Max TDP up to 700W (configurable)
        source=_H100_SHEET, memory_type="HBM3", aliases=("h100", "h100_80gb", "h100 sxm5")),
    GPU(id="h100_pcie", name="NVIDIA H100 PCIe 80GB",
        peak_flop_per_s=_H100_PCIE_PEAKS,
        hbm_bytes=80 * G,                # datasheet: GPU memory 80GB (HBM2e)
        hbm_bandwidth=2.0 * T,           # datasheet: GPU memory bandwidth 2TB/s
        nvlink_bandwidth=600 * G,        # datasheet: NVLink bridge 600GB/s
        tdp=350,                         # datasheet: Max TDP 300-350W (configurable); product brief 350 W
        source=_H100_SHEET, memory_type="HBM2e", aliases=("h100 pcie", "h100-pcie-80gb")),
    GPU(id="h200_sxm", name="NVIDIA H200 SXM 141GB",
        peak_flop_per_s=_H100_SXM_PEAKS,  # same compute as H100 SXM (datasheet figures identical)
        hbm_bytes=141 * G,               # datasheet: GPU memory 141GB (HBM3e)
        hbm_bandwidth=4.8 * T,           # datasheet: GPU memory bandwidth 4.8TB/s
        nvlink_bandwidth=900 * G,        # datasheet: NVLink 900GB/s
        tdp=700,                         # datasheet: Max TDP up to 700W
        source=_H200_SHEET, memory_type="HBM3e", aliases=("h200", "h200_141gb")),
    GPU(id="h800_sxm", name="NVIDIA H800 SXM5 80GB",
        peak_flop_per_s=_H800_SXM_PEAKS,
        hbm_bytes=80 * G,                # datasheet: GPU memory 80GB
        hbm_bandwidth=3.35 * T,          # datasheet: GPU memory bandwidth 3.35TB/s
        nvlink_bandwidth=400 * G,        # datasheet: NVLink 400GB/s
        tdp=700,                         # datasheet: Max TDP up to 700W
        source=_H800_SHEET, memory_type="HBM3", aliases=("h800",)),
    GPU(id="v100_sxm2_32gb", name="NVIDIA V100 SXM2 32GB",
        peak_flop_per_s=_V100_SXM2_PEAKS,
        hbm_bytes=32 * G,                # datasheet: Capacity 32/16 GB HBM2
        hbm_bandwidth=900 * G,           # datasheet: Bandwidth 900 GB/sec
        nvlink_bandwidth=300 * G,        # datasheet: Interconnect Bandwidth NVLink 300 GB/sec
        tdp=300,                         # datasheet: Max Power Consumption 300 WATTS
        source=_V100_SHEET, memory_type="HBM2", aliases=("v100", "v100_32gb", "tesla v100")),
    GPU(id="v100_sxm2_16gb", name="NVIDIA V100 SXM2 16GB",
        peak_flop_per_s=_V100_SXM2_PEAKS,
        hbm_bytes=16 * G,                # datasheet: Capacity 32/16 GB HBM2
        hbm_bandwidth=900 * G,           # datasheet: Bandwidth 900 GB/sec
        nvlink_bandwidth=300 * G,        # datasheet: NVLink 300 GB/sec
        tdp=300,                         # datasheet: Max Power Consumption 300 WATTS
        source=_V100_SHEET, memory_type="HBM2", aliases=("v100_16gb",)),
    GPU(id="tpu_v3", name="Google Cloud TPU v3 (per chip)", vendor="Google",
        peak_flop_per_s={"bf16": 123 * T},  # docs: Peak compute per chip 123 teraflops (bf16)
        hbm_bytes=32 * GIB,              # docs: HBM2 capacity 32 GiB
        hbm_bandwidth=900 * G,           # docs: HBM2 bandwidth 900 GBps
        nvlink_bandwidth=None, tdp=None,  # ICI, not NVLink; docs give measured power only (123/220/262 W)
        source=_TPU_V3_SHEET, memory_type="HBM2", aliases=("tpuv3", "tpu v3", "v3")),
    GPU(id="tpu_v4", name="Google Cloud TPU v4 (per chip)", vendor="Google",
        peak_flop_per_s={"bf16": 275 * T, "int8": 275 * T},  # docs: 275 teraflops (bf16 or int8)
        hbm_bytes=32 * GIB,              # docs: HBM2 capacity 32 GiB
        hbm_bandwidth=1200 * G,          # docs: HBM2 bandwidth 1200 GBps
        nvlink_bandwidth=None, tdp=None,  # ICI, not NVLink; docs give measured power only (90/170/192 W)
        source=_TPU_V4_SHEET, memory_type="HBM2", aliases=("tpuv4", "tpu v4", "v4")),
]

#: The registry: id -> GPU record. Add your own with :func:`register_gpu`.
GPUS: dict[str, GPU] = {}
#: What a bare family name means (documented defaults of :func:`get_gpu`).
DEFAULTS: dict[str, str] = {
    "A100": "a100_40gb_sxm",  # the leak's "A100" and its "40 GB A100" memory remark; compute is the same at 80GB
    "H100": "h100_sxm",
    "H200": "h200_sxm",
    "H800": "h800_sxm",
    "V100": "v100_sxm2_32gb",
    "TPU v3": "tpu_v3",
    "TPU v4": "tpu_v4",
}
_ALIASES: dict[str, str] = {}


def _norm(text: str) -> str:
    s = str(text).lower()
    for noise in ("nvidia", "tesla", "tensor core gpu", "google", "cloud"):
        s = s.replace(noise, "")
    return re.sub(r"[^a-z0-9]", "", s)


def register_gpu(gpu: GPU, overwrite: bool = False) -> GPU:
    """Add an accelerator record to :data:`GPUS` (and its name and aliases to the look-up).

    Raises ``ValueError`` when the id is taken and ``overwrite`` is false, or
    when an alias already points at another record.
    """
    if not isinstance(gpu, GPU):
        raise TypeError(f"register_gpu: expected a GPU record, got {type(gpu).__name__}")
    if gpu.id in GPUS and not overwrite:
        raise ValueError(f"register_gpu: id {gpu.id!r} is already registered (pass overwrite=True to replace it)")
    keys = {_norm(gpu.id), _norm(gpu.name), *(_norm(a) for a in gpu.aliases)}
    for key in keys:
        owner = _ALIASES.get(key)
        if owner is not None and owner != gpu.id and not overwrite:
            raise ValueError(f"register_gpu: name or alias {key!r} of {gpu.id!r} already means {owner!r}")
    GPUS[gpu.id] = gpu
    for key in keys:
        _ALIASES[key] = gpu.id
    return gpu


for _gpu in _BUILTIN:
    register_gpu(_gpu)
for _family, _gid in DEFAULTS.items():
    _ALIASES[_norm(_family)] = _gid


def get_gpu(id_or_name: str | GPU) -> GPU:
    """Look up an accelerator by id, name or alias, forgivingly.

    Case, spaces, dashes and underscores do not matter, nor the words
    "NVIDIA", "Tesla", "Google", "Cloud": ``"A100"``, ``"a100-40gb"``,
    ``"NVIDIA A100 80GB SXM4"``, ``"H100"``, ``"TPU v4"`` all work. A bare
    family name gives the default in :data:`DEFAULTS`. A :class:`GPU` is
    returned as is.

    Raises
    ------
    UnknownGPUError
        (a ``KeyError``) listing the known ids, when nothing matches.
    """
    if isinstance(id_or_name, GPU):
        return id_or_name
    if not isinstance(id_or_name, str) or not id_or_name.strip():
        raise UnknownGPUError(f"get_gpu: expected an accelerator id or name, got {id_or_name!r}")
    if id_or_name in GPUS:
        return GPUS[id_or_name]
    key = _norm(id_or_name)
    gid = _ALIASES.get(key)
    if gid is None:
        # "a100 sxm 80gb" written in another order: try the registered names with the words sorted
        words = sorted(re.findall(r"[a-z]+|\d+", str(id_or_name).lower()))
        for gpu in GPUS.values():
            for cand in (gpu.id, gpu.name, *gpu.aliases):
                if sorted(re.findall(r"[a-z]+|\d+", cand.lower().replace("nvidia", ""))) == words:
                    gid = gpu.id
                    break
            if gid:
                break
    if gid is None:
        raise UnknownGPUError(
            f"unknown accelerator {id_or_name!r}; known ids: {', '.join(sorted(GPUS))} "
            f"(families: {', '.join(f'{k} -> {v}' for k, v in DEFAULTS.items())}); "
            "add your own with gpt4leak.hardware.register_gpu")
    return GPUS[gid]


def peak_flop_per_s(gpu: str | GPU, dtype: str = "bf16") -> pint.Quantity:
    """Peak dense rate of one device for ``dtype``, as a Quantity in FLOP/s/GPU.

    Parameters
    ----------
    gpu : str or GPU
        Accelerator id, name or alias (see :func:`get_gpu`).
    dtype : str
        "bf16" (default), "fp16", "tf32", "fp32", "fp8", "int8", "fp64" or an alias
        ("bfloat16", "half"...). The part must have a datasheet figure for it.

    Notes
    -----
    Dense rates: NVIDIA's Ampere/Hopper headline tensor figures include 2:4
    sparsity, which doubles them; those are not used here. For int8 the rate is
    integer operations per second, expressed in FLOP units.

    References
    ----------
    The record's ``source`` (see :data:`GPUS`).
    """
    return Q_(get_gpu(gpu).peak(dtype), "FLOP/s/GPU")


def memory_bandwidth(gpu: str | GPU) -> pint.Quantity:
    """HBM bandwidth of one device as a Quantity in byte/s/GPU (the unit the inference formulas take)."""
    return Q_(get_gpu(gpu).hbm_bandwidth, "byte/s/GPU")


def memory_bytes(gpu: str | GPU) -> pint.Quantity:
    """HBM capacity of one device as a Quantity in byte/GPU."""
    return Q_(get_gpu(gpu).hbm_bytes, "byte/GPU")


def interconnect_bandwidth(gpu: str | GPU) -> pint.Quantity:
    """NVLink bandwidth of one device (total, bidirectional, as datasheets state it) in byte/s/GPU.

    Raises ``ValueError`` for parts without NVLink (TPUs use ICI, not listed here).
    """
    g = get_gpu(gpu)
    if g.nvlink_bandwidth is None:
        raise ValueError(f"{g.name} has no NVLink figure in its datasheet record")
    return Q_(g.nvlink_bandwidth, "byte/s/GPU")
