#!/usr/bin/env python
"""Explicit-stance check: does a trained model read "I condemn T." as against T, for targets it never saw?

Fills the check templates of ``stance.data.templates`` (wordings that the training templates do not use) with the
test split's targets, scores them with the model, and prints accuracy and macro-F1 over the three labels,
for the unseen and the seen test targets, plus the confusion matrix. A model that reads the target and the
quotation should be near 1.0; one that guesses from the target alone is near 1/3.

    python scripts/checklist.py RUN_OR_MODEL_DIR [RUN ...] [--test-file data/quotes/test.jsonl] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from stance.data.templates import checklist_pairs  # noqa: E402

LABELS = ("favor", "against", "none")


def test_targets(path: Path) -> dict[str, list[str]]:
    """The test file's targets split by its ``seen_target`` column (``unseen`` / ``seen``; ``all`` without it).

    A line that is not a JSON object with a ``target`` (or bytes that are not UTF-8) exits naming file and line."""
    groups: dict[str, set[str]] = {}
    n = 0
    try:
        with path.open(encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                rec = json.loads(line)
                target = str(rec["target"])
                seen = rec.get("seen_target")
                if isinstance(seen, str):  # CSV-born JSONL: "true" / "false"
                    seen = seen.strip().lower() in ("true", "1", "yes")
                key = "all" if seen is None else ("seen" if seen else "unseen")
                groups.setdefault(key, set()).add(target)
    except UnicodeDecodeError as e:
        raise SystemExit(f"error: {path}: not UTF-8 after line {n} ({e})") from None
    except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as e:
        raise SystemExit(f"error: {path}, line {n}: not a JSON object with a 'target' field "
                         f"({type(e).__name__}: {e})") from None
    return {k: sorted(v) for k, v in sorted(groups.items(), reverse=True)}


def score(model_dir: str, groups: dict[str, list[str]]) -> dict[str, dict]:
    from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

    from stance.model.classifier import StanceClassifier

    clf = StanceClassifier.from_pretrained(model_dir)
    labels = [lab for lab in LABELS if lab in clf.labels]
    out = {}
    for name, targets in groups.items():
        pairs = checklist_pairs(targets, labels)
        pred = [r["label"] for r in clf.predict([p["text"] for p in pairs], [p["target"] for p in pairs])]
        gold = [p["label"] for p in pairs]
        out[name] = {
            "targets": len(targets), "pairs": len(pairs),
            "accuracy": round(float(accuracy_score(gold, pred)), 4),
            "macro_f1": round(float(f1_score(gold, pred, labels=labels, average="macro", zero_division=0)), 4),
            "labels": labels,
            "confusion": confusion_matrix(gold, pred, labels=labels).tolist(),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("models", nargs="+", help="run or model directories")
    ap.add_argument("--test-file", type=Path, default=ROOT / "data" / "quotes" / "test.jsonl")
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = ap.parse_args(argv)
    if not args.test_file.is_file():
        print(f"error: test file not found: {args.test_file}", file=sys.stderr)
        return 2
    groups = test_targets(args.test_file)
    results = {}
    from stance.errors import ModelLoadError

    for model in args.models:
        try:
            res = score(model, groups)
        except ModelLoadError as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        results[model] = res
        for name, r in res.items():
            print(f"{model}  {name} targets ({r['targets']}, {r['pairs']} statements): "
                  f"accuracy {r['accuracy']:.3f}  macro-F1 {r['macro_f1']:.3f}")
            print("    gold \\ predicted  " + "  ".join(f"{lab:>8}" for lab in r["labels"]))
            for lab, row in zip(r["labels"], r["confusion"]):
                print(f"    {lab:>17}  " + "  ".join(f"{v:8d}" for v in row))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
