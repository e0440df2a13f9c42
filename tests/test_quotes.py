"""One unit test per pattern the quote extractor supports (issue 5), on short hand-written texts."""

from __future__ import annotations

import dataclasses

import pytest

from stance.quotes import Quote, QuoteExtraction, extract, extract_quotes


def only(text: str, direct: bool | None = True) -> list[Quote]:
    qs = extract_quotes(text)
    return [q for q in qs if direct is None or q.direct == direct]


def check_offsets(text: str, q: Quote) -> None:
    assert text[q.quote_start : q.quote_end] == q.quote
    if q.speaker_start is not None:
        assert 0 <= q.speaker_start < q.speaker_end <= len(text)


INTRO = "Dmitri Orlov, the union's chairman, spoke outside the gate on Tuesday.\n\n"


def test_quote_fields_and_to_dict():
    names = [f.name for f in dataclasses.fields(Quote)]
    assert names == [
        "quote", "quote_start", "quote_end", "speaker", "speaker_start", "speaker_end", "role", "cue", "direct",
        "paragraph",
    ]
    q = extract_quotes('"We will not move an inch," said Dmitri Orlov.')[0]
    d = q.to_dict()
    assert set(d) == set(names) and d["quote"] == "We will not move an inch,"


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


def test_speaker_said_colon_before():
    text = 'Elena Castagna said: "Automation is how Genoa stays in the game."'
    [q] = only(text)
    assert q.quote == "Automation is how Genoa stays in the game."
    assert (q.speaker, q.cue) == ("Elena Castagna", "said")


def test_indirect_said_that():
    text = "Dmitri Orlov said that the authority had never produced an independent safety study."
    [q] = only(text, direct=False)
    check_offsets(text, q)
    assert q.quote == "the authority had never produced an independent safety study"
    assert (q.speaker, q.cue, q.direct) == ("Dmitri Orlov", "said", False)


def test_according_to():
    text = INTRO + "According to Orlov, the retraining scheme covers fewer than half of the posts."
    [q] = only(text, direct=False)
    assert q.quote == "the retraining scheme covers fewer than half of the posts"
    assert q.speaker == "Dmitri Orlov" and q.cue == "according to"
    assert text[q.speaker_start : q.speaker_end] == "Orlov"
    assert q.paragraph == 1


def test_transcript_line_with_title():
    text = (
        "Sergey Lavrov, Foreign Minister of Russia: \u201cWe draw a sad conclusion that the tragedies did not "
        "become lessons.\u201d"
    )
    [q] = only(text)
    assert q.speaker == "Sergey Lavrov" and q.role == "Foreign Minister of Russia" and q.cue == ":"


def test_split_quote_two_entries_same_speaker():
    text = '"We need the terminal open next week," Marco Ferretti said. "Our customers do not care who drives."'
    qs = only(text)
    assert [q.quote for q in qs] == ["We need the terminal open next week,", "Our customers do not care who drives."]
    assert {q.speaker for q in qs} == {"Marco Ferretti"}
    assert {q.cue for q in qs} == {"said"}


def test_split_quote_inside_one_sentence():
    text = '"We tried this once," said Lucia Bertolini, a crane operator, "and we will try it again."'
    qs = only(text)
    assert [q.quote for q in qs] == ["We tried this once,", "and we will try it again."]
    assert all(q.speaker == "Lucia Bertolini" for q in qs)


def test_multi_paragraph_quote():
    text = (
        "Judge In\u00eas Carvalho wrote for the majority:\n\n"
        "\u201cThe Constitution does not forbid the state from investigating crimes quickly.\n\n"
        "\u201cBut it forbids the state from doing so without a judge.\u201d\n\n"
        "The ruling takes effect immediately."
    )
    [q] = only(text)
    assert q.quote.startswith("The Constitution does not forbid")
    assert q.quote.endswith("without a judge.")
    assert "\n\n\u201cBut it forbids" in q.quote
    assert q.paragraph == 1
    assert q.speaker == "In\u00eas Carvalho" and q.cue == "wrote"


