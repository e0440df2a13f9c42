"""Fine-tuning a stance classifier with the HF Trainer: ``train(cfg) -> metrics``.

The run directory (Hydra's output dir) ends up with ``model/`` (loadable by ``from_pretrained``),
``config.yaml`` (resolved), ``metrics.json``, ``confusion.png``, ``test_predictions.jsonl`` and the
wandb run; checkpoints live in ``checkpoints/`` while training.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from omegaconf import DictConfig, OmegaConf

from stance.data.entailment import check_hypotheses
from stance.data.labels import label_maps
from stance.data.loading import label_set, load_data
from stance.errors import ConfigError
from stance.evaluation.plots import confusion_matrix, confusion_png
from stance.evaluation.scoring import evaluate_predictions, make_compute_metrics
from stance.model.build import (
    build_model,
    build_tokenizer,
    cast_state_dict,
    input_format,
)
from stance.model.encoding import InputFormat, encode_pairs
from stance.runtime.files import write_json
from stance.runtime.quiet import quiet_transformers
from stance.runtime.tracking import Tracker, is_main_process, run_name, start
from stance.train import distill, preemption
from stance.train.callbacks import instantiate_callbacks
from stance.train.run_files import save_run
from stance.train.sanity import check_train_options, data_warnings

log = logging.getLogger(__name__)

# keys of the trainer group that are ours, not TrainingArguments'
_OWN_TRAINER_KEYS = ("early_stopping_patience", "pad_to_max_length", "average_last_epochs", "pad_to_multiple_of")


def run_dir_of(cfg: DictConfig) -> Path:
    """The run directory: Hydra's output dir (``hydra.run.dir``) or ``paths.output_dir`` outside Hydra."""
    return Path(str(cfg.paths.output_dir)).resolve()


def to_dataset(rows: Sequence[Mapping[str, Any]], tokenizer: Any, fmt: InputFormat, label2id: Mapping[str, int],
               teacher_probs: np.ndarray | None = None) -> Any:
    """A tokenized ``datasets.Dataset`` with ``labels`` and the row metadata kept for grouped metrics
    (and, when distilling, the teachers' probabilities of each row)."""
    import datasets

    columns = {
        "text": [r["text"] for r in rows],
        "target": [r["target"] for r in rows],
        "source": [r["source"] for r in rows],
        "group": [r["group"] for r in rows],
        "labels": [label2id[r["label"]] for r in rows],
    }
    if teacher_probs is not None:
        columns[distill.COLUMN] = teacher_probs.tolist()
    ds = datasets.Dataset.from_dict(columns)
    return ds.map(
        lambda batch: encode_pairs(tokenizer, batch["text"], batch["target"], fmt),
        batched=True,
        desc="tokenizing",
    )


class _PadToMax:
    """run_glue's fixed-length padding (for the benchmark baseline only)."""

    def __init__(self, tokenizer: Any, max_length: int) -> None:
        self.tokenizer, self.max_length = tokenizer, max_length

    def __call__(self, features: list[dict]) -> dict:
        return self.tokenizer.pad(features, padding="max_length", max_length=self.max_length, return_tensors="pt")


def _model_columns(ds: Any) -> Any:
    keep = {"input_ids", "attention_mask", "token_type_ids", "labels", distill.COLUMN}
    return ds.remove_columns([c for c in ds.column_names if c not in keep])


def _row_order_trainer():  # noqa: ANN202 - returns a Trainer subclass
    from torch.utils.data import SequentialSampler
    from transformers import Trainer

    class RowOrderTrainer(Trainer):
        """A Trainer whose evaluation and predictions keep the dataset's row order.

        transformers 5 length-groups the evaluation batches too when ``train_sampling_strategy`` is
        ``group_by_length``, so ``predict`` would return rows shuffled against the dataset.
        """

        def _get_eval_sampler(self, eval_dataset):  # noqa: ANN001, ANN202 - Trainer's signature
            if eval_dataset is None or self.args.world_size > 1:
                return None  # accelerate shards the rows in order and the gather restores them
            return SequentialSampler(eval_dataset)

    return RowOrderTrainer


