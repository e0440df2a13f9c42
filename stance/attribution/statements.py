"""``extract_statements``: the attributions of an article from the rules and the tagger together.

The rules keep their direct quotations (pieces, speakers and cues: where they are strong); the tagger brings
reported speech and mixed quotations, and wins over a reported clause of the rules that it overlaps; a rules
clause the tagger left alone stays. One record per attribution, each with its ``kind``."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any

from stance.attribution.decode import TaggedAttribution, attributions
from stance.errors import ConfigError
from stance.quotes import PIECE_SEPARATOR, Quote, QuoteExtraction, extract, quote_kind, resolve_speakers
from stance.quotes.text import paragraphs

MODES = ("both", "rules", "tagger")


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _tagged_quotes(text: str, found: list[TaggedAttribution]) -> list[Quote]:
    """The tagger's attributions as records, speakers resolved by the rules' person registry."""
    spk = resolve_speakers(text, [a.source or (0, 0) for a in found])
    starts = [s for s, _ in paragraphs(text)]
    out = []
    for att, (name, ms, me, role) in zip(found, spk):
        has_source = att.source is not None
        quote = PIECE_SEPARATOR.join(text[s:e] for s, e in att.pieces)
        kind = quote_kind(text, att.pieces)
        out.append(Quote(quote, att.start, att.end, name if has_source else None, ms if has_source else None,
                         me if has_source else None, role if has_source else None,
                         text[att.cue[0]:att.cue[1]].lower() if att.cue else None, kind == "direct",
                         max(0, bisect.bisect_right(starts, att.start) - 1), list(att.pieces), kind))
    return out


def combine(rules: Sequence[Quote], tagged: Sequence[Quote]) -> list[Quote]:
    """Rules' direct quotations, the tagger's records that overlap none of them by half, and the rules' reported
    clauses that overlap none of the kept records and whose speaker mention no tagger record has; a tagger record
    without a speaker takes the one of the rules' record it replaces."""
    direct = [q for q in rules if q.kind == "direct"]
    clauses = [q for q in rules if q.kind != "direct"]
    kept = list(direct)
    mentions = []  # the speaker mentions of the tagger's records kept
    for t in tagged:
        span = (t.quote_start, t.quote_end)
        if any(_overlap(span, (d.quote_start, d.quote_end)) * 2 >= min(t.quote_end - t.quote_start,
                                                                       d.quote_end - d.quote_start) for d in direct):
            continue
        if t.speaker is None:
            for c in clauses:
                if _overlap(span, (c.quote_start, c.quote_end)) and c.speaker is not None:
                    t.speaker, t.speaker_start, t.speaker_end, t.role = c.speaker, c.speaker_start, c.speaker_end, c.role
                    t.cue = t.cue or c.cue
                    break
        kept.append(t)
        if t.speaker_start is not None and t.speaker_end is not None:
            mentions.append((t.speaker_start, t.speaker_end))
    for c in clauses:
        span = (c.quote_start, c.quote_end)
        if any(_overlap(span, (k.quote_start, k.quote_end)) for k in kept):
            continue
        # the same attribution read two ways ("Speaking to reporters, Smith said the plan ..."): the tagger's
        # record already has this speaker mention
        if c.speaker_start is not None and any(_overlap((c.speaker_start, c.speaker_end or 0), m) for m in mentions):
            continue
        kept.append(c)
    kept.sort(key=lambda q: (q.quote_start, q.quote_end))
    return kept


class StatementExtractor:
    """Attributions of articles by ``mode``: ``both`` (rules and tagger, the default), ``rules`` (the model-free
    rules alone: no model is loaded) or ``tagger`` (the tagger alone)."""

    def __init__(self, mode: str = "both", tagger: Any = None, model_dir: str | None = None,
                 batch_size: int = 64) -> None:
        if mode not in MODES:
            raise ConfigError(f"quotes.mode must be one of {', '.join(MODES)}, got {mode!r}")
        self.mode = mode
        if mode != "rules" and tagger is None:
            from stance.attribution.tagger import AttributionTagger

            tagger = AttributionTagger(model_dir, batch_size=batch_size)
        self.tagger = tagger

    def extract_many(self, texts: Sequence[str]) -> list[QuoteExtraction]:
        """One :class:`~stance.quotes.QuoteExtraction` per text (tagged together, in batches)."""
        rules = [extract(t) if self.mode != "tagger" else QuoteExtraction() for t in texts]
        if self.mode == "rules":
            return rules
        tagged = self.tagger.tag(texts)
        out = []
        for text, r, spans in zip(texts, rules, tagged):
            mine = _tagged_quotes(text, attributions(text, spans))
            quotes = mine if self.mode == "tagger" else combine(r.quotes, mine)
            out.append(QuoteExtraction(quotes, r.warnings))
        return out

    def extract(self, text: str) -> QuoteExtraction:
        """The attributions of one text."""
        return self.extract_many([text])[0]


def extract_statements(text: str, mode: str = "both", tagger: Any = None) -> QuoteExtraction:
    """The attributions of ``text`` by rules and tagger (see :class:`StatementExtractor`)."""
    return StatementExtractor(mode, tagger).extract(text)



def from_config(quotes_cfg: Any = None) -> StatementExtractor:
    """The extractor of a command's ``quotes`` config block (``mode``, default ``rules``; ``model_dir``, default the
    shipped tagger; ``batch_size``)."""
    cfg = quotes_cfg if quotes_cfg is not None else {}
    model_dir = cfg.get("model_dir")
    return StatementExtractor(str(cfg.get("mode") or "rules"), model_dir=str(model_dir) if model_dir else None,
                              batch_size=int(cfg.get("batch_size") or 64))
