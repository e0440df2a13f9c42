"""Helpers of the quote extractor's tests: direct (or all) quotations of a text, offset checks, a shared intro."""

from __future__ import annotations

from stance.quotes import PIECE_SEPARATOR, Quote, extract_quotes


def only(text: str, direct: bool | None = True) -> list[Quote]:
    """The quotations of ``text`` that are direct (``direct=True``), reported (False) or either (None)."""
    qs = extract_quotes(text)
    return [q for q in qs if direct is None or q.direct == direct]


def check_offsets(text: str, q: Quote) -> None:
    """The offsets of the attribution's pieces give its text, and its mention lies inside the text."""
    assert q.pieces[0][0] == q.quote_start and q.pieces[-1][1] == q.quote_end
    assert q.quote == PIECE_SEPARATOR.join(text[s:e] for s, e in q.pieces)
    if q.speaker_start is not None:
        assert 0 <= q.speaker_start < q.speaker_end <= len(text)


INTRO = "Dmitri Orlov, the union's chairman, spoke outside the gate on Tuesday.\n\n"
