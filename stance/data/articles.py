"""Read news articles from plain text, HTML, JSONL, a directory of them, or stdin, one ``Article`` at a time.

Every input record yields exactly one :class:`Article`. A record that cannot be read (invalid JSON, a missing field,
bytes that are not UTF-8, empty text) yields an ``Article`` whose ``error`` names the file and line and whose
``text`` is ``None``, so that one bad record never stops a long run. JSONL is streamed line by line.

HTML main text is extracted with trafilatura; when it finds nothing (very short pages, fragments), a simple tag
stripper is used instead.
"""

from __future__ import annotations

import html as html_lib
import io
import json
import logging
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from stance.errors import InputNotFoundError

log = logging.getLogger(__name__)

__all__ = ["Article", "iter_articles", "html_to_text", "input_files", "iter_jsonl_range", "iter_parquet",
           "read_text_file"]

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".json", ".ndjson"}
PARQUET_SUFFIXES = {".parquet"}
_SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | PARQUET_SUFFIXES


@dataclass
class Article:
    """One article: its id, its text (``None`` when it could not be read) and, for JSONL input, its targets."""

    id: str
    text: str | None
    error: str | None = None
    targets: list[str] | None = None


# --------------------------------------------------------------------------------------------------------------------
# HTML

_DROP_NAMES = ("script", "style", "noscript", "template", "svg", "head")
_DROP_OPEN = re.compile(r"(script|style|noscript|template|svg|head)\b", re.IGNORECASE)
_DROP_CLOSE = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE) for name in _DROP_NAMES}
_BLOCK_NAME = re.compile(r"(p|div|br|li|ul|ol|h[1-6]|tr|table|section|article|blockquote|header|footer)\b", re.IGNORECASE)
#: main text under this share of the page's whole text, and at least MIN_LOST_CHARACTERS shorter, is taken for a
#: lost one: navigation and footers seldom outweigh an article ten to one
MIN_MAIN_TEXT_SHARE = 0.1
MIN_LOST_CHARACTERS = 1000
_BLANKS = re.compile(r"[ \t\r\f\v\u00a0]+")


def _is_block_tag(inner: str) -> bool:
    """Whether the text between ``<`` and ``>`` opens or closes a block element (``p``, ``/div``, ``br/``)."""
    inner = inner.lstrip()
    if inner.startswith("/"):
        inner = inner[1:].lstrip()
    return _BLOCK_NAME.match(inner) is not None


def _strip_tags(markup: str) -> str:
    """A plain tag stripper: block elements become paragraph breaks, entities are decoded.

    One pass with ``str.find`` and anchored matches, in linear time: a closing mark (``-->``, ``</script>``,
    ``>``) found missing once is never searched for again, so unclosed tags cannot make it quadratic."""
    out: list[str] = []
    missing: set[str] = set()  # closing marks known to be absent from the rest of the markup
    i, n = 0, len(markup)
    while i < n:
        lt = markup.find("<", i)
        if lt < 0:
            out.append(markup[i:])
            break
        out.append(markup[i:lt])
        i = lt
        if markup.startswith("<!--", i) and "-->" not in missing:
            end = markup.find("-->", i + 4)
            if end >= 0:
                out.append(" ")
                i = end + 3
                continue
            missing.add("-->")
        drop = _DROP_OPEN.match(markup, i + 1)
        if drop is not None and drop.group(1).lower() not in missing:
            name = drop.group(1).lower()
            close = _DROP_CLOSE[name].search(markup, drop.end())
            if close is not None:
                out.append(" ")
                i = close.end()
                continue
            missing.add(name)
        end = -1 if ">" in missing else markup.find(">", i + 1)
        if end < 0:
            missing.add(">")
            out.append(markup[i:])
            break
        if end == i + 1:  # "<>" is text
            out.append("<")
            i += 1
            continue
        out.append("\n\n" if _is_block_tag(markup[i + 1:end]) else " ")
        i = end + 1
    text = html_lib.unescape("".join(out))
    lines = [_BLANKS.sub(" ", line).strip() for line in text.split("\n")]
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:  # runs of blank lines become one paragraph break
        if line:
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return "\n\n".join(paragraphs)


