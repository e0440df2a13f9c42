"""Each public-benchmark data config reads its files from $STANCE_DATA_DIR with the right label mapping."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from stance.config import ROOT_DIR, compose
from stance.data.loading import load_data, load_split, sources

SHARED = Path(os.environ.get("STANCE_DATA_DIR", ROOT_DIR.parent / "shared" / "datasets"))
pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason="the public datasets (../shared/datasets) are absent")

EXPECTED = {  # data config -> (labels, a target that must occur in its test split)
    "tweeteval": ({"favor", "against", "none"}, "Hillary Clinton"),
    "pstance": ({"favor", "against"}, "Donald Trump"),
    "covid19": ({"favor", "against", "none"}, None),
    "wtwt": ({"favor", "against", "none"}, None),
    "multitarget": ({"favor", "against", "none"}, None),
    "emergent": ({"favor", "against", "none"}, None),
    "ibm_argq": ({"favor", "against"}, None),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_benchmark_config_loads_rows_with_its_labels(name: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("STANCE_DATA_DIR", str(SHARED))
    cfg = compose("train", [f"data={name}", f"hydra.run.dir={tmp_path}"]).data
    labels, target = EXPECTED[name]
    assert set(cfg.labels) == labels
    rows = load_split(cfg, "test")
    assert rows and {r["label"] for r in rows} == labels  # every label occurs, none outside the set
    assert all(r["source"] == name and r["text"] and r["target"] for r in rows)
    if target:
        assert target in {r["target"] for r in rows}


def test_pooled_leave_one_out_keeps_the_left_out_set_for_testing_only(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("STANCE_DATA_DIR", str(SHARED))
    caps = [f"data.sources.{s}.max_train_samples=20" for s in ("tweeteval", "pstance", "covid19", "wtwt",
                                                               "multitarget", "emergent", "ibm_argq", "quotes")]
    caps += [f"data.sources.{s}.max_eval_samples=15" for s in ("tweeteval", "pstance", "covid19", "wtwt",
                                                              "multitarget", "emergent", "ibm_argq", "quotes")]
    cfg = compose("train", ["data=pooled", "data.sources.emergent.train=false", f"hydra.run.dir={tmp_path}", *caps]).data
    splits = load_data(cfg)
    assert "emergent" not in {r["source"] for r in splits["train"] + splits["validation"]}
    assert {r["source"] for r in splits["test"]} == set(sources(cfg))
    assert {r["label"] for r in splits["train"] if r["source"] == "pstance"} <= {"favor", "against"}


def test_bench_backbones_prints_each_backbones_speed_and_ratio(tmp_path: Path, capsys) -> None:
    """scripts/bench_backbones.py on two tiny models: a scoring and a training speed each, the first at 1.00x."""
    from tests.conftest import load_script
    from tests.helpers_models import make_tiny_model

    small = make_tiny_model(tmp_path / "a")
    other = make_tiny_model(tmp_path / "b", seed=1)
    bench = load_script("bench_backbones")
    assert bench.main([str(small), str(other), "--pairs", "16", "--train-steps", "1", "--repeats", "1"]) == 0
    out = capsys.readouterr().out
    assert f"{small}: scoring" in out and "(1.00x)" in out and f"{other}: scoring" in out and "training" in out
