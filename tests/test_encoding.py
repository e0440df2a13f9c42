"""Pair formatting: the text normalization travels with the saved model and is applied to texts only."""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.model.encoding import InputFormat, encode_pairs, normalize_tweet
from tests.helpers_models import build_tokenizer


@pytest.mark.parametrize(("raw", "expected"), [
    ("Life is #precious & so are babies. Think #SemST ", "Life is precious & so are babies. Think"),
    ("#WhyImNotVotingForHillary @user", "Why Im Not Voting For Hillary @user"),
    ("#StopHillary2016 #USAToday", "Stop Hillary 2016 USA Today"),
    ("#pro_life see http://t.co/abc #semst", "pro life see http"),
    ("#prolifeyouth #thisoppresseswomen #WomensRights", "pro life youth this oppresses women Womens Rights"),
    ("#tcot #feminist #lol", "tcot feminist lol"),
    ("no tags here", "no tags here"),
    ("# alone and 100# and #", "# alone and 100# and #"),
])
def test_normalize_tweet(raw: str, expected: str) -> None:
    assert normalize_tweet(raw) == expected


def test_normalization_is_saved_and_applied_to_texts_only(tmp_path: Path) -> None:
    tok = build_tokenizer(tmp_path / "tok")
    fmt = InputFormat(max_length=64, normalize="tweet")

    class Saved:  # a model config as from_pretrained returns it
        stance_input = fmt.to_dict()

    assert InputFormat.from_config(Saved()).normalize == "tweet"
    enc = encode_pairs(tok, ["#MilitaryForce #SemST"], ["#Venezuela"], fmt)
    assert tok.decode(enc["input_ids"][0], skip_special_tokens=True) == "military force # venezuela"
    plain = encode_pairs(tok, ["#MilitaryForce"], ["venezuela"], InputFormat(max_length=64))
    assert "#" in tok.decode(plain["input_ids"][0], skip_special_tokens=True)


def test_unknown_normalization_is_rejected() -> None:
    with pytest.raises(ValueError, match="normalization 'emoji'"):
        InputFormat(normalize="emoji")
