"""Article-level stance prediction: extract quotations, pair each with each target, score, write rows.

``predict_articles`` is the Python API (an iterator of rows); ``run(cfg)`` is the ``stance-predict`` CLI,
which streams articles, writes rows incrementally, keeps a per-article ledger for ``resume=true``, and
writes the speaker × target summaries beside the output. See ``docs/predict.md``.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from stance.inference import ModelLoadError, StanceClassifier

log = logging.getLogger(__name__)

#: Columns of a prediction row, in order. ``reason`` says why a pair was not scored (prefilter), else null.
ROW_FIELDS = ("article_id", "speaker", "role", "quote", "quote_start", "quote_end", "target", "label", "scores",
              "reason")
#: Columns of every tabular output (prediction rows and error records share one table).
TABLE_FIELDS = ROW_FIELDS + ("relevance", "error")
FORMATS = {".jsonl": "jsonl", ".json": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}
UNKNOWN_SPEAKER = "(unknown)"


class PredictConfigError(ValueError):
    """A bad ``stance-predict`` setting (targets, output, input)."""


# -- targets -------------------------------------------------------------------------------------------


def clean_targets(values: Iterable[Any], where: str = "targets") -> list[str]:
    """Targets as a list of distinct non-empty strings, in their order."""
    out: list[str] = []
    for i, v in enumerate(values):
        if not isinstance(v, (str, int, float)) or isinstance(v, bool):
            raise PredictConfigError(f"{where}[{i}] is {type(v).__name__}, expected a string")
        s = str(v).strip()
        if s and s not in out:
            out.append(s)
    return out


def read_targets_file(path: str | Path) -> list[str]:
    """One target a line; blank lines and lines starting with ``#`` are skipped."""
    p = Path(path).expanduser()
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PredictConfigError(f"targets_file {str(p)!r} does not exist") from None
    except UnicodeDecodeError as e:
        raise PredictConfigError(f"targets_file {str(p)!r} is not UTF-8 text (byte {e.start})") from None
    lines = [ln.strip() for ln in text.splitlines()]
    targets = clean_targets([ln for ln in lines if ln and not ln.startswith("#")], where=str(p))
    if not targets:
        raise PredictConfigError(f"targets_file {str(p)!r} holds no targets")
    return targets


# -- the pipeline ----------------------------------------------------------------------------------------


@dataclass
class ArticleResult:
    """What one input article produced: its rows (or one error record) and counts for the ledger."""

    article_id: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    status: str = "ok"  # ok | error
    quotes: int = 0
    pairs: int = 0
    skipped: int = 0


@dataclass
class _Pending:
    result: ArticleResult
    quotes: list[Any]
    targets: list[str]


def _as_articles(source: Any, **fields: str) -> Iterator[Any]:
    from types import SimpleNamespace

    if isinstance(source, (str, Path)):
        from stance.articles import iter_articles

        yield from iter_articles(source, **fields)
        return
    for i, item in enumerate(source):
        if isinstance(item, str):
            yield SimpleNamespace(id=str(i), text=item, error=None, targets=None)
        elif isinstance(item, dict):
            yield SimpleNamespace(id=str(item.get("id", i)), text=item.get("text") or "", error=item.get("error"),
                                  targets=item.get("targets"))
        else:
            yield item


def _error(article_id: str, message: str) -> ArticleResult:
    return ArticleResult(article_id, [{"article_id": article_id, "error": message}], status="error")


