"""Prediction output files: the rows (JSONL, CSV or parquet), the per-article ledger that makes ``resume=true``
exact, and the conversion of the streamed JSONL into the requested format."""

from __future__ import annotations

import csv
import json
import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

from stance.errors import OutputExistsError, OutputPathError, OutputWriteError, PredictConfigError, ResumeMismatchError

#: Columns of a prediction row, in order. ``pieces`` are the ``[start, end]`` spans of the attribution's quoted
#: pieces (JSON text in CSV, a list of int lists in parquet); ``reason`` says why a pair was not scored
#: (prefilter), else null.
ROW_FIELDS = ("article_id", "speaker", "role", "kind", "quote", "quote_start", "quote_end", "pieces", "target", "label",
              "scores", "reason")
#: Columns of every tabular output (prediction rows and error records share one table).
TABLE_FIELDS = ROW_FIELDS + ("relevance", "error")
FORMATS = {".jsonl": "jsonl", ".json": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}


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
    lock: Path  # held while a process writes these files (stance.predict.output_lock)

    @property
    def files(self) -> tuple[Path, ...]:
        """Every file a run writes, without repeats (``work`` is ``output`` for JSONL)."""
        return tuple(dict.fromkeys((self.output, self.work, self.ledger, self.summary, self.speakers, self.lock)))

    @classmethod
    def for_output(cls, output: str | Path) -> OutputPaths:
        out = Path(output).expanduser()
        fmt = output_format(out)
        stem = out.with_suffix("")
        return cls(out, fmt, work_file(out), Path(f"{stem}.articles.jsonl"), Path(f"{stem}.summary.csv"),
                   Path(f"{stem}.speakers.csv"), Path(f"{stem}.lock"))


def output_format(output: Path) -> str:
    """``jsonl``, ``csv`` or ``parquet`` from the output's extension (as pandas' ``to_*`` writers are chosen);
    an unknown extension raises :class:`PredictConfigError` listing the known ones."""
    fmt = FORMATS.get(output.suffix.lower())
    if fmt is None:
        raise PredictConfigError(f"output {str(output)!r}: unknown extension {output.suffix!r}; use one of "
                                 f"{sorted(FORMATS)}")
    return fmt


def work_file(output: Path) -> Path:
    """The JSONL file records stream into: the output itself for JSONL, else ``<stem>.partial.jsonl``, converted
    by :func:`convert_jsonl` at the end (parquet cannot be appended to)."""
    return output if output_format(output) == "jsonl" else Path(f"{output.with_suffix('')}.partial.jsonl")


def check_output_paths(command: str, sources: Sequence[str | Path], outputs: Sequence[str | Path]) -> None:
    """Refuse to start when a file ``command`` would write is an input file, lies inside an input directory
    (the next run, or a lazy directory walk, would read it back), or is a symbolic link (writing would go
    through it to its target). Raises :class:`OutputPathError` naming both paths."""
    inputs = [Path(s).expanduser() for s in sources if str(s) != "-"]
    for out in (Path(o).expanduser() for o in outputs):
        if out.is_symlink():
            raise OutputPathError(f"{command}: output file {str(out)!r} is a symbolic link (to "
                                  f"{os.readlink(out)!r}); remove the link or choose another output")
        resolved = out.resolve()
        for src in inputs:
            real = src.resolve()
            if real.is_dir() and resolved.is_relative_to(real):
                raise OutputPathError(f"{command}: output file {str(out)!r} is inside the input directory "
                                      f"{str(src)!r}, which would read it back as input; write it elsewhere")
            if resolved == real or (out.exists() and src.exists() and os.path.samefile(out, src)):
                raise OutputPathError(f"{command}: output file {str(out)!r} is the input file {str(src)!r}; "
                                      "writing it would destroy the input: choose another output")


@contextmanager
def written_or_one_line(paths: OutputPaths) -> Iterator[None]:
    """Turn an ``OSError`` while writing (disk full, quota, permissions) into :class:`OutputWriteError`: rows are
    flushed before their ledger line, so what was written before stays valid for ``resume=true``."""
    try:
        yield
    except OSError as e:
        raise OutputWriteError(f"{e.filename or paths.output}: {e.strerror or e}; the articles finished before are "
                               "kept: run again with resume=true once the output can be written") from None


