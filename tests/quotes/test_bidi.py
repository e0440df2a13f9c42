"""Right-to-left and bidirectional text (issue #19): controls are no part of names, and no speaker is guessed from
another paragraph for a quotation whose sentence is in a script the cue lexicon does not read."""

from __future__ import annotations

import pytest

from stance.quotes import extract
from tests.quotes.quote_helpers import check_offsets

RLM, RLE, PDF, LRE, RLI, PDI = "\u200f", "\u202b", "\u202c", "\u202a", "\u2067", "\u2069"
CLAIM = "We are against this war and will never agree to it under any circumstances."


@pytest.mark.parametrize("text", [
    f"{RLM}John Smith{RLM} said: \"{CLAIM}\"",
    f"Sergei Lavrov spoke.\n\n\"{CLAIM}\" said {RLM}John Smith{RLM}.",
    f"Sergei Lavrov spoke.\n\n\"{CLAIM}\" said {RLI}John Smith{PDI}.",
    f"Sergei Lavrov spoke.\n\n{RLI}\"{CLAIM}\" said John Smith.{PDI}",
    f"Sergei Lavrov spoke.\n\n{RLE}\u0642\u0627\u0644 {LRE}John Smith{PDF}: \"{CLAIM}\"{PDF}",
])
def test_bidi_controls_are_no_part_of_a_speaker_name(text):
    [q] = extract(text).quotes
    check_offsets(text, q)
    assert q.speaker == "John Smith"
    assert q.quote == CLAIM
    assert text[q.speaker_start:q.speaker_end] == "John Smith"


def test_the_quoted_words_keep_their_bidi_controls():
    quoted = f"We {RLI}will{PDI} never agree to this war under any circumstances at all, not now and not ever."
    text = f'John Smith said: "{quoted}"'
    [q] = extract(text).quotes
    assert q.quote == quoted and text[q.quote_start:q.quote_end] == quoted


@pytest.mark.parametrize("rtl", [
    # Hebrew: "the minister said:"; Arabic: "the minister said:"
    "\u05d0\u05de\u05e8 \u05d4\u05e9\u05e8:",
    "\u0642\u0627\u0644 \u0627\u0644\u0648\u0632\u064a\u0631:",
])
def test_a_right_to_left_quotation_takes_no_speaker_from_the_paragraph_before(rtl):
    rtl_claim = " ".join(["\u05de\u05dc\u05d7\u05de\u05d4"] * 14)  # a 14-word quotation
    text = (f"Prime Minister Benjamin Netanyahu spoke on Monday.\n\n{RLM}{rtl} \"{rtl_claim}\"{RLM}")
    [q] = extract(text).quotes
    check_offsets(text, q)
    assert q.quote == rtl_claim
    assert q.speaker is None


def test_a_latin_quotation_after_a_speaker_paragraph_still_takes_its_speaker():
    """The guess from the paragraph before stays for Latin text: it is what PolNeAR's quote-only paragraphs need."""
    text = f"Prime Minister Benjamin Netanyahu spoke on Monday.\n\n\"{CLAIM} We will say so again and again.\""
    [q] = extract(text).quotes
    assert q.speaker == "Benjamin Netanyahu"
