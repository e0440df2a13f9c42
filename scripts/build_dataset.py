"""Build the bundled quote–target dataset from its hand-written sources.

Reads every ``data/quotes/src/*.jsonl`` (one object per quote, with its target pairs), validates it,
chooses the unseen (test-only) targets, splits by quote and writes
``data/quotes/{train,validation,test}.jsonl``. Deterministic: same sources, same files.

``data/quotes/extra/*.jsonl`` (same schema) holds training-only material written later: it is validated the
same way and appended to train after the split is made, so it never changes validation or test. An extra
quotation may not use an unseen (test-only) target, nor repeat or nearly repeat a quotation of another split.

    python scripts/build_dataset.py            # build, check, print counts, write the splits
    python scripts/build_dataset.py --check    # build in memory and compare with the committed files

Standard library only. Exit status 1 when the sources are invalid, when a split-integrity rule is broken
(leakage between splits), or with ``--strict`` when a size/balance requirement is not met.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC_DIR = ROOT / "data" / "quotes" / "src"
EXTRA_DIR = ROOT / "data" / "quotes" / "extra"
OUT_DIR = ROOT / "data" / "quotes"

SEED = 13
SPLITS = ("train", "validation", "test")
#: Share of the pairs of seen-target quotes that go to train / validation / test.
FRACTIONS = {"train": 0.70, "validation": 0.12, "test": 0.18}
#: Share of each domain's targets held out as unseen (test-only) targets.
UNSEEN_SHARE = 0.25
LABELS = ("favor", "against", "none")
DOMAINS = (
    "international_relations",
    "domestic_politics",
    "economy",
    "climate_energy",
    "health",
    "technology",
    "justice",
    "culture",
)
PHENOMENA = (
    "plain",
    "negation",
    "hedging",
    "irony",
    "praise_alternative",
    "mention_no_side",
    "related_target",
    "opposite_pair",
)
ROW_FIELDS = ("id", "text", "speaker", "speaker_role", "target", "label", "domain", "phenomenon")

MIN_PAIRS = 1500
MIN_TARGETS = 60
MIN_LABEL_SHARE = 0.25
MIN_PAIRS_PER_TARGET = 12
NEAR_DUP_JACCARD = 0.5
SHINGLE = 5


class SourceError(ValueError):
    """A source line that breaks the schema; the message names file, line and field."""


@dataclass(frozen=True)
class Pair:
    target: str
    label: str
    phenomenon: str


@dataclass(frozen=True)
class Quote:
    qid: str
    speaker: str
    speaker_role: str
    domain: str
    text: str
    pairs: tuple[Pair, ...]
    where: str = field(default="", compare=False)


# --------------------------------------------------------------------------- loading


def _field(obj: dict, name: str, where: str, *, allow_empty: bool = False) -> str:
    if name not in obj:
        raise SourceError(f"{where}: missing field {name!r}")
    value = obj[name]
    if not isinstance(value, str):
        raise SourceError(f"{where}: field {name!r} must be a string, got {type(value).__name__}")
    if not allow_empty and not value.strip():
        raise SourceError(f"{where}: field {name!r} is empty")
    return value.strip()


def parse_quote(obj: object, where: str) -> Quote:
    """Validate one decoded source object and return it as a :class:`Quote`."""
    if not isinstance(obj, dict):
        raise SourceError(f"{where}: expected a JSON object, got {type(obj).__name__}")
    unknown = set(obj) - {"qid", "speaker", "speaker_role", "domain", "text", "pairs"}
    if unknown:
        raise SourceError(f"{where}: unknown field(s) {sorted(unknown)}")
    qid = _field(obj, "qid", where)
    speaker = _field(obj, "speaker", where)
    role = _field(obj, "speaker_role", where, allow_empty=True)
    domain = _field(obj, "domain", where)
    if domain not in DOMAINS:
        raise SourceError(f"{where}: field 'domain' is {domain!r}, expected one of {list(DOMAINS)}")
    text = _field(obj, "text", where)
    raw_pairs = obj.get("pairs")
    if not isinstance(raw_pairs, list) or not raw_pairs:
        raise SourceError(f"{where}: field 'pairs' must be a non-empty list")
    pairs = []
    for i, p in enumerate(raw_pairs):
        pwhere = f"{where}: pairs[{i}]"
        if not isinstance(p, dict):
            raise SourceError(f"{pwhere}: expected an object")
        extra = set(p) - {"target", "label", "phenomenon"}
        if extra:
            raise SourceError(f"{pwhere}: unknown field(s) {sorted(extra)}")
        target = _field(p, "target", pwhere)
        label = _field(p, "label", pwhere)
        if label not in LABELS:
            raise SourceError(f"{pwhere}: field 'label' is {label!r}, expected one of {list(LABELS)}")
        phen = _field(p, "phenomenon", pwhere)
        if phen not in PHENOMENA:
            raise SourceError(f"{pwhere}: field 'phenomenon' is {phen!r}, expected one of {list(PHENOMENA)}")
        pairs.append(Pair(target, label, phen))
    if len({p.target for p in pairs}) != len(pairs):
        raise SourceError(f"{where}: field 'pairs' names the same target twice")
    return Quote(qid, speaker, role, domain, text, tuple(pairs), where)


def load_sources(src_dir: Path = SRC_DIR) -> list[Quote]:
    """Read and validate every ``*.jsonl`` in ``src_dir``; quotes come back sorted by ``qid``."""
    files = sorted(Path(src_dir).glob("*.jsonl"))
    if not files:
        raise SourceError(f"{src_dir}: no *.jsonl source files")
    quotes: list[Quote] = []
    seen_qid: dict[str, str] = {}
    target_domain: dict[str, tuple[str, str]] = {}
    for path in files:
        with path.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                where = f"{path.name}:{n}"
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise SourceError(f"{where}: invalid JSON ({exc.msg} at column {exc.colno})") from None
                q = parse_quote(obj, where)
                if q.qid in seen_qid:
                    raise SourceError(f"{where}: field 'qid' {q.qid!r} already used at {seen_qid[q.qid]}")
                seen_qid[q.qid] = where
                for p in q.pairs:
                    dom, first = target_domain.setdefault(p.target, (q.domain, where))
                    if dom != q.domain:
                        raise SourceError(
                            f"{where}: target {p.target!r} is in domain {q.domain!r} here but {dom!r} at {first}"
                        )
                quotes.append(q)
    return sorted(quotes, key=lambda q: q.qid)


def load_extra(extra_dir: Path, quotes: list[Quote]) -> list[Quote]:
    """Read the training-only sources in ``extra_dir`` (none when it is missing or empty).

    Besides the checks of :func:`load_sources`, a ``qid`` may not repeat one of ``quotes`` and a target keeps the
    domain it has there.
    """
    extra_dir = Path(extra_dir)
    if not extra_dir.is_dir() or not any(extra_dir.glob("*.jsonl")):
        return []
    extra = load_sources(extra_dir)
    qids = {q.qid: q.where for q in quotes}
    domain = {p.target: (q.domain, q.where) for q in quotes for p in q.pairs}
    for q in extra:
        if q.qid in qids:
            raise SourceError(f"{q.where}: field 'qid' {q.qid!r} already used at {qids[q.qid]}")
        for p in q.pairs:
            dom, first = domain.get(p.target, (q.domain, ""))
            if dom != q.domain:
                raise SourceError(f"{q.where}: target {p.target!r} is in domain {q.domain!r} here but {dom!r} at {first}")
    return extra


# --------------------------------------------------------------------------- near duplicates


def shingles(text: str, n: int = SHINGLE) -> frozenset[tuple[str, ...]]:
    """Word ``n``-grams of the lower-cased text (the whole text when shorter than ``n`` words)."""
    words = re.findall(r"[a-z0-9']+", text.lower())
    if len(words) < n:
        return frozenset([tuple(words)])
    return frozenset(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def near_duplicate_pairs(texts: list[str], threshold: float = NEAR_DUP_JACCARD) -> list[tuple[int, int, float]]:
    """Index pairs ``(i, j, jaccard)`` whose shingle Jaccard exceeds ``threshold`` (identical texts included)."""
    sh = [shingles(t) for t in texts]
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, s in enumerate(sh):
        for g in s:
            index[g].append(i)
    out = []
    for i, s in enumerate(sh):
        cands = {j for g in s for j in index[g] if j > i}
        for j in sorted(cands):
            sim = jaccard(s, sh[j])
            if sim > threshold:
                out.append((i, j, sim))
    return out


# --------------------------------------------------------------------------- splitting


def _label_share_ok(counts: Counter, floor: float = 0.2) -> bool:
    total = sum(counts.values())
    return total > 0 and all(counts[lab] / total >= floor for lab in LABELS)


def choose_unseen_targets(quotes: list[Quote]) -> set[str]:
    """``UNSEEN_SHARE`` of each domain's targets (at least one), test-only.

    Greedy per domain (domains and targets in sorted order, so it is deterministic): among targets whose
    labels are mixed (each label at least 20% of its pairs; all targets if none qualifies) take the one
    that pulls the fewest additional rows into test, ties broken by better label balance, then by name.
    """
    by_domain: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, Counter] = defaultdict(Counter)
    quotes_of: dict[str, list[int]] = defaultdict(list)
    for qi, q in enumerate(quotes):
        for p in q.pairs:
            by_domain[q.domain].add(p.target)
            labels[p.target][p.label] += 1
            quotes_of[p.target].append(qi)
    unseen: set[str] = set()
    for domain in sorted(by_domain):
        targets = sorted(by_domain[domain])
        k = max(1, round(len(targets) * UNSEEN_SHARE)) if len(targets) >= 3 else 0
        mixed = [t for t in targets if _label_share_ok(labels[t])] or targets
        pulled: set[int] = set()
        for _ in range(k):
            def cost(t: str) -> tuple[int, float, str]:
                new = set(quotes_of[t]) - pulled
                rows = sum(len(quotes[qi].pairs) for qi in new)
                c = labels[t]
                balance = min(c[lab] for lab in LABELS) / sum(c.values())
                return (rows, -balance, t)

            pick = min((t for t in mixed if t not in unseen), key=cost, default=None)
            if pick is None:
                break
            unseen.add(pick)
            pulled |= set(quotes_of[pick])
    return unseen


def _groups(quotes: list[Quote]) -> list[list[int]]:
    """Quote indices grouped so that identical or near-duplicate texts always share a split."""
    parent = list(range(len(quotes)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j, _ in near_duplicate_pairs([q.text for q in quotes]):
        parent[find(i)] = find(j)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(quotes)):
        groups[find(i)].append(i)
    return sorted(groups.values(), key=lambda g: quotes[g[0]].qid)


def assign_splits(quotes: list[Quote], unseen: set[str]) -> dict[str, str]:
    """Map each ``qid`` to its split.

    Quote groups touching an unseen target go wholly to test; their seen-target pairs count towards the
    test share of the seen-target rows. The other groups are shuffled (fixed seed) per domain and each
    goes to the split furthest below its quota (``FRACTIONS`` of the domain's seen-target rows).
    """
    split_of: dict[str, str] = {}
    rest_by_domain: dict[str, list[list[int]]] = defaultdict(list)
    spill: Counter = Counter()
    seen_rows: Counter = Counter()
    for group in _groups(quotes):
        pairs = [(quotes[qi].domain, p) for qi in group for p in quotes[qi].pairs]
        for domain, p in pairs:
            if p.target not in unseen:
                seen_rows[domain] += 1
        if any(p.target in unseen for _, p in pairs):
            for qi in group:
                split_of[quotes[qi].qid] = "test"
            for domain, p in pairs:
                if p.target not in unseen:
                    spill[domain] += 1
        else:
            rest_by_domain[quotes[group[0]].domain].append(group)
    rng = random.Random(SEED)
    for domain in sorted(rest_by_domain):
        groups = rest_by_domain[domain]
        rng.shuffle(groups)
        quota = {s: FRACTIONS[s] * seen_rows[domain] for s in SPLITS}
        filled: Counter = Counter({"test": spill[domain]})
        for g in groups:
            split = min(SPLITS, key=lambda s: filled[s] / quota[s])
            filled[split] += sum(len(quotes[qi].pairs) for qi in g)
            for qi in g:
                split_of[quotes[qi].qid] = split
    return split_of


def build(quotes: list[Quote], extra: Sequence[Quote] = ()) -> dict[str, list[dict]]:
    """The three splits as lists of output rows (sorted by ``id``); the input order does not matter.

    Unseen targets and splits are chosen from ``quotes`` alone; ``extra`` quotations all go to train.
    Raises :class:`SourceError` when an extra quotation uses an unseen target.
    """
    quotes = sorted(quotes, key=lambda q: q.qid)
    unseen = choose_unseen_targets(quotes)
    split_of = assign_splits(quotes, unseen)
    for q in extra:
        for p in q.pairs:
            if p.target in unseen:
                raise SourceError(f"{q.where}: target {p.target!r} is held out for the test split (unseen); "
                                  "training-only sources may not use it")
        split_of[q.qid] = "train"
    out: dict[str, list[dict]] = {s: [] for s in SPLITS}
    for q in [*quotes, *sorted(extra, key=lambda q: q.qid)]:
        split = split_of[q.qid]
        for i, p in enumerate(q.pairs, 1):
            row = {
                "id": f"{q.qid}-{i}",
                "text": q.text,
                "speaker": q.speaker,
                "speaker_role": q.speaker_role,
                "target": p.target,
                "label": p.label,
                "domain": q.domain,
                "phenomenon": p.phenomenon,
            }
            if split == "test":
                row["seen_target"] = p.target not in unseen
            out[split].append(row)
    for rows in out.values():
        rows.sort(key=lambda r: r["id"])
    return out


# --------------------------------------------------------------------------- checks and report


def integrity_errors(splits: dict[str, list[dict]]) -> list[str]:
    """Leakage between splits: must be empty for the data to be usable at all."""
    errors = []
    ids = [r["id"] for rows in splits.values() for r in rows]
    if len(ids) != len(set(ids)):
        errors.append("duplicate ids")
    fit_targets = {r["target"] for s in ("train", "validation") for r in splits[s]}
    for r in splits["test"]:
        if r["seen_target"] != (r["target"] in fit_targets):
            errors.append(f"{r['id']}: seen_target={r['seen_target']} but target in train/validation is "
                          f"{r['target'] in fit_targets}")
    text_split: dict[str, str] = {}
    for s, rows in splits.items():
        for r in rows:
            if text_split.setdefault(r["text"], s) != s:
                errors.append(f"quote text in {text_split[r['text']]} and {s}: {r['text'][:60]!r}")
    texts = sorted(text_split)
    for i, j, sim in near_duplicate_pairs(texts):
        if text_split[texts[i]] != text_split[texts[j]]:
            errors.append(f"near-duplicate quotes (Jaccard {sim:.2f}) across splits: {texts[i][:50]!r} / {texts[j][:50]!r}")
    return errors


def requirement_problems(splits: dict[str, list[dict]]) -> list[str]:
    """Size and balance requirements of the dataset issue that are not met (empty when all are)."""
    problems = []
    rows = [r for rs in splits.values() for r in rs]
    if len(rows) < MIN_PAIRS:
        problems.append(f"only {len(rows)} pairs (need >= {MIN_PAIRS}): totals are short")
    targets = Counter(r["target"] for r in rows)
    if len(targets) < MIN_TARGETS:
        problems.append(f"only {len(targets)} targets (need >= {MIN_TARGETS}): totals are short")
    evaluated = {r["target"] for s in ("validation", "test") for r in splits[s]}
    for t, n in sorted(targets.items()):
        if t in evaluated and n < MIN_PAIRS_PER_TARGET:
            problems.append(f"target {t!r} has {n} pairs (need >= {MIN_PAIRS_PER_TARGET})")
    test = splits["test"]
    parts = dict(splits)
    parts["test/seen"] = [r for r in test if r["seen_target"]]
    parts["test/unseen"] = [r for r in test if not r["seen_target"]]
    for name, rs in parts.items():
        c = Counter(r["label"] for r in rs)
        for lab in LABELS:
            share = c[lab] / len(rs) if rs else 0.0
            if share < MIN_LABEL_SHARE:
                problems.append(f"{name}: label {lab!r} is {share:.1%} (need >= {MIN_LABEL_SHARE:.0%})")
    if len(parts["test/unseen"]) * 2 < len(test):
        problems.append(f"unseen-target rows are {len(parts['test/unseen'])} of {len(test)} test rows (need >= half)")
    return problems


def report(splits: dict[str, list[dict]]) -> str:
    """Counts by split, label, domain and phenomenon, as markdown tables."""
    test = splits["test"]
    parts = {
        "train": splits["train"],
        "validation": splits["validation"],
        "test": test,
        "test/seen": [r for r in test if r["seen_target"]],
        "test/unseen": [r for r in test if not r["seen_target"]],
    }
    lines = ["| split | pairs | quotes | targets | favor | against | none |", "|---|---|---|---|---|---|---|"]
    for name, rs in parts.items():
        c = Counter(r["label"] for r in rs)
        n = len(rs) or 1
        cells = [f"{c[lab]} ({c[lab] / n:.0%})" for lab in LABELS]
        lines.append(
            f"| {name} | {len(rs)} | {len({r['text'] for r in rs})} | {len({r['target'] for r in rs})} | "
            + " | ".join(cells) + " |"
        )
    all_rows = [r for rs in splits.values() for r in rs]
    lines += ["", "| domain | targets | unseen targets | train | validation | test | favor | against | none |",
              "|---|---|---|---|---|---|---|---|---|"]
    unseen_t = {r["target"] for r in parts["test/unseen"]}
    for d in DOMAINS:
        rs = [r for r in all_rows if r["domain"] == d]
        if not rs:
            lines.append(f"| {d} | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |")
            continue
        ts = {r["target"] for r in rs}
        c = Counter(r["label"] for r in rs)
        per = [sum(r["domain"] == d for r in splits[s]) for s in SPLITS]
        lines.append(f"| {d} | {len(ts)} | {len(ts & unseen_t)} | {per[0]} | {per[1]} | {per[2]} | "
                     f"{c['favor']} | {c['against']} | {c['none']} |")
    lines += ["", "| phenomenon | pairs | favor | against | none |", "|---|---|---|---|---|"]
    for ph in PHENOMENA:
        rs = [r for r in all_rows if r["phenomenon"] == ph]
        c = Counter(r["label"] for r in rs)
        lines.append(f"| {ph} | {len(rs)} | {c['favor']} | {c['against']} | {c['none']} |")
    lines += ["", "Unseen (test-only) targets: " + "; ".join(sorted(unseen_t))]
    return "\n".join(lines)


def render(rows: list[dict]) -> str:
    """The JSONL text of one split file."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, default=SRC_DIR, help="folder of *.jsonl source files")
    ap.add_argument("--extra", type=Path, default=EXTRA_DIR, help="folder of training-only *.jsonl sources")
    ap.add_argument("--out", type=Path, default=OUT_DIR, help="where train/validation/test.jsonl go")
    ap.add_argument("--check", action="store_true", help="do not write; fail if the files on disk differ")
    ap.add_argument("--strict", action="store_true", help="fail when a size/balance requirement is not met")
    args = ap.parse_args(argv)
    try:
        quotes = load_sources(args.src)
        extra = load_extra(args.extra, quotes)
        splits = build(quotes, extra)
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(report(splits))
    errors = integrity_errors(splits)
    for e in errors:
        print(f"ERROR: {e}", file=sys.stderr)
    problems = requirement_problems(splits)
    print()
    for p in problems:
        print(f"SHORT: {p}")
    if not problems:
        print("All requirements met: >= 1500 pairs, >= 60 targets, every label >= 25% of every split, "
              "unseen >= half of test, no leakage across splits.")
    if errors:
        return 1
    if args.check:
        stale = [s for s in SPLITS
                 if not (args.out / f"{s}.jsonl").exists()
                 or (args.out / f"{s}.jsonl").read_text(encoding="utf-8") != render(splits[s])]
        if stale:
            print(f"error: {', '.join(stale)} differ from the sources; run scripts/build_dataset.py", file=sys.stderr)
            return 1
        print("split files are up to date")
    else:
        args.out.mkdir(parents=True, exist_ok=True)
        for s in SPLITS:
            (args.out / f"{s}.jsonl").write_text(render(splits[s]), encoding="utf-8")
        print(f"wrote {', '.join(str(args.out / f'{s}.jsonl') for s in SPLITS)}")
    return 1 if (args.strict and problems) else 0


if __name__ == "__main__":
    sys.exit(main())