def check_existing_output(paths: OutputPaths, resume: bool, overwrite: bool) -> None:
    """Refuse to replace what an earlier run wrote unless told how: ``resume=true`` continues it,
    ``overwrite=true`` starts over (the careful convention of HF ``TrainingArguments.overwrite_output_dir``, not
    pandas' silent ``to_csv``: an hour of predictions is not lost to a re-typed command)."""
    if resume and overwrite:
        raise PredictConfigError("resume=true and overwrite=true contradict each other: choose one")
    if resume or overwrite:
        return
    found = next((p for p in (paths.output, paths.work, paths.ledger) if p.exists()), None)
    if found is not None:
        raise OutputExistsError(f"{str(found)!r} exists from an earlier run: pass resume=true to continue it or "
                                "overwrite=true to replace it (or choose another output)")


def json_line(row: dict[str, Any]) -> bytes:
    return (json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8")


def run_identity(targets: Sequence[str], model_dir: Path, sources: Sequence[str]) -> dict[str, Any]:
    """What a run's rows depend on, kept as the ledger's first line so that ``resume=true`` can check it:
    the command-line targets, the model (its resolved directory and a fingerprint of its config and weight
    sizes, so a re-trained ``outputs/latest`` is caught) and the resolved inputs."""
    import hashlib

    model_dir = Path(model_dir).resolve()
    digest = hashlib.sha256((model_dir / "config.json").read_bytes())
    for weights in sorted(model_dir.glob("*.safetensors")) + sorted(model_dir.glob("*.bin")):
        digest.update(f"{weights.name}:{weights.stat().st_size}".encode())
    return {"targets": list(targets), "model": str(model_dir), "model_fingerprint": digest.hexdigest()[:16],
            "input": [s if s == "-" else str(Path(s).expanduser().resolve()) for s in sources]}


def read_run_header(paths: OutputPaths) -> dict[str, Any] | None:
    """The ``run`` record at the top of the ledger, or None (no ledger, or one written before headers)."""
    if not paths.ledger.exists():
        return None
    with paths.ledger.open("rb") as f:
        first = f.readline()
    try:
        rec = json.loads(first)
    except ValueError:
        return None
    return rec.get("run") if isinstance(rec, dict) and isinstance(rec.get("run"), dict) else None


def check_resume(paths: OutputPaths, identity: dict[str, Any]) -> bool:
    """Raise :class:`ResumeMismatchError` when the ledger was written by a run with other targets, model or
    input; return whether the ledger already holds a header (else the caller writes one)."""
    header = read_run_header(paths)
    if header is None:
        if paths.ledger.exists() and paths.ledger.stat().st_size:
            log.warning("resume: %s has no run header (written by an older version); targets, model and input "
                        "are not checked", paths.ledger)
            return True
        return False
    names = {"targets": "targets", "model": "model directory", "model_fingerprint": "model (same directory, "
             "other weights or config)", "input": "input"}
    for key, name in names.items():
        if header.get(key) != identity.get(key):
            raise ResumeMismatchError(
                f"resume=true: {paths.ledger} was written with {name} {header.get(key)!r}, this run has "
                f"{identity.get(key)!r}; mixing them in one output would be wrong: use the same {key}, another "
                "output, or resume=false to start over")
    return True


def restore_work_file(paths: OutputPaths, into: Path) -> None:
    """For the csv/parquet output of a finished run, rebuild the streaming JSONL from the final file into ``into``."""
    import pandas as pd

    df = pd.read_parquet(paths.output) if paths.fmt == "parquet" else pd.read_csv(paths.output, dtype=str,
                                                                                   keep_default_na=False)
    with into.open("wb") as f:
        for rec in df.to_dict("records"):
            f.write(json_line(_from_table(rec, paths.fmt)))


def _from_table(rec: dict[str, Any], fmt: str) -> dict[str, Any]:
    def blank(v: Any) -> bool:
        # parquet gives ``pieces`` as an array, whose == "" would be elementwise
        return v is None or (isinstance(v, str) and v == "") or (isinstance(v, float) and np.isnan(v))

    if not blank(rec.get("error")):
        return {"article_id": rec["article_id"], "error": rec["error"]}
    row = {k: (None if blank(rec.get(k)) else rec.get(k)) for k in TABLE_FIELDS if k in rec and k != "error"}
    for k in ("quote_start", "quote_end"):
        row[k] = int(row[k])
    if fmt == "csv":
        row["pieces"] = json.loads(row["pieces"]) if row.get("pieces") else None
        # p_<label> columns (a file written before them has a JSON `scores` column)
        probs = {k[2:]: float(v) for k, v in rec.items() if k.startswith("p_") and not blank(v)}
        row["scores"] = probs or (json.loads(row["scores"]) if row.get("scores") else None)
        if row.get("relevance") is not None:
            row["relevance"] = float(row["relevance"])
    else:
        if row.get("pieces") is not None:
            row["pieces"] = [[int(s), int(e)] for s, e in row["pieces"]]
        if row.get("scores") is not None:
            row["scores"] = {k: float(v) for k, v in dict(row["scores"]).items() if v is not None}
    return row


def iter_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of a JSONL file, one at a time."""
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def convert_output(paths: OutputPaths, labels: Sequence[str], chunk_rows: int = 10_000) -> None:
    """Write the final csv/parquet of prediction rows from the streamed JSONL (constant memory). CSV gets one
    ``p_<label>`` column per label instead of ``scores``; parquet keeps ``scores`` as a struct."""
    if paths.fmt == "jsonl":
        return
    has_relevance = False
    for row in iter_jsonl(paths.work):
        has_relevance = "relevance" in row
        if "error" not in row:
            break
    fields = [f for f in TABLE_FIELDS if f != "relevance" or has_relevance]
    if paths.fmt == "csv":
        at = fields.index("scores")
        fields[at:at + 1] = [f"p_{lab}" for lab in labels]
        convert_jsonl(paths.work, paths.output, fields, transform=_scores_as_columns, chunk_rows=chunk_rows)
        return
    import pyarrow as pa

    types = {"quote_start": pa.int64(), "quote_end": pa.int64(), "pieces": pa.list_(pa.list_(pa.int64())),
             "relevance": pa.float64(), "scores": pa.struct([(lab, pa.float64()) for lab in labels])}
    convert_jsonl(paths.work, paths.output, fields, types, chunk_rows=chunk_rows)


def _scores_as_columns(row: dict[str, Any]) -> dict[str, Any]:
    scores = row.pop("scores", None) or {}
    return {**row, **{f"p_{lab}": p for lab, p in scores.items()}}


def convert_jsonl(work: Path, output: Path, fields: Sequence[str], parquet_types: dict[str, Any] | None = None,
                  transform: Any = None, chunk_rows: int = 10_000) -> None:
    """Convert the JSONL ``work`` file into ``output`` (CSV or parquet by its extension, see
    :func:`output_format`), ``fields`` as columns, chunk by chunk; then remove ``work``. In CSV a list or dict
    value is written as JSON text; in parquet a column is typed by ``parquet_types`` (default: string).
    ``transform(row) -> row`` reshapes each record first. Shared by ``stance-predict`` and ``stance-quotes``."""
    fmt = output_format(output)
    if fmt == "jsonl":
        return
    tmp = output.with_name(output.name + ".tmp")
    rows = (transform(row) if transform else row for row in iter_jsonl(work))
    if fmt == "csv":
        with tmp.open("w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(fields), extrasaction="ignore")
            w.writeheader()
            for row in rows:
                w.writerow({k: json.dumps(v) if isinstance(v, (list, dict)) else v for k, v in row.items()})
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        types = parquet_types or {}
        schema = pa.schema([(f, types.get(f, pa.string())) for f in fields])
        with pq.ParquetWriter(str(tmp), schema) as writer:
            chunk: list[dict[str, Any]] = []
            for row in rows:
                chunk.append({f: row.get(f) for f in fields})
                if len(chunk) >= chunk_rows:
                    writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                    chunk = []
            if chunk:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
    os.replace(tmp, output)
    work.unlink()
