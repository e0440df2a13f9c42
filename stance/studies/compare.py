"""``stance-compare``: a table (and a PNG chart) of finished runs, read from their directories, no server needed.

A run is a directory with ``metrics.json`` (and, usually, the resolved ``config.yaml``): training runs,
multirun jobs, sweep trials and ``stance-eval`` reports alike. The table shows each run's name, the config
values that differ between the runs, and metrics; runs whose configs differ only in ``seed`` are one row
with mean ± std over the seeds.
"""

from __future__ import annotations

import argparse
import glob
import json
import math
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stance.errors import EXIT_USAGE, CompareError, report_error

#: config keys never shown as differences: paths, names and bookkeeping that differ between any two runs
IGNORED_KEYS = ("paths.", "hydra.", "logger.", "run_name", "tags", "resume", "output_dir", "model_dir", "run.", "sweep.")
DEFAULT_METRICS = ("best_validation_f_avg", "test_f_avg", "test_macro_f1", "test_accuracy")
_SKIP_DIRS = {"wandb", "model", "checkpoints", ".hydra", "__pycache__"}



@dataclass
class Run:
    """One finished run: where it is, its flat config and its numeric metrics."""

    path: Path
    name: str
    config: dict[str, Any]
    metrics: dict[str, float]


@dataclass
class Row:
    """One line of the table: a run, or the seeds of one config."""

    name: str
    runs: list[Run]
    values: dict[str, Any] = field(default_factory=dict)  # the differing config values

    def stats(self, metric: str) -> tuple[float, float, int] | None:
        """(mean, sample std, count) of ``metric`` over the row's runs that have it."""
        xs = [r.metrics[metric] for r in self.runs if metric in r.metrics]
        if not xs:
            return None
        mean = sum(xs) / len(xs)
        std = math.sqrt(sum((x - mean) ** 2 for x in xs) / (len(xs) - 1)) if len(xs) > 1 else 0.0
        return mean, std, len(xs)


def flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested mappings as dotted keys; lists become their JSON text."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(flatten(value, f"{name}."))
        elif isinstance(value, (list, tuple)):
            out[name] = json.dumps(list(value), default=str)
        else:
            out[name] = value
    return out


def find_runs(paths: Iterable[str]) -> list[Path]:
    """Run directories under each path: a run dir itself, a multirun/sweep dir (searched), or a glob pattern.

    The search does not descend into a run (so a run's own ``eval/`` reports are not mixed in; pass them
    explicitly to compare them).
    """
    found: list[Path] = []
    for arg in paths:
        matches = sorted(glob.glob(os.path.expanduser(arg))) if glob.has_magic(arg) else [os.path.expanduser(arg)]
        if not matches or not all(Path(m).exists() for m in matches):
            raise CompareError(f"{arg}: no such directory")
        for match in matches:
            root = Path(match)
            if (root / "metrics.json").is_file():
                found.append(root)
                continue
            for dirpath, dirnames, filenames in os.walk(root):
                if "metrics.json" in filenames:
                    found.append(Path(dirpath))
                    dirnames[:] = []
                    continue
                dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
    unique = list(dict.fromkeys(p.resolve() for p in found))
    return unique


def warn(message: str) -> None:
    """One ``stance-compare: warning: ...`` line on stderr."""
    print(f"stance-compare: warning: {' '.join(message.split())}", file=sys.stderr, flush=True)


def _load_runs(dirs: Sequence[Path], root: Path) -> list[Run]:
    """The runs that can be read; each one that cannot is named in a warning (all unreadable: the first error)."""
    runs: list[Run] = []
    errors: list[CompareError] = []
    for d in dirs:
        try:
            runs.append(load_run(d, root))
        except CompareError as err:
            errors.append(err)
    if errors and not runs:
        raise errors[0]
    for err in errors:
        warn(f"{err}; run skipped")
    return runs


