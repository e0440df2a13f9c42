"""Inheritance: a quotation without a cue of its own takes the attribution of a neighbouring quotation in its run,
or of the sentence before it."""

from __future__ import annotations

import re

from ..article import Article
from ..cues import VERB_ANY_RE
from ..records import Attr, Span
from ..text import LETTER_RE, WORD_RE
from .sentence import partial_attr

PARTICIPLE_CUE_RE = re.compile(
    r",\s+(adding|saying|continuing|noting|explaining|arguing|insisting|writing|telling|asking|warning)\b"
)


def same_run(doc: Article, prev: Span, attr: Attr, cur: Span) -> bool:
    """Whether ``cur`` continues the run of ``prev`` (attributed by ``attr``): no letter between the end of the
    attribution and the opening mark, and no paragraph break unless the paragraphs follow each other."""
    start = max(prev.close_end, attr.end)
    if cur.open_pos < start:
        return False
    gap = doc.text[start : cur.open_pos]
    if LETTER_RE.search(gap):
        return False
    return cur.para - prev.para <= 1 or "\n" not in gap


def prior_attr(doc: Article, sp: Span, lo: int) -> Attr | None:
    """Run of quotes, the sentence before: the last ``S <verb>`` before an uncued quotation in its paragraph,
    or in the previous paragraph when that ends with a colon; None when there is none."""
    text = doc.text
    ps, _ = doc.paras[sp.para]
    start = max(ps, lo)
    if sp.open_pos - start < 3 and sp.para > 0:
        pps, ppe = doc.paras[sp.para - 1]
        if text[ppe - 1 : ppe] == ":" and lo <= pps:
            start, end = pps, ppe
        else:
            return None
    else:
        end = sp.open_pos
    last = None
    for m in VERB_ANY_RE.finditer(text, start, end):
        last = m
    if last is None:
        return None
    # The subject chunk: back to the previous sentence boundary or comma.
    ment = doc.verb_subject(start, last.start())
    if ment is None:
        return None
    return doc.attr(last.group(), ment[0], ment[1], ment[2])


def inherit_in_runs(doc: Article, kept: list[Span], attrs: list[Attr | None]) -> None:
    """Run of quotes: a quotation without a cue of its own takes the speaker of the quotation before it when only
    whitespace or that quotation's attribution lies between (also into the next paragraph), else the speaker of the
    quotation right after it (``attrs`` is filled in place)."""
    for i in range(len(kept)):
        if attrs[i] is not None:
            continue
        if i > 0 and attrs[i - 1] is not None and same_run(doc, kept[i - 1], attrs[i - 1], kept[i]):
            prev = attrs[i - 1]
            # "Q1," Trump said, adding a plug for himself. "Q2." : Q2's cue is the participle.
            pm = PARTICIPLE_CUE_RE.search(doc.text, kept[i - 1].close_end, max(prev.end, kept[i - 1].close_end))
            if pm is not None:
                prev = Attr(prev.speaker, prev.s_start, prev.s_end, prev.role, pm.group(1), prev.end)
            attrs[i] = prev
    for i in range(len(kept) - 1, -1, -1):
        if attrs[i] is None and i + 1 < len(kept) and attrs[i + 1] is not None:
            if doc.gap_empty(kept[i].close_end, kept[i + 1].open_pos) and kept[i].para == kept[i + 1].para:
                attrs[i] = attrs[i + 1]


def inherit_from_sentences(doc: Article, kept: list[Span], attrs: list[Attr | None]) -> None:
    """A quotation still without a cue takes a cue verb in its own sentence, else, when the quotation is its whole
    sentence, the ``S <verb>`` of the sentence before it or of a paragraph ending in a colon (Clinton spoke to
    reporters on Tuesday. "Q."), else the attribution of the quotation before it when it opens the next paragraph
    (``attrs`` is filled in place)."""
    for i in range(len(kept)):
        if attrs[i] is None:
            lo = kept[i - 1].close_end if i > 0 else 0
            attrs[i] = partial_attr(doc, kept[i])
            # Only a quotation that is its whole sentence is one of the sentence before: not "Many dockers see
            # the plan as "Q."" after "Orlov said ...".
            sent_start = doc.ctx_start(kept[i], doc.paras[kept[i].para][0])
            if attrs[i] is None and not WORD_RE.search(doc.text, sent_start, kept[i].open_pos):
                attrs[i] = prior_attr(doc, kept[i], lo)
            if attrs[i] is None and i > 0 and attrs[i - 1] is not None and kept[i].para == kept[i - 1].para + 1:
                if doc.text[lo : kept[i].open_pos].strip() == "":
                    attrs[i] = attrs[i - 1]
