"""stance.templates: explicit stance statements for training, and a held-out check (scripts/checklist.py)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from stance.data.templates import (
    CHECK_TEMPLATES,
    TRAIN_TEMPLATES,
    checklist_pairs,
    fill,
    template_rows,
)
from tests.conftest import load_script, write_jsonl


def test_fill_capitalises_only_at_a_sentence_start() -> None:
    assert fill("{T} is a mistake, says the critic of {t}.", "the minimum wage") == (
        "The minimum wage is a mistake, says the critic of the minimum wage.")


def test_check_wordings_are_not_training_wordings() -> None:
    for label in TRAIN_TEMPLATES:
        assert not set(TRAIN_TEMPLATES[label]) & set(CHECK_TEMPLATES[label])
        assert all("{t}" in t or "{T}" in t for t in TRAIN_TEMPLATES[label] + CHECK_TEMPLATES[label]
                   if label != "none")


def test_template_rows_copy_the_fields_of_the_targets_rows() -> None:
    rows = [{"text": "x", "target": "nuclear power", "label": "favor", "source": "quotes", "group": "True"}]
    made = template_rows(rows, 4, ["favor", "against", "none"], random.Random(0))
    assert len(made) == 12 and {r["label"] for r in made} == {"favor", "against", "none"}
    assert all(r["source"] == "quotes" and r["group"] == "template" for r in made)
    assert len({r["text"] for r in made}) == 12  # sampled without replacement per label
    assert template_rows(rows, 0, ["favor"], random.Random(0)) == []


def test_checklist_pairs_cover_every_target_and_template() -> None:
    pairs = checklist_pairs(["b", "a", "a"], ["favor", "against"])
    per_target = len(CHECK_TEMPLATES["favor"]) + len(CHECK_TEMPLATES["against"])
    assert len(pairs) == 2 * per_target and pairs[0]["target"] == "a"


def test_checklist_script_scores_a_tiny_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.helpers_models import make_tiny_model

    checklist = load_script("checklist")
    test = write_jsonl(tmp_path / "test.jsonl", [
        {"text": "q", "target": "the port strike", "label": "none", "seen_target": True},
        {"text": "q", "target": "wind farms", "label": "favor", "seen_target": "false"}])
    model = make_tiny_model(tmp_path / "tiny")
    assert checklist.main([str(model), "--test-file", str(test), "--json", str(tmp_path / "r.json")]) == 0
    out = capsys.readouterr().out
    assert "unseen targets (1, 18 statements)" in out and "seen targets (1, 18 statements)" in out
    import json

    res = json.loads((tmp_path / "r.json").read_text())[str(model)]
    assert sum(map(sum, res["unseen"]["confusion"])) == 18
    assert checklist.main([str(model), "--test-file", str(tmp_path / "missing.jsonl")]) == 2


def test_checklist_script_names_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    checklist = load_script("checklist")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "q", "target": "a"}\n{"text": "no target"}\n', encoding="utf-8")
    with pytest.raises(SystemExit, match=r"bad.jsonl, line 2: .*'target'"):
        checklist.main([str(tmp_path), "--test-file", str(bad)])
    good = write_jsonl(tmp_path / "test.jsonl", [{"text": "q", "target": "a", "label": "none"}])
    assert checklist.main([str(tmp_path / "no-model"), "--test-file", str(good)]) == 2
    assert "does not exist" in capsys.readouterr().err
