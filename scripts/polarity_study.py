"""The polarity study's table (docs/zero_shot.md, "Polarity levers"): evaluate trained runs on the bundled test
split (seen / unseen targets), the same with every target masked, BASIL news quotations (validation, favor/against),
Perspectrum (validation: unseen claims, favor/against), the held-out explicit-statement check on unseen targets and
the seed article (Lavrov's and Rodriguez's quotations against military intervention in Venezuela, scripts/
seed_article.py); print one markdown row per run and, per recipe, the mean and spread over its seeds.

    STANCE_DATA_DIR=../shared/datasets python scripts/polarity_study.py RUN_DIR [RUN_DIR ...] [--json out.json]

A run's recipe and seed are read from its config.yaml (experiment_name, data.lexicon_statements, seed); the
evaluations land in RUN_DIR/eval/ and RUN_DIR/checklist.json and are reused when present, so an interrupted study
resumes. Sets whose folder is missing under $STANCE_DATA_DIR are left blank.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("STANCE_DATA_DIR", ROOT.parent / "shared" / "datasets"))
SEED_ARTICLE = ROOT.parent / "shared" / "seeds" / "caracas-coup-article.txt"

# column -> (eval output folder under RUN/eval, stance-eval overrides, metric key)
EVALS = {
    "test": ("quotes-test", [], "test_macro_f1"),
    "masked": ("quotes-test-masked", ["mask_target=true"], "test_macro_f1"),
    "basil": ("basil_quotes-validation", ["data=basil_quotes", "split=validation"], "validation_macro_f1"),
    "perspectrum": ("perspectrum-validation", ["data=perspectrum", "split=validation"], "validation_macro_f1"),
}
NEEDS = {"basil": "basil_quotes", "perspectrum": "perspectrum"}
COLUMNS = ["test", "seen", "unseen", "basil", "perspectrum", "checklist_unseen", "mask_drop", "seed_against",
           "train_min"]


def _stance_eval(run: Path, overrides: list[str]) -> None:
    cmd = [sys.executable, "-m", "stance.launch", "eval", f"model_dir={run}", "logger=none", *overrides]
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)  # noqa: S603 - our own command


def evaluate(run: Path) -> dict[str, float | str | None]:
    """Every figure of one run (evaluations it lacks are run first)."""
    cfg = yaml.safe_load((run / "config.yaml").read_text())
    data = cfg.get("data") or {}
    recipe = cfg.get("experiment_name") or "default"
    if data.get("lexicon_statements"):
        recipe += f"+lexicon{data['lexicon_statements']}" if recipe != "polarity_lexicon" else ""
    model_name = (cfg.get("model") or {}).get("name")
    if model_name and model_name != "minilm":
        recipe += f"@{model_name}"
    out: dict[str, float | str | None] = {"run": str(run), "recipe": recipe, "seed": cfg.get("seed")}
    metrics: dict[str, dict] = {}
    for name, (folder, overrides, key) in EVALS.items():
        if name in NEEDS and not (SHARED / NEEDS[name]).is_dir():
            out[name] = None
            continue
        file = run / "eval" / folder / "metrics.json"
        if not file.exists():
            _stance_eval(run, overrides)
        metrics[name] = json.loads(file.read_text())
        out[name] = metrics[name][key]
    out["seen"] = metrics["test"].get("test_seen_macro_f1")
    out["unseen"] = metrics["test"].get("test_unseen_macro_f1")
    out["mask_drop"] = round(float(out["test"]) - float(out["masked"]), 4)
    check = run / "checklist.json"
    if not check.exists():
        subprocess.run([sys.executable, str(ROOT / "scripts" / "checklist.py"), str(run), "--json", str(check)],
                       check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    checklist = json.loads(check.read_text())
    by_group = next(iter(checklist.values())) if checklist else {}
    out["checklist_unseen"] = (by_group.get("unseen") or {}).get("macro_f1")
    seed = run / "seed_article.json"
    if not seed.exists() and SEED_ARTICLE.is_file():
        subprocess.run([sys.executable, str(ROOT / "scripts" / "seed_article.py"), str(run), "--json", str(seed)],
                       check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    if seed.exists():  # Lavrov's and Rodriguez's quotations `against` military intervention in Venezuela
        checked = json.loads(seed.read_text())
        out["seed_against"] = f"{checked['checked_against']}/{checked['checked']}"
    trained = json.loads((run / "metrics.json").read_text())
    out["train_min"] = round(float(trained.get("train_train_runtime") or trained.get("train_runtime") or 0) / 60, 1)
    return out


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def table(results: list[dict]) -> str:
    head = "| recipe | seed | " + " | ".join(COLUMNS) + " |"
    lines = [head, "|" + "---|" * (len(COLUMNS) + 2)]
    for r in results:
        lines.append(f"| {r['recipe']} | {r['seed']} | " + " | ".join(_fmt(r.get(c)) for c in COLUMNS) + " |")
    recipes: dict[str, list[dict]] = {}
    for r in results:
        recipes.setdefault(str(r["recipe"]), []).append(r)
    for recipe, rows in recipes.items():
        if len(rows) < 2:
            continue
        cells = []
        for c in COLUMNS:
            if c == "seed_against":
                cells.append(" ".join(str(r.get(c) or "–") for r in rows))
                continue
            vals = [float(r[c]) for r in rows if r.get(c) is not None]
            cells.append(f"{statistics.mean(vals):.3f} ± {(max(vals) - min(vals)) / 2:.3f}" if vals else "–")
        seeds = "/".join(str(r["seed"]) for r in rows)
        lines.append(f"| **{recipe}, mean ± half-range** | {seeds} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("runs", nargs="+", type=Path)
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = ap.parse_args(argv)
    missing = [str(r) for r in args.runs if not (r / "metrics.json").exists()]
    if missing:
        print(f"error: not a finished training run (no metrics.json): {', '.join(missing)}", file=sys.stderr)
        return 2
    results = [evaluate(r.resolve()) for r in args.runs]
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
