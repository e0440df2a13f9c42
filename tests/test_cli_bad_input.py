"""The hardening cases through the real console entry points: one error line naming the file or field, exit
status 2, no traceback (docs/reliability.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli_errors import _run


def _inputs(tmp_path: Path) -> dict[str, str]:
    src = tmp_path / "x.jsonl"
    src.write_text(json.dumps({"id": "a", "text": 'She said: "No."'}) + "\n", encoding="utf-8")
    d = tmp_path / "d"
    d.mkdir()
    (d / "a.txt").write_text('She said: "No."', encoding="utf-8")
    train = tmp_path / "t.jsonl"
    train.write_text(json.dumps({"text": "a", "target": "b", "label": 2}) + "\n", encoding="utf-8")
    return {"SRC": str(src), "DIR": str(d), "TRAIN": str(train)}


CASES = {
    "predict-output-is-input": ("stance-predict", "predict_main",
                                ["model_dir=/nonexistent", "input=SRC", "output=SRC", "targets=[tax]"],
                                "is the input file"),
    "quotes-output-in-input-dir": ("stance-quotes", "quotes_main", ["input=DIR", "output=DIR/q.jsonl"],
                                   "inside the input directory"),
    "train-run-dir-under-a-file": ("stance-train", "train_main",
                                   ["model=tiny", "logger=none", "data=jsonl", "data.train_file=TRAIN",
                                    "hydra.run.dir=SRC/run"], "is a file, not a directory"),
    "train-integer-labels": ("stance-train", "train_main",
                             ["model=tiny", "logger=none", "data=jsonl", "data.train_file=TRAIN",
                              "hydra.run.dir=OUT/run"], "data.label_names"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_one_line_exit_2(case: str, tmp_path: Path) -> None:
    command, entry, args, words = CASES[case]
    names = _inputs(tmp_path)
    for key in ("TRAIN", "SRC", "DIR"):
        args = [a.replace(key, names[key]) for a in args]
    proc = _run(entry, args, tmp_path)
    errors = [line for line in proc.stderr.splitlines() if "error" in line.lower()]
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert len(errors) == 1 and errors[0].startswith(f"{command}: error:") and words in errors[0], proc.stderr
