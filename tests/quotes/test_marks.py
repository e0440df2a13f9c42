"""The quotation-mark scanner: mark styles, nesting, multi-paragraph and unbalanced quotations, markup."""

from __future__ import annotations

import pytest

from stance.quotes import QuoteExtraction, extract, extract_quotes
from tests.quotes.quote_helpers import check_offsets, only


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


def test_markup_attribute_values_are_no_quotations() -> None:
    # Scraped text keeps tags such as <tweet author="..." date="...">: the marks around an attribute value are
    # markup, and do not pair with the marks of real quotations.
    text = ('Dmitri Orlov posted a reply.\n\n<tweet author="@portunion" date="\nWe will hold the gate until the '
            'council listens to the people who keep this port running every day.">Strike day two<tweet/>\n\n'
            '"We will not move an inch," Orlov said.\n')
    quotes = extract_quotes(text)
    assert [(q.quote, q.speaker) for q in quotes] == [("We will not move an inch,", "Dmitri Orlov")]


def test_a_stray_attribute_mark_in_prose_leaves_later_quotations_alone() -> None:
    # only marks inside a <tag ...> are markup: 'a="' typed in a sentence must not swallow a real opening mark
    text = ('He typed a=" into the box, he said.\n\nLater Obama said "We will win this thing." '
            'And Clinton said "more to come today."')
    assert [q.quote for q in extract_quotes(text)] == ["We will win this thing.", "more to come today."]


@pytest.mark.parametrize(("outer", "inner"), [
    (('"', '"'), ('"', '"')),
    (('"', '"'), ("\u201c", "\u201d")),
    (("\u201c", "\u201d"), ("\u201c", "\u201d")),
    (("\u201c", "\u201d"), ('"', '"')),
    (("\u00ab", "\u00bb"), ("\u00ab", "\u00bb")),
])
@pytest.mark.parametrize("form", ["after", "colon"])
def test_a_nested_quotation_stays_inside_its_parent_with_the_parents_speaker(outer, inner, form):
    """Issue #19: a quotation inside a quotation with the same (or sharing) double marks no longer closes its
    parent: the parent is one quotation, its speaker the one named outside it (not a person the words inside
    name, nor the one of the paragraph before)."""
    nested = f"He told me {inner[0]}never again{inner[1]} and walked out of the talks"
    if form == "after":
        text = f"Jones spoke first.\n\n{outer[0]}{nested},{outer[1]} Maria Smith said."
    else:
        text = f"Jones spoke first.\n\nMaria Smith said: {outer[0]}{nested}.{outer[1]}"
    [q] = only(text)
    check_offsets(text, q)
    assert q.quote.startswith("He told me") and q.quote.rstrip(",.").endswith("walked out of the talks")
    assert f"{inner[0]}never again{inner[1]}" in q.quote
    assert q.speaker == "Maria Smith"


def test_a_nested_quotation_that_names_a_speaker_does_not_take_the_attribution():
    """The words quoted inside a statement are not the statement: "Trump's claim that "Q" makes clear ...," wrote
    Klein is Klein's (PolNeAR had it as Trump's before nesting was read)."""
    text = ("Donald Trump spoke in Washington on Thursday.\n\n\u201cDonald Trump\u2019s claim that a peace deal "
            "\u201chas to do with whether Israel is willing to sacrifice\u201d makes clear that he has no clue,\u201d "
            "wrote Morton Klein, the group\u2019s president.")
    [q] = only(text)
    assert q.speaker == "Morton Klein" and "\u201chas to do with" in q.quote


@pytest.mark.parametrize("text", [
    # a closing mark missing its space, and a quotation whose opening one lost its closing mark: no nesting
    'Smith said, "We will win, "and then left the room before anyone could ask him a question about it.',
    "\u201cWe will win the vote in the spring. \u201cThe party is united,\u201d Smith said.",
])
def test_an_opening_mark_without_closing_marks_for_both_is_no_nesting(text):
    result = extract(text)
    assert all("\u201cThe party" not in q.quote for q in result.quotes)
    if "\u201cThe party" in text:  # read as before: the first quotation unclosed, both pieces of Smith's statement
        [q] = result.quotes
        assert [text[s:e] for s, e in q.pieces] == ["We will win the vote in the spring.", "The party is united,"]
        assert q.speaker == "Smith"
        assert any("not closed" in w for w in result.warnings)
