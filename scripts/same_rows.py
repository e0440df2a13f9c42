#!/usr/bin/env python
"""Whether two ``stance-predict`` JSONL outputs hold the same rows, compared sorted by article, quotation and target.

    python scripts/same_rows.py local.jsonl ray.jsonl [--tolerance 1e-5]

Prints the number of rows, whether every row is equal, how many differ only in their scores, the largest difference
of any score, and the first row that differs. Exit status 0 when the rows are equal (with ``--tolerance``: every
field but the scores equal, and the scores within it), 1 otherwise. Used to check that ``engine=ray`` gives the
local engine's rows with a trained model (docs/scaling.md): pairs batched with other pairs (another engine, another
``batch_size``) can differ in the sixth decimal of a float32 score.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from stance.predict.outputs import iter_jsonl  # noqa: E402


def _key(row: dict) -> tuple:
    return row["article_id"], row.get("quote_start", -1), row.get("quote_end", -1), row.get("target", "")


def sorted_rows(path: Path) -> list[dict]:
    """The rows of a JSONL output, sorted by article, quotation and target."""
    return sorted(iter_jsonl(path), key=_key)


def max_score_difference(a: list[dict], b: list[dict]) -> float:
    """The largest absolute difference between the scores of rows in the same place."""
    diff = 0.0
    for x, y in zip(a, b):
        for label, p in (x.get("scores") or {}).items():
            diff = max(diff, abs(p - (y.get("scores") or {}).get(label, float("nan"))))
    return diff


def _without_scores(row: dict) -> dict:
    return {k: v for k, v in row.items() if k != "scores"}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("first", type=Path)
    ap.add_argument("second", type=Path)
    ap.add_argument("--tolerance", type=float, default=0.0, help="the largest score difference that counts as equal")
    args = ap.parse_args(argv)
    a, b = sorted_rows(args.first), sorted_rows(args.second)
    diff = max_score_difference(a, b)
    only_scores = sum(x != y and _without_scores(x) == _without_scores(y) for x, y in zip(a, b))
    same = a == b or (len(a) == len(b) and diff <= args.tolerance
                      and all(_without_scores(x) == _without_scores(y) for x, y in zip(a, b)))
    print(f"{len(a)} rows vs {len(b)} rows; {sum('error' in r for r in a)} error records; equal: {same}"
          f"{f' (within {args.tolerance:g})' if args.tolerance else ''}; {only_scores} rows differ in their scores "
          f"only; largest score difference: {diff:.3g}")
    if not same:
        first = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        print(f"first difference at sorted row {first}:\n  {a[first] if first < len(a) else None}\n  "
              f"{b[first] if first < len(b) else None}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
