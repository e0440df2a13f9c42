"""stance.articles: every input record yields one Article; bad records carry an error naming file and line."""

from __future__ import annotations

import io
import json
import sys

import pytest

from stance.data.articles import Article, html_to_text, iter_articles

HTML = """<html><head><title>t</title><style>p{color:red}</style><script>var x = "no";</script></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Port strike deepens</h1>
<p>Thousands of dock workers walked off the job at the port of Genoa on Tuesday, halting container traffic at
Italy's busiest harbour in protest against a plan to replace crane operators with remote-controlled machines.</p>
<p>&ldquo;We will not let a spreadsheet decide who feeds their family,&rdquo; said Dmitri Orlov, the union's
chairman, addressing a crowd of strikers outside the gate of the container terminal on the western quay.</p>
<p>The port authority said the plan would be presented to the regional government next month in Genoa.</p>
</article><footer>Copyright 2024 Example News</footer></body></html>"""


def test_txt_file_id_is_file_name(tmp_path):
    p = tmp_path / "story.txt"
    p.write_text("Hello world.\n\nSecond paragraph.", encoding="utf-8")
    [a] = list(iter_articles(p))
    assert a == Article("story.txt", "Hello world.\n\nSecond paragraph.")


def test_html_file_main_text(tmp_path):
    p = tmp_path / "page.html"
    p.write_text(HTML, encoding="utf-8")
    [a] = list(iter_articles(p))
    assert a.error is None and a.id == "page.html"
    assert "\u201cWe will not let a spreadsheet" in a.text
    assert "var x" not in a.text and "p{color" not in a.text
    assert "\n\n" in a.text  # paragraphs separated by blank lines


def test_html_fallback_stripper_for_fragments():
    text = html_to_text("<p>Short &amp; sweet.</p><p>Two.</p>")
    assert "Short & sweet." in text and "Two." in text


def test_jsonl_records_and_errors(tmp_path):
    p = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "Alpha text.", "targets": ["x", "y"]}),
        "",
        "{not json",
        json.dumps({"text": "no id"}),
        json.dumps({"id": "c"}),
        json.dumps({"id": "d", "text": "   "}),
        json.dumps({"id": "e", "html": "<p>From HTML.</p>"}),
        json.dumps(["a", "list"]),
        json.dumps({"id": 7, "text": "Integer id.", "targets": "one"}),
    ]
    raw = "\n".join(lines).encode("utf-8") + b"\n" + b'{"id": "f", "text": "caf\xe9"}\n'
    p.write_bytes(raw)
    arts = list(iter_articles(p))
    assert len(arts) == 9  # the blank line yields nothing, every other line one Article
    assert arts[0] == Article("a", "Alpha text.", None, ["x", "y"])
    by_line = {3: arts[1], 4: arts[2], 5: arts[3], 6: arts[4], 8: arts[6], 10: arts[8]}
    for lineno, a in by_line.items():
        assert a.text is None and f"in.jsonl, line {lineno}" in a.error, (lineno, a)
    assert "invalid JSON" in arts[1].error
    assert "missing field 'id'" in arts[2].error
    assert "missing field 'text'" in arts[3].error and arts[3].id == "c"
    assert "empty text" in arts[4].error
    assert arts[5].id == "e" and arts[5].text.strip() == "From HTML."
    assert "expected a JSON object" in arts[6].error
    assert arts[7] == Article("7", "Integer id.", None, ["one"])
    assert "not valid UTF-8" in arts[8].error


def test_custom_field_names(tmp_path):
    p = tmp_path / "in.jsonl"
    p.write_text(json.dumps({"doc": "z", "body": "Body text."}) + "\n", encoding="utf-8")
    [a] = list(iter_articles(p, id_field="doc", text_field="body"))
    assert (a.id, a.text) == ("z", "Body text.")


def test_jsonl_is_streamed(tmp_path):
    p = tmp_path / "big.jsonl"
    with p.open("w", encoding="utf-8") as fh:
        for i in range(1000):
            fh.write(json.dumps({"id": str(i), "text": f"Text {i}."}) + "\n")
    it = iter_articles(p)
    first = next(it)
    assert first.id == "0"
    # append after the first record was read: a streaming reader sees it, one that loaded the file would not
    with p.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "late", "text": "Appended."}) + "\n")
    rest = list(it)
    assert rest[-1].id == "late" and len(rest) == 1000


def test_directory_sorted_recursive_relative_ids(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.txt").write_text("Two.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("One.", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(json.dumps({"id": "x", "text": "Three."}) + "\n", encoding="utf-8")
    (tmp_path / "gold.json").write_text('{"quotes": []}', encoding="utf-8")  # metadata, skipped
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00bad")
    arts = list(iter_articles(tmp_path))
    assert [a.id for a in arts] == ["a.txt", "b/two.txt", "bad.txt", "x"]
    assert "not valid UTF-8" in arts[2].error and "bad.txt" in arts[2].error
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    [a] = list(iter_articles(empty))
    assert a.text is None and "empty text" in a.error


def test_missing_path_raises_file_not_found(tmp_path):
    missing = tmp_path / "nope.jsonl"
    with pytest.raises(FileNotFoundError, match="nope.jsonl"):
        list(iter_articles(missing))


def _set_stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_stdin_plain_text(monkeypatch):
    _set_stdin(monkeypatch, "\u201cWe will win,\u201d she said.\n".encode())
    [a] = list(iter_articles("-"))
    assert a.id == "stdin" and a.text.startswith("\u201cWe will win")


def test_stdin_jsonl(monkeypatch):
    data = (json.dumps({"id": "1", "text": "One."}) + "\n\n" + json.dumps({"id": "2", "text": "Two."}) + "\n").encode()
    _set_stdin(monkeypatch, data)
    arts = list(iter_articles(None))
    assert [(a.id, a.text) for a in arts] == [("1", "One."), ("2", "Two.")]


def test_stdin_mixed_lines_is_one_text(monkeypatch):
    _set_stdin(monkeypatch, b'{"id": "1", "text": "One."}\nplain line\n')
    [a] = list(iter_articles("-"))
    assert a.id == "stdin" and "plain line" in a.text
