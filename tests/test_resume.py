"""A training run killed mid-way (SIGKILL, or SIGTERM) resumes from its last checkpoint and ends exactly
where an uninterrupted run with the same seed ends. Real processes, real signals, the real CLI."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stance.train.preemption import PREEMPTED_EXIT_CODE, last_complete_checkpoint
from tests.conftest import ROWS, tiny_overrides, write_jsonl

# 40 rows, batch 4: 10 steps an epoch, 30 in all; a checkpoint (and an evaluation, and a log line) every 4
# steps, so the first one falls mid-epoch and the resumed run must skip into the middle of the data order
RESUME_OVERRIDES = (
    "seed=11",
    "trainer.per_device_train_batch_size=4",
    "trainer.num_train_epochs=3",
    "trainer.save_strategy=steps",
    "+trainer.save_steps=4",
    "trainer.eval_strategy=steps",
    "+trainer.eval_steps=4",
    "trainer.logging_steps=4",
    "trainer.save_total_limit=3",
    "keep_checkpoints=true",
)
# differ between any two runs (wall clock), or say how the run started
# train_losses: a stop logs at its own step, so the logging windows around it differ; train_loss (whole run) is compared
UNCOMPARED = ("runtime", "per_second", "run_dir", "model_dir", "train_resumed_from_step", "train_losses")


def _env() -> dict[str, str]:
    env = dict(os.environ, WANDB_MODE="offline", WANDB_SILENT="true", TOKENIZERS_PARALLELISM="false",
               HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1", OMP_NUM_THREADS="1")
    env.pop("STANCE_RUN_STAMP", None)
    return env


def _cmd(files: dict[str, Path], run_dir: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "stance.launch", "train",
            *tiny_overrides(files, run_dir, *RESUME_OVERRIDES, *extra)]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("resume_data")
    rows = [{"id": str(i), "text": t, "target": g, "label": lab} for i, (t, g, lab) in enumerate(ROWS * 4)]
    return {
        "train": write_jsonl(root / "train.jsonl", rows),
        "validation": write_jsonl(root / "validation.jsonl", rows[:10]),
        "test": write_jsonl(root / "test.jsonl", rows[:12]),
    }


@pytest.fixture(scope="module")
def uninterrupted(files: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    run_dir = tmp_path_factory.mktemp("resume_ref") / "run"
    proc = subprocess.run(_cmd(files, run_dir), capture_output=True, text=True, env=_env(), timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return run_dir


def _start_and_interrupt(files: dict[str, Path], run_dir: Path, sig: signal.Signals) -> int:
    """Start a run, send ``sig`` as soon as its first complete checkpoint exists; its exit status."""
    proc = subprocess.Popen(_cmd(files, run_dir), env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    try:
        deadline = time.monotonic() + 300
        while last_complete_checkpoint(run_dir / "checkpoints", warn=False) is None:
            if proc.poll() is not None:
                pytest.fail(f"the run ended (status {proc.returncode}) before its first checkpoint: "
                            f"{proc.stderr.read()[-3000:]}")
            assert time.monotonic() < deadline, "no checkpoint within 300 s"
            time.sleep(0.01)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert not (run_dir / "metrics.json").exists(), "the run finished before the signal: nothing was interrupted"
    return proc.returncode


def _resume(files: dict[str, Path], run_dir: Path) -> dict:
    proc = subprocess.run(_cmd(files, run_dir, "resume=true"), capture_output=True, text=True, env=_env(),
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads((run_dir / "metrics.json").read_text())


def _assert_same_end(resumed: dict, reference_dir: Path, run_dir: Path) -> None:
    reference = json.loads((reference_dir / "metrics.json").read_text())
    assert reference["train_resumed_from_step"] == 0
    compared = [k for k in reference if not any(u in k for u in UNCOMPARED)]
    assert "train_loss" in compared and "test_accuracy" in compared and "best_validation_loss" in compared
    for key in compared:
        if isinstance(reference[key], float):
            assert resumed[key] == pytest.approx(reference[key], abs=1e-6), key
        else:
            assert resumed[key] == reference[key], key
    # the same model: the same test predictions, scores and all
    assert (run_dir / "test_predictions.jsonl").read_text() == (reference_dir / "test_predictions.jsonl").read_text()


def test_sigkill_then_resume_ends_like_an_uninterrupted_run(files, uninterrupted, tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    status = _start_and_interrupt(files, run_dir, signal.SIGKILL)
    assert status == -signal.SIGKILL
    resumed = _resume(files, run_dir)
    assert 0 < resumed["train_resumed_from_step"] < 30, "it continued from a checkpoint, not from scratch"
    _assert_same_end(resumed, uninterrupted, run_dir)


def test_sigterm_saves_a_checkpoint_and_exits_143_then_resumes(files, uninterrupted, tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    status = _start_and_interrupt(files, run_dir, signal.SIGTERM)
    assert status == PREEMPTED_EXIT_CODE
    steps = sorted(int(p.name.split("-")[1]) for p in (run_dir / "checkpoints").glob("checkpoint-*"))
    last = last_complete_checkpoint(run_dir / "checkpoints")
    assert last is not None and last.endswith(f"checkpoint-{steps[-1]}")
    resumed = _resume(files, run_dir)
    assert resumed["train_resumed_from_step"] == steps[-1]
    _assert_same_end(resumed, uninterrupted, run_dir)


def test_resume_skips_a_checkpoint_torn_by_a_kill(tmp_path: Path) -> None:
    good, torn = tmp_path / "checkpoint-4", tmp_path / "checkpoint-8"
    good.mkdir()
    (good / "trainer_state.json").write_text(json.dumps({"global_step": 4}))
    torn.mkdir()
    (torn / "model.safetensors").write_bytes(b"")  # killed before trainer_state.json was written
    assert last_complete_checkpoint(tmp_path) == str(good)
    (torn / "trainer_state.json").write_text('{"global_st')  # killed while writing it
    assert last_complete_checkpoint(tmp_path) == str(good)
    (torn / "trainer_state.json").write_text(json.dumps({"global_step": 8}))
    (torn / "rng_state_0.pth").write_bytes(b"")
    (torn / "rng_state_2.pth").write_bytes(b"")  # rank 1 had not written its RNG state
    assert last_complete_checkpoint(tmp_path) == str(good)
    (torn / "rng_state_1.pth").write_bytes(b"")
    assert last_complete_checkpoint(tmp_path) == str(torn)
    assert last_complete_checkpoint(tmp_path / "missing") is None
