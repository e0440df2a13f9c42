"""Score the attribution extractors against PolNeAR attributions, by the rules in ``../shared/polnear/README.md``.

    python scripts/eval_quotes.py --split dev [--modes rules,tagger,both] [--model-dir DIR] [--runs 3]
                                  [--data-dir ../shared/polnear] [--by-paragraph] [--errors N]

For each mode (``rules``: ``stance.quotes`` alone; ``tagger``: the attribution tagger alone; ``both``: the
default ``stance.attribution`` extractor) prints precision, recall and F1 of quote spans for direct quotations and
for all attributions, speaker accuracy on matched pairs whose gold has a source, and the extraction speed in
articles per second (wall clock, median of ``--runs``; set ``OMP_NUM_THREADS`` / ``--threads`` for the cores).
The scoring is plain code in this file, so that it can be checked against the README line by line.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from stance.quotes import Quote, extract_quotes  # noqa: E402

DEFAULT_DATA_DIR = ROOT.parent / "shared" / "polnear"

Span = tuple[int, int]


def load_split(split: str, data_dir: Path = DEFAULT_DATA_DIR) -> list[dict]:
    """Read one PolNeAR split (``train`` or ``dev``) as a list of article dicts."""
    path = Path(data_dir) / f"{split}.jsonl"
    if not path.is_file():
        raise FileNotFoundError(f"PolNeAR split not found: {path}")
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _overlap(pred: Span, spans: list[list[int]]) -> int:
    return sum(max(0, min(pred[1], e) - max(pred[0], s)) for s, e in spans)


def _length(spans: Iterable[list[int]]) -> int:
    return sum(e - s for s, e in spans)


def match(preds: list[Span], gold: list[list[list[int]]]) -> list[tuple[int, int]]:
    """One-to-one matches (pred index, gold index), largest overlap first.

    A pair qualifies when the shared characters are at least half of the gold content's length (all its spans)
    and at least half of the prediction's length."""
    cands = []
    for i, p in enumerate(preds):
        plen = p[1] - p[0]
        for j, g in enumerate(gold):
            ov = _overlap(p, g)
            if ov > 0 and 2 * ov >= _length(g) and 2 * ov >= plen:
                cands.append((ov, i, j))
    cands.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _, i, j in cands:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((i, j))
    return out


def _qualifies(pred: Span, golds: list[list[list[int]]]) -> bool:
    """Whether ``pred`` would match any of ``golds`` by the half-overlap rule."""
    plen = pred[1] - pred[0]
    for g in golds:
        ov = _overlap(pred, g)
        if ov > 0 and 2 * ov >= _length(g) and 2 * ov >= plen:
            return True
    return False


_APOS = re.compile(r"['’‘`]")
_PUNCT = re.compile(r"[^\w\s]|_")


def normalize_name(name: str) -> list[str]:
    """Lowercase, drop apostrophes, turn other punctuation into spaces, split into words."""
    return _PUNCT.sub(" ", _APOS.sub("", name.lower())).split()


def names_agree(a: str, b: str) -> bool:
    """Equal, one a contiguous run of the other's words, or the same last word (README rule)."""
    wa, wb = normalize_name(a), normalize_name(b)
    if not wa or not wb:
        return False
    if wa == wb or wa[-1] == wb[-1]:
        return True
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    n = len(short)
    return any(long_[k : k + n] == short for k in range(len(long_) - n + 1))


def speaker_correct(q: Quote, text: str, source: list[list[int]]) -> bool:
    """Speaker rule: the cue's mention span overlaps the gold source, or the names agree."""
    if q.speaker is None and q.speaker_start is None:
        return False
    if q.speaker_start is not None and q.speaker_end is not None:
        if any(min(q.speaker_end, e) > max(q.speaker_start, s) for s, e in source):
            return True
    gold_name = " ".join(text[s:e] for s, e in source)
    return q.speaker is not None and names_agree(q.speaker, gold_name)


def predict(text: str, by_paragraph: bool = False) -> list[Quote]:
    """Run the extractor on the whole article, or paragraph by paragraph (offsets mapped back)."""
    if not by_paragraph:
        return extract_quotes(text)
    out: list[Quote] = []
    for m in re.finditer(r"[^\n]+", text):
        for q in extract_quotes(m.group()):
            d = q.to_dict()
            for k in ("quote_start", "quote_end", "speaker_start", "speaker_end"):
                if d[k] is not None:
                    d[k] += m.start()
            d["pieces"] = [(s + m.start(), e + m.start()) for s, e in q.pieces]
            out.append(Quote(**d))
    return out


