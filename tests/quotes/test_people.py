"""People: pronoun, surname and title resolution to the full name."""

from __future__ import annotations

from stance.quotes import extract_quotes
from tests.quotes.quote_helpers import only


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


def test_surnames_resolve_when_an_article_names_many_people() -> None:
    # past quotes._FIND_MAX_SURNAMES known surnames the lookup is one regex pass: same resolution as with few
    names = [f"Anna Tester{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(40)]
    text = " ".join(f"{n} attended." for n in names) + '\n\n"We will stay," Testerbn said.'
    quotes = extract_quotes(text)
    assert [(q.quote, q.speaker) for q in quotes] == [("We will stay,", "Anna Testerbn")]
