"""NLI cross-encoders (entailment / neutral / contradiction heads) as stance models: zero-shot, or as the
starting point of fine-tuning with the head kept.

Zero-shot (:class:`NLIZeroShotClassifier`): each (quotation, target) pair is scored against one hypothesis per
templated label, premise = the quotation, hypothesis = the template filled with the target (default: ``favor``:
"The speaker supports {target}.", ``against``: "The speaker opposes {target}."). The rule that maps the model's
entailment probabilities to stance probabilities: a templated label scores its hypothesis' entailment
probability ``e``; a label without a template (``none``) scores ``1 - max(e)``; the scores are normalized to
sum to 1. So ``favor`` wins when "supports" is entailed with probability above 1/2 and more than "opposes",
``none`` when no hypothesis reaches 1/2. Batching is :class:`~stance.model.classifier.StanceClassifier`'s
(length-sorted, dynamic padding): one forward pass per hypothesis per pair.

Fine-tuning (:func:`keep_nli_head`): the output layer's rows are reordered to the stance labels through a map
(default ``favor``: entailment, ``against``: contradiction, ``none``: neutral) instead of being re-initialized.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from stance.errors import ModelConfigError
from stance.model.classifier import StanceClassifier
from stance.model.encoding import InputFormat

NLI_LABELS = ("entailment", "neutral", "contradiction")
DEFAULT_HEAD_MAP = {"favor": "entailment", "against": "contradiction", "none": "neutral"}
DEFAULT_TEMPLATES = {"favor": "The speaker supports {target}.", "against": "The speaker opposes {target}."}
STANCE_LABELS = ("favor", "against", "none")


def nli_label_ids(config: Any) -> dict[str, int] | None:
    """``{"entailment": i, "contradiction": j, ...}`` when the model's ``id2label`` is an NLI head (any case),
    else ``None``."""
    id2label = getattr(config, "id2label", None) or {}
    ids = {str(name).strip().lower(): int(i) for i, name in id2label.items()}
    if {"entailment", "contradiction"} <= set(ids) and set(ids) <= set(NLI_LABELS):
        return ids
    return None


def output_layer(model: Any, n_outputs: int) -> tuple[Any, str]:
    """The classification head's last linear layer (the one with one row per label) and its dotted name."""
    from torch import nn

    found = [(name, m) for name, m in model.named_modules() if isinstance(m, nn.Linear) and m.out_features == n_outputs]
    if not found:
        raise ModelConfigError(f"{type(model).__name__}: no linear output layer with {n_outputs} rows")
    name, module = found[-1]  # heads come after the encoder in every architecture's module order
    return module, name


def keep_nli_head(model: Any, labels: Sequence[str], head_map: Mapping[str, str] | None = None) -> Any:
    """Reorder the NLI head's rows to ``labels`` through ``head_map`` (stance label -> NLI label) and set the
    model's ``id2label``/``label2id``; return the model."""
    import torch
    from torch import nn

    from stance.data.labels import label_maps

    nli_ids = nli_label_ids(model.config)
    if nli_ids is None:
        raise ModelConfigError(f"{type(model).__name__}: id2label {model.config.id2label} is not an NLI head")
    head_map = {str(k): str(v).lower() for k, v in dict(head_map or DEFAULT_HEAD_MAP).items()}
    missing = [lab for lab in labels if head_map.get(lab) not in nli_ids]
    if missing:
        raise ModelConfigError(f"model.nli_head.map: labels {missing} have no NLI row "
                               f"(map: {head_map}; the model's rows: {sorted(nli_ids)})")
    layer, name = output_layer(model, len(nli_ids))
    rows = torch.tensor([nli_ids[head_map[lab]] for lab in labels])
    new = nn.Linear(layer.in_features, len(labels), bias=layer.bias is not None,
                    device=layer.weight.device, dtype=layer.weight.dtype)
    with torch.no_grad():
        new.weight.copy_(layer.weight[rows])
        if layer.bias is not None:
            new.bias.copy_(layer.bias[rows])
    parent = model.get_submodule(name.rpartition(".")[0]) if "." in name else model
    setattr(parent, name.rpartition(".")[2], new)
    label2id, id2label = label_maps(labels)
    model.config.num_labels = len(labels)
    model.config.id2label, model.config.label2id = id2label, label2id
    if hasattr(model, "num_labels"):
        model.num_labels = len(labels)
    return model


def check_templates(templates: Mapping[str, str] | None) -> dict[str, str]:
    """The hypothesis templates (stance label -> text with ``{target}``), defaults where none are given."""
    out = {str(k): str(v) for k, v in dict(templates or DEFAULT_TEMPLATES).items()}
    unknown = [lab for lab in out if lab not in STANCE_LABELS]
    if unknown or not out:
        raise ModelConfigError(f"nli_templates: labels must be among {STANCE_LABELS}, got {sorted(out)}")
    for lab, text in out.items():
        if "{target}" not in text:
            raise ModelConfigError(f"nli_templates.{lab}: {text!r} has no {{target}}")
    if len(out) == len(STANCE_LABELS):
        raise ModelConfigError("nli_templates: leave one label without a template (it scores 1 - max entailment)")
    return out


def stance_from_entailment(entail: np.ndarray, templated: Sequence[str]) -> np.ndarray:
    """``(pairs, len(templated))`` entailment probabilities -> ``(pairs, 3)`` probabilities over STANCE_LABELS:
    a templated label scores its entailment, the others ``1 - max``, normalized (the module docstring's rule)."""
    rest = 1.0 - entail.max(axis=1) if entail.size else np.zeros(len(entail))
    cols = [entail[:, templated.index(lab)] if lab in templated else rest for lab in STANCE_LABELS]
    scores = np.clip(np.stack(cols, axis=1), 0.0, None)
    return (scores / np.clip(scores.sum(axis=1, keepdims=True), 1e-12, None)).astype(np.float32)


class NLIZeroShotClassifier(StanceClassifier):
    """A StanceClassifier over an NLI model: same API, labels favor/against/none, no training."""

    def __init__(self, model: Any, tokenizer: Any, input_format: InputFormat, *,
                 templates: Mapping[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(model, tokenizer, input_format, **kwargs)
        ids = nli_label_ids(model.config)
        if ids is None:
            raise ModelConfigError(f"{model.config.id2label} is not an NLI head")
        self.entailment_id = ids["entailment"]
        self.templates = check_templates(templates)
        # premise = quotation, hypothesis = filled template: the pair layout NLI models were trained on
        self.input_format = InputFormat(style="pair", max_length=input_format.max_length,
                                        normalize=input_format.normalize)
        self._labels = STANCE_LABELS

    def predict_proba(self, texts: Sequence[str], targets: Sequence[str], *, chunk_size: int | None = None) -> np.ndarray:
        if len(texts) != len(targets):
            raise ValueError(f"{len(texts)} texts but {len(targets)} targets")
        templated = list(self.templates)
        entail = np.zeros((len(texts), len(templated)), dtype=np.float32)
        for j, lab in enumerate(templated):
            hypotheses = [self.templates[lab].format(target=t) for t in targets]
            entail[:, j] = self.model_proba(texts, hypotheses, chunk_size=chunk_size)[:, self.entailment_id]
        return stance_from_entailment(entail, templated)

    def __repr__(self) -> str:
        return f"NLIZeroShotClassifier({str(self.model_dir)!r}, templates={self.templates}, precision={self.precision!r})"
