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
    """OmegaConf resolvers used by the configs (``${stance_root:}``)."""
    from omegaconf import OmegaConf

    if not OmegaConf.has_resolver("stance_root"):
        OmegaConf.register_new_resolver("stance_root", lambda: str(ROOT_DIR))