@pytest.mark.parametrize(
    "open_mark, close_mark",
    [("\u201c", "\u201d"), ("\u00ab", "\u00bb"), ("\u201e", "\u201c"), ('"', '"'), ("\u00ab\u202f", "\u202f\u00bb")],
)
def test_quote_mark_styles(open_mark, close_mark):
    text = f"{open_mark}A deadline that nobody believes is worse than no deadline,{close_mark} Sophie Delacroix said."
    [q] = only(text)
    check_offsets(text, q)
    assert q.quote == "A deadline that nobody believes is worse than no deadline,"
    assert q.speaker == "Sophie Delacroix"


def test_single_quotes_inside_double_stay_inside():
    text = (
        "\u201cWhen the minister told parliament that \u2018honest citizens have nothing to fear\u2019, he was wrong,"
        "\u201d Marta Sequeira said."
    )
    [q] = extract_quotes(text)
    assert "\u2018honest citizens have nothing to fear\u2019" in q.quote
    assert q.speaker == "Marta Sequeira" and q.direct


def test_pronoun_resolved_to_most_recent_person():
    text = (
        "Port Authority President Elena Castagna defended the plan on Tuesday.\n\n"
        '"Nobody will be left on the pavement," she added.'
    )
    [q] = only(text)
    assert q.speaker == "Elena Castagna" and q.cue == "added"
    assert text[q.speaker_start : q.speaker_end] == "she"


def test_pronoun_resolution_respects_gender():
    text = (
        "Trade Commissioner Margarethe Lindholm met Jean-Luc Barrault in Brussels.\n\n"
        '"If Ankara comes with a serious offer, we will study it," she added.'
    )
    [q] = only(text)
    assert q.speaker == "Margarethe Lindholm"


def test_surname_resolved_to_full_name():
    text = (
        "Sergey Lavrov met his Venezuelan counterpart on Monday.\n\n"
        '"Using military force would be a humiliation for the region," Lavrov said.'
    )
    [q] = only(text)
    assert q.speaker == "Sergey Lavrov"
    assert text[q.speaker_start : q.speaker_end] == "Lavrov"


def test_title_phrase_resolved_to_person_with_that_role():
    text = (
        "Finance Minister Jana Kubatova criticised the decision.\n\n"
        "The minister said that the bank was punishing households for price increases."
    )
    [q] = only(text, direct=False)
    assert q.speaker == "Jana Kubatova"
    assert text[q.speaker_start : q.speaker_end] == "The minister"


def test_uncued_quote_inherits_previous_speaker_in_run():
    text = (
        '"We are not finished," Governor Tomas Novotny said. "But we are closer to the end than to the '
        'beginning."\n\n"Inflation is still too high for comfort in this economy."'
    )
    qs = only(text)
    assert len(qs) == 3
    assert all(q.speaker == "Tomas Novotny" for q in qs)
    assert qs[2].paragraph == 1


def test_scare_quotes_and_titles_not_returned():
    text = (
        "The port authority markets the project as the \u201cSmart Harbour\u201d programme. "
        "The festival opens with \u201cThe Long Night\u201d, a thriller. "
        "Guaido's party Voluntad Popular (\"People's will\") met on Monday."
    )
    assert extract_quotes(text) == []


def test_people_s_will_in_seed_style_is_not_a_quote():
    text = 'Guaido\'s fellow party member of Voluntad Popular ("People\'s will") Leopoldo Lopez is in hiding.'
    assert extract_quotes(text) == []


def test_unbalanced_quote_recorded_not_raised():
    text = '"We will win this fight, and we will win it soon, Dmitri Orlov said at the rally on Tuesday.'
    res = extract(text)
    assert isinstance(res, QuoteExtraction)
    assert res.warnings and "unbalanced" in res.warnings[0]
    for q in res.quotes:
        check_offsets(text, q)