def iter_article_results(
    articles_or_source: Any,
    classifier: StanceClassifier,
    targets: Sequence[str] | str | None = None,
    *,
    prefilter: Any = None,
    buffer_pairs: int | None = None,
    max_buffer_articles: int = 64,
    skip_ids: set[str] | frozenset[str] = frozenset(),
    id_field: str = "id",
    text_field: str = "text",
    html_field: str = "html",
    targets_field: str = "targets",
) -> Iterator[ArticleResult]:
    """One :class:`ArticleResult` per input article (except those in ``skip_ids``), in input order.

    Quotations of several articles are buffered until about ``buffer_pairs`` pairs (default 8 batches)
    are pending, so batches stay full on short articles while memory stays bounded.
    """
    from stance.quotes import extract_quotes

    global_targets = clean_targets([targets] if isinstance(targets, str) else (targets or []))
    buffer_pairs = buffer_pairs or classifier.batch_size * 8
    pending: list[_Pending] = []
    n_pairs = 0
    first = True
    articles = _as_articles(articles_or_source, id_field=id_field, text_field=text_field, html_field=html_field,
                            targets_field=targets_field)
    for article in articles:
        art_id = str(article.id)
        if art_id in skip_ids:
            continue
        if getattr(article, "error", None):
            res: ArticleResult | _Pending = _error(art_id, str(article.error))
        else:
            res = _prepare(article, art_id, global_targets, extract_quotes)
            if first and isinstance(res, ArticleResult) and res.rows[0]["error"].startswith("no targets"):
                raise PredictConfigError(
                    "no targets: pass targets='[a, b]', targets_file=PATH, or give each JSONL article a "
                    f"{targets_field!r} field (article {art_id!r} has none)")
        first = False
        if isinstance(res, ArticleResult):
            if not pending:
                yield res
                continue
            pending.append(_Pending(res, [], []))
        else:
            pending.append(res)
            n_pairs += len(res.quotes) * len(res.targets)
        if n_pairs >= buffer_pairs or len(pending) >= max_buffer_articles:
            yield from _score(pending, classifier, prefilter)
            pending, n_pairs = [], 0
    if pending:
        yield from _score(pending, classifier, prefilter)


def _prepare(article: Any, art_id: str, global_targets: list[str], extract_quotes: Any) -> ArticleResult | _Pending:
    try:
        own = clean_targets(article.targets or [], where=f"article {art_id!r} targets") if getattr(
            article, "targets", None) else []
    except PredictConfigError as e:
        return _error(art_id, str(e))
    art_targets = own or global_targets
    if not art_targets:
        return _error(art_id, "no targets for this article (no command-line targets and no per-article field)")
    text = article.text or ""
    if not text.strip():
        return _error(art_id, "empty article: no text")
    try:
        quotes = list(extract_quotes(text))
    except Exception as e:  # noqa: BLE001 - one bad article must not stop the run
        return _error(art_id, f"quotation extraction failed: {type(e).__name__}: {e}")
    quotes = [q for q in quotes if (q.quote or "").strip()]
    if not quotes:
        return _error(art_id, "no quotations found in the article")
    return _Pending(ArticleResult(art_id, quotes=len(quotes)), quotes, art_targets)


def _score(pending: list[_Pending], classifier: StanceClassifier, prefilter: Any) -> Iterator[ArticleResult]:
    texts: list[str] = []
    tgts: list[str] = []
    for p in pending:
        for q in p.quotes:
            for t in p.targets:
                texts.append(q.quote)
                tgts.append(t)
    keep = np.ones(len(texts), dtype=bool)
    relevance = None
    if prefilter is not None and texts:
        relevance = prefilter.pair_similarity(texts, tgts)
        keep = relevance >= prefilter.threshold
    probs = np.zeros((len(texts), len(classifier.labels)), dtype=np.float32)
    idx = np.flatnonzero(keep)
    if len(idx):
        probs[idx] = classifier.predict_proba([texts[i] for i in idx], [tgts[i] for i in idx])
    scored = iter(classifier.rows_from_proba(probs[idx])) if len(idx) else iter(())
    k = 0
    for p in pending:
        res = p.result
        for q in p.quotes:
            for t in p.targets:
                row: dict[str, Any] = {
                    "article_id": res.article_id, "speaker": q.speaker, "role": q.role, "quote": q.quote,
                    "quote_start": q.quote_start, "quote_end": q.quote_end, "target": t,
                }
                if keep[k]:
                    row.update(next(scored))
                    row["reason"] = None
                else:
                    row.update(label="none", scores=None, reason=prefilter.reason(float(relevance[k])))
                    res.skipped += 1
                if relevance is not None:
                    row["relevance"] = round(float(relevance[k]), 4)
                res.rows.append(row)
                res.pairs += 1
                k += 1
        yield res


