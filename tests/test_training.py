"""Train -> save -> reload -> predict with a tiny random BERT, through the real configs and Trainer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from stance.model.encoding import InputFormat, encode_pairs
from stance.train.trainer import train
from tests.conftest import compose, tiny_overrides


def test_train_writes_a_self_contained_run(tiny_files, tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    results = train(compose("train", tiny_overrides(tiny_files, run_dir)))

    for name in ("config.yaml", "metrics.json", "confusion.png", "test_predictions.jsonl", "model/config.json",
                 "model/model.safetensors", "model/tokenizer.json"):
        assert (run_dir / name).is_file(), name
    assert not list((run_dir / "model").glob("*.bin")), "weights must be safetensors only"
    assert not (run_dir / "checkpoints").exists()
    metrics = json.loads((run_dir / "metrics.json").read_text())
    for key in ("test_accuracy", "test_macro_f1", "test_f_avg", "best_validation_f_avg", "best_validation_macro_f1"):
        assert 0.0 <= metrics[key] <= 1.0, key
    assert metrics["test_support"] == 12
    assert results["test_macro_f1"] == metrics["test_macro_f1"]
    assert "the carbon tax" in json.loads((run_dir / "metrics_detail.json").read_text())["per_target"]

    # reload with plain transformers and predict: labels and input format travel with the model
    model = AutoModelForSequenceClassification.from_pretrained(run_dir / "model")
    tok = AutoTokenizer.from_pretrained(run_dir / "model")
    assert model.config.id2label == {0: "favor", 1: "against", 2: "none"}
    fmt = InputFormat.from_config(model.config)
    enc = encode_pairs(tok, ["We will fight this tax."], ["the carbon tax"], fmt)
    with torch.inference_mode():
        logits = model(**tok.pad(enc, return_tensors="pt")).logits
    assert logits.shape == (1, 3)
    # the saved test predictions were made by this very model
    first = json.loads((run_dir / "test_predictions.jsonl").read_text().splitlines()[0])
    enc = encode_pairs(tok, [first["text"]], [first["target"]], fmt)
    with torch.inference_mode():
        probs = model(**tok.pad(enc, return_tensors="pt")).logits.softmax(-1)[0]
    assert model.config.id2label[int(probs.argmax())] == first["prediction"]
    assert abs(float(probs.max()) - max(first["scores"].values())) < 1e-3


def test_same_seed_same_metrics(tiny_files, tmp_path: Path) -> None:
    a = train(compose("train", tiny_overrides(tiny_files, tmp_path / "a", "seed=7")))
    b = train(compose("train", tiny_overrides(tiny_files, tmp_path / "b", "seed=7")))
    for key in ("test_macro_f1", "test_accuracy", "best_validation_loss", "train_loss"):
        assert a[key] == pytest.approx(b[key], abs=1e-6), key


def test_cli_multirun_gives_one_directory_per_job(tiny_files, tmp_path: Path) -> None:
    sweep = tmp_path / "sweep"
    overrides = [o for o in tiny_overrides(tiny_files, tmp_path) if not o.startswith("hydra.run.dir")]
    cmd = [sys.executable, "-c", "from stance.cli import train_main; train_main()", "-m", "seed=1,2",
           f"hydra.sweep.dir={sweep}", "trainer.num_train_epochs=1", *overrides]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    runs = sorted(p.parent for p in sweep.glob("*/metrics.json"))
    assert [p.name for p in runs] == ["0", "1"]
    seeds = [json.loads((p / "metrics.json").read_text()) for p in runs]
    assert all("test_macro_f1" in s for s in seeds)
    assert "seed: 1" in (runs[0] / "config.yaml").read_text()
    assert "seed: 2" in (runs[1] / "config.yaml").read_text()


def test_wandb_offline_run_is_logged_and_finished(tiny_files, tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    overrides = [o for o in tiny_overrides(tiny_files, run_dir) if o != "logger=none"]
    results = train(compose("train", overrides + ["logger=wandb", "logger.mode=offline", "run_name=wb-test"]))
    runs = list((run_dir / "wandb").glob("offline-run-*"))
    assert len(runs) == 1
    assert results["wandb_dir"] == str(runs[0])
    assert list(runs[0].glob("*.wandb")), "the run's event file was written"
    import wandb

    assert wandb.run is None, "the run was finished"
