"""``extract()``: the passes of the extractor over one article."""

from __future__ import annotations

from .article import Article
from .marks import quote_kind, scan_marks
from .mentions import mention_from_chunk
from .records import PIECE_SEPARATOR, Attr, Quote, QuoteExtraction, Span
from .rules.after import attribution_after
from .rules.attributions import group_attributions
from .rules.before import attribution_before
from .rules.clauses import clause_end, trailing_clause
from .rules.filters import is_fragment, is_title, looks_like_speech
from .rules.indirect import indirect_speech
from .rules.inherit import inherit_from_sentences, inherit_in_runs
from .rules.sentence import (
    LABEL_IN_QUOTE_RE,
    after_colon,
    colon_attr,
    partial_attr,
    small_clause,
)
from .text import LETTER_RE, WORD_RE, without_bidi_controls


def extract(text: str) -> QuoteExtraction:
    """Attributions of ``text`` in document order (one record per statement, its quoted pieces listed), with
    warnings for what could not be parsed cleanly.

    Never raises: on an internal error the result is empty and the error is recorded as a warning."""
    if not isinstance(text, str):
        return QuoteExtraction([], [f"expected a str, got {type(text).__name__}"])
    try:
        doc = Article(without_bidi_controls(text))
        quotes = _run(doc)
        for q in quotes:
            q.kind = "direct" if q.direct else quote_kind(doc.text, q.pieces)
        if doc.text != text:
            for q in quotes:  # the quoted words as the article has them, controls included
                q.quote = PIECE_SEPARATOR.join(text[s:e] for s, e in q.pieces)
        return QuoteExtraction(quotes, doc.warnings)
    except Exception as exc:  # noqa: BLE001 - best effort on arbitrary input, recorded instead of raised
        return QuoteExtraction([], [f"internal error ({type(exc).__name__}: {exc}); no quotations returned"])


def extract_quotes(text: str) -> list[Quote]:
    """Attributions of ``text`` in document order (see :func:`extract` for the warnings)."""
    return extract(text).quotes


def _run(doc: Article) -> list[Quote]:
    """The passes, in order: quoted spans without titles, each quotation's own attribution, inheritance from its run
    and from its sentence or the one before, the quotation records, reported speech without marks, then the pieces
    of one attribution joined into one record."""
    spans = _quotations(doc)
    kept, attrs = _attribute(doc, spans)
    inherit_in_runs(doc, kept, attrs)
    inherit_from_sentences(doc, kept, attrs)
    quotes = [q for sp, attr in zip(kept, attrs) if (q := _record(doc, sp, attr)) is not None]
    quotes.extend(indirect_speech(doc, spans))
    quotes.sort(key=lambda q: (q.quote_start, q.quote_end))
    return group_attributions(quotes)


def _quotations(doc: Article) -> list[Span]:
    """The quoted spans of the article without the titles of shows, books and articles ("told NBC's "Today"", "her
    memoir, "Tough Choices.""), which are no quotations; the quotation after a title may still continue the run of
    the one before."""
    all_spans = scan_marks(doc.text, doc.paras, doc.warnings)
    spans = []
    doc.close_ends = {sp.close_end for sp in all_spans if sp.closed}
    for sp in all_spans:
        if is_title(doc, sp):
            doc.title_ends.append(sp.close_end)
        else:
            spans.append(sp)
    return spans


def _attribute(doc: Article, spans: list[Span]) -> tuple[list[Span], list[Attr | None]]:
    """Each quotation with the attribution of its own form (None when it has none); a quotation that is part of a
    reported clause is replaced by the clause, other quotations of the clause included."""
    text = doc.text
    attrs: list[Attr | None] = []
    kept: list[Span] = []
    prev_end = 0
    skip_to = -1  # spans up to this index lie inside a reported clause already kept
    for k, sp in enumerate(spans):
        if k <= skip_to:
            continue
        next_open = spans[k + 1].open_pos if k + 1 < len(spans) else len(text)
        cs = doc.ctx_start(sp, prev_end)
        attr, mixed, clause_start = _own_attribution(doc, sp, doc.after_limit(sp, next_open), cs)
        no_words = WORD_RE.search(text, sp.start, sp.end) is None
        prev_end = max(prev_end, sp.close_end)
        if attr is None and sp.closed:
            # ""We don't teach anything" against homosexuality in the mosque, he said.": the quotation sits in
            # a clause whose attribution ends the sentence.
            tr = trailing_clause(doc, sp, spans, k)
            if tr is not None:
                q, last = tr
                kept.append(_clause_span(text, spans, k, last, q.quote_start, q.quote_end, spans[last].close_end))
                attrs.append(Attr(q.speaker, q.speaker_start, q.speaker_end, q.role, q.cue))
                skip_to = last
                prev_end = max(prev_end, spans[last].close_end)
                continue
        if attr is None:
            if no_words:
                continue
            kept.append(sp)
            attrs.append(None)
            continue
        ext, last = sp.close_end, k
        if sp.closed and attr.s_start is not None and attr.s_start < sp.open_pos:
            # "Tyler said, "We have three weeks to go" until the Iowa caucuses": the sentence goes on after the
            # closing mark, so the quotation is part of a reported clause that runs to the sentence end (other
            # quotations in it included: "he's "looking forward to it" because "these are matches you play for."").
            ext, last = clause_end(doc, sp, spans, k)
        if mixed or ext > sp.close_end:
            # The quotation is part of a reported clause ("S said the plan was "a disaster""): report the clause.
            m_start = clause_start if clause_start >= 0 else sp.open_pos
            m_end = max(ext, sp.close_end)  # the closing mark of a last quotation is part of the clause
            kept.append(_clause_span(text, spans, k, last, m_start, m_end, max(sp.close_end, spans[last].close_end)))
            attrs.append(attr)
            skip_to = last
            prev_end = max(prev_end, spans[last].close_end)
            continue
        if no_words:
            continue
        kept.append(sp)
        attrs.append(attr)
    return kept, attrs


