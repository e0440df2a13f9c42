"""No quotation is lost on the way from HTML to text (issue #26, point 3): when trafilatura returns a fragment of a
page without failing (runs of unclosed tags), all of the page's text is used instead, with a warning."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from stance.data.articles import html_to_text, iter_articles
from stance.quotes import extract_quotes

PARA = "<p>The council met on Tuesday to discuss the budget for the coming year and the plans for the port.\n"
QUOTE = '<p>"We will never accept this plan," the mayor said on Tuesday.\n'
#: 3,000 unclosed <font><b> pairs: trafilatura keeps about 12,000 of the page's 294,000 characters of text, and
#: not the quotation at the end
UNCLOSED = "<html><body><article>" + "".join(f"<font><b>{PARA}" for _ in range(3000)) + QUOTE + "</article></body></html>"


def test_a_page_whose_main_text_comes_back_short_keeps_its_quotation(tmp_path: Path,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    import trafilatura

    fragment = trafilatura.extract(UNCLOSED) or ""
    assert "never accept" not in fragment and len(fragment) < 30_000, "the loss this guards against"
    page = tmp_path / "page.html"
    page.write_text(UNCLOSED, encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        (article,) = iter_articles(page)
    assert "never accept" in article.text
    assert any(q.speaker == "the mayor" or "mayor" in (q.speaker or "") for q in extract_quotes(article.text))
    assert str(page) in caplog.text and "characters" in caplog.text


def test_an_ordinary_page_keeps_trafilatura_main_text() -> None:
    nav = "<nav>" + "".join(f"<a href='/s{i}'>Section {i}</a> " for i in range(40)) + "</nav>"
    body = "".join(f"<p>Paragraph {i} of the story, about the port and the council budget.</p>" for i in range(20))
    page = f"<html><body>{nav}<article><h1>Port row</h1>{body}{QUOTE}</p></article><footer>(c) Paper</footer></body></html>"
    text = html_to_text(page)
    assert "never accept" in text and "Section 17" not in text
