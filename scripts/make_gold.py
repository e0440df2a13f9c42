"""Build the gold files of the sample articles from their hand-written annotations.

For each ``data/articles/annotations/<name>.yaml`` this finds every annotated quotation in
``data/articles/<name>.txt``, computes its character offsets and paragraph index, checks it, and writes
``data/articles/<name>.gold.json``; it also writes ``data/articles/articles.jsonl`` (one line per article:
``{"id", "text", "targets"}``), the input of ``stance-predict``.

Usage::

    python scripts/make_gold.py            # regenerate the gold files and articles.jsonl
    python scripts/make_gold.py --check    # exit 1 if any generated file differs from what is on disk

An annotation file looks like::

    article: 01-port-strike.txt
    targets: [the port automation plan]
    not_quotes: [People's Port]          # quote-marked words that are not quotations
    quotes:
      - quote: We will not back down,     # the exact quoted content (must be unique, or give occurrence: N)
        speaker: Dmitri Orlov
        role: the union's chairman
        cue: said
        direct: true
        stances: {the port automation plan: against}
      - from: The first words              # or a span from the start of one string ...
        to: the last words.                # ... to the end of the first later occurrence of another
        ...

Offsets are Python string indices (Unicode code points) into the UTF-8 decoded article text.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
ARTICLES_DIR = ROOT / "data" / "articles"
ANNOTATIONS_DIR = ARTICLES_DIR / "annotations"
JSONL_NAME = "articles.jsonl"

LABELS: tuple[str, ...] = ("favor", "against", "none")

#: Opening quote mark -> the closing marks that may end it.
QUOTE_PAIRS: dict[str, str] = {
    '"': '"',
    "\u201c": "\u201d",  # “ ”
    "\u00ab": "\u00bb",  # « »
    "\u201e": "\u201c",  # „ “
}
OPENING_MARKS = frozenset(QUOTE_PAIRS)
#: Every character that may open or close a (double) quotation.
ALL_MARKS = frozenset(QUOTE_PAIRS) | frozenset(QUOTE_PAIRS.values())

PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")

QUOTE_KEYS = ("quote", "from", "to", "occurrence", "speaker", "role", "cue", "direct", "stances")
TOP_KEYS = ("article", "targets", "not_quotes", "quotes")


class GoldError(ValueError):
    """An annotation that does not match its article; the message names the file, quote and field."""


@dataclass(frozen=True)
class Article:
    """One article: its file name, text, targets, gold quotations and non-quotations."""

    name: str
    text: str
    targets: list[str]
    quotes: list[dict[str, Any]]
    not_quotes: list[str]

    def gold(self) -> dict[str, Any]:
        """The content of the article's ``.gold.json`` file."""
        return {
            "article": self.name,
            "targets": self.targets,
            "quotes": self.quotes,
            "not_quotes": self.not_quotes,
        }


def paragraph_index(text: str, offset: int) -> int:
    """The 0-based index of the blank-line separated paragraph holding ``text[offset]``."""
    return len(PARAGRAPH_BREAK.findall(text[:offset]))


def paragraphs(text: str) -> list[str]:
    """The article's paragraphs (separated by blank lines)."""
    return PARAGRAPH_BREAK.split(text.strip("\n"))


def _find_nth(text: str, needle: str, occurrence: int, where: str) -> int:
    start = -1
    for _ in range(occurrence + 1):
        start = text.find(needle, start + 1)
        if start < 0:
            raise GoldError(f"{where}: {needle!r} occurs fewer than {occurrence + 1} time(s) in the article")
    return start


