"""The pieces of one attribution joined into one record (rules/attributions.py)."""

from __future__ import annotations

from stance.quotes import Quote
from stance.quotes.rules.attributions import group_attributions

TEXT = '"We will not move an inch," Dmitri Orlov said. "Not this year."'


def _q(start: int, end: int, mention: tuple[int, int] | None = (28, 40), cue: str = "said", direct: bool = True,
       para: int = 0) -> Quote:
    s, e = mention if mention else (None, None)
    return Quote(TEXT[start:end], start, end, "Dmitri Orlov", s, e, None, cue, direct, para)


def test_pieces_of_one_cue_and_mention_are_one_record():
    [q] = group_attributions([_q(1, 26), _q(48, 62)])
    assert q.pieces == [(1, 26), (48, 62)]
    assert (q.quote_start, q.quote_end) == (1, 62)
    assert q.quote == "We will not move an inch, … Not this year."


def test_other_mention_cue_directness_or_no_mention_stay_apart():
    assert len(group_attributions([_q(1, 26), _q(48, 62, mention=(47, 48))])) == 2
    assert len(group_attributions([_q(1, 26), _q(48, 62, cue="added")])) == 2
    assert len(group_attributions([_q(1, 26), _q(48, 62, direct=False)])) == 2
    assert len(group_attributions([_q(1, 26, mention=None), _q(48, 62, mention=None)])) == 2


def test_a_gap_longer_than_the_pieces_keeps_them_apart():
    # the outer span must stay mostly quotation: 20 characters between two pieces of 5 and 5 is too much
    assert len(group_attributions([_q(1, 6), _q(26, 31)])) == 2
    assert len(group_attributions([_q(1, 11), _q(26, 36)])) == 1


def test_the_next_paragraph_continues_the_attribution():
    [q] = group_attributions([_q(1, 26), _q(48, 62, para=1)])
    assert q.paragraph == 0 and len(q.pieces) == 2
