#!/usr/bin/env python
"""``stance-predict`` on the local engine (one process) against ``engine=ray``, on the same generated articles.

    python scripts/bench_engines.py [--model DIR] [--n 2000] [--runs 3] [--memory-n 20000] [--actors 2]
                                    [--json results.json]

Articles: the bundled sample (and PolNeAR dev when ``../shared/polnear`` holds it) repeated under new ids and
shuffled (seeded). Every run is a fresh child process (``--child``) running the job as the console script does,
so its peak RSS (``ru_maxrss`` of that process alone: the driver, not Ray's workers) is the driver's. Rounds
alternate the engines so that other jobs' load hits both alike; the ratio is of medians. ``--memory-n`` runs each
engine once more on that many articles, for the driver's memory as the input grows. Without ``--model`` the
tiny random test model (tests/helpers_models.py) scores, so the figures are those of reading, extraction and
the plumbing, not of a real model's forward pass.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def make_articles(path: Path, n: int, seed: int = 0) -> Path:
    """``n`` articles: the sample (and PolNeAR dev) repeated under new ids, shuffled; the sample's own targets kept."""
    sources = [ROOT / "data" / "articles" / "articles.jsonl", ROOT.parent / "shared" / "polnear" / "dev.jsonl"]
    base = [json.loads(line) for src in sources if src.is_file()
            for line in src.read_text(encoding="utf-8").splitlines() if line.strip()]
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as f:
        for k in range(n):
            rec = dict(rng.choice(base))
            f.write(json.dumps({"id": f"{rec['id']}#{k}", "text": rec["text"],
                                **({"targets": rec["targets"]} if rec.get("targets") else {})}) + "\n")
    return path


def child(engine: str, model: str, articles: str, output: str, actors: int) -> None:
    """One ``stance-predict`` run in this process; prints its statistics and this process's peak RSS as JSON."""
    import logging

    from stance.config import compose
    from stance.predict.command import run

    logging.disable(logging.WARNING)
    overrides = [f"model_dir={model}", f"input={articles}", f"output={output}", "progress=false", "precision=fp32",
                 "targets=[military intervention in Venezuela, Juan Guaido]", f"engine={engine}"]
    if engine == "ray":
        overrides += ["ray.num_cpus=2", f"ray.object_store_memory={300 * 2**20}", f"ray.actors={actors}",
                      f"ray.cpus_per_actor={1 / actors if actors > 1 else 1}", "ray.threads_per_actor=1"]
    t0 = time.perf_counter()
    stats = run(compose("predict", overrides))
    wall = time.perf_counter() - t0
    usage = resource.getrusage(resource.RUSAGE_SELF)
    # the driver's own CPU time: with engine=ray, what writing the rows costs the one process that writes them
    print("RESULT " + json.dumps({"engine": engine, "articles": stats["articles"], "pairs": stats["pairs"],
                                  "seconds": stats["seconds"], "wall": round(wall, 3), "driver_rss": usage.ru_maxrss * 1024,
                                  "driver_cpu": round(usage.ru_utime + usage.ru_stime, 2)}))


def run_child(engine: str, model: Path, articles: Path, out_dir: Path, actors: int) -> dict:
    out = out_dir / f"{engine}-{time.monotonic_ns()}.jsonl"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
               HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", engine, str(model), str(articles), str(out),
                           str(actors)], capture_output=True, text=True, env=env, timeout=3600)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    if proc.returncode or not lines:
        raise SystemExit(f"{engine} run failed:\n{proc.stderr[-3000:]}")
    for p in out_dir.glob(out.stem + "*"):
        p.unlink()
    res = json.loads(lines[-1].removeprefix("RESULT "))
    res["articles_s"] = round(res["articles"] / res["seconds"], 1)
    res["articles_s_wall"] = round(res["articles"] / res["wall"], 1)
    print(json.dumps(res), flush=True)
    return res


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        child(argv[1], argv[2], argv[3], argv[4], int(argv[5]))
        return
    ap = argparse.ArgumentParser(prog="bench_engines.py", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", type=Path, help="a model directory (default: the tiny random test model)")
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--memory-n", type=int, default=20000, help="0: skip the memory comparison")
    ap.add_argument("--actors", type=int, default=2)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        model = args.model
        if model is None:
            sys.path.insert(0, str(ROOT / "tests"))
            from helpers_models import make_tiny_model

            model = make_tiny_model(tmp_path / "tiny")
        load_before = os.getloadavg()
        articles = make_articles(tmp_path / f"articles-{args.n}.jsonl", args.n)
        runs: dict[str, list[dict]] = {"local": [], "ray": []}
        for _ in range(args.runs):
            for engine in ("local", "ray"):
                runs[engine].append(run_child(engine, model, articles, tmp_path, args.actors))
        result = {"cpu": cpu_name(), "cores": os.cpu_count(), "n": args.n, "runs": runs,
                  "load_before": load_before}
        for engine in runs:
            result[f"{engine}_articles_s"] = statistics.median(r["articles_s"] for r in runs[engine])
            result[f"{engine}_articles_s_wall"] = statistics.median(r["articles_s_wall"] for r in runs[engine])
        result["ratio_ray_over_local"] = round(result["ray_articles_s"] / result["local_articles_s"], 3)
        result["ratio_ray_over_local_wall"] = round(result["ray_articles_s_wall"] / result["local_articles_s_wall"], 3)
        if args.memory_n:
            big = make_articles(tmp_path / f"articles-{args.memory_n}.jsonl", args.memory_n)
            result["memory"] = {engine: {"n": args.n, "driver_rss": statistics.median(r["driver_rss"] for r in runs[engine]),
                                         "n_big": args.memory_n,
                                         "driver_rss_big": run_child(engine, model, big, tmp_path, args.actors)["driver_rss"]}
                                for engine in ("local", "ray")}
        result["load_after"] = os.getloadavg()
    print(json.dumps({k: v for k, v in result.items() if k != "runs"}, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