def test_stray_closing_mark_recorded():
    res = extract("He left.\u201d Then nothing happened.")
    assert res.quotes == []
    assert any("closing quotation mark" in w for w in res.warnings)


def test_quotes_in_document_order_and_paragraphs():
    text = (
        "Headline\n\n"
        '"First quote goes here," Anna Berg said.\n\n'
        "Anna Berg said that the second point was indirect.\n\n"
        '"Third quote goes here," said Paul Roth.'
    )
    qs = extract_quotes(text)
    assert [q.paragraph for q in qs] == [1, 2, 3]
    assert [q.quote_start for q in qs] == sorted(q.quote_start for q in qs)
    assert [q.direct for q in qs] == [True, False, True]


def test_non_str_input_does_not_raise():
    res = extract(None)  # type: ignore[arg-type]
    assert res.quotes == [] and res.warnings
    assert extract_quotes("") == []


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


def test_so_called_phrase_and_distant_cue_are_not_quotes():
    text = (
        "The summit's so-called \u00abcoalition of the willing\u00bb met on Wednesday night.\n\n"
        "Orlov said the talks went on for hours about the \"new framework for the port\" and its funding.\n"
    )
    assert only(text) == []


def test_uncued_long_quote_gets_last_person_named_as_a_guess():
    text = (
        "Maria Delgado, who runs the shelter, has watched the numbers climb all winter.\n\n"
        "\u201cEvery night we turn people away at the door, and every night there are more of them waiting "
        "outside in the cold.\u201d\n"
    )
    [q] = only(text)
    assert q.speaker == "Maria Delgado"
    assert q.cue is None and q.speaker_start is None


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


def test_transcript_label_inside_quotation():
    text = (
        "Partial transcript as follows:\n\n"
        "\"WALLACE: Will she actually be there tomorrow night, and why would the campaign invite her at all?\"\n\n"
        "\"PENCE: Well, the question really should be why the other campaign invited a celebrity to the front row.\"\n"
    )
    qs = only(text)
    assert [q.speaker for q in qs] == ["WALLACE", "PENCE"]


def test_subject_after_opening_phrase_for_participle_cue():
    text = (
        'During a national security speech earlier in the day, Trump attacked Clinton for her vote, '
        'saying, "She\'s trigger-happy and very unstable."'
    )
    [q] = only(text)
    assert q.speaker == "Trump"


def test_lowercase_quote_inside_a_longer_reported_clause_is_reported_speech():
    text = "Obama said \u201cit gets me mad\u201d every time he thinks about the children who were killed.\n"
    [q] = extract_quotes(text)
    assert not q.direct and q.speaker == "Obama"
    assert q.quote == "\u201cit gets me mad\u201d every time he thinks about the children who were killed"
    check_offsets(text, q)


def test_adding_after_said_is_the_cue_of_the_second_quotation():
    text = '"If she gets to pick her judges, nothing you can do," Trump said before adding: "Maybe there is."'
    qs = only(text)
    assert [(q.speaker, q.cue) for q in qs] == [("Trump", "said"), ("Trump", "adding")]


def test_reported_clause_starts_after_that_when_the_verb_has_an_object():
    text = 'Patrick told Cruz backers on Saturday night that Cruz has "taken every punch they have thrown at him."'
    [q] = extract_quotes(text)
    assert q.quote.startswith("Cruz has") and q.direct and q.speaker == "Patrick"


def test_last_cue_verb_with_its_own_subject_is_the_cue():
    text = ('While not everything Trump says is true, Jamieson said Trump is "telling his supporters what they '
            'want to believe is true."')
    [q] = extract_quotes(text)
    assert q.speaker == "Jamieson" and q.cue == "said"
    assert q.quote.startswith("Trump is")


