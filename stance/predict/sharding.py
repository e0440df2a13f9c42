"""Sharded prediction: one process's part of a ``stance-predict`` run, and the merge of all parts.

:class:`ShardRun` gives ``stance-predict`` its part of the input and merges the parts back in input order
(:func:`merge_shards`, ``python -m stance.predict.sharding merge OUTPUT N``).
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass
from typing import Any

from stance.errors import EXIT_USAGE, ShardError, report_error
from stance.runtime.ranks import is_main_process, world_size
from stance.runtime.shards import Shard, current_shard, shard_of

# -- sharded prediction ----------------------------------------------------------------------------------------


def shards_dir(output: str | os.PathLike) -> Any:
    """Where the shards of ``output`` go: ``<stem>.shards/`` beside it (``preds.csv`` -> ``preds.shards/``)."""
    from pathlib import Path

    out = Path(output).expanduser()
    return out.with_name(out.stem + ".shards")


def shard_output(output: str | os.PathLike, shard: Shard) -> str:
    """The file one shard streams into: ``output`` itself when whole, else ``<stem>.shards/shard-I-of-N.jsonl``."""
    if shard.is_whole:
        return str(output)
    return str(shards_dir(output) / f"{shard.tag}.jsonl")


def _done_marker(output: str | os.PathLike, shard: Shard) -> Any:
    return shards_dir(output) / f"{shard.tag}.done.json"



@dataclass
class ShardRun:
    """One process's part of a ``stance-predict`` run (see :func:`current_shard`).

    ``stance.predict`` streams :meth:`select` of the articles into :attr:`output` (a per-shard JSONL with
    its own resume ledger) and calls :meth:`finish`, which marks the shard done and merges all shards into
    the requested output once every one is done: under torchrun rank 0 merges after a barrier; with
    independent ``shard=i/n`` processes the last one to finish does (or ``python -m stance.predict.sharding merge``).
    """

    final_output: str
    shard: Shard

    @classmethod
    def for_config(cls, cfg: Any) -> ShardRun:
        """This process's shard of ``cfg.output``; a stale done marker of an earlier run is removed."""
        run = cls(str(cfg.get("output")), current_shard(cfg))
        if run.sharded:
            _done_marker(run.final_output, run.shard).unlink(missing_ok=True)
        return run

    @property
    def sharded(self) -> bool:
        return not self.shard.is_whole

    @property
    def output(self) -> str:
        return shard_output(self.final_output, self.shard)

    def select(self, articles: Any) -> Any:
        """This shard's articles (round-robin by input position), lazily."""
        return articles if not self.sharded else self.shard.select(articles)

    @staticmethod
    def device(requested: str | None) -> str:
        """``cuda`` means this rank's GPU under torchrun (``cuda:LOCAL_RANK``); anything else is kept."""
        requested = requested or "cpu"
        if requested == "cuda" and world_size() > 1 and "LOCAL_RANK" in os.environ:
            return f"cuda:{int(os.environ['LOCAL_RANK'])}"
        return requested

    def finish(self, stats: dict[str, Any], labels: Any = None) -> dict[str, Any]:
        """Mark this shard done; merge when all are. Returns ``stats`` plus ``shard`` and, if merged, ``merged``."""
        import json

        marker = _done_marker(self.final_output, self.shard)
        tmp = marker.with_name(marker.name + ".tmp")
        tmp.write_text(json.dumps({"shard": str(self.shard), **stats}, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, marker)
        result = {**stats, "shard": str(self.shard), "shard_output": self.output}
        if world_size() > 1:
            _wait_for_ranks()
            if not is_main_process():
                return result
        missing = [i for i in range(self.shard.count) if not _done_marker(self.final_output,
                                                                          Shard(i, self.shard.count)).exists()]
        if missing:
            print(f"shard {self.shard} done -> {self.output}; waiting for {len(missing)} more "
                  f"(the last one merges, or: python -m stance.predict.sharding merge {self.final_output} "
                  f"{self.shard.count})")
            return result
        lock = shards_dir(self.final_output) / f"merge-of-{self.shard.count}.lock"
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:  # another finisher is merging
            return result
        os.close(fd)
        try:
            result["merged"] = merge_shards(self.final_output, self.shard.count, labels)
        finally:
            lock.unlink(missing_ok=True)
        return result


def _wait_for_ranks() -> None:
    """A barrier over all ranks of this launch (gloo; the group is set up here if needed and torn down)."""
    import torch.distributed as dist

    started = False
    if not dist.is_initialized():
        dist.init_process_group("gloo", timeout=_dt.timedelta(hours=2))
        started = True
    try:
        dist.barrier()
    finally:
        if started:
            dist.destroy_process_group()


def _ledger_entries(path: Any) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """The article entries of a shard's ledger and its run header (None for a ledger without one)."""
    import json

    entries = []
    header = None
    with path.open(encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                raise ShardError(f"{path}:{line_no}: not a JSON line (a torn ledger: rerun that shard with "
                                 "resume=true)") from None
            if "run" in entry:
                header = entry
            else:
                entries.append(entry)
    return entries, header


def _infer_labels(work: Any) -> list[str]:
    import json

    from stance.data.labels import LABELS

    with work.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line) if line.strip() else {}
            if row.get("scores"):
                return list(row["scores"])
    return list(LABELS)


def merge_shards(output: str | os.PathLike, count: int, labels: Any = None) -> dict[str, Any]:
    """Merge ``<stem>.shards/shard-*-of-COUNT`` into ``output``, in the input's article order.

    Article ``k`` of the input is article ``k // COUNT`` of shard ``k % COUNT`` (see :func:`shard_of`), so the
    merged rows, summaries and ledger equal those of one process over the whole input.
    """
    import json

    from stance.predict.outputs import OutputPaths, convert_output
    from stance.predict.summaries import write_summaries

    if count < 2:
        raise ShardError(f"merge needs at least 2 shards, got {count}")
    final = OutputPaths.for_output(output)
    parts = [OutputPaths.for_output(shard_output(output, Shard(i, count))) for i in range(count)]
    for i in range(count):
        marker = _done_marker(output, Shard(i, count))
        if not marker.exists():
            raise ShardError(f"shard {i}/{count} of {output} is not finished (no {marker}): run it (again) with "
                             f"shard={i}/{count} resume=true")
    read = [_ledger_entries(p.ledger) for p in parts]
    ledgers = [entries for entries, _ in read]
    header = next((h for _, h in read if h is not None), None)
    handles = [p.work.open("rb") for p in parts]
    starts = [0] * count
    taken = [0] * count
    articles = rows = 0
    tmp_work = final.work.with_name(final.work.name + ".merging")
    tmp_ledger = final.ledger.with_name(final.ledger.name + ".merging")
    try:
        with tmp_work.open("wb") as out, tmp_ledger.open("wb") as ledger:
            if header is not None:
                ledger.write((json.dumps(header, ensure_ascii=False) + "\n").encode("utf-8"))
            k = 0
            while True:
                i = shard_of(k, count)
                if taken[i] == len(ledgers[i]):
                    break
                entry = ledgers[i][taken[i]]
                end = int(entry["offset"])
                chunk = handles[i].read(end - starts[i])
                out.write(chunk)
                ledger.write((json.dumps({**entry, "offset": out.tell()}, ensure_ascii=False) + "\n").encode("utf-8"))
                starts[i], taken[i] = end, taken[i] + 1
                rows += chunk.count(b"\n")
                articles += 1
                k += 1
    finally:
        for h in handles:
            h.close()
    leftover = [f"{i}/{count}" for i in range(count) if taken[i] != len(ledgers[i])]
    if leftover:
        tmp_work.unlink(missing_ok=True)
        tmp_ledger.unlink(missing_ok=True)
        raise ShardError(f"shards {leftover} hold more articles than round-robin order allows: they were not made "
                         f"from the same input split {count} ways")
    os.replace(tmp_work, final.work)
    os.replace(tmp_ledger, final.ledger)
    labels = list(labels) if labels else _infer_labels(final.work)
    write_summaries(final, labels)
    convert_output(final, labels)
    print(f"merged {count} shards: {articles} articles, {rows} rows -> {final.output}")
    return {"output": str(final.output), "articles": articles, "rows": rows, "shards": count,
            "summary": str(final.summary), "speakers": str(final.speakers)}


def main(argv: list[str] | None = None) -> int:
    """``python -m stance.predict.sharding merge OUTPUT COUNT``: merge finished ``shard=i/COUNT`` predictions."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(prog="python -m stance.predict.sharding")
    sub = parser.add_subparsers(dest="command", required=True)
    merge = sub.add_parser("merge", help="merge the shards of a stance-predict output")
    merge.add_argument("output", help="the output= of the sharded runs (e.g. predictions.jsonl)")
    merge.add_argument("count", type=int, help="the N of shard=i/N")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    try:
        merge_shards(args.output, args.count)
    except (ShardError, FileNotFoundError) as err:
        report_error("merge", err)
        return EXIT_USAGE
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
