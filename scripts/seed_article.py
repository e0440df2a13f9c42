#!/usr/bin/env python
"""The user's own example, end to end: extract the quotations of ../shared/seeds/caracas-coup-article.txt and
print each quotation's stance toward "military intervention in Venezuela" (and "Juan Guaido") for a model
(a run or model directory), with how many of Lavrov's and Rodriguez's
quotations come out `against` the intervention (the entailment issue's check).

    python scripts/seed_article.py RUN_OR_MODEL_DIR [...] [--article PATH] [--json out.json]

Nothing from this article is used for training, templates or rules; it is only scored.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ARTICLE = ROOT.parent / "shared" / "seeds" / "caracas-coup-article.txt"
INTERVENTION = "military intervention in Venezuela"
TARGETS = (INTERVENTION, "Juan Guaido")
CHECKED = ("Lavrov", "Rodriguez")  # the speakers whose quotations must come out against the intervention


def check(model: str, article: Path) -> dict:
    """Every (quotation, target) row and the count of checked speakers' quotations `against` the intervention."""
    from stance.model.classifier import StanceClassifier
    from stance.quotes import extract_quotes

    clf = StanceClassifier.from_pretrained(model, precision="fp32")
    quotes = [q for q in extract_quotes(article.read_text(encoding="utf-8")) if (q.quote or "").strip()]
    rows = []
    for target in TARGETS:
        preds = clf.predict([q.quote for q in quotes], [target] * len(quotes)) if quotes else []
        for q, p in zip(quotes, preds):
            rows.append({"speaker": q.speaker or "", "target": target, "label": p["label"],
                         "scores": p["scores"], "quote": q.quote[:160]})
    checked = [r for r in rows if r["target"] == INTERVENTION and any(s in r["speaker"] for s in CHECKED)]
    return {"model": str(model), "rows": rows, "checked": len(checked),
            "checked_against": sum(r["label"] == "against" for r in checked)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("models", nargs="+")
    ap.add_argument("--article", type=Path, default=ARTICLE)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    if not args.article.is_file():
        print(f"error: {args.article} not found", file=sys.stderr)
        return 2
    results = []
    for model in args.models:
        res = check(model, args.article)
        results.append(res)
        print(f"## {res['model']}: {res['checked_against']} of {res['checked']} Lavrov/Rodriguez quotations "
              f"against {INTERVENTION!r}")
        for r in res["rows"]:
            s = r["scores"]
            print(f"  {r['speaker'][:22]:22} {r['target'][:20]:20} {r['label']:8} f={s['favor']:.2f} "
                  f"a={s['against']:.2f} n={s['none']:.2f}  {r['quote'][:70]!r}")
    if args.json:
        args.json.write_text(json.dumps(results if len(results) > 1 else results[0], indent=2) + "\n",
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
