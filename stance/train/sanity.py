"""What ``stance-train`` checks before it builds a model: the values of its options and run folder (one line each,
exit 2), zero training steps (refused), and data that would train or select a model badly (a warning, logged
and kept under ``warnings`` in metrics.json)."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from stance.errors import ConfigError
from stance.runtime.checks import as_float, as_int, check_creatable_dir

log = logging.getLogger(__name__)

#: fewer validation rows than this make the checkpoint choice (by a validation metric) mostly noise: one row
#: moves accuracy by more than 2 points
MIN_VALIDATION_ROWS = 50


def check_train_options(cfg: Any, run_dir: Path) -> None:
    """Raise :class:`ConfigError` for the first unusable option value or run folder, and for zero training steps."""
    as_int(cfg.get("seed"), "seed")
    trainer = cfg.get("trainer") or {}
    epochs = as_float(trainer.get("num_train_epochs"), "trainer.num_train_epochs", 0.0)
    max_steps = as_int(trainer.get("max_steps", -1), "trainer.max_steps", -1)
    for key in ("per_device_train_batch_size", "per_device_eval_batch_size", "gradient_accumulation_steps"):
        as_int(trainer.get(key, 1), f"trainer.{key}", 1)
    as_float(trainer.get("learning_rate", 1e-4), "trainer.learning_rate", 0.0)
    if max_steps == 0 or (max_steps < 0 and epochs == 0):
        raise ConfigError(f"zero training steps (trainer.num_train_epochs={epochs:g}, trainer.max_steps={max_steps}):"
                          " nothing would be trained; set trainer.num_train_epochs or trainer.max_steps above 0")
    check_creatable_dir(run_dir, "the run directory (hydra.run.dir)")  # created once the settings are all checked


def data_warnings(splits: Mapping[str, Sequence[Mapping[str, Any]]], labels: Sequence[str]) -> list[str]:
    """Warnings about training data that trains or selects a model badly; each is logged here."""
    warnings: list[str] = []
    train_labels = Counter(r["label"] for r in splits.get("train") or [])
    if len(train_labels) == 1:
        (only,) = train_labels
        warnings.append(f"the training set has one label only ({only!r}, {train_labels[only]} rows): the model can "
                        f"only learn to predict it; the labels in use are {list(labels)}")
    validation = splits.get("validation") or []
    missing = sorted(set(train_labels) - {r["label"] for r in validation})
    if len(validation) < MIN_VALIDATION_ROWS or missing:
        why = f"{len(validation)} rows (one row moves accuracy by {100 / max(len(validation), 1):.0f} points)" \
            if len(validation) < MIN_VALIDATION_ROWS else f"no rows of {missing}"
        warnings.append(f"the validation set is too small to choose a checkpoint: {why}; the best checkpoint is "
                        f"mostly chance; give at least {MIN_VALIDATION_ROWS} rows covering every label")
    for w in warnings:
        log.warning("%s", w)
    return warnings
