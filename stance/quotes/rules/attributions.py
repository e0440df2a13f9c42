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


def join_pieces(group: list[Quote]) -> Quote:
    """One attribution of the records ``group`` (in document order): texts joined by :data:`PIECE_SEPARATOR`, the
    outer span from the first's start to the last's end, speaker, role and paragraph of the first piece."""
    first = group[0]
    if len(group) == 1:
        return first
    return Quote(PIECE_SEPARATOR.join(q.quote for q in group), first.quote_start, group[-1].quote_end, first.speaker,
                 first.speaker_start, first.speaker_end, first.role, first.cue, first.direct, first.paragraph,
                 [piece for q in group for piece in q.pieces])


def group_attributions(quotes: list[Quote]) -> list[Quote]:
    """Split quote, run of quotes: the records (in document order) with the consecutive pieces of one attribution
    joined into one record (:func:`same_attribution`); a quotation that is its own attribution stays as it is."""
    groups: list[list[Quote]] = []
    so_far: Quote | None = None  # the current group as one record, for its outer span (its texts not joined yet)
    for q in quotes:
        if so_far is not None and same_attribution(so_far, q):
            groups[-1].append(q)
            so_far.quote_end = q.quote_end
        else:
            groups.append([q])
            so_far = Quote("", q.quote_start, q.quote_end, q.speaker, q.speaker_start, q.speaker_end, q.role, q.cue,
                           q.direct, q.paragraph, [(q.quote_start, q.quote_end)])
    return [join_pieces(g) for g in groups]
