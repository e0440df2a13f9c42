"""Property-based tests (hypothesis) over the input readers and, read-only, the extractor's public API: arbitrary
Unicode, quotation marks, markup and sizes never raise, every record gives exactly one Article (text or error),
and every quotation span lies inside the text it came from (docs/reliability.md)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stance.data.articles import _strip_tags, html_to_text, iter_articles
from stance.quotes import extract_quotes

MARKS = ['"', "\u201c", "\u201d", "\u201e", "\u00ab", "\u00bb", "\u2018", "\u2019", "'", "\u2039", "\u203a",
         "\u300c", "\u300d"]
MARKUP = ["<p>", "</p>", "<br>", "<div class='a'>", "</div>", "<script>", "</script>", "<style>", "<!--", "-->",
          "<", ">", "&amp;", "&#x27;", "&#0;", "&unknown;", "<svg>", "<head>", "</ head>", "<![CDATA[", "]]>",
          "\u202e", "\u200f", "\u0301", "\ufeff", "\x00", "\r\n", "\u2028", " said ", "Anna Berg", ": "]
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

pieces = st.one_of(st.sampled_from(MARKS + MARKUP), st.text(max_size=20))
documents = st.one_of(st.text(max_size=300), st.lists(pieces, max_size=80).map("".join))
#: a few large documents: sizes the readers meet in scraped pages
large = st.tuples(st.lists(pieces, min_size=1, max_size=8).map("".join), st.integers(200, 4000)).map(
    lambda t: t[0] * t[1])


def _spans_inside(text: str) -> None:
    for q in extract_quotes(text):
        assert 0 <= q.quote_start <= q.quote_end <= len(text)
        assert text[q.quote_start:q.quote_end] == q.quote
        if q.speaker_start is not None:
            assert 0 <= q.speaker_start <= q.speaker_end <= len(text)


@SETTINGS
@given(documents)
def test_tag_stripper_and_html_reader_never_raise(markup: str) -> None:
    stripped = _strip_tags(markup)
    assert isinstance(stripped, str) and stripped == stripped.strip()
    assert "\n\n\n" not in stripped
    text = html_to_text(markup)
    assert isinstance(text, str)
    _spans_inside(text)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(large)
def test_large_markup_never_raises(markup: str) -> None:
    assert isinstance(_strip_tags(markup), str)


@SETTINGS
@given(documents)
def test_extracted_spans_lie_inside_the_text(text: str) -> None:
    _spans_inside(text)


@SETTINGS
@given(st.lists(st.one_of(
    documents.map(lambda t: json.dumps({"id": "x", "text": t}, ensure_ascii=False).encode("utf-8")),
    documents.map(lambda t: json.dumps({"id": 7, "html": t}).encode("utf-8")),
    st.binary(max_size=60),
    st.sampled_from([b"{}", b"[]", b'{"id": true, "text": "a"}', b'{"id": "a", "text": 12345}', b"\xff\xfe",
                     b'{"id": "a", "text": "x", "targets": [1]}', b"null"]),
), max_size=12))
def test_jsonl_reader_gives_one_article_per_record(lines: list[bytes]) -> None:
    lines = [ln.replace(b"\n", b" ").replace(b"\r", b" ") for ln in lines]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.jsonl"
        path.write_bytes(b"\n".join(lines) + b"\n")
        articles = list(iter_articles(path))
    assert len(articles) == sum(1 for ln in lines if ln.strip())
    for article in articles:
        assert (article.text is None) != (article.error is None)
        assert article.error is None or "in.jsonl, line" in article.error
        if article.text is not None:
            assert article.text.strip()
            _spans_inside(article.text)


@SETTINGS
@given(st.binary(max_size=400), st.sampled_from([".txt", ".html"]))
def test_text_and_html_files_give_one_article(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"a{suffix}"
        path.write_bytes(data)
        articles = list(iter_articles(path))
    assert len(articles) == 1
    article = articles[0]
    assert (article.text is None) != (article.error is None)
    if article.text is not None:
        _spans_inside(article.text)
