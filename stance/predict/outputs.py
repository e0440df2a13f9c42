"""Prediction output files: the rows (JSONL, CSV or parquet), the per-article ledger that makes ``resume=true``
exact, and the conversion of the streamed JSONL into the requested format."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from stance.errors import PredictConfigError

#: Columns of a prediction row, in order. ``pieces`` are the ``[start, end]`` spans of the attribution's quoted
#: pieces (JSON text in CSV, a list of int lists in parquet); ``reason`` says why a pair was not scored
#: (prefilter), else null.
ROW_FIELDS = ("article_id", "speaker", "role", "quote", "quote_start", "quote_end", "pieces", "target", "label",
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


def json_line(row: dict[str, Any]) -> bytes:
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


def restore_work_file(paths: OutputPaths) -> None:
    """For csv/parquet outputs of a finished run, rebuild the streaming JSONL from the final file."""
    if paths.fmt == "jsonl" or paths.work.exists() or not paths.output.exists():
        return
    import pandas as pd

    df = pd.read_parquet(paths.output) if paths.fmt == "parquet" else pd.read_csv(paths.output, dtype=str,
                                                                                   keep_default_na=False)
    with paths.work.open("wb") as f:
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
        row["scores"] = json.loads(row["scores"]) if row.get("scores") else None
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
                w.writerow({**row, **{k: json.dumps(row[k]) for k in ("pieces", "scores") if row.get(k) is not None}})
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        types = {"quote_start": pa.int64(), "quote_end": pa.int64(), "pieces": pa.list_(pa.list_(pa.int64())),
                 "relevance": pa.float64(),
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
