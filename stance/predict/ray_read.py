"""Articles as a Ray dataset: read tasks that yield exactly the records :mod:`stance.data.articles` yields for the
same inputs (same ids, same error records), a bounded number at a time, so no input is ever loaded whole.

The inputs are cut into pieces on the driver: byte ranges of JSONL files (cut at line starts, with the line number
each starts at, so error records name the same lines), groups of row groups of parquet files, and groups of
.txt/.html files. Each piece is one read task.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
from ray.data import Datasource, ReadTask
from ray.data.block import BlockMetadata

from stance.data.articles import (
    FORMATS_BY_SUFFIX,
    input_files,
    iter_file,
    iter_jsonl_range,
    iter_parquet,
)

#: Columns of the article blocks; ``targets`` is the JSON of the article's own target list (or null).
ARTICLE_SCHEMA = pa.schema([("id", pa.string()), ("text", pa.string()), ("error", pa.string()),
                            ("targets", pa.string())])
BLOCK_ARTICLES = 256
_READ_BUFFER = 1 << 20


@dataclass(frozen=True)
class Piece:
    """One read task's share of the input: a byte range of a JSONL file, row groups of a parquet file, or
    a run of text/HTML files."""

    kind: str  # jsonl | parquet | files
    files: tuple[tuple[str, str], ...]  # (path, article id or id prefix)
    size: int
    start: int = 0
    end: int | None = None
    first_line: int = 1
    row_groups: tuple[int, ...] | None = None


def plan_pieces(sources: list[str], piece_bytes: int, input_format: str | None = None) -> list[Piece]:
    """The pieces of ``sources`` (files or directories, in ``iter_articles`` order), each about ``piece_bytes``.
    JSONL and parquet files (by ``input_format``, else by extension) are cut into ranges; every other file is read
    whole by one task, which tells its format as :func:`~stance.data.articles.iter_file` does."""
    pieces: list[Piece] = []
    run: list[tuple[str, str]] = []
    run_size = 0
    for source in sources:
        for path, art_id in input_files(source):
            kind = (input_format or FORMATS_BY_SUFFIX.get(path.suffix.lower())) if path.is_file() else None
            if kind not in ("jsonl", "parquet"):
                run.append((str(path), art_id))
                run_size += file_size(path)
                if run_size >= piece_bytes:
                    pieces.append(Piece("files", tuple(run), run_size))
                    run, run_size = [], 0
                continue
            if run:  # keep input order: a run of text files ends where a JSONL/parquet file begins
                pieces.append(Piece("files", tuple(run), run_size))
                run, run_size = [], 0
            if kind == "parquet":
                pieces.extend(_parquet_pieces(path, art_id, piece_bytes))
            else:
                pieces.extend(Piece("jsonl", ((str(path), art_id),), end - start, start, end, line)
                              for start, end, line in _jsonl_ranges(path, piece_bytes))
    if run:
        pieces.append(Piece("files", tuple(run), run_size))
    return pieces


def file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _jsonl_ranges(path: Path, piece_bytes: int) -> Iterator[tuple[int, int, int]]:
    """``(start, end, first line number)`` of consecutive byte ranges of about ``piece_bytes``, cut after a newline.

    Reads the file once, a buffer at a time, to count lines; an unreadable file is one range (the read task
    then yields its error record)."""
    try:
        f = path.open("rb")
    except OSError:
        yield 0, 0, 1
        return
    with f:
        start, lines_before = 0, 0
        while True:
            pos, newlines, eof = start, 0, False
            while pos - start < piece_bytes:
                buf = f.read(min(piece_bytes - (pos - start), _READ_BUFFER))
                if not buf:
                    eof = True
                    break
                pos += len(buf)
                newlines += buf.count(b"\n")
            if not eof:
                tail = f.readline()
                pos += len(tail)
                newlines += tail.count(b"\n")
            if pos > start or start == 0:
                yield start, pos, lines_before + 1
            if eof or pos == start:
                return
            start, lines_before = pos, lines_before + newlines


def _parquet_pieces(path: Path, art_id: str, piece_bytes: int) -> Iterator[Piece]:
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(path).metadata
    except Exception:  # noqa: BLE001 - the read task turns a broken file into its error record
        yield Piece("parquet", ((str(path), art_id),), file_size(path))
        return
    groups: list[int] = []
    size = 0
    for g in range(meta.num_row_groups):
        groups.append(g)
        size += meta.row_group(g).total_byte_size
        if size >= piece_bytes:
            yield Piece("parquet", ((str(path), art_id),), size, row_groups=tuple(groups))
            groups, size = [], 0
    if groups or meta.num_row_groups == 0:
        yield Piece("parquet", ((str(path), art_id),), size, row_groups=tuple(groups))


def piece_articles(piece: Piece, fields: dict[str, str], input_format: str | None = None) -> Iterator[Any]:
    """The articles of one piece, in input order, as :func:`stance.data.articles.iter_articles` gives them."""
    if piece.kind == "jsonl":
        (path, art_id), = piece.files
        yield from iter_jsonl_range(Path(path), art_id, fields, piece.start, piece.end, piece.first_line)
    elif piece.kind == "parquet":
        (path, art_id), = piece.files
        yield from iter_parquet(Path(path), art_id, fields, piece.row_groups)
    else:
        for path, art_id in piece.files:
            yield from iter_file(Path(path), art_id, fields, input_format, walked=True)


_DONE_CACHE: dict[str, frozenset[str]] = {}


def _done_ids(done_ref: Any) -> frozenset[str]:
    """The ids a resumed run skips, fetched once per worker process from the object store."""
    if done_ref is None:
        return frozenset()
    key = done_ref.hex()
    if key not in _DONE_CACHE:
        import ray

        _DONE_CACHE.clear()
        _DONE_CACHE[key] = ray.get(done_ref)
    return _DONE_CACHE[key]


def read_piece(piece: Piece, fields: dict[str, str], done_ref: Any = None, input_format: str | None = None
               ) -> Iterator[pa.Table]:
    """Blocks of at most :data:`BLOCK_ARTICLES` articles of ``piece``, less those already done."""
    done = _done_ids(done_ref)
    rows: list[dict[str, Any]] = []
    emitted = False
    for article in piece_articles(piece, fields, input_format):
        if str(article.id) in done:
            continue
        rows.append({"id": str(article.id), "text": article.text, "error": article.error,
                     "targets": None if article.targets is None else json.dumps(article.targets)})
        if len(rows) >= BLOCK_ARTICLES:
            yield pa.Table.from_pylist(rows, schema=ARTICLE_SCHEMA)
            rows, emitted = [], True
    if rows or not emitted:
        yield pa.Table.from_pylist(rows, schema=ARTICLE_SCHEMA)


class ArticleDatasource(Datasource):
    """The pieces of a ``stance-predict`` input as a Ray Data source (one read task per piece)."""

    def __init__(self, pieces: list[Piece], fields: dict[str, str], done_ref: Any = None,
                 input_format: str | None = None) -> None:
        super().__init__()
        self.pieces = pieces
        self.fields = fields
        self.done_ref = done_ref
        self.input_format = input_format

    def estimate_inmemory_data_size(self) -> int | None:
        return sum(p.size for p in self.pieces)

    def get_read_tasks(self, parallelism: int, per_task_row_limit: int | None = None,
                       data_context: Any = None) -> list[ReadTask]:
        fields, done_ref, input_format = self.fields, self.done_ref, self.input_format

        def task(piece: Piece) -> ReadTask:
            meta = BlockMetadata(num_rows=None, size_bytes=piece.size, exec_stats=None,
                                 input_files=[p for p, _ in piece.files])
            return ReadTask(lambda: read_piece(piece, fields, done_ref, input_format), meta, schema=ARTICLE_SCHEMA,
                            per_task_row_limit=per_task_row_limit)

        return [task(p) for p in self.pieces]
