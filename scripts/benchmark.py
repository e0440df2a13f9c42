#!/usr/bin/env python
"""Train and test on each public stance benchmark; write a markdown table beside the published numbers.

    python scripts/benchmark.py                          # every dataset, default recipe, docs/results.md
    python scripts/benchmark.py --datasets tweeteval --extra trainer.num_train_epochs=5
    python scripts/benchmark.py --experiment tweeteval_best --datasets tweeteval

Reads the datasets from $STANCE_DATA_DIR (default ../shared/datasets). Resumable: finished runs are
read back from --root instead of being trained again (--force retrains).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from stance.studies.experiments import Job, markdown_table, run_grid

ROOT = Path(__file__).resolve().parents[1]

# dataset -> (metric key in metrics.json, metric name, published anchors)
BENCHMARKS = {
    "tweeteval": ("test_f_avg", "F_avg (pooled, official)",
                  "TimeLMs-2021 72.9, BERTweet 71.2, RoBERTa-base 68.0, SVM 67.3, FastText 65.4"),
    "pstance": ("test_f_avg_target_mean", "F_avg per target, averaged", "BERTweet 80.5"),
    "covid19": ("test_macro_f1_target_mean", "macro-F1 per target, averaged", "(Glandt et al. 2021; no figure in ../shared/datasets/README.md)"),
    "wtwt": ("test_macro_f1", "macro-F1 (3 classes, random split)", "(no published anchor for this variant)"),
    "multitarget": ("test_macro_f1", "macro-F1", "(Sobhani et al. 2017 report F_avg per pair)"),
    "emergent": ("test_accuracy", "accuracy (claim-disjoint test)", "(Ferreira & Vlachos 2016 report accuracy; no figure in ../shared/datasets/README.md)"),
    "ibm_argq": ("test_macro_f1", "macro-F1 (topic-disjoint test)", "(ZeroStance reports macro-F1)"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", default=",".join(BENCHMARKS))
    parser.add_argument("--experiment", default=None, help="an experiment config applied to every run")
    parser.add_argument("--model", default="minilm")
    parser.add_argument("--max-train", type=int, default=4000, help="cap on training rows per dataset")
    parser.add_argument("--max-eval", type=int, default=None, help="cap on validation/test rows")
    parser.add_argument("--extra", nargs="*", default=[], help="overrides added to every run")
    parser.add_argument("--root", type=Path, default=ROOT / "outputs" / "benchmark")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "results.md")
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args()

    jobs = []
    for name in args.datasets.split(","):
        overrides = [f"data={name}", f"model={args.model}", "logger=none", "trainer.disable_tqdm=true",
                     f"data.max_train_samples={args.max_train}"]
        if args.max_eval:
            overrides.append(f"data.max_eval_samples={args.max_eval}")
        if args.experiment:
            overrides.insert(0, f"experiment={args.experiment}")
        tag = args.experiment or "default"
        jobs.append(Job(f"{tag}/{name}", (*overrides, *args.extra), {"dataset": name}))
    rows = []
    for job, res in run_grid(jobs, args.root, force=args.force):
        key, metric, anchors = BENCHMARKS[job.meta["dataset"]]
        score = res.get(key)
        rows.append([job.meta["dataset"], metric, None if score is None else round(100 * score, 1), anchors,
                     f"{res.get('wall_s', 0) / 60:.1f} min", args.model, f"`{res['command']}`"])
    table = markdown_table(["dataset", "metric", "ours (x100)", "published", "wall time (2 CPU cores)", "model",
                            "command"], rows)
    print(table)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        marker = f"<!-- benchmark.py {args.experiment or 'default'} -->"
        block = f"{marker}\n{table}\n{marker}"
        text = args.out.read_text(encoding="utf-8") if args.out.exists() else "# Benchmark results\n"
        if marker in text:
            head, _, rest = text.partition(marker)
            _, _, tail = rest.partition(marker)
            text = head + block + tail
        else:
            text = text.rstrip() + "\n\n" + block + "\n"
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
