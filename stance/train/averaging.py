"""Checkpoint averaging: the mean of the weights a run had at the end of its last epochs.

Averaging the weights of several points of one fine-tuning run (stochastic weight averaging, "model
soups" of one trajectory) often generalizes better than any single point, at no extra training cost.
:class:`WeightAverager` is a Trainer callback that keeps a running float32 mean of the trainable
parameters at the end of every epoch from ``start_epoch`` on, in memory (no extra checkpoints written).
After training, :func:`choose_averaged` evaluates the average on the validation split and keeps it only
when it scores at least as well as the best single checkpoint, so switching it on cannot make a run worse
on validation.

    stance-train trainer.average_last_epochs=4     # average the weights of the last 4 epochs
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from stance.errors import ConfigError

log = logging.getLogger(__name__)

STATE_FILE = "averager.pt"


def _trainer_callback_base() -> type:
    from transformers import TrainerCallback

    return TrainerCallback


class WeightAverager(_trainer_callback_base()):  # type: ignore[misc]
    """Running mean of a model's floating-point weights at the end of the epochs ``>= start_epoch``.

    ``start_epoch`` counts from 1 (the first epoch); ``num_train_epochs - k + 1`` averages the last ``k``.
    """

    def __init__(self, start_epoch: int) -> None:
        if start_epoch < 1:
            raise ConfigError(f"start_epoch must be >= 1, got {start_epoch}")
        self.start_epoch = start_epoch
        self.count = 0
        self._sum: dict[str, Any] = {}

    def add(self, model: Any) -> None:
        """Add the model's current weights to the mean."""
        import torch

        with torch.no_grad():
            for name, value in model.state_dict().items():
                if not torch.is_floating_point(value):
                    continue
                v = value.detach().to(device="cpu", dtype=torch.float32)
                if name in self._sum:
                    self._sum[name].add_(v)
                else:
                    self._sum[name] = v.clone()
        self.count += 1

    def on_epoch_end(self, args: Any, state: Any, control: Any, model: Any = None, **kwargs: Any) -> None:
        # state.epoch is a float that reaches the epoch number at its end (1.0, 2.0, ...)
        if model is not None and state.epoch is not None and math.floor(state.epoch + 1e-6) >= self.start_epoch:
            self.add(model)

    def on_save(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        # the checkpoint just written by the Trainer: keep the running sum with it, for resume=true
        checkpoint = Path(args.output_dir) / f"checkpoint-{state.global_step}"
        if checkpoint.is_dir() and state.is_world_process_zero:
            self.save(checkpoint)

    def save(self, checkpoint_dir: Path) -> None:
        """Write the running sum and count into ``checkpoint_dir``."""
        import torch

        torch.save({"start_epoch": self.start_epoch, "count": self.count, "sum": self._sum},
                   Path(checkpoint_dir) / STATE_FILE)

    def load(self, checkpoint_dir: str | Path | None) -> None:
        """Continue from the running sum saved in ``checkpoint_dir`` (nothing when there is none)."""
        import torch

        path = Path(checkpoint_dir) / STATE_FILE if checkpoint_dir else None
        if path is None or not path.is_file():
            return
        saved = torch.load(path, map_location="cpu", weights_only=True)
        if int(saved["start_epoch"]) != self.start_epoch:
            log.warning("%s averaged from epoch %s, this run from epoch %s: starting the average afresh",
                        path, saved["start_epoch"], self.start_epoch)
            return
        self.count, self._sum = int(saved["count"]), dict(saved["sum"])

    def averaged_state_dict(self, model: Any) -> dict[str, Any]:
        """The model's state dict with every averaged tensor replaced by the mean (cast to its dtype)."""
        if not self.count:
            raise RuntimeError("no epoch was averaged (training stopped before start_epoch?)")
        out = {}
        for name, value in model.state_dict().items():
            if name in self._sum:
                out[name] = (self._sum[name] / self.count).to(device=value.device, dtype=value.dtype)
            else:
                out[name] = value
        return out


def start_epoch_for(average_last_epochs: int | None, num_train_epochs: float, max_steps: int) -> int | None:
    """The first epoch to average for ``trainer.average_last_epochs`` (``None`` when it is off).

    Raises ``ValueError`` for a value the run cannot honour (with ``max_steps`` the number of epochs is
    not known in advance, so averaging needs ``num_train_epochs``).
    """
    if not average_last_epochs:
        return None
    k = int(average_last_epochs)
    if k < 2:
        raise ConfigError(f"trainer.average_last_epochs must be >= 2 (or null to turn it off), got {k}")
    if max_steps and max_steps > 0:
        raise ConfigError("trainer.average_last_epochs needs trainer.max_steps=-1 (it averages whole epochs)")
    epochs = math.ceil(num_train_epochs)
    if k > epochs:
        raise ConfigError(f"trainer.average_last_epochs={k} is more than trainer.num_train_epochs={num_train_epochs}")
    return epochs - k + 1


def choose_averaged(
    model: Any,
    averager: WeightAverager,
    evaluate: Callable[[], Mapping[str, float]],
    metric_key: str,
    greater_is_better: bool = True,
) -> tuple[dict[str, Any], dict[str, float]]:
    """Keep the averaged weights in ``model`` when they validate at least as well as its current weights.

    ``evaluate()`` scores the model as it is (validation metrics, ``validation_<metric_key>`` among them).
    Returns what was compared, for metrics.json (``averaged_epochs``, ``averaged_validation_<metric>``,
    ``best_single_validation_<metric>``, ``averaged_kept``), and the validation metrics of the weights kept.
    """
    import torch

    metric = metric_key if metric_key.startswith("validation_") else f"validation_{metric_key}"
    single_metrics = dict(evaluate())
    single = float(single_metrics[metric])
    best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    with torch.no_grad():
        model.load_state_dict(averager.averaged_state_dict(model))
    averaged_metrics = dict(evaluate())
    averaged = float(averaged_metrics[metric])
    better = averaged >= single if greater_is_better else averaged <= single
    if not better:
        with torch.no_grad():
            model.load_state_dict(best_state)
    name = metric.removeprefix("validation_")
    log.info("checkpoint averaging over %d epochs: validation %s %.4f (best single %.4f) -> %s",
             averager.count, name, averaged, single, "kept" if better else "discarded")
    info = {
        "averaged_epochs": averager.count,
        f"averaged_validation_{name}": averaged,
        f"best_single_validation_{name}": single,
        "averaged_kept": bool(better),
    }
    return info, (averaged_metrics if better else single_metrics)