def split_pieces(quotes: list[Quote], text: str) -> list[Quote]:
    """Each piece of each attribution as a record of its own (``--unit quote``), with the attribution's speaker
    and cue: what the extractor returned before attributions were its unit."""
    out: list[Quote] = []
    for q in quotes:
        for s, e in q.pieces:
            d = q.to_dict()
            d.update(quote=text[s:e], quote_start=s, quote_end=e, pieces=[(s, e)])
            out.append(Quote(**d))
    return out


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "fp": fp, "fn": fn}


def evaluate(
    rows: list[dict],
    by_paragraph: bool = False,
    errors: list | None = None,
    unit: str = "attribution",
    direct_preds: str = "direct",
    predictions: Sequence[list[Quote]] | None = None,
) -> dict:
    """Score all articles; append (kind, article id, detail) tuples to ``errors`` when given.

    ``unit="attribution"`` scores each record of the extractor (an attribution, one span from its first piece's
    start to its last piece's end) as one prediction; ``unit="quote"`` scores each piece on its own
    (:func:`split_pieces`). ``predictions``: each row's records made beforehand (else the rules are run). For the
    direct subset,
    ``direct_preds="direct"`` scores the predictions flagged ``direct`` (the extractor's direct quotations);
    ``direct_preds="all"`` scores every prediction, reported speech included."""
    if unit not in ("quote", "attribution"):
        raise ValueError(f"unit must be 'quote' or 'attribution', got {unit!r}")
    d_tp = d_fp = d_fn = a_tp = a_fp = a_fn = 0
    spk_ok = spk_n = dspk_ok = dspk_n = 0
    n_pred = 0
    for k, row in enumerate(rows):
        text = row["text"]
        gold = row["attributions"]
        quotes = list(predictions[k]) if predictions is not None else predict(text, by_paragraph)
        if unit == "quote":
            quotes = split_pieces(quotes, text)
        n_pred += len(quotes)
        spans = [(q.quote_start, q.quote_end) for q in quotes]
        # All attributions.
        all_m = match(spans, [g["content"] for g in gold])
        a_tp += len(all_m)
        a_fp += len(spans) - len(all_m)
        a_fn += len(gold) - len(all_m)
        # Direct subset; predictions that match only an indirect attribution are ignored.
        direct_idx = [j for j, g in enumerate(gold) if g["direct"]]
        cand = [i for i, q in enumerate(quotes) if direct_preds == "all" or q.direct]
        dir_m = [(cand[i], j) for i, j in match([spans[i] for i in cand], [gold[j]["content"] for j in direct_idx])]
        matched_p = {i for i, _ in dir_m}
        indirect_gold = [g["content"] for g in gold if not g["direct"]]
        ignored = {i for i in cand if i not in matched_p and _qualifies(spans[i], indirect_gold)}
        d_tp += len(dir_m)
        fps = [i for i in cand if i not in matched_p and i not in ignored]
        d_fp += len(fps)
        d_fn += len(direct_idx) - len(dir_m)
        # Speaker accuracy on all matched pairs whose gold has a source.
        for i, j in all_m:
            if gold[j]["source"]:
                spk_n += 1
                ok = speaker_correct(quotes[i], text, gold[j]["source"])
                spk_ok += ok
                if not ok and errors is not None:
                    errors.append(("speaker", row["id"], quotes[i], [text[s:e] for s, e in gold[j]["source"]]))
        for i, j in dir_m:
            g = gold[direct_idx[j]]
            if g["source"]:
                dspk_n += 1
                dspk_ok += speaker_correct(quotes[i], text, g["source"])
        if errors is not None:
            for i in fps:
                errors.append(("fp", row["id"], quotes[i], None))
            got = {direct_idx[j] for _, j in dir_m}
            for j in direct_idx:
                if j not in got:
                    errors.append(("fn", row["id"], gold[j], text))
    return {
        "articles": len(rows),
        "predictions": n_pred,
        "direct": _prf(d_tp, d_fp, d_fn),
        "all": _prf(a_tp, a_fp, a_fn),
        "speaker_accuracy": spk_ok / spk_n if spk_n else 0.0,
        "speaker_pairs": spk_n,
        "direct_speaker_accuracy": dspk_ok / dspk_n if dspk_n else 0.0,
        "direct_speaker_pairs": dspk_n,
    }


def _show_errors(errors: list, limit: int) -> Iterator[str]:
    for kind, aid, obj, extra in errors[:limit]:
        if kind == "fn":
            text = extra
            spans = obj["content"]
            src = [text[s:e] for s, e in obj["source"]]
            s0, e0 = spans[0][0], spans[-1][1]
            yield f"FN {aid}: {text[max(0, s0 - 80):s0]!r} [[{text[s0:e0][:200]!r}]] {text[e0:e0 + 80]!r} SRC={src}"
        elif kind == "fp":
            yield f"FP {aid}: {obj.quote[:150]!r} spk={obj.speaker!r} cue={obj.cue!r} direct={obj.direct}"
        else:
            yield f"SPK {aid}: {obj.quote[:80]!r} pred={obj.speaker!r} cue={obj.cue!r} gold={extra}"