def _locate(text: str, item: dict[str, Any], where: str) -> tuple[int, int]:
    occurrence = item.get("occurrence", 0)
    if not isinstance(occurrence, int) or isinstance(occurrence, bool) or occurrence < 0:
        raise GoldError(f"{where}: field 'occurrence' must be a non-negative integer, got {occurrence!r}")
    if "quote" in item:
        if "from" in item or "to" in item:
            raise GoldError(f"{where}: give either 'quote' or 'from'/'to', not both")
        needle = item["quote"]
        if not isinstance(needle, str) or not needle:
            raise GoldError(f"{where}: field 'quote' must be a non-empty string")
        if "occurrence" not in item and text.count(needle) != 1:
            raise GoldError(
                f"{where}: field 'quote' {needle!r} occurs {text.count(needle)} times; "
                "make it unique or give 'occurrence'"
            )
        start = _find_nth(text, needle, occurrence, where)
        return start, start + len(needle)
    if "from" in item and "to" in item:
        first, last = item["from"], item["to"]
        if not (isinstance(first, str) and first and isinstance(last, str) and last):
            raise GoldError(f"{where}: fields 'from' and 'to' must be non-empty strings")
        if "occurrence" not in item and text.count(first) != 1:
            raise GoldError(f"{where}: field 'from' {first!r} occurs {text.count(first)} times; make it unique")
        start = _find_nth(text, first, occurrence, where)
        end = text.find(last, max(start, start + len(first) - len(last)))
        if end < 0:
            raise GoldError(f"{where}: field 'to' {last!r} does not occur after 'from'")
        return start, end + len(last)
    raise GoldError(f"{where}: missing field 'quote' (or 'from' and 'to')")


def _check_marks(text: str, start: int, end: int, direct: bool, where: str) -> None:
    span = text[start:end]
    if span != span.strip():
        raise GoldError(f"{where}: the span {span!r} starts or ends with white space")
    if direct:
        opening = text[start - 1] if start > 0 else ""
        closing = text[end] if end < len(text) else ""
        if opening not in OPENING_MARKS or closing != QUOTE_PAIRS[opening]:
            raise GoldError(
                f"{where}: a direct quote must sit between matching quote marks, "
                f"found {opening!r} before and {closing!r} after {span[:40]!r}"
            )
        # A quotation running over paragraphs re-opens each new paragraph with the same mark.
        for match in PARAGRAPH_BREAK.finditer(span):
            if span[match.end() : match.end() + 1] != opening:
                raise GoldError(f"{where}: paragraph inside the quote does not start with {opening!r}")
    else:
        if text[start - 1] in ALL_MARKS or text[end : end + 1] in ALL_MARKS:
            raise GoldError(f"{where}: an indirect quote must not sit between quote marks")
        if "\n" in span:
            raise GoldError(f"{where}: an indirect quote must not run over a line break")


def _require(item: dict[str, Any], key: str, kinds: tuple[type, ...], where: str) -> Any:
    if key not in item:
        raise GoldError(f"{where}: missing field {key!r}")
    value = item[key]
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        names = "/".join("null" if k is type(None) else k.__name__ for k in kinds)
        raise GoldError(f"{where}: field {key!r} must be {names}, got {value!r}")
    return value


