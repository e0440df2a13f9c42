"""Reported clauses holding a quotation: where they start and end (rules/clauses.py)."""

from __future__ import annotations

import pytest

from stance.quotes import extract_quotes
from tests.quotes.quote_helpers import check_offsets, only


def test_lowercase_quote_inside_a_longer_reported_clause_is_reported_speech():
    text = "Obama said \u201cit gets me mad\u201d every time he thinks about the children who were killed.\n"
    [q] = extract_quotes(text)
    assert not q.direct and q.speaker == "Obama"
    assert q.quote == "\u201cit gets me mad\u201d every time he thinks about the children who were killed"
    check_offsets(text, q)


def test_reported_clause_starts_after_that_when_the_verb_has_an_object():
    text = 'Patrick told Cruz backers on Saturday night that Cruz has "taken every punch they have thrown at him."'
    [q] = extract_quotes(text)
    assert q.quote.startswith("Cruz has") and q.direct and q.speaker == "Patrick"


def test_abbreviation_inside_the_reported_clause_does_not_end_the_sentence():
    text = ('Defense Secretary Ash Carter said the U.S. approach to the region remained '
            '\u201cone of commitment, strength and inclusion\u201d, but he also warned China.')
    [q] = extract_quotes(text)
    assert not q.direct and q.quote.startswith("the U.S. approach")
    assert q.speaker == "Ash Carter"


def test_quotation_the_sentence_goes_on_after_is_part_of_the_reported_clause() -> None:
    text = 'Marta Ruiz said, "We have two weeks left" before the vote in the port council.\n'
    [q] = extract_quotes(text)
    check_offsets(text, q)
    assert q.quote == '"We have two weeks left" before the vote in the port council'
    assert (q.speaker, q.cue, q.direct) == ("Marta Ruiz", "said", False)


def test_quotations_joined_in_one_reported_clause_are_one_entry() -> None:
    text = 'Marta Ruiz said she is \u201cready for it\u201d because \u201cthis is the fight we trained for.\u201d\n'
    [q] = extract_quotes(text)
    check_offsets(text, q)
    assert q.quote.startswith("she is \u201cready for it\u201d because \u201cthis is the fight")
    assert q.speaker == "Marta Ruiz" and q.cue == "said"


def test_mostly_quoted_clause_of_two_quotations_is_direct() -> None:
    text = 'Marta Ruiz said "the whole harbour plan is falling apart" because "nobody asked the dockers first."\n'
    [q] = extract_quotes(text)
    assert q.direct and q.quote.endswith('nobody asked the dockers first."')


def test_reported_clause_stops_before_a_second_verb_phrase() -> None:
    text = 'Marta Ruiz said the deal was "a good day for the harbour" and added that she would sign it.\n'
    [q] = extract_quotes(text)
    assert q.quote == 'the deal was "a good day for the harbour"'
    assert not q.direct and "added" not in q.quote


def test_quotation_ending_with_a_comma_keeps_its_own_span() -> None:
    text = 'Marta Ruiz said, "It is time to change how the port is run," promising a vote in May.\n'
    [q] = only(text)
    assert q.quote == "It is time to change how the port is run,"


def test_that_clause_with_a_comma_before_the_quotation_is_one_reported_clause() -> None:
    text = ('Marta Ruiz wrote this week, adding that if the council loses the vote by a wide margin, '
            '"keeping the harbour open would be a long shot at best."\n')
    [q] = extract_quotes(text)
    check_offsets(text, q)
    assert q.quote.startswith("if the council loses the vote")
    assert q.cue == "adding" and q.speaker == "Marta Ruiz" and not q.direct


def test_reported_clause_starts_after_that_behind_a_long_object_not_at_a_later_that() -> None:
    text = ('Marta Ruiz told dockers at a packed meeting in the Genoa harbour hall that the plan '
            '"shows contempt for us."\n')
    [q] = extract_quotes(text)
    assert q.quote.startswith('the plan "') and not q.direct and q.cue == "told"
    text = 'Marta Ruiz said the problems of the port are so deep that "we have to start again from the quay."\n'
    [q] = extract_quotes(text)
    assert q.quote.startswith("the problems of the port are so deep that")
    assert not q.direct and q.speaker == "Marta Ruiz"


