"""Reported speech in sentences without quotation marks: ``S said (that) Q``, ``Q, S said``, ``Q, said S`` and
``according to S, Q``."""

from __future__ import annotations

import bisect
import re

from ..article import Article
from ..cues import IND_ANY_RE
from ..lexicon import (
    AUX,
    CLAUSE_PREPS,
    DETERMINERS,
    IND_ALT,
    IND_MAXLEN,
    INV_ALT,
    WEAK_VERBS,
)
from ..mentions import mention_from_chunk
from ..records import Quote, Span
from ..text import tail_start, trim

# Indirect speech in a sentence without quotation marks.
IND_THAT_RE = re.compile(
    rf"^(?P<head>.*?)(?P<app>,\s*[^,;:!?]{{1,160}}?,)?\s+{AUX}{{0,3}}(?P<verb>{IND_ALT})\b"
    rf"(?P<obj>\s+(?:(?:reporters|journalists|the\s+\w+|an?\s+\w+(?:\s+\w+)?|[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*|him|her|"
    rf"them|us|me|CNN|Fox|[A-Z][\w.&-]*['’]s\s+[\"“][^\"“”]{{1,60}}[\"”])\s+))?"
    rf"(?:(?:on|in|at|last|this|during|earlier|late)\s+[^,]{{1,40}}?\s+)?(?:\s*(?P<that>that)\b)?\s*(?P<clause>.{{12,}})$",
    re.S,
)
IND_TRAIL_RE = re.compile(
    rf"^(?P<clause>.{{12,}}?)\s*,\s*(?P<spk>[^,;:!?\"“”]{{1,100}}?)(?P<app>\s*,\s*[^,;:!?]{{1,120}},)?\s+{AUX}{{0,2}}"
    rf"(?P<verb>{IND_ALT})(?P<rest>\b(?!\s+(?:that|to|if|whether)\b)[^,;]{{0,40}})?[.!?]?[\"”’)]*\s*$",
    re.S,
)
IND_TRAIL_INV_RE = re.compile(
    rf"^(?P<clause>.{{12,}}?)\s*,\s*(?P<verb>{INV_ALT})\s+(?P<spk>[^,;:!?\"“”]{{1,100}}?)"
    rf"(?P<app>\s*,\s*[^;:!?]{{1,120}})?[.!?]?[\"”’)]*\s*$",
    re.S,
)
IND_ACC_FRONT_RE = re.compile(r"^\s*(?P<verb>[Aa]ccording to)\s+(?P<spk>[^,;:!?]{1,120}?)\s*,\s*(?P<clause>.{8,})$", re.S)
IND_ACC_BACK_RE = re.compile(
    r"^(?P<clause>.{8,}?)\s*,\s*(?P<verb>according to)\s+(?P<spk>[^,;:!?]{1,120}?)[.!?]?[\"”’)]*\s*$", re.S
)


def indirect_speech(doc: Article, spans: list[Span]) -> list[Quote]:
    """Indirect speech: ``Orlov said that Q.`` / ``Q, officials said.`` / ``Q, said the spokesman.`` /
    ``According to Orlov, Q.`` in the sentences without quotation marks (titles excepted)."""
    text = doc.text
    cues = [m.start() for m in IND_ANY_RE.finditer(text)]  # offsets of every cue word of the article
    marked = [(sp.open_pos, max(sp.close_end, sp.end)) for sp in spans]
    out: list[Quote] = []
    mi = 0
    for pi, (ps, pe) in enumerate(doc.paras):
        k = bisect.bisect_left(cues, ps)
        if k >= len(cues) or cues[k] >= pe:
            continue  # no cue in the paragraph: no sentence of it holds reported speech
        for ss, se in doc.para_sentences(pi):
            while mi < len(marked) and marked[mi][1] <= ss:
                mi += 1
            if mi < len(marked) and marked[mi][0] < se:
                continue  # the sentence holds a quotation mark: handled by the quotation pass
            q = _indirect_sentence(doc, cues, ss, se, pi)
            if q is not None:
                out.append(q)
    return out