def html_to_text(markup: str, name: str = "HTML page") -> str:
    """Main text of an HTML page, paragraphs separated by blank lines: trafilatura's, unless it is implausibly short
    next to all the page's text (then the tag stripper's, with a warning naming ``name``)."""
    text = ""
    try:
        import trafilatura

        text = trafilatura.extract(markup, include_comments=False, include_tables=False, favor_precision=False) or ""
    except Exception:  # noqa: BLE001 - trafilatura failing on odd markup falls back to the stripper
        text = ""
    # trafilatura separates paragraphs by single newlines; the quote extractor reads blank lines.
    text = "\n\n".join(line.strip() for line in text.splitlines() if line.strip())
    stripped = _strip_tags(markup)
    if text and not _implausibly_short(text, stripped):
        return text
    if text:
        log.warning("%s: the main-text extraction kept %d of the page's %d characters of text (unclosed tags?); "
                    "using all of the page's text instead, so no quotation is lost", name, len(text), len(stripped))
    return stripped


def _implausibly_short(main: str, whole: str) -> bool:
    """Whether a main text is too short a part of a page's whole text to be all of its article (trafilatura stops
    at some runs of unclosed tags and returns a fragment without failing)."""
    return len(main) < MIN_MAIN_TEXT_SHARE * len(whole) and len(whole) - len(main) >= MIN_LOST_CHARACTERS


# --------------------------------------------------------------------------------------------------------------------
# Records


def _targets(value: Any, where: str, field: str) -> tuple[list[str] | None, str | None]:
    if value is None:
        return None, None
    if isinstance(value, str):
        return [value], None
    if isinstance(value, list) and all(isinstance(t, str) for t in value):
        return list(value), None
    return None, f"{where}: field {field!r} must be a string or a list of strings"


def _record_to_article(
    obj: Any, where: str, fallback_id: str, id_field: str, text_field: str, html_field: str, targets_field: str
) -> Article:
    if not isinstance(obj, dict):
        return Article(fallback_id, None, f"{where}: expected a JSON object, got {type(obj).__name__}")
    raw_id = obj.get(id_field)
    if raw_id is None or (isinstance(raw_id, str) and not raw_id.strip()):
        return Article(fallback_id, None, f"{where}: missing field {id_field!r}")
    if not isinstance(raw_id, (str, int)) or isinstance(raw_id, bool):
        return Article(fallback_id, None, f"{where}: field {id_field!r} must be a string or an integer")
    art_id = str(raw_id)
    targets, terr = _targets(obj.get(targets_field), where, targets_field)
    if terr:
        return Article(art_id, None, terr)
    text = obj.get(text_field)
    if text is None and obj.get(html_field) is not None:
        markup = obj.get(html_field)
        if not isinstance(markup, str):
            return Article(art_id, None, f"{where}: field {html_field!r} must be a string", targets)
        text = html_to_text(markup, where)
    elif text is None:
        return Article(art_id, None, f"{where}: missing field {text_field!r} (or {html_field!r})", targets)
    if not isinstance(text, str):
        return Article(art_id, None, f"{where}: field {text_field!r} must be a string", targets)
    if not text.strip():
        return Article(art_id, None, f"{where}: empty text", targets)
    return Article(art_id, text, None, targets)


def _iter_jsonl_lines(lines: Iterable[bytes], name: str, fields: dict[str, str], short: str,
                      first_line: int = 1) -> Iterator[Article]:
    """Articles from JSON lines (numbered from ``first_line``); a record without a usable id gets
    ``<short>:<line>`` as its id."""
    for lineno, raw in enumerate(lines, start=first_line):
        if not raw.strip():
            continue
        where = f"{name}, line {lineno}"
        fallback = f"{short}:{lineno}"
        try:
            line = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        except UnicodeDecodeError as exc:
            yield Article(fallback, None, f"{where}: not valid UTF-8 ({exc.reason} at byte {exc.start})")
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Article(fallback, None, f"{where}: invalid JSON ({exc.msg} at column {exc.colno})")
            continue
        yield _record_to_article(obj, where, fallback, **fields)


