"""stance-compare over real tiny runs: differing config columns, seeds as mean ± std, sorting, chart."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

from stance.studies.compare import compare, differing_keys, flatten, main
from stance.train.trainer import train
from tests.conftest import compose, tiny_overrides, write_tiny_files


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Three one-epoch tiny runs: lr 1e-4 (seed 1), lr 1e-3 (seeds 1 and 2)."""
    root = tmp_path_factory.mktemp("compare")
    files = write_tiny_files(root, repeats=2, n_eval=10)
    out = {}
    for name, lr, seed in (("small", "1e-4", 1), ("big_s1", "1e-3", 1), ("big_s2", "1e-3", 2)):
        run_dir = root / "runs" / name
        train(compose("train", tiny_overrides(files, run_dir, f"trainer.learning_rate={lr}", f"seed={seed}",
                                              "trainer.num_train_epochs=1", f"run_name={name}")))
        out[name] = run_dir
    return out


def test_learning_rate_is_the_differing_column(runs: dict[str, Path], capsys: pytest.CaptureFixture) -> None:
    assert main([str(runs["small"]), str(runs["big_s1"]), "--no-png"]) == 0
    out = capsys.readouterr().out
    header = out.splitlines()[1]
    assert "learning_rate" in header and "best_validation_f_avg" in header and "test_macro_f1" in header
    assert "seed" not in header and "output_dir" not in header
    lines = {line.split()[0]: line for line in out.splitlines()[3:]}
    assert "0.0001" in lines["small"] and "0.001" in lines["big_s1"]
    result = compare([str(runs["small"]), str(runs["big_s1"])])
    assert result["keys"] == ["trainer.learning_rate"], "nothing else differs between the two runs"


def test_seeds_of_one_config_are_mean_and_std(runs: dict[str, Path], tmp_path: Path,
                                              capsys: pytest.CaptureFixture) -> None:
    png = tmp_path / "chart.png"
    assert main([str(runs["small"].parent), "--sort", "test_accuracy", "--png", str(png)]) == 0
    out = capsys.readouterr().out
    assert png.is_file() and png.stat().st_size > 1000
    result = compare([str(runs["small"].parent)], sort="test_accuracy")
    assert set(result["keys"]) == {"trainer.learning_rate", "seed"}
    assert len(result["runs"]) == 3 and len(result["rows"]) == 2
    big = next(r for r in result["rows"] if len(r.runs) == 2)
    values = [json.loads((runs[n] / "metrics.json").read_text())["test_accuracy"] for n in ("big_s1", "big_s2")]
    mean, std, n = big.stats("test_accuracy")
    assert n == 2 and mean == pytest.approx(statistics.mean(values)) and std == pytest.approx(statistics.stdev(values))
    assert f"{mean:.4f} ± {std:.4f}" in out


def test_sorting_by_a_chosen_metric(runs: dict[str, Path]) -> None:
    pattern = str(runs["small"].parent / "*")  # a glob, as a shell without expansion would pass it
    for ascending in (False, True):
        result = compare([pattern], sort="train_loss", ascending=ascending)
        means = [row.stats("train_loss")[0] for row in result["rows"]]
        assert means == sorted(means, reverse=not ascending)
        assert result["metrics"][0] == "train_loss"


def test_bad_input_is_a_clear_error(runs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main([str(runs["small"]), "--sort", "no_such_metric", "--no-png"]) == 2
    err = capsys.readouterr().err
    assert "no_such_metric" in err and "test_macro_f1" in err
    (tmp_path / "empty").mkdir()
    assert main([str(tmp_path / "empty")]) == 2
    assert "no run directories" in capsys.readouterr().err
    assert main([str(tmp_path / "missing")]) == 2
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "metrics.json").write_text("{not json")
    assert main([str(broken)]) == 2
    assert "broken/metrics.json" in capsys.readouterr().err


def test_flatten_and_differences_ignore_paths() -> None:
    assert flatten({"a": {"b": 1, "c": [1, 2]}, "d": None}) == {"a.b": 1, "a.c": "[1, 2]", "d": None}
    from stance.studies.compare import Run

    a = Run(Path("a"), "a", {"paths.output_dir": "/x", "trainer.lr": 1, "seed": 1}, {})
    b = Run(Path("b"), "b", {"paths.output_dir": "/y", "trainer.lr": 1, "seed": 2, "extra": 3}, {})
    assert differing_keys([a, b]) == ["extra", "seed"]


def test_console_entry(runs: dict[str, Path], tmp_path: Path) -> None:
    cmd = [sys.executable, "-c", "from stance.cli import compare_main; raise SystemExit(compare_main())",
           str(runs["small"].parent), "--no-png", "--csv", str(tmp_path / "t.csv")]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "3 runs, 2 configs" in proc.stdout
    assert (tmp_path / "t.csv").read_text().count("\n") == 3
