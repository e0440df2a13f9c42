"""Running `stance` jobs on several processes: one run directory for all ranks, input shards, preemption.

* **Run directory.** Under ``torchrun`` (and ``accelerate launch``, which calls torchrun) every rank composes
  its own Hydra config, so ``${now:}`` would differ between ranks. The run directory's stamp comes from
  ``$STANCE_RUN_STAMP`` when it is set; otherwise the Hydra callback :class:`SharedRunDir` makes the ranks
  agree on the timestamp of whichever rank asks first, through the launcher's own key-value store (the
  torchrun agent's ``TCPStore`` at ``MASTER_ADDR:MASTER_PORT``), and exports it before Hydra creates the
  directory.
  Ranks other than 0 write no ``.hydra/`` folder and no log file there.
* **Shards.** :func:`current_shard` says which part of an input this process handles: ``shard=i/n`` (independent
  processes, e.g. a Slurm array) and/or the launcher's ``RANK``/``WORLD_SIZE``; :func:`shard_of` assigns
  item ``k`` to shard ``k % n`` (round-robin, so streaming inputs need no count up front).
* **Preemption and resume.** :class:`SaveOnSignal` turns SIGTERM/SIGUSR1 into "save a checkpoint now, then stop",
  in step on every rank, so ``resume=true`` loses no work (SIGKILL loses the steps since the last checkpoint);
  :func:`last_complete_checkpoint` skips checkpoints torn by a kill; :class:`LossBefore` keeps ``train_loss``
  of a resumed run equal to an uninterrupted one's.
* **Sharded prediction.** :class:`ShardRun` gives ``stance-predict`` its part of the input and merges the parts
  back in input order (:func:`merge_shards`, ``python -m stance.distributed merge OUTPUT N``).
"""

from __future__ import annotations

import datetime as _dt
import logging
import os
import re
import signal
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

RUN_STAMP_ENV = "STANCE_RUN_STAMP"
STAMP_FORMAT = "%Y-%m-%d_%H-%M-%S_%f"
#: exit status of a run stopped by SIGTERM after saving a checkpoint (128 + SIGTERM, as a shell reports it)
PREEMPTED_EXIT_CODE = 143


class DistributedSetupError(RuntimeError):
    """The processes of one job cannot agree on something (run directory, shard) without help."""


# -- ranks ------------------------------------------------------------------------------------------------


def rank() -> int:
    """This process's global rank (``RANK``, set by torchrun/accelerate; 0 when launched alone)."""
    return int(os.environ.get("RANK", "0") or 0)


def world_size() -> int:
    """How many processes the launcher started (``WORLD_SIZE``; 1 when launched alone)."""
    return int(os.environ.get("WORLD_SIZE", "1") or 1)


def is_main_process() -> bool:
    """Rank 0: the process that writes the run directory and logs to wandb."""
    return rank() == 0


# -- one run directory for all ranks ------------------------------------------------------------------------


def _now_stamp() -> str:
    return _dt.datetime.now().strftime(STAMP_FORMAT)


def shared_run_stamp(timeout_s: float = 120.0) -> str:
    """The run directory stamp every rank of this launch agrees on, exported as ``$STANCE_RUN_STAMP``.

    Alone (``WORLD_SIZE`` 1) or with ``$STANCE_RUN_STAMP`` already set, nothing is shared. Under torchrun the
    first rank to ask writes its timestamp into the agent's store and all ranks read it back; the key holds the
    launch's ``TORCHELASTIC_RUN_ID``, so an elastic restart of the same launch finds the same directory.
    """
    stamp = os.environ.get(RUN_STAMP_ENV)
    if stamp:
        return stamp
    if world_size() <= 1:
        return _now_stamp()
    if os.environ.get("TORCHELASTIC_USE_AGENT_STORE", "").lower() != "true" or "MASTER_PORT" not in os.environ:
        raise DistributedSetupError(
            f"WORLD_SIZE={world_size()} but this launcher offers no torchrun agent store to agree on one run "
            f"directory: set {RUN_STAMP_ENV} to the same value on every rank (e.g. {RUN_STAMP_ENV}=$SLURM_JOB_ID) "
            "or pass hydra.run.dir=... explicitly")
    import torch.distributed as dist

    store = dist.TCPStore(os.environ.get("MASTER_ADDR", "localhost"), int(os.environ["MASTER_PORT"]),
                          is_master=False, timeout=_dt.timedelta(seconds=timeout_s))
    key = f"stance/run_stamp/{os.environ.get('TORCHELASTIC_RUN_ID', '')}"
    stamp = store.compare_set(key, "", _now_stamp()).decode()
    os.environ[RUN_STAMP_ENV] = stamp
    return stamp


