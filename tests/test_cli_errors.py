"""Every console script reports bad input as one line naming the file or field, with exit status 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

MISSING = "/nonexistent/stance-test-input"
CASES = {
    "stance-quotes": ("quotes_main", [f"input={MISSING}.txt", "output=OUT/q.jsonl"]),
    "stance-predict": ("predict_main", [f"model_dir={MISSING}", f"input={MISSING}.txt", "targets=[tax]",
                                        "output=OUT/p.jsonl"]),
    "stance-eval": ("eval_main", [f"model_dir={MISSING}"]),
    "stance-train": ("train_main", ["model=tiny", "logger=none", "data=jsonl", f"data.train_file={MISSING}.jsonl",
                                    "hydra.run.dir=OUT/run"]),
    "stance-compare": ("compare_main", [MISSING]),
}


def _run(entry: str, args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    args = [a.replace("OUT", str(tmp_path)) for a in args]
    code = f"import sys; from stance.cli import {entry}; sys.argv = ['x', *sys.argv[1:]]; sys.exit({entry}())"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=300,
                          cwd=tmp_path, env={**os.environ, "WANDB_MODE": "disabled", **env})


@pytest.mark.parametrize("command", sorted(CASES))
def test_bad_input_is_one_line_and_exit_2(command: str, tmp_path: Path) -> None:
    entry, args = CASES[command]
    proc = _run(entry, args, tmp_path)
    errors = [line for line in proc.stderr.splitlines() if "error" in line.lower()]
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert len(errors) == 1 and errors[0].startswith(f"{command}: error:") and MISSING in errors[0], proc.stderr


def test_hydra_full_error_shows_the_stack(tmp_path: Path) -> None:
    entry, args = CASES["stance-quotes"]
    proc = _run(entry, args, tmp_path, HYDRA_FULL_ERROR="1")
    assert proc.returncode != 0 and "Traceback" in proc.stderr and "InputNotFoundError" in proc.stderr
