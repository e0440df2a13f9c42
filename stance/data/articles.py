"""Read news articles from plain text, HTML, JSONL, a directory of them, or stdin, one ``Article`` at a time.

Every input record yields exactly one :class:`Article`. A record that cannot be read (invalid JSON, a missing field,
bytes that are not UTF-8, empty text) yields an ``Article`` whose ``error`` names the file and line and whose
``text`` is ``None``, so that one bad record never stops a long run. JSONL is streamed line by line.

HTML main text is extracted with trafilatura; when it finds nothing or an implausibly short fragment, a simple tag
stripper is used instead (:mod:`stance.data.html_text`). What a file holds is told by ``input_format``, else its
extension, else its first bytes (pipes, process substitution, stdin, names without an extension).
"""

from __future__ import annotations

import csv
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

from stance.data.html_text import _strip_tags, html_to_text  # noqa: F401 - _strip_tags: re-exported for tests
from stance.errors import InputNotFoundError

log = logging.getLogger(__name__)

__all__ = ["Article", "count_articles", "iter_articles", "html_to_text", "input_files", "iter_file", "iter_jsonl_range",
           "iter_parquet", "read_text_file", "sniff_format"]

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".json", ".ndjson"}
PARQUET_SUFFIXES = {".parquet"}
_SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | PARQUET_SUFFIXES
#: what an input file holds, by its extension (``.csv`` only when named alone: a directory walk skips tables)
FORMATS_BY_SUFFIX = {**dict.fromkeys(TEXT_SUFFIXES, "txt"), **dict.fromkeys(HTML_SUFFIXES, "html"),
                     **dict.fromkeys(JSONL_SUFFIXES, "jsonl"), **dict.fromkeys(PARQUET_SUFFIXES, "parquet"),
                     ".csv": "csv"}
_SNIFF_BYTES = 1 << 16
_HTML_TAG = re.compile(rb"<\s*(!doctype\s+html|html|head|body|meta|title|div|p|article|section|span|a|br|table|h[1-6])"
                       rb"[\s>/]", re.IGNORECASE)


@dataclass
class Article:
    """One article: its id, its text (``None`` when it could not be read) and, for JSONL input, its targets."""

    id: str
    text: str | None
    error: str | None = None
    targets: list[str] | None = None


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


def _text_article(data: bytes, name: str, art_id: str, html: bool) -> Article:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Article(art_id, None, f"{name}: not valid UTF-8 ({exc.reason} at byte {exc.start})")
    if html:
        text = html_to_text(text, name)
    if not text.strip():
        return Article(art_id, None, f"{name}: empty text")
    return Article(art_id, text)