def _quiet_replica(config: Any) -> None:
    """Ranks > 0: no ``.hydra/`` folder and no log file in the shared run directory."""
    from omegaconf import open_dict, read_write

    hydra_cfg = config.hydra
    with read_write(hydra_cfg), open_dict(hydra_cfg):
        hydra_cfg.output_subdir = None
        logging_cfg = hydra_cfg.get("job_logging") or {}
        handlers = logging_cfg.get("handlers") or {}
        to_file = [name for name, h in handlers.items() if h is not None and "filename" in h]
        for name in to_file:
            del handlers[name]
        root = logging_cfg.get("root") or {}
        if root.get("handlers") is not None:
            root.handlers = [h for h in root.handlers if h not in to_file]


try:  # Hydra is a dependency; the guard keeps this module importable on its own
    from hydra.experimental.callback import Callback as _HydraCallback
except ImportError:  # pragma: no cover
    _HydraCallback = object  # type: ignore[assignment,misc]


class SharedRunDir(_HydraCallback):  # type: ignore[misc,valid-type]
    """Hydra callback (``configs/hydra/default.yaml``): all ranks of one launch share one run directory."""

    def _setup(self, config: Any) -> None:
        if world_size() <= 1:
            return
        shared_run_stamp()
        if not is_main_process():
            _quiet_replica(config)

    def on_run_start(self, config: Any, **kwargs: Any) -> None:
        self._setup(config)

    def on_multirun_start(self, config: Any, **kwargs: Any) -> None:
        self._setup(config)


# -- shards --------------------------------------------------------------------------------------------------


_SHARD_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True)
class Shard:
    """Part ``index`` (0-based) of ``count`` equal round-robin parts of an input."""

    index: int = 0
    count: int = 1

    def __post_init__(self) -> None:
        if self.count < 1 or not 0 <= self.index < self.count:
            raise ValueError(f"shard {self.index}/{self.count}: need 0 <= index < count")

    @property
    def is_whole(self) -> bool:
        return self.count == 1

    def owns(self, position: int) -> bool:
        """Whether the item at ``position`` (0-based, in input order) belongs to this shard."""
        return shard_of(position, self.count) == self.index

    def select(self, items: Any) -> Any:
        """This shard's items of an iterable, lazily, in input order."""
        return (item for k, item in enumerate(items) if shard_of(k, self.count) == self.index)

    @property
    def tag(self) -> str:
        """File-name tag, e.g. ``shard-03-of-16``."""
        width = len(str(self.count - 1))
        return f"shard-{self.index:0{width}d}-of-{self.count}"

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def shard_of(position: int, count: int) -> int:
    """The shard (0-based) that item ``position`` of an input goes to, out of ``count``: round-robin."""
    if count < 1:
        raise ValueError(f"shard count must be >= 1, got {count}")
    return position % count


def parse_shard(spec: Any) -> Shard | None:
    """``"i/n"`` (0-based ``i``) as a :class:`Shard`; None/empty as None. Bad specs raise ``ValueError``."""
    if spec is None or (isinstance(spec, str) and not spec.strip()):
        return None
    match = _SHARD_RE.match(str(spec))
    if not match:
        raise ValueError(f"shard={spec!r}: expected INDEX/COUNT with 0 <= INDEX < COUNT, e.g. shard=0/4")
    index, count = int(match.group(1)), int(match.group(2))
    if count < 1 or index >= count:
        raise ValueError(f"shard={spec!r}: expected INDEX/COUNT with 0 <= INDEX < COUNT, e.g. shard=0/4")
    return Shard(index, count)


def current_shard(cfg: Any = None) -> Shard:
    """This process's part of the input: ``cfg.shard`` (``i/n``) split further among the launcher's ranks.

    ``shard=i/n`` alone gives ``Shard(i, n)``; ``torchrun`` with ``WORLD_SIZE=w`` alone gives ``Shard(rank, w)``;
    both give ``Shard(i * w + rank, n * w)``, so the ``n * w`` parts still cover the input exactly once.
    """
    spec = cfg.get("shard") if cfg is not None and hasattr(cfg, "get") else cfg
    outer = parse_shard(spec) or Shard()
    w, r = world_size(), rank()
    if not 0 <= r < w:
        raise DistributedSetupError(f"RANK={r} is outside WORLD_SIZE={w}")
    return Shard(outer.index * w + r, outer.count * w)


# -- preemption ----------------------------------------------------------------------------------------------


