"""A classifier that pools any encoder the transformers Auto classes know (BERT, RoBERTa, DeBERTa-v2, ModernBERT,
ELECTRA, XLM-R, ...): mean of the token vectors or the first ([CLS]) token, then dropout and one linear layer.

Sentence-transformers models are trained with mean pooling, so their [CLS] output (what
``BertForSequenceClassification`` classifies) carries little; pooling the tokens the way the backbone was
trained starts fine-tuning from a meaningful sentence representation. ``PooledEncoderForSequenceClassification``
wraps ``AutoModel`` (the backbone's own config is kept whole as ``config.encoder``) and has its own
``model_type`` (``stance-pooled-encoder``), registered with the Auto classes when this module is imported (and
``import stance`` imports it as soon as transformers is imported), so after ``import stance`` a saved model loads
with ``AutoModelForSequenceClassification.from_pretrained`` or ``transformers.pipeline`` and never silently as a
plain backbone with a random head. Models saved by the earlier BERT-only class (``stance-meanpool-bert``) still load:
that class is kept here, unchanged, for them.
"""

from __future__ import annotations

import inspect
from typing import Any

import torch
from torch import nn
from transformers import (
    AutoConfig,
    AutoModel,
    AutoModelForSequenceClassification,
    BertConfig,
    BertModel,
    BertPreTrainedModel,
    PreTrainedConfig,
    PreTrainedModel,
)
from transformers.configuration_utils import SubConfigSpec
from transformers.modeling_outputs import SequenceClassifierOutput

MODEL_TYPE = "stance-pooled-encoder"
LEGACY_MODEL_TYPE = "stance-meanpool-bert"
POOLINGS = ("cls", "mean")


def pool(hidden: torch.Tensor, attention_mask: torch.Tensor | None, pooling: str) -> torch.Tensor:
    """``(batch, tokens, hidden)`` -> ``(batch, hidden)``: the first token, or the mean over real tokens."""
    if pooling == "cls":
        return hidden[:, 0]
    if attention_mask is None:
        return hidden.mean(1)
    mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)


class PooledEncoderConfig(PreTrainedConfig):
    """``encoder``: the backbone's config (any ``AutoConfig``); ``pooling``: ``mean`` or ``cls``."""

    model_type = MODEL_TYPE
    sub_configs_defaults = {"encoder": SubConfigSpec(config_class=AutoConfig, model_type="bert")}

    encoder: PreTrainedConfig | dict | None = None
    pooling: str = "mean"
    classifier_dropout: float | None = None

    @property
    def hidden_size(self) -> int:
        return int(self.encoder.hidden_size)

    def head_dropout(self) -> float:
        """The classifier's dropout: ``classifier_dropout``, else the backbone's hidden dropout, else 0.1."""
        if self.classifier_dropout is not None:
            return float(self.classifier_dropout)
        for name in ("classifier_dropout", "hidden_dropout_prob", "hidden_dropout"):
            value = getattr(self.encoder, name, None)
            if isinstance(value, (int, float)):
                return float(value)
        return 0.1


def _encoder_from(config: PreTrainedConfig, source: str | None = None) -> nn.Module:
    """``AutoModel`` without its pooler layer where the architecture has that switch (BERT, RoBERTa, XLM-R):
    an unused pooler would leave parameters without gradients (DDP with ``find_unused_parameters=false`` fails)."""
    attempts: list[dict[str, Any]] = [{"add_pooling_layer": False}, {}]
    for extra in attempts:
        try:
            if source is None:
                return AutoModel.from_config(config, dtype=torch.float32, **extra)
            # fp32 master weights whatever dtype the checkpoint was stored in (see stance.model.build)
            return AutoModel.from_pretrained(source, config=config, dtype=torch.float32, **extra)
        except TypeError as err:
            if not extra or "add_pooling_layer" not in str(err):
                raise
    raise AssertionError("unreachable")


