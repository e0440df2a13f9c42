"""extract() as a whole: document order, paragraphs, input that is no text."""

from __future__ import annotations

from stance.quotes import extract, extract_quotes


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
