"""``stance-predict``: read articles, predict, stream rows with a resume ledger, write the summaries beside them."""

from __future__ import annotations

import itertools
import logging
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from stance.errors import PredictConfigError
from stance.model.classifier import StanceClassifier, model_labels
from stance.predict.options import check_options
from stance.predict.output_lock import OutputLock
from stance.predict.outputs import (
    OutputPaths,
    check_existing_output,
    check_output_paths,
    convert_output,
    json_line,
    run_identity,
    written_or_one_line,
)
from stance.predict.pipeline import iter_article_results
from stance.predict.resume_check import resume_state
from stance.predict.settings import (
    build_prefilter,
    nli_templates,
    progress_bar,
    quote_extractor,
    resolve_targets,
)
from stance.predict.summaries import format_duration, format_table, write_summaries
from stance.runtime.checks import check_output_files

log = logging.getLogger(__name__)


# -- the CLI ------------------------------------------------------------------------------------------------


def run(cfg: Any, classifier: StanceClassifier | None = None) -> dict[str, Any]:
    """``stance-predict``: predict, write the output and its summaries, return run statistics (``classifier``:
    one already loaded for ``cfg.model_dir``, instead of loading it)."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    check_options(cfg)  # every option's value, before a model or Ray is started
    if (cfg.get("engine") or "local") == "ray":  # the same job on Ray Data (docs/scaling.md)
        from stance.predict.ray_engine import run_ray

        return run_ray(cfg)
    if (cfg.get("engine") or "local") != "local":
        raise PredictConfigError(f"engine={cfg.get('engine')!r}: expected local or ray")
    return _run(cfg, classifier)


def _run(cfg: Any, classifier: StanceClassifier | None = None) -> dict[str, Any]:
    from stance.predict.sharding import ShardRun

    try:  # shard=i/n: this independent process's part of the input (docs/scaling.md)
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
    targets = resolve_targets(cfg)
    paths = OutputPaths.for_output(shard_run.output)
    final_paths = OutputPaths.for_output(shard_run.final_output)
    check_output_paths("stance-predict", sources, [*paths.files, *final_paths.files])
    check_output_files(paths.files)
    # another writer holding the output is said first; then an earlier run's output needs resume or overwrite
    with OutputLock(paths.lock, "stance-predict", paths.output):
        check_existing_output(paths, bool(cfg.get("resume")), bool(cfg.get("overwrite")))
        with written_or_one_line(paths):
            return _predict_into(cfg, sources, targets, paths, shard_run, classifier)


def _predict_into(cfg: Any, sources: list[str], targets: list[str], paths: OutputPaths, shard_run: Any,
                  classifier: StanceClassifier | None) -> dict[str, Any]:
    # the resume checks come before the model loads: a refusal costs nothing
    model_dir = classifier.model_dir if classifier is not None else model_labels(cfg.model_dir)[0]
    identity = run_identity(targets, model_dir, sources)
    done, has_header = resume_state(paths, identity, bool(cfg.get("resume")))

    show_progress = bool(cfg.get("progress", True))
    t_load = time.perf_counter()
    if show_progress and classifier is None:  # loading a real model takes seconds: say so rather than sit silent
        print(f"stance-predict: loading the model from {cfg.model_dir} ...", file=sys.stderr, flush=True)
    classifier = classifier or StanceClassifier.from_pretrained(cfg.model_dir, device=shard_run.device(cfg.get("device")),
                                                  precision=cfg.get("precision") or "auto",
                                                  batch_size=int(cfg.get("batch_size") or 64),
                                                  max_tokens=cfg.get("max_tokens"),
                                                  min_fill=cfg.get("min_fill"),
                                                  nli_templates=nli_templates(cfg))
    prefilter = build_prefilter(cfg.get("prefilter"), classifier.precision)
    load_seconds = time.perf_counter() - t_load

    stats = {"articles": 0, "skipped_done": len(done), "errors": 0, "quotes": 0, "pairs": 0,
             "prefiltered": 0, "rows": 0}
    results = iter_article_results(shard_run.select(_chain_sources(sources, cfg)), classifier, targets, prefilter=prefilter, skip_ids=done,
                                   id_field=cfg.get("id_field") or "id", text_field=cfg.get("text_field") or "text",
                                   html_field=cfg.get("html_field") or "html",
                                   targets_field=cfg.get("targets_field") or "targets",
                                   extract_quotes=quote_extractor(cfg))
    countable = show_progress and not cfg.get("input_format")  # a forced format: the suffixes say nothing
    expected = _expected_articles(sources, shard_run, len(done)) if countable else None
    bar = progress_bar(show_progress, expected)
    t0 = time.perf_counter()
    # the first result is computed before any file is touched: a run refused on its first article (no targets)
    # leaves an earlier output, its ledger and its summaries as they were
    first = list(itertools.islice(results, 1))
    if not cfg.get("resume"):
        for p in (paths.work, paths.ledger, paths.summary, paths.speakers):
            p.unlink(missing_ok=True)
    seen: set[str] = set()
    with paths.work.open("ab") as out, paths.ledger.open("ab") as ledger:
        if not has_header:
            ledger.write(json_line({"run": identity}))
            ledger.flush()
        for res in itertools.chain(first, results):
            if res.article_id in seen:
                log.warning("article id %r occurs more than once; resume will treat them as one", res.article_id)
            seen.add(res.article_id)
            out.write(b"".join(json_line(r) for r in res.rows))
            out.flush()
            ledger.write(json_line({"article_id": res.article_id, "status": res.status, "quotes": res.quotes,
                                     "pairs": res.pairs, "prefiltered": res.skipped, "rows": len(res.rows),
                                     "offset": out.tell(), **({"warnings": res.warnings} if res.warnings else {})}))
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
    overall = write_summaries(paths, classifier.labels)
    convert_output(paths, classifier.labels)
    print(format_table(overall))
    print(f"\n{stats['articles']} articles ({stats['errors']} without predictions, {stats['skipped_done']} done "
          f"before), {stats['quotes']} attributions, {stats['pairs']} pairs ({stats['prefiltered']} prefiltered) "
          f"in {format_duration(stats['seconds'])} (model loaded in {format_duration(load_seconds)}) -> {paths.output}")
    print(f"summaries: {paths.summary} (per article), {paths.speakers} (per speaker across articles); "
          f"ledger: {paths.ledger}")
    return {**stats, "output": str(paths.output), "summary": str(paths.summary), "speakers": str(paths.speakers),
            "ledger": str(paths.ledger)}


def _chain_sources(sources: list[str], cfg: Any) -> Iterator[Any]:
    """Articles of several inputs, one after the other (``input='[a.jsonl, b.txt]'``)."""
    from stance.data.articles import iter_articles

    for source in sources:
        yield from iter_articles(source, id_field=cfg.get("id_field") or "id",
                                 text_field=cfg.get("text_field") or "text",
                                 html_field=cfg.get("html_field") or "html",
                                 targets_field=cfg.get("targets_field") or "targets",
                                 input_format=cfg.get("input_format"))


def _expected_articles(sources: list[str], shard_run: Any, done: int) -> int | None:
    """The progress bar's total: the input's articles (this shard's part), less those a resumed run has done;
    None where it cannot be known cheaply (stdin, a very large JSONL)."""
    from stance.data.articles import count_articles

    counts = [count_articles(s) for s in sources]
    if any(c is None for c in counts):
        return None
    total = sum(counts)
    if shard_run.sharded:
        total = len(range(shard_run.shard.index, total, shard_run.shard.count))
    return max(total - done, 0)
