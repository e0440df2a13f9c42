"""Scores of a model's predictions, shared by training (validation, test) and ``stance-eval``: overall, per
target, per source dataset (each over its own label set) and per group (seen / unseen targets)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from stance.data.loading import sources
from stance.evaluation import metrics as stance_metrics


def make_compute_metrics(labels: Sequence[str]):  # noqa: ANN201 - a Trainer callback
    def compute_metrics(eval_pred: Any) -> dict[str, float]:
        logits, refs = eval_pred.predictions, eval_pred.label_ids
        logits = logits[0] if isinstance(logits, tuple) else logits
        metrics = stance_metrics.compute(np.argmax(logits, -1), refs, labels)
        return {k: v for k, v in metrics.items() if not k.startswith(("precision_", "recall_"))}

    return compute_metrics


def evaluate_predictions(
    logits: np.ndarray,
    refs: np.ndarray,
    rows: Sequence[Mapping[str, Any]],
    labels: Sequence[str],
    data_cfg: Mapping[str, Any],
    prefix: str = "test",
) -> tuple[dict[str, Any], dict[str, Any], np.ndarray]:
    """Flat metrics (``{prefix}_accuracy`` ...), detailed tables (per target, per source, per group)
    and the predictions; each source is scored over its own label set."""
    srcs = sources(data_cfg)
    src_of_row = np.array([r["source"] for r in rows])
    preds = np.argmax(logits, -1)
    for name, src in srcs.items():
        allowed = list(src.get("labels") or labels)
        idx = src_of_row == name
        if idx.any() and set(allowed) != set(labels):
            preds[idx] = stance_metrics.restrict_logits(logits[idx], labels, allowed)
    # one source with a label subset (a two-class set scored by a three-class model): its own labels decide the
    # macro average, as they do per source and per group (else the never-gold `none` counts as an F1 of 0)
    only = next(iter(srcs.values())) if len(srcs) == 1 else {}
    own = list(only.get("labels") or labels)
    overall = stance_metrics.compute(preds, refs, labels, eval_labels=own if set(own) != set(labels) else None)
    flat = {f"{prefix}_{k}": v for k, v in overall.items()}
    flat[f"{prefix}_support"] = int(len(refs))
    details: dict[str, Any] = {}
    per_target = stance_metrics.grouped(preds, refs, [r["target"] for r in rows], labels)
    details["per_target"] = per_target
    flat.update({f"{prefix}_{k}": v for k, v in stance_metrics.summarize_by_target(per_target).items()})
    if len(srcs) > 1:
        details["per_source"] = {}
        for name, src in srcs.items():
            idx = src_of_row == name
            if not idx.any():
                continue
            allowed = list(src.get("labels") or labels)
            m = stance_metrics.compute(preds[idx], refs[idx], labels, eval_labels=allowed)
            tgt = stance_metrics.grouped(preds[idx], refs[idx], [r["target"] for r, k in zip(rows, idx) if k], labels, allowed)
            m.update(stance_metrics.summarize_by_target(tgt))
            m["support"] = int(idx.sum())
            details["per_source"][name] = m
            for key in ("accuracy", "macro_f1", "f_avg", "f_avg_target_mean", "macro_f1_target_mean"):
                flat[f"{prefix}_{name}_{key}"] = m[key]
    # subgroups inside a source (the bundled test split's seen and unseen targets)
    names = {"True": "seen", "False": "unseen"}
    multi = len(srcs) > 1
    keys = np.array([f"{r['source']}\t{r['group']}" for r in rows])
    details["per_group"] = {}
    for key in sorted(set(keys)):
        source, group = key.split("\t")
        if not group:
            continue
        idx = keys == key
        allowed = list(srcs.get(source, {}).get("labels") or labels)
        m = stance_metrics.compute(preds[idx], refs[idx], labels, eval_labels=allowed)
        m["support"] = int(idx.sum())
        tag = (f"{source}_" if multi else "") + names.get(group, group)
        details["per_group"][tag] = m
        for metric in ("accuracy", "macro_f1", "f_avg"):
            flat[f"{prefix}_{tag}_{metric}"] = m[metric]
    # each dataset's official score under one name
    for name, src in srcs.items():
        metric = src.get("metric")
        key = f"{prefix}_{name}_{metric}" if multi else f"{prefix}_{metric}"
        if metric and key in flat:
            flat[f"{prefix}_{name}_score" if multi else f"{prefix}_score"] = flat[key]
    return flat, details, preds