def predict_articles(
    articles_or_source: Any,
    classifier: StanceClassifier | str | Path,
    targets: Sequence[str] | str | None = None,
    *,
    prefilter: Any = None,
    **kwargs: Any,
) -> Iterator[dict[str, Any]]:
    """Rows for every (article, quotation, target); an article without rows gives one ``{"article_id", "error"}``.

    ``articles_or_source``: a path (file, directory, JSONL, HTML, ``-`` for stdin) read with
    :func:`stance.articles.iter_articles`, or an iterable of Articles, dicts (``id``, ``text``, ``targets``)
    or strings. ``classifier``: a :class:`StanceClassifier` or a model/run directory. ``targets``: used for
    every article that has no targets of its own. ``prefilter``: a :class:`stance.relevance.RelevanceFilter`
    or None. Other keyword arguments go to :func:`iter_article_results`.
    """
    if not isinstance(classifier, StanceClassifier):
        classifier = StanceClassifier.from_pretrained(classifier)
    for res in iter_article_results(articles_or_source, classifier, targets, prefilter=prefilter, **kwargs):
        yield from res.rows


# -- output files ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutputPaths:
    """Where a run writes: the final output, the JSONL it streams into, the ledger, the summaries."""

    output: Path
    fmt: str
    work: Path
    ledger: Path
    summary: Path
    speakers: Path

    @classmethod
    def for_output(cls, output: str | Path) -> OutputPaths:
        out = Path(output).expanduser()
        fmt = FORMATS.get(out.suffix.lower())
        if fmt is None:
            raise PredictConfigError(f"output {str(out)!r}: unknown extension {out.suffix!r}; use one of "
                                     f"{sorted(FORMATS)}")
        stem = out.with_suffix("")
        work = out if fmt == "jsonl" else Path(f"{stem}.partial.jsonl")
        return cls(out, fmt, work, Path(f"{stem}.articles.jsonl"), Path(f"{stem}.summary.csv"),
                   Path(f"{stem}.speakers.csv"))


