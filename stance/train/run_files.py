"""What a finished training run leaves in its run directory: ``model/`` (safetensors and tokenizer) and
``metrics.json``, shared by the stance trainer (``trainer``) and the attribution tagger's (``attribution``)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from omegaconf import DictConfig

from stance.runtime.files import write_json
from stance.runtime.tracking import Tracker


def save_run(trainer: Any, tokenizer: Any, run_dir: Path, results: dict[str, Any], tracker: Tracker, cfg: DictConfig,
             state_dict: dict | None) -> None:
    """Write the run's ``model/`` (safetensors and tokenizer) and ``metrics.json``, summarise the run in wandb and
    drop the checkpoints (unless ``keep_checkpoints``); ``results`` gains ``model_dir`` (and ``wandb_dir``)."""
    model_dir = run_dir / "model"
    # not trainer.save_model: it adds training_args.bin, a pickle; the model dir is safetensors only
    trainer.model.save_pretrained(str(model_dir), safe_serialization=True, state_dict=state_dict)
    tokenizer.save_pretrained(str(model_dir))
    results["model_dir"] = str(model_dir)
    if tracker.active:
        results["wandb_dir"] = str(Path(tracker.run.dir).parent)
    write_json(run_dir / "metrics.json", results)
    tracker.summary({k: v for k, v in results.items() if isinstance(v, (int, float))})
    if not cfg.get("keep_checkpoints", False):
        shutil.rmtree(run_dir / "checkpoints", ignore_errors=True)