def extractor_of(mode: str, model_dir: str | None, by_paragraph: bool) -> Callable[[list[str]], list[list[Quote]]]:
    """A function from a batch of texts to their records, for ``mode`` (rules, tagger or both)."""
    if mode == "rules":
        return lambda texts: [predict(t, by_paragraph) for t in texts]
    from stance.attribution import StatementExtractor

    ext = StatementExtractor(mode, model_dir=model_dir)
    return lambda texts: [r.quotes for r in ext.extract_many(texts)]


def timed_predictions(extract_batch: Callable[[list[str]], list[list[Quote]]], texts: list[str], runs: int,
                      batch: int = 16) -> tuple[list[list[Quote]], list[float]]:
    """The records of every text and the articles per second of each of ``runs`` passes (wall clock)."""
    rates = []
    out: list[list[Quote]] = []
    for _ in range(max(1, runs)):
        t0 = time.perf_counter()
        out = []
        for b in range(0, len(texts), batch):
            out.extend(extract_batch(texts[b : b + batch]))
        rates.append(len(texts) / (time.perf_counter() - t0))
    return out, rates


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=["train", "dev"], default="dev")
    ap.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    ap.add_argument("--by-paragraph", action="store_true", help="run the extractor one paragraph at a time")
    ap.add_argument("--errors", type=int, default=0, help="print this many errors of each kind")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument(
        "--direct-preds",
        choices=["direct", "all"],
        default="direct",
        help="for the direct subset, score the predictions flagged direct, or all predictions",
    )
    ap.add_argument(
        "--unit",
        choices=["quote", "attribution"],
        default="attribution",
        help="score each attribution the extractor returns (PolNeAR's unit), or each of its quoted pieces",
    )
    ap.add_argument("--modes", default="rules,tagger,both",
                    help="comma-separated: rules (stance.quotes), tagger (the attribution tagger), both")
    ap.add_argument("--model-dir", default=None, help="attribution tagger directory (default: the shipped one)")
    ap.add_argument("--runs", type=int, default=1, help="extraction passes timed (the median is printed)")
    ap.add_argument("--threads", type=int, default=None, help="torch threads for the tagger")
    args = ap.parse_args(argv)
    try:
        rows = load_split(args.split, args.data_dir)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    results = {}
    for mode in modes:
        errors: list | None = [] if args.errors else None
        preds, rates = timed_predictions(extractor_of(mode, args.model_dir, args.by_paragraph),
                                         [r["text"] for r in rows], args.runs)
        res = evaluate(rows, args.by_paragraph, errors, unit=args.unit, direct_preds=args.direct_preds,
                       predictions=preds)
        res["articles_per_second"] = statistics.median(rates)
        res["articles_per_second_runs"] = [round(r, 2) for r in rates]
        results[mode] = res
        _report(args, mode, res, errors)
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


def _report(args: argparse.Namespace, mode: str, res: dict, errors: list | None) -> None:
    if errors:
        import random

        random.Random(0).shuffle(errors)
        for kind in ("fn", "fp", "speaker"):
            for line in _show_errors([e for e in errors if e[0] == kind], args.errors):
                print(line)
        print()
    if args.json:
        return
    print(
        f"[{mode}] PolNeAR {args.split}: {res['articles']} articles, {res['predictions']} predictions"
        f" (unit: {args.unit}, direct subset scored on {args.direct_preds} predictions"
        f"{', by paragraph' if args.by_paragraph else ''})"
    )
    for key in ("direct", "all"):
        r = res[key]
        print(
            f"  {key:7s} P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}"
            f"   (tp {r['tp']}, fp {r['fp']}, fn {r['fn']})"
        )
    print(f"  speaker accuracy {res['speaker_accuracy']:.3f} on {res['speaker_pairs']} matched pairs with a source")
    print(
        f"  speaker accuracy, direct {res['direct_speaker_accuracy']:.3f}"
        f" on {res['direct_speaker_pairs']} matched direct pairs with a source"
    )
    runs = ", ".join(f"{r:.1f}" for r in res["articles_per_second_runs"])
    print(f"  speed {res['articles_per_second']:.1f} articles/s (median of {len(res['articles_per_second_runs'])}:"
          f" {runs})")


if __name__ == "__main__":
    raise SystemExit(main())
