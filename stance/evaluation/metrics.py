"""Stance metrics through the `evaluate` module shipped in the package, plus grouped reports."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

METRIC_PATH = Path(__file__).resolve().parent / "metrics_module" / "stance_metrics"


@lru_cache(maxsize=1)
def load_metric() -> Any:
    """The local `evaluate` module (``evaluate.load`` on its folder: no hub access)."""
    import evaluate

    return evaluate.load(str(METRIC_PATH))


def compute(
    predictions: Sequence[int],
    references: Sequence[int],
    label_names: Sequence[str],
    eval_labels: Sequence[str] | None = None,
) -> dict[str, float]:
    """accuracy, macro_f1, f_avg and per-class precision/recall/F1 (see the module's docs)."""
    return load_metric().compute(
        predictions=[int(p) for p in predictions],
        references=[int(r) for r in references],
        label_names=list(label_names),
        eval_labels=list(eval_labels) if eval_labels is not None else None,
    )


def restrict_logits(logits: np.ndarray, label_names: Sequence[str], allowed: Sequence[str]) -> np.ndarray:
    """Argmax over the allowed labels only (a two-class dataset scored with a three-class model)."""
    keep = np.array([name in set(allowed) for name in label_names])
    if keep.all():
        return logits.argmax(-1)
    masked = np.where(keep[None, :], logits, -np.inf)
    return masked.argmax(-1)


def grouped(
    predictions: np.ndarray,
    references: np.ndarray,
    groups: Sequence[Any],
    label_names: Sequence[str],
    eval_labels: Sequence[str] | None = None,
) -> dict[str, dict[str, float]]:
    """Metrics for each value of ``groups`` (per target, per dataset, seen/unseen), with its support."""
    groups = np.asarray([str(g) for g in groups])
    out = {}
    for value in sorted(set(groups)):
        idx = groups == value
        metrics = compute(predictions[idx], references[idx], label_names, eval_labels)
        metrics["support"] = int(idx.sum())
        out[value] = metrics
    return out


def summarize_by_target(per_target: dict[str, dict[str, float]]) -> dict[str, float]:
    """Unweighted means over targets (P-Stance and COVID-19 papers average per-target scores)."""
    if not per_target:
        return {}
    return {
        "f_avg_target_mean": float(np.mean([m["f_avg"] for m in per_target.values()])),
        "macro_f1_target_mean": float(np.mean([m["macro_f1"] for m in per_target.values()])),
    }
