"""Knowledge distillation: the loss, the teachers' probabilities and a distilled run end to end (tiny models)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from stance.model.classifier import StanceClassifier
from stance.train import distill
from stance.train.trainer import train
from tests.conftest import compose, tiny_overrides
from tests.helpers_models import make_tiny_model


def test_soft_loss_limits() -> None:
    torch.manual_seed(0)
    logits, labels = torch.randn(6, 3), torch.tensor([0, 1, 2, 0, 1, 2])
    ce = F.cross_entropy(logits, labels)
    one_hot = F.one_hot(labels, 3).float()
    assert distill.soft_loss(logits, labels, torch.rand(6, 3), 0.0, 1.0) == pytest.approx(float(ce))
    # one-hot teachers at T=1: KL(one-hot || p) is the cross-entropy, so every weight gives the CE
    for weight in (0.5, 1.0):
        assert float(distill.soft_loss(logits, labels, one_hot, weight, 1.0)) == pytest.approx(float(ce), abs=1e-4)
    # teachers equal to the student: only the hard part is left
    probs = logits.softmax(-1)
    assert float(distill.soft_loss(logits, labels, probs, 1.0, 2.0)) == pytest.approx(0.0, abs=1e-5)
    assert float(distill.soft_loss(logits, labels, probs, 0.5, 1.0)) == pytest.approx(0.5 * float(ce), abs=1e-5)


def test_bad_settings_are_rejected() -> None:
    from transformers import Trainer

    with pytest.raises(distill.DistillError, match="weight"):
        distill.distilling_trainer(Trainer, 1.5, 1.0)
    with pytest.raises(distill.DistillError, match="temperature"):
        distill.distilling_trainer(Trainer, 0.5, 0.0)


def test_teacher_probs_average_in_the_students_label_order(tmp_path: Path) -> None:
    rows = [{"text": "We will fight this war.", "target": "military intervention"},
            {"text": "Peace and democracy for the people.", "target": "the government"}]
    a = make_tiny_model(tmp_path / "a", seed=1)
    b = make_tiny_model(tmp_path / "b", labels=["none", "against", "favor"], seed=2)
    texts, targets = [r["text"] for r in rows], [r["target"] for r in rows]
    pa = StanceClassifier.from_pretrained(a, precision="fp32").predict_proba(texts, targets)
    pb = StanceClassifier.from_pretrained(b, precision="fp32").predict_proba(texts, targets)[:, [2, 1, 0]]
    got = distill.teacher_probs([str(a), str(b)], rows, ["favor", "against", "none"])
    np.testing.assert_allclose(got, (pa + pb) / 2, atol=1e-6)
    np.testing.assert_allclose(got.sum(-1), 1.0, atol=1e-5)


def test_teachers_that_cannot_teach(tmp_path: Path) -> None:
    rows = [{"text": "x", "target": "y"}]
    with pytest.raises(distill.DistillError, match="cannot|no model|not"):
        distill.teacher_probs([str(tmp_path / "missing")], rows, ["favor", "against", "none"])
    two = make_tiny_model(tmp_path / "two", labels=["favor", "against"])
    with pytest.raises(distill.DistillError, match="predicts"):
        distill.teacher_probs([str(two)], rows, ["favor", "against", "none"])


def test_distilled_run_learns_from_its_teacher(tiny_files, tmp_path: Path) -> None:
    teacher = tmp_path / "teacher"
    train(compose("train", tiny_overrides(tiny_files, teacher, "trainer.num_train_epochs=4")))
    student = tmp_path / "student"
    results = train(compose("train", tiny_overrides(
        tiny_files, student, f"distill.teachers=[{teacher}]", "distill.weight=1.0", "distill.temperature=2.0")))
    assert (student / "model" / "model.safetensors").is_file()
    saved = json.loads((student / "metrics.json").read_text())
    assert saved["test_macro_f1"] == results["test_macro_f1"]
    assert np.isfinite(saved["train_loss"]) and saved["train_loss"] >= 0
    # weight 0 is plain fine-tuning, step for step; weight 1 learns the teacher instead of the gold labels
    plain = train(compose("train", tiny_overrides(tiny_files, tmp_path / "plain")))
    zero = train(compose("train", tiny_overrides(tiny_files, tmp_path / "zero", f"distill.teachers=[{teacher}]",
                                                 "distill.weight=0.0")))
    assert zero["train_loss"] == pytest.approx(plain["train_loss"], abs=1e-5)
    assert saved["train_loss"] != pytest.approx(plain["train_loss"], abs=1e-3)
