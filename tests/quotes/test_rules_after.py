"""Attribution after the closing mark (rules/after.py)."""

from __future__ import annotations

import pytest

from stance.quotes import extract_quotes
from tests.quotes.quote_helpers import check_offsets, only


def test_quote_said_speaker_after():
    text = '"We will not let a spreadsheet decide who feeds their family," Dmitri Orlov said.'
    [q] = only(text)
    check_offsets(text, q)
    assert q.quote == "We will not let a spreadsheet decide who feeds their family,"
    assert (q.speaker, q.cue, q.direct, q.paragraph) == ("Dmitri Orlov", "said", True, 0)
    assert text[q.speaker_start : q.speaker_end] == "Dmitri Orlov"


def test_quote_said_inverted():
    text = "\u201cThe plan was written in a boardroom,\u201d said Dmitri Orlov, the union's chairman."
    [q] = only(text)
    assert q.quote == "The plan was written in a boardroom,"
    assert q.speaker == "Dmitri Orlov" and q.cue == "said"
    assert q.role == "the union's chairman"


def test_dash_attribution_after_quote_ends_the_line():
    text = (
        "Readers told us what they thought of the debate.\n\n"
        "\u201cHe shows no respect for anybody, and he is proud of it.\u201d \u2015 Stephanie Egan\n"
        "\u201cTonight showed him for who he really is.\u201d\u2015 Martha Aguilar\u00a0\n"
    )
    qs = only(text)
    assert [(q.speaker, q.cue) for q in qs] == [("Stephanie Egan", "\u2015"), ("Martha Aguilar", "\u2015")]
    for q in qs:
        check_offsets(text, q)
        assert text[q.speaker_start : q.speaker_end] == q.speaker


def test_sentence_after_a_full_stop_quote_is_not_its_attribution():
    text = ('Lisa Madigan asserted that "trust in the Chicago Police Department is broken." '
            'Democratic candidates agreed with her on Monday.')
    [q] = extract_quotes(text)
    assert q.speaker == "Lisa Madigan"


def test_verb_after_a_question_that_introduces_the_next_quotation_is_not_its_attribution() -> None:
    # ""Why now?" Orlov then writes back, "Q2."": the attribution after a question introduces the next quotation;
    # the question takes the attribution before it.
    text = ("Marta Ruiz replies to Orlov with, \u201cWhy now? Was that on the agenda?\u201d Orlov then writes back, "
            "\u201cYou look tired.\u201d\n")
    q1, q2 = extract_quotes(text)
    assert (q1.quote, q1.speaker, q1.cue) == ("Why now? Was that on the agenda?", "Marta Ruiz", "replies")
    assert (q2.quote, q2.speaker, q2.cue) == ("You look tired.", "Orlov", "writes back")


def test_question_with_an_attribution_after_it_keeps_it() -> None:
    text = "\u201cWhy now?\u201d Marta Ruiz asked. \u201cIs it the vote?\u201d\n"
    [q] = extract_quotes(text)  # one attribution, two pieces
    assert (q.speaker, q.cue, q.quote) == ("Marta Ruiz", "asked", "Why now? … Is it the vote?")
    assert [text[s:e] for s, e in q.pieces] == ["Why now?", "Is it the vote?"]


@pytest.mark.parametrize("verb", ["agrees", "warns", "counters", "admits", "retorts"])
def test_inverted_attribution_in_the_present_tense(verb: str) -> None:
    text = f'"Our ideas of success are different," {verb} Michelle Stevens, 30, of Gainesville.\n'
    [q] = extract_quotes(text)
    assert (q.quote, q.speaker, q.cue) == ("Our ideas of success are different,", "Michelle Stevens", verb)


@pytest.mark.parametrize("tail", ["an angry Orlov retaliated.", "Orlov pressed.", "he surmised."])
def test_mention_and_unlisted_past_verb_ending_the_sentence_attribute_the_quotation(tail: str) -> None:
    # ""Q," an angry Orlov retaliated.": a verb outside the cue list still attributes a quotation ending with a
    # comma when a mention and the verb alone close the sentence.
    text = f"Dmitri Orlov came late.\n\n\u201cThe port will always be the port,\u201d {tail} \u201cIt never gives up.\u201d\n"
    [q] = extract_quotes(text)  # the second quotation takes the same cue: one attribution, two pieces
    assert (q.speaker, q.cue) == ("Dmitri Orlov", tail.rstrip(".").split()[-1])
    assert [text[s:e] for s, e in q.pieces] == ["The port will always be the port,", "It never gives up."]


def test_clause_after_a_quotation_is_no_unlisted_attribution() -> None:
    text = "\u201cThe port will close,\u201d which was expected.\n"
    assert all(q.cue is None for q in extract_quotes(text))


def test_attribution_after_an_exclamation_that_goes_on_with_a_reported_quotation_is_not_its() -> None:
    # ""... run!" She replied to him that it was an "honor ..."": "She replied" introduces the reported clause
    # holding the next quotation; the exclamation keeps the cue before it.
    text = ("Dmitri Orlov wrote to her, telling her, \u201cyou are the best docker we have ever had!\u201d "
            'She replied to him that it was an "honour to serve the port with you."\n')
    q1, q2 = extract_quotes(text)
    assert (q1.speaker, q1.cue) == ("Dmitri Orlov", "telling")
    assert (text[q2.speaker_start : q2.speaker_end], q2.cue) == ("She", "replied")


def test_pronoun_and_unlisted_past_verb_before_a_comma_attribute_the_quotation() -> None:
    text = ('Dmitri Orlov took the floor.\n\n"Let me talk," Orlov said. "Quiet," he demanded, as Castagna went on.\n')
    q1, q2 = extract_quotes(text)
    assert (q2.quote, text[q2.speaker_start : q2.speaker_end], q2.cue) == ("Quiet,", "he", "demanded")


@pytest.mark.parametrize("tail", ["as his father dreamed.", "the bespectacled, 71-year-old docker nodded."])
def test_subordinate_clause_or_adjective_after_a_quotation_is_no_unlisted_attribution(tail: str) -> None:
    text = f"\u201cHe was going to make the name known,\u201d {tail}\n"
    assert all(q.cue is None for q in extract_quotes(text))


def test_it_read_after_a_quotation_is_its_attribution() -> None:
    # A sign, a letter or an email "reads": ""Q," it read." gives the mention "it".
    text = ('Dmitri Orlov held up a cardboard sign at the gate.\n\n'
            '\u201cNo robots on our quay,\u201d it read.\n')
    [q] = extract_quotes(text)
    assert (q.quote, q.cue, text[q.speaker_start : q.speaker_end]) == ("No robots on our quay,", "read", "it")


@pytest.mark.parametrize("tail", ["read one.", "the statement read.", "reads the union\u2019s letter."])
def test_read_after_a_quotation_attributes_it_to_the_text_that_reads(tail: str) -> None:
    text = f"Dmitri Orlov spoke on Monday.\n\n\u201cNo robots on our quay,\u201d {tail}\n"
    [q] = extract_quotes(text)
    assert q.cue in ("read", "reads") and q.speaker_start is not None