def read_text_file(path: Path, art_id: str, html: bool | None = None) -> Article:
    """One .txt/.html file as an article (HTML converted to its main text; ``html``: None, by the extension)."""
    problem = entry_problem(path)
    if problem:
        return Article(art_id, None, f"{path}: {problem}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Article(art_id, None, f"{path}: cannot be read ({exc.strerror or exc})")
    return _text_article(data, str(path), art_id, path.suffix.lower() in HTML_SUFFIXES if html is None else html)


def iter_parquet(path: Path | IO[bytes], art_id: str, fields: dict[str, str], row_groups: Iterable[int] | None = None,
                 name: str | None = None) -> Iterator[Article]:
    """Articles from the rows of a parquet file (a path, or an open file called ``name``; all row groups, or those
    given), one row group in memory at a time; a row without a usable id gets ``<art_id>:<row>`` (1-based)."""
    import pyarrow.parquet as pq

    name = name or str(path)
    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # noqa: BLE001 - a broken file is one error record, like unreadable text
        yield Article(art_id, None, f"{name}: not a readable parquet file ({exc})")
        return
    starts = [0]
    for g in range(pf.num_row_groups):
        starts.append(starts[-1] + pf.metadata.row_group(g).num_rows)
    for g in range(pf.num_row_groups) if row_groups is None else row_groups:
        for k, obj in enumerate(pf.read_row_group(g).to_pylist(), start=starts[g] + 1):
            yield _record_to_article(obj, f"{name}, row {k}", f"{art_id}:{k}", **fields)


def _iter_csv(handle: IO[bytes], name: str, art_id: str, fields: dict[str, str]) -> Iterator[Article]:
    """Articles from the rows of a CSV file with a header (the JSONL fields as columns; ``targets`` one target or
    a JSON list); an empty cell is a missing field."""
    reader = csv.DictReader(io.TextIOWrapper(handle, encoding="utf-8-sig", newline=""))
    k = 0
    try:
        for k, row in enumerate(reader, start=1):
            obj = {key: (value or None) for key, value in row.items() if key is not None}
            raw = obj.get(fields["targets_field"])
            if isinstance(raw, str) and raw.lstrip().startswith("["):
                try:
                    obj[fields["targets_field"]] = json.loads(raw)
                except ValueError:
                    pass
            yield _record_to_article(obj, f"{name}, row {k}", f"{art_id}:{k}", **fields)
    except UnicodeDecodeError as exc:
        yield Article(f"{art_id}:{k + 1}", None, f"{name}, row {k + 1}: not valid UTF-8 ({exc.reason}); the rest of "
                      "the file is not read")
    except csv.Error as exc:
        yield Article(f"{art_id}:{k + 1}", None, f"{name}, line {reader.line_num}: not valid CSV ({exc}); the rest "
                      "of the file is not read")


def sniff_format(head: bytes) -> str:
    """``parquet``, ``jsonl``, ``html`` or ``txt`` from the first bytes of an input whose name says nothing
    (CSV is never guessed: name it ``.csv`` or say ``input_format=csv``)."""
    if head.startswith(b"PAR1"):
        return "parquet"
    body = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    first = body.split(b"\n", 1)[0]
    if first.startswith(b"{") and (b"\n" not in body or _is_json_object(first)):
        return "jsonl"  # (a first line longer than the head read is taken on its opening brace)
    if body.startswith(b"<") and _HTML_TAG.search(body[:4096]):
        return "html"
    return "txt"


def _iter_stream(handle: IO[bytes], name: str, art_id: str, fields: dict[str, str], fmt: str) -> Iterator[Article]:
    """Articles of an input read once from the start (a pipe, stdin): JSONL and CSV streamed, the rest read whole."""
    if fmt == "jsonl":
        yield from _iter_jsonl_lines(handle, name, fields, art_id)
    elif fmt == "csv":
        yield from _iter_csv(handle, name, art_id, fields)
    elif fmt == "parquet":  # parquet keeps its index at the end: a pipe is read whole
        yield from iter_parquet(io.BytesIO(handle.read()), art_id, fields, name=name)
    else:
        yield _text_article(handle.read(), name, art_id, fmt == "html")


def iter_file(path: Path, art_id: str, fields: dict[str, str], fmt: str | None = None,
              walked: bool = False) -> Iterator[Article]:
    """The articles of one input file; ``fmt`` (``input_format``), else the extension, else the content says what
    it holds. A pipe or device given as the input (``<(zcat a.jsonl.gz)``, ``/dev/stdin``) is read once, as it
    streams; one found in a directory walk (``walked``) is an error record, as is what the walk cannot read."""
    problem = entry_problem(path) if walked else None
    if problem:
        yield Article(art_id, None, f"{path}: {problem}")
        return
    fmt = fmt or FORMATS_BY_SUFFIX.get(path.suffix.lower())
    regular = path.is_file()
    if fmt is None or not regular or fmt == "csv":
        try:
            handle = path.open("rb")
        except OSError as exc:
            yield Article(art_id, None, f"{path}: cannot be read ({exc.strerror or exc})")
            return
        with handle:
            fmt = fmt or sniff_format(handle.peek(_SNIFF_BYTES)[:_SNIFF_BYTES])
            if not regular or fmt == "csv":
                yield from _iter_stream(handle, str(path), art_id, fields, fmt)
                return
    if fmt == "parquet":
        yield from iter_parquet(path, art_id, fields)
    elif fmt == "jsonl":
        yield from iter_jsonl_range(path, art_id, fields)
    else:
        yield read_text_file(path, art_id, html=fmt == "html")


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


def _iter_stdin(stream: IO[bytes], fields: dict[str, str], fmt: str | None = None) -> Iterator[Article]:
    """Stdin, as ``fmt`` says; else JSONL when every non-empty line is a JSON object, parquet or HTML when its
    content says so, else one plain-text article with id "stdin"."""
    if fmt is not None:
        yield from _iter_stream(stream, "<stdin>", "stdin", fields, fmt)
        return
    data = stream.read()
    nonempty = [ln for ln in data.splitlines() if ln.strip()]
    if nonempty and all(_is_json_object(ln) for ln in nonempty):
        fmt = "jsonl"
    else:
        fmt = {"jsonl": "txt"}.get(sniff_format(data[:_SNIFF_BYTES]), sniff_format(data[:_SNIFF_BYTES]))
    yield from _iter_stream(io.BytesIO(data), "<stdin>", "stdin", fields, fmt)


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
    input_format: str | None = None,
) -> Iterator[Article]:
    """Articles from ``source``: a .txt/.html/.htm file, a JSONL, parquet or CSV file (``id`` and ``text`` or
    ``html``, optional ``targets``), a directory (walked recursively in sorted order; ids are paths relative to it),
    or ``"-"``/``None`` for stdin. ``input_format`` (jsonl, txt, html, parquet, csv) says what every file holds;
    else the extension says, and where it says nothing (no extension, a pipe, stdin) the content does.

    Raises :class:`~stance.errors.InputNotFoundError` naming the path when ``source`` does not exist; every other
    problem becomes an ``Article`` with ``error`` set (in a directory: a subdirectory that cannot be read, a broken
    link, a named pipe or other entry that is not a regular file)."""
    fields = {"id_field": id_field, "text_field": text_field, "html_field": html_field, "targets_field": targets_field}
    fmt = input_format.lower() if input_format else None
    if source is None or str(source) == "-":
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:  # a text-mode replacement (tests, notebooks)
            stream = io.BytesIO(sys.stdin.read().encode("utf-8"))
        yield from _iter_stdin(stream, fields, fmt)
        return
    walked = Path(source).expanduser().is_dir()
    for p, art_id in input_files(source):
        yield from iter_file(p, art_id, fields, fmt, walked)