def test_sentence_after_a_full_stop_quote_is_not_its_attribution():
    text = ('Lisa Madigan asserted that "trust in the Chicago Police Department is broken." '
            'Democratic candidates agreed with her on Monday.')
    [q] = extract_quotes(text)
    assert q.speaker == "Lisa Madigan"


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


def test_abbreviation_inside_the_reported_clause_does_not_end_the_sentence():
    text = ('Defense Secretary Ash Carter said the U.S. approach to the region remained '
            '\u201cone of commitment, strength and inclusion\u201d, but he also warned China.')
    [q] = extract_quotes(text)
    assert not q.direct and q.quote.startswith("the U.S. approach")
    assert q.speaker == "Ash Carter"


def test_adverb_after_the_name_is_not_part_of_the_speaker() -> None:
    quotes = extract_quotes("Juan Guaido spoke on Monday. A day later, Guaido still admitted that the assembly can act.")
    assert [q.speaker for q in quotes] == ["Juan Guaido"]


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
    qs = extract_quotes(text)
    assert [q.direct for q in qs] == [True, True]
    assert qs[1].quote == "The dockers built it and the dockers will run it."
    assert qs[1].speaker == "Marta Ruiz" and qs[1].cue == "said"


def test_quotation_opening_a_parenthesis_is_not_a_reported_clause() -> None:
    text = ('The deal drew anger from the dockers ("I want my job back," wrote Luca Bianchi, '
            'a crane operator, on the union forum).\n')
    [q] = extract_quotes(text)
    assert q.quote == "I want my job back," and q.direct and q.speaker == "Luca Bianchi"


def test_relative_who_after_an_inverted_attribution_is_the_next_quotations_subject() -> None:
    text = ('"The port is being sold off piece by piece," said Marta Ruiz, who said there were '
            '"too many unanswered questions about the contract."\n')
    qs = extract_quotes(text)
    assert len(qs) == 2
    first, second = qs
    assert first.quote == "The port is being sold off piece by piece," and first.speaker == "Marta Ruiz"
    assert text[second.speaker_start : second.speaker_end] == "who"
    assert second.speaker == "Marta Ruiz" and second.cue == "said"
    assert second.speaker_start != first.speaker_start


def test_party_tag_after_the_name_neither_ends_the_sentence_nor_joins_the_name() -> None:
    text = ('Harbour news.\n\nSenate Minority Leader Harry M. Reid (D-Nev.) told reporters that the council '
            '"may have broken the law" by selling the quay.\n')
    [q] = extract_quotes(text)
    assert q.speaker == "Harry M. Reid" and q.cue == "told"
    assert q.quote.startswith("the council ") and not q.direct


def test_lowercase_quotation_after_a_comma_continues_the_reported_clause() -> None:
    text = 'Marta Ruiz said the collapse was not mainly the fault of the dockers, "not by a long shot."\n'
    [q] = extract_quotes(text)
    assert q.quote.startswith("the collapse was not mainly") and not q.direct
    split = '"That does not mean no answer," Marta Ruiz said late last month, "but a quiet one."\n'
    assert [q.direct for q in extract_quotes(split)] == [True, True]


def test_quotation_inside_a_clause_attributed_at_the_sentence_end() -> None:
    text = ('The union met on Friday.\n\n"We do not oppose anything" about automation in the port meetings, '
            'Dmitri Orlov said.\n')
    [q] = extract_quotes(text)
    check_offsets(text, q)
    assert q.quote == '"We do not oppose anything" about automation in the port meetings'
    assert (q.speaker, q.cue, q.direct, q.paragraph) == ("Dmitri Orlov", "said", False, 1)