def _json_line(row: dict[str, Any]) -> bytes:
    return (json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8")


def read_ledger(paths: OutputPaths) -> tuple[set[str], int]:
    """Finished article ids and the output byte offset after the last one; repairs a torn ledger tail."""
    done: set[str] = set()
    offset = 0
    if not paths.ledger.exists():
        return done, offset
    good_end = 0
    with paths.ledger.open("rb") as f:
        for line in f:
            if not line.endswith(b"\n"):
                break
            try:
                rec = json.loads(line)
                done.add(str(rec["article_id"]))
                offset = int(rec["offset"])
            except (ValueError, KeyError, TypeError):
                break
            good_end += len(line)
    with paths.ledger.open("r+b") as f:
        f.truncate(good_end)
    return done, offset


def _restore_work_file(paths: OutputPaths) -> None:
    """For csv/parquet outputs of a finished run, rebuild the streaming JSONL from the final file."""
    if paths.fmt == "jsonl" or paths.work.exists() or not paths.output.exists():
        return
    import pandas as pd

    df = pd.read_parquet(paths.output) if paths.fmt == "parquet" else pd.read_csv(paths.output, dtype=str,
                                                                                   keep_default_na=False)
    with paths.work.open("wb") as f:
        for rec in df.to_dict("records"):
            f.write(_json_line(_from_table(rec, paths.fmt)))


def _from_table(rec: dict[str, Any], fmt: str) -> dict[str, Any]:
    def blank(v: Any) -> bool:
        return v is None or v == "" or (isinstance(v, float) and np.isnan(v))

    if not blank(rec.get("error")):
        return {"article_id": rec["article_id"], "error": rec["error"]}
    row = {k: (None if blank(rec.get(k)) else rec.get(k)) for k in TABLE_FIELDS if k in rec and k != "error"}
    for k in ("quote_start", "quote_end"):
        row[k] = int(row[k])
    if fmt == "csv":
        row["scores"] = json.loads(row["scores"]) if row.get("scores") else None
        if row.get("relevance") is not None:
            row["relevance"] = float(row["relevance"])
    elif row.get("scores") is not None:
        row["scores"] = {k: float(v) for k, v in dict(row["scores"]).items() if v is not None}
    return row


def iter_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of a JSONL file, one at a time."""
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def convert_output(paths: OutputPaths, labels: Sequence[str], chunk_rows: int = 10_000) -> None:
    """Write the final csv/parquet from the streamed JSONL, chunk by chunk (constant memory)."""
    if paths.fmt == "jsonl":
        return
    tmp = paths.output.with_name(paths.output.name + ".tmp")
    has_relevance = False
    for row in iter_jsonl(paths.work):
        has_relevance = "relevance" in row
        if "error" not in row:
            break
    fields = [f for f in TABLE_FIELDS if f != "relevance" or has_relevance]
    if paths.fmt == "csv":
        with tmp.open("w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
            w.writeheader()
            for row in iter_jsonl(paths.work):
                if row.get("scores") is not None:
                    row = {**row, "scores": json.dumps(row["scores"])}
                w.writerow(row)
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        types = {"quote_start": pa.int64(), "quote_end": pa.int64(), "relevance": pa.float64(),
                 "scores": pa.struct([(lab, pa.float64()) for lab in labels])}
        schema = pa.schema([(f, types.get(f, pa.string())) for f in fields])
        with pq.ParquetWriter(str(tmp), schema) as writer:
            chunk: list[dict[str, Any]] = []
            for row in iter_jsonl(paths.work):
                chunk.append({f: row.get(f) for f in fields})
                if len(chunk) >= chunk_rows:
                    writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                    chunk = []
            if chunk:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
    os.replace(tmp, paths.output)
    paths.work.unlink()


# -- summaries ---------------------------------------------------------------------------------------------


class _Agg:
    __slots__ = ("n", "counts", "sums", "scored", "articles", "last_article")

    def __init__(self, labels: list[str]) -> None:
        self.n = 0
        self.counts = dict.fromkeys(labels, 0)
        self.sums = dict.fromkeys(labels, 0.0)
        self.scored = 0
        self.articles = 0
        self.last_article: str | None = None

    def add(self, row: dict[str, Any]) -> None:
        self.n += 1
        self.counts[row["label"]] = self.counts.get(row["label"], 0) + 1
        if row.get("scores"):
            self.scored += 1
            for lab, p in row["scores"].items():
                self.sums[lab] = self.sums.get(lab, 0.0) + float(p)
        if row["article_id"] != self.last_article:  # rows of one article are contiguous
            self.articles += 1
            self.last_article = row["article_id"]

    def record(self, labels: list[str], key: dict[str, Any], with_articles: bool) -> dict[str, Any]:
        out = dict(key)
        if with_articles:
            out["articles"] = self.articles
        out["quotes"] = self.n
        out.update({f"n_{lab}": self.counts.get(lab, 0) for lab in labels})
        out.update({f"p_{lab}": (round(self.sums.get(lab, 0.0) / self.scored, 4) if self.scored else None)
                    for lab in labels})
        out["majority"] = max(labels, key=lambda lab: (self.counts.get(lab, 0), -labels.index(lab)))
        return out


def summarize(rows: Iterable[dict[str, Any]], labels: Sequence[str],
              per_article_sink: Any = None) -> tuple[list[dict], list[dict]]:
    """Per article × speaker × target, and per speaker × target across all articles: counts per label and
    mean probabilities (over scored pairs; prefilter-skipped pairs count as ``none`` but have no scores).

    Streams: the per-article records go to ``per_article_sink(record)`` as each article ends when a sink is
    given (then the first list returned is empty), so memory grows with speakers × targets, not articles.
    """
    labels = list(labels) + ([] if "none" in labels else ["none"])
    per: list[dict] = []
    sink = per_article_sink or per.append
    current: dict[tuple, _Agg] = {}
    current_id: str | None = None
    overall: dict[tuple, _Agg] = {}

    def flush() -> None:
        for (art, speaker, target), agg in current.items():
            sink(agg.record(labels, {"article_id": art, "speaker": speaker, "target": target}, False))
        current.clear()

    for row in rows:
        if "error" in row:
            continue
        if row["article_id"] != current_id:
            flush()
            current_id = row["article_id"]
        speaker = row.get("speaker") or UNKNOWN_SPEAKER
        for table, key in ((current, (row["article_id"], speaker, row["target"])), (overall, (speaker, row["target"]))):
            agg = table.get(key)
            if agg is None:
                agg = table[key] = _Agg(labels)
            agg.add(row)
    flush()
    ovr = [agg.record(labels, {"speaker": sp, "target": t}, True) for (sp, t), agg in overall.items()]
    ovr.sort(key=lambda r: (-r["quotes"], r["speaker"], r["target"]))
    return per, ovr


def write_summaries(paths: OutputPaths, labels: Sequence[str]) -> list[dict]:
    """Write ``<stem>.summary.csv`` (streamed, per article) and ``<stem>.speakers.csv``; return the latter."""
    with paths.summary.open("w", encoding="utf-8", newline="") as f:
        writer: list[csv.DictWriter] = []

        def sink(rec: dict) -> None:
            if not writer:
                writer.append(csv.DictWriter(f, fieldnames=list(rec)))
                writer[0].writeheader()
            writer[0].writerow(rec)

        _, overall = summarize(iter_jsonl(paths.work), labels, per_article_sink=sink)
    write_csv(paths.speakers, overall)
    return overall


def write_csv(path: Path, records: list[dict]) -> None:
    """Write ``records`` (dicts with the same keys) as CSV."""
    with path.open("w", encoding="utf-8", newline="") as f:
        if not records:
            f.write("")
            return
        w = csv.DictWriter(f, fieldnames=list(records[0]))
        w.writeheader()
        w.writerows(records)


def format_table(records: list[dict], max_rows: int = 30, width: int = 36) -> str:
    """A compact fixed-width text table of the speaker × target summary."""
    if not records:
        return "(no predictions)"
    cols = [c for c in records[0] if c != "articles"]

    def cell(v: Any) -> str:
        s = "-" if v is None else (f"{v:.2f}" if isinstance(v, float) else str(v))
        return s if len(s) <= width else s[: width - 1] + "…"

    shown = [[cell(r.get(c)) for c in cols] for r in records[:max_rows]]
    widths = [max(len(c), *(len(row[i]) for row in shown)) for i, c in enumerate(cols)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths))]
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths)) for row in shown]
    if len(records) > max_rows:
        lines.append(f"... {len(records) - max_rows} more rows in the summary file")
    return "\n".join(lines)


# -- the CLI ------------------------------------------------------------------------------------------------


def _resolve_targets(cfg: Any) -> list[str]:
    from omegaconf import ListConfig, OmegaConf

    raw = cfg.get("targets")
    if isinstance(raw, ListConfig):
        raw = OmegaConf.to_container(raw)
    targets = clean_targets([raw] if isinstance(raw, str) else (raw or []))
    if cfg.get("targets_file"):
        targets = clean_targets(targets + read_targets_file(cfg.targets_file))
    return targets


def _build_prefilter(spec: Any, precision: str) -> Any:
    if spec is None or spec is False:
        return None
    from stance.relevance import DEFAULT_THRESHOLD, RelevanceFilter

    if spec is True:
        spec = {}
    elif isinstance(spec, (int, float)):
        spec = {"threshold": float(spec)}
    spec = dict(spec)
    unknown = set(spec) - {"threshold", "model", "batch_size"}
    if unknown:
        raise PredictConfigError(f"prefilter: unknown keys {sorted(unknown)} (known: threshold, model, batch_size)")
    return RelevanceFilter.from_pretrained(spec.get("model"), threshold=spec.get("threshold", DEFAULT_THRESHOLD),
                                           batch_size=spec.get("batch_size") or 64, precision=precision)


def run(cfg: Any) -> dict[str, Any]:
    """``stance-predict``: predict, write the output and its summaries, return run statistics."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    try:
        return _run(cfg)
    except (PredictConfigError, ModelLoadError) as e:
        print(f"stance-predict: error: {e}", file=sys.stderr)
        raise SystemExit(2) from None


def _run(cfg: Any) -> dict[str, Any]:
    from stance.distributed import ShardRun

    try:  # shard=i/n and/or torchrun ranks: this process's part of the input (docs/scaling.md)
        shard_run = ShardRun.for_config(cfg)
    except ValueError as e:
        raise PredictConfigError(str(e)) from None
    from omegaconf import ListConfig, OmegaConf

    raw_input = cfg.get("input")
    sources = [str(s) for s in OmegaConf.to_container(raw_input)] if isinstance(raw_input, ListConfig) else (
        [str(raw_input)] if raw_input not in (None, "") else [])
    if not sources:
        raise PredictConfigError("no input: pass input=PATH (a file, a directory, JSONL, HTML, or - for stdin)")
    for source in sources:
        if source != "-" and not Path(source).expanduser().exists():
            raise PredictConfigError(f"input {source!r} does not exist")
    if not cfg.get("output"):
        raise PredictConfigError("no output: pass output=FILE (.jsonl, .csv or .parquet)")
    targets = _resolve_targets(cfg)
    paths = OutputPaths.for_output(shard_run.output)
    paths.output.parent.mkdir(parents=True, exist_ok=True)

    classifier = StanceClassifier.from_pretrained(cfg.model_dir, device=shard_run.device(cfg.get("device")),
                                                  precision=cfg.get("precision") or "auto",
                                                  batch_size=int(cfg.get("batch_size") or 64),
                                                  max_tokens=cfg.get("max_tokens"),
                                                  min_fill=cfg.get("min_fill"))
    prefilter = _build_prefilter(cfg.get("prefilter"), classifier.precision)

    done: set[str] = set()
    if cfg.get("resume"):
        _restore_work_file(paths)
        done, offset = read_ledger(paths)
        if paths.work.exists():
            with paths.work.open("r+b") as f:
                f.truncate(offset)  # drop the rows of an article that was cut off
        log.info("resume: %d articles already done", len(done))
    else:
        for p in (paths.work, paths.ledger):
            p.unlink(missing_ok=True)

    stats = {"articles": 0, "skipped_done": len(done), "errors": 0, "quotes": 0, "pairs": 0,
             "prefiltered": 0, "rows": 0}
    results = iter_article_results(shard_run.select(_chain_sources(sources, cfg)), classifier, targets, prefilter=prefilter, skip_ids=done,
                                   id_field=cfg.get("id_field") or "id", text_field=cfg.get("text_field") or "text",
                                   html_field=cfg.get("html_field") or "html",
                                   targets_field=cfg.get("targets_field") or "targets")
    bar = _progress(bool(cfg.get("progress", True)))
    t0 = time.perf_counter()
    seen: set[str] = set()
    with paths.work.open("ab") as out, paths.ledger.open("ab") as ledger:
        for res in results:
            if res.article_id in seen:
                log.warning("article id %r occurs more than once; resume will treat them as one", res.article_id)
            seen.add(res.article_id)
            out.write(b"".join(_json_line(r) for r in res.rows))
            out.flush()
            ledger.write(_json_line({"article_id": res.article_id, "status": res.status, "quotes": res.quotes,
                                     "pairs": res.pairs, "prefiltered": res.skipped, "rows": len(res.rows),
                                     "offset": out.tell()}))
            ledger.flush()
            stats["articles"] += 1
            stats["errors"] += res.status == "error"
            stats["quotes"] += res.quotes
            stats["pairs"] += res.pairs
            stats["prefiltered"] += res.skipped
            stats["rows"] += len(res.rows)
            if bar is not None:
                elapsed = max(time.perf_counter() - t0, 1e-9)
                bar.update(1)
                bar.set_postfix(quotes=stats["quotes"], pairs_s=f"{stats['pairs'] / elapsed:.0f}", refresh=False)
    if bar is not None:
        bar.close()
    stats["seconds"] = round(time.perf_counter() - t0, 3)
    if shard_run.sharded:  # the merged output and its summaries are written once all shards are done
        return shard_run.finish(stats, classifier.labels)

    overall = write_summaries(paths, classifier.labels)
    convert_output(paths, classifier.labels)
    print(format_table(overall))
    print(f"\n{stats['articles']} articles ({stats['errors']} without predictions, {stats['skipped_done']} done "
          f"before), {stats['quotes']} quotations, {stats['pairs']} pairs ({stats['prefiltered']} prefiltered) "
          f"in {stats['seconds']:.1f}s -> {paths.output}")
    print(f"summaries: {paths.summary} (per article), {paths.speakers} (per speaker across articles); "
          f"ledger: {paths.ledger}")
    return {**stats, "output": str(paths.output), "summary": str(paths.summary), "speakers": str(paths.speakers),
            "ledger": str(paths.ledger)}


def _chain_sources(sources: list[str], cfg: Any) -> Iterator[Any]:
    """Articles of several inputs, one after the other (``input='[a.jsonl, b.txt]'``)."""
    from stance.articles import iter_articles

    for source in sources:
        yield from iter_articles(source, id_field=cfg.get("id_field") or "id",
                                 text_field=cfg.get("text_field") or "text",
                                 html_field=cfg.get("html_field") or "html",
                                 targets_field=cfg.get("targets_field") or "targets")


def _progress(enabled: bool) -> Any:
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(unit="article", desc="stance-predict", file=sys.stderr, dynamic_ncols=True)
