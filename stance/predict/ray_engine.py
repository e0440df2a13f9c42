"""``stance-predict engine=ray``: the local engine's rows, ledger and summaries, computed on Ray Data.

Articles are read by parallel read tasks (:mod:`stance.predict.ray_read`), their quotations extracted by
``map_batches`` CPU tasks, and their (quotation, target) pairs scored by ``map_batches`` on a pool of actors that
each load the model once (one GPU each, or a share of one, when the cluster has GPUs; CPU threads otherwise).
The driver streams the scored articles (``iter_batches``) into the same output and resume ledger as the local
engine, one article at a time, so what it holds does not grow with the input and a task Ray retries cannot write
its rows twice: only the one result the streaming executor hands over is written. See docs/scaling.md.
"""

from __future__ import annotations

import functools
import json
import logging
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from stance.errors import PredictConfigError
from stance.model.classifier import model_labels
from stance.predict.output_lock import OutputLock
from stance.predict.outputs import (OutputPaths, check_existing_output, check_output_paths, convert_output, json_line,
                                   run_identity, written_or_one_line)
from stance.predict.pipeline import (
    ArticleResult,
    PendingArticle,
    error_result,
    prepare_article,
    score_pending,
)
from stance.predict.resume_check import resume_state
from stance.predict.summaries import format_duration, format_table, write_summaries
from stance.runtime.checks import check_output_files

log = logging.getLogger(__name__)

MIN_PIECE_BYTES = 64 << 10
MAX_PIECE_BYTES = 32 << 20


def _schemas() -> tuple[Any, Any]:
    import pyarrow as pa

    quotes = pa.schema([("id", pa.string()), ("error", pa.string()), ("quotes", pa.string()), ("targets", pa.string())])
    scored = pa.schema([("article_id", pa.string()), ("status", pa.string()), ("quotes", pa.int64()),
                        ("pairs", pa.int64()), ("prefiltered", pa.int64()), ("rows", pa.int64()),
                        ("warnings", pa.list_(pa.string())), ("lines", pa.binary())])
    return quotes, scored


# -- the work of the tasks and actors ----------------------------------------------------------------------


@functools.lru_cache(maxsize=2)
def _extractor(quotes_json: str) -> Any:
    """The attribution extractor of a ``quotes`` config (JSON), built once per worker process."""
    from stance.attribution import from_config

    ext = from_config(json.loads(quotes_json))
    return lambda text: ext.extract(text).quotes


def extract_batch(batch: Any, targets: list[str], quotes: str = "{}") -> Any:
    """Articles -> their quotations and targets (JSON), or the error each one's rows will be (a CPU task);
    ``quotes``: the ``quotes`` config block as JSON (mode and tagger)."""
    import pyarrow as pa

    extract_quotes = _extractor(quotes)

    out = []
    for row in batch.to_pylist():
        if row["error"]:
            out.append({"id": row["id"], "error": row["error"], "quotes": None, "targets": None})
            continue
        article = SimpleNamespace(id=row["id"], text=row["text"], error=None,
                                  targets=json.loads(row["targets"]) if row["targets"] else None)
        res = prepare_article(article, row["id"], targets, extract_quotes)
        if isinstance(res, PendingArticle):
            quotes = [q.to_dict() for q in res.quotes]
            out.append({"id": row["id"], "error": None, "quotes": json.dumps(quotes, ensure_ascii=False),
                        "targets": json.dumps(res.targets, ensure_ascii=False)})
        else:
            out.append({"id": row["id"], "error": res.rows[0]["error"], "quotes": None, "targets": None})
    return pa.Table.from_pylist(out, schema=_schemas()[0])


def _pending(row: dict[str, Any]) -> PendingArticle:
    if row["error"]:
        return PendingArticle(error_result(row["id"], row["error"]), [], [])
    from stance.quotes import Quote

    quotes = [Quote(**q) for q in json.loads(row["quotes"])]
    return PendingArticle(ArticleResult(row["id"], quotes=len(quotes)), quotes, json.loads(row["targets"]))