def _trainer_kwargs(cfg: DictConfig) -> dict[str, Any]:
    kwargs = OmegaConf.to_container(cfg.trainer, resolve=True)
    for key in _OWN_TRAINER_KEYS:
        kwargs.pop(key, None)
    return kwargs


def _last_checkpoint(checkpoint_dir: Path) -> str | None:
    from transformers.trainer_utils import get_last_checkpoint

    if not checkpoint_dir.is_dir():
        return None
    return get_last_checkpoint(str(checkpoint_dir))


def train(cfg: DictConfig) -> dict[str, Any]:
    """Fine-tune, keep the best checkpoint by validation ``trainer.metric_for_best_model``, test, save."""
    with quiet_transformers(bars_only=True):  # no "Writing model shards" bar at each checkpoint
        return _train(cfg)


def _train(cfg: DictConfig) -> dict[str, Any]:
    from transformers import (
        DataCollatorWithPadding,
        EarlyStoppingCallback,
        TrainingArguments,
        set_seed,
    )

    from stance.train.averaging import WeightAverager, choose_averaged, start_epoch_for

    check_train_options(cfg, run_dir_of(cfg))  # before anything is read or built
    average_from = start_epoch_for(cfg.trainer.get("average_last_epochs"), float(cfg.trainer.num_train_epochs),
                                   int(cfg.trainer.get("max_steps", -1)))
    run_dir = run_dir_of(cfg)
    main = is_main_process()
    if main:
        run_dir.mkdir(parents=True, exist_ok=True)
        (run_dir / "config.yaml").write_text(OmegaConf.to_yaml(cfg, resolve=True), encoding="utf-8")
    set_seed(int(cfg.seed))

    labels = label_set(cfg.data)
    label2id, _ = label_maps(labels)
    splits = load_data(cfg.data, seed=int(cfg.seed))  # validated before anything expensive starts
    warnings = data_warnings(splits, labels)  # one label only, a validation set too small to choose by
    tokenizer = build_tokenizer(cfg.model)
    model = build_model(cfg.model, labels, tokenizer)
    if cfg.data.get("hypotheses") is not None:  # an entailment model: prediction asks the questions it learned
        model.config.stance_hypotheses = check_hypotheses(OmegaConf.to_container(cfg.data.hypotheses))
    fmt = input_format(cfg.model)
    distill_cfg = cfg.get("distill") or {}
    teachers = [str(t) for t in distill_cfg.get("teachers") or []]
    trainer_cls = _row_order_trainer()
    if teachers:  # settings checked before the teachers are run
        trainer_cls = distill.distilling_trainer(trainer_cls, float(distill_cfg.get("weight", 0.5)),
                                                 float(distill_cfg.get("temperature", 1.0)))
    soft = distill.teacher_probs(teachers, splits["train"], labels) if teachers else None
    train_ds = to_dataset(splits["train"], tokenizer, fmt, label2id, soft)
    eval_ds = to_dataset(splits["validation"], tokenizer, fmt, label2id)
    test_ds = to_dataset(splits["test"], tokenizer, fmt, label2id) if splits["test"] and cfg.get("test", True) else None

    if cfg.trainer.get("pad_to_max_length"):
        collator = _PadToMax(tokenizer, fmt.max_length)
    else:
        # a few padded lengths instead of one per batch: bf16 CPU kernels are built once per input shape
        collator = DataCollatorWithPadding(tokenizer, pad_to_multiple_of=cfg.trainer.get("pad_to_multiple_of"))
    tracker = start(cfg, run_dir) if main else Tracker(None)
    exit_code = 1
    try:
        kwargs = _trainer_kwargs(cfg)
        kwargs["report_to"] = ["wandb"] if tracker.active else "none"
        args = TrainingArguments(
            output_dir=str(run_dir / "checkpoints"), seed=int(cfg.seed), run_name=run_name(cfg), **kwargs
        )
        callbacks = []
        if cfg.trainer.get("early_stopping_patience"):
            callbacks.append(EarlyStoppingCallback(int(cfg.trainer.early_stopping_patience)))
        # the callbacks group (LHT-style: each entry a _target_) and a logger's own callback (logger=csv)
        callbacks += instantiate_callbacks(cfg.get("callbacks"))
        if main:
            callbacks += instantiate_callbacks({k: v for k, v in (cfg.get("logger") or {}).items() if k == "csv"})
        averager = WeightAverager(average_from) if average_from else None
        if averager is not None:
            callbacks.append(averager)
        # SIGTERM/SIGUSR1 -> checkpoint, stop, exit 143 (resume=true continues)
        on_signal = preemption.SaveOnSignal()
        callbacks.append(on_signal)
        trainer = trainer_cls(
            model=model,
            args=args,
            train_dataset=_model_columns(train_ds),
            eval_dataset=_model_columns(eval_ds),
            processing_class=tokenizer,
            data_collator=collator,
            compute_metrics=make_compute_metrics(labels),
            callbacks=callbacks,
        )
        if averager is not None and (getattr(trainer, "is_fsdp_enabled", False)
                                     or getattr(trainer, "is_deepspeed_enabled", False)):
            raise ConfigError("trainer.average_last_epochs is not supported with sharded weights (FSDP, DeepSpeed)")
        # the newest checkpoint written completely (a kill while saving leaves torn ones)
        resume_from = preemption.last_complete_checkpoint(run_dir / "checkpoints") if cfg.get("resume") else None
        if averager is not None:
            averager.load(resume_from)
        if cfg.get("resume") and resume_from is None:
            log.warning("resume=true but no checkpoint under %s: starting from scratch", run_dir / "checkpoints")
        # preemption and an exact train_loss after resume
        loss_before = preemption.LossBefore.read(resume_from)
        on_signal.install()
        try:
            train_result = trainer.train(resume_from_checkpoint=resume_from)
        finally:
            on_signal.uninstall()
        if on_signal.preempted:
            log.warning("stopped by a signal after saving %s; continue with resume=true hydra.run.dir=%s",
                        _last_checkpoint(run_dir / "checkpoints"), run_dir)
            raise preemption.Preempted(_last_checkpoint(run_dir / "checkpoints"))
        train_result.metrics["train_loss"] = loss_before.whole_run(
            train_result.metrics["train_loss"], trainer.state.global_step)
        train_result.metrics["train_resumed_from_step"] = loss_before.step

        results: dict[str, Any] = {"run_name": run_name(cfg), "run_dir": str(run_dir), "labels": labels}
        if warnings:
            results["warnings"] = warnings
        results.update({f"train_{k}" if not k.startswith("train_") else k: v for k, v in train_result.metrics.items()})
        # the loss curve at every logging step (trainer.logging_steps), without wandb
        results["train_losses"] = [round(float(e["loss"]), 6) for e in trainer.state.log_history if "loss" in e]
        best_val = None
        if averager is not None:
            wanted = int(cfg.trainer.average_last_epochs)
            if averager.count < wanted:
                log.warning("checkpoint averaging: %d of the %d epochs asked for were averaged (early stopping?)",
                            averager.count, wanted)
            if averager.count:
                info, best_val = choose_averaged(
                    trainer.model, averager, lambda: trainer.evaluate(metric_key_prefix="validation"),
                    str(args.metric_for_best_model), bool(args.greater_is_better))
                results.update(info)
        if best_val is None:
            best_val = trainer.evaluate(metric_key_prefix="validation")
        results.update({k: v for k, v in best_val.items()})
        results.update({f"best_{k}": v for k, v in best_val.items() if k.startswith("validation_")})
        details: dict[str, Any] = {}
        if test_ds is not None:
            out = trainer.predict(_model_columns(test_ds), metric_key_prefix="test")
            logits = out.predictions[0] if isinstance(out.predictions, tuple) else out.predictions
            flat, details, preds = evaluate_predictions(logits, out.label_ids, splits["test"], labels, cfg.data)
            results.update(flat)
            if main:
                _write_test_outputs(run_dir, splits["test"], logits, preds, labels, tracker, details)
        # FSDP/DeepSpeed shard the weights; gather them on every rank (None otherwise)
        full_state = preemption.full_state_dict(trainer)
        # the weights trained in fp32; saved so unless model.save_dtype asks for fp16/bf16
        full_state = cast_state_dict(trainer.model, cfg.model.get("save_dtype"), full_state)
        if main:
            save_run(trainer, tokenizer, run_dir, results, tracker, cfg, full_state)
            if details:
                write_json(run_dir / "metrics_detail.json", details)
        exit_code = 0
        return results
    finally:
        tracker.finish(exit_code)


