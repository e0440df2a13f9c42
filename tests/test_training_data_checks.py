"""Training data that would train the wrong thing, or be reported wrongly, is caught with the file, line and
field (docs/reliability.md, cases 5 and 9)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from stance.data.loading import load_data
from stance.errors import DataError
from tests.conftest import compose, write_jsonl

GOOD = {"text": "We back the plan.", "target": "the plan", "label": "favor"}


def _cfg(tmp_path: Path, train: Path, *extra: str):
    return compose("train", ["data=jsonl", f"data.train_file={train}", f"hydra.run.dir={tmp_path}",
                             "data.polarity_templates=0", "data.target_swap=0", *extra]).data


# -- case 5: integer labels ------------------------------------------------------------------------------------


def test_integer_labels_need_an_explicit_mapping(tmp_path: Path) -> None:
    train = write_jsonl(tmp_path / "t.jsonl", [{**GOOD, "label": 1}, {**GOOD, "label": 0}])
    with pytest.raises(DataError, match=r"t.jsonl:1: field 'label': integer label 1 .*data.label_names"):
        load_data(_cfg(tmp_path, train))


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_integer_labels_map_through_label_names(tmp_path: Path, suffix: str) -> None:
    rows = [{**GOOD, "label": 0}, {**GOOD, "label": 1}, {**GOOD, "label": 2}]
    if suffix == ".jsonl":
        train = write_jsonl(tmp_path / "t.jsonl", rows)
    else:
        import pandas as pd

        train = tmp_path / "t.csv"
        pd.DataFrame(rows).to_csv(train, index=False)
    # TweetEval's numbering: 0 none, 1 against, 2 favor
    data = load_data(_cfg(tmp_path, train, "data.label_names={0: none, 1: against, 2: favor}"))
    assert [r["label"] for r in data["train"] + data["validation"]].count("favor") == 1
    assert sorted(r["label"] for r in data["train"] + data["validation"]) == ["against", "favor", "none"]


def test_label_names_must_name_known_labels(tmp_path: Path) -> None:
    train = write_jsonl(tmp_path / "t.jsonl", [{**GOOD, "label": 0}, {**GOOD, "label": 1}])
    with pytest.raises(DataError, match=r"data.label_names.*'maybe'"):
        load_data(_cfg(tmp_path, train, "data.label_names={0: maybe, 1: favor}"))
    with pytest.raises(DataError, match=r"t.jsonl:2: field 'label': 1 is not a key of data.label_names"):
        load_data(_cfg(tmp_path, train, "data.label_names={0: favor}"))


# -- case 9: encoding errors, numbers as text, duplicates ------------------------------------------------------


def test_non_utf8_jsonl_names_the_line_and_the_file_byte(tmp_path: Path) -> None:
    good = b'{"text": "We back the plan.", "target": "the plan", "label": "favor"}\n'
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(good * 3000 + b'{"text": "caf\xe9", "target": "b", "label": "favor"}\n')
    byte = len(good) * 3000 + len(b'{"text": "caf')
    with pytest.raises(DataError, match=rf"latin.jsonl:3001: not valid UTF-8 .*byte {byte} of the file"):
        load_data(_cfg(tmp_path, latin))


def test_non_utf8_csv_names_the_line_and_the_file_byte(tmp_path: Path) -> None:
    latin = tmp_path / "latin.csv"
    good = b"We back the plan.,the plan,favor\n"
    latin.write_bytes(b"text,target,label\n" + good * 5000 + b"caf\xe9,b,favor\n")
    byte = len(b"text,target,label\n") + len(good) * 5000 + 3
    with pytest.raises(DataError, match=rf"latin.csv: line 5002: not valid UTF-8 .*byte {byte} of the file"):
        load_data(_cfg(tmp_path, latin))


def test_a_number_as_text_is_not_called_empty(tmp_path: Path) -> None:
    train = write_jsonl(tmp_path / "t.jsonl", [GOOD, {**GOOD, "text": 12345}])
    with pytest.raises(DataError, match=r"t.jsonl:2: field 'text' must be a string, got int 12345"):
        load_data(_cfg(tmp_path, train))


def test_duplicate_rows_are_warned_about(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    train = write_jsonl(tmp_path / "t.jsonl", [GOOD, {**GOOD, "text": "Other."}, GOOD,
                                               {**GOOD, "label": "against"}])
    with caplog.at_level(logging.WARNING):
        load_data(_cfg(tmp_path, train))
    text = caplog.text
    assert "t.jsonl: 2 rows repeat an earlier" in text and "line 3 repeats line 1" in text
    assert "1 with another label" in text


def test_train_file_equal_to_test_file_is_warned_about(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    rows = [{**GOOD, "text": f"Text {i}."} for i in range(20)]
    train = write_jsonl(tmp_path / "t.jsonl", rows)
    with caplog.at_level(logging.WARNING):
        load_data(_cfg(tmp_path, train, f"data.test_file={train}"))
    assert "the train file is also the test file" in caplog.text
    caplog.clear()
    test = write_jsonl(tmp_path / "test.jsonl", rows[:5])
    with caplog.at_level(logging.WARNING):
        load_data(_cfg(tmp_path, train, f"data.test_file={test}", f"data.validation_file={test}"))
    assert "5 of 5 test rows" in caplog.text