def _own_attribution(doc: Article, sp: Span, limit: int, cs: int) -> tuple[Attr | None, bool, int]:
    """The attribution after the quotation, else before it, as (attr, mixed, clause start): ``mixed`` when the
    quotation is part of a reported clause, which then starts at the clause start (else -1)."""
    attr = attribution_after(doc, sp, limit) if sp.closed else None
    if attr is None:
        return attribution_before(doc, sp, cs)
    # "Clinton would have to "go more to center," Cuban said": the quotation ends a reported clause.
    before = doc.text[cs : sp.open_pos].rstrip()
    if len(WORD_RE.findall(before)) >= 3 and not before.endswith((",", ":", "—", "-", ";", "(", "[")):
        return attr, True, cs
    return attr, False, -1


def _clause_span(text: str, spans: list[Span], k: int, last: int, start: int, end: int, close_end: int) -> Span:
    """The reported clause ``text[start:end]`` holding quotations ``k`` to ``last``: direct when most of it is
    quoted (PolNeAR's rule: 80% of its letters)."""
    sp = spans[k]
    inside = sum(len(LETTER_RE.findall(text, x.start, x.end)) for x in spans[k : last + 1])
    total = len(LETTER_RE.findall(text, start, end)) or 1
    return Span(start, end, sp.open_pos, close_end, sp.para, sp.closed, inside / total < 0.8)


def _record(doc: Article, sp: Span, attr: Attr | None) -> Quote | None:
    """The quotation record of a kept span, or None when it is no quotation: the object of a naming verb and its
    quoted predicate, fragments dropped, then the attribution found, else a transcript label inside the quotation,
    a cue verb in its sentence, a colon before it, and for long uncued quotations a guessed speaker."""
    text = doc.text
    content = text[sp.start : sp.end]
    indirect = sp.indirect
    sc = small_clause(doc, sp)
    if sc is not None:
        # "He called it "shameful"": the object and its quoted predicate are the reported claim (the attribution
        # found for the quotation stands: "He went on to call Cruz "Q""). It is direct however long the object:
        # the quoted words are the name given verbatim, the object is what is named ("branded North Korea an
        # "outlaw nation"").
        obj_start, sc_attr = sc
        sc_attr = attr or sc_attr
        return Quote(text[obj_start : sp.close_end], obj_start, sp.close_end, sc_attr.speaker, sc_attr.s_start,
                     sc_attr.s_end, sc_attr.role, sc_attr.cue, True, sp.para)
    if not indirect and is_fragment(doc, content):
        return None
    if attr is None:
        lm = LABEL_IN_QUOTE_RE.match(text, sp.start)
        if lm is not None:
            attr = doc.attr(":", lm.start("spk"), lm.end("spk"), None)
    if attr is None:
        # "who Beck on Wednesday called "a horrible, despicable human being."": the cue is in the sentence.
        attr = partial_attr(doc, sp)
    if attr is None and after_colon(doc, sp):
        attr = colon_attr(doc, sp)
    if attr is None:
        if not looks_like_speech(doc, content):
            return None
        # No cue anywhere: the speaker is a guess, the person named last before the quotation in its paragraph or
        # the one before (cue stays None, no mention offsets).
        guess = doc.nearby_person(sp)
        return Quote(content, sp.start, sp.end, guess.name if guess else None, None, None,
                     guess.role if guess else None, None, True, sp.para)
    if not indirect and not sp.closed and attr.cue is None:
        return None
    return Quote(content, sp.start, sp.end, attr.speaker, attr.s_start, attr.s_end, attr.role, attr.cue,
                 not indirect, sp.para)


def resolve_speakers(text: str, mentions: list[tuple[int, int]]) -> list[tuple[str | None, int, int, str | None]]:
    """The speaker of each source phrase ``text[s:e]`` found by another extractor (the attribution tagger),
    resolved as the rules resolve theirs: ``(speaker, mention start, mention end, role)``. The mention is the name
    inside the phrase (title words before it go to the role: "Tenants' advocate Sofia Mendes" is Sofia Mendes),
    else the whole phrase; a pronoun, a surname or "the minister" gets the person it refers to."""
    doc = Article(without_bidi_controls(text))
    out: list[tuple[str | None, int, int, str | None]] = []
    for s, e in mentions:
        ment = mention_from_chunk(doc.text, s, e, from_end=True) if e > s else None
        ms, me, role = ment if ment is not None else (s, e, None)
        attr = doc.attr("", ms, me, role)
        out.append((attr.speaker, ms, me, attr.role) if attr is not None else (None, s, e, None))
    return out
