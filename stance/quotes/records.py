"""The records of the extractor: the public quotation and result, and the spans, attributions and people of the
rules."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


#: What stands between the texts of two pieces of one attribution in :attr:`Quote.quote`.
PIECE_SEPARATOR = " … "


@dataclass
class Quote:
    """One attribution: a quotation (or, with ``direct=False``, a reported clause), or the quoted pieces of one
    statement of one speaker with one cue (a quotation split by "he said", a run of quotations after one cue).

    ``pieces`` are the character spans of the pieces in document order (one for a quotation that is its own
    attribution); ``quote_start``/``quote_end`` span from the first to the last; ``quote`` is the pieces' texts
    joined with :data:`PIECE_SEPARATOR`, so ``text[quote_start:quote_end] == quote`` only for one piece. Built
    without pieces, the record has the one piece ``(quote_start, quote_end)``."""

    quote: str
    quote_start: int
    quote_end: int
    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None
    role: str | None
    cue: str | None
    direct: bool
    paragraph: int
    pieces: list[tuple[int, int]] = field(default_factory=list)
    #: ``direct`` (a quotation), ``mixed`` (a reported clause holding quoted words) or ``indirect`` (reported
    #: speech without quotation marks); from ``direct`` when not given
    kind: str = ""

    def __post_init__(self) -> None:
        if not self.kind:
            self.kind = "direct" if self.direct else "indirect"
        if self.pieces:  # given as JSON lists too (``Quote(**d)``): tuples, as the extractor makes them
            self.pieces = [(int(s), int(e)) for s, e in self.pieces]
        else:
            self.pieces = [(self.quote_start, self.quote_end)]

    def to_dict(self) -> dict[str, Any]:
        """The attribution as a plain dict (the JSONL record fields, without ``article_id``; ``pieces`` as a list
        of ``[start, end]`` lists, as JSON gives them back)."""
        d = asdict(self)
        d["pieces"] = [[s, e] for s, e in self.pieces]
        return d


@dataclass
class QuoteExtraction:
    """Result of :func:`extract`: the quotations and what could not be parsed cleanly."""

    quotes: list[Quote] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Span:
    """A quoted stretch found by the mark scanner."""

    start: int  # content start (after the opening mark)
    end: int  # content end (before the closing mark)
    open_pos: int  # position of the opening mark
    close_end: int  # position after the closing mark (== end when unclosed)
    para: int
    closed: bool
    indirect: bool = False  # a reported clause holding quoted words, under 80% of its letters quoted


@dataclass
class Attr:
    """An attribution: who, with which cue, and where the mention is."""

    speaker: str | None
    s_start: int | None
    s_end: int | None
    role: str | None
    cue: str | None
    end: int = -1  # where the attribution clause after a quote ends (for runs of quotes)


@dataclass
class Person:
    """A person of the article: full name, role, and a guess at the gender."""

    name: str
    role: str | None = None
    gender: str | None = None  # "f", "m" or None when unknown