def test_abbreviation_before_a_capitalised_quotation_ends_the_attribution_sentence() -> None:
    text = ('"The terminal is not for sale," Marta Ruiz said at a rally in Albany, N.Y. '
            '"The dockers built it and the dockers will run it."\n')
    [q] = extract_quotes(text)  # a split quote: no reported clause, one attribution of two direct pieces
    assert q.direct and len(q.pieces) == 2
    assert text[slice(*q.pieces[1])] == "The dockers built it and the dockers will run it."
    assert q.speaker == "Marta Ruiz" and q.cue == "said"


def test_quotation_opening_a_parenthesis_is_not_a_reported_clause() -> None:
    text = ('The deal drew anger from the dockers ("I want my job back," wrote Luca Bianchi, '
            'a crane operator, on the union forum).\n')
    [q] = extract_quotes(text)
    assert q.quote == "I want my job back," and q.direct and q.speaker == "Luca Bianchi"


def test_lowercase_quotation_after_a_comma_continues_the_reported_clause() -> None:
    text = 'Marta Ruiz said the collapse was not mainly the fault of the dockers, "not by a long shot."\n'
    [q] = extract_quotes(text)
    assert q.quote.startswith("the collapse was not mainly") and not q.direct
    split = '"That does not mean no answer," Marta Ruiz said late last month, "but a quiet one."\n'
    assert [(q.direct, len(q.pieces)) for q in extract_quotes(split)] == [(True, 2)]


def test_quotation_inside_a_clause_attributed_at_the_sentence_end() -> None:
    text = ('The union met on Friday.\n\n"We do not oppose anything" about automation in the port meetings, '
            'Dmitri Orlov said.\n')
    [q] = extract_quotes(text)
    check_offsets(text, q)
    assert q.quote == '"We do not oppose anything" about automation in the port meetings'
    assert (q.speaker, q.cue, q.direct, q.paragraph) == ("Dmitri Orlov", "said", False, 1)


def test_reported_clause_starts_after_a_label_verb_closer_to_the_quotation() -> None:
    text = ('Marta Ruiz blasted the minister during a rally at the port gate, calling him '
            '"the worst harbour minister in fifty years."\n')
    [q] = extract_quotes(text)
    assert q.quote.startswith('him "the worst harbour minister')
    assert q.speaker == "Marta Ruiz" and q.direct


@pytest.mark.parametrize("tail", [", according to the Gazette", ", she said", ", said Ruiz", ", aides said on Sunday"])
def test_reported_clause_stops_before_a_trailing_attribution(tail: str) -> None:
    text = f'Marta Ruiz said the harbour plan would be "a disaster" and paid for by the dockers{tail}.\n'
    [q] = extract_quotes(text)
    check_offsets(text, q)
    assert q.quote == 'the harbour plan would be "a disaster" and paid for by the dockers'
    assert (q.speaker, q.cue, q.direct) == ("Marta Ruiz", "said", False)


def test_reported_clause_keeps_a_trailing_relative_clause() -> None:
    text = 'Marta Ruiz said the harbour plan would be "a disaster" for the dockers, who said nothing.\n'
    [q] = extract_quotes(text)
    assert q.quote == 'the harbour plan would be "a disaster" for the dockers, who said nothing'


@pytest.mark.parametrize("close_mark", ['"', "\u201d", "\u00bb"])
def test_reported_clause_ending_with_its_quotation_keeps_the_closing_mark(close_mark: str) -> None:
    open_mark = {'"': '"', "\u201d": "\u201c", "\u00bb": "\u00ab"}[close_mark]
    text = f"Marta Ruiz said the harbour bill was {open_mark}dead on arrival.{close_mark}\n"
    [q] = extract_quotes(text)
    check_offsets(text, q)
    assert q.quote == f"the harbour bill was {open_mark}dead on arrival.{close_mark}"
    assert (q.speaker, q.cue, q.direct) == ("Marta Ruiz", "said", False)