def test_programme_title_in_the_attribution_is_no_quotation_and_keeps_the_run() -> None:
    text = ('"We are not winning this fight," Marta Ruiz said on RAI\'s "Porta A Porta" on Sunday. '
            '"We need new cranes and we need them now."\n')
    qs = extract_quotes(text)
    assert [q.quote for q in qs] == ["We are not winning this fight,", "We need new cranes and we need them now."]
    assert qs[0].speaker_start == qs[1].speaker_start and qs[1].cue == "said"
    book = 'Marta Ruiz wrote about the strike in her memoir, "Hard Choices On The Quay."\n'
    assert [q for q in extract_quotes(book) if q.direct] == []


def test_reported_clause_starts_after_a_label_verb_closer_to_the_quotation() -> None:
    text = ('Marta Ruiz blasted the minister during a rally at the port gate, calling him '
            '"the worst harbour minister in fifty years."\n')
    [q] = extract_quotes(text)
    assert q.quote.startswith('him "the worst harbour minister')
    assert q.speaker == "Marta Ruiz" and q.direct


def test_title_before_the_speaker_is_a_boundary_of_the_subject() -> None:
    text = 'Speaking on RAI\'s "Porta A Porta," Ruiz said the plan was "a disaster" for the dockers.\n'
    [q] = extract_quotes(text)
    check_offsets(text, q)
    assert text[q.speaker_start : q.speaker_end] == "Ruiz"
    assert q.speaker == "Ruiz" and q.cue == "said"
    memoir = 'In her memoir, "Hard Choices," Marta Ruiz wrote: "I never gave up on the harbour."\n'
    [q] = extract_quotes(memoir)
    assert q.quote == "I never gave up on the harbour." and q.speaker == "Marta Ruiz" and q.direct


def test_speaker_mention_never_crosses_a_quotation_mark() -> None:
    # Scare quotes on the object of the sentence: the participle's subject is the sentence's subject.
    text = 'Marta Ruiz needled the harbour "experts," saying, "Not one of them has ever loaded a ship!"\n'
    [q] = extract_quotes(text)
    assert (q.speaker, text[q.speaker_start : q.speaker_end], q.cue) == ("Marta Ruiz", "Marta Ruiz", "saying")
    # A title between the subject and its verb.
    text = 'Marta Ruiz, on RAI\'s "Porta A Porta," said "Not one of them has ever loaded a ship!"\n'
    [q] = extract_quotes(text)
    assert (q.speaker, text[q.speaker_start : q.speaker_end], q.cue) == ("Marta Ruiz", "Marta Ruiz", "said")


def test_reported_speech_with_a_programme_title_as_the_object() -> None:
    text = 'Marta Ruiz told RAI\'s "Porta A Porta" that she would run for the port council again.\n'
    [q] = extract_quotes(text)
    check_offsets(text, q)
    assert (q.quote, q.speaker, q.cue, q.direct) == ("she would run for the port council again", "Marta Ruiz", "told",
                                                      False)


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


def test_reported_clause_that_is_only_a_short_quotation_is_a_fragment() -> None:
    # The clause starts after the label verb "calling", so it is the quotation alone, marks included: a fragment of
    # three lowercase words, not returned (it was returned without its closing mark before).
    text = "At one point, Marta Ruiz said the dockers were calling \u201cevery 15 minutes.\u201d\n"
    assert extract_quotes(text) == []


def test_multi_paragraph_quotation_the_sentence_goes_on_after_stays_the_quotation() -> None:
    # The closing mark lies in the next paragraph: neither the reported-clause end nor the trailing-clause rule
    # reads a sentence across the paragraph break.
    text = 'Marta Ruiz said on Monday, "We have two weeks left.\n\n"Then the cranes stop" before the vote, she said.\n'
    [q] = extract_quotes(text)
    check_offsets(text, q)
    assert q.quote == 'We have two weeks left.\n\n"Then the cranes stop'
    assert (q.speaker, q.cue, q.direct, q.paragraph) == ("Marta Ruiz", "said", True, 0)


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
    q1, q2 = extract_quotes(text)
    assert (q1.speaker, q1.cue, q2.speaker, q2.cue) == ("Marta Ruiz", "asked", "Marta Ruiz", "asked")


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
    q1, q2 = extract_quotes(text)
    assert (q1.speaker, q1.cue) == ("Dmitri Orlov", tail.rstrip(".").split()[-1])
    assert (q2.speaker, q2.cue) == ("Dmitri Orlov", q1.cue)


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


