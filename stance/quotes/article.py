"""One article under extraction: its text, paragraphs and people, the per-article caches, and what every rule asks
of it (the context before a quotation, a verb's subject, an attribution resolved to a person)."""

from __future__ import annotations

import bisect
import re

from .cues import AUX_END_RE
from .lexicon import DETERMINERS, OPENING_PREPS, PRONOUNS
from .mentions import SENT_SUBJECT_RE, mention_from_chunk, normalize_role, role_like
from .people import People
from .records import Attr, Person, Span
from .text import (
    BOUNDARY_RE,
    LETTER_RE,
    NON_LATIN_LETTER_RE,
    first_sentence_end,
    is_abbrev_end,
    paragraphs,
    sentence_spans,
)

# The longest reach from a quotation to the start of its sentence (or the end of the next one), in characters:
# PolNeAR's longest is 406.
MAX_CONTEXT = 1000
# The longest sentence the rules that read a whole sentence take (PolNeAR's longest is 979 characters): longer is
# text without sentence ends, where reading it for every quotation in it would take quadratic time.
MAX_SENTENCE = 2 * MAX_CONTEXT


class Article:
    """The state of one extraction: text, paragraphs, warnings, people, and caches that live as long as the
    article."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.warnings: list[str] = []
        self.paras = paragraphs(text)
        self.people = People(text)
        self._sentences: dict[int, list[tuple[int, int]]] = {}  # sentences of a paragraph, computed on demand
        self._abbrev_ends: dict[int, bool] = {}  # is_abbrev_end per period offset
        self._ctx_starts: dict[tuple[int, int], int] = {}  # ctx_start per (opening mark, lower bound)
        self.title_ends: list[int] = []  # offsets after the closing mark of each title ("NBC's "Today"")
        self.close_ends: set[int] = set()  # offsets after the closing mark of each quotation or title

    def abbrev(self, dot: int) -> bool:
        """:func:`is_abbrev_end` for this text, computed once per period."""
        r = self._abbrev_ends.get(dot)
        if r is None:
            r = self._abbrev_ends[dot] = is_abbrev_end(self.text, dot)
        return r

    def para_sentences(self, pi: int) -> list[tuple[int, int]]:
        """The sentences of paragraph ``pi`` (:func:`sentence_spans`), computed once."""
        sents = self._sentences.get(pi)
        if sents is None:
            sents = self._sentences[pi] = sentence_spans(self.text, *self.paras[pi], self.abbrev)
        return sents

    def ctx_start(self, sp: Span, prev_end: int) -> int:
        """Start of the text before a quotation that may hold its cue: the sentence start, at most back to the
        previous quotation, the paragraph start and :data:`MAX_CONTEXT` characters (computed once per quotation and
        bound)."""
        ps = self.paras[sp.para][0]
        # The cap keeps every quotation's work bounded, so text without sentence ends stays linear in time.
        lo = max(ps, prev_end, sp.open_pos - MAX_CONTEXT)
        key = (sp.open_pos, lo)
        r = self._ctx_starts.get(key)
        if r is None:
            r = self._ctx_starts[key] = self._ctx_start_uncached(sp, lo)
        return r

    def _ctx_start_uncached(self, sp: Span, lo: int) -> int:
        """:meth:`ctx_start` with its lower bound ``lo`` computed."""
        if sp.open_pos <= lo:
            return sp.open_pos
        chunk = self.text[lo : sp.open_pos]
        best = lo
        for m in BOUNDARY_RE.finditer(chunk):
            dot = lo + m.start()
            # A period after an abbreviation or an initial ("U.S. approach", "Lisa M. Madigan") ends no sentence.
            if self.text[dot] == "." and self.abbrev(dot):
                continue
            if self.text[dot : dot + 2] == ".)" and "(" in self.text[max(lo, dot - 12) : dot]:
                continue  # a party tag: "Harry M. Reid (D-Nev.) told reporters"
            best = lo + m.end()
        return best

    def after_limit(self, sp: Span, next_open: int) -> int:
        """Where the text after a quotation that may hold its attribution ends: the end of the first sentence
        after the closing mark, at most the next opening mark, the end of the paragraph and :data:`MAX_CONTEXT`
        characters."""
        pe = self.paras[sp.para][1]
        if sp.close_end > pe:  # a multi-paragraph quotation: the closing mark is in a later paragraph
            for ps, pe2 in self.paras:
                if ps <= sp.close_end <= pe2:
                    pe = pe2
                    break
        lim = min(pe, next_open) if next_open > sp.close_end else pe
        lim = min(lim, sp.close_end + MAX_CONTEXT)
        e = first_sentence_end(self.text, sp.close_end, lim, self.abbrev)
        return lim if e is None else e

    def subject(self, start: int, end: int) -> tuple[int, int, str | None] | None:
        """The speaker mention of a verb whose subject ends at ``end``, the sentence starting at ``start``.

        "Silverman was joined by Al Franken and joked" and "Trump wrote, saying" take the sentence's subject."""
        text = self.text
        head = text[start:end].rstrip()
        if start + len(head) in self.close_ends and head.rstrip("\"”’»").endswith(","):
            # "Kerpen needled the CNN "reporter," saying", "Trump, on NBC's "Meet the Press," said": the quoted
            # words close a phrase after the subject.
            head = head.rstrip("\"”’»")
        if head.endswith((" and", " but", ",")) or not head:
            # "During a speech on Monday, Trump attacked Clinton, saying": the subject follows the opening phrase.
            fw = head.split(" ", 1)[0]
            if fw in OPENING_PREPS:
                k = head.find(", ")
                if 0 < k < len(head) - 2:
                    start += k + 2
            m = SENT_SUBJECT_RE.match(text, start, end)
            if m is None:
                return None
            return mention_from_chunk(text, start + m.start(1) - start, start + m.end(1) - start, from_end=True)
        return mention_from_chunk(text, self.subject_start(start, end), end, from_end=True)

    def verb_subject(self, start: int, verb_start: int) -> tuple[int, int, str | None] | None:
        """:meth:`subject` of the verb at ``verb_start``, auxiliaries and adverbs before it ("has also said")
        left out."""
        he = verb_start
        am = AUX_END_RE.search(self.text, start, he)
        if am:
            he = am.start()
        return self.subject(start, he)

    def subject_start(self, start: int, end: int) -> int:
        """Where the subject before a verb at ``end`` begins: after the last sentence end, comma, semicolon or
        conjunction in ``text[start:end]``."""
        head = self.text[start:end]
        best = 0
        for sep in (". ", ", ", "; ", " and ", " but ", " as ", " when ", " where ", " while ", ": ", " — ", " after ",
                    " before ", " because ", " since ", " until ", " although ", " though "):
            k = head.rfind(sep)
            if k >= 0 and k + len(sep) > best:
                best = k + len(sep)
        # A title ("Speaking on ABC's "This Week," Sanders said") ends the phrase before the subject.
        i = bisect.bisect_right(self.title_ends, end) - 1
        if i >= 0 and self.title_ends[i] > start + best:
            best = self.title_ends[i] - start
        return start + best

    def attr(self, cue: str, s: int, e: int, role: str | None, end: int = -1) -> Attr | None:
        """The attribution with cue ``cue`` to the mention ``text[s:e]``, resolved to a person (None when the
        mention is empty); ``end``: where the attribution clause after a quotation ends."""
        if e <= s:
            return None
        # Role from an appositive or title; the person registry keeps it for later mentions.
        role = normalize_role(role)
        name, prole = self.people.resolve(s, e, role)
        return Attr(name, s, e, role or prole, cue.lower() if cue else cue, end)

    def with_appos(self, ment: tuple[int, int, str | None], m: re.Match, base: int) -> tuple[int, int, str | None]:
        """Apply an apposition (group ``app`` of ``m``): "Smith, the mayor, said" gives the role; "Its spokesman,
        Uwe Rehberg, said" gives the name, the noun phrase becoming the role."""
        if not m.group("app"):
            return ment
        a_s, a_e = base + m.start("app"), base + m.end("app")
        app = self.text[a_s:a_e]
        head = self.text[ment[0] : ment[1]]
        head_is_name = head[:1].isupper() and head.split()[0].lower() not in DETERMINERS
        if not head_is_name and head.lower() not in PRONOUNS:
            inner = mention_from_chunk(self.text, a_s, a_e, from_end=True)
            if inner is not None and self.text[inner[0]].isupper():
                role = inner[2] or normalize_role(head)
                return inner[0], inner[1], role
        return ment[0], ment[1], app.strip(" ,") if role_like(app.strip(" ,")) else ment[2]

    def gap_empty(self, a: int, b: int) -> bool:
        """Whether ``text[a:b]`` holds no letter (False when ``b < a``)."""
        return not LETTER_RE.search(self.text[a:b]) if b >= a else False

    def nearby_person(self, sp: Span) -> Person | None:
        """The person mentioned last before the opening mark, in the quotation's paragraph or the one before; None
        when the quotation's sentence before the mark is in another script than Latin (its speaker may be named
        there, in words the cue lexicon cannot read)."""
        if NON_LATIN_LETTER_RE.search(self.text, self.ctx_start(sp, self.paras[sp.para][0]), sp.open_pos):
            return None
        lo = self.paras[max(0, sp.para - 1)][0]
        k = bisect.bisect_left(self.people.persons, sp.open_pos, key=lambda x: x[0])
        if k > 0 and self.people.persons[k - 1][0] >= lo:
            return self.people.persons[k - 1][1]
        return None
