"""Attribution before the opening mark: the speaker and cue that introduce a quotation."""

from __future__ import annotations

import re

from ..article import Article
from ..cues import AUX_END_RE, VERB_ANY_RE
from ..lexicon import (
    AUX,
    DETERMINERS,
    ING_SPEECH,
    OPENING_PREPS,
    PRONOUNS,
    VERB_ALT,
    alternation,
)
from ..mentions import SENT_SUBJECT_RE, mention_from_chunk, normalize_role
from ..records import Attr, Span
from .clauses import reported_clause

# Before an opening mark.
BEFORE_COLON_RE = re.compile(r"(?P<spk>[^,:;.!?\"“”()]{1,80}?)(?:\s*,\s*(?P<role>[^:;!?\"“”]{1,160}?))?\s*:\s*$")
BEFORE_ACC_RE = re.compile(r"\b(?P<verb>[Aa]ccording to)\s+(?P<spk>[^,;:!?\"“”]{1,120}?)\s*,\s*$")
BEFORE_VERB_RE = re.compile(
    rf"(?P<head>.*?)(?P<app>,\s*[^,;:!?\"“”]{{1,160}}?,)?\s+{AUX}{{0,3}}(?P<verb>{VERB_ALT})\b"
    rf"(?P<tail>[^\"“”„«]*)$",
    re.S,
)
TAIL_PARTICIPLE_RE = re.compile(
    rf"(?:,|\bbefore|\bthen|\band)\s+({alternation(ING_SPEECH)})\b[^.!?]*$"
)
WHO_RE = re.compile(r"\s*(who)\s*")


def attribution_before(doc: Article, sp: Span, ctx_start: int) -> tuple[Attr | None, bool, int]:
    """Attribution before the opening mark, in the context ``text[ctx_start:open mark]``: according to, speaker and
    verb, transcript line, tried in that order. Returns (attr, mixed, clause start): ``mixed`` when the quotation
    continues a reported clause begun after the cue ("S said the plan was "a disaster""), which then starts at the
    clause start (after the cue and a "that" following it), else -1."""
    ctx = doc.text[ctx_start : sp.open_pos]
    if not ctx.strip():
        return None, False, -1
    attr = according_before(doc, ctx, ctx_start)
    if attr is not None:
        return attr, False, -1
    m = BEFORE_VERB_RE.match(ctx)
    if m:
        found = verb_before(doc, sp, ctx, ctx_start, m)
        if found is not None:
            return found
    return transcript_line(doc, ctx, ctx_start), False, -1


def according_before(doc: Article, ctx: str, ctx_start: int) -> Attr | None:
    """According to: ``According to Orlov, "Q"``."""
    m = BEFORE_ACC_RE.search(ctx)
    if m:
        return doc.attr(m.group("verb"), ctx_start + m.start("spk"), ctx_start + m.end("spk"), None)
    return None


def verb_before(doc: Article, sp: Span, ctx: str, ctx_start: int, m: re.Match) -> tuple[Attr, bool, int] | None:
    """Speaker, verb, colon or comma: ``Castagna said: "Q"`` / ``He added, "Q"`` / ``Clinton claimed victory in a
    tweet, saying: "Q"``; a participle after the verb is the cue of the quotation it introduces (``"Q1," Trump said
    before adding: "Q2"``). Returns (attr, mixed, clause start) as :func:`attribution_before`, or None when the
    verb has no subject to read. ``m``: the ``BEFORE_VERB_RE`` match of ``ctx``."""
    m = _last_cue_verb(doc, ctx, ctx_start, m)
    tail = m.group("tail")
    verb = m.group("verb")
    verb_end = m.end("verb")
    pm = TAIL_PARTICIPLE_RE.search(tail)
    if pm is not None:
        # ""Q1," Trump said before adding: "Q2"": the participle is the cue of this quotation.
        verb = pm.group(1)
        verb_end = m.start("tail") + pm.end(1)
    mixed, clause_start = reported_clause(doc, sp, ctx, ctx_start, m, verb_end)
    ment = _verb_subject(doc, sp, ctx_start, m)
    if ment is None:
        return None
    return doc.attr(verb, ment[0], ment[1], ment[2]), mixed, clause_start


