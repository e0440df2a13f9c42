"""The records of the extractor: the public quotation and result, and the spans, attributions and people of the
rules."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Quote:
    """One quotation (or, with ``direct=False``, one reported clause) in an article."""

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

    def to_dict(self) -> dict[str, Any]:
        """The quotation as a plain dict (the JSONL record fields, without ``article_id``)."""
        return asdict(self)


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
