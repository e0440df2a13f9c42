"""What is no quotation: titles of works and programmes, short quoted fragments, short uncued quoted text."""

from __future__ import annotations

import re

from ..article import Article
from ..lexicon import TITLE_SMALL
from ..records import Span
from ..text import WORD_RE

EDGE_MARKS_RE = re.compile(r"\A(?:''|[\"“”„«»‹›])+|(?:''|[\"“”„«»‹›])+\Z")
TITLE_BEFORE_RE = re.compile(
    r"(?:[A-Z][\w.&-]*['’]s?|\b(?:titled|entitled|headlined|called|named|show|program|programme|book|memoir|"
    r"column|article|film|movie|song|album|op-ed|essay|headline|report|documentary|series|magazine|newspaper),?)"
    r"\s+\Z"
)


def is_title(doc: Article, sp: Span) -> bool:
    """Not returned, titles: a quotation of at most six title-case words right after a possessive or a title
    noun (``NBC's "Today"``, ``her memoir, "Tough Choices."``, ``a book titled "..."``): the name of a work or a
    programme."""
    text = doc.text
    if not sp.closed or sp.end - sp.start > 60:
        return False
    words = text[sp.start : sp.end].rstrip(",.!?").split()
    if not 1 <= len(words) <= 6 or not words[0][:1].isupper():
        return False
    if any(not (w[:1].isupper() or w[:1].isdigit() or w in TITLE_SMALL) for w in words):
        return False
    return TITLE_BEFORE_RE.search(text, max(0, sp.open_pos - 40), sp.open_pos) is not None


def is_fragment(doc: Article, content: str) -> bool:
    """Not returned, fragments: quoted phrases of three words or fewer that are lowercase or end without
    punctuation (scare quotes, titles, slogans: ``the "Smart Harbour" programme``). The marks of a reported clause
    that is only its quotation are looked through."""
    words = WORD_RE.findall(content)
    if len(words) > 3:
        return False
    c = EDGE_MARKS_RE.sub("", content.strip())
    return not c or c[0].islower() or c[-1] not in ",.!?"


def looks_like_speech(doc: Article, content: str) -> bool:
    """Not returned, short uncued quotations: quoted text with no cue and no speaker to inherit is kept only
    when it has 13 words or more (tuned on PolNeAR train; 12 before quotations inside a sentence stopped taking the
    speech verb of the sentence before): shorter ones are mostly titles, slogans and scare quotes."""
    words = WORD_RE.findall(content)
    if len(words) < 13:
        return False
    return True
