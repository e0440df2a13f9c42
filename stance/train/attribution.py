"""Fine-tuning the attribution tagger (source / cue / content, BIO per token) with the HF Trainer:
``stance-train --config-name attribution`` (``train(cfg) -> metrics``).

The run directory ends up with ``model/`` (a token-classification model loadable by
:class:`stance.attribution.tagger.AttributionTagger`), ``config.yaml`` and ``metrics.json``, and the wandb run.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from omegaconf import DictConfig, OmegaConf

from stance.attribution.corpus import load_attributions
from stance.attribution.windows import (
    IGNORE,
    LABELS,
    char_labels,
    token_labels,
    windows,
)
from stance.errors import ConfigError
from stance.evaluation.metrics import compute
from stance.model.build import build_tokenizer, cast_state_dict, resolve_pretrained
from stance.runtime.tracking import Tracker, is_main_process, start
from stance.train.run_files import save_run

log = logging.getLogger(__name__)

_OWN_KEYS = ("early_stopping_patience", "pad_to_max_length", "average_last_epochs")


def to_dataset(rows: Sequence[Mapping[str, Any]], tokenizer: Any, max_length: int, stride: int) -> Any:
    """Windows of every paragraph of ``rows`` with their BIO labels, as a ``datasets.Dataset``."""
    import datasets

    wins = windows(tokenizer, [r["text"] for r in rows], max_length, stride)
    chars = [char_labels(len(r["text"]), r["attributions"]) for r in rows]
    return datasets.Dataset.from_dict({
        "input_ids": [w.input_ids for w in wins],
        "attention_mask": [[1] * len(w.input_ids) for w in wins],
        "labels": [token_labels(w, chars[w.article]) for w in wins],
    })


def build_tagger_model(model_cfg: Mapping[str, Any], tokenizer: Any) -> Any:
    """A token classifier over :data:`LABELS` in fp32, from ``model.pretrained`` (its first ``model.num_layers``
    layers when set) or, with ``model.random_init``, a tiny random BERT."""
    import torch
    from transformers import AutoConfig, AutoModelForTokenClassification, BertConfig

    id2label = dict(enumerate(LABELS))
    labelled = {"num_labels": len(LABELS), "id2label": id2label, "label2id": {v: k for k, v in id2label.items()}}
    layers = model_cfg.get("num_layers")
    if model_cfg.get("pretrained"):
        source = resolve_pretrained(str(model_cfg["pretrained"]))
        config = AutoConfig.from_pretrained(source, **labelled)
        if layers:
            if int(layers) > config.num_hidden_layers:
                raise ConfigError(f"model.num_layers={layers}: the backbone has {config.num_hidden_layers}")
            config.num_hidden_layers = int(layers)  # the first layers are loaded, the rest left out
        return AutoModelForTokenClassification.from_pretrained(source, config=config, dtype=torch.float32)
    if model_cfg.get("random_init"):
        config = BertConfig(vocab_size=len(tokenizer), pad_token_id=tokenizer.pad_token_id, **labelled,
                            **dict(model_cfg["random_init"]))
        return AutoModelForTokenClassification.from_config(config, dtype=torch.float32)
    raise ConfigError("model config needs `pretrained` (hub name, path or packaged:MODULE) or `random_init`")


def token_metrics(eval_pred: Any) -> dict[str, float]:
    """Per-token precision, recall and F1 of the attribution labels (``O`` left out of the macro average)."""
    logits, labels = eval_pred
    preds = np.asarray(logits).argmax(-1).ravel()
    gold = np.asarray(labels).ravel()
    keep = gold != IGNORE
    return compute(preds[keep], gold[keep], LABELS, LABELS[1:])


def train(cfg: DictConfig) -> dict[str, Any]:
    """Fine-tune on ``data.train_file``, keep the best epoch on ``data.validation_file``, save ``model/``."""
    from transformers import (
        DataCollatorForTokenClassification,
        Trainer,
        TrainingArguments,
        set_seed,
    )

    run_dir = Path(str(cfg.paths.output_dir)).resolve()
    main = is_main_process()
    if main:
        run_dir.mkdir(parents=True, exist_ok=True)
        (run_dir / "config.yaml").write_text(OmegaConf.to_yaml(cfg, resolve=True), encoding="utf-8")
    set_seed(int(cfg.seed))
    train_rows = load_attributions(cfg.data.train_file)
    val_rows = load_attributions(cfg.data.validation_file)
    if cfg.data.get("max_articles"):
        train_rows, val_rows = train_rows[: int(cfg.data.max_articles)], val_rows[: int(cfg.data.max_articles)]
    tokenizer = build_tokenizer(cfg.model)
    model = build_tagger_model(cfg.model, tokenizer)
    max_length, stride = int(cfg.model.max_length), int(cfg.model.stride)
    train_ds = to_dataset(train_rows, tokenizer, max_length, stride)
    val_ds = to_dataset(val_rows, tokenizer, max_length, stride)
    tracker = start(cfg, run_dir) if main else Tracker(None)
    exit_code = 1
    try:
        kwargs = OmegaConf.to_container(cfg.trainer, resolve=True)
        for key in _OWN_KEYS:
            kwargs.pop(key, None)
        kwargs["report_to"] = ["wandb"] if tracker.active else "none"
        args = TrainingArguments(output_dir=str(run_dir / "checkpoints"), seed=int(cfg.seed),
                                 run_name=str(cfg.run_name or "attribution"), **kwargs)
        trainer = Trainer(model=model, args=args, train_dataset=train_ds, eval_dataset=val_ds,
                          processing_class=tokenizer, data_collator=DataCollatorForTokenClassification(tokenizer),
                          compute_metrics=token_metrics)
        result = trainer.train()
        best = trainer.evaluate(metric_key_prefix="validation")
        results: dict[str, Any] = {"run_dir": str(run_dir), "labels": list(LABELS),
                                   "train_windows": len(train_ds), "validation_windows": len(val_ds)}
        results.update({k if k.startswith("train_") else f"train_{k}": v for k, v in result.metrics.items()})
        results["train_losses"] = [round(float(e["loss"]), 6) for e in trainer.state.log_history if "loss" in e]
        results.update(best)
        if main:
            trainer.model.config.attribution_tagger = {"max_length": max_length, "stride": stride}
            save_run(trainer, tokenizer, run_dir, results, tracker, cfg,
                     cast_state_dict(trainer.model, cfg.model.get("save_dtype")))
        exit_code = 0
        return results
    finally:
        tracker.finish(exit_code)


def run(cfg: DictConfig) -> float | None:
    """Hydra entry point: train, print the validation scores and where the model went."""
    results = train(cfg)
    if not is_main_process():
        return None
    print(f"validation macro-F1 (attribution tokens) {results.get('validation_macro_f1', float('nan')):.4f}")
    print(f"model: {results.get('model_dir')}", flush=True)
    metric = cfg.get("optimized_metric")
    return float(results[metric]) if metric and metric in results else None
