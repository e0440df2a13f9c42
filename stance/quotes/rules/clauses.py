"""Reported clauses holding a quotation (mixed quotations): whether a quotation continues one, where it starts, where
it ends, and the trailing attribution that is no part of it."""

from __future__ import annotations

import bisect
import re

from ..article import Article
from ..cues import IND_ANY_RE, VERB_ANY_RE
from ..lexicon import (
    AUX,
    CLAUSE_PREPS,
    IND_ALT,
    INV_ALT,
    VERB_ALT,
    WEAK_VERBS,
)
from ..marks import MARK_RE
from ..mentions import mention_from_chunk
from ..records import Quote, Span
from ..text import first_sentence_end, trim
from .indirect import IND_TRAIL_INV_RE, IND_TRAIL_RE, ind_quote

# The sentence goes on after a closing mark with a lowercase word.
CLAUSE_GOES_ON_RE = re.compile(r"[ \u00a0]+[a-z]")
# "that" after a cue verb and its object (no verb between), and the punctuation and space after a cue verb.
THAT_LEAD_RE = re.compile(
    r"(?:\s+(?!(?:is|are|was|were|be|been|has|have|had|would|will|could|can|should|may|might|must|so|such|that)\b)"
    r"[^\s\"“”]+){0,15}?\s+that\s+"
)
SKIP_PUNCT_RE = re.compile(r"[\s,:;—–-]*")
PREV_WORD_RE = re.compile(r"([\w’'-]+)\s+\Z")
WEEKDAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
CLAUSE_ADVERBIAL_RE = re.compile(
    rf"(?:(?:on\s+|last\s+|this\s+|early\s+|late\s+)?{WEEKDAYS}(?:\s+(?:night|morning|afternoon|evening))?|"
    r"(?:last|this)\s+(?:week|month|year|weekend)|yesterday|today|tonight|earlier|later|again|"
    r"(?:at|in|during)\s+(?:an?|the|his|her|their)\s+(?:[\w’'-]+\s+){0,4}?(?:rally|interview|speech|statement|"
    r"event|debate|meeting|conference|hearing|appearance|town\s+hall)(?:\s+(?:in|at)\s+[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,2})?)"
    r",?\s+"
)
# A second verb phrase of the reporting sentence after a quotation ("declaring it "Q" and said it was ...").
COORD_VERB_RE = re.compile(rf"\b(?:and|but|then)\s+(?:\w+ly\s+)?(?:{VERB_ALT})\b")
# An attribution ending a reported clause: ``, according to the Times`` / ``, said Ruiz`` / ``, aides said on Sunday``
# (after the verb, only a time or a place: ``, John said none were added`` is a clause of its own).
TAIL_ATTR_RE = re.compile(
    rf"\s*,\s*(?:(?P<acc>according\s+to)\s+[^,;:!?\"“”]{{1,120}}?|(?P<inv>{INV_ALT})\s+(?P<ispk>[^,;:!?\"“”]{{1,100}}?)|"
    rf"(?P<spk>[^,;:!?\"“”]{{1,100}}?)\s+{AUX}{{0,2}}(?P<verb>{IND_ALT})"
    rf"(?:\s+(?i:{'|'.join(sorted(CLAUSE_PREPS, key=len, reverse=True))})\b[^,;:!?\"“”]{{0,40}}?)?)"
    r"\s*[.!?]?[\"”’)]*\s*\Z"
)


