"""Which process this is in a multi-process launch, and one run directory shared by all ranks.

Under ``torchrun`` (and ``accelerate launch``, which calls torchrun) every rank composes its own Hydra config, so
``${now:}`` would differ between ranks. The run directory's stamp comes from ``$STANCE_RUN_STAMP`` when it is set;
otherwise the Hydra callback :class:`SharedRunDir` makes the ranks agree on the timestamp of whichever rank asks
first, through the launcher's own key-value store (the torchrun agent's ``TCPStore`` at ``MASTER_ADDR:MASTER_PORT``),
and exports it before Hydra creates the directory. Ranks other than 0 write no ``.hydra/`` folder and no log file.
"""

from __future__ import annotations

import datetime as _dt
import logging
import os
from typing import Any

from stance.errors import DistributedSetupError

log = logging.getLogger(__name__)

RUN_STAMP_ENV = "STANCE_RUN_STAMP"
STAMP_FORMAT = "%Y-%m-%d_%H-%M-%S_%f"


# -- ranks ------------------------------------------------------------------------------------------------


def rank() -> int:
    """This process's global rank (``RANK``, set by torchrun/accelerate; 0 when launched alone)."""
    return int(os.environ.get("RANK", "0") or 0)


def world_size() -> int:
    """How many processes the launcher started (``WORLD_SIZE``; 1 when launched alone)."""
    return int(os.environ.get("WORLD_SIZE", "1") or 1)


def is_main_process() -> bool:
    """Rank 0: the process that writes the run directory and logs to wandb."""
    return rank() == 0


# -- one run directory for all ranks ------------------------------------------------------------------------


def _now_stamp() -> str:
    return _dt.datetime.now().strftime(STAMP_FORMAT)


def shared_run_stamp(timeout_s: float = 120.0) -> str:
    """The run directory stamp every rank of this launch agrees on, exported as ``$STANCE_RUN_STAMP``.

    Alone (``WORLD_SIZE`` 1) or with ``$STANCE_RUN_STAMP`` already set, nothing is shared. Under torchrun the
    first rank to ask writes its timestamp into the agent's store and all ranks read it back; the key holds the
    launch's ``TORCHELASTIC_RUN_ID``, so an elastic restart of the same launch finds the same directory.
    """
    stamp = os.environ.get(RUN_STAMP_ENV)
    if stamp:
        return stamp
    if world_size() <= 1:
        return _now_stamp()
    if os.environ.get("TORCHELASTIC_USE_AGENT_STORE", "").lower() != "true" or "MASTER_PORT" not in os.environ:
        raise DistributedSetupError(
            f"WORLD_SIZE={world_size()} but this launcher offers no torchrun agent store to agree on one run "
            f"directory: set {RUN_STAMP_ENV} to the same value on every rank (e.g. {RUN_STAMP_ENV}=$SLURM_JOB_ID) "
            "or pass hydra.run.dir=... explicitly")
    import torch.distributed as dist

    store = dist.TCPStore(os.environ.get("MASTER_ADDR", "localhost"), int(os.environ["MASTER_PORT"]),
                          is_master=False, timeout=_dt.timedelta(seconds=timeout_s))
    key = f"stance/run_stamp/{os.environ.get('TORCHELASTIC_RUN_ID', '')}"
    stamp = store.compare_set(key, "", _now_stamp()).decode()
    os.environ[RUN_STAMP_ENV] = stamp
    return stamp


def _quiet_replica(config: Any) -> None:
    """Ranks > 0: no ``.hydra/`` folder and no log file in the shared run directory."""
    from omegaconf import open_dict, read_write

    hydra_cfg = config.hydra
    with read_write(hydra_cfg), open_dict(hydra_cfg):
        hydra_cfg.output_subdir = None
        logging_cfg = hydra_cfg.get("job_logging") or {}
        handlers = logging_cfg.get("handlers") or {}
        to_file = [name for name, h in handlers.items() if h is not None and "filename" in h]
        for name in to_file:
            del handlers[name]
        root = logging_cfg.get("root") or {}
        if root.get("handlers") is not None:
            root.handlers = [h for h in root.handlers if h not in to_file]


try:  # Hydra is a dependency; the guard keeps this module importable on its own
    from hydra.experimental.callback import Callback as _HydraCallback
except ImportError:  # pragma: no cover
    _HydraCallback = object  # type: ignore[assignment,misc]


class SharedRunDir(_HydraCallback):  # type: ignore[misc,valid-type]
    """Hydra callback (``configs/hydra/default.yaml``): all ranks of one launch share one run directory."""

    def _setup(self, config: Any) -> None:
        if world_size() <= 1:
            return
        shared_run_stamp()
        if not is_main_process():
            _quiet_replica(config)

    def on_run_start(self, config: Any, **kwargs: Any) -> None:
        self._setup(config)

    def on_multirun_start(self, config: Any, **kwargs: Any) -> None:
        self._setup(config)