class ScoreArticles:
    """A scoring actor: loads the model (and the prefilter) once, then scores batches of articles."""

    def __init__(self, model_dir: str, options: dict[str, Any]) -> None:
        import torch
        from transformers.utils import logging as hf_logging

        from stance.model.classifier import StanceClassifier
        from stance.predict.settings import build_prefilter

        hf_logging.disable_progress_bar()
        # the driver logs each target warning once, instead of every actor once
        logging.getLogger("stance.model.classifier").setLevel(logging.ERROR)
        if options.get("threads"):
            torch.set_num_threads(int(options["threads"]))
        self.classifier = StanceClassifier.from_pretrained(
            model_dir, device=options["device"], precision=options["precision"], batch_size=options["batch_size"],
            max_tokens=options["max_tokens"], min_fill=options["min_fill"])
        self.prefilter = build_prefilter(options["prefilter"], self.classifier.precision)

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        pending = [_pending(r) for r in batch.to_pylist()]
        for p in pending:  # as the local engine records them in the ledger (a target truncated, ...)
            p.result.warnings = [w for t in p.targets if (w := self.classifier.target_warning(t))]
        out = [{"article_id": res.article_id, "status": res.status, "quotes": res.quotes, "pairs": res.pairs,
                "prefiltered": res.skipped, "rows": len(res.rows), "warnings": res.warnings or None,
                "lines": b"".join(json_line(r) for r in res.rows)}
               for res in score_pending(pending, self.classifier, self.prefilter)]
        return pa.Table.from_pylist(out, schema=_schemas()[1])


# -- the driver -----------------------------------------------------------------------------------------------


def _sources(cfg: Any) -> list[str]:
    from omegaconf import ListConfig, OmegaConf

    raw = cfg.get("input")
    sources = [str(s) for s in OmegaConf.to_container(raw)] if isinstance(raw, ListConfig) else (
        [str(raw)] if raw not in (None, "") else [])
    if not sources:
        raise PredictConfigError("no input: pass input=PATH (a file, a directory, JSONL, parquet or HTML)")
    for source in sources:
        if source == "-":
            raise PredictConfigError("engine=ray reads files, not stdin: pass input=PATH")
        if not Path(source).expanduser().exists():
            raise PredictConfigError(f"input {source!r} does not exist")
    return sources


def _connect(rcfg: Any) -> bool:
    """Join the Ray cluster (``ray.address``, else ``$RAY_ADDRESS``), or start one here; True when started here."""
    import os

    import ray

    if ray.is_initialized():
        return False
    address = rcfg.get("address") or None
    if address or os.environ.get("RAY_ADDRESS"):
        ray.init(address=address, log_to_driver=True)
    else:  # a local Ray for this job alone, stopped when it ends
        ray.init(num_cpus=rcfg.get("num_cpus"), object_store_memory=rcfg.get("object_store_memory"),
                 include_dashboard=False)
    return True


def _first_article_has_targets(sources: list[str], fields: dict[str, str], targets: list[str], done: set[str],
                               input_format: str | None = None) -> None:
    """As the local engine: stop at once when the first article to do has no targets and none were given."""
    from stance.data.articles import iter_articles

    if targets:
        return
    for source in sources:
        for article in iter_articles(source, **fields, input_format=input_format):
            if str(article.id) in done:
                continue
            if not article.error:
                res = prepare_article(article, str(article.id), [], lambda text: [])
                if isinstance(res, ArticleResult) and res.rows[0]["error"].startswith("no targets"):
                    raise PredictConfigError(
                        "no targets: pass targets='[a, b]', targets_file=PATH, or give each JSONL article a "
                        f"{fields['targets_field']!r} field (article {article.id!r} has none)")
            return