def entry_problem(path: Path) -> str | None:
    """Why an entry of a directory walk cannot be read as an article file (a directory that cannot be listed, a
    broken link, a named pipe, socket or device), or None."""
    import stat

    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "a broken symbolic link" if path.is_symlink() else "cannot be read (it no longer exists)"
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if stat.S_ISDIR(mode):
        try:
            os.listdir(path)
        except OSError as exc:
            return f"directory cannot be read ({exc.strerror or exc}): the articles in it are not in the input"
        return None
    if not stat.S_ISREG(mode):
        kind = "a named pipe" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
        return f"not a regular file ({kind}); not read"
    return None


def input_files(source: str | Path) -> list[tuple[Path, str]]:
    """The files :func:`iter_articles` reads for ``source`` (not stdin), in its order, each with its article id
    (the id prefix of the records of a JSONL or parquet file): a file alone, or a directory's files with a supported
    extension, walked recursively in sorted order and named by their paths relative to it. A directory walk also
    lists what it found but cannot read (:func:`entry_problem`: a subdirectory that cannot be listed, a broken
    link, a named pipe) so that each becomes an error record; a link to a directory is not followed (a warning)."""
    path = Path(source).expanduser()
    if not path.exists():
        raise InputNotFoundError(f"input not found: {path}")
    if not path.is_dir():
        return [(path, path.name)]
    # In a directory, .json and .csv files are skipped (they are usually metadata such as gold files or tables).
    wanted = _SUPPORTED - {".json"}
    found: list[Path] = []
    unreadable: list[OSError] = []
    for folder, dirs, files in os.walk(path, onerror=unreadable.append):
        here = Path(folder)
        for d in dirs:
            if (here / d).is_symlink():
                log.warning("%s: a symbolic link to a directory, not followed (its articles are not in the input)",
                            here / d)
        found += [here / f for f in files if Path(f).suffix.lower() in wanted and not f.startswith(".")]
    found += [Path(e.filename) for e in unreadable if e.filename and Path(e.filename) != path]
    if any(Path(e.filename or "") == path for e in unreadable):
        found.append(path)
    return [(p, p.relative_to(path).as_posix() or ".") for p in sorted(found)]


#: a JSONL input larger than this is not counted for the progress bar's total (counting reads the whole file)
COUNT_LIMIT_BYTES = 256 * 2**20


def count_articles(source: str | Path | None) -> int | None:
    """How many articles :func:`iter_articles` yields for ``source``, counted without parsing them (a progress
    bar's total): one per text or HTML file, one per non-blank line of JSONL, parquet's row count. None where that
    is not known cheaply: stdin, a file whose format only its content says (CSV, no extension), an unreadable
    entry, or JSONL files holding more than :data:`COUNT_LIMIT_BYTES` (the bar then runs without a total)."""
    if source is None or str(source) == "-":
        return None
    try:
        files = [p for p, _ in input_files(source)]
        if any(not p.is_file() or p.suffix.lower() not in _SUPPORTED for p in files):
            return None
        jsonl = [p for p in files if p.suffix.lower() in JSONL_SUFFIXES]
        if sum(p.stat().st_size for p in jsonl) > COUNT_LIMIT_BYTES:
            return None
        total = 0
        for path in files:
            suffix = path.suffix.lower()
            if suffix in JSONL_SUFFIXES:
                with path.open("rb") as f:
                    total += sum(1 for line in f if line.strip())
            elif suffix in PARQUET_SUFFIXES:
                import pyarrow.parquet as pq

                total += pq.ParquetFile(path).metadata.num_rows
            else:
                total += 1
        return total
    except Exception:  # noqa: BLE001 - a bar without a total; reading reports what is wrong, article by article
        return None
