"""Attribution after the closing mark: the speaker and cue that follow a quotation."""

from __future__ import annotations

import re

from ..article import Article
from ..lexicon import (
    AUX,
    CLAUSE_WORDS,
    INV_ALT,
    LEAD_SKIP,
    PERSONAL_PRONOUNS,
    PRONOUNS,
    VERB_ALT,
)
from ..mentions import mention_from_chunk
from ..records import Attr, Span
from ..text import WORD_RE, trim

# After a closing mark: ``, said S`` (inverted) or ``, S said`` or ``, according to S``.
AFTER_INV_RE = re.compile(
    rf"^[,\s]*(?:—\s*)?(?:(?:then|later|also)\s+)?(?P<verb>{INV_ALT})\s+(?P<spk>[^,;:!?()\"“”]{{1,120}}?)"
    rf"(?=\s*[,;:!?(\"“”]|\s*\.[\"”’)]*\s*$|\s+(?:in|at|on|during|before|after|who|when|while|to|about|of|from|last|this|via|as|"
    rf"because|adding|according|recently|earlier|later|with|outside|inside|told|said|referring)\b|\s*$)"
)
AFTER_SV_RE = re.compile(
    rf"^[,\s]*(?:—\s*)?(?P<spk>[^,;:!?()\"“”—]{{1,100}}?)(?:\s*\([^()]{{1,30}}\))?(?P<app>\s*,\s*[^;:!?\"“”]{{1,160}}?,)?\s+{AUX}{{0,3}}"
    rf"(?P<verb>{VERB_ALT})\b"
)
AFTER_ANY_VERB_RE = re.compile(
    r"^[,\s]*(?P<spk>(?:[\w’'.-]+\s+){0,4}?[\w’'.-]+)\s+(?P<verb>[a-z]{2,}ed)(?:\s+(?:back|in|up|out))?"
    r"[ \t\u00a0]*(?:[.;!]|\Z|(?P<comma>,))"
)
AFTER_ACC_RE = re.compile(
    r"^[,\s]*(?P<verb>according to)\s+(?P<spk>[^,;:!?()\"“”]{1,120}?)(?=\s*[,;:!?(]|\s*\.[\"”’)]*\s*$|\s*$)"
)
# After a closing mark, a dash and a name ending the line: ``"Q." ― Martha Aguilar`` (collections of reader voices).
AFTER_DASH_RE = re.compile(
    r"[ \t\u00a0]*[―—–-]{1,2}[ \t\u00a0]*"
    r"(?P<spk>(?:[A-Z\u00C0-\u00DE][\w.'’-]*[ \t\u00a0]+){0,4}[A-Z\u00C0-\u00DE][\w'’-]*)[ \t\u00a0.]*(?=\n|$)"
)


def attribution_after(doc: Article, sp: Span, limit: int) -> Attr | None:
    """Attribution after the closing mark, up to ``limit``: a dash and a name ending the line, else, when a comma,
    a space or a dash follows the mark, according to, quote-verb-speaker, quote-speaker-verb and an unlisted verb,
    tried in that order."""
    attr = dash_after(doc, sp)
    if attr is not None:
        return attr
    seg = doc.text[sp.close_end : limit]
    if not seg or seg[:1] not in " ,\u00a0—":
        if not (seg[:1] == "," or seg[:2].strip() == ""):
            return None
    for rule in (according_after, verb_speaker_after, speaker_verb_after, unlisted_verb_after):
        attr = rule(doc, sp, seg, limit)
        if attr is not None:
            return attr
    return None


def dash_after(doc: Article, sp: Span) -> Attr | None:
    """Dash after the quotation: ``"Q." ― Martha Aguilar`` (a name ending the line after a dash: collections of
    reader voices)."""
    pe = doc.paras[sp.para][1]
    m = AFTER_DASH_RE.match(doc.text, sp.close_end, pe if sp.close_end <= pe else len(doc.text))
    if m:
        return doc.attr("―", m.start("spk"), m.end("spk"), None, m.end())
    return None


def according_after(doc: Article, sp: Span, seg: str, limit: int) -> Attr | None:
    """According to: ``"Q," according to the report.`` (``seg``: the text from the closing mark to ``limit``)."""
    m = AFTER_ACC_RE.match(seg)
    if m:
        a0 = sp.close_end
        return doc.attr(m.group("verb"), a0 + m.start("spk"), a0 + m.end("spk"), None, limit)
    return None


