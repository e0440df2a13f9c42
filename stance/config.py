"""Compose the project's Hydra configs from Python (tests, scripts, notebooks), exactly as the CLI does."""

from __future__ import annotations

from collections.abc import Sequence

from omegaconf import DictConfig, open_dict

from stance.paths import config_dir, register_resolvers


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
