"""The metrics module against hand-computed values, including the official pooled F_avg."""

from __future__ import annotations

import numpy as np
import pytest

from stance.evaluation import metrics
from stance.evaluation.scoring import evaluate_predictions

L = ["favor", "against", "none"]
F, A, N = 0, 1, 2


def test_hand_computed_case() -> None:
    gold = [F, F, A, A, A, N]
    pred = [F, A, A, A, N, N]
    m = metrics.compute(pred, gold, L)
    # favor: P=1, R=1/2, F1=2/3; against: P=2/3, R=2/3, F1=2/3; none: P=1/2, R=1, F1=2/3
    assert m["f1_favor"] == pytest.approx(2 / 3)
    assert m["precision_against"] == pytest.approx(2 / 3)
    assert m["recall_none"] == pytest.approx(1.0)
    assert m["f_avg"] == pytest.approx(2 / 3)
    assert m["macro_f1"] == pytest.approx(2 / 3)
    assert m["accuracy"] == pytest.approx(4 / 6)


def test_f_avg_ignores_none_and_matches_sklearn() -> None:
    from sklearn.metrics import f1_score

    rng = np.random.default_rng(0)
    gold, pred = rng.integers(0, 3, 200), rng.integers(0, 3, 200)
    m = metrics.compute(pred, gold, L)
    per_class = f1_score(gold, pred, labels=[0, 1, 2], average=None, zero_division=0)
    assert m["f_avg"] == pytest.approx((per_class[0] + per_class[1]) / 2)
    assert m["macro_f1"] == pytest.approx(per_class.mean())


def test_pooled_f_avg_differs_from_the_mean_over_targets() -> None:
    # Official TweetEval/SemEval F_avg pools every row of the test file; P-Stance averages per target.
    rows = [{"target": t, "source": "d", "group": ""} for t in ["x"] * 4 + ["y"] * 2]
    gold = np.array([F, F, F, A, A, A])
    logits = np.eye(3)[[F, F, A, A, F, A]]
    flat, details, _ = evaluate_predictions(logits, gold, rows, L, {"name": "d", "labels": L})
    # pooled: favor P=2/3 R=2/3 F1=2/3; against P=2/3 R=2/3 F1=2/3 -> 2/3
    assert flat["test_f_avg"] == pytest.approx(2 / 3)
    # x: favor F1=0.8, against F1=2/3 -> 0.7333; y: favor F1=0, against F1=2/3 -> 1/3
    assert details["per_target"]["x"]["f_avg"] == pytest.approx((0.8 + 2 / 3) / 2)
    assert flat["test_f_avg_target_mean"] == pytest.approx(((0.8 + 2 / 3) / 2 + 1 / 3) / 2)


def test_two_class_source_is_scored_over_its_own_labels() -> None:
    rows = [{"target": "t", "source": "two", "group": ""}] * 3
    gold = np.array([F, A, A])
    logits = np.array([[0.2, 0.1, 0.9], [0.1, 0.3, 0.9], [0.5, 0.1, 0.2]])  # `none` would win twice
    flat, _, preds = evaluate_predictions(logits, gold, rows, L, {"name": "two", "labels": ["favor", "against"]})
    assert list(preds) == [F, A, F]
    assert flat["test_accuracy"] == pytest.approx(2 / 3)
    # the macro average is over favor/against only: `none`, never gold nor predicted, is not a 0 F1 in it
    # (favor: P 1/2 R 1 -> F1 2/3; against: P 1 R 1/2 -> F1 2/3)
    assert flat["test_macro_f1"] == pytest.approx(2 / 3)
