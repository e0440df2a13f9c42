"""A BERT classifier that mean-pools its tokens, for sentence-embedding backbones such as all-MiniLM-L6-v2.

Sentence-transformers models are trained with mean pooling, so their [CLS] output (what
``BertForSequenceClassification`` classifies) carries little; pooling the tokens the way the backbone was
trained starts fine-tuning from a meaningful sentence representation. The model has its own ``model_type``
(``stance-meanpool-bert``), registered with the transformers Auto classes when this module is imported
(``import stance`` parts that load models do it), so a saved model never loads silently as a plain BERT with
a random pooler.
"""

from __future__ import annotations

import torch
from torch import nn
from transformers import (
    AutoConfig,
    AutoModelForSequenceClassification,
    BertConfig,
    BertModel,
    BertPreTrainedModel,
)
from transformers.modeling_outputs import SequenceClassifierOutput

MODEL_TYPE = "stance-meanpool-bert"


class MeanPoolBertConfig(BertConfig):
    model_type = MODEL_TYPE


class MeanPoolBertForSequenceClassification(BertPreTrainedModel):
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
        **kwargs,
    ) -> SequenceClassifierOutput:
        hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state
        if attention_mask is None:
            attention_mask = torch.ones(hidden.shape[:2], device=hidden.device)
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        logits = self.classifier(self.dropout(pooled))
        loss = nn.functional.cross_entropy(logits, labels) if labels is not None else None
        return SequenceClassifierOutput(loss=loss, logits=logits)


def register() -> None:
    """Make ``AutoModelForSequenceClassification.from_pretrained`` load saved mean-pooling models."""
    try:
        AutoConfig.register(MODEL_TYPE, MeanPoolBertConfig)
    except ValueError:
        pass  # already registered
    try:
        AutoModelForSequenceClassification.register(MeanPoolBertConfig, MeanPoolBertForSequenceClassification)
    except ValueError:
        pass


register()