class PooledEncoderForSequenceClassification(PreTrainedModel):
    """``AutoModel`` -> mean or [CLS] pooling -> dropout -> linear; cross-entropy when ``labels`` are given."""

    config_class = PooledEncoderConfig
    base_model_prefix = "encoder"
    supports_gradient_checkpointing = True
    _supports_sdpa = True

    def __init__(self, config: PooledEncoderConfig) -> None:
        super().__init__(config)
        if config.pooling not in POOLINGS:
            raise ValueError(f"pooling must be one of {POOLINGS}, got {config.pooling!r}")
        self.num_labels = config.num_labels
        self.encoder = _encoder_from(config.encoder)
        self.dropout = nn.Dropout(config.head_dropout())
        self.classifier = nn.Linear(config.hidden_size, config.num_labels)
        # the inputs this encoder takes (ModernBERT has no token_type_ids)
        self._encoder_inputs = frozenset(inspect.signature(self.encoder.forward).parameters)
        self.post_init()

    @classmethod
    def from_backbone(cls, config: PooledEncoderConfig, source: str) -> PooledEncoderForSequenceClassification:
        """The backbone's pretrained weights in fp32 and a new (initialized) classification head."""
        model = cls(config)
        # copied into the freshly built encoder rather than swapped in: post_init would re-initialize a swapped-in one
        model.encoder.load_state_dict(_encoder_from(config.encoder, source).state_dict())
        return model

    def _init_weights(self, module: nn.Module) -> None:
        if module is getattr(self, "classifier", None):
            std = float(getattr(self.config.encoder, "initializer_range", 0.02))
            with torch.no_grad():
                module.weight.normal_(mean=0.0, std=std)
                if module.bias is not None:
                    module.bias.zero_()
        # the encoder's own modules are initialized by the encoder's class (from_config) or loaded

    def get_input_embeddings(self) -> nn.Module:
        return self.encoder.get_input_embeddings()

    def forward(
        self,
        input_ids: torch.Tensor | None = None,
        attention_mask: torch.Tensor | None = None,
        token_type_ids: torch.Tensor | None = None,
        labels: torch.Tensor | None = None,
        **kwargs: Any,
    ) -> SequenceClassifierOutput:
        inputs = {"input_ids": input_ids, "attention_mask": attention_mask, "token_type_ids": token_type_ids}
        inputs = {k: v for k, v in inputs.items() if v is not None and k in self._encoder_inputs}
        hidden = self.encoder(**inputs).last_hidden_state
        logits = self.classifier(self.dropout(pool(hidden, attention_mask, self.config.pooling)))
        loss = nn.functional.cross_entropy(logits.float(), labels) if labels is not None else None
        return SequenceClassifierOutput(loss=loss, logits=logits)


# -- the earlier BERT-only mean-pooling model, kept so that models saved with it still load ----------------


class MeanPoolBertConfig(BertConfig):
    model_type = LEGACY_MODEL_TYPE


class MeanPoolBertForSequenceClassification(BertPreTrainedModel):
    """Loads models saved before the generic class (``model_type: stance-meanpool-bert``); new models use
    :class:`PooledEncoderForSequenceClassification`."""

    config_class = MeanPoolBertConfig

    def __init__(self, config: BertConfig) -> None:
        super().__init__(config)
        self.num_labels = config.num_labels
        self.bert = BertModel(config, add_pooling_layer=False)
        dropout = config.classifier_dropout if config.classifier_dropout is not None else config.hidden_dropout_prob
        self.dropout = nn.Dropout(dropout)
        self.classifier = nn.Linear(config.hidden_size, config.num_labels)
        self.post_init()

    def forward(
        self,
        input_ids: torch.Tensor | None = None,
        attention_mask: torch.Tensor | None = None,
        token_type_ids: torch.Tensor | None = None,
        labels: torch.Tensor | None = None,
        **kwargs: Any,
    ) -> SequenceClassifierOutput:
        hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state
        logits = self.classifier(self.dropout(pool(hidden, attention_mask, "mean")))
        loss = nn.functional.cross_entropy(logits, labels) if labels is not None else None
        return SequenceClassifierOutput(loss=loss, logits=logits)


def register() -> None:
    """Make ``AutoModelForSequenceClassification.from_pretrained`` load the package's model types."""
    for config_cls, model_cls in ((PooledEncoderConfig, PooledEncoderForSequenceClassification),
                                  (MeanPoolBertConfig, MeanPoolBertForSequenceClassification)):
        try:
            AutoConfig.register(config_cls.model_type, config_cls)
        except ValueError:
            pass  # already registered
        try:
            AutoModelForSequenceClassification.register(config_cls, model_cls)
        except ValueError:
            pass


register()