def _build_save_on_signal() -> type:
    from transformers import TrainerCallback

    class SaveOnSignal(TrainerCallback):  # type: ignore[misc,valid-type]
        """A ``TrainerCallback``: on SIGTERM or SIGUSR1, save a checkpoint at the end of this step, then stop.

        All ranks stop at the same step (the flag is max-reduced across the process group each step). After
        ``trainer.train()`` returns, :attr:`preempted` says whether the run was cut short; the caller then exits
        with :data:`PREEMPTED_EXIT_CODE` instead of testing and saving an unfinished model.
        """

        signals = (signal.SIGTERM, signal.SIGUSR1)

        def __init__(self) -> None:
            self.requested = False
            self.preempted = False
            self._previous: dict[int, Any] = {}

        def _handler(self, signum: int, frame: Any) -> None:  # noqa: ARG002 - signal handler signature
            log.warning("received signal %d: saving a checkpoint at the end of this step, then stopping", signum)
            self.requested = True

        def install(self) -> SaveOnSignal:
            """Install the handlers (main thread only); :meth:`uninstall` restores the previous ones."""
            for sig in self.signals:
                try:
                    self._previous[sig] = signal.signal(sig, self._handler)
                except ValueError:  # not the main thread
                    break
            return self

        def uninstall(self) -> None:
            for sig, previous in self._previous.items():
                signal.signal(sig, previous)
            self._previous.clear()

        def _agreed(self, device: Any = "cpu") -> bool:
            import torch
            import torch.distributed as dist

            if not (dist.is_available() and dist.is_initialized()) or dist.get_world_size() == 1:
                return self.requested
            # NCCL reduces GPU tensors only: the flag lives on the training device
            flag = torch.tensor([1 if self.requested else 0], dtype=torch.int32, device=device)
            dist.all_reduce(flag, op=dist.ReduceOp.MAX)
            return bool(flag.item())

        def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> Any:
            if self._agreed(getattr(args, "device", "cpu")):
                self.preempted = True
                control.should_log = True  # the checkpoint's log_history then covers every step before it
                control.should_save = True
                control.should_training_stop = True
            return control

    return SaveOnSignal


def __getattr__(name: str) -> Any:
    # SaveOnSignal subclasses transformers' TrainerCallback: built on first use, so importing this module
    # (stance.tracking does) does not import transformers and torch
    if name == "SaveOnSignal":
        cls = _build_save_on_signal()
        globals()[name] = cls
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Preempted(SystemExit):
    """Raised by training after :class:`SaveOnSignal` stopped it: the checkpoint is saved, exit status 143."""

    def __init__(self, checkpoint_dir: str | None = None) -> None:
        super().__init__(PREEMPTED_EXIT_CODE)
        self.checkpoint_dir = checkpoint_dir


# -- resume ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LossBefore:
    """The training loss summed over the steps before a checkpoint, read from its ``log_history``.

    The Trainer's ``train_loss`` after ``resume_from_checkpoint`` averages only the steps run since the
    checkpoint; :meth:`whole_run` adds the earlier steps back, so a resumed run reports what an uninterrupted
    one does. Exact when the checkpoint step was a logging step (``save_steps`` a multiple of
    ``logging_steps``; :class:`SaveOnSignal` logs before it saves); otherwise ``total`` is None.
    Read it before training: checkpoint rotation may delete the folder later.
    """

    step: int = 0
    total: float | None = 0.0

    @classmethod
    def read(cls, checkpoint: str | os.PathLike | None) -> LossBefore:
        import json
        from pathlib import Path

        if checkpoint is None:
            return cls()
        state = json.loads((Path(checkpoint) / "trainer_state.json").read_text(encoding="utf-8"))
        step = int(state.get("global_step") or 0)
        logs = [e for e in state.get("log_history", []) if "loss" in e and "step" in e and e["step"] <= step]
        if step and (not logs or logs[-1]["step"] != step):
            return cls(step, None)
        total, previous = 0.0, 0
        for entry in logs:
            total += float(entry["loss"]) * (int(entry["step"]) - previous)
            previous = int(entry["step"])
        return cls(step, total)

    def whole_run(self, resumed_train_loss: float, final_step: int) -> float:
        """``train_loss`` over all ``final_step`` steps, from the Trainer's value over the resumed ones."""
        if self.step == 0:
            return resumed_train_loss
        if self.total is None:
            log.warning("train_loss covers only the %d steps after the checkpoint at step %d: that step was not "
                        "a logging step (make save_steps a multiple of logging_steps)", final_step - self.step,
                        self.step)
            return resumed_train_loss
        if final_step <= self.step:  # resumed from the last checkpoint: nothing left to train
            return self.total / self.step
        return (self.total + resumed_train_loss * (final_step - self.step)) / final_step