def _write_test_outputs(
    run_dir: Path,
    rows: Sequence[Mapping[str, Any]],
    logits: np.ndarray,
    preds: np.ndarray,
    labels: Sequence[str],
    tracker: Tracker,
    details: Mapping[str, Any],
) -> None:
    probs = np.exp(logits - logits.max(-1, keepdims=True))
    probs /= probs.sum(-1, keepdims=True)
    with (run_dir / "test_predictions.jsonl").open("w", encoding="utf-8") as handle:
        for row, pred, prob in zip(rows, preds, probs):
            handle.write(json.dumps({
                "text": row["text"], "target": row["target"], "source": row["source"], "group": row["group"],
                "label": row["label"], "prediction": labels[int(pred)],
                "scores": {lab: round(float(p), 5) for lab, p in zip(labels, prob)},
            }, ensure_ascii=False) + "\n")
    gold = [labels.index(r["label"]) for r in rows]
    cm = confusion_matrix(preds, gold, len(labels))
    png = confusion_png(cm, labels, run_dir / "confusion.png", title="test confusion matrix")
    tracker.image("test/confusion_matrix", png)
    per_target = details.get("per_target", {})
    tracker.table(
        "test/per_target",
        ["target", "support", "f_avg", "macro_f1", "accuracy"],
        [[t, m["support"], m["f_avg"], m["macro_f1"], m["accuracy"]] for t, m in sorted(per_target.items())],
    )


