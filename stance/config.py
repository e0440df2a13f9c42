"""Where the package finds its configs and bundled data, and Hydra composition from Python (tests, scripts,
notebooks) exactly as the CLI does."""

from __future__ import annotations

import os
from collections.abc import Sequence
from importlib import resources
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
# a checkout (plain or installed editable) keeps configs/ and data/ at its top level, beside the package
IN_CHECKOUT = (ROOT_DIR / "pyproject.toml").is_file() and (ROOT_DIR / "configs").is_dir()


def resource_root() -> Path:
    """The folder holding ``configs/`` and ``data/``: the checkout, or ``stance/resources`` in an installed wheel."""
    return ROOT_DIR if IN_CHECKOUT else Path(str(resources.files("stance") / "resources"))


def config_dir() -> Path:
    """The ``configs/`` folder: ``$STANCE_CONFIG_DIR``, else the package's own (Hydra's ``--config-dir`` adds more)."""
    return Path(os.environ.get("STANCE_CONFIG_DIR", resource_root() / "configs")).resolve()


def data_dir() -> Path:
    """The bundled ``data/`` folder (quotes dataset, sample articles)."""
    return resource_root() / "data"


def shared_data_dir() -> Path:
    """Default home of the public research datasets when ``$STANCE_DATA_DIR`` is unset: ``../shared/datasets``
    beside a checkout, ``~/.local/share/stance/datasets`` (``$XDG_DATA_HOME``) for an install. It may not exist."""
    if IN_CHECKOUT:
        return ROOT_DIR.parent / "shared" / "datasets"
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "stance" / "datasets"


def register_resolvers() -> None:
    """OmegaConf resolvers used by the configs (``${stance_root:}``, ``${stance_shared_data:}``,
    ``${trainer_bf16:}``, ``${trainer_use_cpu:}``, ``${trainer_optim:}``,
    ``${trainer_tf32:}``, ``${trainer_workers:}``): resource paths and hardware defaults (stance.runtime.hardware)."""
    from omegaconf import OmegaConf

    resolvers = {
        "stance_root": lambda: str(resource_root()),
        "stance_shared_data": lambda: str(shared_data_dir()),
        "trainer_bf16": default_bf16,
        "trainer_use_cpu": default_use_cpu,
        "trainer_optim": default_optim,
        "trainer_tf32": default_tf32,
        "trainer_workers": default_dataloader_workers,
    }
    for name, resolver in resolvers.items():
        if not OmegaConf.has_resolver(name):
            OmegaConf.register_new_resolver(name, resolver)


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