def last_complete_checkpoint(checkpoint_dir: str | os.PathLike, warn: bool = True) -> str | None:
    """The newest ``checkpoint-N`` under ``checkpoint_dir`` that was written completely, or None.

    A process killed while saving leaves a torn folder behind; the Trainer writes ``trainer_state.json``
    last, so a checkpoint counts as complete when that file parses, names step N, and (for a multi-process
    run) every rank's ``rng_state_R.pth`` is there. Torn ones are skipped with a warning.
    """
    import json
    from pathlib import Path

    root = Path(checkpoint_dir)
    if not root.is_dir():
        return None
    found = []
    for path in root.iterdir():
        match = re.fullmatch(r"checkpoint-(\d+)", path.name)
        if match and path.is_dir():
            found.append((int(match.group(1)), path))
    for step, path in sorted(found, reverse=True):
        try:
            state = json.loads((path / "trainer_state.json").read_text(encoding="utf-8"))
            complete = int(state.get("global_step", -1)) == step
        except (OSError, ValueError):
            complete = False
        ranks = sorted(path.glob("rng_state_*.pth"))
        if complete and ranks:
            complete = all((path / f"rng_state_{r}.pth").is_file() for r in range(len(ranks)))
        if complete:
            return str(path)
        if warn:
            log.warning("skipping %s: it was not written completely (the run was killed while saving)", path)
    return None



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


class ShardError(ValueError):
    """Shards that cannot be merged (missing, unfinished, or from different splits)."""


@dataclass
class ShardRun:
    """One process's part of a ``stance-predict`` run (see :func:`current_shard`).

    ``stance.predict`` streams :meth:`select` of the articles into :attr:`output` (a per-shard JSONL with
    its own resume ledger) and calls :meth:`finish`, which marks the shard done and merges all shards into
    the requested output once every one is done: under torchrun rank 0 merges after a barrier; with
    independent ``shard=i/n`` processes the last one to finish does (or ``python -m stance.distributed merge``).
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
                  f"(the last one merges, or: python -m stance.distributed merge {self.final_output} "
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


def _ledger_entries(path: Any) -> list[dict[str, Any]]:
    import json

    entries = []
    with path.open(encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                entries.append(json.loads(line))
            except ValueError:
                raise ShardError(f"{path}:{line_no}: not a JSON line (a torn ledger: rerun that shard with "
                                 "resume=true)") from None
    return entries


def _infer_labels(work: Any) -> list[str]:
    import json

    from stance.labels import LABELS

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

    from stance.predict import OutputPaths, convert_output, write_summaries

    if count < 2:
        raise ShardError(f"merge needs at least 2 shards, got {count}")
    final = OutputPaths.for_output(output)
    parts = [OutputPaths.for_output(shard_output(output, Shard(i, count))) for i in range(count)]
    for i in range(count):
        marker = _done_marker(output, Shard(i, count))
        if not marker.exists():
            raise ShardError(f"shard {i}/{count} of {output} is not finished (no {marker}): run it (again) with "
                             f"shard={i}/{count} resume=true")
    ledgers = [_ledger_entries(p.ledger) for p in parts]
    handles = [p.work.open("rb") for p in parts]
    starts = [0] * count
    taken = [0] * count
    articles = rows = 0
    tmp_work = final.work.with_name(final.work.name + ".merging")
    tmp_ledger = final.ledger.with_name(final.ledger.name + ".merging")
    try:
        with tmp_work.open("wb") as out, tmp_ledger.open("wb") as ledger:
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
    """``python -m stance.distributed merge OUTPUT COUNT``: merge finished ``shard=i/COUNT`` predictions."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(prog="python -m stance.distributed")
    sub = parser.add_subparsers(dest="command", required=True)
    merge = sub.add_parser("merge", help="merge the shards of a stance-predict output")
    merge.add_argument("output", help="the output= of the sharded runs (e.g. predictions.jsonl)")
    merge.add_argument("count", type=int, help="the N of shard=i/N")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    try:
        merge_shards(args.output, args.count)
    except (ShardError, FileNotFoundError) as e:
        print(f"merge: error: {e}", file=sys.stderr)
        return 2
    return 0



def full_state_dict(trainer: Any) -> dict[str, Any] | None:
    """The model's full weights when FSDP or DeepSpeed shards them (a collective: call it on every rank),
    else None, so ``save_pretrained(state_dict=None)`` reads the (unsharded) model as usual."""
    if not (getattr(trainer, "is_fsdp_enabled", False) or getattr(trainer, "is_deepspeed_enabled", False)):
        return None
    return trainer.accelerator.get_state_dict(trainer.model)


if __name__ == "__main__":
    raise SystemExit(main())
