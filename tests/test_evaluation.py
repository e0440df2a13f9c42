"""stance-eval on a tiny model trained once for the module: files written, numbers equal training's."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from stance.errors import DataError
from stance.evaluation.report import evaluate_model
from stance.model.encoding import InputFormat, encode_pairs
from stance.train.trainer import train
from tests.conftest import ROWS, compose, tiny_overrides, write_jsonl, write_tiny_files

REPORT_FILES = ("metrics.json", "metrics_detail.json", "per_target.csv", "per_source.csv", "confusion.png",
                "reliability.png", "misclassified.csv", "predictions.jsonl", "config.yaml")


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One tiny run (fp32, so that eval reproduces its numbers bit for bit) and its data files."""
    root = tmp_path_factory.mktemp("eval")
    files = write_tiny_files(root)
    run_dir = root / "run"
    results = train(compose("train", tiny_overrides(files, run_dir, "trainer.bf16=false", "trainer.learning_rate=1e-3")))
    return {"root": root, "files": files, "run_dir": run_dir, "results": results}


def _eval_cfg(*overrides: str):
    return compose("eval", [*overrides])


def test_eval_writes_every_file_and_matches_training(trained: dict, tmp_path: Path) -> None:
    out = tmp_path / "report"
    cfg = _eval_cfg(f"model_dir={trained['run_dir']}", "data=jsonl", f"data.test_file={trained['files']['test']}",
                    f"output_dir={out}", f"hydra.run.dir={tmp_path / 'hydra'}")
    results = evaluate_model(cfg)
    for name in REPORT_FILES:
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    metrics = json.loads((out / "metrics.json").read_text())
    for key in ("test_macro_f1", "test_f_avg", "test_accuracy", "test_ece", "test_brier"):
        assert 0.0 <= metrics[key] <= 1.0 + 1e-9, key
    assert metrics["test_support"] == 12
    assert metrics["precision"] == "fp32", "precision follows the run's trainer.bf16"
    # the same evaluate code on the same model: the numbers training reported
    for key in ("test_macro_f1", "test_f_avg", "test_accuracy"):
        assert results[key] == pytest.approx(trained["results"][key], abs=1e-9), key
    # each row's probabilities are the model's for that very (text, target) pair (plain transformers, one at a time)
    preds = [json.loads(line) for line in (out / "predictions.jsonl").read_text().splitlines()]
    model = AutoModelForSequenceClassification.from_pretrained(trained["run_dir"] / "model").eval()
    tok = AutoTokenizer.from_pretrained(trained["run_dir"] / "model")
    fmt = InputFormat.from_config(model.config)
    for pred in preds:
        enc = encode_pairs(tok, [pred["text"]], [pred["target"]], fmt)
        with torch.inference_mode():
            probs = model(**tok.pad(enc, return_tensors="pt")).logits.softmax(-1)[0].tolist()
        assert [pred["scores"][model.config.id2label[i]] for i in range(3)] == pytest.approx(probs, abs=1e-5)
    # misclassified.csv holds exactly the wrong predictions, each with every label's probability
    wrong = [p for p in preds if p["label"] != p["prediction"]]
    with (out / "misclassified.csv").open(newline="") as handle:
        errors = list(csv.DictReader(handle))
    assert len(errors) == len(wrong)
    assert round(1 - len(wrong) / len(preds), 6) == pytest.approx(metrics["test_accuracy"], abs=1e-6)
    for row in errors:
        assert row["label"] != row["prediction"]
        assert sum(float(row[f"p_{lab}"]) for lab in ("favor", "against", "none")) == pytest.approx(1.0, abs=1e-4)
        assert float(row["confidence"]) == pytest.approx(float(row[f"p_{row['prediction']}"]), abs=1e-6)
    with (out / "per_target.csv").open(newline="") as handle:
        targets = {r["target"]: r for r in csv.DictReader(handle)}
    assert set(targets) == {r["target"] for r in preds}
    assert sum(int(r["support"]) for r in targets.values()) == 12
    bins = json.loads((out / "metrics_detail.json").read_text())["calibration"]["bins"]
    assert sum(b["count"] for b in bins) == 12


