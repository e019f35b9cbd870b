"""Accelerator datasheets: peak dense FLOP/s per dtype, HBM size and bandwidth, interconnect, power.

Every number is written as its datasheet writes it, with the datasheet named
beside it (astropy's habit of keeping each published parameter set next to
its citation). Peak rates are **dense**: NVIDIA's headline tensor figures for
Ampere, Hopper and Blackwell are "shown with sparsity" (2:4 structured
sparsity, twice the dense rate); we store the dense rate and say where it
comes from. AMD's MI300X figures and Google's TPU figures are dense as
published.

Units of the record fields (plain floats, per device):

================== ========================================================
field               unit
================== ========================================================
peak_flop_per_s     FLOP/s per device, by dtype key ("fp32", "tf32", "bf16",
                    "fp16", "fp8", "fp4", "int8", "fp64", "fp64_tensor");
                    int8 is integer operations per second (TOPS) counted as
                    FLOP
hbm_bytes           byte, in the unit the document writes: decimal GB as
                    NVIDIA and AMD write "80GB" / "192 GB"; Google's TPU v3
                    and v4 pages write GiB (kept as GiB), its v5e and v5p
                    'Key specifications' tables write GB (kept as GB)
hbm_bandwidth       byte/s (decimal, "2,039 GB/s" = 2.039e12)
nvlink_bandwidth    byte/s, total bidirectional per GPU as the datasheet
                    states it ("NVLink: 600GB/s"); None where not NVLink
tdp                 W (maximum thermal design power); None where the vendor
                    gives no TDP
================== ========================================================

Look-ups are forgiving: ``get_gpu("A100")``, ``get_gpu("a100-80gb")``,
``get_gpu("H100")``, ``get_gpu("Hopper")``. The documented defaults for bare
product and architecture names are in :data:`DEFAULTS`; the members of each
architecture family are in :data:`FAMILIES`, and :func:`family_range` gives
the spread of a figure over a family (for a claim that names only "Hopper").
:func:`peak_flop_per_s` returns a pint Quantity in FLOP/s/GPU, the unit the
formulas take.

Note on memory: NVIDIA's "40GB" A100 physically carries 40 GiB of HBM
(nvidia-smi shows 40,960 MiB); we keep the datasheet's decimal figure, a 7%
difference worth remembering when a claim sits at the edge of what fits.

References
----------
Citation keys (docs/references.md) of the Blackwell, MI300X and TPU v5
records: nvidia_blackwell_datasheet, amd_cdna3_whitepaper, google_tpu_v5e,
google_tpu_v5p. Every record names its document in ``source``.
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
    "FAMILIES",
    "DTYPE_ALIASES",
    "UnknownGPUError",
    "UnknownDtypeError",
    "get_gpu",
    "family_range",
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
    # Blackwell's 4-bit float (E2M1 elements; NVIDIA quotes its rate as "NVFP4" / "FP4 Tensor Core")
    "fp4": "fp4", "float4": "fp4", "e2m1": "fp4", "nvfp4": "fp4", "mxfp4": "fp4",
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

_BLACKWELL_URL = "https://nvdam.widen.net/s/wwnsxrhm2w/blackwell-datasheet-3384703"
_BLACKWELL_CHECKED = (
    "a markdown transcription of the datasheet (headed 'Source: https://nvdam.widen.net/s/wwnsxrhm2w/"
    "blackwell-datasheet-3384703'; tables 'Product Specifications' and 'Individual Blackwell GPU "
    "Specifications', columns GB200 NVL72 / GB200 NVL4 / HGX B200, with the note 'Total NVFP4 Tensor Core specs "
    "shown as sparse | dense. All other Tensor Core specs are sparse; dense is one-half of the sparse value')",
    "the same per-GPU table (GB200 NVL72 | HGX B200 columns) in "
    "zdszero.github.io/Computer/Artificial_Intelligence/Hardware.html, and review notes quoting its footnote "
    "'All Tensor Core numbers except FP64 with sparsity'",
    "glennklockwood.com/garden/processors/B200 (dense | sparse by dtype: HGX B200 at 1,000 W, GB200 at 1,200 W)",
)
_B200_SHEET = Datasheet(
    title="NVIDIA Blackwell datasheet (3384703), table 'Individual Blackwell GPU Specifications', "
          "column HGX B200 (per GPU)",
    url=_BLACKWELL_URL,
    checked_via=_BLACKWELL_CHECKED + (
        "DGX B200 datasheet as quoted in several copies (8x B200, '1,440GB total GPU memory', '72 petaFLOPS "
        "training and 144 petaFLOPS inference'; 1,440 / 8 = 180 GB)",
        "github.com/pytorch/ao pull 4002 (B200 bus 7,680 bits x 3,996 MHz x 2 = 7.67 TB/s, from the driver)",
    ),
    note="Tensor Core rates in the datasheet are with sparsity (FP4 18, FP8/FP6 9, INT8 9 POPS, FP16/BF16 4.5, "
         "TF32 2.2 PFLOPS per HGX B200 GPU); dense = half, as the datasheet's own note says. FP32 75 and "
         "FP64/FP64 Tensor Core 37 TFLOPS are dense. Memory: this datasheet gives 180 GB HBM3E | 7.7 TB/s per "
         "HGX B200 GPU (total 'Up to 62TB/s' for 8). NVIDIA's launch figures were 192 GB and 8 TB/s (as AMD's "
         "CDNA 3 white paper, endnote MI325-001A, cites NVIDIA's Blackwell page: 'HGX B200 (192GB) ... 8 TB/s'), "
         "and the DGX B200 datasheet gives 1,440 GB for 8 GPUs (180 GB each) and, in a secondary copy only, "
         "64 TB/s (8 TB/s each): 8 TB/s is also a vendor figure. We keep the per-GPU table (180 GB, 7.7 TB/s), "
         "which agrees with the 7,680-bit bus at 3,996 MHz that the driver reports (pytorch/ao #4002: "
         "7.67 TB/s); family_range('Blackwell', 'hbm_bandwidth') spans 7.7 to 8 TB/s.",
)
_GB200_SHEET = Datasheet(
    title="NVIDIA Blackwell datasheet (3384703), table 'Individual Blackwell GPU Specifications', "
          "column GB200 NVL72 (per GPU; a GB200 superchip is 1 Grace CPU + 2 Blackwell GPUs, an NVL72 rack "
          "72 GPUs)",
    url=_BLACKWELL_URL,
    checked_via=_BLACKWELL_CHECKED + (
        "MLPerf Inference v6.1 system description GB200-NVL72_GB200-186GB (186 GB HBM3e per GPU)",),
    note="The datasheet states this column per GPU; the rack totals of the same sheet divided by 72 agree "
         "(FP8/FP6 720 PFLOPS / 72 = 10, NVFP4 1,440 | 720 / 72 = 20 | 10, memory bandwidth 576 TB/s / 72 = "
         "8 TB/s, NVLink 130 TB/s / 72 = 1.8 TB/s). Tensor Core rates are with sparsity (FP4 20, FP8/FP6 10, "
         "INT8 10 POPS, FP16/BF16 5, TF32 2.5 PFLOPS); dense = half. FP32 80 and FP64 40 TFLOPS are dense. "
         "HBM: 186 GB per GPU here; NVIDIA's earlier GB200 pages gave 384 GB per superchip (= 192 GB per GPU) "
         "and 'up to 13.5TB' per rack (seen only in secondary copies); we keep the datasheet's 186 GB. "
         "'Total Fast Memory 31 TB' is more than 72 x 186 GB = 13.4 TB of HBM: it counts CPU memory too. "
         "TDP 'Configurable up to 1,200 W' is per GPU; the superchip's total power is not used.",
)
_MI300X_SHEET = Datasheet(
    title="AMD CDNA 3 architecture white paper ('Introducing AMD CDNA 3 Architecture', PID#2258402-B), "
          "Table 1 and endnotes MI300-11, MI300-13; ROCm documentation 'AMD Instinct MI300 series "
          "microarchitecture', table 'Peak-performance capabilities of the MI300X'",
    url="https://www.amd.com/content/dam/amd/en/documents/instinct-tech-docs/white-papers/amd-cdna-3-white-paper.pdf",
    checked_via=(
        "a text conversion of the CDNA 3 white paper PDF (the amd.com URL above, 2025 edition): Table 1; "
        "'HBM3 memory is 192GB on Instinct MI300X ... 5.3 TB/s peak theoretical memory bandwidth'; endnote "
        "MI300-11 (MI300X (750W), 2,100 MHz: FP64 Matrix 163.4, FP64 81.7, FP32 163.4, TF32 653.7, "
        "FP16 1307.4, BF16 1307.4, FP8 2614.9 TFLOPS, INT8 2614.9 TOPs); endnote MI300-13 (750W, 192 GB HBM3, "
        "5.325 TB/s)",
        "ROCm docs source docs/conceptual/gpu-arch/mi300.md (github ROCm/legacy-rocm-build): the same per-dtype "
        "peaks, 'theoretical aggregated peak memory bandwidth of the GPU is 5.3 TB per second'",
        "github.com/alpharomercoma/MI300X-vs-H200 METHODOLOGY.md (BF16 dense 1307.4, FP8 dense 2614.9, "
        "5.3 TB/s, 192 GB, TBP 750 W)",
    ),
    note="AMD's peak figures are dense; structured sparsity (2 of every 4 values zero) 'enables doubling the "
         "computational throughput' (white paper); such doubled figures are not used. TF32: the white paper's "
         "Table 1 prints 490.3, but its own endnote MI300-11 and the ROCm table give 653.7 (= 1024 "
         "FLOPS/clock/CU x 304 CUs x 2.1 GHz); we keep 653.7. HBM: the white paper writes 192GB (a ROCm "
         "architecture-information table writes 192 GiB); kept as the white paper's decimal 192 GB. Bandwidth "
         "5.3 TB/s as headlined (endnote: 5.325 TB/s = 8,192 bits x 5.2 Gbps / 8). Power is the 750 W of the "
         "MI300X OAM accelerator in AMD's endnotes (board power), stored as tdp. The GPU-to-GPU link is AMD "
         "Infinity Fabric (7 links per OAM), not NVLink: nvlink_bandwidth is None. Third-party pages that list "
         "'2,615 TFLOPS FP16 dense' or '330.6 TFLOPS FP16' disagree with AMD; AMD's figures are used.",
)
_TPU_V5E_SHEET = Datasheet(
    title="Cloud TPU v5e (Google Cloud documentation), table 'Key chip specifications'",
    url="https://cloud.google.com/tpu/docs/v5e",
    checked_via=("https://cloud.Google.com/tpu/docs/v5e (English, table 'Key chip specifications': Peak compute "
                 "per chip (bf16) 197 TFLOPs, (Int8) 393 TFLOPs, HBM2 capacity and bandwidth 16 GB, 819 GBps)",
                 "docs.cloud.google.com/tpu/docs/v5e in es, es-419, it, ja, pt (197 TFLOPS, 16 GB, 819 GBps)",
                 "docs.cloud.google.com/tpu/docs/v5e?authuser=6 (a later layout: 197 TFLOPs, 393 TOPs (Int8), "
                 "16 GB, 'HBM bandwidth per chip 800 GiBps')"),
    note="Peak compute per chip 197 teraflops bf16 and 393 int8: one figure each, the page says nothing of "
         "sparsity (no 'with sparsity' variant as NVIDIA prints); stored as dense rates. A later "
         "revision of the same page writes the bandwidth as '800 GiBps' (= 859 GB/s) where the 'Key chip "
         "specifications' table writes 819 GBps; we keep 819 GBps. HBM kept as written: 16 GB. ICI "
         "(400 GBps bidirectional per chip), not NVLink; no power figure given.",
)
_TPU_V5P_SHEET = Datasheet(
    title="Cloud TPU v5p (Google Cloud documentation), table 'Key specifications'",
    url="https://cloud.google.com/tpu/docs/v5p",
    checked_via=("https://cloud.google.com/tpu/docs/v5p-training (English, 'Key specifications': Peak compute per "
                 "chip (bf16) 459 TFLOPs, HBM2e capacity and bandwidth 95GB, 2765 GBps)",
                 "cloud.google.com/tpu/docs/v5p in pt-br, es-419, it, zh-CN, ja (459 TFLOPS, 95 GB, 2765 GBps)",
                 "docs.cloud.google.com/tpu/docs/v5p-training?authuser=3 (a later layout: 'Peak compute per chip "
                 "(BF16) (TFLOPs) 459', '(FP8) (TFLOPs) 459', 'HBM capacity per chip (GiB) 95', 'HBM bandwidth "
                 "per chip (GBps) 2765')"),
    note="Peak compute per chip 459 teraflops bf16: one figure, the page says nothing of sparsity (no "
         "'with sparsity' variant as NVIDIA prints); stored as the dense rate, as for v3 and v4. No int8 figure "
         "in the documentation tables read: the '918 TOPS int8' seen in reports of Google's v5p announcement "
         "blog was not read in a Google document, so no int8 rate is stored; nor the later layout's 'FP8 459'. "
         "HBM kept as the 'Key specifications' table writes it, 95GB (the later layout says 95 GiB, 7% more). "
         "ICI, not NVLink; no power figure.",
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

# B200 (HGX B200 column of the Blackwell datasheet): tensor rates there are with sparsity, dense = 1/2.
_B200_PEAKS = {
    "fp64": 37 * T,             # datasheet: FP64/FP64 Tensor Core 37 TFLOPS (not a sparse figure)
    "fp64_tensor": 37 * T,      # datasheet: FP64/FP64 Tensor Core 37 TFLOPS
    "fp32": 75 * T,             # datasheet: FP32 75 TFLOPS
    "tf32": 1100 * T,           # datasheet: TF32 Tensor Core 2.2 PFLOPS (sparse) / 2
    "bf16": 2250 * T,           # datasheet: FP16/BF16 Tensor Core 4.5 PFLOPS (sparse) / 2
    "fp16": 2250 * T,           # datasheet: FP16/BF16 Tensor Core 4.5 PFLOPS (sparse) / 2
    "fp8": 4500 * T,            # datasheet: FP8/FP6 Tensor Core 9 PFLOPS (sparse) / 2
    "int8": 4500 * T,           # datasheet: INT8 Tensor Core 9 POPS (sparse) / 2
    "fp4": 9000 * T,            # datasheet: FP4 Tensor Core 18 PFLOPS (sparse) / 2; total NVFP4 144 | 72 / 8 GPUs
}
# GB200 (GB200 NVL72 column, per GPU): the same convention.
_GB200_PEAKS = {
    "fp64": 40 * T,             # datasheet: FP64/FP64 Tensor Core 40 TFLOPS
    "fp64_tensor": 40 * T,      # datasheet: FP64/FP64 Tensor Core 40 TFLOPS
    "fp32": 80 * T,             # datasheet: FP32 80 TFLOPS
    "tf32": 1250 * T,           # datasheet: TF32 Tensor Core 2.5 PFLOPS (sparse) / 2
    "bf16": 2500 * T,           # datasheet: FP16/BF16 Tensor Core 5 PFLOPS (sparse) / 2
    "fp16": 2500 * T,           # datasheet: FP16/BF16 Tensor Core 5 PFLOPS (sparse) / 2
    "fp8": 5000 * T,            # datasheet: FP8/FP6 Tensor Core 10 PFLOPS (sparse) / 2; rack 720 PFLOPS / 72 / 2
    "int8": 5000 * T,           # datasheet: INT8 Tensor Core 10 POPS (sparse) / 2
    "fp4": 10000 * T,           # datasheet: FP4 Tensor Core 20 PFLOPS (sparse) / 2; rack NVFP4 1,440 | 720 / 72
}
# MI300X: AMD publishes dense peaks (CDNA 3 white paper endnote MI300-11, ROCm MI300 table).
_MI300X_PEAKS = {
    "fp64": 81.7 * T,           # white paper: Vector FP64 81.7 TFLOPS
    "fp64_tensor": 163.4 * T,   # white paper: Matrix FP64 163.4 TFLOPS
    "fp32": 163.4 * T,          # white paper: Vector FP32 163.4 TFLOPS
    "tf32": 653.7 * T,          # endnote MI300-11 and ROCm table: TF32 653.7 (white paper Table 1 misprints 490.3)
    "bf16": 1307.4 * T,         # white paper: Matrix BF16 1307.4 TFLOPS
    "fp16": 1307.4 * T,         # white paper: Matrix FP16 1307.4 TFLOPS
    "fp8": 2614.9 * T,          # white paper: Matrix FP8 2614.9 TFLOPS
    "int8": 2614.9 * T,         # white paper: Matrix INT8 2614.9 TOPs
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
        source=_V100_SHEET, memory_type="HBM2",
        aliases=("v100", "v100_32gb", "tesla v100", "v100 dgxs 32gb"),
        notes="Also the 'Tesla V100 DGXS 32 GB' (Epoch AI's name for GPT-3's V100s; the V100 of the DGX "
              "Station, four NVLink-connected V100s): treated as the SXM2 32GB part with the same figures. "
              "That equality is assumed, not checked figure by figure against a DGX Station datasheet."),
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
    GPU(id="tpu_v5e", name="Google Cloud TPU v5e (per chip)", vendor="Google",
        peak_flop_per_s={"bf16": 197 * T,  # docs: Peak compute per chip (bf16) 197 TFLOPs
                         "int8": 393 * T},  # docs: Peak compute per chip (Int8) 393 TFLOPs
        hbm_bytes=16 * G,                # docs: HBM2 capacity and bandwidth 16 GB, 819 GBps
        hbm_bandwidth=819 * G,           # docs: HBM2 capacity and bandwidth 16 GB, 819 GBps
        nvlink_bandwidth=None, tdp=None,  # ICI, not NVLink; docs give no power figure
        source=_TPU_V5E_SHEET, memory_type="HBM2", aliases=("tpuv5e", "tpu v5e", "v5e", "v5litepod")),
    GPU(id="tpu_v5p", name="Google Cloud TPU v5p (per chip)", vendor="Google",
        peak_flop_per_s={"bf16": 459 * T},  # docs: Peak compute per chip (bf16) 459 TFLOPs (no int8 in the table)
        hbm_bytes=95 * G,                # docs: HBM2e capacity and bandwidth 95GB, 2765 GBps
        hbm_bandwidth=2765 * G,          # docs: HBM2e capacity and bandwidth 95GB, 2765 GBps
        nvlink_bandwidth=None, tdp=None,  # ICI, not NVLink; docs give no power figure
        source=_TPU_V5P_SHEET, memory_type="HBM2e", aliases=("tpuv5p", "tpu v5p", "v5p")),
    GPU(id="b200", name="NVIDIA B200 (HGX B200, per GPU)",
        peak_flop_per_s=_B200_PEAKS,
        hbm_bytes=180 * G,               # datasheet: GPU Memory | Bandwidth 180 GB HBM3E | 7.7 TB/s
        hbm_bandwidth=7.7 * T,           # datasheet: 180 GB HBM3E | 7.7 TB/s (launch / DGX B200: 8 TB/s)
        nvlink_bandwidth=1.8 * T,        # datasheet: Interconnect 5th Gen NVLink: 1.8 TB/s
        tdp=1000,                        # datasheet: Max TDP configurable up to 1,000 W
        source=_B200_SHEET, memory_type="HBM3e",
        aliases=("hgx b200", "dgx b200", "b200 sxm", "b200 sxm6", "b200 180gb", "b200-sxm-180gb")),
    GPU(id="gb200", name="NVIDIA GB200 (GB200 NVL72, per GPU)",
        peak_flop_per_s=_GB200_PEAKS,
        hbm_bytes=186 * G,               # datasheet: GPU Memory | Bandwidth 186 GB HBM3E | 8 TB/s
        hbm_bandwidth=8 * T,             # datasheet: 186 GB HBM3E | 8 TB/s (rack: 576 TB/s / 72)
        nvlink_bandwidth=1.8 * T,        # datasheet: 5th Gen NVLink: 1.8 TB/s (rack: 130 TB/s / 72)
        tdp=1200,                        # datasheet: Max TDP configurable up to 1,200 W (per GPU)
        source=_GB200_SHEET, memory_type="HBM3e",
        aliases=("gb200 nvl72", "grace blackwell", "gb200 superchip")),
    GPU(id="mi300x", name="AMD Instinct MI300X", vendor="AMD",
        peak_flop_per_s=_MI300X_PEAKS,
        hbm_bytes=192 * G,               # white paper: HBM3 memory is 192GB on Instinct MI300X
        hbm_bandwidth=5.3 * T,           # white paper: 5.3 TB/s peak theoretical memory bandwidth (endnote: 5.325)
        nvlink_bandwidth=None,           # AMD Infinity Fabric, not NVLink
        tdp=750,                         # endnotes MI300-11/-13: MI300X OAM accelerator 750W (board power)
        source=_MI300X_SHEET, memory_type="HBM3",
        aliases=("amd mi300x", "instinct mi300x", "mi300x oam")),
]

#: The registry: id -> GPU record. Add your own with :func:`register_gpu`.
GPUS: dict[str, GPU] = {}
#: What a bare product or architecture name means (documented defaults of :func:`get_gpu`).
DEFAULTS: dict[str, str] = {
    "A100": "a100_40gb_sxm",  # the leak's "A100" and its "40 GB A100" memory remark; compute is the same at 80GB
    "H100": "h100_sxm",
    "H200": "h200_sxm",
    "H800": "h800_sxm",
    "V100": "v100_sxm2_32gb",
    "TPU v3": "tpu_v3",
    "TPU v4": "tpu_v4",
    "MI300": "mi300x",        # the series' discrete GPU (the MI300A is an APU with 128 GB, not in the registry)
    # architecture names as vendors and the press write them
    "Volta": "v100_sxm2_32gb",  # as "V100"
    "Ampere": "a100_40gb_sxm",  # as "A100"
    "Hopper": "h100_sxm",       # as "H100"
    "Blackwell": "b200",        # the discrete Blackwell GPU (HGX / DGX B200); GB200 is its Grace superchip form
    "TPU v5": "tpu_v5p",        # v5p is the generation's performance (training) part, v5e its cost-efficiency
                                # (inference) part; a bare "TPU v5" in a training claim most plausibly means v5p.
                                # Use family_range("TPU v5", ...) where the choice matters.
    "CDNA 3": "mi300x",         # AMD's architecture name
}
#: Architecture family -> the ids of its members in the registry (see :func:`family_range`).
FAMILIES: dict[str, tuple[str, ...]] = {
    "Volta": ("v100_sxm2_32gb", "v100_sxm2_16gb"),
    "Ampere": ("a100_40gb_sxm", "a100_80gb_sxm"),
    "Hopper": ("h100_sxm", "h100_pcie", "h200_sxm", "h800_sxm"),
    "Blackwell": ("b200", "gb200"),
    "CDNA 3": ("mi300x",),
    "TPU v3": ("tpu_v3",),
    "TPU v4": ("tpu_v4",),
    "TPU v5": ("tpu_v5e", "tpu_v5p"),
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
    ``"NVIDIA A100 80GB SXM4"``, ``"H100"``, ``"TPU v4"``, ``"TPUv4"``,
    ``"tpu-v5p"``, ``"NVIDIA Tesla V100 DGXS 32 GB"`` all work. A bare
    product or architecture name ("Hopper", "NVIDIA Blackwell", "Ampere")
    gives the default in :data:`DEFAULTS`; for the spread over the whole
    family use :func:`family_range`. A :class:`GPU` is returned as is.

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


_RANGE_ATTRIBUTES = ("peak", "hbm_bytes", "hbm_bandwidth", "nvlink_bandwidth")


def _family_of(family_or_gpu: str | GPU) -> tuple[str, tuple[str, ...]]:
    """(family name, member ids) for a family name, or for the family an accelerator belongs to."""
    if isinstance(family_or_gpu, str):
        key = _norm(family_or_gpu)
        for family, members in FAMILIES.items():
            if _norm(family) == key:
                return family, members
    try:
        gpu = get_gpu(family_or_gpu)
    except UnknownGPUError:
        raise UnknownGPUError(
            f"unknown accelerator family or id {family_or_gpu!r}; families: {', '.join(FAMILIES)}; "
            f"known ids: {', '.join(sorted(GPUS))}") from None
    for family, members in FAMILIES.items():
        if gpu.id in members:
            return family, members
    return gpu.name, (gpu.id,)  # a record registered outside any family is a family of its own


def family_range(family_or_gpu: str | GPU, attribute: str, dtype: str = "bf16") -> tuple[float, float]:
    """The (min, max) of one datasheet figure over an architecture family.

    Parameters
    ----------
    family_or_gpu : str or GPU
        A family name of :data:`FAMILIES` ("Hopper", "NVIDIA Blackwell", "TPU v5"; forgiving as
        :func:`get_gpu` is), or any accelerator id, name or alias, meaning the family it belongs to
        (``"H100 PCIe"`` -> Hopper). A record registered outside every family is its own family.
    attribute : str
        ``"peak"`` (dense rate for ``dtype``, FLOP/s per device), ``"hbm_bytes"`` (byte),
        ``"hbm_bandwidth"`` (byte/s) or ``"nvlink_bandwidth"`` (byte/s), in the units of the record fields.
    dtype : str
        The dtype for ``"peak"`` (default "bf16"); ignored otherwise.

    Returns
    -------
    (float, float)
        Smallest and largest value over the members that have a datasheet figure for it (a member
        without one, say a TPU without an int8 rate, is left out). Plain floats, as the record fields.

    Raises
    ------
    UnknownGPUError
        (a ``KeyError``) when the name is neither a family nor a known accelerator; the message lists
        the families and the known ids.
    UnknownDtypeError
        When no member has a peak rate for ``dtype`` (Volta has no bf16).
    ValueError
        For an unknown ``attribute``, or ``"nvlink_bandwidth"`` of a family without NVLink (TPUs, MI300X).

    Examples
    --------
    Hopper's dense bf16 peak runs from the H100 PCIe's 756 to the SXM parts' 989.4 TFLOP/s:
    ``family_range("Hopper", "peak", "bf16") == (756e12, 989.4e12)``.
    """
    if attribute not in _RANGE_ATTRIBUTES:
        raise ValueError(f"family_range: unknown attribute {attribute!r}; use one of {', '.join(_RANGE_ATTRIBUTES)}")
    family, members = _family_of(family_or_gpu)
    values: list[float] = []
    for gid in members:
        gpu = GPUS[gid]
        if attribute == "peak":
            try:
                values.append(gpu.peak(dtype))
            except UnknownDtypeError:
                continue
        else:
            v = getattr(gpu, attribute)
            if v is not None:
                values.append(v)
    if not values:
        if attribute == "peak":
            raise UnknownDtypeError(f"no member of {family} ({', '.join(members)}) has a datasheet peak for "
                                    f"dtype {dtype!r}")
        raise ValueError(f"no member of {family} ({', '.join(members)}) has a datasheet {attribute} figure")
    return min(values), max(values)


def peak_flop_per_s(gpu: str | GPU, dtype: str = "bf16") -> pint.Quantity:
    """Peak dense rate of one device for ``dtype``, as a Quantity in FLOP/s/GPU.

    Parameters
    ----------
    gpu : str or GPU
        Accelerator id, name or alias (see :func:`get_gpu`).
    dtype : str
        "bf16" (default), "fp16", "tf32", "fp32", "fp8", "fp4", "int8", "fp64" or an alias
        ("bfloat16", "half", "nvfp4"...). The part must have a datasheet figure for it.

    Notes
    -----
    Dense rates: NVIDIA's Ampere/Hopper/Blackwell headline tensor figures
    include 2:4 sparsity, which doubles them; those are not used here. For int8 the rate is
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
