"""Reported clauses holding a quotation (mixed quotations): whether a quotation continues one, where it starts, where
it ends, and the trailing attribution that is no part of it."""

from __future__ import annotations

import bisect
import re

from ..article import MAX_SENTENCE, Article
from ..cues import IND_ANY_RE, PARTIAL_CUE_RE, VERB_ANY_RE
from ..lexicon import (
    AUX,
    CLAUSE_PREPS,
    CLAUSE_WORDS,
    IND_ALT,
    INV_ALT,
    NOUN_DETERMINERS,
    OBJECT_LEADS,
    TITLE_SMALL,
    VERB_ALT,
    WEAK_VERBS,
)
from ..marks import MARK_RE
from ..mentions import mention_from_chunk
from ..records import Quote, Span
from ..text import WORD_RE, first_sentence_end, trim
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

# A word that links a clause between the cue verb and a capitalised quotation.
_CLAUSE_LINK_RE = re.compile(
    r"\b(?:that|if|whether|how|what|why|when|who|where|is|are|was|were|be|been|has|have|had|would|will)\b"
)
_TO_END_RE = re.compile(r"\bto[ \u00a0]*\Z")


def clause_end(doc: Article, sp: Span, spans: list[Span], k: int) -> tuple[int, int]:
    """Reported clause holding a quote, its end: when the sentence goes on after a quotation without closing
    punctuation (``Tyler said, "We have three weeks to go" until the Iowa caucuses``), the end of the sentence
    (final punctuation and a trailing attribution excluded) and the index of the last quotation inside it (other
    quotations of the sentence included unless a cue verb stands between them; before a second verb phrase);
    else the closing mark's offset and ``k``."""
    text = doc.text
    if CLAUSE_GOES_ON_RE.match(text, sp.close_end) is None or text[sp.start : sp.end].rstrip()[-1:] in ".!?,;:":
        return sp.close_end, k
    pe = doc.paras[sp.para][1]
    if sp.close_end > pe:
        return sp.close_end, k  # a multi-paragraph quotation: its clause is no sentence of one paragraph
    lim = min(pe, sp.close_end + MAX_SENTENCE)
    end = first_sentence_end(text, sp.close_end, lim, doc.abbrev)
    if end is None:
        end = lim
    if lim < pe and end >= trim(text, sp.close_end, lim)[1]:
        return sp.close_end, k  # no sentence end for MAX_SENTENCE characters: text without sentences
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
    """A trailing attribution is no part of the clause (``..., according to the Times.``, ``, she said``,
    ``, said X``, ``, aides said on Sunday``): whether a ``TAIL_ATTR_RE`` match is one, its speaker chunk a mention
    from its first word (not "which he said", "in a finish that he said", "so clearly believed") without a verb of
    its own."""
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
    """Reported clause holding a quote, attributed at the sentence end: ``"We don't teach anything" against
    homosexuality in the mosque meetings, he said.``: the clause as an indirect-speech entry and the index of the
    last quotation inside it; else None."""
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
    if se - ss > MAX_SENTENCE or IND_ANY_RE.search(text, sp.close_end, se) is None:
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


def reported_clause(doc: Article, sp: Span, ctx: str, ctx_start: int, m: re.Match, verb_end: int) -> tuple[bool, int]:
    """Reported clause holding a quote (mixed quotation): whether the quotation after the cue verb of ``m`` (a
    ``BEFORE_VERB_RE`` match of ``ctx``, the verb ending at ``verb_end``) continues a reported clause begun after
    the cue (``Rubio said the United States "must increase our efforts."``), and the offset the clause starts at
    (-1 when it does not)."""
    text = doc.text
    tail = m.group("tail")
    starts_lower = text[sp.start : sp.start + 1].islower()
    mixed = _continues_clause(doc, sp, ctx_start, m)
    # The reported clause starts after the cue, and after a "that" close behind it ("told CNN on Tuesday
    # that ..."); a that-clause holds the quotation even across a comma or colon ("adding that if the GOP
    # loses, "Q"", "He adds that Muslims have two choices: "Q"").
    for vm in PARTIAL_CUE_RE.finditer(ctx, verb_end):
        # "quoted the president as saying "Q"", "went on to say, "Q"", "blasted X at a rally, calling her
        # "Q"": after the last cue or label verb (not a noun after a possessive or a determiner:
        # "told CNN that Ginsburg's comments "Q"", "his remarks").
        pw = PREV_WORD_RE.search(ctx, max(0, vm.start() - 64), vm.start())  # bounded: no n^2 on long words
        if pw is not None and (pw.group(1).lower() in NOUN_DETERMINERS or pw.group(1).endswith(("'s", "’s"))):
            continue
        verb_end = vm.end()
    tm = THAT_LEAD_RE.match(ctx, verb_end)
    clause_start = tm.end() if tm else SKIP_PUNCT_RE.match(ctx, verb_end).end()
    if (tm and starts_lower and tail.rstrip().endswith(",") and len(WORD_RE.findall(ctx, clause_start)) >= 3
            and not VERB_ANY_RE.search(ctx, clause_start)):
        mixed = True
    if not mixed:
        return False, -1
    return True, ctx_start + _clause_start(ctx, clause_start, tm is not None, starts_lower)


