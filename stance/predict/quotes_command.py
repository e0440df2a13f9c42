"""``stance-quotes``: extract quotations from articles and write them, one attribution a record (a split quote
or a run of quotations after one cue is one record listing its ``pieces``), as JSONL, CSV or parquet by the output's
extension, like ``stance-predict`` (one writer: :func:`stance.predict.outputs.convert_jsonl`).

``run(cfg)`` takes the composed ``configs/quotes.yaml``; ``stance.cli.quotes_main`` is the Hydra wrapper.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from stance.data.articles import count_articles, iter_articles
from stance.errors import ConfigError, InputNotFoundError, OutputWriteError
from stance.predict.outputs import check_output_paths, convert_jsonl, output_format, work_file
from stance.runtime.checks import check_output_files

__all__ = ["run", "QUOTE_FIELDS"]

#: Columns of a CSV or parquet output: ``article_id``, the :class:`stance.quotes.Quote` fields, ``error``
QUOTE_FIELDS = ("article_id", "quote", "quote_start", "quote_end", "speaker", "speaker_start", "speaker_end", "role",
                "cue", "direct", "paragraph", "pieces", "kind", "error")


def _parquet_types() -> dict[str, object]:
    """Column types of a parquet output (pyarrow is imported only for parquet)."""
    import pyarrow as pa

    ints = {k: pa.int64() for k in ("quote_start", "quote_end", "speaker_start", "speaker_end", "paragraph")}
    return {**ints, "direct": pa.bool_(), "pieces": pa.list_(pa.list_(pa.int64()))}


def _get(cfg: Any, key: str, default: Any = None) -> Any:
    try:
        value = cfg.get(key, default)
    except AttributeError:
        value = getattr(cfg, key, default)
    return default if value is None else value


def run(cfg: Any) -> dict[str, int]:
    """Write the attributions of every article of ``cfg.input`` to ``cfg.output`` (JSONL, CSV or parquet).

    Each line holds ``article_id`` and the :class:`stance.quotes.Quote` fields; an article that cannot be read
    gives one ``{"article_id": ..., "error": ...}`` line instead. Returns and prints the counts of articles,
    attributions (``quotes``), their quoted pieces and errors."""
    from tqdm import tqdm

    source = _get(cfg, "input")
    if source is None or str(source) in ("", "???"):
        raise ConfigError("set input=PATH (a file, a directory, a JSONL file, or - for stdin)")
    output = Path(str(_get(cfg, "output", "quotes.jsonl"))).expanduser()
    fields = {
        "id_field": str(_get(cfg, "id_field", "id")),
        "text_field": str(_get(cfg, "text_field", "text")),
        "html_field": str(_get(cfg, "html_field", "html")),
    }
    if str(source) != "-" and not Path(str(source)).expanduser().exists():
        raise InputNotFoundError(f"input not found: {source}")  # before the output file is created
    # the place first (a directory, a parent that is a file, unwritable), then its extension, before anything is read
    check_output_paths("stance-quotes", [str(source)], [output])
    check_output_files([output])
    output_format(output)
    work = work_file(output)
    check_output_paths("stance-quotes", [str(source)], [work])
    check_output_files([work])
    from stance.attribution import from_config

    extractor = from_config(_get(cfg, "quotes", None) or {})
    articles = iter_articles(None if str(source) == "-" else str(source), **fields)
    n_articles = n_quotes = n_pieces = n_errors = n_warnings = 0
    show = bool(_get(cfg, "progress", True))
    total = count_articles(None if str(source) == "-" else str(source)) if show else None
    bar = tqdm(desc="stance-quotes", total=total, unit="article", file=sys.stderr, disable=not show)
    try:
        with work.open("w", encoding="utf-8") as out:
            try:
                for article in articles:
                    n_articles += 1
                    bar.update(1)
                    if article.error is not None or article.text is None:
                        n_errors += 1
                        out.write(json.dumps({"article_id": article.id, "error": article.error},
                                             ensure_ascii=False))
                        out.write("\n")
                        continue
                    result = extractor.extract(article.text)
                    n_warnings += len(result.warnings)
                    for q in result.quotes:
                        row = {"article_id": article.id, **q.to_dict()}
                        out.write(json.dumps(row, ensure_ascii=False))
                        out.write("\n")
                    n_quotes += len(result.quotes)
                    n_pieces += sum(len(q.pieces) for q in result.quotes)
            finally:
                bar.close()
        convert_jsonl(work, output, QUOTE_FIELDS, _parquet_types() if output_format(output) == "parquet" else None)
    except OSError as e:  # disk full, a device that refuses writes
        raise OutputWriteError(f"{output}: {e.strerror or e} (after {n_articles} articles)") from None
    summary = {"articles": n_articles, "quotes": n_quotes, "pieces": n_pieces, "errors": n_errors,
               "warnings": n_warnings}
    print(
        f"stance-quotes: {n_articles} articles, {n_quotes} attributions ({n_pieces} pieces), {n_errors} errors"
        f" ({n_warnings} unbalanced-mark warnings) -> {output}"
    )
    return summary
