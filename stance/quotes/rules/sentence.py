"""Cues elsewhere in the quotation's own sentence: a cue verb earlier in it, the object of a naming verb, an
infinitive complement, a colon after a clause, a transcript label inside the quotation."""

from __future__ import annotations

import re

from ..article import Article
from ..cues import PARTIAL_CUE_RE
from ..lexicon import (
    DETERMINERS,
    LABEL_VERBS,
    PERSONAL_PRONOUNS,
    SPEECH_VERBS,
    WEAK_VERBS,
    alternation,
)
from ..mentions import SENT_SUBJECT_RE, mention_from_chunk
from ..records import Attr, Span
from ..text import WORD_RE

# A transcript label opening a quotation: ``"PENCE: Well, the question ..."``.
LABEL_IN_QUOTE_RE = re.compile(r"(?P<spk>[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,2}):\s")
NEW_SENTENCE_RE = re.compile(r"[ \u00a0]+[A-Z\"“]")
# A naming verb and its object right before a quotation: "called it", "calling Merkel", "dubbed him" (not a
# possessive: "what he called Machado's "sex tape"" names a thing, it predicates nothing).
SMALL_CLAUSE_RE = re.compile(
    r"\b(?P<verb>call(?:s|ed|ing)?|dub(?:s|bed|bing)|label(?:s|ed|led|ing|ling)|brand(?:s|ed|ing)|term(?:s|ed|ing)|"
    r"pronounc(?:es|ed|ing))\s+(?P<obj>(?:it|him|her|them|this|that|himself|herself|themselves)|"
    r"[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,2})(?:\s+(?:a|an|the))?[ \u00a0]*\Z"
)
# A cue verb, at most three words, and the infinitive marker right before a quotation ("pledging to "Q"").
TO_COMPLEMENT_RE = re.compile(
    rf"\b(?P<verb>{alternation(set(LABEL_VERBS) | set(SPEECH_VERBS) - WEAK_VERBS)})"
    r"(?:\s+[\w’'-]+){0,3}?\s+(?P<obj>to)[ \u00a0]*\Z"
)


def partial_attr(doc: Article, sp: Span) -> Attr | None:
    """Cue verb earlier in the sentence: ``whom Beck on Wednesday called "a horrible, despicable human being."`` /
    ``calling him "a disgrace ..."``: a quotation with no attribution form of its own takes the last cue verb of its
    sentence (speech verbs plus *called, dubbed, labeled, chanting, ...*), when at most three words stand between
    verb and mark and the quotation ends its clause (also with a full stop inside the marks and a new sentence right
    after them: ``calling them "corporate welfare." Rubio has ...``); the speaker is the verb's subject, or, when
    that cannot be read, the person named last before. None when there is no such cue."""
    text = doc.text
    cs = doc.ctx_start(sp, doc.paras[sp.para][0])
    last = None
    for m in PARTIAL_CUE_RE.finditer(text, cs, sp.open_pos):
        last = m
    if last is None:
        return None
    # PolNeAR's direct quotation is mostly quoted: the quotation must be the whole complement of the cue (at
    # most a short object between them) and end its clause.
    if len(WORD_RE.findall(text, last.end(), sp.open_pos)) > 3:
        return None
    after = text[sp.close_end : sp.close_end + 3]
    if after.strip() and not re.match(r"[\s,.;:!?)—–-]*(?:$|\n|[.;!?]|,|\s[—–-])", after):
        # ""calling them "corporate welfare." Rubio has ..."": a full stop inside the marks ends the clause
        # when a new sentence starts after them (the object, if any, a pronoun or a name: not "calling the plan
        # "Q."", where the plan's own label is quoted).
        obj = WORD_RE.findall(text, last.end(), sp.open_pos)
        if not (text[sp.start : sp.end].rstrip().endswith((".", "!", "?")) and NEW_SENTENCE_RE.match(text, sp.close_end)
                and (not obj or obj[0].lower() not in DETERMINERS)):
            return None
    ment = doc.verb_subject(cs, last.start())
    if ment is None:
        # The cue is there but its subject is not a mention we can read ("the prince called for ..., calling
        # him "Q""): the quotation stands, with the person named last before it as the speaker.
        guess = doc.nearby_person(sp)
        return Attr(guess.name if guess else None, None, None, guess.role if guess else None,
                     last.group().lower(), -1)
    return doc.attr(last.group(), ment[0], ment[1], ment[2])


def small_clause(doc: Article, sp: Span) -> tuple[int, Attr] | None:
    """Object of a naming verb: ``He called it "shameful"`` / ``calling her "the champion working families
    need"``; infinitive complement: ``pledging to "bomb the hell out of ISIS."`` / ``urged the dockers to "give it
    time."``. Returns the start of the object (or of *to*) and the attribution (the verb's subject) when the
    quotation ends its clause; else None."""
    text = doc.text
    if not sp.closed or sp.indirect or text[sp.open_pos : sp.start].strip("\"“”„«»‹›' \u00a0") != "":
        return None
    lo = max(doc.paras[sp.para][0], sp.open_pos - 60)
    m = SMALL_CLAUSE_RE.search(text, lo, sp.open_pos)
    if m is None:
        # "pledging to "bomb the hell out of ISIS."", "urging them to "give him time."": the infinitive marker
        # belongs to the quoted complement of a cue verb.
        if not text[sp.start : sp.start + 1].islower() or not text[lo : sp.open_pos].rstrip().endswith("to"):
            return None
        m = TO_COMPLEMENT_RE.search(text, lo, sp.open_pos)
        if m is None:
            return None
    attr = partial_attr(doc, sp)
    if attr is None or attr.cue != m.group("verb").lower():
        return None
    return m.start("obj"), attr


def after_colon(doc: Article, sp: Span) -> bool:
    """Whether a colon (in the quotation's paragraph) stands right before the opening mark."""
    k = sp.open_pos
    ps = doc.paras[sp.para][0]
    while k > ps and doc.text[k - 1] in " \t\u00a0":
        k -= 1
    return k > ps and doc.text[k - 1] == ":"


def colon_attr(doc: Article, sp: Span) -> Attr | None:
    """Colon after a clause: ``Asked which county was his favorite, he demurred: "Q"`` / ``Trump ..., then
    leaned in and boomed: "Q"``: the speaker is the subject of the clause before the colon, else of the sentence (a
    capitalised subject only when it names a known person), else the person named last."""
    text = doc.text
    cs = doc.ctx_start(sp, doc.paras[sp.para][0])
    colon = text.rindex(":", cs, sp.open_pos)
    # The subject of the clause before the colon ("Asked ..., he demurred:"), else of the sentence ("Trump
    # gestured ..., then leaned in and boomed:"); a capitalised word counts only when it names a known person.
    ment = None
    for k in (text.rfind(", ", cs, colon) + 2, cs):
        sm = SENT_SUBJECT_RE.match(text, max(k, cs), colon)
        if sm is None:
            continue
        m = mention_from_chunk(text, sm.start(1), sm.end(1), from_end=True)
        if m is not None:
            w = text[m[0] : m[1]]
            if w.lower() in PERSONAL_PRONOUNS or w.split()[-1] in doc.people.by_last:
                ment = m
                break
    if ment is not None:
        return doc.attr(":", ment[0], ment[1], ment[2])
    guess = doc.nearby_person(sp)
    return Attr(guess.name if guess else None, None, None, guess.role if guess else None, ":", -1)
