#!/usr/bin/env python
"""Training speed: our default recipe against a plain run_glue-style recipe, side by side in one run.

Ours: dynamic padding, length-grouped batches, bf16 autocast where the CPU supports it.
run_glue-style: every pair padded to 128 tokens, random batches, fp32. Same data, same model, same
number of optimizer steps; the two alternate over --repeats rounds and the medians are reported, with
the test F_avg each recipe reached after those steps.

    python scripts/bench_train.py --steps 150 --repeats 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RECIPES = {
    "ours (dynamic padding, length-grouped, bf16 where the CPU has it)": [],
    "run_glue-style (pad to 128, fp32)": ["trainer=runglue", "model.input_format.max_length=128"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=150)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--model", default="minilm")
    parser.add_argument("--data", default="quotes")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()

    from stance.config import compose  # the real configs, composed like the CLI
    from stance.train.trainer import train

    results: dict[str, dict[str, list[float]]] = {name: {"eps": [], "f_avg": [], "macro_f1": []} for name in RECIPES}
    with tempfile.TemporaryDirectory() as tmp:
        for rep in range(args.repeats):
            for i, (name, extra) in enumerate(RECIPES.items()):
                run_dir = Path(tmp) / f"{rep}-{i}"
                cfg = compose("train", [
                    f"data={args.data}", f"model={args.model}", "logger=none", f"hydra.run.dir={run_dir}",
                    f"trainer.max_steps={args.steps}", "trainer.eval_strategy=no", "trainer.save_strategy=no",
                    "trainer.load_best_model_at_end=false", "trainer.disable_tqdm=true", *extra,
                ])
                out = train(cfg)
                results[name]["eps"].append(out["train_samples_per_second"])
                results[name]["f_avg"].append(out["test_f_avg"])
                results[name]["macro_f1"].append(out["test_macro_f1"])
                print(f"round {rep + 1} {name}: {out['train_samples_per_second']:.1f} examples/s, "
                      f"test F_avg {out['test_f_avg']:.3f}", flush=True)
    med = {name: {k: statistics.median(v) for k, v in r.items()} for name, r in results.items()}
    ours, glue = (med[n] for n in RECIPES)
    print(f"\n{args.steps} steps, {args.repeats} rounds, medians:")
    print("| recipe | examples/s | test F_avg | test macro-F1 |\n|---|---|---|---|")
    for name, m in med.items():
        print(f"| {name} | {m['eps']:.1f} | {m['f_avg']:.3f} | {m['macro_f1']:.3f} |")
    print(f"\nspeed-up: {ours['eps'] / glue['eps']:.2f}x; F_avg difference (ours - run_glue): "
          f"{ours['f_avg'] - glue['f_avg']:+.3f}")
    if args.json:
        args.json.write_text(json.dumps({"runs": results, "medians": med}, indent=2))


if __name__ == "__main__":
    main()
