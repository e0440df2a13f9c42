"""Trainer callbacks chosen from the config: the ``callbacks`` group (each entry a ``_target_`` that Hydra
instantiates, as in lightning-hydra-template), the ``csv`` logger and the ``debug=profiler`` profiler."""

from __future__ import annotations

import csv
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from transformers import TrainerCallback

from stance.errors import ConfigError
from stance.runtime.ranks import is_main_process

log = logging.getLogger(__name__)


def instantiate_callbacks(spec: Mapping[str, Any] | None) -> list[Any]:
    """The callbacks of a ``callbacks``-style mapping, ``name -> {_target_: ..., **kwargs}`` (null entries skipped,
    so ``callbacks.early_stopping=null`` turns one off)."""
    from hydra.utils import instantiate
    from omegaconf import DictConfig

    out = []
    for name, conf in (spec or {}).items():
        if conf is None:
            continue
        if not isinstance(conf, (dict, DictConfig)) or "_target_" not in conf:
            raise ConfigError(f"callbacks.{name}: expected a mapping with _target_ (a TrainerCallback class)")
        try:
            callback = instantiate(conf)
        except Exception as err:  # noqa: BLE001 - an unknown class or argument is a config mistake
            raise ConfigError(f"callbacks.{name}: cannot build {conf.get('_target_')} ({err})") from None
        if not isinstance(callback, TrainerCallback):
            raise ConfigError(f"callbacks.{name}: {type(callback).__name__} is not a transformers TrainerCallback")
        out.append(callback)
    return out


class CSVLogger(TrainerCallback):
    """``logger=csv``: every log of the Trainer (losses, learning rate, evaluation metrics) as one row of a CSV
    file (``step``, ``epoch``, then one column per key in order of appearance; rewritten whole when a new key
    appears, so the file is always a valid table), like Lightning's ``CSVLogger``. Rank 0 only."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.columns: list[str] = ["step", "epoch"]
        self.rows: list[dict[str, Any]] = []

    def on_log(self, args: Any, state: Any, control: Any, logs: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        if not state.is_world_process_zero or not logs:
            return
        row = {"step": state.global_step, "epoch": state.epoch, **logs}
        new = [k for k in row if k not in self.columns]
        self.columns += new
        self.rows.append(row)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if new or len(self.rows) == 1:
            with self.path.open("w", encoding="utf-8", newline="") as f:
                writer = csv.DictWriter(f, fieldnames=self.columns)
                writer.writeheader()
                writer.writerows(self.rows)
        else:
            with self.path.open("a", encoding="utf-8", newline="") as f:
                csv.DictWriter(f, fieldnames=self.columns).writerow(row)


class Profiler(TrainerCallback):
    """``debug=profiler``: ``torch.profiler`` over a few training steps (``wait`` skipped, ``warmup`` traced but
    not recorded, ``active`` recorded); at the end ``output_dir`` gets ``profile.txt`` (the operators by CPU time)
    and ``trace.json`` (open in chrome://tracing or Perfetto)."""

    def __init__(self, output_dir: str | Path, wait: int = 1, warmup: int = 1, active: int = 3,
                 row_limit: int = 25) -> None:
        self.output_dir = Path(output_dir)
        self.wait, self.warmup, self.active, self.row_limit = int(wait), int(warmup), int(active), int(row_limit)
        self._prof: Any = None

    def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        import torch

        schedule = torch.profiler.schedule(wait=self.wait, warmup=self.warmup, active=self.active, repeat=1)
        activities = [torch.profiler.ProfilerActivity.CPU]
        if torch.cuda.is_available():
            activities.append(torch.profiler.ProfilerActivity.CUDA)
        self._prof = torch.profiler.profile(activities=activities, schedule=schedule, record_shapes=True,
                                            on_trace_ready=self._write)
        self._prof.start()

    def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if self._prof is not None:
            self._prof.step()

    def on_train_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if self._prof is not None:
            self._prof.stop()
            self._prof = None

    def _write(self, prof: Any) -> None:
        if not is_main_process():
            return
        self.output_dir.mkdir(parents=True, exist_ok=True)
        table = prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=self.row_limit)
        (self.output_dir / "profile.txt").write_text(table + "\n", encoding="utf-8")
        prof.export_chrome_trace(str(self.output_dir / "trace.json"))
        log.info("profiler: %s", self.output_dir / "profile.txt")

