"""The attribution tagger: a token-classification model that marks the source, cue and content of attributions
in an article, read paragraph by paragraph in overlapping windows; its output is character spans."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from stance.attribution.windows import LABELS, Window, windows
from stance.errors import ModelConfigError

#: Where the shipped tagger lives inside the package (see its model card, MODEL_CARD.md).
SHIPPED_DIR = "resources/models/attribution"


def shipped_model_dir() -> Path:
    """The folder of the tagger shipped with the package (it may be absent in a checkout that never built it)."""
    return Path(str(resources.files("stance") / SHIPPED_DIR))


@dataclass(frozen=True)
class TaggedSpan:
    """A stretch of an article the tagger marked as one part of an attribution (``SOURCE``, ``CUE``, ``CONTENT``)."""

    part: str
    start: int
    end: int
    score: float = 1.0  # the mean probability the tagger gave its tokens' labels


class AttributionTagger:
    """Tags attributions in articles with a model directory saved by ``stance-train --config-name attribution``.

    Windows are scored in batches sorted by length, under bf16 autocast where the CPU has bf16 instructions."""

    def __init__(self, model_dir: str | Path | None = None, batch_size: int = 64, precision: str = "auto",
                 threads: int | None = None) -> None:
        import torch
        from transformers import AutoModelForTokenClassification, AutoTokenizer

        from stance.runtime.hardware import cpu_supports_bf16

        path = Path(model_dir) if model_dir is not None else shipped_model_dir()
        if not (path / "config.json").is_file():
            hint = " (build it with `make tagger`)" if model_dir is None else ""
            raise ModelConfigError(f"no attribution tagger at {path}{hint}")
        if threads:
            torch.set_num_threads(int(threads))
        self.tokenizer = AutoTokenizer.from_pretrained(str(path))
        self.model = AutoModelForTokenClassification.from_pretrained(str(path), dtype=torch.float32).eval()
        labels = [self.model.config.id2label[i] for i in range(self.model.config.num_labels)]
        if tuple(labels) != LABELS:
            raise ModelConfigError(f"{path}: not an attribution tagger (labels {labels})")
        own = getattr(self.model.config, "attribution_tagger", None) or {}
        self.max_length = int(own.get("max_length", 128))
        self.stride = int(own.get("stride", 32))
        self.batch_size = int(batch_size)
        if precision not in ("auto", "fp32", "bf16"):
            raise ModelConfigError(f"tagger precision must be auto, fp32 or bf16, got {precision!r}")
        self.bf16 = precision == "bf16" or (precision == "auto" and cpu_supports_bf16())

    def tag(self, texts: Sequence[str]) -> list[list[TaggedSpan]]:
        """The tagged spans of each text, in text order."""
        return [spans_from_labels(text, toks) for text, toks in zip(texts, self.label_tokens(texts))]

    def label_tokens(self, texts: Sequence[str]) -> list[list[tuple[int, int, int, float]]]:
        """Each text's tokens as ``(start, end, label id, probability)`` in text order, each labelled by the window
        that owns it."""
        wins = windows(self.tokenizer, list(texts), self.max_length, self.stride)
        labels = self._label_windows(wins)
        tokens: list[list[tuple[int, int, int, float]]] = [[] for _ in texts]
        for w, labs in zip(wins, labels):
            tokens[w.article].extend((o[0], o[1], lab, p) for o, own, (lab, p) in zip(w.offsets, w.owned, labs)
                                     if o is not None and own)
        return [sorted(toks) for toks in tokens]

    def _label_windows(self, wins: list[Window]) -> list[list[tuple[int, float]]]:
        """(label id, probability) of every token of every window."""
        import torch

        out: list[list[tuple[int, float]]] = [[] for _ in wins]
        order = sorted(range(len(wins)), key=lambda i: len(wins[i].input_ids))
        pad = self.tokenizer.pad_token_id or 0
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bf16):
            for b in range(0, len(order), self.batch_size):
                batch = order[b : b + self.batch_size]
                width = max(len(wins[i].input_ids) for i in batch)
                ids = torch.full((len(batch), width), pad, dtype=torch.long)
                mask = torch.zeros((len(batch), width), dtype=torch.long)
                for r, i in enumerate(batch):
                    n = len(wins[i].input_ids)
                    ids[r, :n] = torch.tensor(wins[i].input_ids)
                    mask[r, :n] = 1
                prob, pred = self.model(input_ids=ids, attention_mask=mask).logits.float().softmax(-1).max(-1)
                pred, prob = pred.tolist(), prob.tolist()
                for r, i in enumerate(batch):
                    n = len(wins[i].input_ids)
                    out[i] = list(zip(pred[r][:n], prob[r][:n]))
        return out


def spans_from_labels(text: str, tokens: Sequence[tuple[int, int, int, float]]) -> list[TaggedSpan]:
    """BIO labels of tokens (``(start, end, label id, probability)`` in text order) as spans of whole words: a word
    takes the label of its first token (the rest of the word goes with it); a ``B-`` starts a span, an ``I-`` goes
    on with the span of its part before it (or starts one), anything else ends it. A span's score is the mean
    probability of its words' labels."""
    spans: list[TaggedSpan] = []
    cur: list[Any] | None = None  # [part, start, end, sum of probabilities, words]
    prev_end = -1
    for s, e, lab, prob in tokens:
        if s == prev_end and s > 0 and text[s - 1].isalnum() and text[s : s + 1].isalnum():
            prev_end = e  # the rest of a word: with the word's first token
            if cur is not None:
                cur[2] = e
                spans[-1] = TaggedSpan(cur[0], cur[1], e, cur[3] / cur[4])
            continue
        prev_end = e
        name = LABELS[lab]
        if name == "O":
            cur = None
            continue
        prefix, part = name.split("-", 1)
        if cur is not None and prefix == "I" and cur[0] == part:
            cur[2], cur[3], cur[4] = e, cur[3] + prob, cur[4] + 1
            spans[-1] = TaggedSpan(part, cur[1], e, cur[3] / cur[4])
            continue
        cur = [part, s, e, prob, 1]
        spans.append(TaggedSpan(part, s, e, prob))
    return spans
