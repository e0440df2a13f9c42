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


def _cfg(tmp_path: Path, train: Path, *extra: str):  # noqa: ANN202 - a DictConfig
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