def test_cue_in_the_quotations_own_sentence_comes_before_the_verb_of_the_sentence_before() -> None:
    # A quotation without an attribution of its own form takes the cue verb of its own sentence ("called") before
    # the speech verb of the sentence before it ("said"): the two quotations are separate attributions.
    text = ('"The port has never been busier," Dmitri Orlov said. Elena Castagna called the plan '
            '"a gift to the shipping companies and nobody else."\n')
    q1, q2 = extract_quotes(text)
    assert (q1.speaker, q1.cue) == ("Dmitri Orlov", "said")
    assert (q2.speaker, q2.cue, text[q2.speaker_start : q2.speaker_end]) == ("Elena Castagna", "called", "Elena Castagna")


def test_quotation_ending_with_a_full_stop_inside_the_marks_ends_its_clause() -> None:
    # A cue verb earlier in the sentence: the quotation ends its clause when a full stop inside the marks ends the
    # sentence, even though the next sentence follows right after the closing mark.
    text = ('Dmitri Orlov spoke on Monday. During the hearing Orlov turned to the shipping plan, calling it '
            '"a betrayal of every docker." Castagna left the room.\n')
    [q] = extract_quotes(text)
    check_offsets(text, q)
    assert (q.quote, q.speaker, q.cue, q.direct) == ('it "a betrayal of every docker."', "Dmitri Orlov", "calling", True)


def test_relative_pronoun_right_before_the_cue_verb_is_the_subject() -> None:
    # "..., from Elena Castagna, who declared at the quay, "Q"": the relative pronoun is the subject of the cue verb
    # (resolved to the person named before it), also when the context holds more than "who".
    text = ("Dmitri Orlov, the union's chairman, spoke first.\n\n"
            'On Tuesday the strikers got support from Elena Castagna, who declared at the quay, '
            '"The port belongs to the people who work in it."\n')
    [q] = extract_quotes(text)
    assert (q.speaker, q.cue, text[q.speaker_start : q.speaker_end]) == ("Elena Castagna", "declared", "who")


def test_markup_attribute_values_are_no_quotations() -> None:
    # Scraped text keeps tags such as <tweet author="..." date="...">: the marks around an attribute value are
    # markup, and do not pair with the marks of real quotations.
    text = ('Dmitri Orlov posted a reply.\n\n<tweet author="@portunion" date="\nWe will hold the gate until the '
            'council listens to the people who keep this port running every day.">Strike day two<tweet/>\n\n'
            '"We will not move an inch," Orlov said.\n')
    quotes = extract_quotes(text)
    assert [(q.quote, q.speaker) for q in quotes] == [("We will not move an inch,", "Dmitri Orlov")]


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


def test_any_speech_participle_after_the_verb_is_the_cue_of_the_next_quotation() -> None:
    # ""Q1," Orlov said on the radio, remarking that the council was "Q2"": the participle ("remarking", as
    # "adding" before) is the cue of the quotation it introduces, so the two are separate attributions.
    text = ('"We are ready to talk," Dmitri Orlov said on the radio, remarking that the council was '
            '"still hiding the real numbers from the dockers."\n')
    q1, q2 = extract_quotes(text)
    assert (q1.cue, q2.cue) == ("said", "remarking")
    assert q2.speaker == "Dmitri Orlov"