def _actor_options(cfg: Any, rcfg: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The scoring actors' model options and their ``map_batches`` resources."""
    import ray
    from ray.data import ActorPoolStrategy

    resources = ray.cluster_resources()
    gpus = rcfg.get("gpus_per_actor")
    if gpus is None:
        gpus = 1 if resources.get("GPU", 0) > 0 else 0
    cpus = float(rcfg.get("cpus_per_actor") or 1)
    actors = rcfg.get("actors")
    if not actors:  # one per GPU share, else half the CPUs (the other half reads and extracts quotations)
        actors = int(resources.get("GPU", 0) // gpus) if gpus else int(resources.get("CPU", 2) // 2 // cpus)
    threads = rcfg.get("threads_per_actor") or max(1, int(cpus))
    options = {"device": "cuda" if gpus else (cfg.get("device") or "cpu"), "precision": cfg.get("precision") or "auto",
               "batch_size": int(cfg.get("batch_size") or 64), "max_tokens": cfg.get("max_tokens"),
               "min_fill": cfg.get("min_fill"), "prefilter": cfg.get("prefilter"), "threads": threads}
    from omegaconf import DictConfig, OmegaConf

    if isinstance(options["prefilter"], DictConfig):
        options["prefilter"] = OmegaConf.to_container(options["prefilter"])
    return options, {"compute": ActorPoolStrategy(size=max(1, int(actors))), "num_gpus": gpus or None,
                     "num_cpus": cpus}


def _dataset(sources: list[str], fields: dict[str, str], targets: list[str], done: set[str], model_dir: Path,
             cfg: Any, rcfg: Any) -> Any:
    import ray

    from stance.predict.ray_read import ArticleDatasource, file_size, plan_pieces

    total = sum(file_size(p) for s in sources for p in _files(s))  # a file gone since is its read task's error record
    cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
    piece_bytes = int(min(MAX_PIECE_BYTES, max(MIN_PIECE_BYTES, total // (4 * cpus))))
    input_format = cfg.get("input_format")
    pieces = plan_pieces(sources, piece_bytes, input_format)
    done_ref = ray.put(frozenset(done)) if done else None
    options, actor_args = _actor_options(cfg, rcfg)
    # one block a read task, as many as the pieces: no split operator, so extraction fuses with the reads
    ds = ray.data.read_datasource(ArticleDatasource(pieces, fields, done_ref, input_format),
                                  override_num_blocks=len(pieces))
    from omegaconf import DictConfig, OmegaConf

    quotes = json.dumps(OmegaConf.to_container(cfg.quotes) if isinstance(cfg.get("quotes"), DictConfig) else
                        dict(cfg.get("quotes") or {}))
    ds = ds.map_batches(extract_batch, fn_kwargs={"targets": targets, "quotes": quotes}, batch_format="pyarrow",
                        batch_size=None)
    # a dead actor is restarted and its batch retried (Ray Data's defaults, spelled out); that these remote args
    # differ from the extraction's also keeps Ray from fusing extraction into the actors, where it would hold
    # up the model
    return ds.map_batches(ScoreArticles, fn_constructor_args=(str(model_dir), options), batch_format="pyarrow",
                          max_restarts=-1, max_task_retries=-1,
                          batch_size=int(rcfg.get("articles_per_batch") or 64), **actor_args)


def _files(source: str) -> list[Path]:
    from stance.data.articles import input_files

    return [p for p, _ in input_files(source)]


def run_ray(cfg: Any) -> dict[str, Any]:
    """``stance-predict engine=ray``: as :func:`stance.predict.command.run`, on Ray Data."""
    try:
        import ray  # noqa: F401 - present, or one line
    except ImportError:
        raise PredictConfigError("engine=ray needs Ray Data: pip install 'stance[ray]' (or 'ray[data]')") from None
    from stance.predict.settings import resolve_targets

    if cfg.get("shard"):
        raise PredictConfigError("shard= splits the input among independent local processes; engine=ray "
                                 "distributes the whole input itself: drop shard=")
    sources = _sources(cfg)
    if not cfg.get("output"):
        raise PredictConfigError("no output: pass output=FILE (.jsonl, .csv or .parquet)")
    rcfg = cfg.get("ray") or {}
    fields = {k: cfg.get(k) or k.removesuffix("_field") for k in ("id_field", "text_field", "html_field",
                                                                    "targets_field")}
    targets = resolve_targets(cfg)
    model_dir, labels = model_labels(cfg.model_dir)
    paths = OutputPaths.for_output(cfg.output)
    check_output_paths("stance-predict", sources, paths.files)
    check_output_files(paths.files)
    # another writer holding the output is said first; then an earlier run's output needs resume or overwrite
    with OutputLock(paths.lock, "stance-predict", paths.output):
        check_existing_output(paths, bool(cfg.get("resume")), bool(cfg.get("overwrite")))
        with written_or_one_line(paths):
            return _run_locked(cfg, sources, targets, fields, rcfg, model_dir, labels, paths)


def _run_locked(cfg: Any, sources: list[str], targets: list[str], fields: dict[str, str], rcfg: Any,
                model_dir: Path, labels: tuple[str, ...], paths: OutputPaths) -> dict[str, Any]:
    import ray
    from ray.data import DataContext

    from stance.predict.settings import progress_bar

    identity = run_identity(targets, model_dir, sources)
    done, has_header = resume_state(paths, identity, bool(cfg.get("resume")))
    if not cfg.get("resume"):
        for p in (paths.work, paths.ledger):
            p.unlink(missing_ok=True)
    _first_article_has_targets(sources, fields, targets, done, cfg.get("input_format"))

    started = _connect(rcfg)
    ctx = DataContext.get_current()
    ctx.execution_options.preserve_order = bool(rcfg.get("preserve_order"))
    ctx.enable_progress_bars = False
    ctx.print_on_execution_start = False
    stats = {"articles": 0, "skipped_done": len(done), "errors": 0, "quotes": 0, "pairs": 0,
             "prefiltered": 0, "rows": 0}
    bar = progress_bar(bool(cfg.get("progress", True)))
    t0 = time.perf_counter()
    seen: set[str] = set()
    warned: set[str] = set()
    try:
        ds = _dataset(sources, fields, targets, done, model_dir, cfg, rcfg)
        with paths.work.open("ab") as out, paths.ledger.open("ab") as ledger:
            if not has_header:
                ledger.write(json_line({"run": identity}))
                ledger.flush()
            for block in ds.iter_batches(batch_size=None, batch_format="pyarrow", prefetch_batches=1):
                for rec in block.to_pylist():
                    art = rec["article_id"]
                    if art in seen:
                        log.warning("article id %r occurs more than once; resume will treat them as one", art)
                    seen.add(art)
                    out.write(rec.pop("lines"))
                    out.flush()
                    warnings = rec.pop("warnings") or []
                    for w in set(warnings) - warned:
                        log.warning("%s", w)
                        warned.add(w)
                    ledger.write(json_line({**rec, "offset": out.tell(), **({"warnings": warnings} if warnings else {})}))
                    ledger.flush()
                    stats["articles"] += 1
                    stats["errors"] += rec["status"] == "error"
                    for key in ("quotes", "pairs", "prefiltered", "rows"):
                        stats[key] += rec[key]
                    if bar is not None:
                        bar.update(1)
    finally:
        if bar is not None:
            bar.close()
        if started:
            ray.shutdown()
    stats["seconds"] = round(time.perf_counter() - t0, 3)
    overall = write_summaries(paths, labels)
    convert_output(paths, labels)
    print(format_table(overall))
    print(f"\n{stats['articles']} articles ({stats['errors']} without predictions, {stats['skipped_done']} done "
          f"before), {stats['quotes']} quotations, {stats['pairs']} pairs ({stats['prefiltered']} prefiltered) "
          f"in {format_duration(stats['seconds'])} on Ray -> {paths.output}")
    return {**stats, "engine": "ray", "output": str(paths.output), "summary": str(paths.summary),
            "speakers": str(paths.speakers), "ledger": str(paths.ledger)}