def load_run(path: Path, root: Path | None = None) -> Run:
    """Read ``metrics.json`` and ``config.yaml`` of a run directory; errors name the file."""
    import yaml

    try:
        metrics = json.loads((path / "metrics.json").read_text(encoding="utf-8"))
    except UnicodeDecodeError as err:
        raise CompareError(f"{path / 'metrics.json'}: not valid UTF-8 ({err.reason} at byte {err.start})") from None
    except (OSError, ValueError) as err:
        raise CompareError(f"{path / 'metrics.json'}: unreadable ({err})") from None
    if not isinstance(metrics, dict):
        raise CompareError(f"{path / 'metrics.json'}: expected a JSON object")
    config: dict[str, Any] = {}
    if (path / "config.yaml").is_file():
        try:
            loaded = yaml.safe_load((path / "config.yaml").read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as err:
            raise CompareError(f"{path / 'config.yaml'}: unreadable ({err})") from None
        config = flatten(loaded) if isinstance(loaded, dict) else {}
    numeric = {k: float(v) for k, v in metrics.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    odd = sorted(k for k, v in numeric.items() if not math.isfinite(v))
    if odd:  # json reads NaN and Infinity; an Infinity would rank first
        warn(f"{path / 'metrics.json'}: {', '.join(odd)} not a finite number; left out")
        numeric = {k: v for k, v in numeric.items() if k not in odd}
    rel = os.path.relpath(path, root) if root else path.name
    name = str(metrics.get("run_name") or rel)
    return Run(path=path, name=name if name not in ("", ".") else path.name, config=config, metrics=numeric)


def differing_keys(runs: Sequence[Run], ignore: Sequence[str] = IGNORED_KEYS) -> list[str]:
    """Config keys whose values are not the same in every run (a key missing from some runs differs)."""
    keys = sorted({k for r in runs for k in r.config})
    missing = object()
    out = []
    for key in keys:
        if key in ignore or any(p.endswith(".") and key.startswith(p) for p in ignore):
            continue
        values = {json.dumps(r.config.get(key, missing), default=repr) for r in runs}
        if len(values) > 1:
            out.append(key)
    return out


def _strip_seed(name: str) -> str:
    return re.sub(r"(^|,)seed=[^,]*", "", name).strip(",") or name


def group_rows(runs: Sequence[Run], keys: Sequence[str], seed_key: str = "seed") -> list[Row]:
    """One row per distinct config (over ``keys`` without the seed): its runs are its seeds."""
    rows: dict[str, Row] = {}
    shown = [k for k in keys if k != seed_key]
    for run in runs:
        ident = json.dumps([run.config.get(k) for k in shown], default=repr)
        if ident not in rows:
            rows[ident] = Row(name=run.name, runs=[], values={k: run.config.get(k) for k in shown})
        rows[ident].runs.append(run)
    for row in rows.values():
        if len(row.runs) > 1:
            names = {_strip_seed(r.name) for r in row.runs}
            row.name = names.pop() if len(names) == 1 else row.runs[0].name
    return list(rows.values())


def sort_rows(rows: list[Row], metric: str, ascending: bool = False) -> list[Row]:
    """By the mean of ``metric``; rows without it go last."""
    def key(row: Row) -> tuple[int, float]:
        s = row.stats(metric)
        if s is None:
            return (1, 0.0)
        return (0, s[0] if ascending else -s[0])

    return sorted(rows, key=key)


def _short(key: str) -> str:
    return key.removeprefix("trainer.").removeprefix("model.")


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return "-" if value is None else str(value)


def _metric_cell(row: Row, metric: str) -> str:
    s = row.stats(metric)
    if s is None:
        return "-"
    mean, std, n = s
    return f"{mean:.4f} ± {std:.4f}" if n > 1 else f"{mean:.4f}"


def format_table(rows: Sequence[Row], keys: Sequence[str], metrics: Sequence[str]) -> str:
    """A plain-text table: name, seeds, differing config values, metrics (mean ± std over seeds)."""
    shown = [k for k in keys if k != "seed"]
    header = ["run", "n", *(_short(k) for k in shown), *metrics]
    body = [[row.name, str(len(row.runs)), *(_cell(row.values.get(k)) for k in shown),
             *(_metric_cell(row, m) for m in metrics)] for row in rows]
    widths = [max(len(h), *(len(b[i]) for b in body)) if body else len(h) for i, h in enumerate(header)]
    widths[0] = min(widths[0], 60)

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c[: widths[i]].ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(cells))

    return "\n".join([line(header), line(["-" * w for w in widths]), *(line(b) for b in body)])


def chart_png(rows: Sequence[Row], keys: Sequence[str], metric: str, path: str | Path) -> Path:
    """Horizontal bars of ``metric`` per row (error bars: std over seeds), best at the top."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = [k for k in keys if k != "seed"]
    data = [(row, row.stats(metric)) for row in rows]
    data = [(row, s) for row, s in data if s is not None]
    labels = []
    for row, s in data:
        diff = ", ".join(f"{_short(k)}={_cell(row.values.get(k))}" for k in shown)
        label = diff or row.name
        labels.append((label[:70] + "…" if len(label) > 71 else label) + (f"  (n={s[2]})" if s[2] > 1 else ""))
    fig, ax = plt.subplots(figsize=(9, 0.45 * max(len(data), 2) + 1.4))
    ys = list(range(len(data)))[::-1]
    ax.barh(ys, [s[0] for _, s in data], xerr=[s[1] for _, s in data], color="#4c72b0", capsize=3)
    ax.set_yticks(ys, labels, fontsize=8)
    ax.set_xlabel(metric)
    ax.set_title(f"{len(data)} configs by {metric}")
    for y, (_, s) in zip(ys, data):
        ax.text(s[0], y, f" {s[0]:.3f}", va="center", fontsize=7)
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def compare(
    paths: Sequence[str],
    sort: str | None = None,
    metrics: Sequence[str] | None = None,
    ascending: bool = False,
    ignore: Sequence[str] = (),
) -> dict[str, Any]:
    """Load and group the runs under ``paths``: ``{"runs", "rows", "keys", "metrics", "sort"}``."""
    dirs = find_runs(paths)
    if not dirs:
        raise CompareError(f"no run directories (with metrics.json) under {', '.join(paths)}")
    root = Path(os.path.commonpath([str(d) for d in dirs])) if len(dirs) > 1 else dirs[0].parent
    runs = _load_runs(dirs, root)
    available = sorted({k for r in runs for k in r.metrics})
    if sort is None:
        sort = next((m for m in DEFAULT_METRICS if m in available), available[0] if available else None)
    if sort not in available:
        raise CompareError(f"no run has the metric {sort!r}; available: {', '.join(available)}")
    keys = differing_keys(runs, (*IGNORED_KEYS, *ignore))
    chosen = list(metrics) if metrics else [m for m in DEFAULT_METRICS if m in available]
    unknown = [m for m in chosen if m not in available]
    if unknown:
        raise CompareError(f"no run has the metric(s) {unknown}; available: {', '.join(available)}")
    if sort not in chosen:
        chosen.insert(0, sort)
    rows = sort_rows(group_rows(runs, keys), sort, ascending)
    return {"runs": runs, "rows": rows, "keys": keys, "metrics": chosen, "sort": sort, "root": root}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="stance-compare",
        description="Compare finished runs (directories with metrics.json): the config values that differ, "
                    "metrics as mean ± std over seeds, and a PNG chart. Works offline.",
    )
    p.add_argument("paths", nargs="+", help="run directories, multirun/sweep directories, or glob patterns")
    p.add_argument("--sort", default=None, help="metric to sort by (default: best_validation_f_avg, else test_f_avg)")
    p.add_argument("--ascending", action="store_true", help="lowest first (for losses, ECE)")
    p.add_argument("--metrics", nargs="+", default=None, help="metric columns (default: the headline metrics)")
    p.add_argument("--ignore", nargs="+", default=(), help="more config keys (or prefixes ending in '.') to hide")
    p.add_argument("--png", default=None, help="chart path (default: compare.png in the runs' common directory)")
    p.add_argument("--no-png", action="store_true", help="do not write the chart")
    p.add_argument("--csv", default=None, help="also write the table as CSV")
    return p


def _write_csv(path: Path, result: Mapping[str, Any]) -> None:
    import csv

    shown = [k for k in result["keys"] if k != "seed"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["run", "n", *shown, *(f"{m}{s}" for m in result["metrics"] for s in ("_mean", "_std")),
                         "paths"])
        for row in result["rows"]:
            stats = [row.stats(m) for m in result["metrics"]]
            writer.writerow([row.name, len(row.runs), *(row.values.get(k) for k in shown),
                             *(v for s in stats for v in ((s[0], s[1]) if s else ("", ""))),
                             ";".join(str(r.path) for r in row.runs)])


def main(argv: Sequence[str] | None = None) -> int:
    """``stance-compare RUN_DIR... [--sort METRIC]``: print the table, write the chart; 0 on success, 2 on error."""
    args = _parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    try:
        result = compare(args.paths, sort=args.sort, metrics=args.metrics, ascending=args.ascending,
                         ignore=args.ignore)
    except CompareError as err:
        report_error("stance-compare", err)
        return EXIT_USAGE
    n_runs = len(result["runs"])
    print(f"{n_runs} runs, {len(result['rows'])} configs, sorted by {result['sort']}"
          f" ({'ascending' if args.ascending else 'descending'}); under {result['root']}")
    print(format_table(result["rows"], result["keys"], result["metrics"]))
    if not args.no_png:
        png = Path(args.png) if args.png else result["root"] / "compare.png"
        try:
            chart_png(result["rows"], result["keys"], result["sort"], png)
            print(f"chart: {png}")
        except OSError as err:
            if args.png:
                report_error("stance-compare", CompareError(f"--png {png}: cannot be written ({err.strerror or err})"))
                return EXIT_USAGE
            warn(f"chart {png} not written ({err.strerror or err}); pass --png PATH or --no-png")
    if args.csv:
        try:
            _write_csv(Path(args.csv), result)
        except OSError as err:
            report_error("stance-compare", CompareError(f"--csv {args.csv}: cannot be written ({err.strerror or err})"))
            return EXIT_USAGE
        print(f"csv:   {args.csv}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