def test_quotation_inside_a_sentence_does_not_take_the_speech_verb_of_the_sentence_before() -> None:
    # "Orlov said ... . Many dockers see the plan as "Q."": a quotation with words of its own sentence before it is
    # no quotation of the sentence before; a quotation that is its whole sentence still is.
    text = ('Dmitri Orlov said that the strike would go on. Many dockers see the plan as "a gift to the shipping '
            'companies."\n\nCastagna answered questions from reporters, Orlov said. "We will not move an inch."\n')
    [q] = only(text)
    assert (q.quote, q.speaker, q.cue) == ("We will not move an inch.", "Dmitri Orlov", "said")


def test_naming_verb_object_and_quoted_name_are_direct_however_long_the_object() -> None:
    # The quoted words are the name given verbatim; the object is what is named, so the pair is direct even when
    # the object's letters are more than a fifth of the whole.
    text = 'Dmitri Orlov spoke on Monday. He branded Elena Castagna an "enemy of the quay."\n'
    [q] = extract_quotes(text)
    check_offsets(text, q)
    assert (q.quote, q.speaker, q.cue, q.direct) == ('Elena Castagna an "enemy of the quay."', "Dmitri Orlov", "branded", True)


def test_uncued_quotation_needs_thirteen_words() -> None:
    # Without a cue or a speaker to inherit, a quotation is kept only from 13 words on (tuned on PolNeAR train).
    intro = "Maria Delgado, who runs the shelter, has watched the numbers climb all winter.\n\n"
    twelve = "\u201cEvery night we turn people away at the door and they wait.\u201d\n"
    thirteen = "\u201cEvery night we turn people away at the door and they wait outside.\u201d\n"
    assert only(intro + twelve) == []
    [q] = only(intro + thirteen)
    assert (q.speaker, q.cue) == ("Maria Delgado", None)


def test_subordinating_conjunction_starts_the_subject_of_the_last_cue_verb() -> None:
    # ""Q1," Orlov tweeted after Castagna argued at the hearing that "Q2"": the second quotation's cue is the verb of
    # the clause after "after", whose subject is Castagna.
    text = ('Dmitri Orlov and Elena Castagna met on Monday.\n\n'
            '"The port will close," Orlov tweeted after Castagna argued at the hearing that "the port is safe for '
            'another decade."\n')
    q1, q2 = extract_quotes(text)
    assert (q1.speaker, q1.cue) == ("Dmitri Orlov", "tweeted")
    assert (q2.speaker, q2.cue) == ("Elena Castagna", "argued")


def test_speech_noun_after_a_possessive_is_no_cue_verb_of_the_reported_clause() -> None:
    # "told reporters that Castagna's comments "Q"": "comments" is a noun here, so the reported clause starts at
    # "Castagna's", not at the quotation.
    text = ('Dmitri Orlov told reporters on Tuesday that Castagna\u2019s comments \u201cshow contempt for the '
            'dockers.\u201d\n')
    [q] = extract_quotes(text)
    check_offsets(text, q)
    assert (q.quote, q.speaker, q.cue, q.direct) == (
        "Castagna\u2019s comments \u201cshow contempt for the dockers.\u201d", "Dmitri Orlov", "told", False)


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


def test_a_stray_attribute_mark_in_prose_leaves_later_quotations_alone() -> None:
    # only marks inside a <tag ...> are markup: 'a="' typed in a sentence must not swallow a real opening mark
    text = ('He typed a=" into the box, he said.\n\nLater Obama said "We will win this thing." '
            'And Clinton said "more to come today."')
    assert [q.quote for q in extract_quotes(text)] == ["We will win this thing.", "more to come today."]


def test_surnames_resolve_when_an_article_names_many_people() -> None:
    # past quotes._FIND_MAX_SURNAMES known surnames the lookup is one regex pass: same resolution as with few
    names = [f"Anna Tester{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(40)]
    text = " ".join(f"{n} attended." for n in names) + '\n\n"We will stay," Testerbn said.'
    quotes = extract_quotes(text)
    assert [(q.quote, q.speaker) for q in quotes] == [("We will stay,", "Anna Testerbn")]
