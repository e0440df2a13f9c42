"""Cues elsewhere in the quotation's own sentence (rules/sentence.py)."""

from __future__ import annotations

import pytest

from stance.quotes import extract_quotes
from tests.quotes.quote_helpers import check_offsets, only


def test_quote_with_cue_verb_earlier_in_its_sentence():
    # No "S said" form around the marks: the cue verb ("called") and its subject are earlier in the sentence.
    text = (
        "Beck spent the hour on the campaign.\n\n"
        "He also turned on Bannon, whom Beck on Wednesday called \u201ca horrible, despicable human being.\u201d\n"
    )
    qs = only(text)
    assert [q.quote for q in qs] == ["a horrible, despicable human being."]
    assert qs[0].cue == "called" and qs[0].speaker == "Beck"
    check_offsets(text, qs[0])


def test_cue_verb_without_readable_subject_keeps_the_quotation():
    text = (
        "Prince Alwaleed bin Talal wrote on Twitter in December.\n\n"
        "In December, the prince called for Trump to drop out of the race, calling him "
        "\"a disgrace not only to the GOP but to all America.\"\n"
    )
    qs = only(text)
    # The object of "calling" is part of the claim ("him "Q""), still direct (80% of the letters quoted).
    assert [q.quote for q in qs] == ['him "a disgrace not only to the GOP but to all America."']
    assert qs[0].cue == "calling" and qs[0].speaker_start is None and qs[0].direct


def test_transcript_label_inside_quotation():
    text = (
        "Partial transcript as follows:\n\n"
        "\"WALLACE: Will she actually be there tomorrow night, and why would the campaign invite her at all?\"\n\n"
        "\"PENCE: Well, the question really should be why the other campaign invited a celebrity to the front row.\"\n"
    )
    qs = only(text)
    assert [q.speaker for q in qs] == ["WALLACE", "PENCE"]


@pytest.mark.parametrize(
    "sentence, speaker, mention",
    [
        ("Asked which dock was his favourite, he demurred: \u201cWhichever one I\u2019m on.\u201d",
         "Dmitri Orlov", "he"),
        ("Orlov gestured as if to stop the noise, then leaned in and boomed: \u201cLet\u2019s win in May.\u201d",
         "Dmitri Orlov", "Orlov"),
    ],
)
def test_short_quotation_after_a_colon_takes_the_subject(sentence: str, speaker: str, mention: str) -> None:
    # A colon announces a quotation even without a speech verb; the speaker is the subject of the clause before
    # the colon, else of the sentence (a capitalised word only when it names a known person).
    text = f"Dmitri Orlov, the union's chairman, spoke on Monday.\n\n{sentence}\n"
    [q] = extract_quotes(text)
    check_offsets(text, q)
    assert (q.speaker, text[q.speaker_start : q.speaker_end], q.cue, q.direct) == (speaker, mention, ":", True)


def test_short_quotation_after_a_colon_without_a_known_subject_guesses_the_speaker() -> None:
    text = "Marta Ruiz spoke first.\n\nThe rally had one message: \u201cSave the docks.\u201d\n"
    [q] = extract_quotes(text)
    assert (q.quote, q.speaker, q.speaker_start, q.cue) == ("Save the docks.", "Marta Ruiz", None, ":")


@pytest.mark.parametrize(
    "sentence, quote",
    [
        ("Orlov called it \u201cshameful.\u201d", "it \u201cshameful.\u201d"),
        ('Orlov called the plan "absolute chaos."', None),
        ('Orlov called Castagna "a reckless gambler with the future of this port."',
         'Castagna "a reckless gambler with the future of this port."'),
        ("Orlov praised the dockers, calling them \u201cthe backbone of this port.\u201d",
         "them \u201cthe backbone of this port.\u201d"),
        ('Orlov called it a "quiet revolution of the docks and the harbour."',
         'it a "quiet revolution of the docks and the harbour."'),
    ],
)
def test_quotation_predicated_of_a_naming_verbs_object_includes_the_object(sentence: str, quote: str | None) -> None:
    # "X called it "Q"": the object and its quoted predicate are the claim (PolNeAR's content includes the object),
    # direct when 80% of the letters are quoted; short ones are no longer dropped as fragments. A noun phrase with
    # a determiner is not taken as the object ("the plan"), and the short quotation stays out as before.
    text = f"Dmitri Orlov spoke on Monday. {sentence}\n"
    quotes = extract_quotes(text)
    if quote is None:
        assert quotes == []
        return
    [q] = quotes
    check_offsets(text, q)
    assert (q.quote, q.speaker, q.direct) == (quote, "Dmitri Orlov", True)
    assert q.cue in ("called", "calling")


def test_possessive_before_a_quotation_is_no_object() -> None:
    text = "Dmitri Orlov spoke on Monday. He spoke of what he called Castagna\u2019s \u201cport of dreams.\u201d\n"
    assert [q.quote for q in extract_quotes(text)] == []


@pytest.mark.parametrize(
    "sentence, quote",
    [
        ('Orlov urged the dockers to \u201cgive the council time.\u201d', 'to \u201cgive the council time.\u201d'),
        ('Orlov warned against the plan, pledging to "fight it in every court of this country."',
         'to "fight it in every court of this country."'),
    ],
)
def test_infinitive_marker_before_a_quoted_complement_is_part_of_it(sentence: str, quote: str) -> None:
    # "pledging to "Q"": the quoted verb phrase and its "to" are the complement of the cue (PolNeAR's content
    # includes "to"); short ones are no fragments. "pledging" is a label verb: the clause starts after it.
    text = f"Dmitri Orlov spoke on Monday. {sentence}\n"
    [q] = extract_quotes(text)
    check_offsets(text, q)
    assert (q.quote, q.speaker, q.direct) == (quote, "Dmitri Orlov", True)


def test_quotation_ending_with_a_full_stop_inside_the_marks_ends_its_clause() -> None:
    # A cue verb earlier in the sentence: the quotation ends its clause when a full stop inside the marks ends the
    # sentence, even though the next sentence follows right after the closing mark.
    text = ('Dmitri Orlov spoke on Monday. During the hearing Orlov turned to the shipping plan, calling it '
            '"a betrayal of every docker." Castagna left the room.\n')
    [q] = extract_quotes(text)
    check_offsets(text, q)
    assert (q.quote, q.speaker, q.cue, q.direct) == ('it "a betrayal of every docker."', "Dmitri Orlov", "calling", True)


def test_naming_verb_object_and_quoted_name_are_direct_however_long_the_object() -> None:
    # The quoted words are the name given verbatim; the object is what is named, so the pair is direct even when
    # the object's letters are more than a fifth of the whole.
    text = 'Dmitri Orlov spoke on Monday. He branded Elena Castagna an "enemy of the quay."\n'
    [q] = extract_quotes(text)
    check_offsets(text, q)
    assert (q.quote, q.speaker, q.cue, q.direct) == ('Elena Castagna an "enemy of the quay."', "Dmitri Orlov", "branded", True)