def clause_end(doc: Article, sp: Span, spans: list[Span], k: int) -> tuple[int, int]:
    """End of the sentence a quotation sits in (final punctuation excluded) when the sentence goes on after
    the closing mark with a lowercase word, and the index of the last quotation inside it (other quotations
    of the sentence belong to the same reported clause unless a cue verb stands between them); else the
    closing mark's offset and ``k``."""
    text = doc.text
    if CLAUSE_GOES_ON_RE.match(text, sp.close_end) is None or text[sp.start : sp.end].rstrip()[-1:] in ".!?,;:":
        return sp.close_end, k
    pe = doc.paras[sp.para][1]
    if sp.close_end > pe:
        return sp.close_end, k  # a multi-paragraph quotation: its clause is no sentence of one paragraph
    end = first_sentence_end(text, sp.close_end, pe, doc.abbrev)
    if end is None:
        end = pe
    j = k
    while j + 1 < len(spans) and spans[j + 1].open_pos < end:
        nxt = spans[j + 1]
        if not nxt.closed or nxt.close_end > end or VERB_ANY_RE.search(text, spans[j].close_end, nxt.open_pos):
            return sp.close_end, k
        j += 1
    # Any other mark in the rest of the sentence (a stray or single one) makes the clause unclear.
    covered = [(x.open_pos, x.close_end) for x in spans[k + 1 : j + 1]]
    for mm in MARK_RE.finditer(text, sp.close_end, end):
        if not any(a <= mm.start() < b for a, b in covered):
            return sp.close_end, k
    last = spans[j]
    if j > k and (text[last.start : last.end].rstrip()[-1:] in ".!?,;:"
                  or CLAUSE_GOES_ON_RE.match(text, last.close_end) is None):
        return last.close_end, j  # the clause ends with its last quotation
    if COORD_VERB_RE.search(text, last.close_end, end):
        # "declaring it "another super Tuesday" and said it was ...": a new verb phrase is no longer the clause.
        return (last.close_end, j) if j > k else (sp.close_end, k)
    while end > sp.close_end and text[end - 1] in ".!?;:\"”’) ":
        end -= 1
    tm = TAIL_ATTR_RE.search(text, last.close_end, end)
    if tm is not None and tail_attribution(doc, tm):
        end = tm.start()  # "..., according to the Times" / "..., she said": the attribution is no part of it
    return end, j


def tail_attribution(doc: Article, tm: re.Match) -> bool:
    """Whether a ``TAIL_ATTR_RE`` match is an attribution: its speaker chunk is a mention from its first word
    (not "which he said", "in a finish that he said", "so clearly believed") without a verb of its own."""
    if tm.group("acc"):
        return True
    grp = "ispk" if tm.group("inv") else "spk"
    if grp == "spk" and tm.group("verb") in WEAK_VERBS:
        return False
    cs, ce = trim(doc.text, tm.start(grp), tm.end(grp))
    if VERB_ANY_RE.search(doc.text, cs, ce):
        return False  # "John said none were added": a clause of its own
    ment = mention_from_chunk(doc.text, cs, ce, from_end=grp == "spk")
    return ment is not None and ment[0] == cs


def trailing_clause(doc: Article, sp: Span, spans: list[Span], k: int) -> tuple[Quote, int] | None:
    """The reported clause holding a quotation that its sentence goes on after, when the sentence ends with
    the attribution (``..., he said.``): the clause as an indirect-speech entry and the index of the last
    quotation inside it; else None."""
    text = doc.text
    if CLAUSE_GOES_ON_RE.match(text, sp.close_end) is None:
        return None
    pe = doc.paras[sp.para][1]
    if sp.close_end > pe:
        return None  # a multi-paragraph quotation, as in _clause_end
    sents = doc.para_sentences(sp.para)
    i = bisect.bisect_right(sents, (sp.open_pos, len(text))) - 1
    if i < 0 or not sents[i][0] <= sp.open_pos < sp.close_end <= sents[i][1]:
        return None
    ss, se = sents[i]
    if IND_ANY_RE.search(text, sp.close_end, se) is None:
        return None
    sent = text[ss:se]
    for rx, from_end in ((IND_TRAIL_INV_RE, False), (IND_TRAIL_RE, True)):
        m = rx.match(sent)
        if m is None or m.group("verb") in WEAK_VERBS or ss + m.end("clause") <= sp.close_end:
            continue
        q = ind_quote(doc, ss, m, "spk", sp.para, from_end)
        if q is None:
            continue
        j = k
        while j + 1 < len(spans) and spans[j + 1].open_pos < q.quote_end:
            if not spans[j + 1].closed or spans[j + 1].close_end > ss + m.end("clause"):
                return None
            j += 1
        return q, j
    return None
