"""Reference baselines on the bundled quote–target dataset.

Majority class and TF-IDF (word 1-2 grams over ``"text [SEP] target"``) + logistic regression, trained on
``train`` and scored on test (all / seen targets / unseen targets) with macro-F1 and
F_avg = (F1 favor + F1 against) / 2. Also prints how varied the quotes are: the share of distinct word
4-grams among all 4-grams of the distinct quotes. Prints a markdown table.

    python scripts/baselines.py [--data data/quotes]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data" / "quotes"
LABELS = ("favor", "against", "none")
#: The TF-IDF model must stay below this macro-F1 on unseen targets, or the data is too templated.
TEMPLATED_F1 = 0.75


def read_split(path: Path) -> list[dict]:
    """Rows of one JSONL split file."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def scores(gold: list[str], pred: list[str]) -> dict[str, float]:
    """Macro-F1 over the three labels and F_avg over favor/against."""
    f1 = {}
    for lab in LABELS:
        tp = sum(g == lab and p == lab for g, p in zip(gold, pred))
        fp = sum(g != lab and p == lab for g, p in zip(gold, pred))
        fn = sum(g == lab and p != lab for g, p in zip(gold, pred))
        f1[lab] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return {"macro_f1": sum(f1.values()) / len(LABELS), "f_avg": (f1["favor"] + f1["against"]) / 2}


def distinct_4gram_share(texts: list[str]) -> float:
    """Distinct word 4-grams / all word 4-grams over the distinct texts."""
    grams: Counter = Counter()
    for t in set(texts):
        w = re.findall(r"[a-z0-9']+", t.lower())
        grams.update(tuple(w[i : i + 4]) for i in range(len(w) - 3))
    return len(grams) / max(1, sum(grams.values()))


def run(data_dir: Path = DATA_DIR) -> dict[str, dict[str, dict[str, float]]]:
    """``{model: {part: {"macro_f1", "f_avg", "n"}}}`` for both baselines on test all/seen/unseen."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    train = read_split(data_dir / "train.jsonl")
    test = read_split(data_dir / "test.jsonl")
    parts = {
        "all": test,
        "seen": [r for r in test if r["seen_target"]],
        "unseen": [r for r in test if not r["seen_target"]],
    }
    majority = Counter(r["label"] for r in train).most_common(1)[0][0]
    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
    x_train = vec.fit_transform([f"{r['text']} [SEP] {r['target']}" for r in train])
    clf = LogisticRegression(max_iter=2000, C=1.0).fit(x_train, [r["label"] for r in train])
    out: dict[str, dict[str, dict[str, float]]] = {"majority class": {}, "TF-IDF + logistic regression": {}}
    for name, rows in parts.items():
        gold = [r["label"] for r in rows]
        out["majority class"][name] = {**scores(gold, [majority] * len(rows)), "n": len(rows)}
        pred = list(clf.predict(vec.transform([f"{r['text']} [SEP] {r['target']}" for r in rows])))
        out["TF-IDF + logistic regression"][name] = {**scores(gold, pred), "n": len(rows)}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA_DIR, help="folder with train.jsonl and test.jsonl")
    args = ap.parse_args(argv)
    for s in ("train", "test"):
        if not (args.data / f"{s}.jsonl").exists():
            print(f"error: {args.data / f'{s}.jsonl'} not found; run scripts/build_dataset.py first", file=sys.stderr)
            return 1
    res = run(args.data)
    n = res["majority class"]
    print(f"| model | test all macro-F1 | F_avg | test seen (n={n['seen']['n']}) macro-F1 | F_avg "
          f"| test unseen (n={n['unseen']['n']}) macro-F1 | F_avg |")
    print("|---|---|---|---|---|---|---|")
    for model, parts in res.items():
        cells = [f"{parts[p]['macro_f1']:.3f} | {parts[p]['f_avg']:.3f}" for p in ("all", "seen", "unseen")]
        print(f"| {model} | " + " | ".join(cells) + " |")
    texts = [r["text"] for s in ("train", "validation", "test") if (args.data / f"{s}.jsonl").exists()
             for r in read_split(args.data / f"{s}.jsonl")]
    print(f"\nDistinct word 4-grams: {distinct_4gram_share(texts):.1%} of all 4-grams in {len(set(texts))} distinct quotes.")
    unseen_f1 = res["TF-IDF + logistic regression"]["unseen"]["macro_f1"]
    if unseen_f1 >= TEMPLATED_F1:
        print(f"WARNING: TF-IDF reaches {unseen_f1:.3f} macro-F1 on unseen targets (>= {TEMPLATED_F1}): too templated.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
