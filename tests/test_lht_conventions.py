"""What users of lightning-hydra-template look for (issue 28, point 11): a csv logger, a callbacks group, the
config printed as a tree, debug modes (limit, profiler), and a multirun that ends with stance-compare's table."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
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


def test_a_multirun_ends_with_the_comparison_of_its_runs(tmp_path: Path) -> None:
    exe = Path(sys.executable).parent / "stance-train"
    if not exe.exists():
        pytest.skip("stance-train is not installed next to the interpreter")
    env = {**os.environ, "OMP_NUM_THREADS": "1", "STANCE_OUTPUT_DIR": str(tmp_path / "outputs")}
    done = subprocess.run([str(exe), "-m", "debug=limit", "model=tiny", "seed=1,2", "print_config=false",
                           "trainer.disable_tqdm=true"], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    sweep = next((tmp_path / "outputs" / "train" / "multiruns").iterdir())
    tail = done.stdout[done.stdout.index("multirun: 2 runs under"):]
    assert "best_validation_f_avg" in tail and " ± " in tail  # two seeds: one row, mean ± std
    assert tail.rstrip().endswith(f"again, with a chart: stance-compare {sweep} --sort best_validation_f_avg")
    assert "config" not in done.stdout.splitlines()[0]  # print_config=false: no tree
