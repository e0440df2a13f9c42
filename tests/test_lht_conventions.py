"""What users of lightning-hydra-template look for (issue 28, point 11): a csv logger, a callbacks group, the
config printed as a tree, debug modes (limit, profiler), and a multirun that ends with stance-compare's table."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from stance.errors import ConfigError
from tests.conftest import compose, tiny_overrides, write_tiny_files


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_tiny_files(tmp_path_factory.mktemp("lht"))


def test_csv_logger_and_profiler_write_their_files(files: dict[str, Path], tmp_path: Path) -> None:
    from stance.train.trainer import train

    run_dir = tmp_path / "run"
    cfg = compose("train", [*tiny_overrides(files, run_dir), "debug=profiler", "logger=csv",
                            "trainer.logging_steps=1"])
    assert cfg.trainer.max_steps == 5 and cfg.callbacks.profiler.active == 3  # debug=profiler is debug=limit plus
    train(cfg)
    with (run_dir / "csv" / "metrics.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    losses = [r for r in rows if r["loss"]]
    assert [int(r["step"]) for r in losses] == [1, 2, 3, 4, 5]  # logging_steps=1, max_steps=5
    assert any(r["eval_f_avg"] for r in rows) and float(losses[0]["loss"]) > 0
    table = (run_dir / "profiler" / "profile.txt").read_text(encoding="utf-8")
    assert "Self CPU" in table and "aten::" in table
    assert (run_dir / "profiler" / "trace.json").stat().st_size > 0


def test_callbacks_group_builds_transformers_callbacks() -> None:
    from transformers import EarlyStoppingCallback

    from stance.train.callbacks import instantiate_callbacks

    cfg = compose("train", ["callbacks=early_stopping", "callbacks.early_stopping.early_stopping_patience=4"])
    [callback] = instantiate_callbacks(cfg.callbacks)
    assert isinstance(callback, EarlyStoppingCallback) and callback.early_stopping_patience == 4
    assert instantiate_callbacks(compose("train", []).callbacks) == []
    assert instantiate_callbacks(compose("train", ["callbacks=early_stopping", "callbacks.early_stopping=null"])
                                 .callbacks) == []
    with pytest.raises(ConfigError, match="callbacks.bad: cannot build no.such.Callback"):
        instantiate_callbacks({"bad": {"_target_": "no.such.Callback"}})
    with pytest.raises(ConfigError, match="is not a transformers TrainerCallback"):
        instantiate_callbacks({"odd": {"_target_": "collections.OrderedDict"}})


def test_config_is_printed_as_a_tree(capsys: pytest.CaptureFixture, tmp_path: Path) -> None:
    from stance.config import print_config_tree

    print_config_tree(compose("train", ["model=tiny", f"hydra.run.dir={tmp_path}"]))
    out = capsys.readouterr().out
    assert out.splitlines()[0].strip() == "config"
    for branch in ("├── data", "├── model", "├── trainer", "learning_rate: 0.0001", "pooling: cls"):
        assert branch in out, branch
    assert out.index("├── data") < out.index("├── model") < out.index("├── trainer")  # the groups first


def test_a_multirun_ends_with_the_comparison_of_its_runs(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """The Hydra callback of configs/hydra/default.yaml on a finished sweep directory (the README check runs a real
    ``stance-train -m``, scripts/check_readme.py)."""
    import json

    from omegaconf import OmegaConf

    from stance.studies.multirun import CompareAtMultirunEnd

    sweep = tmp_path / "multiruns" / "2026-01-01_00-00-00"
    for job, (seed, f_avg) in enumerate(((1, 0.5), (2, 0.7))):
        run = sweep / str(job)
        run.mkdir(parents=True)
        (run / "config.yaml").write_text(f"seed: {seed}\nmodel:\n  name: tiny\n", encoding="utf-8")
        (run / "metrics.json").write_text(json.dumps({"best_validation_f_avg": f_avg, "test_f_avg": f_avg}))
    hydra_cfg = OmegaConf.create({"hydra": {"sweep": {"dir": str(sweep)}}})
    CompareAtMultirunEnd().on_multirun_end(hydra_cfg)
    out = capsys.readouterr().out
    assert f"multirun: 2 runs under {sweep}, sorted by best_validation_f_avg" in out
    assert "0.6000 ± 0.1414" in out  # the two seeds as one row, mean ± std
    assert out.rstrip().endswith(f"again, with a chart: stance-compare {sweep} --sort best_validation_f_avg")
    CompareAtMultirunEnd().on_multirun_end(OmegaConf.create({"hydra": {"sweep": {"dir": str(tmp_path / "none")}}}))
    assert capsys.readouterr().out == ""  # no finished runs: nothing to compare, nothing said
