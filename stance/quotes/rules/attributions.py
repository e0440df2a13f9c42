"""Attributions: the pieces of one statement (a quotation split by "he said", a run of quotations after one cue)
joined into one record."""

from __future__ import annotations

from ..records import PIECE_SEPARATOR, Quote


def same_attribution(prev: Quote, q: Quote) -> bool:
    """Split quote, run of quotes: whether ``q`` is a further piece of the attribution ``prev`` (the record so far).

    The two share one cue and one speaker mention (the same occurrence in the text, so ``q`` took the attribution
    of ``prev``'s cue: also in the next paragraph, where a run of quotes goes on), are both direct or both
    reported, do not overlap, and the text between them is no longer than the two together (the joined record
    stays mostly quotation)."""
    return (
        q.speaker_start is not None
        and (prev.speaker_start, prev.speaker_end, prev.cue) == (q.speaker_start, q.speaker_end, q.cue)
        and prev.direct == q.direct
        and prev.quote_end <= q.quote_start
        and q.quote_start - prev.quote_end <= (prev.quote_end - prev.quote_start) + (q.quote_end - q.quote_start)
    )


def join_pieces(prev: Quote, q: Quote) -> Quote:
    """The attribution ``prev`` with ``q``'s pieces added: texts joined by :data:`PIECE_SEPARATOR`, the outer span
    from ``prev``'s start to ``q``'s end, speaker, role and paragraph of the first piece."""
    return Quote(prev.quote + PIECE_SEPARATOR + q.quote, prev.quote_start, q.quote_end, prev.speaker,
                 prev.speaker_start, prev.speaker_end, prev.role, prev.cue, prev.direct, prev.paragraph,
                 prev.pieces + q.pieces)


def group_attributions(quotes: list[Quote]) -> list[Quote]:
    """Split quote, run of quotes: the records (in document order) with the consecutive pieces of one attribution
    joined into one record (:func:`same_attribution`); a quotation that is its own attribution stays as it is."""
    out: list[Quote] = []
    for q in quotes:
        if out and same_attribution(out[-1], q):
            out[-1] = join_pieces(out[-1], q)
        else:
            out.append(q)
    return out
