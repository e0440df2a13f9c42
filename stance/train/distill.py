"""Knowledge distillation: a student trained on the averaged label probabilities of trained teachers.

A probability ensemble of a few fine-tuned models scores well above each of them (docs/results.md) but costs
their number in inference time; distilling it gives one model of the student's size. The loss on a training row
is ``(1 - weight) * CE(gold) + weight * T^2 * KL(teachers_T || student_T)``, with the teachers' probabilities
averaged and sharpened or softened by the temperature ``T`` (Hinton et al. 2015).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from stance.errors import DistillError

log = logging.getLogger(__name__)

#: the column of the training dataset holding the teachers' probabilities
COLUMN = "teacher_probs"



def teacher_probs(teachers: Sequence[str], rows: Sequence[Mapping[str, Any]], labels: Sequence[str]) -> np.ndarray:
    """The teachers' probabilities for ``rows``, averaged, shape ``(len(rows), len(labels))`` in ``labels`` order.

    Each teacher reads the pairs with its own saved input format, in fp32.
    """
    from stance.errors import ModelLoadError
    from stance.model.classifier import StanceClassifier

    if not teachers:
        raise DistillError("distill.teachers is empty")
    classifiers = []
    for path in teachers:  # every teacher checked before any is run
        try:
            clf = StanceClassifier.from_pretrained(path, precision="fp32")
        except ModelLoadError as e:
            raise DistillError(f"distill.teachers: {e}") from None
        if set(clf.labels) != set(labels):
            raise DistillError(f"distill.teachers: {path!r} predicts {list(clf.labels)}, the student {list(labels)}")
        classifiers.append(clf)
    texts, targets = [r["text"] for r in rows], [r["target"] for r in rows]
    total = np.zeros((len(rows), len(labels)), dtype=np.float64)
    for path, clf in zip(teachers, classifiers):
        log.info("distillation: scoring %d training rows with teacher %s", len(rows), path)
        probs = clf.predict_proba(texts, targets)
        total += probs[:, [clf.labels.index(label) for label in labels]]
    return (total / len(teachers)).astype(np.float32)


def soft_loss(logits: Any, labels: Any, probs: Any, weight: float, temperature: float) -> Any:
    """``(1 - weight) * CE(labels) + weight * T^2 * KL(probs_T || softmax(logits / T))``, averaged over the batch."""
    import torch.nn.functional as F

    hard = F.cross_entropy(logits, labels)
    if weight <= 0:
        return hard
    target = probs.clamp_min(1e-8) ** (1.0 / temperature)
    target = target / target.sum(-1, keepdim=True)
    kl = F.kl_div(F.log_softmax(logits / temperature, dim=-1), target, reduction="batchmean")
    return (1.0 - weight) * hard + weight * temperature**2 * kl


def distilling_trainer(base: type, weight: float, temperature: float) -> type:
    """A subclass of the Trainer class ``base`` whose training loss uses the rows' teacher probabilities."""
    if not 0.0 <= weight <= 1.0:
        raise DistillError(f"distill.weight must be in [0, 1], got {weight}")
    if temperature <= 0:
        raise DistillError(f"distill.temperature must be positive, got {temperature}")

    class DistillingTrainer(base):  # type: ignore[misc, valid-type]
        loss_is_scaled_for_ga = False  # our loss is a batch mean: the Trainer divides it by the accumulation steps

        def _set_signature_columns_if_needed(self) -> None:
            super()._set_signature_columns_if_needed()
            if COLUMN not in self._signature_columns:  # keep the column that forward() does not take
                self._signature_columns.append(COLUMN)

        def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):  # noqa: ANN001, ANN201
            probs = inputs.pop(COLUMN, None)
            if probs is None:  # evaluation rows have no teachers
                return super().compute_loss(model, inputs, return_outputs, num_items_in_batch)
            labels = inputs.pop("labels")
            outputs = model(**inputs)
            loss = soft_loss(outputs.logits.float(), labels, probs.float(), weight, temperature)
            return (loss, outputs) if return_outputs else loss

    return DistillingTrainer
