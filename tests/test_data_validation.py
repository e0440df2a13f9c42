"""Bad data gets an error that names the file, the line and the field, before training starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.data.loading import load_data
from stance.errors import DataError
from tests.conftest import compose, write_jsonl


def _cfg(tmp_path: Path, train: Path, *extra: str):
    return compose("train", ["data=jsonl", f"data.train_file={train}", f"hydra.run.dir={tmp_path}", *extra]).data


GOOD = {"text": "We back the plan.", "target": "the plan", "label": "favor"}


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"train file .*nope.jsonl does not exist"):
        load_data(_cfg(tmp_path, tmp_path / "nope.jsonl"))


def test_missing_column_names_line_and_field(tmp_path: Path) -> None:
    train = write_jsonl(tmp_path / "t.jsonl", [GOOD, {"text": "x", "label": "favor"}])
    with pytest.raises(DataError, match=r"t.jsonl:2: missing field 'target'"):
        load_data(_cfg(tmp_path, train))


def test_unknown_label(tmp_path: Path) -> None:
    train = write_jsonl(tmp_path / "t.jsonl", [GOOD, GOOD, {**GOOD, "label": "maybe"}])
    with pytest.raises(DataError, match=r"t.jsonl:3: field 'label': label 'maybe' is not one of"):
        load_data(_cfg(tmp_path, train))


def test_label_outside_a_two_class_set(tmp_path: Path) -> None:
    train = write_jsonl(tmp_path / "t.jsonl", [GOOD, {**GOOD, "label": "none"}])
    with pytest.raises(DataError, match=r"t.jsonl:2: field 'label'"):
        load_data(_cfg(tmp_path, train, "data.labels=[favor,against]"))


def test_empty_text(tmp_path: Path) -> None:
    train = write_jsonl(tmp_path / "t.jsonl", [GOOD, {**GOOD, "text": "   "}])
    with pytest.raises(DataError, match=r"t.jsonl:2: field 'text' is empty"):
        load_data(_cfg(tmp_path, train))


def test_broken_json_and_encoding(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "a", "target": "b", "label": "favor"}\n{"text": \n', encoding="utf-8")
    with pytest.raises(DataError, match=r"bad.jsonl:2: not valid JSON"):
        load_data(_cfg(tmp_path, bad))
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(b'{"text": "caf\xe9", "target": "b", "label": "favor"}\n')
    with pytest.raises(DataError, match=r"latin.jsonl:1: not valid UTF-8"):
        load_data(_cfg(tmp_path, latin))


def test_labels_are_normalized_and_columns_renamed(tmp_path: Path) -> None:
    import pandas as pd

    csv = tmp_path / "t.csv"
    pd.DataFrame({"tweet": ["a b", "c d", "e f"], "topic": ["x", "y", "z"], "stance": ["FAVOR", "Against", "NONE"]}).to_csv(csv, index=False)
    cfg = _cfg(tmp_path, csv, "data.text_column=tweet", "data.target_column=topic", "data.label_column=stance",
               f"data.validation_file={csv}")
    splits = load_data(cfg)
    assert [r["label"] for r in splits["train"]] == ["favor", "against", "none"]
    pq = tmp_path / "t.parquet"
    pd.DataFrame({"tweet": ["a"], "topic": ["x"], "stance": ["oppose"]}).to_parquet(pq)
    cfg = _cfg(tmp_path, pq, "data.text_column=tweet", "data.target_column=topic", "data.label_column=stance",
               f"data.validation_file={pq}")
    assert load_data(cfg)["train"][0]["label"] == "against"


def test_csv_error_names_the_row(tmp_path: Path) -> None:
    csv = tmp_path / "t.csv"
    csv.write_text("text,target,label\nhello,x,favor\n,y,none\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"t.csv: row 2: field 'text' is empty"):
        load_data(_cfg(tmp_path, csv))


def test_missing_benchmark_folder_names_the_variable(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("STANCE_DATA_DIR", str(tmp_path / "nowhere"))
    cfg = compose("train", ["data=tweeteval", f"hydra.run.dir={tmp_path}"]).data
    with pytest.raises(DataError, match="STANCE_DATA_DIR"):
        load_data(cfg)


def test_target_swap_adds_none_rows_across_groups(tmp_path: Path) -> None:
    rows = [dict(GOOD, text=f"text {i}", target=f"t{i}", domain=d) for i, d in enumerate(["a", "a", "b", "b"] * 5)]
    train = write_jsonl(tmp_path / "t.jsonl", rows)
    cfg = _cfg(tmp_path, train, "data.target_swap=0.5", "data.swap_group_column=domain", f"data.validation_file={train}")
    out = load_data(cfg)["train"]
    swapped = [r for r in out if r["group"] == "swapped"]
    assert len(swapped) == 10 and all(r["label"] == "none" for r in swapped)
    domain_of = {r["target"]: r["domain"] for r in rows}
    for r in swapped:
        original = next(o for o in rows if o["text"] == r["text"])
        assert r["target"] != original["target"]
        assert domain_of[r["target"]] != r["swap_group"]


def test_polarity_templates_add_statements_about_training_targets_only(tmp_path: Path) -> None:
    rows = [dict(GOOD, text=f"text {i}", target=f"target {i % 3}") for i in range(9)]
    train = write_jsonl(tmp_path / "t.jsonl", rows)
    held_out = write_jsonl(tmp_path / "v.jsonl", [dict(GOOD, target="a target of validation only")])
    cfg = _cfg(tmp_path, train, "data.polarity_templates=2", f"data.validation_file={held_out}")
    out = load_data(cfg)["train"]
    made = [r for r in out if r["group"] == "template"]
    assert len(out) == 9 + len(made) and len(made) == 3 * 3 * 2  # targets x labels x per label
    assert {r["target"] for r in made} == {"target 0", "target 1", "target 2"}
    assert all(r["target"] in r["text"].lower() for r in made if r["label"] != "none")
    two_class = _cfg(tmp_path, train, "data.polarity_templates=1", "data.labels=[favor,against]",
                     f"data.validation_file={held_out}")
    assert {r["label"] for r in load_data(two_class)["train"] if r["group"] == "template"} == {"favor", "against"}
