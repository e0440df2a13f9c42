"""Training data that would train or choose a model badly is warned about, and the warnings are kept in
metrics.json; zero training steps are refused before a model is built (issue #26, point 7; the refusal is in
tests/test_user_errors_table.py)."""

from __future__ import annotations

import json
from pathlib import Path

from stance.train.trainer import train
from tests.conftest import ROWS, compose, tiny_overrides, write_jsonl


def test_one_label_and_a_tiny_validation_set_are_recorded_in_metrics(tmp_path: Path) -> None:
    rows = [{"id": str(i), "text": t, "target": g, "label": "favor"} for i, (t, g, _) in enumerate(ROWS * 2)]
    mixed = [{"id": str(i), "text": t, "target": g, "label": lab} for i, (t, g, lab) in enumerate(ROWS)]
    files = {"train": write_jsonl(tmp_path / "train.jsonl", rows),
             "validation": write_jsonl(tmp_path / "validation.jsonl", mixed[:6]),
             "test": write_jsonl(tmp_path / "test.jsonl", mixed)}
    run_dir = tmp_path / "run"
    results = train(compose("train", tiny_overrides(files, run_dir, "trainer.num_train_epochs=1")))
    saved = json.loads((run_dir / "metrics.json").read_text())
    assert saved["warnings"] == results["warnings"]
    one_label, small = saved["warnings"]
    assert "one label only" in one_label and "'favor'" in one_label
    assert "too small to choose a checkpoint" in small and "6 rows" in small


def test_a_sound_setup_records_no_warnings() -> None:
    from stance.train.sanity import data_warnings

    mixed = [{"label": lab} for lab in ("favor", "against", "none") * 40]
    assert data_warnings({"train": mixed, "validation": mixed}, ("favor", "against", "none")) == []
    assert "no rows of ['none']" in data_warnings(
        {"train": mixed, "validation": [r for r in mixed if r["label"] != "none"]}, ("favor", "against", "none"))[0]
