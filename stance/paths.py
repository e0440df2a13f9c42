"""Where the package finds its configs and bundled data, independent of the working directory."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT_DIR = PACKAGE_DIR.parent


def config_dir() -> Path:
    """The ``configs/`` folder: ``$STANCE_CONFIG_DIR`` or the one beside the package."""
    return Path(os.environ.get("STANCE_CONFIG_DIR", ROOT_DIR / "configs")).resolve()


def data_dir() -> Path:
    """The bundled ``data/`` folder."""
    return ROOT_DIR / "data"


def register_resolvers() -> None:
    """OmegaConf resolvers used by the configs (``${stance_root:}``, ``${trainer_bf16:}``, ``${trainer_use_cpu:}``)."""
    from omegaconf import OmegaConf

    if not OmegaConf.has_resolver("stance_root"):
        OmegaConf.register_new_resolver("stance_root", lambda: str(ROOT_DIR))
    if not OmegaConf.has_resolver("trainer_bf16"):
        OmegaConf.register_new_resolver("trainer_bf16", lambda: default_bf16())
    if not OmegaConf.has_resolver("trainer_use_cpu"):
        OmegaConf.register_new_resolver("trainer_use_cpu", lambda: default_use_cpu())


def default_bf16() -> bool:
    import torch

    from stance.inference import cpu_supports_bf16

    if torch.cuda.is_available():
        return torch.cuda.is_bf16_supported()
    return cpu_supports_bf16()


def default_use_cpu() -> bool:
    import torch

    return not torch.cuda.is_available()