def test_default_output_dir_is_inside_the_run(trained: dict, tmp_path: Path) -> None:
    cfg = _eval_cfg(f"model_dir={trained['run_dir'] / 'model'}", "data=jsonl",
                    f"data.test_file={trained['files']['test']}", f"hydra.run.dir={tmp_path}")
    results = evaluate_model(cfg)
    expected = trained["run_dir"] / "eval" / "jsonl-test"
    assert results["eval_dir"] == str(expected)
    assert (expected / "metrics.json").is_file()


def test_two_class_data_is_scored_over_its_own_labels(trained: dict, tmp_path: Path) -> None:
    rows = [{"text": t, "target": g, "label": lab} for t, g, lab in ROWS if lab != "none"]
    two = write_jsonl(tmp_path / "two.jsonl", rows)
    out = tmp_path / "two"
    results = evaluate_model(_eval_cfg(f"model_dir={trained['run_dir']}", "data=jsonl", f"data.test_file={two}",
                                       "data.labels=[favor,against]", f"output_dir={out}",
                                       f"hydra.run.dir={tmp_path}"))
    preds = [json.loads(line) for line in (out / "predictions.jsonl").read_text().splitlines()]
    assert {p["prediction"] for p in preds} <= {"favor", "against"}, "none is never predicted for a 2-class set"
    assert results["test_support"] == len(rows)
    # the confidence behind calibration is renormalized over the two labels: never below 1/2
    bins = json.loads((out / "metrics_detail.json").read_text())["calibration"]["bins"]
    assert all(b["count"] == 0 for b in bins if b["upper"] <= 0.5)


def test_labels_the_model_does_not_know_are_named(trained: dict, tmp_path: Path) -> None:
    bad = write_jsonl(tmp_path / "bad.jsonl", [{"text": "x y", "target": "t", "label": "favor"}])
    cfg = _eval_cfg(f"model_dir={trained['run_dir']}", "data=jsonl", f"data.test_file={bad}",
                    "data.labels=[favor,against,none,unrelated]", f"output_dir={tmp_path / 'o'}",
                    f"hydra.run.dir={tmp_path}")
    with pytest.raises(DataError, match="unrelated"):
        evaluate_model(cfg)


def test_missing_split_is_a_clear_error(trained: dict, tmp_path: Path) -> None:
    cfg = _eval_cfg(f"model_dir={trained['run_dir']}", "data=jsonl", f"output_dir={tmp_path / 'o'}",
                    f"hydra.run.dir={tmp_path}")
    with pytest.raises(DataError, match="data.test_file"):
        evaluate_model(cfg)


def test_wandb_offline_eval_run(trained: dict, tmp_path: Path) -> None:
    out = tmp_path / "wb"
    evaluate_model(_eval_cfg(f"model_dir={trained['run_dir']}", "data=jsonl",
                             f"data.test_file={trained['files']['test']}", f"output_dir={out}",
                             "logger=wandb", "logger.mode=offline", f"hydra.run.dir={tmp_path}"))
    runs = list((out / "wandb").glob("offline-run-*"))
    assert len(runs) == 1 and list(runs[0].glob("*.wandb"))
    import wandb

    assert wandb.run is None


def test_cli(trained: dict, tmp_path: Path) -> None:
    out = tmp_path / "cli"
    cmd = [sys.executable, "-c", "from stance.cli import eval_main; eval_main()", f"model_dir={trained['run_dir']}",
           "data=jsonl", f"data.test_file={trained['files']['test']}", f"output_dir={out}",
           f"hydra.run.dir={tmp_path / 'hydra'}"]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "test_macro_f1" in proc.stdout and str(out) in proc.stdout
    assert (out / "reliability.png").is_file()


