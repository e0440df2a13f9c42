"""Throughput of ``stance.quotes.extract_quotes`` on PolNeAR articles: articles per second, one process, one core.

    python scripts/bench_quotes.py [--split train] [--data-dir ../shared/polnear] [--runs 5]

Times ``extract_quotes`` over every article of the split (text already in memory), ``--runs`` times, and prints
each run and the medians of wall-clock and CPU-time rates. On a shared machine the CPU-time rate (process time, which
excludes waiting for a core) is the steadier single-core figure; on an idle one the two agree.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from stance.quotes import extract_quotes  # noqa: E402

DEFAULT_DATA_DIR = ROOT.parent / "shared" / "polnear"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=["train", "dev"], default="train")
    ap.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    path = args.data_dir / f"{args.split}.jsonl"
    if not path.is_file():
        print(f"error: PolNeAR split not found: {path}", file=sys.stderr)
        return 2
    with path.open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh if line.strip()]
    chars = sum(len(t) for t in texts)
    extract_quotes(texts[0])  # warm-up (module import, regex caches)
    rates, cpu_rates = [], []
    for i in range(args.runs):
        t0, c0 = time.perf_counter(), time.process_time()
        n = 0
        for t in texts:
            n += len(extract_quotes(t))
        dt, dc = time.perf_counter() - t0, time.process_time() - c0
        rates.append(len(texts) / dt)
        cpu_rates.append(len(texts) / dc)
        print(
            f"run {i + 1}: {len(texts)} articles, {n} quotations in {dt:.2f} s wall, {dc:.2f} s CPU"
            f" = {rates[-1]:.0f} articles/s wall, {cpu_rates[-1]:.0f} articles/s CPU"
        )
    med, cmed = statistics.median(rates), statistics.median(cpu_rates)
    print(
        f"median: {med:.0f} articles/s wall, {cmed:.0f} articles/s CPU"
        f" ({cmed * chars / len(texts) / 1e6:.2f} M chars per CPU-second; mean article {chars / len(texts):.0f} chars)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
