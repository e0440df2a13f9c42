"""Attribution before the opening mark: the speaker and cue that introduce a quotation."""

from __future__ import annotations

import re

from ..article import Article
from ..cues import AUX_END_RE, PARTIAL_CUE_RE, VERB_ANY_RE
from ..lexicon import (
    AUX,
    CLAUSE_PREPS,
    CLAUSE_WORDS,
    DETERMINERS,
    ING_SPEECH,
    NOUN_DETERMINERS,
    OBJECT_LEADS,
    OPENING_PREPS,
    PRONOUNS,
    TITLE_SMALL,
    VERB_ALT,
    alternation,
)
from ..mentions import SENT_SUBJECT_RE, mention_from_chunk, normalize_role
from ..records import Attr, Span
from ..text import WORD_RE
from .clauses import CLAUSE_ADVERBIAL_RE, PREV_WORD_RE, SKIP_PUNCT_RE, THAT_LEAD_RE

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
    """Attribution before the opening mark. Returns (attr, mixed, clause start): ``mixed`` when the quotation
    continues a reported clause begun after the cue ("S said the plan was "a disaster""), which then starts
    at the clause start (after the cue and a "that" following it), else -1."""
    text = doc.text
    ctx = text[ctx_start : sp.open_pos]
    if not ctx.strip():
        return None, False, -1
    m = BEFORE_ACC_RE.search(ctx)
    if m:
        return doc.attr(m.group("verb"), ctx_start + m.start("spk"), ctx_start + m.end("spk"), None), False, -1
    m = BEFORE_VERB_RE.match(ctx)
    if m:
        # "While not everything Trump says is true, Jamieson said Trump is "Q"": the last cue verb with a
        # subject of its own is the cue, not the first.
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
                    if doc.subject(hs, he) is not None or WHO_RE.fullmatch(text, hs, he):
                        m = m2
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
                and not re.search(r"\b(?:that|if|whether|how|what|why|when|who|where|is|are|was|were|be|been|has|have|had|would|will)\b", tail)):
            # "Smith asked the Cleveland crowd "If ... why should we give her the presidency?"": a capitalised sentence
            # (not a title: two lowercase words at least) after the verb's object or an adverbial, with no verb or
            # conjunction in between, is a direct quotation, not the end of a reported clause.
            mixed = False
        if tail.rstrip().endswith(".") and text[sp.start : sp.start + 1].isupper():
            # ""Q1," Sanders said at a rally in Binghamton, N.Y. "Q2."": an abbreviation ends the sentence
            # before a capitalised quotation, which is no part of a reported clause.
            mixed = False
        head_end = ctx_start + (m.start("app") if m.group("app") else m.end("head"))
        head_start = ctx_start + m.start("head")
        verb = m.group("verb")
        verb_end = m.end("verb")
        pm = TAIL_PARTICIPLE_RE.search(tail)
        if pm is not None:
            # ""Q1," Trump said before adding: "Q2"": the participle is the cue of this quotation.
            verb = pm.group(1)
            verb_end = m.start("tail") + pm.end(1)
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
        tom = re.search(r"\bto[ \u00a0]*\Z", ctx) if mixed and starts_lower else None
        if tom is not None and tom.start() >= clause_start:
            # "urged the dockers to "give it time"": after the verb's object, the complement starts at "to"
            # (not after a clause: "said he wanted to "Q"").
            obj = ctx[clause_start : tom.start()].split()
            if not obj or (len(obj) <= 3 and (obj[0][:1].isupper() or obj[0].lower() in OBJECT_LEADS)
                           and not any(w.lower() in CLAUSE_WORDS for w in obj)):
                clause_start = tom.start()
        if mixed and tm is None:
            # "promised Sunday at a Las Vegas rally to end "Q"", "said Tuesday night the plan was "Q"": times and
            # places right after the verb are no part of the reported clause (unless the phrase goes on: "in an
            # interview with CNN", "earlier in the night").
            k = clause_start
            while (am2 := CLAUSE_ADVERBIAL_RE.match(ctx, k)) is not None and ctx[am2.end() :].strip():
                k = am2.end()
            nxt = ctx[k:].split(None, 1)[0].lower() if ctx[k:].strip() else ""
            if k > clause_start and nxt[:1].isalpha() and (
                    nxt == "to" or nxt not in CLAUSE_PREPS and nxt not in ("with", "of", "and", "but")):
                clause_start = k
        clause_start = ctx_start + clause_start if mixed else -1
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
                return doc.attr(verb, inner[0], inner[1], inner[2]), mixed, clause_start
        if ment is not None:
            ment = doc.with_appos(ment, m, ctx_start)
            return doc.attr(verb, ment[0], ment[1], ment[2]), mixed, clause_start
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
            return doc.attr(verb, ment[0], ment[1], ment[2]), mixed, clause_start
    m = BEFORE_COLON_RE.search(ctx) if ctx.rstrip().endswith(":") else None  # (the pattern ends with ":")
    if m:
        cs, ce = ctx_start + m.start("spk"), ctx_start + m.end("spk")
        ment = mention_from_chunk(text, cs, ce, from_end=True)
        if ment is not None and (text[ment[0]].isupper() or text[ment[0]:ment[1]].lower() in PRONOUNS
                                 or text[ment[0]:ment[1]].split()[0].lower() in DETERMINERS):
            role = m.group("role") or ment[2]
            head = text[ment[0] : ment[1]]
            if m.group("role") and head.split()[0].lower() in DETERMINERS:
                # "Its chief executive, Richard Hale, was blunt: "Q"": the name is in the apposition.
                rs = ctx_start + m.start("role")
                first = m.group("role").split(",")[0]
                inner = mention_from_chunk(text, rs, rs + len(first), from_end=True)
                if inner is not None and text[inner[0]].isupper():
                    return doc.attr(":", inner[0], inner[1], normalize_role(head)), False, -1
            return doc.attr(":", ment[0], ment[1], role), False, -1
    return None, False, -1
