"""Attribution before the opening mark (rules/before.py)."""

from __future__ import annotations

from stance.quotes import extract_quotes
from tests.quotes.quote_helpers import INTRO, only


def test_speaker_said_colon_before():
    text = 'Elena Castagna said: "Automation is how Genoa stays in the game."'
    [q] = only(text)
    assert q.quote == "Automation is how Genoa stays in the game."
    assert (q.speaker, q.cue) == ("Elena Castagna", "said")


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


def test_subject_after_opening_phrase_for_participle_cue():
    text = (
        'During a national security speech earlier in the day, Trump attacked Clinton for her vote, '
        'saying, "She\'s trigger-happy and very unstable."'
    )
    [q] = only(text)
    assert q.speaker == "Trump"


def test_adding_after_said_is_the_cue_of_the_second_quotation():
    text = '"If she gets to pick her judges, nothing you can do," Trump said before adding: "Maybe there is."'
    qs = only(text)
    assert [(q.speaker, q.cue) for q in qs] == [("Trump", "said"), ("Trump", "adding")]


def test_last_cue_verb_with_its_own_subject_is_the_cue():
    text = ('While not everything Trump says is true, Jamieson said Trump is "telling his supporters what they '
            'want to believe is true."')
    [q] = extract_quotes(text)
    assert q.speaker == "Jamieson" and q.cue == "said"
    assert q.quote.startswith("Trump is")


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


def test_relative_pronoun_right_before_the_cue_verb_is_the_subject() -> None:
    # "..., from Elena Castagna, who declared at the quay, "Q"": the relative pronoun is the subject of the cue verb
    # (resolved to the person named before it), also when the context holds more than "who".
    text = ("Dmitri Orlov, the union's chairman, spoke first.\n\n"
            'On Tuesday the strikers got support from Elena Castagna, who declared at the quay, '
            '"The port belongs to the people who work in it."\n')
    [q] = extract_quotes(text)
    assert (q.speaker, q.cue, text[q.speaker_start : q.speaker_end]) == ("Elena Castagna", "declared", "who")


def test_any_speech_participle_after_the_verb_is_the_cue_of_the_next_quotation() -> None:
    # ""Q1," Orlov said on the radio, remarking that the council was "Q2"": the participle ("remarking", as
    # "adding" before) is the cue of the quotation it introduces, so the two are separate attributions.
    text = ('"We are ready to talk," Dmitri Orlov said on the radio, remarking that the council was '
            '"still hiding the real numbers from the dockers."\n')
    q1, q2 = extract_quotes(text)
    assert (q1.cue, q2.cue) == ("said", "remarking")
    assert q2.speaker == "Dmitri Orlov"


def test_subordinating_conjunction_starts_the_subject_of_the_last_cue_verb() -> None:
    # ""Q1," Orlov tweeted after Castagna argued at the hearing that "Q2"": the second quotation's cue is the verb of
    # the clause after "after", whose subject is Castagna.
    text = ('Dmitri Orlov and Elena Castagna met on Monday.\n\n'
            '"The port will close," Orlov tweeted after Castagna argued at the hearing that "the port is safe for '
            'another decade."\n')
    q1, q2 = extract_quotes(text)
    assert (q1.speaker, q1.cue) == ("Dmitri Orlov", "tweeted")
    assert (q2.speaker, q2.cue) == ("Elena Castagna", "argued")
