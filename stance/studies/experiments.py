"""Grids of training runs (benchmarks, zero-shot studies) run as separate processes, resumable,
with their results collected into markdown tables."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Job:
    """One training run: a name (its folder under the grid's root) and its `stance-train` overrides."""

    name: str
    overrides: tuple[str, ...]
    meta: Mapping[str, Any] = field(default_factory=dict)

    def command(self, run_dir: Path) -> list[str]:
        return ["stance-train", *self.overrides, f"hydra.run.dir={run_dir}"]


def run_job(job: Job, root: Path, *, force: bool = False, log: bool = True) -> dict[str, Any]:
    """Run ``job`` unless its run directory already holds metrics (so an interrupted grid resumes).

    Returns the run's ``metrics.json`` plus ``wall_s`` and ``command``; a failed run returns ``error``.
    """
    run_dir = root / job.name
    metrics_file = run_dir / "metrics.json"
    command = " ".join(job.command(Path("RUN_DIR")))
    if metrics_file.exists() and not force:
        return {**json.loads(metrics_file.read_text()), "command": command, **_wall(run_dir)}
    run_dir.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "stance.launch", "train", *job.overrides, f"hydra.run.dir={run_dir}"]
    start = time.perf_counter()
    with (run_dir / "job.log").open("w", encoding="utf-8") as out:
        proc = subprocess.run(argv, stdout=out, stderr=subprocess.STDOUT, check=False)
    wall = time.perf_counter() - start
    (run_dir / "wall_s.txt").write_text(f"{wall:.1f}\n")
    if proc.returncode != 0 or not metrics_file.exists():
        tail = (run_dir / "job.log").read_text(errors="replace")[-1500:]
        if log:
            print(f"[{job.name}] failed (exit {proc.returncode}); see {run_dir / 'job.log'}\n{tail}", file=sys.stderr)
        return {"error": f"exit {proc.returncode}", "command": command, "wall_s": wall}
    if log:
        print(f"[{job.name}] done in {wall:.0f}s", file=sys.stderr)
    return {**json.loads(metrics_file.read_text()), "command": command, "wall_s": wall}


def _wall(run_dir: Path) -> dict[str, float]:
    f = run_dir / "wall_s.txt"
    return {"wall_s": float(f.read_text())} if f.exists() else {}


def run_grid(jobs: Iterable[Job], root: Path, *, force: bool = False) -> list[tuple[Job, dict[str, Any]]]:
    root.mkdir(parents=True, exist_ok=True)
    return [(job, run_job(job, root, force=force)) for job in jobs]


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    def cell(value: Any) -> str:
        if isinstance(value, float):
            return f"{value:.3f}"
        return "" if value is None else str(value).replace("|", "\\|")

    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def majority_macro_f1(labels: Sequence[str], allowed: Sequence[str]) -> float:
    """Macro-F1 of always predicting the most frequent label (over the allowed labels)."""
    from collections import Counter

    counts = Counter(labels)
    top = counts.most_common(1)[0][0]
    p = counts[top] / len(labels)
    f1_top = 2 * p / (1 + p)
    return f1_top / len(allowed)
