"""NLI cross-encoders (entailment / neutral / contradiction heads) as stance models: zero-shot, or as the
starting point of fine-tuning with the head kept.

Zero-shot (:class:`~stance.model.classifier.NLIZeroShotClassifier`): each (quotation, target) pair is scored
against one hypothesis per templated label, premise = the quotation, hypothesis = the template of the target's
kind filled with the target (``stance.data.entailment``; default ``favor``: "The speaker supports {target}.",
``against``: "The speaker opposes {target}.", for a claim "The speaker agrees / disagrees that {claim}."). A
model trained by the NLI stage carries its own templates (``config.stance_hypotheses``). The rule that maps the model's
entailment probabilities to stance probabilities: a templated label scores its hypothesis' entailment
probability ``e``; a label without a template (``none``) scores ``1 - max(e)``; the scores are normalized to
sum to 1. So ``favor`` wins when "supports" is entailed with probability above 1/2 and more than "opposes",
``none`` when no hypothesis reaches 1/2. One forward pass per hypothesis per pair.

Fine-tuning (:func:`keep_nli_head`): the output layer's rows are reordered to the stance labels through a map
(default ``favor``: entailment, ``against``: contradiction, ``none``: neutral) instead of being re-initialized.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from stance.data.entailment import DEFAULT_HYPOTHESES, check_hypotheses, hypothesis, target_kind
from stance.errors import ConfigError, ModelConfigError

NLI_LABELS = ("entailment", "neutral", "contradiction")
DEFAULT_HEAD_MAP = {"favor": "entailment", "against": "contradiction", "none": "neutral"}
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


def check_templates(templates: Mapping[str, Any] | None) -> dict[str, dict[str, str]]:
    """Hypothesis templates, kind of target -> stance label -> text (``stance.data.entailment``): per kind
    (``{person: {favor: ..., against: ...}, topic: ..., claim: ...}``) or one mapping of favor/against for every
    kind; defaults where none are given. ``none`` never has a template: it scores 1 - the highest entailment."""
    raw = dict(templates or DEFAULT_HYPOTHESES)
    if "none" in raw:
        raise ModelConfigError("nli_templates: leave `none` without a template (it scores 1 - max entailment)")
    try:
        return check_hypotheses(raw)
    except ConfigError as e:
        raise ModelConfigError(str(e).replace("hypotheses", "nli_templates", 1)) from None


def fill_hypotheses(targets: Sequence[str], templates: Mapping[str, Mapping[str, str]],
                    label: str) -> list[str]:
    """The ``label`` hypothesis about each target, from the templates of the target's kind."""
    # a prediction run pairs every quotation with the same few targets: each target's kind is read once
    filled = {t: hypothesis(t, label, templates, target_kind(t)) for t in set(targets)}
    return [filled[t] for t in targets]


def stance_from_entailment(entail: np.ndarray, templated: Sequence[str]) -> np.ndarray:
    """``(pairs, len(templated))`` entailment probabilities -> ``(pairs, 3)`` probabilities over STANCE_LABELS:
    a templated label scores its entailment, the others ``1 - max``, normalized (the module docstring's rule)."""
    rest = 1.0 - entail.max(axis=1) if entail.size else np.zeros(len(entail))
    cols = [entail[:, templated.index(lab)] if lab in templated else rest for lab in STANCE_LABELS]
    scores = np.clip(np.stack(cols, axis=1), 0.0, None)
    return (scores / np.clip(scores.sum(axis=1, keepdims=True), 1e-12, None)).astype(np.float32)


#: how a pair's two hypotheses become stance evidence (NLIZeroShotClassifier ``rule``): ``entailment`` reads only
#: each hypothesis' entailment; ``both`` also reads the opposite hypothesis' contradiction, as the NLI stage trains
#: both polarities: favor = mean(entail(supports), contradict(opposes)), and the reverse for against
ZERO_SHOT_RULES = ("entailment", "both")


def stance_evidence(support: np.ndarray, oppose: np.ndarray, ids: Mapping[str, int], rule: str) -> np.ndarray:
    """``(pairs, 2)`` favor/against evidence from the NLI probabilities of the supporting and the opposing
    hypothesis (each ``(pairs, n_nli_labels)``), by ``rule`` (:data:`ZERO_SHOT_RULES`)."""
    if rule not in ZERO_SHOT_RULES:
        raise ModelConfigError(f"zero-shot rule must be one of {list(ZERO_SHOT_RULES)}, got {rule!r}")
    e, c = ids["entailment"], ids["contradiction"]
    if rule == "entailment":
        return np.stack([support[:, e], oppose[:, e]], axis=1)
    return np.stack([(support[:, e] + oppose[:, c]) / 2, (oppose[:, e] + support[:, c]) / 2], axis=1)
