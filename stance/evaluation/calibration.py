"""Calibration of predicted probabilities: reliability bins, expected calibration error, reliability diagram.

Confidence is the probability of the predicted label; a model is calibrated when, among predictions made
with confidence ~p, a share ~p is correct. ECE (Guo et al. 2017) is the support-weighted mean gap between
accuracy and confidence over equal-width confidence bins.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np


@dataclass(frozen=True)
class CalibrationBin:
    """One confidence bin ``[lower, upper)`` (the last bin includes 1.0)."""

    lower: float
    upper: float
    count: int
    accuracy: float
    confidence: float


def reliability_bins(confidence: Sequence[float], correct: Sequence[bool], n_bins: int = 10) -> list[CalibrationBin]:
    """Equal-width bins over [0, 1] with the count, accuracy and mean confidence of each (empty bins: 0)."""
    if n_bins < 1:
        raise ValueError(f"n_bins must be at least 1, got {n_bins}")
    conf = np.asarray(confidence, dtype=float)
    hit = np.asarray(correct, dtype=float)
    if conf.shape != hit.shape:
        raise ValueError(f"{conf.shape[0]} confidences but {hit.shape[0]} correctness flags")
    if conf.size and (conf.min() < 0.0 or conf.max() > 1.0 + 1e-6):
        raise ValueError("confidences must lie in [0, 1]")
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    which = np.clip(np.searchsorted(edges, conf, side="right") - 1, 0, n_bins - 1)
    out = []
    for b in range(n_bins):
        idx = which == b
        n = int(idx.sum())
        out.append(CalibrationBin(
            lower=float(edges[b]), upper=float(edges[b + 1]), count=n,
            accuracy=float(hit[idx].mean()) if n else 0.0,
            confidence=float(conf[idx].mean()) if n else 0.0,
        ))
    return out


def expected_calibration_error(bins: Sequence[CalibrationBin]) -> float:
    """Support-weighted mean of |accuracy - confidence| over the bins (0 for no predictions)."""
    total = sum(b.count for b in bins)
    if total == 0:
        return 0.0
    return float(sum(b.count * abs(b.accuracy - b.confidence) for b in bins) / total)


def maximum_calibration_error(bins: Sequence[CalibrationBin]) -> float:
    """The largest |accuracy - confidence| over non-empty bins."""
    gaps = [abs(b.accuracy - b.confidence) for b in bins if b.count]
    return float(max(gaps)) if gaps else 0.0


def calibration_report(probs: np.ndarray, refs: Sequence[int], n_bins: int = 10) -> dict[str, Any]:
    """ECE, MCE, Brier score, negative log-likelihood and the bins, from a probability matrix and gold ids.

    ``probs`` has one row per example (rows sum to 1); ``refs`` are column indices of the gold labels.
    """
    probs = np.asarray(probs, dtype=float)
    refs = np.asarray(refs, dtype=np.int64)
    if probs.ndim != 2 or probs.shape[0] != refs.shape[0]:
        raise ValueError(f"probabilities of shape {probs.shape} do not match {refs.shape[0]} gold labels")
    preds = probs.argmax(-1) if len(probs) else np.zeros(0, dtype=np.int64)
    conf = probs.max(-1) if len(probs) else np.zeros(0)
    bins = reliability_bins(conf, preds == refs, n_bins)
    onehot = np.zeros_like(probs)
    onehot[np.arange(len(refs)), refs] = 1.0
    gold_p = probs[np.arange(len(refs)), refs] if len(refs) else np.zeros(0)
    return {
        "ece": expected_calibration_error(bins),
        "mce": maximum_calibration_error(bins),
        "brier": float(((probs - onehot) ** 2).sum(-1).mean()) if len(refs) else 0.0,
        "nll": float(-np.log(np.clip(gold_p, 1e-12, 1.0)).mean()) if len(refs) else 0.0,
        "mean_confidence": float(conf.mean()) if len(refs) else 0.0,
        "bins": [asdict(b) for b in bins],
    }


def reliability_png(bins: Sequence[CalibrationBin | dict], path: str | Path, title: str = "") -> Path:
    """A reliability diagram: accuracy per confidence bin against the diagonal, with bin counts below."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [b if isinstance(b, dict) else asdict(b) for b in bins]
    lower = np.array([b["lower"] for b in rows])
    width = np.array([b["upper"] - b["lower"] for b in rows])
    acc = np.array([b["accuracy"] for b in rows])
    conf = np.array([b["confidence"] for b in rows])
    count = np.array([b["count"] for b in rows])
    ece = expected_calibration_error([CalibrationBin(**b) for b in rows])
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(5, 6), sharex=True, gridspec_kw={"height_ratios": [3, 1]})
    filled = count > 0
    top.bar(lower[filled], acc[filled], width=width[filled], align="edge", edgecolor="black", color="#4c72b0",
            label="accuracy")
    top.bar(lower[filled], conf[filled] - acc[filled], bottom=acc[filled], width=width[filled], align="edge",
            color="#dd8452", alpha=0.45, edgecolor="#dd8452", hatch="//", label="gap to confidence")
    top.plot([0, 1], [0, 1], "--", color="gray", label="perfect calibration")
    top.set_ylim(0, 1)
    top.set_ylabel("accuracy")
    top.legend(loc="upper left", fontsize=8)
    top.set_title(f"{title or 'reliability diagram'}  (ECE {ece:.3f})")
    bottom.bar(lower, count, width=width, align="edge", edgecolor="black", color="#999999")
    bottom.set_xlim(0, 1)
    bottom.set_xlabel("confidence (probability of the predicted label)")
    bottom.set_ylabel("count")
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
