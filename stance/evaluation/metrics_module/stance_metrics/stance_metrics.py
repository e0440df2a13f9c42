"""Stance metrics as a Hugging Face `evaluate` module, loaded from this local path (no hub needed).

accuracy, macro-F1 over the configured labels, F_avg = (F1(favor) + F1(against)) / 2 (SemEval-2016 /
TweetEval official score when computed over the pooled test file), and per-class precision, recall, F1.
"""

import datasets
import evaluate
import numpy as np

_DESCRIPTION = "Stance detection metrics: accuracy, macro-F1, F_avg and per-class precision/recall/F1."
_KWARGS_DESCRIPTION = """
Args:
    predictions: predicted label ids.
    references: gold label ids.
    label_names: the name of each label id, in id order (default favor, against, none).
    eval_labels: the label names that count for macro-F1 (default all of label_names); used for
        two-class datasets evaluated with a three-class model.
Returns:
    accuracy, macro_f1, f_avg, and {precision,recall,f1}_{label} for every label.
"""
_CITATION = """\
@inproceedings{mohammad-etal-2016-semeval,
  title = {SemEval-2016 Task 6: Detecting Stance in Tweets},
  author = {Mohammad, Saif and Kiritchenko, Svetlana and Sobhani, Parinaz and Zhu, Xiaodan and Cherry, Colin},
  booktitle = {Proceedings of SemEval-2016}, year = {2016}}
"""


def _prf(pred: np.ndarray, gold: np.ndarray, label: int) -> tuple[float, float, float]:
    tp = float(np.sum((pred == label) & (gold == label)))
    n_pred = float(np.sum(pred == label))
    n_gold = float(np.sum(gold == label))
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


@evaluate.utils.file_utils.add_start_docstrings(_DESCRIPTION, _KWARGS_DESCRIPTION)
class StanceMetrics(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=_CITATION,
            inputs_description=_KWARGS_DESCRIPTION,
            features=datasets.Features(
                {"predictions": datasets.Value("int64"), "references": datasets.Value("int64")}
            ),
        )

    def _compute(self, predictions, references, label_names=("favor", "against", "none"), eval_labels=None):
        pred = np.asarray(predictions, dtype=np.int64)
        gold = np.asarray(references, dtype=np.int64)
        names = list(label_names)
        counted = list(eval_labels) if eval_labels is not None else names
        out = {"accuracy": float(np.mean(pred == gold)) if len(gold) else 0.0}
        f1s = {}
        for i, name in enumerate(names):
            p, r, f = _prf(pred, gold, i)
            out[f"precision_{name}"], out[f"recall_{name}"], out[f"f1_{name}"] = p, r, f
            f1s[name] = f
        out["macro_f1"] = float(np.mean([f1s[n] for n in counted])) if counted else 0.0
        out["f_avg"] = (f1s.get("favor", 0.0) + f1s.get("against", 0.0)) / 2
        return out
