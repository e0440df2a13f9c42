"""Run the README's code blocks that are marked to run, as a newcomer would: in a fresh directory laid out like a
clone (the checkout's ``data/`` linked in, ``../shared`` beside it when the checkout has one, nothing trained yet),
with the installed console scripts on PATH, in README order. Prints each block's wall time; exits 1 when a
block fails or misses the output its marker expects.

A block runs when the line before its opening fence is a marker::

    <!-- readme-check: run -->
    <!-- readme-check: run; expect=again, with a chart: stance-compare -->

``bash`` blocks run under ``bash -euo pipefail``, ``python`` blocks with this interpreter; ``expect=`` text must
appear in the block's output. Blocks without a marker are not run: they need a full training (minutes), the
network, or stand for your own files (RUN, my.jsonl).

    python scripts/check_readme.py            # every marked block
    python scripts/check_readme.py --keep     # and keep the directory to look at
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARKER = re.compile(r"^<!--\s*readme-check:\s*run(?:;\s*expect=(?P<expect>.*?))?\s*-->\s*$")
FENCE = re.compile(r"^```(?P<lang>\w*)\s*$")


@dataclass
class Block:
    """One marked code block of the README."""

    line: int  # 1-based line of the opening fence
    lang: str
    code: str
    expect: str | None


def marked_blocks(readme: str) -> list[Block]:
    """The README's code blocks whose opening fence follows a ``readme-check: run`` marker, in order."""
    lines = readme.splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        marker = MARKER.match(lines[i].strip())
        if marker and i + 1 < len(lines) and (fence := FENCE.match(lines[i + 1].strip())):
            end = next((j for j in range(i + 2, len(lines)) if lines[j].strip() == "```"), None)
            if end is None:
                raise ValueError(f"README line {i + 2}: code block without its closing fence")
            blocks.append(Block(i + 2, fence.group("lang") or "bash", "\n".join(lines[i + 2:end]) + "\n",
                                marker.group("expect")))
            i = end
        i += 1
    return blocks


def fresh_clone_dir(parent: Path) -> Path:
    """``parent/stance`` laid out like a fresh clone for the README's relative paths (``data/``, ``../shared``)."""
    work = parent / "stance"
    work.mkdir(parents=True)
    (work / "data").symlink_to(ROOT / "data", target_is_directory=True)
    shared = ROOT.parent / "shared"
    if shared.is_dir():
        (parent / "shared").symlink_to(shared, target_is_directory=True)
    return work


def environment() -> dict[str, str]:
    """This interpreter's scripts first on PATH; nothing that would send outputs elsewhere or go online."""
    env = {k: v for k, v in os.environ.items() if k not in ("STANCE_OUTPUT_DIR", "STANCE_MODEL_DIR", "PYTHONPATH")}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.setdefault("OMP_NUM_THREADS", "1")
    for key, value in (("HF_HUB_OFFLINE", "1"), ("HF_DATASETS_OFFLINE", "1"), ("WANDB_MODE", "offline"),
                       ("TOKENIZERS_PARALLELISM", "false")):
        env.setdefault(key, value)
    return env


def run_block(block: Block, cwd: Path, env: dict[str, str], timeout: int = 900) -> tuple[bool, float, str]:
    """Run one block; (ok, seconds, output)."""
    if block.lang == "python":
        cmd = [sys.executable, "-"]
    elif block.lang in ("bash", "sh", "shell"):
        cmd = ["bash", "-euo", "pipefail", "-s"]
    else:
        return False, 0.0, f"unknown block language {block.lang!r}"
    if "../shared" in block.code and not (cwd.parent / "shared").is_dir():
        return True, 0.0, "skipped: ../shared is absent"
    t0 = time.perf_counter()
    done = subprocess.run(cmd, input=block.code, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    seconds = time.perf_counter() - t0
    output = done.stdout + done.stderr
    ok = done.returncode == 0 and (block.expect is None or block.expect in output)
    return ok, seconds, output


def check(readme: Path = ROOT / "README.md", keep: bool = False, verbose: bool = True) -> list[tuple[Block, bool, float, str]]:
    """Run every marked block of ``readme`` in one fresh directory, in order; the results, one per block."""
    blocks = marked_blocks(readme.read_text(encoding="utf-8"))
    parent = Path(tempfile.mkdtemp(prefix="readme-check-"))
    results = []
    try:
        cwd, env = fresh_clone_dir(parent), environment()
        for block in blocks:
            ok, seconds, output = run_block(block, cwd, env)
            results.append((block, ok, seconds, output))
            if verbose:
                print(f"README line {block.line:4d} ({block.lang}): {'ok    ' if ok else 'FAILED'} {seconds:6.1f} s  "
                      f"{block.code.strip().splitlines()[0][:70]}", flush=True)
                if not ok:
                    print(("  expected in the output: " + block.expect + "\n") if block.expect else "", end="")
                    print("  " + "\n  ".join(output.strip().splitlines()[-15:]), flush=True)
    finally:
        if keep:
            print(f"kept: {parent}")
        else:
            shutil.rmtree(parent, ignore_errors=True)
    return results


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--readme", type=Path, default=ROOT / "README.md")
    p.add_argument("--keep", action="store_true", help="keep the directory the blocks ran in")
    args = p.parse_args(argv)
    results = check(args.readme, keep=args.keep)
    failed = [b for b, ok, _, _ in results if not ok]
    print(f"{len(results) - len(failed)} of {len(results)} marked blocks ran as written "
          f"({sum(s for _, _, s, _ in results):.0f} s)")
    return 1 if failed or not results else 0


if __name__ == "__main__":
    raise SystemExit(main())