def test_cli_bad_model_dir_is_one_line(tmp_path: Path) -> None:
    cmd = [sys.executable, "-c", "from stance.cli import eval_main; eval_main()", f"model_dir={tmp_path / 'nope'}",
           f"hydra.run.dir={tmp_path / 'hydra'}"]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert proc.returncode == 2
    assert "stance-eval: error:" in proc.stderr and "does not exist" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_expected_calibration_error_by_hand() -> None:
    import numpy as np

    from stance.evaluation.calibration import (
        calibration_report,
        expected_calibration_error,
        reliability_bins,
    )

    # 4 predictions at 0.75 with 3 right: calibrated; 2 at 0.95 with 0 right: off by 0.95
    conf = [0.75, 0.75, 0.75, 0.75, 0.95, 0.95]
    correct = [True, True, True, False, False, False]
    bins = reliability_bins(conf, correct, n_bins=10)
    assert [b.count for b in bins] == [0] * 7 + [4, 0, 2]
    assert expected_calibration_error(bins) == pytest.approx(2 / 6 * 0.95)
    assert reliability_bins([1.0], [True], 10)[-1].count == 1, "1.0 falls in the last bin"
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        reliability_bins([1.5], [True])
    probs = np.array([[0.9, 0.1], [0.2, 0.8]])
    report = calibration_report(probs, [0, 0])
    assert report["brier"] == pytest.approx(((0.1**2 + 0.1**2) + (0.8**2 + 0.8**2)) / 2)
    assert report["nll"] == pytest.approx(-(np.log(0.9) + np.log(0.2)) / 2)
    assert report["ece"] == pytest.approx((0.1 + 0.8) / 2)


def test_training_test_predictions_are_in_row_order(trained: dict) -> None:
    """stance-eval (row order checked above) and training agree row by row on the run's own test file."""
    out = trained["run_dir"] / "eval" / "jsonl-test"
    if not (out / "predictions.jsonl").is_file():
        evaluate_model(_eval_cfg(f"model_dir={trained['run_dir']}", "data=jsonl",
                                 f"data.test_file={trained['files']['test']}", f"hydra.run.dir={out}"))
    ours = [json.loads(line) for line in (out / "predictions.jsonl").read_text().splitlines()]
    theirs = [json.loads(line) for line in (trained["run_dir"] / "test_predictions.jsonl").read_text().splitlines()]
    for a, b in zip(ours, theirs):
        assert (a["text"], a["target"]) == (b["text"], b["target"])
        for lab, prob in b["scores"].items():
            assert a["scores"][lab] == pytest.approx(prob, abs=2e-5)


def test_mask_target_replaces_every_target(trained: dict, tmp_path: Path) -> None:
    """The target-use check: with mask_target the model sees one placeholder target for every row."""
    from stance.evaluation.report import evaluate_model
    from stance.model.classifier import StanceClassifier

    cfg = compose("eval", [f"model_dir={trained['run_dir']}", f"output_dir={tmp_path / 'masked'}", "mask_target=true",
                           "data=jsonl", f"data.train_file={trained['files']['train']}",
                           f"data.test_file={trained['files']['test']}", "precision=fp32"])
    out = evaluate_model(cfg)
    assert out["mask_target"] is True
    rows = [json.loads(line) for line in (tmp_path / "masked" / "predictions.jsonl").read_text().splitlines()]
    clf = StanceClassifier.from_pretrained(trained["run_dir"], precision="fp32")
    expected = clf.predict_proba([r["text"] for r in rows], ["[target]"] * len(rows))
    got = np.array([[r["scores"][lab] for lab in clf.labels] for r in rows])
    assert np.allclose(got, expected, atol=1e-4)


def test_run_dir_is_recorded_resolved_not_as_the_symlink(trained: dict, tmp_path: Path) -> None:
    """``model_dir=outputs/latest`` names another run after the next training: the report keeps the real path."""
    latest = tmp_path / "latest"
    latest.symlink_to(trained["run_dir"], target_is_directory=True)
    out = tmp_path / "via-link"
    results = evaluate_model(_eval_cfg(f"model_dir={latest}", "data=jsonl", f"data.test_file={trained['files']['test']}",
                                       f"output_dir={out}", f"hydra.run.dir={tmp_path / 'h'}"))
    real = trained["run_dir"].resolve()
    assert results["run_dir"] == str(real)
    assert results["model_dir"] == str(real / "model")
    assert json.loads((out / "metrics.json").read_text())["run_dir"] == str(real)
