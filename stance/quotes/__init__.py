"""Quotations and their speakers in news text, by fast rules (no model download).

``extract_quotes(text)`` returns the attributions of an article in document order, one record per statement (a
quotation split by "he said", or a run of quotations after one cue, is one record listing its ``pieces``), each
with the character offsets of the quoted content (marks excluded), the speaker's full name as given in the
article, the offsets of the mention the cue attaches to (which may be a pronoun or "the minister"), the speaker's
role when the article gives one, the cue, whether the quotation is direct, and its paragraph (0-based, paragraphs
separated by blank lines).
``extract(text)`` returns the same list together with warnings (unbalanced quotation marks and the like).
Neither function raises on any ``str``.

Supported patterns, in short: ``"Q," S said.`` / ``"Q," said S.`` / ``S said: "Q"`` / ``S, title: "Q"`` /
``according to S, "Q"`` / ``S said that Q`` (indirect) / ``Q, S said.`` (indirect) / split and multi-paragraph quotes /
curly quotes, guillemets and „low-high“ marks / pronoun and surname speakers resolved to the full name /
quotes without a cue inheriting the speaker of the neighbouring quote / a quotation inside a reported clause
(``S said the plan was "a disaster" for farmers``), returned as the whole clause and direct only when 80% of its
letters are quoted / ``S <any verb>: "Q"`` / ``S called it "Q"`` and ``S pledged to "Q"`` (object or "to" included) /
``"Q," an angry S retaliated.`` (a verb outside the cue list closing the sentence) / ``"Q," it read.`` and
``"Q," read one.`` (signs, letters) / ``"Q1," X tweeted after Y argued that "Q2"`` (Q2 is Y's). A quotation inside a
sentence takes no speech verb of the sentence before, and markup attribute values (``<tweet author="...">``) are no
quotations. See ``docs/quotes.md``.

Layers, imported one way only: ``records``, ``lexicon`` and ``text`` at the bottom; ``marks``, ``mentions``,
``cues`` and ``people`` above them; ``article`` (one article's state and caches); the ``rules`` package; and
``extractor`` on top.
"""

from __future__ import annotations

from .extractor import extract, extract_quotes, resolve_speakers
from .marks import quote_kind
from .records import PIECE_SEPARATOR, Quote, QuoteExtraction

__all__ = ["PIECE_SEPARATOR", "Quote", "QuoteExtraction", "extract", "extract_quotes", "quote_kind", "resolve_speakers"]
