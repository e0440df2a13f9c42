"""Checkpoint averaging: the running mean is exact, the choice is made on validation, and a run uses it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from stance.train.averaging import WeightAverager, choose_averaged, start_epoch_for
from stance.train.trainer import train
from tests.conftest import compose, tiny_overrides


def test_start_epoch_for_the_last_k_epochs() -> None:
    assert start_epoch_for(None, 8, -1) is None
    assert start_epoch_for(3, 8, -1) == 6
    assert start_epoch_for(8, 8, -1) == 1
    assert start_epoch_for(2, 2.5, -1) == 2  # a partial last epoch counts as an epoch
    for bad, message in ((1, ">= 2"), (9, "more than trainer.num_train_epochs")):
        with pytest.raises(ValueError, match=message):
            start_epoch_for(bad, 8, -1)
    with pytest.raises(ValueError, match="max_steps=-1"):
        start_epoch_for(3, 8, 100)


def test_running_mean_of_the_weights_is_exact() -> None:
    model = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.BatchNorm1d(2))
    seen = []
    avg = WeightAverager(start_epoch=1)
    for step in range(3):
        with torch.no_grad():
            for p in model.parameters():
                p.add_(float(step + 1))
        seen.append({k: v.clone() for k, v in model.state_dict().items()})
        avg.add(model)
    state = avg.averaged_state_dict(model)
    mean_weight = sum(s["0.weight"] for s in seen) / 3
    assert torch.allclose(state["0.weight"], mean_weight)
    # integer buffers (BatchNorm's step counter) are not averaged but kept as they are
    assert state["1.num_batches_tracked"].dtype == torch.int64
    assert torch.equal(state["1.num_batches_tracked"], model.state_dict()["1.num_batches_tracked"])


def test_the_average_is_kept_only_when_it_validates_at_least_as_well() -> None:
    model = torch.nn.Linear(2, 1, bias=False)
    avg = WeightAverager(start_epoch=1)
    for w in (0.0, 2.0):
        with torch.no_grad():
            model.weight.fill_(w)
        avg.add(model)
    # model ends at weight 2.0; the average is 1.0
    def score_closest_to(target: float):
        return lambda: {"validation_f_avg": -abs(float(model.weight.detach().mean()) - target)}

    info, kept = choose_averaged(model, avg, score_closest_to(1.0), "f_avg")
    assert info["averaged_kept"] and info["averaged_epochs"] == 2
    assert float(model.weight.detach().mean()) == pytest.approx(1.0)
    assert kept == {"validation_f_avg": 0.0}  # the metrics of the weights kept (the average)

    with torch.no_grad():
        model.weight.fill_(2.0)
    info, kept = choose_averaged(model, avg, score_closest_to(2.0), "f_avg")
    assert not info["averaged_kept"]
    assert float(model.weight.detach().mean()) == pytest.approx(2.0)
    assert info["best_single_validation_f_avg"] == 0.0 and info["averaged_validation_f_avg"] == -1.0
    assert kept == {"validation_f_avg": 0.0}


def test_the_running_sum_survives_a_save_and_load(tmp_path: Path) -> None:
    model = torch.nn.Linear(2, 2)
    first = WeightAverager(start_epoch=3)
    first.add(model)
    with torch.no_grad():
        model.weight.add_(1.0)
    first.add(model)
    first.save(tmp_path)
    resumed = WeightAverager(start_epoch=3)
    resumed.load(tmp_path)
    assert resumed.count == 2
    assert torch.equal(resumed.averaged_state_dict(model)["weight"], first.averaged_state_dict(model)["weight"])
    other = WeightAverager(start_epoch=2)  # a different window: start afresh rather than mix two averages
    other.load(tmp_path)
    assert other.count == 0
    fresh = WeightAverager(start_epoch=3)
    fresh.load(tmp_path / "no-checkpoint")
    fresh.load(None)
    assert fresh.count == 0


def test_a_run_with_averaging_records_the_choice(tiny_files, tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    train(compose("train", tiny_overrides(tiny_files, run_dir, "trainer.num_train_epochs=3",
                                          "trainer.average_last_epochs=2")))
    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert metrics["averaged_epochs"] == 2
    assert isinstance(metrics["averaged_kept"], bool)
    kept = metrics["averaged_validation_f_avg"] if metrics["averaged_kept"] else metrics["best_single_validation_f_avg"]
    # the validation score reported for the saved model is the one of the weights that were kept
    assert metrics["best_validation_f_avg"] == pytest.approx(kept)


def test_bad_average_setting_fails_before_training(tiny_files, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="average_last_epochs=5 is more than"):
        train(compose("train", tiny_overrides(tiny_files, tmp_path / "r", "trainer.average_last_epochs=5")))
    assert not (tmp_path / "r").exists()
