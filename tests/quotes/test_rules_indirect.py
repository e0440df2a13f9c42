"""Reported speech without quotation marks (rules/indirect.py)."""

from __future__ import annotations

from stance.quotes import extract_quotes
from tests.quotes.quote_helpers import check_offsets, only


def test_indirect_said_that():
    text = "Dmitri Orlov said that the authority had never produced an independent safety study."
    [q] = only(text, direct=False)
    check_offsets(text, q)
    assert q.quote == "the authority had never produced an independent safety study"
    assert (q.speaker, q.cue, q.direct) == ("Dmitri Orlov", "said", False)


def test_reported_speech_with_a_programme_title_as_the_object() -> None:
    text = 'Marta Ruiz told RAI\'s "Porta A Porta" that she would run for the port council again.\n'
    [q] = extract_quotes(text)
    check_offsets(text, q)
    assert (q.quote, q.speaker, q.cue, q.direct) == ("she would run for the port council again", "Marta Ruiz", "told",
                                                      False)
