"""Inheritance from neighbouring quotations and the sentence before (rules/inherit.py)."""

from __future__ import annotations

from stance.quotes import extract_quotes
from tests.quotes.quote_helpers import check_offsets, only


def _pieces(text: str, q) -> list[str]:
    return [text[s:e] for s, e in q.pieces]


def test_split_quote_is_one_attribution_with_two_pieces():
    text = '"We need the terminal open next week," Marco Ferretti said. "Our customers do not care who drives."'
    [q] = only(text)
    assert _pieces(text, q) == ["We need the terminal open next week,", "Our customers do not care who drives."]
    assert q.quote == "We need the terminal open next week, … Our customers do not care who drives."
    assert (q.speaker, q.cue, q.quote_start, q.quote_end) == ("Marco Ferretti", "said", 1, len(text) - 1)
    check_offsets(text, q)


def test_split_quote_inside_one_sentence():
    text = '"We tried this once," said Lucia Bertolini, a crane operator, "and we will try it again."'
    [q] = only(text)
    assert _pieces(text, q) == ["We tried this once,", "and we will try it again."]
    assert q.speaker == "Lucia Bertolini"
    check_offsets(text, q)


def test_run_of_quotations_after_one_cue_is_one_attribution():
    text = ('Dmitri Orlov, the union\'s chairman, said: "We will not move an inch." "The port is ours." '
            '"Nobody will take it from us."\n')
    [q] = only(text)
    assert _pieces(text, q) == ["We will not move an inch.", "The port is ours.", "Nobody will take it from us."]
    assert (q.speaker, q.cue, q.paragraph) == ("Dmitri Orlov", "said", 0)
    check_offsets(text, q)


def test_uncued_quote_inherits_previous_speaker_in_run():
    text = (
        '"We are not finished," Governor Tomas Novotny said. "But we are closer to the end than to the '
        'beginning."\n\n"Inflation is still too high for comfort in this economy."'
    )
    [q] = only(text)
    # the split quote and the run going on into the next paragraph are one attribution of three pieces
    assert len(q.pieces) == 3 and q.speaker == "Tomas Novotny"
    assert q.paragraph == 0  # the paragraph of the first piece
    check_offsets(text, q)


def test_run_of_paragraphs_after_one_cue_is_one_attribution():
    text = (
        "Dmitri Orlov, the union's chairman, spoke outside the gate on Tuesday.\n\n"
        '"We will not move an inch," Orlov said.\n\n'
        '"The port was built by dockers and it will be run by dockers."\n\n'
        '"Nobody will take it from us, not this year and not the next."\n\n'
        "The company did not answer."
    )
    [q] = only(text)
    assert [text[s:e] for s, e in q.pieces] == [
        "We will not move an inch,",
        "The port was built by dockers and it will be run by dockers.",
        "Nobody will take it from us, not this year and not the next.",
    ]
    assert (q.speaker, q.cue, q.paragraph) == ("Dmitri Orlov", "said", 1)
    check_offsets(text, q)


def test_quotations_of_two_speakers_stay_two_attributions():
    text = '"We will not move an inch," Dmitri Orlov said. "We will see," Elena Castagna answered.\n'
    qs = only(text)
    assert [(q.speaker, len(q.pieces)) for q in qs] == [("Dmitri Orlov", 1), ("Elena Castagna", 1)]


def test_programme_title_in_the_attribution_is_no_quotation_and_keeps_the_run() -> None:
    text = ('"We are not winning this fight," Marta Ruiz said on RAI\'s "Porta A Porta" on Sunday. '
            '"We need new cranes and we need them now."\n')
    [q] = extract_quotes(text)
    assert _pieces(text, q) == ["We are not winning this fight,", "We need new cranes and we need them now."]
    assert q.cue == "said"
    book = 'Marta Ruiz wrote about the strike in her memoir, "Hard Choices On The Quay."\n'
    assert [q for q in extract_quotes(book) if q.direct] == []


def test_cue_in_the_quotations_own_sentence_comes_before_the_verb_of_the_sentence_before() -> None:
    # A quotation without an attribution of its own form takes the cue verb of its own sentence ("called") before
    # the speech verb of the sentence before it ("said"): the two quotations are separate attributions.
    text = ('"The port has never been busier," Dmitri Orlov said. Elena Castagna called the plan '
            '"a gift to the shipping companies and nobody else."\n')
    q1, q2 = extract_quotes(text)
    assert (q1.speaker, q1.cue) == ("Dmitri Orlov", "said")
    assert (q2.speaker, q2.cue, text[q2.speaker_start : q2.speaker_end]) == ("Elena Castagna", "called", "Elena Castagna")


def test_quotation_inside_a_sentence_does_not_take_the_speech_verb_of_the_sentence_before() -> None:
    # "Orlov said ... . Many dockers see the plan as "Q."": a quotation with words of its own sentence before it is
    # no quotation of the sentence before; a quotation that is its whole sentence still is.
    text = ('Dmitri Orlov said that the strike would go on. Many dockers see the plan as "a gift to the shipping '
            'companies."\n\nCastagna answered questions from reporters, Orlov said. "We will not move an inch."\n')
    [q] = only(text)
    assert (q.quote, q.speaker, q.cue) == ("We will not move an inch.", "Dmitri Orlov", "said")