def read_text_file(path: Path, art_id: str) -> Article:
    """One .txt/.html file as an article (HTML converted to its main text)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Article(art_id, None, f"{path}: cannot be read ({exc.strerror or exc})")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Article(art_id, None, f"{path}: not valid UTF-8 ({exc.reason} at byte {exc.start})")
    if path.suffix.lower() in HTML_SUFFIXES:
        text = html_to_text(text, str(path))
    if not text.strip():
        return Article(art_id, None, f"{path}: empty text")
    return Article(art_id, text)


def iter_parquet(path: Path, art_id: str, fields: dict[str, str], row_groups: Iterable[int] | None = None,
                 ) -> Iterator[Article]:
    """Articles from the rows of a parquet file (all row groups, or those given), one row group in memory at a
    time; a row without a usable id gets ``<art_id>:<row>`` (1-based) as its id."""
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # noqa: BLE001 - a broken file is one error record, like unreadable text
        yield Article(art_id, None, f"{path}: not a readable parquet file ({exc})")
        return
    starts = [0]
    for g in range(pf.num_row_groups):
        starts.append(starts[-1] + pf.metadata.row_group(g).num_rows)
    for g in range(pf.num_row_groups) if row_groups is None else row_groups:
        for k, obj in enumerate(pf.read_row_group(g).to_pylist(), start=starts[g] + 1):
            yield _record_to_article(obj, f"{path}, row {k}", f"{art_id}:{k}", **fields)


def _iter_file(path: Path, art_id: str, fields: dict[str, str]) -> Iterator[Article]:
    if path.suffix.lower() in PARQUET_SUFFIXES:
        yield from iter_parquet(path, art_id, fields)
    elif path.suffix.lower() in JSONL_SUFFIXES:
        yield from iter_jsonl_range(path, art_id, fields)
    else:
        yield read_text_file(path, art_id)


def iter_jsonl_range(path: Path, art_id: str, fields: dict[str, str], start: int = 0, end: int | None = None,
                     first_line: int = 1) -> Iterator[Article]:
    """Articles of the JSON lines of ``path`` from byte ``start`` (a line start, line number ``first_line``) up
    to byte ``end`` (a line start, or None: the end of the file)."""
    try:
        fh = path.open("rb")
    except OSError as exc:
        yield Article(art_id, None, f"{path}: cannot be read ({exc.strerror or exc})")
        return
    with fh:
        fh.seek(start)

        def lines() -> Iterator[bytes]:
            pos = start
            for raw in fh:
                if end is not None and pos >= end:
                    return
                pos += len(raw)
                yield raw

        yield from _iter_jsonl_lines(lines(), str(path), fields, art_id, first_line)


def _iter_stdin(stream: IO[bytes], fields: dict[str, str]) -> Iterator[Article]:
    """Stdin: JSONL when every non-empty line is a JSON object, else one plain-text article with id "stdin"."""
    data = stream.read()
    lines = data.splitlines()
    nonempty = [ln for ln in lines if ln.strip()]
    if nonempty and all(_is_json_object(ln) for ln in nonempty):
        yield from _iter_jsonl_lines(lines, "<stdin>", fields, "stdin")
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield Article("stdin", None, f"<stdin>: not valid UTF-8 ({exc.reason} at byte {exc.start})")
        return
    if not text.strip():
        yield Article("stdin", None, "<stdin>: empty text")
        return
    yield Article("stdin", text)


def _is_json_object(line: bytes) -> bool:
    s = line.strip()
    if not s.startswith(b"{"):
        return False
    try:
        return isinstance(json.loads(s), dict)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return False


def iter_articles(
    source: str | Path | None,
    *,
    id_field: str = "id",
    text_field: str = "text",
    html_field: str = "html",
    targets_field: str = "targets",
) -> Iterator[Article]:
    """Articles from ``source``: a .txt/.html/.htm file, a JSONL or parquet file (``id`` and ``text`` or ``html``,
    optional ``targets``), a directory (walked recursively in sorted order; ids are paths relative to it), or ``"-"``/``None``
    for stdin.

    Raises :class:`~stance.errors.InputNotFoundError` naming the path when ``source`` does not exist; every other problem becomes an
    ``Article`` with ``error`` set."""
    fields = {"id_field": id_field, "text_field": text_field, "html_field": html_field, "targets_field": targets_field}
    if source is None or str(source) == "-":
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:  # a text-mode replacement (tests, notebooks)
            stream = io.BytesIO(sys.stdin.read().encode("utf-8"))
        yield from _iter_stdin(stream, fields)
        return
    for p, art_id in input_files(source):
        yield from _iter_file(p, art_id, fields)


def input_files(source: str | Path) -> list[tuple[Path, str]]:
    """The files :func:`iter_articles` reads for ``source`` (not stdin), in its order, each with its article id
    (the id prefix of the records of a JSONL or parquet file): a file alone, or a directory's supported files
    walked recursively in sorted order, named by their paths relative to it."""
    path = Path(source).expanduser()
    if not path.exists():
        raise InputNotFoundError(f"input not found: {path}")
    if not path.is_dir():
        return [(path, path.name)]
    # In a directory, .json files are skipped (they are usually metadata such as gold files, not JSON lines).
    wanted = _SUPPORTED - {".json"}
    files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in wanted and not p.name.startswith("."))
    return [(p, p.relative_to(path).as_posix()) for p in files]