def _continues_clause(doc: Article, sp: Span, ctx_start: int, m: re.Match) -> bool:
    """Whether the quotation goes on the clause after the cue verb of ``m``: three words or more after the verb,
    or a lowercase quotation after any, without a comma, colon or dash before the mark (with a comma, a lowercase
    quotation after a clause of three words or more), and not a capitalised sentence after the verb's object nor
    a capitalised quotation after an abbreviation."""
    text = doc.text
    tail = m.group("tail")
    tail_words = len(WORD_RE.findall(tail))
    starts_lower = text[sp.start : sp.start + 1].islower()
    open_tail = not tail.rstrip().endswith((",", ":", "—", "-"))
    mixed = open_tail and (tail_words >= 3 or (starts_lower and tail.strip() not in ("", "that")))
    if (starts_lower and tail_words >= 3 and tail.rstrip().endswith(",")
            and m.group("verb").lower() not in ("told", "tells", "telling", "tell")
            and text[ctx_start - 1 : ctx_start] not in ("\"", "”", "»", "'")):
        # "She also said the turmoil was not the fault of banks, "not by a long shot."": a lowercase quotation
        # after a comma goes on the reported clause (not the second half of a split quotation, nor the
        # quotation after "told <the people addressed>,").
        mixed = True
    if (mixed and text[sp.start : sp.start + 1].isupper() and text[sp.start : sp.end].rstrip().endswith(("?", "!", "."))
            and sum(w[:1].islower() and w not in TITLE_SMALL for w in WORD_RE.findall(text, sp.start, sp.end)) >= 2
            and not _CLAUSE_LINK_RE.search(tail)):
        # "Smith asked the Cleveland crowd "If ... why should we give her the presidency?"": a capitalised sentence
        # (not a title: two lowercase words at least) after the verb's object or an adverbial, with no verb or
        # conjunction in between, is a direct quotation, not the end of a reported clause.
        mixed = False
    if tail.rstrip().endswith(".") and text[sp.start : sp.start + 1].isupper():
        # ""Q1," Sanders said at a rally in Binghamton, N.Y. "Q2."": an abbreviation ends the sentence
        # before a capitalised quotation, which is no part of a reported clause.
        mixed = False
    return mixed


def _clause_start(ctx: str, clause_start: int, after_that: bool, starts_lower: bool) -> int:
    """Where a reported clause starts in ``ctx``, from ``clause_start`` (right after the cue, or after "that"):
    at the infinitive marker after the verb's object (``urged the dockers to "give it time"``), past times and
    places right after the verb (``said Tuesday night the plan was "Q"``)."""
    tom = _TO_END_RE.search(ctx) if starts_lower else None
    if tom is not None and tom.start() >= clause_start:
        # (not after a clause: "said he wanted to "Q"")
        obj = ctx[clause_start : tom.start()].split()
        if not obj or (len(obj) <= 3 and (obj[0][:1].isupper() or obj[0].lower() in OBJECT_LEADS)
                       and not any(w.lower() in CLAUSE_WORDS for w in obj)):
            clause_start = tom.start()
    if not after_that:
        # (unless the phrase goes on: "in an interview with CNN", "earlier in the night")
        k = clause_start
        while (am2 := CLAUSE_ADVERBIAL_RE.match(ctx, k)) is not None and ctx[am2.end() :].strip():
            k = am2.end()
        nxt = ctx[k:].split(None, 1)[0].lower() if ctx[k:].strip() else ""
        if k > clause_start and nxt[:1].isalpha() and (
                nxt == "to" or nxt not in CLAUSE_PREPS and nxt not in ("with", "of", "and", "but")):
            clause_start = k
    return clause_start