def run(cfg: DictConfig) -> float | None:
    """Hydra entry point: print the config (``print_config``), train, print where things are, return
    ``cfg.optimized_metric`` for sweepers. ``task: attribution`` (``stance-train --config-name attribution``) trains
    the attribution tagger instead."""
    if cfg.get("print_config", True) and is_main_process():
        from stance.config import print_config_tree

        print_config_tree(cfg)
    if cfg.get("task") == "attribution":
        from stance.train.attribution import run as run_attribution

        return run_attribution(cfg)
    results = train(cfg)
    if not is_main_process():
        return None
    _print_summary(results)
    latest = Path(str(cfg.paths.log_dir)) / "latest"
    try:
        if latest.is_symlink() or not latest.exists():
            latest.unlink(missing_ok=True)
            latest.symlink_to(Path(results["run_dir"]), target_is_directory=True)
    except OSError:
        pass
    metric = cfg.get("optimized_metric")
    value = results.get(metric) if metric else None
    return float(value) if value is not None else None


def _print_summary(results: Mapping[str, Any]) -> None:
    shown = ["test_accuracy", "test_macro_f1", "test_f_avg"]
    shown += sorted(k for k in results if k.startswith("test_") and k.endswith(("seen_macro_f1", "seen_f_avg")))
    shown += sorted(k for k in results if k.startswith("test_") and k.endswith("_score"))
    shown += ["best_validation_f_avg", "best_validation_macro_f1"]
    lines = ["", "metrics:"]
    lines += [f"  {key:<40} {results[key]:.4f}" for key in dict.fromkeys(shown) if key in results]
    lines.append(f"run directory: {results['run_dir']}")
    lines.append(f"model:         {results.get('model_dir')}")
    if results.get("wandb_dir"):
        lines.append(f"wandb run:     {results['wandb_dir']}  (sync with: wandb sync {results['wandb_dir']})")
    print("\n".join(lines), flush=True)


def _ensure_env() -> None:
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


_ensure_env()
