"""Tagged spans to attributions: contents joined across the attribution that splits them, each with its cue and
its source."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from stance.attribution.tagger import TaggedSpan
from stance.attribution.windows import paragraphs

_LETTER_RE = re.compile(r"[^\W\d_]")
_SENTENCE_END_RE = re.compile(r"[.!?]")


@dataclass
class TaggedAttribution:
    """One attribution the tagger found: its content pieces, and the cue and source spans it attaches to."""

    pieces: list[tuple[int, int]]
    cue: tuple[int, int] | None = None
    source: tuple[int, int] | None = None
    inner: list[tuple[int, int]] = field(default_factory=list)  # cue and source spans between the pieces

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]


def _gap_covered(text: str, a: int, b: int, covers: Sequence[tuple[int, int]]) -> bool:
    """Whether every letter of ``text[a:b]`` lies in one of ``covers`` (a cue or source between two pieces)."""
    for m in _LETTER_RE.finditer(text, a, b):
        if not any(s <= m.start() < e for s, e in covers):
            return False
    return True


def _distance(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, max(a[0], b[0]) - min(a[1], b[1]))


#: Two contents with no cue or source between them are one when at most this many words stand between them (0:
#: only punctuation). These three settings were chosen on PolNeAR dev (docs/quotes.md).
MAX_GAP_WORDS = 0
#: A content of fewer words is no statement (a stray token, a name inside a sentence).
MIN_WORDS = 3
#: A content whose words the tagger labelled with a lower mean probability is left out.
MIN_SCORE = 0.75
_WORD_RE = re.compile(r"\w+")


def _join_fragments(text: str, contents: list[TaggedSpan], marks: list[tuple[int, int]],
                    max_gap: int) -> list[TaggedSpan]:
    """Contents joined across short gaps that hold no cue or source (the score: the mean by length)."""
    out: list[TaggedSpan] = []
    for c in contents:
        if out:
            a = out[-1]
            gap_words = len(_WORD_RE.findall(text, a.end, c.start))
            if gap_words <= max_gap and not any(a.end <= x[0] and x[1] <= c.start for x in marks):
                la, lc = a.end - a.start, c.end - c.start
                out[-1] = TaggedSpan("CONTENT", a.start, c.end, (a.score * la + c.score * lc) / (la + lc))
                continue
        out.append(c)
    return out


def attributions(text: str, spans: Sequence[TaggedSpan], max_gap: int = MAX_GAP_WORDS,
                 min_words: int = MIN_WORDS, min_score: float = MIN_SCORE) -> list[TaggedAttribution]:
    """The attributions of one article from its tagged spans (in text order), paragraph by paragraph. Contents
    split by at most ``max_gap`` untagged words are joined; those under ``min_words`` words or a mean label
    probability under ``min_score`` are dropped. Two contents are one attribution's pieces when only its cue and
    source stand between them and no sentence ends before them (``"Q1," she said, "Q2."``); each content takes
    the nearest cue outside it in its paragraph, and the source nearest that cue."""
    paras = paragraphs(text)
    starts = [s for s, _ in paras]
    by_para: dict[int, list[TaggedSpan]] = {}
    for sp in spans:
        by_para.setdefault(max(0, bisect.bisect_right(starts, sp.start) - 1), []).append(sp)
    out: list[TaggedAttribution] = []
    for group in by_para.values():
        cues = [(s.start, s.end) for s in group if s.part == "CUE"]
        sources = [(s.start, s.end) for s in group if s.part == "SOURCE"]
        joined = _join_fragments(text, [s for s in group if s.part == "CONTENT"], cues + sources, max_gap)
        contents = [(c.start, c.end) for c in joined
                    if c.score >= min_score and len(_WORD_RE.findall(text, c.start, c.end)) >= min_words]
        merged: list[TaggedAttribution] = []
        for c in contents:
            if merged:
                last = merged[-1]
                between = [x for x in cues + sources if last.end <= x[0] and x[1] <= c[0]]
                # a sentence that ends before the attribution starts another statement ("Q1." Smith said Q2)
                first = min((x[0] for x in between), default=c[0])
                if (between and _gap_covered(text, last.end, c[0], between)
                        and not _SENTENCE_END_RE.search(text, max(last.start, last.end - 1), first)):
                    last.pieces.append(c)
                    last.inner.extend(between)
                    continue
            merged.append(TaggedAttribution([c]))
        for att in merged:
            inner_cues = [x for x in cues if x in att.inner]
            outside = [x for x in cues if not (att.start <= x[0] and x[1] <= att.end)]
            options = inner_cues or outside
            span = (att.start, att.end)
            att.cue = min(options, key=lambda x: _distance(x, span)) if options else None
            anchor = att.cue or span
            inner_src = [x for x in sources if x in att.inner]
            src = inner_src or [x for x in sources if not (att.start <= x[0] and x[1] <= att.end)]
            att.source = min(src, key=lambda x: _distance(x, anchor)) if src else None
        out.extend(merged)
    out.sort(key=lambda a: (a.start, a.end))
    return out
