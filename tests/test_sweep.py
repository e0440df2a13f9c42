"""The Optuna sweep on a tiny model: trials complete, an interrupted sweep resumes, the metric is configurable."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from stance.studies.sweep import SweepConfigError, main, search_space, sweep
from tests.conftest import ROWS, compose, write_jsonl


@pytest.fixture
def sweep_args(tmp_path: Path) -> list[str]:
    rows = [{"id": str(i), "text": t, "target": g, "label": lab} for i, (t, g, lab) in enumerate(ROWS * 2)]
    files = {
        "train": write_jsonl(tmp_path / "data" / "train.jsonl", rows),
        "validation": write_jsonl(tmp_path / "data" / "validation.jsonl", rows[:10]),
    }
    return [
        "hparams_search=optuna",
        "data=jsonl", f"data.train_file={files['train']}", f"data.validation_file={files['validation']}",
        "model=tiny", "logger=wandb", "logger.mode=offline", "trainer.disable_tqdm=true", "test=false",
        f"paths.log_dir={tmp_path / 'logs'}",
        "hparams_search.study_name=tiny-study",
        # a small space: one epoch, batch 8 or 16, the other three sampled
        "hparams_search.params.trainer.num_train_epochs.low=1", "hparams_search.params.trainer.num_train_epochs.high=1",
        "hparams_search.params.trainer.per_device_train_batch_size.choices=[8,16]",
        "hparams_search.params.trainer.learning_rate.high=1e-3",
        # the optimized metric and direction are settings
        "optimized_metric=best_validation_loss", "hparams_search.direction=minimize",
    ]


def test_two_trial_sweep_completes_and_resumes(sweep_args: list[str], tmp_path: Path) -> None:
    import optuna
    from optuna.trial import TrialState

    sweep_dir = tmp_path / "logs" / "train" / "sweeps" / "tiny-study"
    study = sweep([*sweep_args, "hparams_search.n_trials=1"])
    assert [t.state for t in study.trials] == [TrialState.COMPLETE]
    assert (sweep_dir / "optuna.db").is_file()

    # an interrupted second trial: asked for, its parameters drawn, never told (the process died)
    storage = f"sqlite:///{sweep_dir / 'optuna.db'}"
    again = optuna.load_study(study_name="tiny-study", storage=storage)
    stale = again.ask()
    stale_params = {"trainer.learning_rate": stale.suggest_float("trainer.learning_rate", 1e-5, 1e-3, log=True),
                    "trainer.num_train_epochs": stale.suggest_int("trainer.num_train_epochs", 1, 1),
                    "trainer.per_device_train_batch_size": stale.suggest_categorical(
                        "trainer.per_device_train_batch_size", [8, 16]),
                    "trainer.warmup_steps": stale.suggest_float("trainer.warmup_steps", 0.0, 0.2),
                    "trainer.weight_decay": stale.suggest_float("trainer.weight_decay", 0.0, 0.1)}

    study = sweep([*sweep_args, "hparams_search.n_trials=2"])
    states = {t.number: t.state for t in study.trials}
    assert states == {0: TrialState.COMPLETE, 1: TrialState.FAIL, 2: TrialState.COMPLETE}
    retried = study.trials[2]
    assert retried.params == pytest.approx(stale_params), "the interrupted trial's parameters were tried again"
    for trial in (study.trials[0], retried):
        run_dir = Path(trial.user_attrs["run_dir"])
        assert run_dir == sweep_dir / str(trial.number)
        metrics = json.loads((run_dir / "metrics.json").read_text())
        assert trial.value == pytest.approx(metrics["best_validation_loss"])
        config = (run_dir / "config.yaml").read_text()
        assert f"learning_rate: {trial.params['trainer.learning_rate']}" in config
        assert f"per_device_train_batch_size: {trial.params['trainer.per_device_train_batch_size']}" in config
        assert "group: tiny-study" in config and f"run_name: tiny-study-trial{trial.number}" in config
        assert len(list((run_dir / "wandb").glob("offline-run-*"))) == 1, "each trial is its own wandb run"
    best = json.loads((sweep_dir / "best.json").read_text())
    assert best["value"] == min(study.trials[0].value, retried.value)
    assert best["optimized_metric"] == "best_validation_loss" and best["n_complete"] == 2

    # complete: running it again trains nothing
    study = sweep([*sweep_args, "hparams_search.n_trials=2"])
    assert len(study.trials) == 3


def test_search_space_errors_name_the_key() -> None:
    with pytest.raises(SweepConfigError, match=r"params.trainer.learning_rate.type"):
        search_space({"trainer": {"learning_rate": {"type": "loguniform", "low": 1, "high": 2}}})
    with pytest.raises(SweepConfigError, match=r"params.trainer.weight_decay: low 0.5 is above high 0.1"):
        search_space({"trainer": {"weight_decay": {"type": "float", "low": 0.5, "high": 0.1}}})
    with pytest.raises(SweepConfigError, match="log-scale"):
        search_space({"lr": {"type": "float", "low": 0.0, "high": 0.1, "log": True}})
    with pytest.raises(SweepConfigError, match="choices"):
        search_space({"bs": {"type": "categorical", "choices": []}})


def test_default_space_covers_the_five_hyper_parameters(tmp_path: Path) -> None:
    cfg = compose("train", ["hparams_search=optuna", f"hydra.run.dir={tmp_path}"])
    from omegaconf import OmegaConf

    space = search_space(OmegaConf.to_container(cfg.hparams_search.params, resolve=True))
    assert set(space) == {f"trainer.{k}" for k in ("learning_rate", "num_train_epochs", "per_device_train_batch_size",
                                                    "warmup_steps", "weight_decay")}
    assert cfg.optimized_metric == "best_validation_f_avg"
    assert OmegaConf.to_container(cfg.hparams_search, resolve=True)["storage"].startswith("sqlite:///")


def test_bad_settings_exit_2(sweep_args: list[str], capsys: pytest.CaptureFixture) -> None:
    assert main([*sweep_args, "hparams_search.direction=up"]) == 2
    assert "hparams_search.direction" in capsys.readouterr().err


def test_script_help() -> None:
    proc = subprocess.run([sys.executable, "scripts/sweep.py", "--help"], capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).resolve().parents[1])
    assert proc.returncode == 0 and "hparams_search" in proc.stdout
