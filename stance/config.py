"""Where the package finds its configs and bundled data, and Hydra composition from Python (tests, scripts,
notebooks) exactly as the CLI does."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from omegaconf import DictConfig, open_dict

from stance.runtime.hardware import (
    default_bf16,
    default_dataloader_workers,
    default_optim,
    default_tf32,
    default_use_cpu,
)

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT_DIR = PACKAGE_DIR.parent


def config_dir() -> Path:
    """The ``configs/`` folder: ``$STANCE_CONFIG_DIR`` or the one beside the package."""
    return Path(os.environ.get("STANCE_CONFIG_DIR", ROOT_DIR / "configs")).resolve()


def data_dir() -> Path:
    """The bundled ``data/`` folder."""
    return ROOT_DIR / "data"


def register_resolvers() -> None:
    """OmegaConf resolvers used by the configs (``${stance_root:}``, ``${trainer_bf16:}``, ``${trainer_use_cpu:}``,
    ``${trainer_optim:}``, ``${trainer_tf32:}``, ``${trainer_workers:}``): hardware defaults, see stance.runtime.hardware."""
    from omegaconf import OmegaConf

    if not OmegaConf.has_resolver("stance_root"):
        OmegaConf.register_new_resolver("stance_root", lambda: str(ROOT_DIR))
    if not OmegaConf.has_resolver("trainer_bf16"):
        OmegaConf.register_new_resolver("trainer_bf16", lambda: default_bf16())
    if not OmegaConf.has_resolver("trainer_use_cpu"):
        OmegaConf.register_new_resolver("trainer_use_cpu", lambda: default_use_cpu())
    for name, fn in (("trainer_optim", default_optim), ("trainer_tf32", default_tf32),
                     ("trainer_workers", default_dataloader_workers)):
        if not OmegaConf.has_resolver(name):
            OmegaConf.register_new_resolver(name, fn)


def compose(config_name: str, overrides: Sequence[str] = ()) -> DictConfig:
    """The composed config; ``paths.output_dir`` is ``hydra.run.dir`` when given (there is no Hydra job here)."""
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    register_resolvers()
    GlobalHydra.instance().clear()
    with initialize_config_dir(str(config_dir()), version_base="1.3"):
        cfg = hydra_compose(config_name, overrides=list(overrides), return_hydra_config=True)
    run_dir = [o.split("=", 1)[1] for o in overrides if o.startswith("hydra.run.dir=")]
    with open_dict(cfg):
        if "paths" in cfg:
            cfg.paths.output_dir = run_dir[0] if run_dir else str(cfg.hydra.run.dir)
        del cfg["hydra"]
    return cfg