def verb_speaker_after(doc: Article, sp: Span, seg: str, limit: int) -> Attr | None:
    """Quote, verb, speaker: ``"Q," said Dmitri Orlov, the union's chairman.`` / ``"Q," read one.``"""
    m = AFTER_INV_RE.match(seg)
    if m:
        text = doc.text
        cs, ce = sp.close_end + m.start("spk"), sp.close_end + m.end("spk")
        ment = mention_from_chunk(text, cs, ce, from_end=False)
        if ment is not None:
            role = ment[2]
            # "said Weaver, the campaign manager." : role after the comma, up to the sentence end.
            rest = text[ce : limit]
            rm = re.match(r"\s*,\s*([^.;:!?\"“”]{2,160}?)\s*(?:[.;!?]|$)", rest)
            if rm and role is None and not rm.group(1).split()[0].lower() in ("adding", "who", "according"):
                role = rm.group(1)
            return doc.attr(m.group("verb"), ment[0], ment[1], role, limit)
    return None


def speaker_verb_after(doc: Article, sp: Span, seg: str, limit: int) -> Attr | None:
    """Quote, speaker, verb: ``"Q," Orlov said.`` / ``"Q," Orlov, the union's chairman, told reporters.`` /
    ``"Q," it read.`` (a sign, a letter); not a new sentence after a full stop inside the marks, nor a verb that
    introduces the next quotation after a question."""
    text = doc.text
    a0 = sp.close_end
    m = AFTER_SV_RE.match(seg)
    if m and text[sp.start : sp.end].rstrip().endswith(".") and not seg.lstrip().startswith((",", "—")):
        m = None  # ""... is broken." Democratic candidates agreed": a new sentence, not "Q," S said
    if (m and text[sp.start : sp.end].rstrip().endswith(("?", "!"))
            and (re.match(r"[ \t\u00a0]*[,:][ \t\u00a0]*(?:''|[\"“„«])[ \t\u00a0]*[A-Z]", text[a0 + m.end() : a0 + m.end() + 8])
                 or re.match(r"\s+(?:[\w’'-]+\s+){0,3}that\b[^.!?]*?(?:''|[\"“„«])", text[a0 + m.end() : doc.paras[sp.para][1]]))):
        # ""Why now?" Mills then writes back, "You look cute."", ""... run!" She replied to him that it was an
        # "honor ..."": the verb introduces the next quotation or a reported clause holding one
        m = None
    if m:
        cs, ce = a0 + m.start("spk"), a0 + m.end("spk")
        ment = mention_from_chunk(text, cs, ce, from_end=True)
        if ment is None and text[cs:ce].strip().lower() == "it" and m.group("verb") in ("read", "reads"):
            # ""I am still Sanders," it read.": a sign or a message.
            ment = (*trim(text, cs, ce), None)
        if ment is not None and text[ment[0] : ment[1]].lower() in PRONOUNS and WORD_RE.search(text, cs, ment[0]):
            ment = None  # "... "Q" every time he thinks about it": a clause, not an attribution
        if ment is not None:
            ment = doc.with_appos(ment, m, a0)
            return doc.attr(m.group("verb"), ment[0], ment[1], ment[2], limit)
    return None


def unlisted_verb_after(doc: Article, sp: Span, seg: str, limit: int) -> Attr | None:
    """Unlisted verb after the quotation: ``"Q," an angry Hollande retaliated.`` / ``"Q?" Hannity pressed.`` /
    ``"Quiet," he demanded, as ...``: after a quotation ending with a comma, ``?`` or ``!``, a mention and a
    past-tense verb outside the cue list that close the sentence (before a comma: a lone pronoun only; never a
    subordinate clause such as ``as his father dreamed``)."""
    text = doc.text
    if text[sp.start : sp.end].rstrip()[-1:] not in (",", "?", "!"):
        return None
    # (not the noun phrase "the bespectacled, 71-year-old diplomat", nor "He answered, "Q2"")
    m = AFTER_ANY_VERB_RE.match(seg)
    if m:
        a0 = sp.close_end
        cs, ce = a0 + m.start("spk"), a0 + m.end("spk")
        ment = mention_from_chunk(text, cs, ce, from_end=True)
        words = text[cs:ce].lower().split()
        ok = ment is not None and not any(w in CLAUSE_WORDS for w in words) and words[0] not in LEAD_SKIP
        if ok and m.group("comma"):
            ok = (len(words) == 1 and words[0] in PERSONAL_PRONOUNS
                  and not re.match(r"\s*(?:''|[\"“„«])", text[a0 + m.end() : a0 + m.end() + 4]))
        if ok:
            return doc.attr(m.group("verb"), ment[0], ment[1], ment[2], limit)
    return None
