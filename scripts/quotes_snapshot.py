"""Regression guard for ``stance.quotes``: the extractor's whole output on real articles, written or compared.

    python scripts/quotes_snapshot.py --out /tmp/quotes_ref.jsonl        # write the snapshot
    python scripts/quotes_snapshot.py --compare /tmp/quotes_ref.jsonl    # exit 1 at the first difference

One line per article (PolNeAR train, PolNeAR dev, then every ``data/articles/*.txt`` in name order): its source
and id, every field of every quotation (``extract(text).quotes``) and the warnings, serialised with sorted keys.
A refactoring that keeps the snapshot byte-identical changed no output. Keep the snapshot outside the repository
(PolNeAR is research data that is not redistributed).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from stance.quotes import extract  # noqa: E402

DEFAULT_POLNEAR = ROOT.parent / "shared" / "polnear"


def articles(polnear: Path, articles_dir: Path) -> Iterator[tuple[str, str, str]]:
    """(source, id, text) of every article of the snapshot, in a fixed order."""
    for split in ("train", "dev"):
        with (polnear / f"{split}.jsonl").open(encoding="utf-8") as fh:
            for n, line in enumerate(fh):
                if line.strip():
                    row = json.loads(line)
                    yield f"polnear/{split}", str(row.get("id", n)), row["text"]
    for path in sorted(articles_dir.glob("*.txt")):
        yield "data/articles", path.name, path.read_text(encoding="utf-8")


def snapshot_lines(polnear: Path, articles_dir: Path) -> Iterator[tuple[str, str]]:
    """(source/id, JSON line) of every article: the extraction, deterministically serialised."""
    for source, art_id, text in articles(polnear, articles_dir):
        res = extract(text)
        record = {
            "source": source,
            "id": art_id,
            "quotes": [q.to_dict() for q in res.quotes],
            "warnings": res.warnings,
        }
        yield f"{source}/{art_id}", json.dumps(record, sort_keys=True, ensure_ascii=False)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--out", type=Path, help="write the snapshot to this file")
    mode.add_argument("--compare", type=Path, help="compare with this snapshot; exit 1 on any difference")
    ap.add_argument("--polnear", type=Path, default=DEFAULT_POLNEAR)
    ap.add_argument("--articles", type=Path, default=ROOT / "data" / "articles")
    args = ap.parse_args(argv)
    if args.out is not None:
        n = 0
        with args.out.open("w", encoding="utf-8") as fh:
            for _, line in snapshot_lines(args.polnear, args.articles):
                fh.write(line + "\n")
                n += 1
        print(f"wrote {n} articles to {args.out}")
        return 0
    with args.compare.open(encoding="utf-8") as fh:
        ref = fh.read().splitlines()
    n = 0
    for n, (key, line) in enumerate(snapshot_lines(args.polnear, args.articles), start=1):
        if n > len(ref):
            print(f"DIFFERENT: {key} is not in the snapshot ({len(ref)} articles)")
            return 1
        if line != ref[n - 1]:
            print(f"DIFFERENT: first differing article {key} (line {n})")
            print(f"  snapshot: {ref[n - 1][:600]}")
            print(f"  now:      {line[:600]}")
            return 1
    if n != len(ref):
        print(f"DIFFERENT: {len(ref) - n} articles of the snapshot are missing now")
        return 1
    print(f"identical: {n} articles")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
