"""Speaker × target summaries of prediction rows: counts and mean probabilities per label, as CSV and a table."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from stance.predict.outputs import OutputPaths, iter_jsonl
from stance.predict.pipeline import UNKNOWN_SPEAKER

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
        out["majority"] = self.majority(labels)
        return out

    def majority(self, labels: list[str]) -> str:
        """The most frequent label; a tie goes to the tied label with the higher mean probability, then to the
        one listed first (``labels`` order). 1 ``favor`` + 1 ``none`` with mean p_none 0.51: ``none``."""
        sums = self.sums
        return max(labels, key=lambda lab: (self.counts.get(lab, 0), sums.get(lab, 0.0), -labels.index(lab)))


def summarize(rows: Iterable[dict[str, Any]], labels: Sequence[str],
              per_article_sink: Any = None) -> tuple[list[dict], list[dict]]:
    """Per article × speaker × target, and per speaker × target across all articles: counts per label,
    mean probabilities (over scored pairs; prefilter-skipped pairs count as ``none`` but have no scores) and the
    ``majority`` label (ties broken by the higher mean probability, see :meth:`_Agg.majority`).

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


def format_duration(seconds: float) -> str:
    """``340 ms``, ``8.1 s``, ``2 min 05 s``: a duration as a person reads it (never ``0.0s``)."""
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s"
