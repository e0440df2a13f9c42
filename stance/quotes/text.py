"""Paragraphs, sentences and abbreviations: where the text of an article breaks, by offsets."""

from __future__ import annotations

import re
from typing import Any

from .lexicon import ABBREV

PARA_SPLIT_BLANK = re.compile(r"\n[ \t\r\f\v\u00a0]*\n\s*")
HAS_BLANK_LINE = re.compile(r"\n[ \t\r\f\v\u00a0]*\n")
LINE_RE = re.compile(r"[^\n]+")
WORD_RE = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
TOKEN_RE = re.compile(r"[^\s,;:()\[\]\"“”„«»]+")
LETTER_RE = re.compile(r"[^\W\d_]")
SPACE_RE = re.compile(r"\s+")
# End of the last sentence in a string (used on text before a quote).
BOUNDARY_RE = re.compile(r"(?:[.!?][\"”’)]*|[—–]\s*-?)\s+")
# A sentence end: terminal punctuation, optional closing marks, then space + capital/quote or end of text.
SENT_END_RE = re.compile(r"[.!?]+[\"”’)]*(?=\s+(?:[^\W\d_a-z]|[\d\"“‘'(\[«„])|\s*$)")
# Bidirectional controls (ALM, LRM, RLM, embeddings, overrides, isolates): invisible, they only order the display.
BIDI_CONTROL_RE = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# A letter outside the Latin script (Hebrew, Arabic, Cyrillic, ...), which the English cue lexicon does not read.
NON_LATIN_LETTER_RE = re.compile(r"[^\W\d_A-Za-z\u00aa\u00b5\u00ba\u00c0-\u024f\u1e00-\u1eff]")


def without_bidi_controls(text: str) -> str:
    """``text`` with each bidirectional control character read as a space: the same length, so offsets hold."""
    return BIDI_CONTROL_RE.sub(" ", text)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: blocks separated by blank lines, or lines when there are no blank lines."""
    out: list[tuple[int, int]] = []
    if HAS_BLANK_LINE.search(text):
        pos = 0
        for m in PARA_SPLIT_BLANK.finditer(text):
            if text[pos : m.start()].strip():
                out.append(trim(text, pos, m.start()))
            pos = m.end()
        if text[pos:].strip():
            out.append(trim(text, pos, len(text)))
    else:
        for m in LINE_RE.finditer(text):
            if m.group().strip():
                out.append(trim(text, m.start(), m.end()))
    return out


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` without the white space at either end of ``text[start:end]``."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def tail_start(text: str, start: int, end: int) -> int:
    r"""Where the final ``[.!?]?[\"”’)]*\s*`` of ``text[start:end]`` begins (its earliest possible start)."""
    while end > start and text[end - 1].isspace():
        end -= 1
    while end > start and text[end - 1] in "\"”’)":
        end -= 1
    if end > start and text[end - 1] in ".!?":
        end -= 1
    return end


def is_abbrev_end(text: str, dot: int) -> bool:
    """Whether the period at ``dot`` ends an abbreviation or an initial rather than a sentence."""
    j = dot
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] == "."):
        j -= 1
    word = text[j:dot].lower()
    if not word:
        return False
    if len(word) == 1 and text[dot - 1].isupper():
        return True  # an initial: "John F. Kennedy"
    return word in ABBREV or word.rstrip(".") in ABBREV


def sentence_spans(text: str, start: int, end: int, abbrev: Any = None) -> list[tuple[int, int]]:
    """Sentences of ``text[start:end]`` as (start, end) offsets (``abbrev(dot)``: a cached :func:`is_abbrev_end`)."""
    out = []
    pos = start
    chunk = text[start:end]
    for m in SENT_END_RE.finditer(chunk):
        dot = start + m.start()
        if text[dot] == "." and (abbrev(dot) if abbrev else is_abbrev_end(text, dot)):
            continue
        e = start + m.end()
        if text[pos:e].strip():
            out.append(trim(text, pos, e))
        pos = e
    if text[pos:end].strip():
        out.append(trim(text, pos, end))
    return out


def first_sentence_end(text: str, start: int, end: int, abbrev: Any = None) -> int | None:
    """The end of the first of :func:`sentence_spans` (without finding the others), or None when there is none."""
    pos = start
    for m in SENT_END_RE.finditer(text, start, end):
        dot = m.start()
        if text[dot] == "." and (abbrev(dot) if abbrev else is_abbrev_end(text, dot)):
            continue
        e = m.end()
        if text[pos:e].strip():
            return trim(text, pos, e)[1]
        pos = e
    if text[pos:end].strip():
        return trim(text, pos, end)[1]
    return None
