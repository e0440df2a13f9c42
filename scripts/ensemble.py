"""Score the probability ensemble of finished runs on their common test file.

Averages the ``scores`` of each run's ``test_predictions.jsonl`` (the runs must have scored the same rows in the
same order) and prints each run's metrics and the ensemble's, computed by the package's `evaluate` module:

    python scripts/ensemble.py runs/te_mean_ws runs/te_ws_s1 runs/te_ws_s2
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from stance.evaluation import metrics


def read_predictions(run_dir: Path) -> tuple[list[dict], np.ndarray, list[str]]:
    path = run_dir / "test_predictions.jsonl"
    if not path.is_file():
        raise SystemExit(f"{path}: not found (a finished run with test=true writes it)")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not rows:
        raise SystemExit(f"{path}: no predictions")
    labels = list(rows[0]["scores"])
    return rows, np.array([[r["scores"][lab] for lab in labels] for r in rows]), labels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("runs", nargs="+", type=Path, help="run directories")
    args = parser.parse_args(argv)

    first_rows, _, labels = read_predictions(args.runs[0])
    gold = [labels.index(r["label"]) for r in first_rows]
    probs = []
    print(f"{'run':<50} {'f_avg':>7} {'macro_f1':>9} {'accuracy':>9}")
    for run in args.runs:
        rows, p, run_labels = read_predictions(run)
        if run_labels != labels or [(r["text"], r["target"]) for r in rows] != [(r["text"], r["target"]) for r in first_rows]:
            raise SystemExit(f"{run}: its test rows or labels differ from {args.runs[0]}'s")
        probs.append(p)
        m = metrics.compute(p.argmax(-1), gold, labels)
        print(f"{str(run):<50} {m['f_avg']:>7.4f} {m['macro_f1']:>9.4f} {m['accuracy']:>9.4f}")
    m = metrics.compute(np.mean(probs, axis=0).argmax(-1), gold, labels)
    print(f"{f'ensemble of {len(probs)}':<50} {m['f_avg']:>7.4f} {m['macro_f1']:>9.4f} {m['accuracy']:>9.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
