"""The one place that owns a wandb run's lifecycle (offline unless an API key is set and nothing says otherwise)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf

from stance.errors import ConfigError
from stance.runtime.ranks import is_main_process

_MODES = {"online": "online", "offline": "offline", "dryrun": "offline", "disabled": "disabled"}


def _hydra_info() -> tuple[str | None, str | None, str]:
    """(override_dirname, sweep dir name or None, mode) of the running Hydra job, if any."""
    try:
        from hydra.core.hydra_config import HydraConfig

        hc = HydraConfig.get()
    except (ImportError, ValueError):
        return None, None, "RUN"
    mode = str(hc.mode.name) if hc.mode is not None else "RUN"
    sweep = Path(str(hc.sweep.dir)).name if mode == "MULTIRUN" else None
    return hc.job.override_dirname or None, sweep, mode


def run_name(cfg: DictConfig) -> str:
    """The run's name: ``run_name``, else the experiment (or data-model) plus the command-line overrides."""
    if cfg.get("run_name"):
        return str(cfg.run_name)
    overrides, _, _ = _hydra_info()
    base = cfg.get("experiment_name") or f"{cfg.data.name}-{cfg.model.name}"
    return f"{base},{overrides}" if overrides else str(base)


def wandb_mode(configured: str | None, environ: Mapping[str, str]) -> str:
    """``logger.mode`` when set, else ``WANDB_MODE`` (or ``WANDB_DISABLED``) from the environment, else online only
    when ``WANDB_API_KEY`` is set: a key alone must not take a run online that the user asked to keep offline."""
    for name, value in (("logger.mode", configured), ("WANDB_MODE", environ.get("WANDB_MODE"))):
        if value:
            mode = _MODES.get(str(value).strip().lower())
            if mode is None:
                raise ConfigError(f"{name} {value!r} is not one of online, offline, disabled")
            return mode
    if str(environ.get("WANDB_DISABLED", "")).strip().lower() in ("true", "1", "yes"):
        return "disabled"
    return "online" if environ.get("WANDB_API_KEY") else "offline"


class Tracker:
    """A thin handle on a wandb run; every method is a no-op when logging is off."""

    def __init__(self, run: Any = None) -> None:
        self.run = run

    @property
    def active(self) -> bool:
        return self.run is not None

    def log(self, data: Mapping[str, Any]) -> None:
        if self.run is not None:
            self.run.log(dict(data))

    def summary(self, data: Mapping[str, Any]) -> None:
        if self.run is not None:
            for key, value in data.items():
                self.run.summary[key] = value

    def image(self, key: str, path: Path) -> None:
        if self.run is not None:
            import wandb

            self.run.log({key: wandb.Image(str(path))})

    def table(self, key: str, columns: list[str], rows: list[list[Any]]) -> None:
        if self.run is not None:
            import wandb

            self.run.log({key: wandb.Table(columns=columns, data=rows)})

    def finish(self, exit_code: int = 0) -> None:
        if self.run is not None:
            self.run.finish(exit_code=exit_code)
            self.run = None


def start(cfg: DictConfig, run_dir: Path, job_type: str | None = None) -> Tracker:
    """Start the run for ``cfg.logger`` (``logger=none``: an inactive tracker). Only rank 0 logs."""
    logger = cfg.get("logger") or {}
    if logger.get("name", "none") != "wandb" or not is_main_process():
        return Tracker(None)
    import wandb

    mode = wandb_mode(logger.get("mode"), os.environ)
    _, sweep, _ = _hydra_info()
    group = logger.get("group") or sweep or cfg.get("experiment_name") or f"{cfg.data.name}-{cfg.model.name}"
    run = wandb.init(
        project=logger.get("project", "stance"),
        entity=logger.get("entity"),
        mode=mode,
        dir=str(run_dir),
        name=run_name(cfg),
        group=str(group),
        job_type=job_type or logger.get("job_type", "train"),
        tags=list(cfg.get("tags") or []),
        config=OmegaConf.to_container(cfg, resolve=True),
        reinit="finish_previous",
        # quiet: no history and summary dump at the end (ours names the run directory); logger.quiet=false shows it
        settings=wandb.Settings(quiet=bool(logger.get("quiet", True))),
    )
    return Tracker(run)
