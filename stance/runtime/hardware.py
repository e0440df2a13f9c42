"""What the hardware offers: CPU bf16 instructions, CUDA, and the inference precision that follows."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from stance.errors import ConfigError

PRECISIONS = ("auto", "fp32", "bf16", "int8")


@lru_cache(maxsize=1)
def cpu_flags() -> frozenset[str]:
    """The CPU feature flags from ``/proc/cpuinfo`` (empty where that file does not exist)."""
    try:
        text = Path("/proc/cpuinfo").read_text(errors="replace")
    except OSError:
        return frozenset()
    for line in text.splitlines():
        if line.startswith("flags"):
            return frozenset(line.split(":", 1)[1].split())
    return frozenset()


def cpu_supports_bf16() -> bool:
    """True where the CPU has native bf16 matmul instructions (AVX512-BF16 or AMX)."""
    return bool(cpu_flags() & {"avx512_bf16", "amx_bf16"})


def resolve_precision(precision: str, device: str) -> str:
    """Turn ``auto`` into a concrete precision for ``device``; reject unknown names."""
    if precision not in PRECISIONS:
        raise ConfigError(f"precision must be one of {PRECISIONS}, got {precision!r}")
    if precision == "int8" and not device.startswith("cpu"):
        raise ConfigError("precision=int8 (dynamic quantization) runs on CPU only")
    if precision != "auto":
        return precision
    if device.startswith("cuda"):
        import torch

        return "bf16" if torch.cuda.is_bf16_supported() else "fp32"
    return "bf16" if device.startswith("cpu") and cpu_supports_bf16() else "fp32"


def default_bf16() -> bool:
    """Whether training should use bf16 autocast here: CUDA with bf16, or a CPU with bf16 instructions."""
    import torch

    if torch.cuda.is_available():
        return torch.cuda.is_bf16_supported()
    return cpu_supports_bf16()


def default_use_cpu() -> bool:
    """Whether training runs on the CPU (no CUDA device)."""
    import torch

    return not torch.cuda.is_available()


def _cuda_compute_capability() -> tuple[int, int] | None:
    import torch

    return torch.cuda.get_device_capability() if torch.cuda.is_available() else None


def default_optim() -> str:
    """``adamw_torch_fused`` on CUDA (one kernel for all parameters), else ``adamw_torch`` (the CPU default)."""
    return "adamw_torch_fused" if _cuda_compute_capability() is not None else "adamw_torch"


def default_tf32() -> bool | None:
    """True on CUDA GPUs with TF32 matmuls (Ampere, compute capability 8.0, or newer); None (leave torch's
    setting alone) elsewhere: TrainingArguments refuses ``tf32=true`` without such a GPU."""
    capability = _cuda_compute_capability()
    return True if capability is not None and capability >= (8, 0) else None


def default_dataloader_workers() -> int:
    """Data-loader worker processes: 0 on CPU (the cores are busy with the model), up to 4 with a GPU."""
    import os

    if _cuda_compute_capability() is None:
        return 0
    return max(0, min(4, (os.cpu_count() or 1) - 1))


def enable_tf32(device: str) -> None:
    """TF32 matmuls for fp32 work on an Ampere-or-newer CUDA device; nothing elsewhere."""
    import torch

    if device.startswith("cuda") and default_tf32():
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
