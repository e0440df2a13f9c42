"""Tokenizer and sequence-classification model built from the ``model`` config group."""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from stance.data.labels import label_maps
from stance.errors import ModelConfigError
from stance.model.encoding import InputFormat

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
    """A sequence classifier over ``labels`` with ``label2id``/``id2label`` and the input format in its config."""
    from transformers import AutoConfig, AutoModelForSequenceClassification, BertConfig

    label2id, id2label = label_maps(labels)
    trust = bool(model_cfg.get("trust_remote_code", False))
    fmt = input_format(model_cfg)
    pooling = str(model_cfg.get("pooling") or "cls")
    if pooling not in ("cls", "mean"):
        raise ModelConfigError(f"model.pooling must be cls or mean, got {pooling!r}")
    if model_cfg.get("pretrained"):
        source = resolve_pretrained(str(model_cfg["pretrained"]))
        config = AutoConfig.from_pretrained(
            source, num_labels=len(labels), label2id=label2id, id2label=id2label, trust_remote_code=trust
        )
        if model_cfg.get("dropout") is not None and hasattr(config, "hidden_dropout_prob"):
            config.hidden_dropout_prob = float(model_cfg["dropout"])
        config.stance_input = fmt.to_dict()
        if pooling == "mean":
            model = _mean_pooling_model(config, source)
        else:
            model = AutoModelForSequenceClassification.from_pretrained(
                source, config=config, trust_remote_code=trust, use_safetensors=None
            )
    elif model_cfg.get("random_init"):
        config = BertConfig(
            vocab_size=len(tokenizer),
            pad_token_id=tokenizer.pad_token_id,
            num_labels=len(labels),
            label2id=label2id,
            id2label=id2label,
            **dict(model_cfg["random_init"]),
        )
        config.stance_input = fmt.to_dict()
        model = _mean_pooling_model(config) if pooling == "mean" else AutoModelForSequenceClassification.from_config(config)
    else:
        raise ModelConfigError("model config needs `pretrained` (hub name, path or packaged:MODULE) or `random_init`")
    return model


def _mean_pooling_model(config: Any, source: str | None = None) -> Any:
    """A mean-pooling BERT classifier (stance.pooling) with the backbone's weights when ``source`` is given."""
    from stance.model.pooling import (
        MeanPoolBertConfig,
        MeanPoolBertForSequenceClassification,
    )

    if config.model_type != "bert":
        raise ModelConfigError(f"model.pooling=mean supports BERT backbones, not {config.model_type!r}")
    mp_config = MeanPoolBertConfig(**{k: v for k, v in config.to_dict().items() if k != "model_type"})
    if source is None:
        return MeanPoolBertForSequenceClassification(mp_config)
    return MeanPoolBertForSequenceClassification.from_pretrained(source, config=mp_config, use_safetensors=None)
