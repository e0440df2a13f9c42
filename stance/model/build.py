"""Tokenizer and sequence-classification model built from the ``model`` config group."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from stance.data.labels import label_maps
from stance.errors import ModelConfigError
from stance.model.encoding import InputFormat
from stance.model.nli import keep_nli_head, nli_label_ids, output_layer
from stance.runtime.quiet import quiet_transformers

log = logging.getLogger(__name__)

PACKAGED_PREFIX = "packaged:"


def resolve_pretrained(name: str) -> str:
    """A hub name or local path as is; ``packaged:MODULE`` -> the model folder shipped in that PyPI package."""
    if not name.startswith(PACKAGED_PREFIX):
        return name
    module_name = name[len(PACKAGED_PREFIX):]
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        raise ModelConfigError(
            f"model {name!r}: the package {module_name!r} is not installed "
            f"(pip install {module_name.replace('_', '-')})"
        ) from None
    path = Path(module.get_model_path()) if hasattr(module, "get_model_path") else Path(module.__file__).parent / "model"
    if not (path / "config.json").exists():
        raise ModelConfigError(f"model {name!r}: no config.json under {path}")
    return str(path)


def input_format(model_cfg: Mapping[str, Any]) -> InputFormat:
    return InputFormat(**dict(model_cfg.get("input_format") or {}))


def build_tokenizer(model_cfg: Mapping[str, Any]) -> Any:
    from transformers import AutoTokenizer

    source = model_cfg.get("tokenizer") or model_cfg.get("pretrained")
    if not source:
        raise ModelConfigError("model config needs `pretrained` or `tokenizer`")
    return AutoTokenizer.from_pretrained(
        resolve_pretrained(str(source)), trust_remote_code=bool(model_cfg.get("trust_remote_code", False))
    )


def build_model(model_cfg: Mapping[str, Any], labels: Sequence[str], tokenizer: Any) -> Any:
    """A sequence classifier over ``labels`` (see :func:`_build_model`), loaded without transformers' load report
    and weight bar, its PAD/BOS/EOS ids taken from ``tokenizer`` (what ``Trainer.train`` would do, with a note)."""
    with quiet_transformers():
        model = _build_model(model_cfg, labels, tokenizer)
        try:
            from transformers.trainer_utils import align_special_tokens
        except ImportError:  # transformers before 5 has no alignment (nor its note)
            return model
        align_special_tokens(model, tokenizer)
    return model


def _build_model(model_cfg: Mapping[str, Any], labels: Sequence[str], tokenizer: Any) -> Any:
    """A sequence classifier over ``labels`` with ``label2id``/``id2label`` and the input format in its config.

    Weights are fp32 whatever dtype the checkpoint was stored in (transformers 5 would otherwise keep an
    fp16/bf16 checkpoint's dtype and fine-tune half-precision master weights); mixed precision comes only from
    the trainer's autocast (``trainer.bf16``). ``pooling``: ``cls`` uses the architecture's own
    sequence-classification head where the Auto classes have one (an NLI model's head is kept, its rows mapped
    to ``labels`` by ``nli_head.map``, unless ``nli_head.keep`` is false); ``mean``, and ``cls`` for encoders
    without such a head, use :class:`~stance.model.pooling.PooledEncoderForSequenceClassification`.
    """
    import torch
    from transformers import AutoConfig, BertConfig

    label2id, id2label = label_maps(labels)
    trust = bool(model_cfg.get("trust_remote_code", False))
    fmt = input_format(model_cfg)
    pooling = str(model_cfg.get("pooling") or "cls")
    if pooling not in ("cls", "mean"):
        raise ModelConfigError(f"model.pooling must be cls or mean, got {pooling!r}")
    labelled = {"num_labels": len(labels), "label2id": label2id, "id2label": id2label}
    if model_cfg.get("pretrained"):
        source = resolve_pretrained(str(model_cfg["pretrained"]))
        config = AutoConfig.from_pretrained(source, trust_remote_code=trust)
        config.dtype = torch.float32
        if model_cfg.get("dropout") is not None and hasattr(config, "hidden_dropout_prob"):
            config.hidden_dropout_prob = float(model_cfg["dropout"])
        head = dict(model_cfg.get("nli_head") or {})
        if pooling == "cls" and _has_sequence_head(config):
            model = _own_head_model(config, source, labels, labelled, head, trust)
        else:
            from stance.model.pooling import PooledEncoderForSequenceClassification

            if nli_label_ids(config) is not None and head.get("keep", True):
                log.warning("%s: an NLI head is kept only with model.pooling=cls; the %s-pooling head is new",
                            source, pooling)
            model = PooledEncoderForSequenceClassification.from_backbone(_pooled_config(config, pooling, labelled),
                                                                         source)
    elif model_cfg.get("random_init"):
        config = BertConfig(vocab_size=len(tokenizer), pad_token_id=tokenizer.pad_token_id, **labelled,
                            **dict(model_cfg["random_init"]))
        if pooling == "mean":
            from stance.model.pooling import PooledEncoderForSequenceClassification

            model = PooledEncoderForSequenceClassification(_pooled_config(config, pooling, labelled))
        else:
            from transformers import AutoModelForSequenceClassification

            model = AutoModelForSequenceClassification.from_config(config, dtype=torch.float32)
    else:
        raise ModelConfigError("model config needs `pretrained` (hub name, path or packaged:MODULE) or `random_init`")
    model.config.stance_input = fmt.to_dict()
    return model


def _has_sequence_head(config: Any) -> bool:
    from transformers import AutoModelForSequenceClassification

    return type(config) in AutoModelForSequenceClassification._model_mapping or bool(
        getattr(config, "auto_map", None) and "AutoModelForSequenceClassification" in config.auto_map)


def _own_head_model(config: Any, source: str, labels: Sequence[str], labelled: Mapping[str, Any],
                    head: Mapping[str, Any], trust: bool) -> Any:
    """The architecture's own classifier in fp32; an NLI head kept and mapped, any other head new."""
    import torch
    from transformers import AutoModelForSequenceClassification

    nli = nli_label_ids(config) is not None
    if nli and head.get("keep", True):
        model = AutoModelForSequenceClassification.from_pretrained(
            source, config=config, trust_remote_code=trust, dtype=torch.float32)
        return keep_nli_head(model, labels, head.get("map"))
    for key, value in labelled.items():
        setattr(config, key, value)
    model = AutoModelForSequenceClassification.from_pretrained(
        source, config=config, trust_remote_code=trust, dtype=torch.float32, ignore_mismatched_sizes=True)
    if nli:  # nli_head.keep=false: the NLI rows, same shape as ours, would load with another task's meaning
        layer, _ = output_layer(model, len(labels))
        with torch.no_grad():
            layer.weight.normal_(0.0, float(getattr(config, "initializer_range", 0.02)))
            if layer.bias is not None:
                layer.bias.zero_()
    return model


def _pooled_config(encoder_config: Any, pooling: str, labelled: Mapping[str, Any]) -> Any:
    from stance.model.pooling import PooledEncoderConfig

    encoder = encoder_config.to_dict()
    for key in ("id2label", "label2id", "num_labels", "architectures", "dtype"):
        encoder.pop(key, None)
    return PooledEncoderConfig(encoder=encoder, pooling=pooling, **labelled)


def cast_state_dict(model: Any, save_dtype: str | None, state_dict: dict | None = None) -> dict | None:
    """The weights to save: ``state_dict`` (or the model's) with floating tensors in ``save_dtype``
    (``fp32``/None: as they are, fp32 after training; ``fp16``; ``bf16``)."""
    import torch

    dtypes = {"fp16": torch.float16, "bf16": torch.bfloat16}
    if save_dtype in (None, "", "fp32"):
        return state_dict
    if save_dtype not in dtypes:
        raise ModelConfigError(f"model.save_dtype must be fp32, fp16 or bf16, got {save_dtype!r}")
    state = state_dict if state_dict is not None else model.state_dict()
    return {k: v.to(dtypes[save_dtype]) if v.is_floating_point() else v for k, v in state.items()}
