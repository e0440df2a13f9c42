"""What is no quotation: titles, fragments, short uncued quotations (rules/filters.py)."""

from __future__ import annotations

from stance.quotes import extract_quotes
from tests.quotes.quote_helpers import only


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


def test_reported_clause_that_is_only_a_short_quotation_is_a_fragment() -> None:
    # The clause starts after the label verb "calling", so it is the quotation alone, marks included: a fragment of
    # three lowercase words, not returned (it was returned without its closing mark before).
    text = "At one point, Marta Ruiz said the dockers were calling \u201cevery 15 minutes.\u201d\n"
    assert extract_quotes(text) == []


def test_uncued_quotation_needs_thirteen_words() -> None:
    # Without a cue or a speaker to inherit, a quotation is kept only from 13 words on (tuned on PolNeAR train).
    intro = "Maria Delgado, who runs the shelter, has watched the numbers climb all winter.\n\n"
    twelve = "\u201cEvery night we turn people away at the door and they wait.\u201d\n"
    thirteen = "\u201cEvery night we turn people away at the door and they wait outside.\u201d\n"
    assert only(intro + twelve) == []
    [q] = only(intro + thirteen)
    assert (q.speaker, q.cue) == ("Maria Delgado", None)
