"""Fast batched stance scoring of (text, target) pairs with a saved model directory.

Speed comes from these, each measurable with ``scripts/bench_predict.py`` (numbers in docs/predict.md, Speed):
pairs are tokenized in one batched call, sorted by token count so that each batch pads only to its own
longest pair (dynamic padding), and a batch is cut early where more than ``1 - min_fill`` of its tokens would
be padding; the forward pass runs under ``torch.inference_mode``; on CPUs with bf16 instructions the weights
and matmuls run in bf16. int8 dynamic quantization of the Linear layers is available but not chosen by
``auto``: on a trained model it changed 16% of the argmaxes (the bar is 1%)."""

from __future__ import annotations

import inspect
import json
import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, overload

import numpy as np

from stance.errors import ConfigError, DataError, ModelConfigError, ModelLoadError
from stance.model.encoding import InputFormat, encode_pairs, long_target_warning
from stance.model.nli import (
    STANCE_LABELS,
    check_templates,
    fill_hypotheses,
    nli_label_ids,
    stance_evidence,
    stance_from_entailment,
)
from stance.runtime.hardware import enable_tf32, resolve_precision
from stance.runtime.quiet import quiet_transformers

log = logging.getLogger(__name__)

#: default least share of real tokens per batch (see ``StanceClassifier.from_pretrained``); docs/predict.md
DEFAULT_MIN_FILL = 0.9



def resolve_model_dir(path: str | Path) -> Path:
    """The model directory for ``path``: a run directory (its ``model/``) or a model directory itself.

    Raises :class:`ModelLoadError` naming the path and what is missing.
    """
    p = Path(path).expanduser()
    if not p.exists():
        raise ModelLoadError(f"model directory {str(p)!r} does not exist")
    if not p.is_dir():
        raise ModelLoadError(f"model path {str(p)!r} is not a directory")
    if (p / "model" / "config.json").is_file():
        return p / "model"
    if (p / "config.json").is_file():
        return p
    raise ModelLoadError(
        f"{str(p)!r} is neither a model directory (no config.json) nor a run directory (no model/config.json)"
    )


_VOCABULARY_FILES = ("tokenizer.json", "vocab.txt", "vocab.json", "spiece.model", "sentencepiece.bpe.model",
                     "tokenizer.model")


def _check_tokenizer_size(model_dir: Path, tokenizer: Any, model_config: Any) -> None:
    """Refuse a tokenizer that covers under half of the model's embedding rows (a wrong or truncated
    vocabulary); a few rows more than the tokenizer (padding to a multiple of 8 or 64) are normal."""
    vocab_size = getattr(model_config, "vocab_size", None)
    if vocab_size and len(tokenizer) < vocab_size // 2:
        raise ModelLoadError(f"{str(model_dir)!r}: the tokenizer has {len(tokenizer)} tokens but the model's "
                             f"vocabulary has {vocab_size}; the tokenizer files do not belong to this model")


def _check_model_files(model_dir: Path) -> dict[str, Any]:
    try:
        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ModelLoadError(f"{model_dir / 'config.json'}: unreadable model config ({e})") from None
    if not isinstance(config, dict):
        raise ModelLoadError(f"{model_dir / 'config.json'}: expected a JSON object")
    if not any((model_dir / f).is_file() for f in ("model.safetensors", "model.safetensors.index.json")):
        if (model_dir / "pytorch_model.bin").is_file():
            # a pickle can run code when loaded; training writes safetensors, so a .bin came from elsewhere
            raise ModelLoadError(f"{str(model_dir)!r} holds pytorch_model.bin (a pickle) and no model.safetensors: "
                                 "stance loads safetensors weights only; convert it with save_pretrained("
                                 "safe_serialization=True) where you trust it")
        raise ModelLoadError(f"{str(model_dir)!r} has no weights (model.safetensors)")
    # tokenizer_config.json alone loads a tokenizer of special tokens only: every word becomes [UNK]
    if not any((model_dir / f).is_file() for f in _VOCABULARY_FILES):
        raise ModelLoadError(f"{str(model_dir)!r} has no tokenizer vocabulary (one of {', '.join(_VOCABULARY_FILES)})")
    if not config.get("id2label"):
        raise ModelLoadError(f"{model_dir / 'config.json'}: no id2label; is this a trained stance classifier?")
    return config