def _last_cue_verb(doc: Article, ctx: str, ctx_start: int, m: re.Match) -> re.Match:
    """The match of the last cue verb of ``ctx`` with a subject of its own ("While not everything Trump says is
    true, Jamieson said Trump is "Q"": *said*, not *says*), else ``m``, the first."""
    last = None
    for vm in VERB_ANY_RE.finditer(ctx, m.end("verb")):
        last = vm
    if last is not None:
        k = doc.subject_start(ctx_start, ctx_start + last.start()) - ctx_start
        if k > m.start("verb") and ctx[k : last.start()].strip():
            m2 = BEFORE_VERB_RE.match(ctx, k)
            if m2 is not None and m2.start("verb") == last.start():
                hs, he = ctx_start + m2.start("head"), ctx_start + m2.end("head")
                # ""Q1," said Beck, who said there were "Q2"": the relative pronoun is the subject.
                if doc.subject(hs, he) is not None or WHO_RE.fullmatch(doc.text, hs, he):
                    return m2
    return m


def _verb_subject(doc: Article, sp: Span, ctx_start: int, m: re.Match) -> tuple[int, int, str | None] | None:
    """The mention of the subject of the cue verb of ``m``: right before the verb (an apposition applied, a
    relative "who" included), after an opening phrase, else the subject of the sentence; None when none reads."""
    text = doc.text
    head_end = ctx_start + (m.start("app") if m.group("app") else m.end("head"))
    head_start = ctx_start + m.start("head")
    ment = doc.subject(head_start, head_end)
    wm = WHO_RE.fullmatch(text, doc.subject_start(head_start, head_end), head_end) if ment is None else None
    if wm is not None:
        ment = (wm.start(1), wm.end(1), None)
    if m.group("app") and text[head_start:head_end].split(" ", 1)[0] in OPENING_PREPS:
        # "During a speech on Monday, Trump attacked Clinton, saying "Q"": the opening phrase is no subject;
        # the participle's subject is the subject of the clause after it.
        a_s = ctx_start + m.start("app") + 1
        sm = SENT_SUBJECT_RE.match(text, a_s, ctx_start + m.end("app"))
        inner = mention_from_chunk(text, sm.start(1), sm.end(1), from_end=True) if sm else None
        if inner is not None:
            return inner
    if ment is not None:
        return doc.with_appos(ment, m, ctx_start)
    # No subject right before the verb: a relative clause or a verb phrase stands between ("Trump, who is
    # battling Carson, has picked up on the criticism, telling ABC that ..."), or the context starts after an
    # earlier quotation of the sentence (""Q1," and then tweeted that she was "Q2""): the verb's subject is
    # the sentence's subject, as for a participle.
    fs = doc.ctx_start(sp, doc.paras[sp.para][0])
    he = ctx_start + m.start("verb")
    am = AUX_END_RE.search(text, fs, he)
    if am:
        he = am.start()
    ment = doc.subject(fs, he) if he > fs else None
    if ment is not None and text[ment[0] : ment[1]].lower() != "who":
        return ment
    return None


def transcript_line(doc: Article, ctx: str, ctx_start: int) -> Attr | None:
    """Transcript line: ``Sergey Lavrov, Foreign Minister of Russia: "Q"`` / ``Weller: "Q"`` / ``Hale was blunt:
    "Q"``; with a determiner before the mention, the name is in the apposition (``Its chief executive, Richard
    Hale, was blunt: "Q"``)."""
    text = doc.text
    m = BEFORE_COLON_RE.search(ctx) if ctx.rstrip().endswith(":") else None  # (the pattern ends with ":")
    if m:
        cs, ce = ctx_start + m.start("spk"), ctx_start + m.end("spk")
        ment = mention_from_chunk(text, cs, ce, from_end=True)
        if ment is not None and (text[ment[0]].isupper() or text[ment[0]:ment[1]].lower() in PRONOUNS
                                 or text[ment[0]:ment[1]].split()[0].lower() in DETERMINERS):
            role = m.group("role") or ment[2]
            head = text[ment[0] : ment[1]]
            if m.group("role") and head.split()[0].lower() in DETERMINERS:
                rs = ctx_start + m.start("role")
                first = m.group("role").split(",")[0]
                inner = mention_from_chunk(text, rs, rs + len(first), from_end=True)
                if inner is not None and text[inner[0]].isupper():
                    return doc.attr(":", inner[0], inner[1], normalize_role(head))
            return doc.attr(":", ment[0], ment[1], role)
    return None