def _indirect_sentence(doc: Article, cue_pos: list[int], ss: int, se: int, pi: int) -> Quote | None:
    """Indirect speech in the sentence ``text[ss:se]`` of paragraph ``pi``: ``According to Orlov, Q.`` /
    ``Q, according to the report.`` / ``Q, said the spokesman.`` / ``Q, officials said.`` / ``Orlov said that Q.``,
    tried in that order (``cue_pos``: the offsets of the cue words of the article)."""
    text = doc.text
    k = bisect.bisect_left(cue_pos, ss)
    if k >= len(cue_pos) or cue_pos[k] >= se:
        return None  # no speech verb and no "according to": nothing to find (the common case, kept cheap)
    sent = text[ss:se]
    if "ccording to" in sent:
        m = IND_ACC_FRONT_RE.match(sent)
        if m:
            return ind_quote(doc, ss, m, "spk", pi, from_end=True, front_acc=True)
        m = IND_ACC_BACK_RE.match(sent)
        if m:
            return ind_quote(doc, ss, m, "spk", pi, from_end=True)
    m = IND_TRAIL_INV_RE.match(sent)
    if m and m.group("verb") not in WEAK_VERBS:
        q = ind_quote(doc, ss, m, "spk", pi, from_end=False)
        if q is not None:
            return q
    # "Q, S said.": the verb is a cue word at most 40 characters (and final punctuation) before the end, so the
    # (slow) pattern is tried only when the last cue word of the sentence is that close.
    last_cue = cue_pos[bisect.bisect_left(cue_pos, se) - 1]
    m = IND_TRAIL_RE.match(sent) if tail_start(text, ss, se) - last_cue <= 40 + IND_MAXLEN else None
    if m and m.group("verb") not in WEAK_VERBS:
        q = ind_quote(doc, ss, m, "spk", pi, from_end=True)
        if q is not None:
            return q
    m = IND_THAT_RE.match(sent)
    if m and (m.group("that") or m.group("verb") in ("said", "says", "told", "tells", "added", "adds")):
        if m.group("verb") in WEAK_VERBS and not m.group("that"):
            return None
        head_start, head_end = ss + m.start("head"), ss + (m.start("app") if m.group("app") else m.end("head"))
        ment = doc.subject(head_start, head_end)
        if ment is None:
            return None
        cs, ce = trim(text, ss + m.start("clause"), ss + m.end("clause"))
        ce = strip_final(doc, cs, ce)
        first = text[cs : cs + 12].split(" ", 1)[0].lower()
        if not m.group("that") and (first in CLAUSE_PREPS or first in DETERMINERS and first != "the"):
            return None  # "said at a news conference", "said in a statement": no reported clause
        ment = doc.with_appos(ment, m, ss)
        attr = doc.attr(m.group("verb"), ment[0], ment[1], ment[2])
        if attr is None or ce <= cs:
            return None
        return Quote(text[cs:ce], cs, ce, attr.speaker, attr.s_start, attr.s_end, attr.role, attr.cue, False, pi)
    return None


def strip_final(doc: Article, cs: int, ce: int) -> int:
    """``ce`` moved back before final punctuation and spaces of ``text[cs:ce]``."""
    while ce > cs and doc.text[ce - 1] in ".!?,;: ":
        ce -= 1
    return ce


def ind_quote(doc: Article, ss: int, m: re.Match, grp: str, pi: int, from_end: bool, front_acc: bool = False
               ) -> Quote | None:
    """The reported clause (group ``clause`` of ``m``, a match in the sentence starting at ``ss``) as an indirect
    quotation, attributed to the mention in group ``grp``; None when no mention reads."""
    text = doc.text
    s0, s1 = ss + m.start(grp), ss + m.end(grp)
    ment = mention_from_chunk(text, s0, s1, from_end=from_end)
    if ment is None:
        return None
    if "app" in m.re.groupindex:
        ment = doc.with_appos(ment, m, ss)
    role = ment[2]
    cs, ce = trim(text, ss + m.start("clause"), ss + m.end("clause"))
    ce = strip_final(doc, cs, ce)
    if ce <= cs:
        return None
    attr = doc.attr(m.group("verb"), ment[0], ment[1], role)
    if attr is None:
        return None
    return Quote(text[cs:ce], cs, ce, attr.speaker, attr.s_start, attr.s_end, attr.role, attr.cue, False, pi)