def build_article(annotation_path: Path, articles_dir: Path = ARTICLES_DIR) -> Article:
    """Read one annotation file and its article, and compute the article's gold quotations."""
    try:
        data = yaml.safe_load(annotation_path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise GoldError(f"{annotation_path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise GoldError(f"{annotation_path}: expected a mapping at the top level")
    unknown = sorted(set(data) - set(TOP_KEYS))
    if unknown:
        raise GoldError(f"{annotation_path}: unknown field(s) {unknown}")
    where = str(annotation_path)
    name = _require(data, "article", (str,), where)
    article_path = articles_dir / name
    if not article_path.is_file():
        raise GoldError(f"{where}: field 'article': no file {article_path}")
    text = article_path.read_text(encoding="utf-8")
    targets = _require(data, "targets", (list,), where)
    if not 1 <= len(targets) <= 3 or not all(isinstance(t, str) and t.strip() for t in targets):
        raise GoldError(f"{where}: field 'targets' must list 1 to 3 non-empty strings")
    not_quotes = data.get("not_quotes") or []
    for phrase in not_quotes:
        if not any(
            f"{o}{phrase}{c}" in text for o, c in QUOTE_PAIRS.items()
        ) and f"\u2018{phrase}\u2019" not in text and f"'{phrase}'" not in text:
            raise GoldError(f"{where}: field 'not_quotes': {phrase!r} does not occur between quote marks")

    quotes: list[dict[str, Any]] = []
    for number, item in enumerate(data.get("quotes") or []):
        qwhere = f"{where}: quote #{number}"
        if not isinstance(item, dict):
            raise GoldError(f"{qwhere}: expected a mapping")
        unknown = sorted(set(item) - set(QUOTE_KEYS))
        if unknown:
            raise GoldError(f"{qwhere}: unknown field(s) {unknown}")
        start, end = _locate(text, item, qwhere)
        direct = _require(item, "direct", (bool,), qwhere)
        _check_marks(text, start, end, direct, qwhere)
        speaker = _require(item, "speaker", (str,), qwhere)
        if speaker not in text:
            raise GoldError(f"{qwhere}: field 'speaker' {speaker!r} does not occur in {name}")
        role = _require(item, "role", (str, type(None)), qwhere)
        if role is not None and role not in text:
            raise GoldError(f"{qwhere}: field 'role' {role!r} does not occur in {name}")
        cue = _require(item, "cue", (str,), qwhere)
        if cue != ":" and cue.lower() not in text.lower():
            raise GoldError(f"{qwhere}: field 'cue' {cue!r} does not occur in {name}")
        stances = _require(item, "stances", (dict,), qwhere)
        if set(stances) != set(targets):
            raise GoldError(f"{qwhere}: field 'stances' must have exactly the targets {targets}, got {list(stances)}")
        for target, label in stances.items():
            if label not in LABELS:
                raise GoldError(f"{qwhere}: field 'stances' [{target!r}] = {label!r} is not one of {list(LABELS)}")
        quotes.append(
            {
                "quote_start": start,
                "quote_end": end,
                "quote": text[start:end],
                "speaker": speaker,
                "role": role,
                "cue": cue,
                "direct": direct,
                "paragraph": paragraph_index(text, start),
                "stances": {target: stances[target] for target in targets},
            }
        )
    quotes.sort(key=lambda q: q["quote_start"])
    for before, after in zip(quotes, quotes[1:]):
        if after["quote_start"] < before["quote_end"]:
            raise GoldError(f"{where}: quotes {before['quote'][:30]!r} and {after['quote'][:30]!r} overlap")
    return Article(name=name, text=text, targets=list(targets), quotes=quotes, not_quotes=list(not_quotes))


def build_all(annotations_dir: Path = ANNOTATIONS_DIR, articles_dir: Path = ARTICLES_DIR) -> list[Article]:
    """Build every annotated article, sorted by file name."""
    paths = sorted(annotations_dir.glob("*.yaml"))
    if not paths:
        raise GoldError(f"{annotations_dir}: no annotation files (*.yaml)")
    articles = [build_article(path, articles_dir) for path in paths]
    names = [a.name for a in articles]
    if len(set(names)) != len(names):
        raise GoldError(f"{annotations_dir}: two annotation files name the same article")
    return articles


def gold_path(article: Article, articles_dir: Path = ARTICLES_DIR) -> Path:
    """Where the article's gold file lives: ``<name without .txt>.gold.json`` beside it."""
    return articles_dir / (Path(article.name).stem + ".gold.json")


def render_gold(article: Article) -> str:
    """The exact text of the article's gold file."""
    return json.dumps(article.gold(), ensure_ascii=False, indent=2) + "\n"


def render_jsonl(articles: list[Article]) -> str:
    """The exact text of ``articles.jsonl``."""
    lines = [
        json.dumps({"id": a.name, "text": a.text, "targets": a.targets}, ensure_ascii=False) for a in articles
    ]
    return "\n".join(lines) + "\n"


def expected_files(articles_dir: Path = ARTICLES_DIR, annotations_dir: Path = ANNOTATIONS_DIR) -> dict[Path, str]:
    """Every generated file and the text it must hold."""
    articles = build_all(annotations_dir, articles_dir)
    files = {gold_path(a, articles_dir): render_gold(a) for a in articles}
    files[articles_dir / JSONL_NAME] = render_jsonl(articles)
    return files


def main(argv: list[str] | None = None) -> int:
    """Regenerate (or, with ``--check``, verify) the gold files; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report files that differ; exit 1 if any")
    parser.add_argument("--articles-dir", type=Path, default=ARTICLES_DIR, help="folder of the .txt articles")
    parser.add_argument("--annotations-dir", type=Path, help="folder of the .yaml annotations (default: <articles-dir>/annotations)")
    args = parser.parse_args(argv)
    annotations_dir = args.annotations_dir or args.articles_dir / "annotations"
    try:
        files = expected_files(args.articles_dir, annotations_dir)
    except GoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    stale = []
    for path, content in files.items():
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current != content:
            stale.append(path)
            if not args.check:
                path.write_text(content, encoding="utf-8")
    verb = "differ" if args.check else "written"
    for path in stale:
        print(f"{verb}: {path}")
    print(f"{len(files) - 1} articles, {len(stale)} file(s) {verb}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
