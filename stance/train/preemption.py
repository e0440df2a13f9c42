"""Stopping and resuming training: save on SIGTERM, skip torn checkpoints, keep ``train_loss`` whole-run.

:class:`SaveOnSignal` turns SIGTERM/SIGUSR1 into "save a checkpoint now, then stop", in step on every rank, so
``resume=true`` loses no work (SIGKILL loses the steps since the last checkpoint); :func:`last_complete_checkpoint`
skips checkpoints torn by a kill; :class:`LossBefore` keeps ``train_loss`` of a resumed run equal to an
uninterrupted one's.
"""

from __future__ import annotations

import logging
import os
import re
import signal
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

#: exit status of a run stopped by SIGTERM after saving a checkpoint (128 + SIGTERM, as a shell reports it)
PREEMPTED_EXIT_CODE = 143


def _build_save_on_signal() -> type:
    from transformers import TrainerCallback

    class SaveOnSignal(TrainerCallback):  # type: ignore[misc,valid-type]
        """A ``TrainerCallback``: on SIGTERM or SIGUSR1, save a checkpoint at the end of this step, then stop.

        All ranks stop at the same step (the flag is max-reduced across the process group each step). After
        ``trainer.train()`` returns, :attr:`preempted` says whether the run was cut short; the caller then exits
        with :data:`PREEMPTED_EXIT_CODE` instead of testing and saving an unfinished model.
        """

        signals = (signal.SIGTERM, signal.SIGUSR1)

        def __init__(self) -> None:
            self.requested = False
            self.preempted = False
            self._previous: dict[int, Any] = {}

        def _handler(self, signum: int, frame: Any) -> None:  # noqa: ARG002 - signal handler signature
            log.warning("received signal %d: saving a checkpoint at the end of this step, then stopping", signum)
            self.requested = True

        def install(self) -> SaveOnSignal:
            """Install the handlers (main thread only); :meth:`uninstall` restores the previous ones."""
            for sig in self.signals:
                try:
                    self._previous[sig] = signal.signal(sig, self._handler)
                except ValueError:  # not the main thread
                    break
            return self

        def uninstall(self) -> None:
            for sig, previous in self._previous.items():
                signal.signal(sig, previous)
            self._previous.clear()

        def _agreed(self, device: Any = "cpu") -> bool:
            import torch
            import torch.distributed as dist

            if not (dist.is_available() and dist.is_initialized()) or dist.get_world_size() == 1:
                return self.requested
            # NCCL reduces GPU tensors only: the flag lives on the training device
            flag = torch.tensor([1 if self.requested else 0], dtype=torch.int32, device=device)
            dist.all_reduce(flag, op=dist.ReduceOp.MAX)
            return bool(flag.item())

        def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> Any:
            if self._agreed(getattr(args, "device", "cpu")):
                self.preempted = True
                control.should_log = True  # the checkpoint's log_history then covers every step before it
                control.should_save = True
                control.should_training_stop = True
            return control

    return SaveOnSignal


def __getattr__(name: str) -> Any:
    # SaveOnSignal subclasses transformers' TrainerCallback: built on first use, so importing this module
    # (stance.tracking does) does not import transformers and torch
    if name == "SaveOnSignal":
        cls = _build_save_on_signal()
        globals()[name] = cls
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Preempted(SystemExit):
    """Raised by training after :class:`SaveOnSignal` stopped it: the checkpoint is saved, exit status 143."""

    def __init__(self, checkpoint_dir: str | None = None) -> None:
        super().__init__(PREEMPTED_EXIT_CODE)
        self.checkpoint_dir = checkpoint_dir


# -- resume ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LossBefore:
    """The training loss summed over the steps before a checkpoint, read from its ``log_history``.

    The Trainer's ``train_loss`` after ``resume_from_checkpoint`` averages only the steps run since the
    checkpoint; :meth:`whole_run` adds the earlier steps back, so a resumed run reports what an uninterrupted
    one does. Exact when the checkpoint step was a logging step (``save_steps`` a multiple of
    ``logging_steps``; :class:`SaveOnSignal` logs before it saves); otherwise ``total`` is None.
    Read it before training: checkpoint rotation may delete the folder later.
    """

    step: int = 0
    total: float | None = 0.0

    @classmethod
    def read(cls, checkpoint: str | os.PathLike | None) -> LossBefore:
        import json
        from pathlib import Path

        if checkpoint is None:
            return cls()
        state = json.loads((Path(checkpoint) / "trainer_state.json").read_text(encoding="utf-8"))
        step = int(state.get("global_step") or 0)
        logs = [e for e in state.get("log_history", []) if "loss" in e and "step" in e and e["step"] <= step]
        if step and (not logs or logs[-1]["step"] != step):
            return cls(step, None)
        total, previous = 0.0, 0
        for entry in logs:
            total += float(entry["loss"]) * (int(entry["step"]) - previous)
            previous = int(entry["step"])
        return cls(step, total)

    def whole_run(self, resumed_train_loss: float, final_step: int) -> float:
        """``train_loss`` over all ``final_step`` steps, from the Trainer's value over the resumed ones."""
        if self.step == 0:
            return resumed_train_loss
        if self.total is None:
            log.warning("train_loss covers only the %d steps after the checkpoint at step %d: that step was not "
                        "a logging step (make save_steps a multiple of logging_steps)", final_step - self.step,
                        self.step)
            return resumed_train_loss
        if final_step <= self.step:  # resumed from the last checkpoint: nothing left to train
            return self.total / self.step
        return (self.total + resumed_train_loss * (final_step - self.step)) / final_step


def last_complete_checkpoint(checkpoint_dir: str | os.PathLike, warn: bool = True) -> str | None:
    """The newest ``checkpoint-N`` under ``checkpoint_dir`` that was written completely, or None.

    A process killed while saving leaves a torn folder behind; the Trainer writes ``trainer_state.json``
    last, so a checkpoint counts as complete when that file parses, names step N, and (for a multi-process
    run) every rank's ``rng_state_R.pth`` is there. Torn ones are skipped with a warning.
    """
    import json
    from pathlib import Path

    root = Path(checkpoint_dir)
    if not root.is_dir():
        return None
    found = []
    for path in root.iterdir():
        match = re.fullmatch(r"checkpoint-(\d+)", path.name)
        if match and path.is_dir():
            found.append((int(match.group(1)), path))
    for step, path in sorted(found, reverse=True):
        try:
            state = json.loads((path / "trainer_state.json").read_text(encoding="utf-8"))
            complete = int(state.get("global_step", -1)) == step
        except (OSError, ValueError):
            complete = False
        ranks = sorted(path.glob("rng_state_*.pth"))
        if complete and ranks:
            complete = all((path / f"rng_state_{r}.pth").is_file() for r in range(len(ranks)))
        if complete:
            return str(path)
        if warn:
            log.warning("skipping %s: it was not written completely (the run was killed while saving)", path)
    return None


def full_state_dict(trainer: Any) -> dict[str, Any] | None:
    """The model's full weights when FSDP or DeepSpeed shards them (a collective: call it on every rank),
    else None, so ``save_pretrained(state_dict=None)`` reads the (unsharded) model as usual."""
    if not (getattr(trainer, "is_fsdp_enabled", False) or getattr(trainer, "is_deepspeed_enabled", False)):
        return None
    return trainer.accelerator.get_state_dict(trainer.model)