def test_multi_paragraph_quotation_the_sentence_goes_on_after_stays_the_quotation() -> None:
    # The closing mark lies in the next paragraph: neither the reported-clause end nor the trailing-clause rule
    # reads a sentence across the paragraph break.
    text = 'Marta Ruiz said on Monday, "We have two weeks left.\n\n"Then the cranes stop" before the vote, she said.\n'
    [q] = extract_quotes(text)
    check_offsets(text, q)
    assert q.quote == 'We have two weeks left.\n\n"Then the cranes stop'
    assert (q.speaker, q.cue, q.direct, q.paragraph) == ("Marta Ruiz", "said", True, 0)


@pytest.mark.parametrize(
    "sentence, clause",
    [
        ('Dmitri Orlov, who is fighting the port plan, has picked up on the criticism, telling reporters that there is '
         '"a weird deal going on" with the council.', 'there is "a weird deal going on" with the council'),
        ('Dmitri Orlov called her "a weak witness," and then tweeted that she was "Disgraceful!"',
         'she was "Disgraceful!"'),
    ],
)
def test_reported_clause_when_the_verb_subject_is_the_sentence_subject(sentence: str, clause: str) -> None:
    # No subject right before the cue verb (a relative clause or a verb phrase stands between, or the context starts
    # after an earlier quotation of the sentence): the sentence's subject is the speaker and the reported clause
    # is kept.
    text = sentence + "\n"
    q = [q for q in extract_quotes(text) if q.quote.endswith(clause[-12:])][-1]
    check_offsets(text, q)
    assert (q.quote, q.speaker, q.direct) == (clause, "Dmitri Orlov", False)


def test_capitalised_sentence_after_the_verbs_object_is_a_direct_quotation() -> None:
    # "asked the crowd "If ...?"": the words between the verb and the mark are its object, not a reported clause.
    text = 'Marta Ruiz asked the dockers "If the council cannot tell us the truth, why should we trust it?"\n'
    [q] = extract_quotes(text)
    assert (q.quote, q.speaker, q.cue, q.direct) == (
        "If the council cannot tell us the truth, why should we trust it?", "Marta Ruiz", "asked", True)


def test_capitalised_quotation_after_a_clause_stays_a_reported_clause() -> None:
    # A verb in between makes the quotation the end of a reported clause, as before.
    text = 'Marta Ruiz said the slogan was "Save the docks, save the town."\n'
    [q] = extract_quotes(text)
    assert q.quote.startswith("the slogan was") and not q.direct


@pytest.mark.parametrize(
    "sentence, clause",
    [
        ('Dmitri Orlov promised Sunday at a rally in Rotterdam to "keep every crane running" for the strikers.',
         'to "keep every crane running" for the strikers'),
        ('Dmitri Orlov said Tuesday night the council was "playing games" with the port.',
         'the council was "playing games" with the port'),
        # the phrase goes on: it stays in the clause
        ('Dmitri Orlov said in an interview with the Gazette "nothing will change" for now.',
         'in an interview with the Gazette "nothing will change" for now'),
    ],
)
def test_time_or_place_after_the_cue_verb_is_no_part_of_the_reported_clause(sentence: str, clause: str) -> None:
    text = f"{sentence}\n"
    [q] = extract_quotes(text)
    check_offsets(text, q)
    assert (q.quote, q.speaker, q.direct) == (clause, "Dmitri Orlov", False)


def test_speech_noun_after_a_possessive_is_no_cue_verb_of_the_reported_clause() -> None:
    # "told reporters that Castagna's comments "Q"": "comments" is a noun here, so the reported clause starts at
    # "Castagna's", not at the quotation.
    text = ('Dmitri Orlov told reporters on Tuesday that Castagna\u2019s comments \u201cshow contempt for the '
            'dockers.\u201d\n')
    [q] = extract_quotes(text)
    check_offsets(text, q)
    assert (q.quote, q.speaker, q.cue, q.direct) == (
        "Castagna\u2019s comments \u201cshow contempt for the dockers.\u201d", "Dmitri Orlov", "told", False)