def model_labels(path: str | Path) -> tuple[Path, tuple[str, ...]]:
    """The model directory behind ``path`` and its labels in logit order, checked as :meth:`StanceClassifier.
    from_pretrained` checks it but without loading the weights (for a process that only writes the outputs)."""
    model_dir = resolve_model_dir(path)
    id2label = _check_model_files(model_dir)["id2label"]
    return model_dir, tuple(str(id2label[str(i)]) for i in range(len(id2label)))


@dataclass
class _Batch:
    index: np.ndarray  # positions of the batch's pairs in the caller's order
    features: dict[str, list]


class StanceClassifier:
    """A stance model ready to score (text, target) pairs; build it with :meth:`from_pretrained`."""

    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        input_format: InputFormat,
        *,
        device: str = "cpu",
        precision: str = "fp32",
        batch_size: int = 64,
        max_tokens: int | None = None,
        min_fill: float | None = None,
        model_dir: Path | None = None,
    ) -> None:
        if batch_size < 1:
            raise ConfigError(f"batch_size must be at least 1, got {batch_size}")
        if min_fill is None:  # measured on CPU only (docs/predict.md); off elsewhere until measured there
            min_fill = DEFAULT_MIN_FILL if device.startswith("cpu") else 0.0
        if not 0.0 <= min_fill <= 1.0:
            raise ConfigError(f"min_fill must be between 0 and 1, got {min_fill}")
        self.model = model
        self.tokenizer = tokenizer
        self.input_format = input_format
        self.device = device
        self.precision = precision
        self.batch_size = int(batch_size)
        self.max_tokens = int(max_tokens) if max_tokens else None
        self.min_fill = float(min_fill)
        self.model_dir = model_dir
        self._target_warnings: dict[str, str | None] = {}
        id2label = model.config.id2label
        self._labels = tuple(str(id2label[i]) for i in range(len(id2label)))
        self._n_outputs = len(id2label)
        # what the model's forward takes: ModernBERT-style models have no token_type_ids
        params = inspect.signature(model.forward).parameters
        self._model_inputs = frozenset(params) if "token_type_ids" not in params else None

    @classmethod
    def from_pretrained(
        cls,
        path: str | Path,
        *,
        device: str = "cpu",
        precision: str = "auto",
        batch_size: int = 64,
        max_tokens: int | None = None,
        min_fill: float | None = None,
        nli_templates: Mapping[str, str] | None = None,
    ) -> StanceClassifier:
        """Load a model directory written by training (or a run directory holding ``model/``), or an NLI model.

        ``precision``: ``auto`` (bf16 where the CPU supports it, else fp32), ``fp32``, ``bf16`` (bf16 weights) or
        ``int8`` (dynamic quantization of the Linear layers, CPU only). ``max_tokens`` caps padded tokens
        per batch in addition to ``batch_size``. ``min_fill``: a batch is cut early, before the pair that would
        make less than this share of its tokens real (not padding); 0 turns the cut off; ``None``: 0.9 on CPU (where
        it was measured), off on other devices. A model whose ``id2label`` is an NLI head (entailment, neutral,
        contradiction) gives a :class:`NLIZeroShotClassifier` with hypotheses from ``nli_templates`` (stance label
        -> template with ``{target}``, or kind of target -> such a mapping), else the model's own
        (``config.stance_hypotheses``, saved by the NLI stage), else the defaults of ``stance.data.entailment``.
        """
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        import stance.model.pooling  # noqa: F401 - registers the package's own model types with the Auto classes

        model_dir = resolve_model_dir(path)
        _check_model_files(model_dir)
        precision = resolve_precision(precision, device)
        try:
            with quiet_transformers():
                tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
        except Exception as e:  # noqa: BLE001 - any tokenizer failure is a broken directory
            raise ModelLoadError(f"{str(model_dir)!r}: cannot load the tokenizer ({type(e).__name__}: {e})") from None
        try:
            # fp32 whatever the stored dtype: fp16 matmuls crawl on CPU; bf16 is chosen below by `precision`
            with quiet_transformers():
                model = AutoModelForSequenceClassification.from_pretrained(str(model_dir), dtype=torch.float32,
                                                                           use_safetensors=True)
        except Exception as e:  # noqa: BLE001 - corrupt weights, wrong architecture, ...
            raise ModelLoadError(f"{str(model_dir)!r}: cannot load the model weights ({type(e).__name__}: {e})") from None
        _check_tokenizer_size(model_dir, tokenizer, model.config)
        model.eval()
        model.to(device)
        enable_tf32(device)
        if precision == "bf16":
            # bf16 weights, converted once: measured faster on CPU than autocast, which re-casts every weight
            # on every forward pass (docs/predict.md), with the same argmax on the test set
            model.to(dtype=torch.bfloat16)
        if precision == "int8":
            import warnings

            with warnings.catch_warnings():  # torch marks its quantized tensor constructors deprecated
                warnings.simplefilter("ignore")
                model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
        fmt = InputFormat.from_config(model.config)
        kwargs = dict(device=device, precision=precision, batch_size=batch_size, max_tokens=max_tokens,
                      min_fill=min_fill, model_dir=model_dir)
        if nli_label_ids(model.config) is not None:
            log.info("%s has an NLI head: zero-shot stance from hypothesis templates", model_dir)
            templates = nli_templates or getattr(model.config, "stance_hypotheses", None)
            return NLIZeroShotClassifier(model, tokenizer, fmt, templates=templates, **kwargs)
        return cls(model, tokenizer, fmt, **kwargs)

    @property
    def labels(self) -> tuple[str, ...]:
        """The model's labels, in the order of its output logits."""
        return self._labels

    def target_warning(self, target: str) -> str | None:
        """Why ``target`` will be truncated in pairs (too many tokens for the model's input), else None."""
        if target not in self._target_warnings:
            warning = long_target_warning(self.tokenizer, target, self.input_format)
            if warning:
                log.warning("%s", warning)
            self._target_warnings[target] = warning
        return self._target_warnings[target]

    # -- batching ---------------------------------------------------------------------------------------

    def _batches(self, texts: Sequence[str], targets: Sequence[str], offset: int) -> Iterator[_Batch]:
        enc = encode_pairs(self.tokenizer, texts, targets, self.input_format)
        lengths = np.fromiter((len(ids) for ids in enc["input_ids"]), dtype=np.int64, count=len(texts))
        order = np.argsort(-lengths, kind="stable")  # longest first: the biggest batch fails fast, if at all
        keys = list(enc.keys())
        start = 0
        while start < len(order):
            longest = int(lengths[order[start]])
            size = self.batch_size
            if self.max_tokens:
                size = max(1, min(size, self.max_tokens // max(longest, 1)))
            if self.min_fill:
                # lengths fall along the batch, so the share of real tokens only falls as it grows
                head = lengths[order[start:start + size]]
                fill = np.cumsum(head) / (np.arange(1, len(head) + 1) * max(longest, 1))
                below = np.flatnonzero(fill < self.min_fill)
                if len(below):
                    size = max(1, int(below[0]))
            idx = order[start:start + size]
            start += size
            yield _Batch(idx + offset, {k: [enc[k][i] for i in idx] for k in keys})

    def _forward(self, features: dict[str, list]) -> np.ndarray:
        import torch

        padded = self.tokenizer.pad(features, padding=True, return_tensors="pt")
        inputs = {k: v.to(self.device) for k, v in padded.items()
                  if self._model_inputs is None or k in self._model_inputs}
        logits = self.model(**inputs).logits
        return torch.softmax(logits.float(), dim=-1).cpu().numpy()

    def predict_proba(self, texts: Sequence[str], targets: Sequence[str], *, chunk_size: int | None = None) -> np.ndarray:
        """Label probabilities, shape ``(len(texts), len(self.labels))``, in the caller's order.

        Pairs are tokenized and length-sorted in chunks of ``chunk_size`` (default 32 batches), so memory
        stays bounded on long lists.
        """
        return self.model_proba(texts, targets, chunk_size=chunk_size)

    def model_proba(self, texts: Sequence[str], targets: Sequence[str], *, chunk_size: int | None = None) -> np.ndarray:
        """The model's own output probabilities (one column per ``id2label`` entry) for (text, target) pairs."""
        import torch

        if len(texts) != len(targets):
            raise ValueError(f"{len(texts)} texts but {len(targets)} targets")
        out = np.zeros((len(texts), self._n_outputs), dtype=np.float32)
        chunk = chunk_size or self.batch_size * 32
        with torch.inference_mode():
            for lo in range(0, len(texts), chunk):
                for batch in self._batches(texts[lo:lo + chunk], targets[lo:lo + chunk], lo):
                    out[batch.index] = self._forward(batch.features)
        return out

    # -- public API ------------------------------------------------------------------------------------

    @overload
    def predict(self, texts: str, targets: str) -> dict[str, Any]: ...

    @overload
    def predict(self, texts: str | Sequence[str], targets: str | Sequence[str]) -> list[dict[str, Any]]: ...

    def predict(self, texts, targets):  # type: ignore[no-untyped-def]
        """Stance of each text toward its target: ``{"label": str, "scores": {label: probability}}``.

        A single (text, target) pair gives one dict; lists give a list. A single string on either side
        is broadcast over the other side's list. An empty target raises :class:`~stance.errors.DataError`.
        """
        single = isinstance(texts, str) and isinstance(targets, str)
        text_list = [texts] if isinstance(texts, str) else list(texts)
        target_list = [targets] if isinstance(targets, str) else list(targets)
        if len(text_list) == 1 and len(target_list) > 1:
            text_list = text_list * len(target_list)
        elif len(target_list) == 1 and len(text_list) > 1:
            target_list = target_list * len(text_list)
        for name, values in (("texts", text_list), ("targets", target_list)):
            bad = next((i for i, v in enumerate(values) if not isinstance(v, str)), None)
            if bad is not None:
                raise TypeError(f"{name}[{bad}] is {type(values[bad]).__name__}, expected str")
        empty = next((i for i, t in enumerate(target_list) if not t.strip()), None)
        if empty is not None:
            raise DataError(f"targets[{empty}] is empty: a target names what the stance is toward "
                            "(e.g. 'military intervention in Venezuela')")
        probs = self.predict_proba(text_list, target_list)
        rows = self.rows_from_proba(probs)
        return rows[0] if single else rows

    def rows_from_proba(self, probs: np.ndarray) -> list[dict[str, Any]]:
        """``{"label", "scores"}`` dicts from a probability matrix."""
        labels = self._labels
        best = probs.argmax(axis=1) if len(probs) else np.zeros(0, dtype=np.int64)
        return [
            {"label": labels[int(b)], "scores": {lab: round(float(p), 6) for lab, p in zip(labels, row)}}
            for b, row in zip(best, probs)
        ]

    def __repr__(self) -> str:
        return (f"StanceClassifier({str(self.model_dir)!r}, labels={list(self._labels)}, "
                f"precision={self.precision!r}, batch_size={self.batch_size})")


class NLIZeroShotClassifier(StanceClassifier):
    """A StanceClassifier over an NLI model: same API, labels favor/against/none, no stance training
    (scoring rule: :mod:`stance.model.nli`)."""

    def __init__(self, model: Any, tokenizer: Any, input_format: InputFormat, *,
                 templates: Mapping[str, Any] | None = None, rule: str | None = None, **kwargs: Any) -> None:
        super().__init__(model, tokenizer, input_format, **kwargs)
        ids = nli_label_ids(model.config)
        if ids is None:
            raise ModelConfigError(f"{model.config.id2label} is not an NLI head")
        self.nli_ids = ids
        self.templates = check_templates(templates)
        self.rule = rule or "entailment"
        # premise = quotation, hypothesis = filled template: the pair layout NLI models were trained on
        self.input_format = InputFormat(style="pair", max_length=input_format.max_length,
                                        normalize=input_format.normalize)
        self._labels = STANCE_LABELS

    def predict_proba(self, texts: Sequence[str], targets: Sequence[str], *, chunk_size: int | None = None) -> np.ndarray:
        if len(texts) != len(targets):
            raise ValueError(f"{len(texts)} texts but {len(targets)} targets")
        support, oppose = (self.model_proba(texts, fill_hypotheses(targets, self.templates, lab), chunk_size=chunk_size)
                           for lab in ("favor", "against"))
        return stance_from_entailment(stance_evidence(support, oppose, self.nli_ids, self.rule), ["favor", "against"])

    def __repr__(self) -> str:
        return f"NLIZeroShotClassifier({str(self.model_dir)!r}, rule={self.rule!r}, precision={self.precision!r})"
