"""Article-level stance prediction: extract attributions, pair each with each target, score, write rows.

``predict_articles`` is the Python API (an iterator of rows); ``run(cfg)`` is the ``stance-predict`` CLI,
which streams articles, writes rows incrementally, keeps a per-article ledger for ``resume=true``, and
writes the speaker × target summaries beside the output. See ``docs/predict.md``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from stance.errors import PredictConfigError
from stance.model.classifier import StanceClassifier

log = logging.getLogger(__name__)

UNKNOWN_SPEAKER = "(unknown)"



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
    if p.is_dir():
        raise PredictConfigError(f"targets_file {str(p)!r} is a directory; give a file of one target a line")
    try:
        text = p.read_text(encoding="utf-8-sig")  # a BOM is no part of the first target
    except FileNotFoundError:
        raise PredictConfigError(f"targets_file {str(p)!r} does not exist") from None
    except OSError as e:
        raise PredictConfigError(f"targets_file {str(p)!r} cannot be read ({e.strerror or e})") from None
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
    warnings: list[str] = field(default_factory=list)  # kept in the ledger (a target truncated, ...)


@dataclass
class PendingArticle:
    """An article whose quotations wait to be scored against its targets."""

    result: ArticleResult
    quotes: list[Any]
    targets: list[str]


def _as_articles(source: Any, **fields: str) -> Iterator[Any]:
    from types import SimpleNamespace

    if isinstance(source, (str, Path)):
        from stance.data.articles import iter_articles

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


def error_result(article_id: str, message: str) -> ArticleResult:
    """The result of an article that gives no rows: one error record."""
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
    extract_quotes: Callable[[str], list[Any]] | None = None,
) -> Iterator[ArticleResult]:
    """One :class:`ArticleResult` per input article (except those in ``skip_ids``), in input order.

    ``extract_quotes``: text -> attributions (default: the rules of :func:`stance.quotes.extract_quotes`; a
    :class:`stance.attribution.StatementExtractor` adds the tagger's).

    Quotations of several articles are buffered until about ``buffer_pairs`` pairs (default 8 batches)
    are pending, so batches stay full on short articles while memory stays bounded.
    """
    if extract_quotes is None:
        from stance.quotes import extract_quotes

    global_targets = clean_targets([targets] if isinstance(targets, str) else (targets or []))
    buffer_pairs = buffer_pairs or classifier.batch_size * 8
    pending: list[PendingArticle] = []
    n_pairs = 0
    first = True
    articles = _as_articles(articles_or_source, id_field=id_field, text_field=text_field, html_field=html_field,
                            targets_field=targets_field)
    for article in articles:
        art_id = str(article.id)
        if art_id in skip_ids:
            continue
        if getattr(article, "error", None):
            res: ArticleResult | PendingArticle = error_result(art_id, str(article.error))
        else:
            res = prepare_article(article, art_id, global_targets, extract_quotes)
            if isinstance(res, PendingArticle):
                res.result.warnings = [w for t in res.targets if (w := classifier.target_warning(t))]
            if first and isinstance(res, ArticleResult) and res.rows[0]["error"].startswith("no targets"):
                raise PredictConfigError(
                    "no targets: pass targets='[a, b]', targets_file=PATH, or give each JSONL article a "
                    f"{targets_field!r} field (article {art_id!r} has none)")
        first = False
        if isinstance(res, ArticleResult):
            if not pending:
                yield res
                continue
            pending.append(PendingArticle(res, [], []))
        else:
            pending.append(res)
            n_pairs += len(res.quotes) * len(res.targets)
        if n_pairs >= buffer_pairs or len(pending) >= max_buffer_articles:
            yield from score_pending(pending, classifier, prefilter)
            pending, n_pairs = [], 0
    if pending:
        yield from score_pending(pending, classifier, prefilter)


def prepare_article(article: Any, art_id: str, global_targets: list[str],
                    extract_quotes: Any) -> ArticleResult | PendingArticle:
    """An article's quotations and targets, ready to score, or its error record."""
    try:
        own = clean_targets(article.targets or [], where=f"article {art_id!r} targets") if getattr(
            article, "targets", None) else []
    except PredictConfigError as e:
        return error_result(art_id, str(e))
    art_targets = own or global_targets
    if not art_targets:
        return error_result(art_id, "no targets for this article (no command-line targets and no per-article field)")
    text = article.text or ""
    if not text.strip():
        return error_result(art_id, "empty article: no text")
    try:
        quotes = list(extract_quotes(text))
    except Exception as e:  # noqa: BLE001 - one bad article must not stop the run
        return error_result(art_id, f"quotation extraction failed: {type(e).__name__}: {e}")
    quotes = [q for q in quotes if (q.quote or "").strip()]
    if not quotes:
        return error_result(art_id, "no quotations found in the article")
    return PendingArticle(ArticleResult(art_id, quotes=len(quotes)), quotes, art_targets)


def score_pending(pending: list[PendingArticle], classifier: StanceClassifier,
                  prefilter: Any) -> Iterator[ArticleResult]:
    """Score the pairs of several articles together; one result (rows and counts) per article, in order."""
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
                    "article_id": res.article_id, "speaker": q.speaker, "role": q.role, "kind": q.kind,
                    "quote": q.quote,
                    "quote_start": q.quote_start, "quote_end": q.quote_end,
                    "pieces": [[s, e] for s, e in q.pieces], "target": t,
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
    """Rows for every (article, attribution, target); an article without rows gives one ``{"article_id", "error"}``.

    An attribution is scored on its whole statement: ``quote`` is the text of all its pieces (a quotation split by
    "he said" is one row per target), ``pieces`` their ``[start, end]`` spans, ``quote_start``/``quote_end`` the
    outer span.

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
