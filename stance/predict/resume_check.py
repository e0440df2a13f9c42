"""``resume=true``: read the ledger, check the output against it, and only then cut the output back to the last
finished article. A check that fails refuses the resume with one line and changes nothing on disk."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stance.errors import ResumeStateError
from stance.predict.outputs import OutputPaths, check_resume, restore_work_file

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Ledger:
    """The whole lines of a ledger: whether it starts with its ``run`` line, the finished articles in order, and
    how many bytes those lines fill (a torn or unreadable tail after them is dropped on resume)."""

    has_header: bool
    entries: tuple[dict[str, Any], ...]
    good_end: int

    @property
    def offset(self) -> int:
        """The output's size after the last finished article's rows."""
        return int(self.entries[-1]["offset"]) if self.entries else 0


def read_ledger(path: Path) -> Ledger:
    """The ledger at ``path`` up to its first line that is torn (no newline) or not a finished-article record."""
    has_header, entries, good_end = False, [], 0
    if not path.exists():
        return Ledger(False, (), 0)
    with path.open("rb") as f:
        for line in f:
            if not line.endswith(b"\n"):
                break
            try:
                rec = json.loads(line)
                if good_end == 0 and isinstance(rec.get("run"), dict):  # the header (see run_identity)
                    has_header = True
                else:
                    entries.append({"article_id": str(rec["article_id"]), "offset": int(rec["offset"]),
                                    "rows": rec.get("rows")})
            except (ValueError, KeyError, TypeError, AttributeError):
                break
            good_end += len(line)
    return Ledger(has_header, tuple(entries), good_end)


def _start_over(paths: OutputPaths) -> str:
    return f"nothing was changed; to start over, delete {paths.ledger} and run again"


def _check_output(work: Path, ledger: Ledger, paths: OutputPaths) -> None:
    """Raise :class:`ResumeStateError` unless ``work`` holds the last finished article's rows where the ledger
    says they end."""
    n = len(ledger.entries)
    if not work.exists():
        raise ResumeStateError(f"resume=true: the ledger {paths.ledger} lists {n} finished articles but the output "
                               f"{work} is missing; {_start_over(paths)}")
    size = work.stat().st_size
    if size < ledger.offset:
        raise ResumeStateError(f"resume=true: the output {work} is {size} bytes, shorter than the {ledger.offset} "
                               f"bytes the ledger {paths.ledger} says its {n} finished articles fill (a partial copy "
                               f"or an older file?); {_start_over(paths)}")
    last = ledger.entries[-1]
    start = int(ledger.entries[-2]["offset"]) if n > 1 else 0
    with work.open("rb") as f:
        f.seek(max(start - 1, 0))
        chunk = f.read(ledger.offset - max(start - 1, 0))
    if start > 0:
        before, chunk = chunk[:1], chunk[1:]
    else:
        before = b"\n"
    lines = chunk.split(b"\n")
    ok = before == b"\n" and chunk.endswith(b"\n") and (last["rows"] is None or len(lines) - 1 == last["rows"])
    for line in lines[:-1] if ok else ():
        try:
            ok = json.loads(line).get("article_id") == last["article_id"]
        except (ValueError, AttributeError):
            ok = False
        if not ok:
            break
    if not ok:
        raise ResumeStateError(f"resume=true: the output {work} does not hold the rows of article "
                               f"{last['article_id']!r} at bytes {start}-{ledger.offset}, where the ledger "
                               f"{paths.ledger} says the finished articles end (was the output changed after the "
                               f"ledger was written?); {_start_over(paths)}")


def resume_state(paths: OutputPaths, identity: dict[str, Any], resume: bool) -> tuple[set[str], bool]:
    """The article ids already written and whether the ledger keeps its run line. With ``resume`` the ledger's run
    line and the output are checked first (:class:`~stance.errors.ResumeMismatchError`,
    :class:`~stance.errors.ResumeStateError`, nothing changed); then a torn ledger tail is dropped and the output
    cut back to the last finished article. Without: nothing is done."""
    if not resume:
        return set(), False
    check_resume(paths, identity)
    ledger = read_ledger(paths.ledger)
    if not ledger.entries and paths.work.exists() and paths.work.stat().st_size:
        log.warning("resume: %s lists no finished article; %s is written again from the start", paths.ledger,
                    paths.work)
    restored = None
    if ledger.entries:
        work = paths.work
        if not work.exists() and paths.fmt != "jsonl" and paths.output.exists():
            # a finished csv/parquet run: its rows are rebuilt aside and checked before they replace anything
            restored = work.with_name(work.name + ".restoring")
            restore_work_file(paths, restored)
            work = restored
        try:
            _check_output(work, ledger, paths)
        except ResumeStateError:
            if restored is not None:
                restored.unlink(missing_ok=True)
            raise
    if restored is not None:
        os.replace(restored, paths.work)
    if paths.ledger.exists() and paths.ledger.stat().st_size > ledger.good_end:
        with paths.ledger.open("r+b") as f:
            f.truncate(ledger.good_end)  # a torn or unreadable last line
    if paths.work.exists():
        with paths.work.open("r+b") as f:
            f.truncate(ledger.offset)  # drop the rows of an article that was cut off
    log.info("resume: %d articles already done", len(ledger.entries))
    # a ledger from before the run line keeps going without one (a run line after its records would end them)
    return {e["article_id"] for e in ledger.entries}, ledger.has_header or bool(ledger.entries)
